//! The all-teams scope (`a`): the Clients, Invoices and Payments tabs show every team's
//! rows in one table with a Team column, loaded team by team (each request scoped to its
//! team, most from the cache the Group tab filled). `a` again, `:team`, `]` or `[` go
//! back to one team.

use crate::app::data::dataset::Dataset;
use crate::app::msg::Request;
use crate::app::state::Asking;
use crate::app::state::{State, Tab, complain, say};
use crate::t;

/// `a`: this team ↔ all teams.
pub fn toggle(state: &mut State) -> Vec<Request> {
    if state.scope.on {
        return leave(state);
    }
    if state.teams.len() < 2 {
        let msg = state.lang.pick(
            "All teams needs more than one team.",
            "Todos los equipos necesita más de un equipo.",
        );
        complain(state, msg);
        return vec![];
    }
    state.scope.on = true;
    state.filter_input = None;
    let msg = state.lang.pick(
        "All teams: every team's rows, with their team; a goes back.",
        "Todos los equipos: las filas de cada equipo, con su equipo; a regresa.",
    );
    say(state, msg);
    load(state)
}

/// Back to the current team's own tables.
pub fn leave(state: &mut State) -> Vec<Request> {
    if state.scope.on {
        state.scope.on = false;
        state.filter_input = None;
        let msg = state
            .current_team()
            .map(|t| t.name.clone())
            .unwrap_or_default();
        let msg = t!(state.lang, "Team «{msg}» only", "Solo el equipo «{msg}»");
        say(state, msg);
    }
    vec![]
}

/// Asks every team for the shown tab's dataset (each scoped to its team); the worker
/// answers from its cache where it can.
pub fn load(state: &mut State) -> Vec<Request> {
    ask(state, false)
}

/// `r` in the scope: every team's rows of the shown tab again, from gigstack.
pub fn reload(state: &mut State) -> Vec<Request> {
    if let Some(dataset) = state.current_view().and_then(|v| v.tab.dataset()) {
        state.scope.loaded.retain(|(_, d)| *d != dataset);
        let msg = state
            .lang
            .pick("Refreshing every team…", "Actualizando todos los equipos…");
        say(state, msg);
    }
    ask(state, true)
}

fn ask(state: &mut State, force: bool) -> Vec<Request> {
    if !state.scope.on {
        return vec![];
    }
    let Some(dataset) = state.current_view().and_then(|v| v.tab.dataset()) else {
        return vec![];
    };
    let generation = state.asked.current(Asking::Team);
    state
        .teams
        .iter()
        .filter(|t| !state.scope.loaded.contains(&(t.id.clone(), dataset)))
        .map(|t| Request::Load {
            team: t.id.clone(),
            generation,
            dataset,
            force,
        })
        .collect()
}

/// Teams whose rows of the shown tab are in, of all.
pub fn progress(state: &State) -> Option<(usize, usize)> {
    let tab = state.current_view()?.tab;
    let dataset: Dataset = tab.dataset()?;
    (state.scope.on && tab != Tab::Overview)
        .then(|| (state.scope.teams_in(dataset), state.teams.len()))
}
