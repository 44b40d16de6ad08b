//! What a create made: the payment link with its QR code, the draft read as its PDF, what
//! to open; and the team's drafts list (`:drafts`).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::form::error_line;
use super::parts::{centered, clear, wrap};
use super::theme::Theme;
use crate::app::create::created::Created;
use crate::app::create::drafts::DraftsView;
use crate::i18n::Lang;
use crate::t;

/// What a create made: the link and its QR code, a draft's preview, what Enter opens.
pub fn draw_created(c: &Created, lang: Lang, frame: &mut Frame, area: Rect, theme: &Theme) {
    let l = lang;
    let mut lines: Vec<Line<'static>> =
        c.lines.iter().map(|s| Line::raw(format!(" {s}"))).collect();
    if let Some(link) = &c.link {
        lines.push(Line::from(vec![
            Span::raw(" "),
            Span::styled(link.clone(), theme.title()),
            Span::styled(l.pick("   y copies it", "   y lo copia"), theme.dim()),
        ]));
        if let Some(qr) = super::qr::lines(link) {
            // Whole or not at all: a QR code cut at the screen's edge does not scan.
            let room = area.height.saturating_sub(2) as usize;
            let rest = c.targets.len() + 1;
            if lines.len() + qr.len() + rest <= room {
                for q in qr {
                    lines.push(Line::styled(
                        format!(" {q}"),
                        Style::default().fg(Color::White).bg(Color::Black),
                    ));
                }
            } else {
                lines.push(Line::styled(
                    l.pick(
                        " (a taller terminal shows its QR code)",
                        " (una terminal más alta muestra su código QR)",
                    ),
                    theme.dim(),
                ));
            }
        }
    }
    for (i, (_, _, label)) in c.targets.iter().enumerate() {
        let style = if i == c.selected {
            theme.selected()
        } else {
            Style::default()
        };
        lines.push(Line::from(vec![
            Span::raw("  "),
            Span::styled(format!(" {label} "), style),
        ]));
    }
    let hint = match (c.draft.is_some(), c.targets.is_empty()) {
        (true, _) => l.pick(
            "s stamp · e edit · Esc keep it for :drafts",
            "s timbrar · e editar · Esc lo deja en :borradores",
        ),
        (false, false) => l.pick(
            "↑↓ choose · Enter open · Esc close",
            "↑↓ elegir · Enter abrir · Esc cerrar",
        ),
        _ => l.pick("Esc closes", "Esc cierra"),
    };
    lines.push(Line::styled(format!(" {hint}"), theme.dim()));
    let what = c.kind.title(l);
    let team = &c.team_name;
    let title = t!(l, "{what} — «{team}»", "{what} — «{team}»");
    let width = lines.iter().map(|x| x.width()).max().unwrap_or(20) as u16 + 2;
    let width = width.clamp(40, 100).min(area.width);
    text_popup(frame, area, width, &title, lines, theme);
}

/// `:drafts`: the team's drafts still to stamp, one line each, the chosen one read in full
/// below the list as its PDF would.
pub fn draw_drafts(v: &DraftsView, l: Lang, frame: &mut Frame, area: Rect, theme: &Theme) {
    use crate::app::create::drafts::{lines as draft_lines, summary};
    let mut lines: Vec<Line<'static>> = Vec::new();
    match (&v.drafts, &v.error) {
        (None, _) => lines.push(Line::styled(
            l.pick(" Reading the drafts…", " Leyendo los borradores…"),
            theme.dim(),
        )),
        (_, Some(e)) => lines.push(error_line(e, theme)),
        (Some(_), None) => {
            let open = v.open_ones();
            if open.is_empty() {
                lines.push(Line::styled(
                    l.pick(
                        " No drafts to stamp in this team. n on Invoices starts one.",
                        " No hay borradores por timbrar en este equipo. n en Facturas inicia uno.",
                    ),
                    theme.dim(),
                ));
            }
            let sel = v.selected.min(open.len().saturating_sub(1));
            for (i, d) in open.iter().enumerate() {
                let style = if i == sel {
                    theme.selected()
                } else {
                    Style::default()
                };
                lines.push(Line::from(vec![
                    Span::raw(" "),
                    Span::styled(summary(d, l), style),
                ]));
            }
            if let Some(d) = v.chosen() {
                lines.push(Line::raw(""));
                lines.extend(
                    draft_lines(d, l)
                        .into_iter()
                        .map(|s| Line::raw(format!(" {s}"))),
                );
            }
        }
    }
    let team = &v.team_name;
    let title = t!(
        l,
        "Invoice drafts — «{team}»",
        "Borradores de factura — «{team}»"
    );
    let width = 100.min(area.width);
    text_popup(frame, area, width, &title, lines, theme);
}

/// A popup `width` wide (as tall as its lines, wrapped, need) in the middle of `area`, with
/// `title` on its border.
fn text_popup(
    frame: &mut Frame,
    area: Rect,
    width: u16,
    title: &str,
    lines: Vec<Line<'static>>,
    theme: &Theme,
) {
    let (lines, _) = wrap(lines, 0, width.saturating_sub(2) as usize);
    let height = (lines.len() as u16 + 2).min(area.height);
    let r = centered(area, width, height);
    clear(frame, r);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.accent())
        .title(Span::styled(format!(" {title} "), theme.title()));
    let inner = block.inner(r);
    frame.render_widget(block, r);
    frame.render_widget(Paragraph::new(lines), inner);
}
