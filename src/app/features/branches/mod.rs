//! The Branches tab (`6`, `:branches`): every team's configuration and health side by side —
//! CSD and its days left, stamping credits, series and their folios, integrations, members,
//! fiscal identity and invoice defaults — with what keeps a branch from invoicing said in a
//! State column, worst first, and counted in the title. `R` makes the selected team the
//! reference: every cell that differs from it is marked, and `:drift` lists the differences
//! team by team. Enter shows a team's whole configuration.
//!
//! Here: the tab's rows, order, cursor, filter and reference; `views`: its two text popups
//! (the drift list, a team's configuration); `changes`: the bulk changes to marked teams.

mod changes;
mod views;

pub use changes::{ROLES, reread, team_write};
pub use views::{on_text_key, open_drift, open_selected};

use crossterm::event::{KeyCode, KeyEvent};

use crate::api::{ApiError, TeamConfig, TeamId};
use crate::app::data::branches::{Branch, BranchRow, BranchState};
use crate::app::form::text::edit;
use crate::app::msg::{Generation, Request};
use crate::app::state::{Asking, State, complain, say};
use crate::t;

/// The columns, for sorting: state, name, CSD days, credits, series, members.
pub const SORTS: usize = 6;

/// Opens the tab; reads every team the first time (or after leaving mid-load).
pub fn open(state: &mut State) -> Vec<Request> {
    if state.teams.is_empty() {
        let msg = state.lang.pick(
            "The team list has not loaded yet.",
            "La lista de equipos aún no carga.",
        );
        complain(state, msg);
        return vec![];
    }
    state.branches.open = true;
    state.filter_input = None;
    let unfinished = state
        .branches
        .rows
        .values()
        .any(|r| r.state == BranchState::Loading);
    if state.branches.rows.is_empty() || unfinished {
        return load(state);
    }
    vec![]
}

/// `r` in the tab: every team's configuration again.
pub fn load(state: &mut State) -> Vec<Request> {
    let generation = state.asked.again(Asking::Branches);
    let b = &mut state.branches;
    if b.order.is_empty() {
        b.order = state.teams.iter().map(|t| t.id.clone()).collect();
    }
    for id in b.order.clone() {
        let row = b.rows.entry(id).or_insert(BranchRow {
            state: BranchState::Loading,
            branch: None,
            config: None,
        });
        row.state = BranchState::Loading;
    }
    vec![Request::LoadBranches { generation }]
}

/// Leaves the tab; stops the teams not read yet.
pub fn leave(state: &mut State) -> Vec<Request> {
    if !state.branches.open {
        return vec![];
    }
    state.branches.open = false;
    state.filter_input = None;
    if state
        .branches
        .rows
        .values()
        .any(|r| r.state == BranchState::Loading)
    {
        vec![Request::StopBranches]
    } else {
        vec![]
    }
}

/// The team list arrived: its order is the table's; teams gone leave it.
pub fn on_listed(
    state: &mut State,
    generation: Generation,
    result: Result<Vec<TeamId>, ApiError>,
) -> Vec<Request> {
    if !state.asked.wanted(Asking::Branches, generation) {
        return vec![];
    }
    let lang = state.lang;
    match result {
        Ok(ids) => {
            let b = &mut state.branches;
            b.rows.retain(|id, _| ids.contains(id));
            for id in &ids {
                b.rows.entry(id.clone()).or_insert(BranchRow {
                    state: BranchState::Loading,
                    branch: None,
                    config: None,
                });
            }
            b.order = ids;
            if b.reference
                .as_ref()
                .is_some_and(|r| !b.rows.contains_key(r))
            {
                b.reference = None;
            }
        }
        Err(e) => {
            let why = e.short(lang).to_string();
            for row in state.branches.rows.values_mut() {
                if row.state == BranchState::Loading {
                    row.state = BranchState::Failed(why.clone());
                }
            }
            complain(state, e.describe(lang));
        }
    }
    vec![]
}

/// One team's configuration arrived.
pub fn on_branch(
    state: &mut State,
    generation: Generation,
    config: Box<TeamConfig>,
    now: i64,
) -> Vec<Request> {
    if !state.asked.wanted(Asking::Branches, generation) {
        return vec![];
    }
    let low = state.branches.low();
    let b = &mut state.branches;
    if !b.order.contains(&config.id) {
        b.order.push(config.id.clone());
    }
    b.rows.insert(
        config.id.clone(),
        BranchRow {
            state: BranchState::Loaded,
            branch: Some(Branch::read(&config, now, low)),
            config: Some(config),
        },
    );
    vec![]
}

/// Rows no longer loading.
pub fn loaded(state: &State) -> usize {
    state
        .branches
        .rows
        .values()
        .filter(|r| r.state != BranchState::Loading)
        .count()
}

/// The teams as the table shows them: filtered (name, RFC, id, state words), sorted.
pub fn visible(state: &State) -> Vec<TeamId> {
    let b = &state.branches;
    let l = state.lang;
    let words: Vec<String> = b
        .filter
        .split_whitespace()
        .map(crate::i18n::sort_key)
        .collect();
    let name_of = |id: &TeamId| -> String {
        b.rows
            .get(id)
            .and_then(|r| r.branch.as_ref())
            .map(|x| x.name.clone())
            .or_else(|| {
                state
                    .teams
                    .iter()
                    .find(|t| &t.id == id)
                    .map(|t| t.name.clone())
            })
            .unwrap_or_else(|| id.to_string())
    };
    let mut out: Vec<TeamId> = b
        .order
        .iter()
        .filter(|id| {
            if words.is_empty() {
                return true;
            }
            let x = b.rows.get(*id).and_then(|r| r.branch.as_ref());
            let hay = crate::i18n::sort_key(&format!(
                "{} {} {} {}",
                name_of(id),
                x.map(|x| x.rfc.as_str()).unwrap_or(""),
                id,
                x.map(|x| x.state_words(l)).unwrap_or_default()
            ));
            words.iter().all(|w| hay.contains(w.as_str()))
        })
        .cloned()
        .collect();
    let (col, desc) = b.sort;
    let key = |id: &TeamId| -> (u8, i64, String) {
        let row = b.rows.get(id);
        let x = row.and_then(|r| r.branch.as_ref());
        let name = crate::i18n::sort_key(&name_of(id));
        // Rows not loaded (or failed) come after the loaded ones, failed first.
        let rank = match row.map(|r| &r.state) {
            Some(BranchState::Loaded) => 0,
            Some(BranchState::Failed(_)) => 1,
            _ => 2,
        };
        match (col, x) {
            (0, Some(x)) => (x.severity(), 0, name),
            (0, None) => (rank + 4, 0, name),
            (1, _) => (0, 0, name),
            (2, Some(x)) => (
                0,
                match x.csd {
                    crate::app::data::branches::CsdState::Expired { days_ago } => -days_ago,
                    crate::app::data::branches::CsdState::Valid { days_left } => days_left,
                    crate::app::data::branches::CsdState::None => i64::MIN / 2,
                    crate::app::data::branches::CsdState::Unknown => i64::MIN / 4,
                },
                name,
            ),
            (3, Some(x)) => (
                0,
                x.credits
                    .and_then(|c| i64::try_from(c.trunc()).ok())
                    .unwrap_or(i64::MIN / 2),
                name,
            ),
            (4, Some(x)) => (0, x.series.as_ref().map_or(-1, |s| s.len() as i64), name),
            (5, Some(x)) => (0, x.members.as_ref().map_or(-1, |m| m.len() as i64), name),
            (_, None) => (rank + 4, 0, name),
            _ => (0, 0, name),
        }
    };
    out.sort_by_cached_key(key);
    if desc {
        out.reverse();
    }
    out
}

fn window(state: &State) -> usize {
    state.table_height().max(1)
}

pub fn page(state: &State) -> isize {
    window(state) as isize
}

/// Moves the cursor by `delta` rows (saturating).
pub fn step(state: &mut State, delta: isize) -> Vec<Request> {
    let n = visible(state).len();
    let h = window(state);
    let b = &mut state.branches;
    let last = n.saturating_sub(1) as isize;
    b.selected = (b.selected as isize + delta).clamp(0, last.max(0)) as usize;
    if b.selected < b.offset {
        b.offset = b.selected;
    } else if b.selected >= b.offset + h {
        b.offset = b.selected + 1 - h;
    }
    vec![]
}

/// `s` cycles the sort column (state, name, CSD, credits, series, members), `S` reverses.
pub fn sort(state: &mut State, reverse: bool) -> Vec<Request> {
    let b = &mut state.branches;
    if reverse {
        b.sort.1 = !b.sort.1;
    } else {
        b.sort = ((b.sort.0 + 1) % SORTS, false);
    }
    b.selected = 0;
    b.offset = 0;
    vec![]
}

fn selected(state: &State) -> Option<TeamId> {
    visible(state).get(state.branches.selected).cloned()
}

/// The selected team, or `None` with "No team selected" said.
fn selected_or_say(state: &mut State) -> Option<TeamId> {
    let id = selected(state);
    if id.is_none() {
        let msg = state
            .lang
            .pick("No team selected", "Ningún equipo seleccionado");
        complain(state, msg);
    }
    id
}

fn name(state: &State, id: &TeamId) -> String {
    state
        .branches
        .rows
        .get(id)
        .and_then(|r| r.branch.as_ref())
        .map(|b| b.name.clone())
        .unwrap_or_else(|| crate::app::state::team_name(state, id))
}

/// `R`: the selected team becomes the reference (again on it: none).
pub fn set_reference(state: &mut State) -> Vec<Request> {
    let l = state.lang;
    let Some(id) = selected_or_say(state) else {
        return vec![];
    };
    if state.branches.reference.as_ref() == Some(&id) {
        state.branches.reference = None;
        say(
            state,
            l.pick(
                "No reference team: nothing is marked.",
                "Sin equipo de referencia: nada se marca.",
            ),
        );
        return vec![];
    }
    let loaded = state
        .branches
        .rows
        .get(&id)
        .is_some_and(|r| r.branch.is_some());
    if !loaded {
        complain(
            state,
            l.pick(
                "That team's configuration has not loaded: it cannot be the reference yet.",
                "La configuración de ese equipo no ha cargado: aún no puede ser la referencia.",
            ),
        );
        return vec![];
    }
    let n = name(state, &id);
    state.branches.reference = Some(id);
    say(
        state,
        t!(
            l,
            "Reference: {n}. Cells that differ from it are marked; :drift lists them.",
            "Referencia: {n}. Las celdas que difieren se marcan; :diferencias las lista."
        ),
    );
    vec![]
}

/// `/` in the tab.
pub fn start_filter(state: &mut State) -> Vec<Request> {
    state.filter_input = Some(tui_input::Input::new(state.branches.filter.clone()));
    vec![]
}

/// Keys while the filter is typed: the table narrows as you type.
pub fn on_filter_key(state: &mut State, key: KeyEvent) -> Vec<Request> {
    let Some(mut input) = state.filter_input.take() else {
        return vec![];
    };
    match key.code {
        KeyCode::Esc => state.branches.filter.clear(),
        KeyCode::Enter => {}
        _ => {
            if edit(&mut input, &key) {
                state.branches.filter = input.value().to_string();
                state.branches.selected = 0;
                state.branches.offset = 0;
            }
            state.filter_input = Some(input);
        }
    }
    vec![]
}

/// Esc in the tab clears the filter.
pub fn clear_filter(state: &mut State) -> Vec<Request> {
    if !state.branches.filter.is_empty() {
        state.branches.filter.clear();
        let msg = state.lang.pick("Filter cleared", "Filtro borrado");
        say(state, msg);
    }
    vec![]
}

/// An action of a team's tables, refused here with the way there.
pub fn not_here(state: &mut State) -> Vec<Request> {
    let msg = state.lang.pick(
        "Not in the Branches tab: 1–5 open the current team's tabs, t another team.",
        "No en la pestaña Sucursales: 1–5 abren las pestañas del equipo, t otro equipo.",
    );
    complain(state, msg);
    vec![]
}

/// Space: marks the selected team for a bulk change (again: unmarks), and moves down.
pub fn mark(state: &mut State) -> Vec<Request> {
    let Some(id) = selected(state) else {
        return vec![];
    };
    let b = &mut state.branches;
    if !b.marked.remove(&id) {
        b.marked.insert(id);
    }
    step(state, 1)
}

/// `y`: the selected team's id to the clipboard (OSC 52), printable only.
pub fn copy(state: &mut State) -> Vec<Request> {
    let Some(id) = selected(state) else {
        return vec![];
    };
    crate::app::common::clipboard::copy(state, id.as_str())
}
