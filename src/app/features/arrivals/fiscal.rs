//! The fiscal check's answers in the app (`:validate`): progress said, each team's result
//! kept and shown in its client rows (the Fiscal check column and the filter), and the
//! failing clients listed when the run ends. A helper of `arrivals`.

use std::sync::Arc;

use crate::api::TeamId;
use crate::app::data::documents::Row;
use crate::app::state::{Popup, State, complain, say, team_name};
use crate::t;

/// `Validating`: the progress in the status line (of the run under way only).
pub fn progress(state: &mut State, generation: u64, done: usize, of: usize) {
    if state.fiscal_run.as_ref().map(|r| r.0) == Some(generation) {
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
    let Some((run, waiting)) = state.fiscal_run.as_mut() else {
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
            state.fiscal.insert(team.clone(), check);
            apply(state, &team);
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
        state.fiscal_run = None;
        show(state);
    }
}

/// The fiscal check's failing clients of every checked team, in a list; the count said.
fn show(state: &mut State) {
    let lang = state.lang;
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut checked = 0;
    let mut teams: Vec<(&TeamId, &crate::app::data::fiscal::TeamCheck)> =
        state.fiscal.iter().collect();
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
    let unchecked: usize = state.fiscal.values().map(|c| c.unchecked().count()).sum();
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

/// The team's client rows with the fiscal check's word for each (its column and filter).
pub fn apply(state: &mut State, team: &TeamId) {
    let lang = state.lang;
    let Some(check) = state.fiscal.get(team) else {
        return;
    };
    let said: std::collections::HashMap<&str, String> = check
        .clients
        .iter()
        .map(|c| {
            let word = match &c.result {
                Ok(crate::api::FiscalCheck::Valid) => lang.pick("✓ valid", "✓ válido").to_string(),
                other => crate::app::data::fiscal::problems(other, lang),
            };
            (c.id.as_str(), word)
        })
        .collect();
    let height = state.table_height();
    let Some(view) = state.views.get_mut(team) else {
        return;
    };
    let rows: Vec<crate::app::data::documents::ClientRow> = view
        .clients
        .rows
        .iter()
        .map(|r| match said.get(r.id()) {
            Some(w) => r.with_fiscal(w),
            None => r.clone(),
        })
        .collect();
    view.clients.set_rows(Arc::new(rows));
    view.clients.scroll_into_view(height);
}
