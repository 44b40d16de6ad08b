//! "Since you last looked": the Group tab's table of what changed per team (collected, new
//! links, failed, new invoices, cancelled, late complements, clients failing) with a totals
//! row and the cell under the cursor marked, and the popup listing the documents behind a
//! cell. Amounts are pesos; narrower terminals show the collected amount only, then counts
//! under short headings (Enter lists the amounts).

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell as TCell, Paragraph, Row as TRow, Table as TTable};

use super::parts::{SPINNER, centered, clear, fit_end, fit_middle, thousands};
use super::theme::Theme;
use crate::app::data::changes::{
    CellTexts, ChangesList, Column, TeamCells, pesos, since_label, teams_changed, total,
};
use crate::app::data::dataset::Dataset;
use crate::app::features::group::visible;
use crate::app::state::State;
use crate::t;

/// The team column's least width: the layout drops amounts (then long titles) before the
/// names go under it.
const MIN_TEAM: u16 = 14;

/// Which amounts the cells show beside their counts.
#[derive(Clone, Copy)]
enum Fit {
    Amounts,
    Collected,
    Counts,
}

pub fn draw_table(state: &State, frame: &mut Frame, area: Rect, theme: &Theme) {
    let l = state.lang;
    let g = &state.group;
    let c = &g.changes;
    let shown = visible(state);
    let spin = SPINNER[state.spinner % SPINNER.len()];
    let filter = if g.filter.is_empty() {
        String::new()
    } else {
        t!(l, " · filter «{}»", " · filtro «{}»", g.filter)
    };
    let title = match &c.shown {
        Some(s) => {
            let since = since_label(s.since, s.now, l);
            // Under 100 columns the title keeps what counts: since when, how many.
            // Cut to the newest, that is said instead.
            let whose = if s.last_session && area.width >= 100 && !s.capped {
                l.pick(" (your last session)", " (tu última sesión)")
            } else {
                ""
            };
            let loading = if c.loading {
                format!(" {spin}")
            } else {
                String::new()
            };
            // Cut to the newest: said where the counts are.
            let loading = if s.capped {
                t!(
                    l,
                    " · the newest {} only{loading}",
                    " · solo los {} más recientes{loading}",
                    thousands(crate::store::MOST_CHANGES)
                )
            } else {
                loading
            };
            let brand = state
                .brand
                .as_deref()
                .map(|b| format!(" «{b}»"))
                .unwrap_or_default();
            if area.width >= 100 {
                t!(
                    l,
                    " Group{brand}: changes since {since}{whose} · {} of {} teams changed{filter}{loading} · c: the month ",
                    " Grupo{brand}: cambios desde {since}{whose} · {} de {} equipos cambiaron{filter}{loading} · c: el mes ",
                    thousands(teams_changed(&c.cells)),
                    thousands(state.teams.len())
                )
            } else {
                // Narrow: the word "changed" gives way to the notice of a cut.
                let changed = if s.capped {
                    ""
                } else {
                    l.pick(" changed", " cambiaron")
                };
                t!(
                    l,
                    " Changes since {since} · {} of {} teams{changed}{filter}{loading} ",
                    " Cambios desde {since} · {} de {} equipos{changed}{filter}{loading} ",
                    thousands(teams_changed(&c.cells)),
                    thousands(state.teams.len())
                )
            }
        }
        None if c.loading => t!(l, " Group: changes {spin} ", " Grupo: cambios {spin} "),
        None => t!(l, " Group: changes ", " Grupo: cambios "),
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border())
        .title(Line::styled(title, theme.title()));
    if c.shown.is_none() {
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let text = match &c.error {
            Some(e) => e.clone(),
            None => l
                .pick("Reading what changed…", "Leyendo qué cambió…")
                .to_string(),
        };
        let style = if c.error.is_some() {
            theme.tone(crate::app::data::documents::Tone::Bad)
        } else {
            theme.dim()
        };
        frame.render_widget(
            Paragraph::new(Line::styled(text, style)).wrap(ratatui::widgets::Wrap { trim: true }),
            inner,
        );
        return;
    }
    let height = area.height.saturating_sub(4) as usize;
    let window: Vec<usize> = shown.iter().copied().skip(g.offset).take(height).collect();
    let none = CellTexts::of(&TeamCells::default());
    // As in the month's table: the brand is the title's, the rows show what differs (no RFC
    // column here: twins say theirs).
    let rows_cells: Vec<(String, &CellTexts)> = window
        .iter()
        .map(|i| {
            let cells = c.texts.get(&state.teams[*i].id).unwrap_or(&none);
            (state.row_name(*i, false), cells)
        })
        .collect();
    let sum = total(
        shown
            .iter()
            .filter_map(|i| c.cells.get(&state.teams[*i].id)),
    );
    // The totals follow the filter: one row made for the frame.
    let sum = CellTexts::of(&sum);
    let width_of = |s: &str| unicode_width::UnicodeWidthStr::width(s) as u16;
    // The widest layout that leaves the team column room: every amount under full titles,
    // then the collected amount only, then counts, then counts under short titles.
    let layouts = [
        (Fit::Amounts, false),
        (Fit::Collected, false),
        (Fit::Counts, false),
        (Fit::Counts, true),
    ];
    let layout = |(fit, short): (Fit, bool)| {
        let text_of = move |col: Column, texts: &CellTexts| -> String {
            let i = col.index();
            let amount = col.has_amount()
                && match fit {
                    Fit::Amounts => true,
                    Fit::Collected => col == Column::Collected,
                    Fit::Counts => false,
                };
            if amount {
                texts.amounts[i].clone()
            } else {
                texts.counts[i].clone()
            }
        };
        let title_of = move |col: Column| {
            if short {
                col.short_title().get(l)
            } else {
                col.title().get(l)
            }
        };
        let rows: Vec<(String, Vec<String>)> = rows_cells
            .iter()
            .map(|(name, texts)| {
                (
                    name.clone(),
                    Column::ALL.iter().map(|col| text_of(*col, texts)).collect(),
                )
            })
            .collect();
        let totals: Vec<String> = Column::ALL.iter().map(|col| text_of(*col, &sum)).collect();
        let titles: Vec<&'static str> = Column::ALL.iter().map(|col| title_of(*col)).collect();
        let widths: Vec<u16> = (0..Column::ALL.len())
            .map(|k| {
                rows.iter()
                    .map(|(_, r)| width_of(&r[k]))
                    .chain([width_of(&totals[k]), width_of(titles[k])])
                    .max()
                    .unwrap_or(1)
            })
            .collect();
        (rows, totals, titles, widths)
    };
    let fixed_of = |w: &[u16]| w.iter().sum::<u16>() + Column::ALL.len() as u16;
    let room = area.width.saturating_sub(2);
    // Short names ask less than the least width.
    let min_team = rows_cells
        .iter()
        .map(|(n, _)| width_of(n))
        .max()
        .unwrap_or(0)
        .clamp(8, MIN_TEAM);
    let (rows_text, totals_text, titles, widths) = layouts
        .iter()
        .map(|l| layout(*l))
        .find(|(_, _, _, w)| fixed_of(w) + min_team <= room)
        .unwrap_or_else(|| layout(layouts[layouts.len() - 1]));
    let fixed = fixed_of(&widths);
    let name_w = area.width.saturating_sub(2 + fixed).clamp(8, 40);
    let cursor = c.column;
    let make = |name: &str, cells: &[String], selected: bool| {
        let mut out = vec![TCell::from(fit_middle(name, name_w as usize))];
        for (k, text) in cells.iter().enumerate() {
            let cell = TCell::from(Line::from(text.clone()).alignment(Alignment::Right));
            out.push(if selected && cursor == k + 1 {
                cell.style(theme.selected().add_modifier(Modifier::REVERSED))
            } else {
                cell
            });
        }
        if selected && cursor == 0 {
            out[0] = out[0]
                .clone()
                .style(theme.selected().add_modifier(Modifier::REVERSED));
        }
        TRow::new(out)
    };
    let selected = g.selected.saturating_sub(g.offset);
    let mut rows: Vec<TRow> = rows_text
        .iter()
        .enumerate()
        .map(|(k, (name, cells))| {
            let row = make(name, cells, k == selected);
            if k == selected {
                row.style(theme.selected())
            } else {
                row
            }
        })
        .collect();
    while rows.len() < height {
        rows.push(TRow::new(Vec::<TCell>::new()));
    }
    rows.push(make(l.pick("Total", "Total"), &totals_text, false).style(theme.column_title()));
    let mut head = vec![TCell::from(l.pick("Team", "Equipo"))];
    for (k, title) in titles.iter().enumerate() {
        let cell = TCell::from(Line::from(*title).alignment(Alignment::Right));
        head.push(if cursor == k + 1 {
            cell.style(theme.column_title().add_modifier(Modifier::UNDERLINED))
        } else {
            cell
        });
    }
    let mut constraints = vec![Constraint::Length(name_w)];
    constraints.extend(widths.iter().map(|w| Constraint::Length(*w)));
    let table = TTable::new(rows, constraints)
        .header(TRow::new(head).style(theme.column_title()))
        .block(block)
        .column_spacing(1);
    frame.render_widget(table, area);
}

pub fn draw_list(state: &State, list: &ChangesList, frame: &mut Frame, area: Rect, theme: &Theme) {
    let l = state.lang;
    let h = (list.items.len() as u16 + 3).clamp(5, area.height.saturating_sub(4));
    let r = centered(area, 100, h);
    clear(frame, r);
    let title = format!(" {} ", list.title);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.accent())
        .title(Span::styled(
            fit_end(&title, r.width.saturating_sub(2) as usize),
            theme.title(),
        ));
    let inner = block.inner(r);
    frame.render_widget(block, r);
    let room = inner.height.max(1) as usize;
    let selected = list.selected.min(list.items.len().saturating_sub(1));
    let start = selected.saturating_sub(room.saturating_sub(1));
    let now = state
        .group
        .changes
        .shown
        .as_ref()
        .map(|s| s.now)
        .unwrap_or_default();
    let width = inner.width as usize;
    let mut lines = Vec::new();
    for (pos, item) in list.items.iter().enumerate().skip(start).take(room) {
        let kind = match item.dataset {
            Dataset::Clients => l.pick("client", "cliente"),
            Dataset::Invoices => l.pick("invoice", "factura"),
            Dataset::Payments => l.pick("payment", "pago"),
            Dataset::Receipts => l.pick("receipt", "recibo"),
        };
        let when = since_label(item.seen, now, l);
        let what = item.column.title().get(l);
        let amount = if item.column.has_amount() {
            pesos(item.amount)
        } else {
            String::new()
        };
        // The label takes what the fixed parts leave.
        let fixed = format!(" {when:<16} {what:<15} {kind:<8} ");
        let fixed_w = unicode_width::UnicodeWidthStr::width(fixed.as_str());
        let amount_w = unicode_width::UnicodeWidthStr::width(amount.as_str());
        let label_w = width.saturating_sub(fixed_w + amount_w + 2);
        // Read from the store when the list opened: the id until it arrives.
        let label = if item.label.is_empty() {
            fit_end(&format!("{} …", crate::text::printable(&item.id)), label_w)
        } else {
            fit_end(&item.label, label_w)
        };
        let pad = label_w.saturating_sub(unicode_width::UnicodeWidthStr::width(label.as_str()));
        let text = format!("{fixed}{label}{} {amount}", " ".repeat(pad));
        let style = if pos == selected {
            theme.selected()
        } else {
            ratatui::style::Style::default()
        };
        lines.push(Line::styled(text, style));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
