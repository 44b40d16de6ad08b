//! Writes under way, shared by single and bulk writes: the rows they lock, the keys of
//! writes that may be retried, the sequence idempotency keys are made from, and the bulk
//! run in progress and the last one (for `:retry`).

use std::collections::{BTreeSet, HashMap};

use rust_decimal::Decimal;

use super::kinds::{WriteKind, WriteRequest};
use crate::api::TeamId;

#[derive(Clone, Debug, Default)]
pub struct Writes {
    /// A per-run nonce; with `seq` it makes idempotency keys without a clock.
    pub session: String,
    pub seq: u64,
    /// Objects whose write is in flight: their rows are locked.
    pub in_flight: BTreeSet<String>,
    /// Keys of writes that failed on the way (network, timeout), reused if retried.
    pub retry_keys: HashMap<String, String>,
    /// The bulk run in progress.
    pub bulk: Option<BulkRun>,
    /// The last finished bulk run, for `:retry` of its failed rows.
    pub last_bulk: Option<BulkRun>,
}

impl Writes {
    /// The idempotency key of a write of `slug` on the row locked as `lock`: the key of an
    /// earlier try whose answer never came (so it cannot apply twice), else the next new
    /// one — `true` when new, and then `take` must be called once the dialog opens.
    pub fn key_for(&self, lock: &str, slug: &str) -> (String, bool) {
        match self.retry_keys.get(lock) {
            Some(key) => (key.clone(), false),
            None => (self.peek(slug), true),
        }
    }

    /// The next new key, not yet taken.
    pub fn peek(&self, slug: &str) -> String {
        format!("gigdash_{}_{slug}_{}", self.session, self.seq + 1)
    }

    /// Takes the key `peek` showed.
    pub fn take(&mut self) {
        self.seq += 1;
    }
}

/// One marked row of a bulk write, as its confirmation lists it.
#[derive(Clone, Debug)]
pub struct BulkItem {
    pub team: TeamId,
    pub team_name: String,
    pub id: String,
    pub client: String,
    pub amount_text: String,
    pub total_mxn: Decimal,
    pub currency: String,
}

/// A bulk run in progress.
#[derive(Clone, Debug)]
pub struct BulkRun {
    pub kind: WriteKind,
    pub ids: BTreeSet<String>,
    pub total: usize,
    pub ok: usize,
    pub failed: Vec<(String, String)>,
    /// Every row of the run with its request and idempotency key, by object id: the
    /// summary groups by team, and a retry of the failed ones reuses their keys.
    pub items: Vec<(BulkItem, WriteRequest, String)>,
    /// Per team name: (done, failed).
    pub by_team: std::collections::BTreeMap<String, (usize, usize)>,
}
