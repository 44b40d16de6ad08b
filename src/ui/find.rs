//! The cross-team find popup: what is typed, then each hit with its team, kind and what
//! its table shows; Enter on a hit jumps there.

use crate::t;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::parts::{SPINNER, centered, clear, thousands};
use super::theme::Theme;
use crate::app::Dataset;
use crate::app::state::{FindView, State};

pub fn draw(state: &State, f: &FindView, frame: &mut Frame, area: Rect, theme: &Theme) {
    let l = state.lang;
    let h = (f.results.len() as u16 + 5).clamp(7, area.height.saturating_sub(4));
    let r = centered(area, 100, h);
    clear(frame, r);
    let title = if f.generation == 0 {
        t!(l, " Find in every team ", " Buscar en todos los equipos ")
    } else {
        t!(
            l,
            " Find: {} found in {} teams ",
            " Buscar: {} encontrados en {} equipos ",
            thousands(f.results.len()),
            thousands(f.searched)
        )
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.accent())
        .title(Span::styled(title, theme.title()));
    let inner = block.inner(r);
    frame.render_widget(block, r);
    let mut lines = vec![Line::from(vec![
        Span::styled("› ", theme.key()),
        Span::raw(format!("{}▏", f.input.value())),
    ])];
    if f.searching {
        let spin = SPINNER[state.spinner % SPINNER.len()];
        lines.push(Line::styled(
            t!(l, "  {spin} searching…", "  {spin} buscando…"),
            theme.dim(),
        ));
    } else if f.generation == 0 {
        lines.push(Line::styled(
            l.pick(
                "  name, RFC, UUID, folio, payment id or an exact amount; Enter searches",
                "  nombre, RFC, UUID, folio, id de pago o un monto exacto; Enter busca",
            ),
            theme.dim(),
        ));
    } else if f.results.is_empty() {
        lines.push(Line::styled(
            l.pick(
                "  nothing found in the teams loaded (the Group tab loads them all)",
                "  nada encontrado en los equipos cargados (la pestaña Grupo los carga todos)",
            ),
            theme.dim(),
        ));
    }
    let room = inner.height.saturating_sub(1) as usize;
    let selected = f.selected.min(f.results.len().saturating_sub(1));
    let start = selected.saturating_sub(room.saturating_sub(1));
    for (pos, hit) in f.results.iter().enumerate().skip(start).take(room) {
        let team = state
            .teams
            .iter()
            .find(|t| t.id == hit.team)
            .map(|t| t.name.as_str())
            .unwrap_or(hit.team.as_str());
        let kind = match hit.dataset {
            Dataset::Clients => l.pick("client", "cliente"),
            Dataset::Invoices => l.pick("invoice", "factura"),
            Dataset::Payments => l.pick("payment", "pago"),
            Dataset::Receipts => l.pick("receipt", "recibo"),
        };
        let text = format!("  {team:<28} {kind:<8} {}", hit.label);
        let style = if pos == selected {
            theme.selected()
        } else {
            ratatui::style::Style::default()
        };
        lines.push(Line::styled(text, style));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
