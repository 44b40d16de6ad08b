//! Team switching as a transaction: a new generation, the team's own view shown at once,
//! loads for what its tab needs.

use crate::api::TeamId;
use crate::app::common::load::{LoadMode, load_tab};
use crate::app::msg::Request;
use crate::app::state::Asking;
use crate::app::state::{Popup, State, say};
use crate::t;

/// A switch is a transaction: new generation, the team's own view (with whatever it
/// already holds) shown at once, loads for what the tab needs, older work dropped.
pub fn switch_to(state: &mut State, team: TeamId) -> Vec<Request> {
    state.asked.again(Asking::Team);
    // A team seen for the first time opens on the tab the operator is on; a team seen
    // before keeps its own tab, filter, sort and selection.
    let tab = state.current_view().map(|v| v.tab).unwrap_or_default();
    state.current = Some(team.clone());
    state.popup = Popup::None;
    state.filter_input = None;
    state
        .views
        .entry(team.clone())
        .or_insert_with(|| crate::app::state::TeamView {
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

/// `]` and `[`: the next or previous team of the list, wrapping around.
pub fn step(state: &mut State, forward: bool) -> Vec<Request> {
    let n = state.teams.len();
    if n == 0 {
        return vec![];
    }
    let i = state.current_index().unwrap_or(0);
    let next = if forward {
        (i + 1) % n
    } else {
        (i + n - 1) % n
    };
    let id = state.teams[next].id.clone();
    switch_to(state, id)
}
