//! The data tables: only the visible window of rows is built each frame; money right-
//! aligned, status coloured, the position ("123 of 4,567"), filter and cache age in the
//! title; loading, empty and error states in words.

use crate::t;
use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row as TRow, Table as TTable, Wrap};

use super::parts::{SPINNER, thousands};
use super::theme::Theme;
use crate::app::data::documents::{ClientRow, InvoiceRow, PaymentRow, Row, Tone};
use crate::app::data::table::{Load, Table};
use crate::app::data::teamed::{Scoped, Teamed};
use crate::app::state::State;

/// How a row type colours its status column.
pub trait Toned: Row {
    fn tone_col(&self) -> Option<(usize, Tone)>;
}

impl Toned for ClientRow {
    fn tone_col(&self) -> Option<(usize, Tone)> {
        None
    }
}
impl Toned for InvoiceRow {
    fn tone_col(&self) -> Option<(usize, Tone)> {
        Some((4, self.tone()))
    }
}
impl Toned for PaymentRow {
    fn tone_col(&self) -> Option<(usize, Tone)> {
        Some((3, self.tone()))
    }
}
impl Toned for crate::app::data::receipts::ReceiptRow {
    fn tone_col(&self) -> Option<(usize, Tone)> {
        Some((3, self.tone))
    }
}
/// The all-teams rows: the row's own tone, one column to the right (Team comes first).
impl<R: Toned + Teamed> Toned for Scoped<R> {
    fn tone_col(&self) -> Option<(usize, Tone)> {
        self.row.tone_col().map(|(c, t)| (c + 1, t))
    }
}

fn title<R: Row>(
    state: &State,
    t: &Table<R>,
    noun: &str,
    typing: Option<&str>,
    theme: &Theme,
) -> Line<'static> {
    let mut spans = vec![Span::styled(
        format!(" {} ", capitalise(noun)),
        theme.title(),
    )];
    let l = state.lang;
    let pos = thousands(if t.view.is_empty() { 0 } else { t.selected + 1 });
    let len = thousands(t.view.len());
    spans.push(Span::raw(t!(l, "{pos} of {len}", "{pos} de {len}")));
    if !t.filter.is_empty() || typing.is_some() {
        let all = thousands(t.rows.len());
        spans.push(Span::raw(t!(
            l,
            " (filtered from {all})",
            " (filtrado de {all})"
        )));
    }
    if !t.marked.is_empty() {
        let n = thousands(t.marked.len());
        spans.push(Span::styled(
            t!(l, " · {n} marked", " · {n} marcadas"),
            theme.accent(),
        ));
    }
    if t.load == Load::Loading {
        let spin = SPINNER[state.spinner % SPINNER.len()];
        let progress = match t.total_hint {
            Some(total) if (t.rows.len() as u64) < total && !t.revalidating => {
                let (n, total) = (thousands(t.rows.len()), thousands(total as usize));
                t!(
                    l,
                    " {spin} loading {n} of {total}",
                    " {spin} cargando {n} de {total}"
                )
            }
            _ => t!(l, " {spin} refreshing", " {spin} actualizando"),
        };
        spans.push(Span::styled(progress, theme.accent()));
    } else if let Some(age) = t.cached_age {
        spans.push(Span::styled(
            t!(l, " cached {}", " en caché, {}", l.ago(age)),
            theme.dim(),
        ));
    }
    if let Some(text) = typing {
        spans.push(Span::styled(" / ", theme.key()));
        spans.push(Span::styled(format!("{text}▏"), theme.accent()));
    } else if !t.filter.is_empty() {
        spans.push(Span::styled(
            t!(l, " filter «{}»", " filtro «{}»", t.filter),
            theme.accent(),
        ));
    }
    let (col, desc) = t.sort;
    spans.push(Span::styled(
        t!(
            l,
            " sorted by {} {} ",
            " orden: {} {} ",
            R::COLUMNS[col].title.get(l),
            if desc { "↓" } else { "↑" }
        ),
        theme.dim(),
    ));
    Line::from(spans)
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

pub fn draw<R: Toned>(
    state: &State,
    t: &Table<R>,
    noun: &str,
    typing: Option<&str>,
    frame: &mut Frame,
    area: Rect,
    theme: &Theme,
) {
    let block = Block::default()
        .borders(Borders::TOP | Borders::BOTTOM)
        .border_style(theme.border())
        .title(title(state, t, noun, typing, theme));
    if t.rows.is_empty() || t.view.is_empty() {
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let l = state.lang;
        let spin = SPINNER[state.spinner % SPINNER.len()];
        let filter = &t.filter;
        let (text, error) = match &t.load {
            Load::Failed(e) => (
                t!(
                    l,
                    "{e}\n\nPress r to retry.",
                    "{e}\n\nPulsa r para reintentar."
                ),
                true,
            ),
            Load::Loading | Load::Idle if t.rows.is_empty() => (
                t!(l, "{spin} Loading {noun}…", "{spin} Cargando {noun}…"),
                false,
            ),
            _ if !filter.is_empty() => (
                t!(
                    l,
                    "No {noun} match «{filter}». Esc clears the filter.",
                    "No hay {noun} que coincidan con «{filter}». Esc borra el filtro."
                ),
                false,
            ),
            _ => (
                t!(
                    l,
                    "This team has no {noun} yet.",
                    "Este equipo aún no tiene {noun}."
                ),
                false,
            ),
        };
        message(frame, inner, &text, theme, error);
        return;
    }
    let height = area.height.saturating_sub(3) as usize;
    // Narrow terminals drop the least useful columns instead of squeezing every one.
    let shown: Vec<usize> = (0..R::COLUMNS.len())
        .filter(|i| R::COLUMNS[*i].min_table_width <= area.width)
        .collect();
    let widths: Vec<Constraint> = shown
        .iter()
        .map(|i| {
            let c = &R::COLUMNS[*i];
            if c.right {
                // Money is never truncated: as wide as its widest value on screen.
                let widest = t
                    .window(height)
                    .map(|(_, r)| unicode_width::UnicodeWidthStr::width(r.cell(*i)))
                    .max()
                    .unwrap_or(0) as u16;
                let title = unicode_width::UnicodeWidthStr::width(c.title.get(state.lang));
                Constraint::Length(widest.max(c.width).max(title as u16))
            } else if c.grow {
                Constraint::Min(c.width)
            } else {
                Constraint::Length(c.width)
            }
        })
        .collect();
    let widths = fit_money_first(widths, &shown, area.width.saturating_sub(2), |i| {
        R::COLUMNS[i].right
    });
    let header = TRow::new(shown.iter().map(|i| {
        let c = &R::COLUMNS[*i];
        let line = Line::from(c.title.get(state.lang));
        Cell::from(if c.right {
            line.alignment(Alignment::Right)
        } else {
            line
        })
    }))
    .style(theme.column_title());
    let brand = state.brand.clone();
    let rows = t.window(height).map(|(pos, r)| {
        let tone = r.tone_col();
        let marked = t.marked.contains(r.id());
        let cells = shown.iter().map(|i| {
            let (i, c) = (*i, &R::COLUMNS[*i]);
            let mut text = r.cell(i).to_string();
            if c.cut_middle && !c.grow {
                // The Team column: the part of the name that tells the branch apart (as
                // the Group tab shows it), cut in the middle when it must.
                text = crate::app::data::brand::distinct(&text, brand.as_deref()).to_string();
                let room = c.width as usize - if i == 0 && marked { 2 } else { 0 };
                text = super::parts::fit_middle(&text, room);
            }
            if i == 0 && marked {
                text = format!("● {text}");
            }
            let mut line = Line::from(text);
            if c.right {
                line = line.alignment(Alignment::Right);
            }
            let cell = Cell::from(line);
            match tone {
                Some((col, tn)) if col == i => cell.style(theme.tone(tn)),
                _ => cell,
            }
        });
        let row = TRow::new(cells);
        if pos == t.selected {
            row.style(theme.selected())
        } else {
            row
        }
    });
    let table = TTable::new(rows, widths)
        .header(header)
        .block(block)
        .column_spacing(1);
    frame.render_widget(table, area);
}

/// When the columns do not fit, ratatui would shrink every one, money included, and
/// `$1,234,567,890.12` would lose its leading digits. Instead the text columns give way
/// (the growing ones first, then the others, to a few cells each); money keeps its width.
fn fit_money_first(
    widths: Vec<Constraint>,
    shown: &[usize],
    inner: u16,
    is_money: impl Fn(usize) -> bool,
) -> Vec<Constraint> {
    let spacing = shown.len().saturating_sub(1) as u16;
    let base = |c: &Constraint| match c {
        Constraint::Length(n) | Constraint::Min(n) => *n,
        _ => 0,
    };
    let needed: u16 = widths.iter().map(base).sum::<u16>() + spacing;
    if needed <= inner {
        return widths;
    }
    let mut w: Vec<u16> = widths.iter().map(base).collect();
    let mut over = needed - inner;
    let grow: Vec<usize> = (0..w.len())
        .filter(|k| matches!(widths[*k], Constraint::Min(_)))
        .collect();
    let text: Vec<usize> = (0..w.len())
        .filter(|k| !is_money(shown[*k]) && !grow.contains(k))
        .rev()
        .collect();
    for (group, floor) in [(&grow, 6u16), (&text, 4u16)] {
        for k in group.iter() {
            let give = w[*k].saturating_sub(floor).min(over);
            w[*k] -= give;
            over -= give;
        }
    }
    w.into_iter().map(Constraint::Length).collect()
}

pub fn message(frame: &mut Frame, area: Rect, text: &str, theme: &Theme, error: bool) {
    let style = if error { theme.error() } else { theme.dim() };
    let lines: Vec<Line> = text
        .lines()
        .map(|l| Line::styled(l.to_string(), style))
        .collect();
    let h = (lines.len() as u16 + 2).min(area.height);
    let r = Rect {
        y: area.y + area.height.saturating_sub(h) / 2,
        height: h,
        ..area
    };
    frame.render_widget(
        Paragraph::new(lines)
            .alignment(Alignment::Center)
            .wrap(Wrap { trim: true }),
        r,
    );
}
