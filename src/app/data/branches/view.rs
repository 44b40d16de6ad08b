//! The Branches tab's own view of the facts: each row's state, the order, cursor, filter,
//! reference and marks, and the counts its title line says.

use std::collections::BTreeSet;

use rust_decimal::Decimal;

use super::{Branch, LOW_CREDITS, Problem};
use crate::api::{TeamConfig, TeamId};

/// How a row of the Branches tab stands.
#[derive(Clone, Debug, PartialEq)]
pub enum BranchState {
    Loading,
    Loaded,
    Failed(String),
}

/// One row of the tab: its facts (once loaded) and its raw configuration (Enter shows it).
#[derive(Clone, Debug)]
pub struct BranchRow {
    pub state: BranchState,
    pub branch: Option<Branch>,
    pub config: Option<Box<TeamConfig>>,
}

/// The Branches tab's own view.
#[derive(Clone, Debug, Default)]
pub struct BranchesView {
    pub open: bool,
    pub rows: std::collections::HashMap<TeamId, BranchRow>,
    /// The order the rows arrived in the team list (teams the app did not know included).
    pub order: Vec<TeamId>,
    /// (column, descending); column 0 is the state (worst first).
    pub sort: (usize, bool),
    pub filter: String,
    pub selected: usize,
    pub offset: usize,
    /// The team the others are compared with (`R`).
    pub reference: Option<TeamId>,
    /// Credits under this are low (the config's `low_credits`).
    pub low_credits: Option<Decimal>,
    /// Teams marked (Space) for a bulk change.
    pub marked: BTreeSet<TeamId>,
}

impl BranchesView {
    pub fn low(&self) -> Decimal {
        self.low_credits.unwrap_or(Decimal::from(LOW_CREDITS))
    }

    /// The loaded branches, in the list's order.
    pub fn branches(&self) -> impl Iterator<Item = &Branch> {
        self.order
            .iter()
            .filter_map(|id| self.rows.get(id)?.branch.as_ref())
    }

    pub fn reference_branch(&self) -> Option<&Branch> {
        self.rows.get(self.reference.as_ref()?)?.branch.as_ref()
    }
}

/// The counts the header says: (cannot invoice, CSD expired or missing, CSD within 30
/// days, low or no credits, needing attention at all).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub cannot_invoice: usize,
    pub cannot_tell: usize,
    pub csd_expired: usize,
    pub csd_soon: usize,
    pub low_credits: usize,
    pub attention: usize,
}

pub fn counts<'a>(branches: impl Iterator<Item = &'a Branch>) -> Counts {
    let mut c = Counts::default();
    for b in branches {
        c.cannot_invoice += usize::from(b.cannot_invoice());
        c.cannot_tell += usize::from(!b.cannot_invoice() && b.cannot_tell());
        c.csd_expired += usize::from(b.csd_expired());
        c.csd_soon += usize::from(b.csd_soon());
        c.low_credits += usize::from(
            b.problems
                .iter()
                .any(|p| matches!(p, Problem::NoCredits | Problem::LowCredits(_))),
        );
        c.attention += usize::from(!b.problems.is_empty());
    }
    c
}
