//! Going to a row: open its team (unless it is the one open) on the dataset's tab and
//! select it, now if its table holds it, else when its rows arrive.

use crate::api::TeamId;
use crate::app::data::documents::Row;
use crate::app::data::search::FindHit;
use crate::app::data::table::Table;
use crate::app::input::action::Action;
use crate::app::msg::{Dataset, Request};
use crate::app::state::{Intent, State, Tab, complain, say};
use crate::t;

/// Opens `team` on the dataset's tab and selects the row `id` once the rows are there.
pub fn jump_to(state: &mut State, team: TeamId, dataset: Dataset, id: String) -> Vec<Request> {
    let hit = FindHit {
        team,
        dataset,
        id,
        label: String::new(),
    };
    let name = state
        .teams
        .iter()
        .find(|t| t.id == hit.team)
        .map(|t| t.name.clone());
    let Some(name) = name else {
        let msg = state.lang.pick(
            "That team is no longer reachable.",
            "Ese equipo ya no es alcanzable.",
        );
        complain(state, msg);
        return vec![];
    };
    state.jump = Some((hit.team.clone(), hit.dataset, hit.id.clone()));
    let tab = match hit.dataset {
        Dataset::Clients => Tab::Clients,
        Dataset::Invoices => Tab::Invoices,
        Dataset::Payments => Tab::Payments,
        Dataset::Receipts => Tab::Receipts,
    };
    // The team already open stays as it is (a switch would drop the loads in flight);
    // another team is switched to.
    let here = state.current.as_ref() == Some(&hit.team) && !state.group.open && !state.scope.on;
    if !here {
        state.intents.push(Intent::SwitchTo(hit.team));
    }
    state.intents.push(Intent::Run(Action::GoTab(tab)));
    if here {
        jump_now(state);
    }
    let msg = t!(state.lang, "Found in «{name}»", "Encontrado en «{name}»");
    say(state, msg);
    vec![]
}

/// A jump within the team already open: the row is selected now if its table holds it
/// (else when its rows arrive). True when it was.
pub fn jump_now(state: &mut State) -> bool {
    let Some((team, dataset, id)) = state.jump.clone() else {
        return false;
    };
    let height = state.table_height();
    let Some(view) = state.views.get_mut(&team) else {
        return false;
    };
    let has = match dataset {
        Dataset::Clients => view.clients.rows.iter().any(|r| r.id() == id),
        Dataset::Invoices => view.invoices.rows.iter().any(|r| r.id() == id),
        Dataset::Payments => view.payments.rows.iter().any(|r| r.id() == id),
        Dataset::Receipts => view.receipts.rows.iter().any(|r| r.id() == id),
    };
    if !has {
        return false;
    }
    match dataset {
        Dataset::Clients => crate::app::common::jump::select_id(&mut view.clients, &id, height),
        Dataset::Invoices => crate::app::common::jump::select_id(&mut view.invoices, &id, height),
        Dataset::Payments => crate::app::common::jump::select_id(&mut view.payments, &id, height),
        Dataset::Receipts => crate::app::common::jump::select_id(&mut view.receipts, &id, height),
    }
    state.jump = None;
    true
}

/// Selects the row with `id` (clearing a filter that hides it), for a find's jump.
pub fn select_id<R: Row>(table: &mut Table<R>, id: &str, height: usize) {
    if !table.filter.is_empty() {
        table.set_filter("");
    }
    if let Some(pos) = table
        .view
        .iter()
        .position(|i| table.rows[*i as usize].id() == id)
    {
        table.selected = pos;
        table.scroll_into_view(height);
    }
}
