//! The Branches tab: a line of counts (what cannot invoice, CSDs expired and due within 30
//! days, low credits), then one row per team — name, state in words, CSD days, credits,
//! series, members, integrations, RFC, regime, ZIP, invoice defaults — and, once a reference
//! is set, which areas differ from it (`≠` on those cells). Narrow terminals drop the
//! columns of least use first; the state is never dropped. And the text popup (a team's
//! configuration, the drift list).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row as TRow, Table as TTable};

use super::parts::{SPINNER, centered, clear, fit_end, fit_middle, thousands};
use super::theme::Theme;
use crate::app::data::branches::{Area, BranchState, counts, drift_areas};
use crate::app::data::columns::Tone;
use crate::app::features::branches::{loaded, visible};
use crate::app::state::{State, TextView};
use crate::i18n::{Tr, tr};
use crate::t;

struct Col {
    title: Tr,
    /// Shown from this terminal width on.
    from: u16,
    /// The drift area this column shows, if any.
    area: Option<Area>,
}

const TEAM: usize = 0;
const STATE: usize = 1;
const DRIFT: usize = 11;

const COLS: [Col; 12] = [
    Col {
        title: tr("Team", "Equipo"),
        from: 0,
        area: None,
    },
    Col {
        title: tr("State", "Estado"),
        from: 0,
        area: None,
    },
    Col {
        title: tr("CSD", "CSD"),
        from: 0,
        area: None,
    },
    Col {
        title: tr("Credits", "Créditos"),
        from: 0,
        area: None,
    },
    Col {
        title: tr("Series", "Series"),
        from: 100,
        area: Some(Area::Series),
    },
    Col {
        title: tr("Members", "Miembros"),
        from: 110,
        area: Some(Area::Members),
    },
    Col {
        title: tr("Integrations", "Integraciones"),
        from: 120,
        area: None,
    },
    Col {
        title: tr("RFC", "RFC"),
        from: 150,
        area: None,
    },
    Col {
        title: tr("Regime", "Régimen"),
        from: 140,
        area: Some(Area::Regime),
    },
    Col {
        title: tr("ZIP", "CP"),
        from: 160,
        area: None,
    },
    Col {
        title: tr("Defaults", "Predeterminados"),
        from: 130,
        area: Some(Area::Settings),
    },
    Col {
        title: tr("Drift", "Difiere en"),
        from: 0,
        area: None,
    },
];

fn area_word(a: Area, l: crate::i18n::Lang) -> &'static str {
    match a {
        Area::Settings => l.pick("settings", "configuración"),
        Area::Series => l.pick("series", "series"),
        Area::Members => l.pick("admins", "admins"),
        Area::Regime => l.pick("regime", "régimen"),
    }
}

pub fn draw(state: &State, frame: &mut Frame, area: Rect, theme: &Theme) {
    let l = state.lang;
    let b = &state.branches;
    let shown = visible(state);
    let (done, asked) = (loaded(state), b.rows.len());
    let filter = if b.filter.is_empty() {
        String::new()
    } else {
        t!(l, " · filter «{}»", " · filtro «{}»", b.filter)
    };
    let reference = b.reference_branch();
    let refer = reference
        .map(|r| t!(l, " · reference «{}»", " · referencia «{}»", r.name))
        .unwrap_or_default();
    let marked = match b.marked.len() {
        0 => String::new(),
        n => t!(l, " · {n} marked", " · {n} marcados"),
    };
    let teams = match shown.len() {
        1 => l.pick("1 team", "1 equipo").to_string(),
        n => t!(l, "{} teams", "{} equipos", thousands(n)),
    };
    let title = t!(
        l,
        " Branches: {teams} ({done} / {asked} read){refer}{marked}{filter} ",
        " Sucursales: {teams} ({done} / {asked} leídos){refer}{marked}{filter} "
    );
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border())
        .title(Line::styled(title, theme.title()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let [summary, table_area] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(inner);

    let c = counts(b.branches());
    let so_far = if done < asked {
        t!(l, "Of {done} read: ", "De {done} leídos: ")
    } else {
        String::new()
    };
    let summary_text = t!(
        l,
        "{so_far}{} cannot invoice · CSD: {} expired, {} expire within 30 days · {} low on credits · {} need attention",
        "{so_far}{} no pueden facturar · CSD: {} vencidos, {} vencen en 30 días · {} con pocos créditos · {} requieren atención",
        c.cannot_invoice,
        c.csd_expired,
        c.csd_soon,
        c.low_credits,
        c.attention
    );
    // Narrow: the same counts in fewer words, so the last is never cut.
    let summary_text = if unicode_width::UnicodeWidthStr::width(summary_text.as_str())
        + if c.cannot_tell > 0 { 20 } else { 0 }
        > summary.width as usize
    {
        t!(
            l,
            "{so_far}{} can't invoice · CSD {} expired, {} ≤30 d · {} low credits · {} attention",
            "{so_far}{} sin facturar · CSD {} vencidos, {} ≤30 d · {} pocos créditos · {} atención",
            c.cannot_invoice,
            c.csd_expired,
            c.csd_soon,
            c.low_credits,
            c.attention
        )
    } else {
        summary_text
    };
    let summary_text = if c.cannot_tell > 0 {
        t!(
            l,
            "{summary_text} · {} cannot tell",
            "{summary_text} · {} sin saber",
            c.cannot_tell
        )
    } else {
        summary_text
    };
    let tone = if c.cannot_invoice > 0 {
        Tone::Bad
    } else if c.attention > 0 {
        Tone::Warn
    } else {
        Tone::Good
    };
    frame.render_widget(
        Paragraph::new(Line::styled(
            fit_end(&summary_text, summary.width as usize),
            theme.tone(tone),
        )),
        summary,
    );

    let mut cols: Vec<usize> = (0..COLS.len())
        .filter(|i| COLS[*i].from <= area.width)
        .filter(|i| *i != DRIFT || reference.is_some())
        .collect();
    let height = table_area.height.saturating_sub(1) as usize;
    let window: Vec<_> = shown.iter().skip(b.offset).take(height).collect();
    let spin = SPINNER[state.spinner % SPINNER.len()];

    // Each row's cells, its tone, and the columns that differ from the reference.
    let body: Vec<([String; 12], Tone, Vec<usize>)> = window
        .iter()
        .map(|id| {
            let row = b.rows.get(*id);
            let x = row.and_then(|r| r.branch.as_ref());
            let mut name = x
                .map(|x| x.name.clone())
                .unwrap_or_else(|| crate::app::state::team_name(state, id));
            let is_ref = b.reference.as_ref() == Some(*id);
            if is_ref {
                name = format!("◆ {name}");
            }
            if b.marked.contains(*id) {
                name = format!("● {name}");
            }
            let Some(x) = x else {
                let (text, tone) = match row.map(|r| &r.state) {
                    Some(BranchState::Failed(e)) => (e.clone(), Tone::Bad),
                    _ => (t!(l, "{spin} reading", "{spin} leyendo"), Tone::Warn),
                };
                let mut cells: [String; 12] = Default::default();
                cells[TEAM] = name;
                cells[STATE] = text;
                return (cells, tone, vec![]);
            };
            let areas = match reference {
                Some(r) if !is_ref => drift_areas(r, x),
                _ => Default::default(),
            };
            let differ: Vec<usize> = (0..COLS.len())
                .filter(|c| COLS[*c].area.is_some_and(|a| areas.contains(&a)))
                .collect();
            let drift = if is_ref {
                l.pick("reference", "referencia").to_string()
            } else if areas.is_empty() {
                "—".to_string()
            } else {
                areas
                    .iter()
                    .map(|a| area_word(*a, l))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let tone = match x.severity() {
                0 => Tone::Bad,
                1 | 2 => Tone::Warn,
                _ => Tone::Good,
            };
            let cells = [
                name,
                x.state_words(l),
                x.csd_cell(l),
                x.credits_cell(l),
                x.series_cell(l),
                x.members_cell(l),
                x.integrations_cell(l),
                x.rfc.clone(),
                x.regime.clone(),
                x.zip.clone(),
                x.settings_cell(l),
                drift,
            ];
            (cells, tone, differ)
        })
        .collect();
    let w = |s: &str| unicode_width::UnicodeWidthStr::width(s) as u16;
    let widest = |c: usize, cap: u16| -> u16 {
        body.iter()
            .map(|(r, _, d)| w(&r[c]) + if d.contains(&c) { 2 } else { 0 })
            .max()
            .unwrap_or(0)
            .max(w(COLS[c].title.get(l)))
            .min(cap)
    };
    let want = |c: usize| -> u16 {
        match c {
            TEAM => widest(c, 28).max(12),
            STATE => widest(c, 34).max(16),
            // Narrow terminals show few columns: the Drift one is short there.
            DRIFT if area.width < 100 => widest(c, 16),
            DRIFT => widest(c, 30),
            4 => widest(c, 24),
            10 => widest(c, 32),
            _ => widest(c, 20),
        }
    };
    // The state gets what is left; columns of least use go first when it would be cut
    // under 22 cells.
    let need = |cols: &[usize]| -> u16 {
        cols.iter()
            .filter(|c| **c != STATE)
            .map(|c| want(*c))
            .sum::<u16>()
            + 22
            + cols.len().saturating_sub(1) as u16
    };
    while need(&cols) > table_area.width {
        let Some(pos) = cols
            .iter()
            .enumerate()
            .filter(|(_, c)| COLS[**c].from > 0)
            .max_by_key(|(_, c)| COLS[**c].from)
            .map(|(i, _)| i)
        else {
            break;
        };
        cols.remove(pos);
    }
    let widths: Vec<(usize, u16)> = cols.iter().map(|c| (*c, want(*c))).collect();
    let constraints: Vec<Constraint> = widths
        .iter()
        .map(|(c, w)| {
            if *c == STATE {
                Constraint::Fill(1)
            } else {
                Constraint::Length(*w)
            }
        })
        .collect();
    let fixed: u16 = widths
        .iter()
        .filter(|(c, _)| *c != STATE)
        .map(|(_, w)| *w)
        .sum::<u16>()
        + cols.len().saturating_sub(1) as u16;
    let state_w = table_area.width.saturating_sub(fixed) as usize;
    let selected = b.selected.saturating_sub(b.offset);
    let rows: Vec<TRow> = body
        .iter()
        .enumerate()
        .map(|(k, (r, tone, differ))| {
            let row = TRow::new(widths.iter().map(|(c, width)| {
                let mark = differ.contains(c);
                let room = if *c == STATE {
                    state_w
                } else {
                    *width as usize
                };
                let text = if mark {
                    format!("≠ {}", r[*c])
                } else {
                    r[*c].clone()
                };
                let text = if *c == TEAM {
                    fit_middle(&text, room)
                } else {
                    fit_end(&text, room)
                };
                let cell = Cell::from(text);
                if *c == STATE {
                    cell.style(theme.tone(*tone))
                } else if mark || (*c == DRIFT && !r[*c].starts_with('—')) {
                    cell.style(theme.tone(Tone::Warn))
                } else {
                    cell
                }
            }));
            if k == selected {
                row.style(theme.selected())
            } else {
                row
            }
        })
        .collect();
    let header = TRow::new(cols.iter().map(|c| Cell::from(COLS[*c].title.get(l))))
        .style(theme.column_title());
    let table = TTable::new(rows, constraints)
        .header(header)
        .column_spacing(1);
    frame.render_widget(table, table_area);
}

/// A titled, scrollable text popup.
pub fn draw_text(v: &TextView, frame: &mut Frame, area: Rect, theme: &Theme) {
    let r = centered(area, 110, area.height.saturating_sub(4));
    clear(frame, r);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.accent())
        .title(Span::styled(v.title.clone(), theme.title()));
    let inner = block.inner(r);
    frame.render_widget(block, r);
    // What does not fit is said on the last line, with the keys that reach it.
    let room = inner.height as usize;
    let below = v.lines.len().saturating_sub(v.scroll as usize);
    let more = below > room;
    let mut lines: Vec<Line> = v
        .lines
        .iter()
        .skip(v.scroll as usize)
        .take(if more { room.saturating_sub(1) } else { room })
        .map(|(text, tone)| {
            let text = fit_end(text, inner.width as usize);
            match tone {
                Some(t) => Line::styled(text, theme.tone(*t)),
                None => Line::from(text),
            }
        })
        .collect();
    if more {
        let n = below - (room.saturating_sub(1));
        lines.push(Line::styled(lang_more(v, n), theme.dim()));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// `↓ N more lines (j, PgDn)` in the popup's language (its title says which: the lines
/// carry no language of their own).
fn lang_more(v: &TextView, n: usize) -> String {
    if v.spanish {
        match n {
            1 => "↓ 1 línea más (j, AvPág)".into(),
            n => format!("↓ {n} líneas más (j, AvPág)"),
        }
    } else {
        match n {
            1 => "↓ 1 more line (j, PgDn)".into(),
            n => format!("↓ {n} more lines (j, PgDn)"),
        }
    }
}
