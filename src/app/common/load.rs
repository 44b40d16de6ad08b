//! Which datasets to ask the worker for, and marking them as loading: for the current
//! tab (a switch, a tab change, `r`) and after a write.

use crate::app::data::table::Load;
use crate::app::msg::{Dataset, Request};
use crate::app::state::Asking;
use crate::app::state::State;

/// Which datasets of the tab to (re)load.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum LoadMode {
    /// Bypass the cache (`r`).
    Force,
    /// A switch: every needed dataset asks the worker, which answers from its cache.
    Revalidate,
    /// A tab change: only datasets that never loaded or failed.
    Missing,
}

/// Requests for the datasets the current tab needs, marking them as loading.
pub fn load_tab(state: &mut State, mode: LoadMode) -> Vec<Request> {
    let Some(view) = state.current.as_ref().and_then(|t| state.views.get(t)) else {
        return vec![];
    };
    let wanted: Vec<Dataset> = match view.tab.dataset() {
        Some(d) => vec![d],
        None => vec![Dataset::Invoices, Dataset::Payments],
    };
    load_datasets(state, &wanted, mode)
}

/// The current team's datasets that never loaded (or failed), whatever the tab.
pub fn load_tab_datasets(state: &mut State, wanted: &[Dataset]) -> Vec<Request> {
    load_datasets(state, wanted, LoadMode::Missing)
}

fn load_datasets(state: &mut State, wanted: &[Dataset], mode: LoadMode) -> Vec<Request> {
    let force = mode == LoadMode::Force;
    let Some(team) = state.current.clone() else {
        return vec![];
    };
    let generation = state.asked.current(Asking::Team);
    let Some(view) = state.views.get_mut(&team) else {
        return vec![];
    };
    let wanted = wanted.to_vec();
    let mut reqs = Vec::new();
    for d in wanted {
        let (load, empty) = match d {
            Dataset::Clients => (&mut view.clients.load, view.clients.rows.is_empty()),
            Dataset::Invoices => (&mut view.invoices.load, view.invoices.rows.is_empty()),
            Dataset::Payments => (&mut view.payments.load, view.payments.rows.is_empty()),
            Dataset::Receipts => (&mut view.receipts.load, view.receipts.rows.is_empty()),
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

/// Requests that reload what a write changed, for the current team.
pub fn reload(state: &mut State, datasets: &[Dataset]) -> Vec<Request> {
    let Some(team) = state.current.clone() else {
        return vec![];
    };
    let generation = state.asked.current(Asking::Team);
    let Some(view) = state.views.get_mut(&team) else {
        return vec![];
    };
    datasets
        .iter()
        .map(|d| {
            match d {
                Dataset::Clients => view.clients.load = Load::Loading,
                Dataset::Invoices => view.invoices.load = Load::Loading,
                Dataset::Payments => view.payments.load = Load::Loading,
                Dataset::Receipts => view.receipts.load = Load::Loading,
            }
            Request::Load {
                team: team.clone(),
                generation,
                dataset: *d,
                force: true,
            }
        })
        .collect()
}
