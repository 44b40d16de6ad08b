//! The clients' fiscal check (`:validate`): started on this team (or every team, in the
//! all-teams scope), its progress said, each team's answer kept and shown in its client
//! rows (the Fiscal check column and the filter), and the failing clients listed when the
//! run ends. Owns `state.fiscal`.

use crate::api::TeamId;
use crate::app::msg::Request;
use crate::app::state::{Asking, Popup, State, complain, say, team_name};
use crate::t;

/// `Validating`: the progress in the status line (of the run under way only).
pub fn progress(state: &mut State, generation: u64, done: usize, of: usize) {
    if state.fiscal.run.as_ref().map(|r| r.0) == Some(generation) {
        let msg = t!(
            state.lang,
            "Checking the clients' fiscal data: {done} / {of}…",
            "Revisando los datos fiscales de los clientes: {done} / {of}…"
        );
        say(state, msg);
    }
}

/// `Validated`: one team's answer kept (its client rows say it); when the last team of the
/// run answered, the failing clients are listed.
pub fn answered(
    state: &mut State,
    generation: u64,
    team: TeamId,
    result: Result<crate::app::data::fiscal::TeamCheck, crate::api::ApiError>,
) {
    let Some((run, waiting)) = state.fiscal.run.as_mut() else {
        return;
    };
    if *run != generation {
        return;
    }
    waiting.retain(|t| *t != team);
    let finished = waiting.is_empty();
    let lang = state.lang;
    match result {
        Ok(check) => {
            state.fiscal.results.insert(team.clone(), check);
            crate::app::common::fiscal_column::apply(state, &team);
        }
        Err(e) => {
            let name = team_name(state, &team);
            let e = e.describe(lang);
            complain(
                state,
                t!(
                    lang,
                    "The fiscal check of «{name}» could not run: {e}",
                    "La revisión fiscal de «{name}» no pudo correr: {e}"
                ),
            );
        }
    }
    if finished {
        state.fiscal.run = None;
        show(state);
    }
}

/// The fiscal check's failing clients of every checked team, in a list; the count said.
fn show(state: &mut State) {
    let lang = state.lang;
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut checked = 0;
    let mut teams: Vec<(&TeamId, &crate::app::data::fiscal::TeamCheck)> =
        state.fiscal.results.iter().collect();
    teams.sort_by_key(|(t, _)| team_name(state, t));
    for (team, check) in teams {
        checked += check.clients.len();
        let name = team_name(state, team);
        for c in check.failing().chain(check.unchecked()) {
            rows.push(vec![
                c.name.clone(),
                c.rfc.clone(),
                name.clone(),
                crate::app::data::fiscal::problems(&c.result, lang),
            ]);
        }
    }
    let unchecked: usize = state
        .fiscal
        .results
        .values()
        .map(|c| c.unchecked().count())
        .sum();
    let failing = rows.len() - unchecked;
    let mut msg = t!(
        lang,
        "Fiscal check: {failing} of {checked} clients fail.",
        "Revisión fiscal: {failing} de {checked} clientes fallan."
    );
    if unchecked > 0 {
        msg.push_str(&t!(
            lang,
            " {unchecked} could not be checked.",
            " No se pudieron revisar: {unchecked}."
        ));
    }
    say(state, msg);
    let team = state.current.clone().unwrap_or_default();
    let team_name = state
        .current_team()
        .map(|t| t.name.clone())
        .unwrap_or_default();
    state.popup = Popup::Listing(crate::app::data::account::ListingView {
        kind: crate::app::data::account::ListingKind::Fiscal,
        team,
        team_name,
        rows: Some(Ok(rows)),
        scroll: 0,
    });
}

/// `:validate`: every client of this team (or of every team, in the all-teams scope)
/// checked by gigstack; progress in the status line, the failing ones listed at the end.
pub fn start(state: &mut State) -> Vec<Request> {
    let teams: Vec<crate::api::TeamId> = if state.scope.on {
        state.teams.iter().map(|t| t.id.clone()).collect()
    } else {
        state.current.iter().cloned().collect()
    };
    if teams.is_empty() {
        let msg = state
            .lang
            .pick("No team selected", "Ningún equipo seleccionado");
        complain(state, msg);
        return vec![];
    }
    if state.offline {
        let msg = state.lang.pick(
            "offline: the fiscal check needs gigstack",
            "sin conexión: la revisión fiscal necesita a gigstack",
        );
        complain(state, msg);
        return vec![];
    }
    let generation = state.asked.again(Asking::Fiscal);
    state.fiscal.run = Some((generation, teams.clone()));
    let n = teams.len();
    let msg = t!(
        state.lang,
        "Checking the clients' fiscal data of {n} team(s)…",
        "Revisando los datos fiscales de los clientes de {n} equipo(s)…"
    );
    say(state, msg);
    vec![Request::Validate { generation, teams }]
}
