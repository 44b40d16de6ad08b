//! The Group tab: one row per team (name, RFC, this month's invoicing and collections,
//! what is to collect and overdue, PPD balance owed, cancellations waiting, the row's
//! state) and a totals row pinned at the bottom. Narrow terminals drop the least useful
//! columns; money is never cut.

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Cell, Row as TRow, Table as TTable};

use super::parts::{SPINNER, thousands};
use super::theme::Theme;
use crate::app::data::documents::Tone;
use crate::app::data::group_figures::GroupState;
use crate::app::features::group::{loaded, totals, visible};
use crate::app::state::State;
use crate::i18n::{Lang, Tr, tr};
use crate::t;

struct Col {
    title: Tr,
    /// Shown from this terminal width on.
    from: u16,
    right: bool,
}

const COLS: [Col; 10] = [
    Col {
        title: tr("Team", "Equipo"),
        from: 0,
        right: false,
    },
    Col {
        title: tr("RFC", "RFC"),
        from: 150,
        right: false,
    },
    Col {
        title: tr("Invoiced (month)", "Facturado (mes)"),
        from: 0,
        right: true,
    },
    Col {
        title: tr("Collected (month)", "Cobrado (mes)"),
        from: 100,
        right: true,
    },
    Col {
        title: tr("To collect", "Por cobrar"),
        from: 0,
        right: true,
    },
    Col {
        title: tr("Overdue", "Vencido"),
        from: 110,
        right: true,
    },
    Col {
        title: tr("PPD owed", "Saldo PPD"),
        from: 130,
        right: true,
    },
    Col {
        title: tr("Cancel. waiting", "Cancel. en espera"),
        from: 140,
        right: true,
    },
    Col {
        title: tr("Compl. owed/late", "Compl. pend./venc."),
        from: 135,
        right: true,
    },
    Col {
        title: tr("State", "Estado"),
        from: 0,
        right: false,
    },
];

fn state_word(
    state: &State,
    s: Option<&GroupState>,
    read_only: bool,
    lang: Lang,
) -> (String, Tone) {
    let spin = SPINNER[state.spinner % SPINNER.len()];
    let (mut text, tone) = match s {
        Some(GroupState::Loaded(at)) => {
            let at = jiff::Timestamp::from_second(*at)
                .map(|t| {
                    t.to_zoned(crate::clock::mexico_city().clone())
                        .strftime("%H:%M")
                        .to_string()
                })
                .unwrap_or_default();
            // Short: the State column is never cut, so its words are few.
            (t!(lang, "loaded {at}", "cargado {at}"), Tone::Good)
        }
        Some(GroupState::Failed(e)) => (e.clone(), Tone::Bad),
        Some(GroupState::Loading) => (t!(lang, "{spin} loading", "{spin} cargando"), Tone::Warn),
        None => (
            lang.pick("not reachable", "no alcanzable").to_string(),
            Tone::Muted,
        ),
    };
    if read_only {
        text = format!("{} · {text}", lang.pick("read-only", "solo lectura"));
    }
    (text, tone)
}

pub fn draw(state: &State, frame: &mut Frame, area: Rect, theme: &Theme) {
    let l = state.lang;
    let g = &state.group;
    let shown = visible(state);
    let (done, asked) = (loaded(state), g.rows.len());
    let filter = if g.filter.is_empty() {
        String::new()
    } else {
        t!(l, " · filter «{}»", " · filtro «{}»", g.filter)
    };
    // The brand most branches share is said once, here; each row shows what differs.
    let brand_said = state
        .brand
        .as_deref()
        .map(|b| format!(" «{b}»"))
        .unwrap_or_default();
    let title = t!(
        l,
        " Group{brand_said}: {} teams ({done} / {asked} loaded){filter} ",
        " Grupo{brand_said}: {} equipos ({done} / {asked} cargados){filter} ",
        thousands(shown.len())
    );
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border())
        .title(Line::styled(title, theme.title()));
    let cols: Vec<usize> = (0..COLS.len())
        .filter(|i| COLS[*i].from <= area.width)
        .collect();
    let height = area.height.saturating_sub(4) as usize;
    let window: Vec<usize> = shown.iter().copied().skip(g.offset).take(height).collect();
    let total = totals(state, &shown);

    // A row's ten cells: name, RFC, the seven figures (made when they arrived), state.
    let row_cells = |name: String, rfc: String, figures: &[String; 7], st: (String, Tone)| {
        let [a, b, c, d, e, f, h] = figures.clone();
        ([name, rfc, a, b, c, d, e, f, h, st.0], st.1)
    };
    let rfc_shown = cols.contains(&1);
    let none: [String; 7] = Default::default();
    let body: Vec<([String; 10], Tone)> = window
        .iter()
        .map(|i| {
            let t = &state.teams[*i];
            let row = g.rows.get(&t.id);
            let ro = state.read_only || state.read_only_teams.contains(&t.id);
            row_cells(
                state.row_name(*i, rfc_shown),
                t.rfc.clone(),
                row.map(|r| &r.cells).unwrap_or(&none),
                state_word(state, row.map(|r| &r.state), ro, l),
            )
        })
        .collect();
    // The totals depend on the filter, so they are summed and made for the frame: one row.
    let totals_row = row_cells(
        l.pick("Total", "Total").to_string(),
        String::new(),
        &total.cells(),
        (
            t!(l, "{done} / {asked} teams", "{done} / {asked} equipos"),
            Tone::Muted,
        ),
    );
    // Money columns and the state are as wide as their widest value (totals included):
    // never cut (a state longer than 40 cells, an error in words, is the exception). The
    // team's name takes the rest, cut in the middle only when it must.
    let widest = |c: usize| -> u16 {
        let title = unicode_width::UnicodeWidthStr::width(COLS[c].title.get(l)) as u16;
        body.iter()
            .chain(std::iter::once(&totals_row))
            .map(|(r, _)| unicode_width::UnicodeWidthStr::width(r[c].as_str()) as u16)
            .max()
            .unwrap_or(0)
            .max(title)
    };
    let state_w = widest(9).min(40);
    // The names whole (up to 32 cells): what tells the branches apart comes before the
    // columns shown only on the widest terminals, which give way first (RFC, then the
    // cancellations…) when the figures, the names and the whole state do not fit.
    let name_want = widest(0).clamp(12, 32);
    let need = |cols: &[usize]| -> u16 {
        let figures: u16 = cols
            .iter()
            .filter(|c| !matches!(**c, 0 | 9))
            .map(|c| widest(*c))
            .sum();
        figures + name_want + state_w + cols.len().saturating_sub(1) as u16 + 2
    };
    let mut cols = cols;
    while need(&cols) > area.width {
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
    let fixed: u16 = cols
        .iter()
        .filter(|c| !matches!(**c, 0 | 9))
        .map(|c| widest(*c))
        .sum();
    let spacing = cols.len().saturating_sub(1) as u16;
    let room = area.width.saturating_sub(2 + fixed + spacing + state_w);
    let name_w = widest(0).min(room).max(12);
    let widths: Vec<Constraint> = cols
        .iter()
        .map(|c| match *c {
            0 => Constraint::Length(name_w),
            9 => Constraint::Fill(1),
            _ => Constraint::Length(widest(*c)),
        })
        .collect();
    let make = |(r, tone): &([String; 10], Tone)| {
        TRow::new(cols.iter().map(|c| {
            // A name too long is cut in the middle: branches differ at their end.
            let text = if *c == 0 {
                super::parts::fit_middle(&r[0], name_w as usize)
            } else {
                r[*c].clone()
            };
            let line = Line::from(text);
            let line = if COLS[*c].right {
                line.alignment(Alignment::Right)
            } else {
                line
            };
            let cell = Cell::from(line);
            if *c == 9 {
                cell.style(theme.tone(*tone))
            } else {
                cell
            }
        }))
    };
    let selected = g.selected.saturating_sub(g.offset);
    let mut rows: Vec<TRow> = body
        .iter()
        .enumerate()
        .map(|(k, r)| {
            let row = make(r);
            if k == selected {
                row.style(theme.selected())
            } else {
                row
            }
        })
        .collect();
    // The totals row stays at the bottom of the window.
    while rows.len() < height {
        rows.push(TRow::new(Vec::<Cell>::new()));
    }
    rows.push(make(&totals_row).style(theme.column_title()));
    let header = TRow::new(cols.iter().map(|c| {
        let line = Line::from(COLS[*c].title.get(l));
        Cell::from(if COLS[*c].right {
            line.alignment(Alignment::Right)
        } else {
            line
        })
    }))
    .style(theme.column_title());
    let table = TTable::new(rows, widths)
        .header(header)
        .block(block)
        .column_spacing(1);
    frame.render_widget(table, area);
}
