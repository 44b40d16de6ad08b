//! The `:users` / `:services` popup: the team's list as a table, scrollable.

use crate::t;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row as TRow, Table as TTable};

use super::parts::{SPINNER, centered, clear, thousands};
use super::theme::Theme;
use crate::app::data::account::ListingView;
use crate::app::state::State;

pub fn draw(state: &State, v: &ListingView, frame: &mut Frame, area: Rect, theme: &Theme) {
    let l = state.lang;
    let r = centered(area, 110, area.height.saturating_sub(4));
    clear(frame, r);
    let (what, team) = (v.kind.title().get(l), &v.team_name);
    let count = match &v.rows {
        Some(Ok(rows)) => format!(" ({})", thousands(rows.len())),
        _ => String::new(),
    };
    // `:month` is every team's: its title names the month, not a team.
    let title = if v.kind == crate::app::data::account::ListingKind::Month {
        let month = team;
        let teams = match &v.rows {
            Some(Ok(rows)) => t!(
                l,
                " ({} teams)",
                " ({} equipos)",
                thousands(rows.len().saturating_sub(1))
            ),
            _ => String::new(),
        };
        format!(" {what} {month}{teams} ")
    } else {
        t!(
            l,
            " {what} of «{team}»{count} ",
            " {what} de «{team}»{count} "
        )
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.accent())
        .title(Span::styled(title, theme.title()));
    let inner = block.inner(r);
    frame.render_widget(block, r);
    let rows = match &v.rows {
        None => {
            let spin = SPINNER[state.spinner % SPINNER.len()];
            let text = t!(l, "{spin} Loading…", "{spin} Cargando…");
            frame.render_widget(Paragraph::new(Line::styled(text, theme.dim())), inner);
            return;
        }
        Some(Err(e)) => {
            frame.render_widget(
                Paragraph::new(Line::styled(e.clone(), theme.error())),
                inner,
            );
            return;
        }
        Some(Ok(rows)) => rows,
    };
    if rows.is_empty() {
        let text = l.pick("  nothing in this team", "  nada en este equipo");
        frame.render_widget(Paragraph::new(Line::styled(text, theme.dim())), inner);
        return;
    }
    let cols = v.kind.columns();
    let widest = |c: usize| -> u16 {
        rows.iter()
            .map(|r| unicode_width::UnicodeWidthStr::width(r[c].as_str()))
            .chain(std::iter::once(unicode_width::UnicodeWidthStr::width(
                cols[c].get(l),
            )))
            .max()
            .unwrap_or(8) as u16
    };
    let spacing: u16 = if v.kind.compact() { 1 } else { 2 };
    // Too narrow for every column whole: the least needed leave, never an amount.
    let mut kept: Vec<usize> = (0..cols.len()).collect();
    let needed = |kept: &[usize]| -> u16 {
        kept.iter()
            .map(|&c| {
                if c == v.kind.flex_column() {
                    widest(c).min(8)
                } else {
                    widest(c)
                }
            })
            .sum::<u16>()
            + spacing * kept.len().saturating_sub(1) as u16
    };
    for drop in v.kind.droppable() {
        if needed(&kept) <= inner.width {
            break;
        }
        kept.retain(|c| c != drop);
    }
    let widths: Vec<Constraint> = kept
        .iter()
        .map(|&c| {
            let widest = widest(c);
            if c == v.kind.flex_column() {
                Constraint::Min(widest.min(32).min(8))
            } else if v.kind.compact() {
                // Dates and money whole.
                Constraint::Length(widest)
            } else {
                Constraint::Length(widest.min(34))
            }
        })
        .collect();
    let header =
        TRow::new(kept.iter().map(|&c| Cell::from(cols[c].get(l)))).style(theme.column_title());
    // `:complements` has a highlighted row (Enter issues it), kept in sight; the other
    // lists only scroll.
    let pick = v.kind == crate::app::data::account::ListingKind::Complements;
    let selected = (v.scroll as usize).min(rows.len().saturating_sub(1));
    let visible = inner.height.saturating_sub(1).max(1) as usize;
    let skip = if pick {
        (selected + 1).saturating_sub(visible)
    } else {
        v.scroll as usize
    };
    let body = rows.iter().enumerate().skip(skip).map(|(i, r)| {
        let row = TRow::new(kept.iter().map(|&c| Cell::from(r[c].as_str())));
        if pick && i == selected {
            row.style(theme.selected())
        } else {
            row
        }
    });
    frame.render_widget(
        TTable::new(body, widths)
            .header(header)
            // The complements' seven columns fit 80 cells only one space apart.
            .column_spacing(spacing),
        inner,
    );
}
