//! The `:complements` list of a team: its owed payment complements as printable cells,
//! once its invoices and payments are both loaded. A helper of `popups` (which opens it)
//! and `arrivals` (which fills it when the rows come).

use crate::api::{Amount, TeamId};
use crate::app::data::account::{ListingKind, ListingView};
use crate::app::data::complements;
use crate::app::data::table::Load;
use crate::app::state::{Popup, State};
use crate::t;

/// The cells, or `None` while the team's invoices or payments are not loaded.
pub fn cells(state: &State, team: &TeamId) -> Option<Vec<Vec<String>>> {
    let view = state.views.get(team)?;
    if view.invoices.load != Load::Loaded || view.payments.load != Load::Loaded {
        return None;
    }
    let now = view.now.max(1);
    let l = state.lang;
    let owed = complements::owed(&view.invoices.rows, &view.payments.rows, now);
    Some(
        owed.iter()
            .map(|o| {
                let deadline = l.date(o.deadline);
                let deadline = if o.overdue {
                    t!(l, "{deadline} late", "{deadline} venc.")
                } else {
                    deadline
                };
                let money = |d| Amount(d).display(&o.currency);
                vec![
                    deadline,
                    crate::text::printable(&o.folio),
                    crate::text::printable(&o.client),
                    complements::local_date(o.paid_at)
                        .map(|d| l.date(d))
                        .unwrap_or_default(),
                    money(o.amount),
                    format!("{}", o.installment),
                    money(o.previous_balance),
                ]
            })
            .collect(),
    )
}

/// Fills an open `:complements` list waiting for its team's rows.
pub fn refresh_open(state: &mut State) {
    let team = match &state.popup {
        Popup::Listing(ListingView {
            kind: ListingKind::Complements,
            team,
            ..
        }) => team.clone(),
        _ => return,
    };
    let rows = cells(state, &team);
    if let Popup::Listing(l) = &mut state.popup
        && rows.is_some()
    {
        l.rows = rows.map(Ok);
    }
}
