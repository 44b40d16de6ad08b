//! The Group tab (`0`): every team of the key in one table — invoiced and collected this
//! month, payments to collect and overdue, PPD balance owed, cancellations waiting, and how
//! each row stands — with a totals row, sort, filter, and Enter to open a team. Rows fill
//! in as teams arrive, in any order; a team that fails says why on its own row.

pub mod changes;

use crate::app::state::Asking;
use crossterm::event::{KeyCode, KeyEvent};

use crate::api::{ApiError, TeamId};
use crate::app::data::group_figures::TeamFigures;
use crate::app::data::group_figures::{GroupRow, GroupState};
use crate::app::form::text::edit;
use crate::app::msg::{Generation, Request};
use crate::app::state::{Intent, State, complain, say};
use crate::t;

/// The columns, for sorting: name, RFC, invoiced, collected, to collect, overdue, PPD owed,
/// cancellations waiting, complements owed, state.
pub const COLUMNS: usize = 10;

/// Opens the tab; loads every team the first time (or after a failure of the list).
pub fn open(state: &mut State) -> Vec<Request> {
    if state.teams.len() < 2 {
        let msg = state.lang.pick(
            "The Group tab needs more than one team.",
            "La pestaña Grupo necesita más de un equipo.",
        );
        complain(state, msg);
        return vec![];
    }
    state.group.open = true;
    state.filter_input = None;
    // The first time, or back after leaving mid-load (which stopped it): ask again; what
    // the worker already holds answers at once from its cache.
    let unfinished = state
        .group
        .rows
        .values()
        .any(|r| r.state == GroupState::Loading);
    if state.group.rows.is_empty() || unfinished {
        return load(state, false);
    }
    vec![]
}

/// `r` in the tab: every team again, from gigstack (not the cache).
pub fn reload(state: &mut State) -> Vec<Request> {
    load(state, true)
}

fn load(state: &mut State, force: bool) -> Vec<Request> {
    state.asked.again(Asking::Group);
    let teams: Vec<TeamId> = state.teams.iter().map(|t| t.id.clone()).collect();
    for t in &teams {
        let row = state.group.rows.entry(t.clone()).or_insert(GroupRow {
            figures: None,
            cells: Default::default(),
            state: GroupState::Loading,
        });
        row.state = GroupState::Loading;
    }
    // Teams that left the list leave the table.
    state.group.rows.retain(|id, _| teams.contains(id));
    vec![Request::LoadGroup {
        generation: state.asked.current(Asking::Group),
        teams,
        force,
    }]
}

/// Leaves the tab (for a team's own tabs); stops the teams not loaded yet.
pub fn leave(state: &mut State) -> Vec<Request> {
    if !state.group.open {
        return vec![];
    }
    state.group.open = false;
    state.filter_input = None;
    if loaded(state) < state.group.rows.len() {
        vec![Request::StopGroup]
    } else {
        vec![]
    }
}

/// One team's figures arrived (or failed).
pub fn on_row(
    state: &mut State,
    generation: Generation,
    team: TeamId,
    result: Result<Box<TeamFigures>, ApiError>,
    now: i64,
) -> Vec<Request> {
    if !state.asked.wanted(Asking::Group, generation) {
        return vec![];
    }
    let lang = state.lang;
    let Some(row) = state.group.rows.get_mut(&team) else {
        return vec![];
    };
    match result {
        Ok(f) => {
            row.cells = f.cells();
            row.figures = Some(*f);
            row.state = GroupState::Loaded(now);
        }
        // A failing team keeps its last figures (if any) and says why; the others go on.
        Err(e) => row.state = GroupState::Failed(e.short(lang).to_string()),
    }
    vec![]
}

/// Rows that are no longer loading.
pub fn loaded(state: &State) -> usize {
    state
        .group
        .rows
        .values()
        .filter(|r| r.state != GroupState::Loading)
        .count()
}

/// Indices into `state.teams` as the table shows them: filtered, sorted.
pub fn visible(state: &State) -> Vec<usize> {
    let g = &state.group;
    let words: Vec<String> = g
        .filter
        .split_whitespace()
        .map(crate::i18n::sort_key)
        .collect();
    let mut out: Vec<usize> = (0..state.teams.len())
        .filter(|i| {
            let t = &state.teams[*i];
            let hay = crate::i18n::sort_key(&format!("{} {} {}", t.name, t.rfc, t.id));
            words.iter().all(|w| hay.contains(w.as_str()))
        })
        .collect();
    let (col, desc) = g.sort;
    if col > 0 {
        let key = |i: &usize| -> (u8, rust_decimal::Decimal, String) {
            let t = &state.teams[*i];
            let row = g.rows.get(&t.id);
            let f = row.and_then(|r| r.figures.as_ref());
            let n = |v: Option<rust_decimal::Decimal>| v.unwrap_or_default();
            match col {
                1 => (0, Default::default(), t.rfc.clone()),
                2 => (0, n(f.map(|f| f.invoiced_month)), String::new()),
                3 => (0, n(f.map(|f| f.collected_month)), String::new()),
                4 => (0, n(f.map(|f| f.to_collect_amount)), String::new()),
                5 => (0, n(f.map(|f| f.overdue_amount)), String::new()),
                6 => (0, n(f.map(|f| f.ppd_owed)), String::new()),
                7 => (
                    0,
                    f.map(|f| f.cancellations_waiting.into())
                        .unwrap_or_default(),
                    String::new(),
                ),
                8 => (
                    0,
                    f.map(|f| f.complements_owed.into()).unwrap_or_default(),
                    String::new(),
                ),
                _ => (
                    match row.map(|r| &r.state) {
                        Some(GroupState::Failed(_)) => 0,
                        Some(GroupState::Loading) | None => 1,
                        Some(GroupState::Loaded(_)) => 2,
                    },
                    Default::default(),
                    String::new(),
                ),
            }
        };
        // Stable: equal keys keep the name order.
        out.sort_by_cached_key(key);
    }
    if desc {
        out.reverse();
    }
    out
}

/// The totals of the rows shown (filtered), from the teams that have figures.
pub fn totals(state: &State, shown: &[usize]) -> TeamFigures {
    let mut total = TeamFigures::default();
    for i in shown {
        if let Some(f) = state
            .group
            .rows
            .get(&state.teams[*i].id)
            .and_then(|r| r.figures.as_ref())
        {
            total.add(f);
        }
    }
    total
}

/// Rows of the table body (the window), less the totals row.
fn window(state: &State) -> usize {
    state.table_height().saturating_sub(1).max(1)
}

/// Moves the cursor by `delta` rows (saturating), or to the top/bottom.
pub fn step(state: &mut State, delta: isize) -> Vec<Request> {
    let n = visible(state).len();
    let g = &mut state.group;
    let last = n.saturating_sub(1) as isize;
    g.selected = (g.selected as isize + delta).clamp(0, last.max(0)) as usize;
    scroll(state);
    vec![]
}

/// The window height in rows, for PgUp/PgDn.
pub fn page(state: &State) -> isize {
    window(state) as isize
}

fn scroll(state: &mut State) {
    let h = window(state);
    let g = &mut state.group;
    if g.selected < g.offset {
        g.offset = g.selected;
    } else if g.selected >= g.offset + h {
        g.offset = g.selected + 1 - h;
    }
}

/// `s` cycles the sort column, `S` reverses it.
pub fn sort(state: &mut State, reverse: bool) -> Vec<Request> {
    let g = &mut state.group;
    if reverse {
        g.sort.1 = !g.sort.1;
    } else {
        // Money columns sort largest first; text ones A→Z.
        let next = (g.sort.0 + 1) % COLUMNS;
        g.sort = (next, (2..=8).contains(&next));
    }
    g.selected = 0;
    g.offset = 0;
    vec![]
}

/// Enter: that team, on the tab the operator last used.
pub fn open_selected(state: &mut State) -> Vec<Request> {
    let shown = visible(state);
    let Some(i) = shown.get(state.group.selected) else {
        let msg = state
            .lang
            .pick("No team selected", "Ningún equipo seleccionado");
        complain(state, msg);
        return vec![];
    };
    let team = state.teams[*i].id.clone();
    let reqs = leave(state);
    state.intents.push(Intent::SwitchTo(team));
    reqs
}

/// `/` in the tab: the filter line opens on the current filter.
pub fn start_filter(state: &mut State) -> Vec<Request> {
    state.filter_input = Some(tui_input::Input::new(state.group.filter.clone()));
    vec![]
}

/// Keys while the Group filter is typed: the table narrows as you type.
pub fn on_filter_key(state: &mut State, key: KeyEvent) -> Vec<Request> {
    let Some(mut input) = state.filter_input.take() else {
        return vec![];
    };
    match key.code {
        KeyCode::Esc => state.group.filter.clear(),
        KeyCode::Enter => {}
        KeyCode::Down | KeyCode::Up => {
            state.filter_input = Some(input);
            return step(state, if key.code == KeyCode::Down { 1 } else { -1 });
        }
        _ => {
            if edit(&mut input, &key) {
                state.group.filter = input.value().to_string();
                state.group.selected = 0;
                state.group.offset = 0;
            }
            state.filter_input = Some(input);
        }
    }
    vec![]
}

/// Esc in the tab clears a filter still applied.
pub fn clear_filter(state: &mut State) -> Vec<Request> {
    if !state.group.filter.is_empty() {
        state.group.filter.clear();
        let msg = state.lang.pick("Filter cleared", "Filtro borrado");
        say(state, msg);
    }
    vec![]
}

/// An action that needs one team's table, refused in the Group tab with the way there.
pub fn not_here(state: &mut State) -> Vec<Request> {
    let msg = t!(
        state.lang,
        "Not in the Group tab: Enter opens the selected team, 1–4 its tabs.",
        "No en la pestaña Grupo: Enter abre el equipo seleccionado, 1–4 sus pestañas."
    );
    complain(state, msg);
    vec![]
}
