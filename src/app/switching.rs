//! Team switching as a transaction: a new generation, the team's own view shown at once,
//! loads for what its tab needs.

use super::state::{Popup, State};
use super::table::Load;
use super::update::say;
use super::{Dataset, Request};
use crate::api::TeamId;
use crate::t;

pub(super) fn find_team(state: &State, wanted: &str) -> Option<usize> {
    let w = wanted.trim();
    if w.is_empty() {
        return None;
    }
    state
        .teams
        .iter()
        .position(|t| {
            t.id.as_str() == w || t.name.eq_ignore_ascii_case(w) || t.rfc.eq_ignore_ascii_case(w)
        })
        .or_else(|| state.switcher_matches(w).first().copied())
}

/// A switch is a transaction: new generation, the team's own view (with whatever it
/// already holds) shown at once, loads for what the tab needs, older work dropped.
pub fn switch_to(state: &mut State, team: TeamId) -> Vec<Request> {
    state.generation += 1;
    // A team seen for the first time opens on the tab the operator is on; a team seen
    // before keeps its own tab, filter, sort and selection.
    let tab = state.current_view().map(|v| v.tab).unwrap_or_default();
    state.current = Some(team.clone());
    state.popup = Popup::None;
    state.filter_input = None;
    state
        .views
        .entry(team.clone())
        .or_insert_with(|| super::state::TeamView {
            tab,
            ..Default::default()
        });
    let name = state
        .current_team()
        .map(|t| t.name.clone())
        .unwrap_or_default();
    let msg = t!(state.lang, "Team «{name}»", "Equipo «{name}»");
    say(state, msg);
    let mut reqs = vec![
        Request::FocusTeam { team: team.clone() },
        Request::RememberTeam { team: team.clone() },
    ];
    reqs.extend(load_tab(state, LoadMode::Revalidate));
    reqs
}

/// Which datasets of the tab to (re)load.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum LoadMode {
    /// Bypass the cache (`r`).
    Force,
    /// A switch: every needed dataset asks the worker, which answers from its cache.
    Revalidate,
    /// A tab change: only datasets that never loaded or failed.
    Missing,
}

/// Requests for the datasets the current tab needs, marking them as loading.
pub(super) fn load_tab(state: &mut State, mode: LoadMode) -> Vec<Request> {
    let force = mode == LoadMode::Force;
    let Some(team) = state.current.clone() else {
        return vec![];
    };
    let generation = state.generation;
    let Some(view) = state.views.get_mut(&team) else {
        return vec![];
    };
    let wanted: Vec<Dataset> = match view.tab.dataset() {
        Some(d) => vec![d],
        None => vec![Dataset::Invoices, Dataset::Payments],
    };
    let mut reqs = Vec::new();
    for d in wanted {
        let (load, empty) = match d {
            Dataset::Clients => (&mut view.clients.load, view.clients.rows.is_empty()),
            Dataset::Invoices => (&mut view.invoices.load, view.invoices.rows.is_empty()),
            Dataset::Payments => (&mut view.payments.load, view.payments.rows.is_empty()),
        };
        let wanted = match mode {
            LoadMode::Force => true,
            // Stale-while-revalidate: the worker answers from its cache at once and
            // skips the network while that is fresh.
            LoadMode::Revalidate => *load != Load::Loading,
            LoadMode::Missing => empty && *load != Load::Loading || matches!(load, Load::Failed(_)),
        };
        if wanted {
            *load = Load::Loading;
            reqs.push(Request::Load {
                team: team.clone(),
                generation,
                dataset: d,
                force,
            });
        }
    }
    reqs
}
