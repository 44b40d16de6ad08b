//! The worker's seam to the store: reading a team's last-known rows and figures, keeping
//! what the API answered, and the two switches around it — the store is off (none, or it
//! failed once: said once, then the run goes on without persisting) and gigstack is
//! unreachable (OFFLINE: reads come from the store, writes are refused).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use tokio::sync::mpsc::UnboundedSender;

use super::shape::Shape;
use crate::api::{ApiError, Team, TeamId};
use crate::app::Update;
use crate::app::data::documents::Row;
use crate::app::data::group_figures::{OVERDUE_DAYS, TeamFigures};
use crate::i18n::Lang;
use crate::store::{Doc, Facts, Store, StoredFigures, Synced, Window};

/// A complete read is due when the last one is older than this (deletions on the server,
/// and the changes no status list shows — an edited client, a partial refund — are seen
/// then, or at once with `:refresh all` and `gigdash sync --full`).
pub(crate) const FULL_EVERY_SECS: i64 = 3 * 86_400;

/// The note that says when the last dashboard session ended (the store is per key).
pub const SESSION_END: &str = "session_end";

#[derive(Clone)]
pub(crate) struct Kept {
    store: Option<Arc<Store>>,
    /// `--offline`: the network is never asked.
    pub(crate) offline_only: bool,
    /// The store failed a write: no more writes to that file. Kept as the file's generation
    /// plus one (0: no failure): a failure on a file found damaged and moved aside since is
    /// forgiven, since the store now writes to a new file.
    broken: Arc<AtomicU64>,
    /// gigstack could not be reached by the last read.
    offline: Arc<AtomicBool>,
    /// This run's fiscal checks: clients failing per team (the store keeps them too).
    fiscal: Arc<std::sync::Mutex<std::collections::HashMap<TeamId, usize>>>,
    tx: UnboundedSender<Update>,
    lang: Lang,
}

pub(crate) fn now() -> i64 {
    jiff::Timestamp::now().as_second()
}

impl Kept {
    pub(crate) fn new(
        store: Option<Arc<Store>>,
        offline_only: bool,
        tx: UnboundedSender<Update>,
        lang: Lang,
    ) -> Self {
        Kept {
            store,
            offline_only,
            broken: Arc::new(AtomicU64::new(0)),
            offline: Arc::new(AtomicBool::new(offline_only)),
            fiscal: Default::default(),
            tx,
            lang,
        }
    }

    /// A store write failed this run.
    pub(crate) fn is_broken(&self) -> bool {
        let at = self.broken.load(Ordering::Relaxed);
        at != 0 && at - 1 == self.generation()
    }

    /// gigstack could not be reached by the last read (or `--offline`).
    pub(crate) fn is_offline(&self) -> bool {
        self.offline.load(Ordering::Relaxed)
    }

    /// How many times the store's file was found damaged and begun anew this run.
    pub(crate) fn generation(&self) -> u64 {
        self.store.as_deref().map_or(0, Store::generation)
    }

    pub(crate) fn has_store(&self) -> bool {
        self.store.is_some()
    }

    /// A read failed (`Err`) or answered (`Ok`): OFFLINE starts when gigstack cannot be
    /// reached at all, and ends at the first answer.
    pub(crate) fn heard<T>(&self, result: &Result<T, ApiError>) {
        let unreachable = match result {
            Ok(_) => false,
            Err(e) => e.is_unreachable(),
        };
        if result.is_err() && !unreachable {
            return;
        }
        let was = self.offline.swap(unreachable, Ordering::Relaxed);
        if was != unreachable && !self.offline_only {
            let _ = self.tx.send(Update::Offline {
                offline: unreachable,
            });
        }
    }

    fn fail(&self, what: &str, e: impl std::fmt::Display) {
        let at = self.generation() + 1;
        if self.broken.swap(at, Ordering::Relaxed) != at {
            tracing::warn!("store: {what}: {e}");
            let msg = crate::t!(
                self.lang,
                "The store could not {what} ({e}); gigdash goes on without keeping data on disk.",
                "El almacén local no pudo {what} ({e}); gigdash sigue sin guardar datos en disco."
            );
            let _ = self.tx.send(Update::StoreNotice(msg));
        }
    }

    /// A write's outcome: a failure is said once (and writes stop); a damaged file moved
    /// aside during it is said once too.
    fn saved(&self, store: &Store, result: crate::store::Result<()>) {
        if let Some(n) = store.take_notice() {
            let _ = self.tx.send(Update::StoreNotice(n));
        }
        if let Err(e) = result {
            self.fail("save", e);
        }
    }

    fn writable(&self) -> Option<&Store> {
        self.store.as_deref().filter(|_| !self.is_broken())
    }

    pub(crate) fn synced<S: Shape>(&self, team: &TeamId) -> Option<Synced> {
        let store = self.store.as_deref()?;
        store.synced(team, S::KIND).ok().flatten()
    }

    /// The team's stored rows, newest first (`limit` for the first screen).
    pub(crate) fn rows<S: Shape>(
        &self,
        team: &TeamId,
        limit: Option<usize>,
    ) -> Option<Vec<S::Row>> {
        let store = self.store.as_deref()?;
        let read = match limit {
            Some(l) => store
                .docs::<S::Api>(team, S::KIND, Some(l))
                .map(|docs| S::convert_all(&docs, self.lang)),
            None => {
                let mut rows = Vec::new();
                store
                    .each_batch::<S::Api>(team, S::KIND, 1000, |docs| {
                        rows.extend(S::convert_all(&docs, self.lang))
                    })
                    .map(|_| {
                        // Grown by doubling: up to half of it unused, kept as long as
                        // the team is open (17 MB of a 170,000-invoice team's).
                        rows.shrink_to_fit();
                        rows
                    })
            }
        };
        match read {
            Ok(rows) => Some(rows),
            Err(e) => {
                tracing::warn!("store: reading {}: {e}", S::KIND.name());
                None
            }
        }
    }

    pub(crate) fn doc<S: Shape>(&self, team: &TeamId, id: &str) -> Option<S::Api> {
        self.store.as_deref()?.doc(team, S::KIND, id).ok().flatten()
    }

    /// Keeps what the API answered; `complete` drops the stored ones it no longer has.
    pub(crate) fn keep<S: Shape>(
        &self,
        team: &TeamId,
        items: &[S::Api],
        rows: &[S::Row],
        complete: bool,
    ) {
        let facts: Vec<(String, Facts)> = rows
            .iter()
            .map(|r| (r.id().to_string(), S::facts(r)))
            .collect();
        self.keep_facts::<S>(team, items, facts, complete);
    }

    /// `keep` with each document's id and facts already drawn from its row (a page kept
    /// on a blocking thread while the next one is fetched).
    pub(crate) fn keep_facts<S: Shape>(
        &self,
        team: &TeamId,
        items: &[S::Api],
        facts: Vec<(String, Facts)>,
        complete: bool,
    ) {
        let Some(store) = self.writable() else { return };
        let (ids, facts): (Vec<String>, Vec<Facts>) = facts.into_iter().unzip();
        let docs: Vec<Doc<'_, S::Api>> = items
            .iter()
            .zip(&ids)
            .zip(facts)
            .map(|((body, id), facts)| Doc { id, body, facts })
            .collect();
        self.saved(store, store.put_docs(team, S::KIND, &docs, complete, now()));
    }

    /// A complete read ended with these ids: the others go.
    pub(crate) fn prune<S: Shape>(&self, team: &TeamId, keep: impl Fn(&str) -> bool) {
        let Some(store) = self.writable() else { return };
        self.saved(store, store.prune(team, S::KIND, keep, now()).map(|_| ()));
    }

    /// Stored ids of (team, kind) that an incremental read looks at (see `Which`); none
    /// without a store or when it cannot be read.
    pub(crate) fn ids<S: Shape>(
        &self,
        team: &TeamId,
        which: crate::store::Which<'_>,
    ) -> Vec<String> {
        let Some(store) = self.store.as_deref() else {
            return vec![];
        };
        store.ids_where(team, S::KIND, which).unwrap_or_else(|e| {
            tracing::warn!("store: reading {} ids: {e}", S::KIND.name());
            vec![]
        })
    }

    /// How many stored documents of (team, kind) have one of `statuses`; `None` when the
    /// store cannot say.
    pub(crate) fn count_status<S: Shape>(&self, team: &TeamId, statuses: &[&str]) -> Option<u64> {
        self.store
            .as_deref()?
            .count_status(team, S::KIND, statuses)
            .ok()
    }

    /// The stored status of those of `ids` that are stored.
    pub(crate) fn statuses<S: Shape>(
        &self,
        team: &TeamId,
        ids: &[&str],
    ) -> std::collections::HashMap<String, Option<String>> {
        let Some(store) = self.store.as_deref() else {
            return Default::default();
        };
        store.statuses(team, S::KIND, ids).unwrap_or_default()
    }

    /// Stored documents of (team, `kind`) to read again by id at their next read.
    pub(crate) fn mark_stale(&self, team: &TeamId, kind: crate::store::Kind, ids: &[String]) {
        let Some(store) = self.writable() else { return };
        self.saved(store, store.mark_stale(team, kind, ids));
    }

    /// Documents the server answered 404 for: they go.
    pub(crate) fn remove<S: Shape>(&self, team: &TeamId, ids: &[String]) {
        let Some(store) = self.writable() else { return };
        self.saved(store, store.remove(team, S::KIND, ids));
    }

    /// One document a write changed.
    pub(crate) fn keep_one<S: Shape>(&self, team: &TeamId, item: &S::Api) {
        let row = S::convert(item, self.lang);
        let Some(store) = self.writable() else { return };
        let doc = Doc {
            id: row.id(),
            body: item,
            facts: S::facts(&row),
        };
        self.saved(store, store.put_doc(team, S::KIND, doc));
    }

    /// A team's fiscal check ended with `failing` clients (their ids and names as JSON).
    pub(crate) fn remember_fiscal(&self, team: &TeamId, failing: &[serde_json::Value]) {
        if let Ok(mut m) = self.fiscal.lock() {
            m.insert(team.clone(), failing.len());
        }
        self.remember(
            &crate::app::data::fiscal::note_key(team),
            &serde_json::Value::Array(failing.to_vec()).to_string(),
        );
    }

    /// How many clients failed the team's last fiscal check (this run's, else the store's).
    pub(crate) fn fiscal_failing(&self, team: &TeamId) -> Option<usize> {
        if let Some(n) = self.fiscal.lock().ok().and_then(|m| m.get(team).copied()) {
            return Some(n);
        }
        let (v, _) = self
            .store
            .as_deref()?
            .recall(&crate::app::data::fiscal::note_key(team))
            .ok()
            .flatten()?;
        crate::app::data::fiscal::failing_count(&v)
    }

    /// A remembered result (the fiscal check's), with today's date.
    pub(crate) fn remember(&self, key: &str, value: &str) {
        if let Some(store) = self.writable() {
            self.saved(store, store.remember(key, value, now()));
        }
    }

    /// The store, to read (none without one).
    pub(crate) fn store(&self) -> Option<&Store> {
        self.store.as_deref()
    }

    /// Runs a write of the store, if it can be written, and says once if it fails.
    pub(crate) fn with_writable(&self, f: impl FnOnce(&Store) -> crate::store::Result<()>) {
        if let Some(store) = self.writable() {
            self.saved(store, f(store));
        }
    }

    /// When the last dashboard session with this key ended (epoch seconds).
    pub(crate) fn last_session_end(&self) -> Option<i64> {
        let (v, _) = self.store.as_deref()?.recall(SESSION_END).ok().flatten()?;
        v.parse().ok()
    }

    /// A dashboard session ends now.
    pub(crate) fn end_session(&self) {
        self.remember(SESSION_END, &now().to_string());
    }

    pub(crate) fn keep_teams(&self, teams: &[Team]) {
        if let Some(store) = self.writable() {
            self.saved(store, store.put_teams(teams, now()));
        }
    }

    pub(crate) fn teams(&self) -> Option<Vec<Team>> {
        let teams = self.store.as_deref()?.teams().ok()?;
        (!teams.is_empty()).then_some(teams)
    }

    /// Every stored team's figures (or one team's), as the Group tab shows them.
    pub(crate) fn figures(&self, team: Option<&TeamId>) -> Vec<(TeamId, TeamFigures, i64)> {
        let Some(store) = self.store.as_deref() else {
            return Vec::new();
        };
        match store.figures(Window::at(now(), OVERDUE_DAYS), team) {
            Ok(all) => all
                .into_iter()
                .map(|(t, f)| {
                    let at = f.as_of;
                    let mut figs = figures(f);
                    // The complements owed. One team (after its sync): computed from its
                    // invoices still owing and their payments, one invoice at a time, as
                    // `:complements` counts them, and remembered. Every team at once (the first frame): what
                    // was remembered, or unknown — decoding a million documents' worth of
                    // owing invoices would take seconds.
                    let key = format!("complements:{t}");
                    let counted = if team.is_some() {
                        super::complements::count_owed(store, &t, self.lang, now())
                            .ok()
                            .inspect(|(owed, late)| {
                                if let Some(w) = self.writable() {
                                    self.saved(
                                        w,
                                        w.remember(&key, &format!("{owed} {late}"), now()),
                                    );
                                }
                            })
                    } else {
                        store.recall(&key).ok().flatten().and_then(|(v, _)| {
                            let mut it = v.split(' ').filter_map(|n| n.parse::<usize>().ok());
                            Some((it.next()?, it.next()?))
                        })
                    };
                    match counted {
                        Some((owed, late)) => {
                            figs.complements_owed = owed;
                            figs.complements_late = late;
                        }
                        None => figs.complements_unknown = true,
                    }
                    (t, figs, at)
                })
                .collect(),
            Err(e) => {
                tracing::warn!("store: figures: {e}");
                Vec::new()
            }
        }
    }
}

fn figures(f: StoredFigures) -> TeamFigures {
    TeamFigures {
        invoiced_month: f.invoiced_month,
        collected_month: f.collected_month,
        to_collect: f.to_collect,
        to_collect_amount: f.to_collect_amount,
        overdue_amount: f.overdue_amount,
        ppd_owed: f.ppd_owed,
        cancellations_waiting: f.cancellations_waiting,
        invoices: f.invoices,
        payments: f.payments,
        complements_owed: 0,
        complements_late: 0,
        complements_unknown: false,
    }
}
