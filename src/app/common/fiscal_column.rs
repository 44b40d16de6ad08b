//! The fiscal check's word in a team's client rows (its column, and what `/` finds): put
//! when a team's answer arrives (`features::fiscal`) and again when its clients are read
//! again (`features::arrivals`).

use std::sync::Arc;

use crate::api::TeamId;
use crate::app::data::documents::Row;
use crate::app::state::State;

/// The team's client rows with the fiscal check's word for each (its column and filter).
pub fn apply(state: &mut State, team: &TeamId) {
    let lang = state.lang;
    let Some(check) = state.fiscal.results.get(team) else {
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
