//! Reading one (team, kind) from gigstack into the store: complete (every page; what the
//! server no longer has leaves the store) or incremental (what is new since the newest
//! stored document, and again everything since the oldest one whose status can still
//! change — a pending payment, a PPD invoice with a balance, a cancellation waiting).
//! Shared by the tables, the Group tab and `gigdash sync`.

use std::collections::HashSet;

use futures::StreamExt;

use super::kept::{FULL_EVERY_SECS, Kept, now};
use super::shape::Shape;
use crate::api::{ApiClient, ApiError, ListQuery, TeamId};
use crate::app::data::documents::Row;
use crate::i18n::Lang;

/// How a read goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Incremental when the store has a recent complete read, else complete.
    Auto,
    /// Every page.
    Complete,
    /// Every page, into the store only: no rows are kept in memory (`gigdash sync`).
    CompleteStoreOnly,
    /// Incremental, into the store only.
    AutoStoreOnly,
}

impl Mode {
    fn keeps_rows(self) -> bool {
        matches!(self, Mode::Auto | Mode::Complete)
    }
}

/// What a read brought.
pub(crate) struct Read<R> {
    /// The rows the API sent (all of them when `complete`); none in a store-only mode.
    pub rows: Vec<R>,
    /// How many documents the API sent.
    pub count: usize,
    pub complete: bool,
    pub total: Option<u64>,
}

/// The query for this read, and whether it is complete.
pub(crate) fn plan<S: Shape>(kept: &Kept, team: &TeamId, mode: Mode) -> (ListQuery, bool) {
    let synced = kept.synced::<S>(team);
    let recent_full = synced
        .as_ref()
        .and_then(|s| s.full_at)
        .is_some_and(|f| (now() - f).abs() < FULL_EVERY_SECS);
    match (mode, synced) {
        (Mode::Auto | Mode::AutoStoreOnly, Some(s)) if recent_full => {
            // A clock that went backwards only makes the window wider.
            let since = match (s.newest, s.oldest_open) {
                (Some(n), Some(o)) => Some(n.min(o)),
                (n, o) => n.or(o),
            };
            (
                ListQuery {
                    created_gte: since,
                    ..ListQuery::default()
                },
                false,
            )
        }
        _ => (ListQuery::default(), true),
    }
}

/// Reads (team, kind) from gigstack, keeping every page in the store as it arrives;
/// `on_page(rows, total)` sees each page (the tables stream a first load).
pub(crate) async fn read<S: Shape>(
    client: &ApiClient,
    kept: &Kept,
    team: &TeamId,
    mode: Mode,
    lang: Lang,
    mut on_page: impl FnMut(&[S::Row], Option<u64>, bool),
    mut waiting: impl FnMut(u64),
) -> Result<Read<S::Row>, ApiError> {
    let (query, complete) = plan::<S>(kept, team, mode);
    let mut pages = std::pin::pin!(client.list_all::<S::Api>(team.clone(), S::RESOURCE, query));
    let mut rows: Vec<S::Row> = Vec::new();
    let mut ids: HashSet<String> = HashSet::new();
    let mut count = 0;
    let mut total = None;
    // The previous page being kept, on a blocking thread, while this one is fetched: a
    // first read of a big team no longer waits for the disk between pages. One at a time,
    // in order.
    let mut keeping: Option<tokio::task::JoinHandle<()>> = None;
    loop {
        let mut waited = 0;
        let page = loop {
            match tokio::time::timeout(SLOW_NOTICE, pages.next()).await {
                Ok(p) => break p,
                Err(_) => {
                    waited += SLOW_NOTICE.as_secs();
                    waiting(waited);
                }
            }
        };
        let Some(page) = page else { break };
        let page = match page {
            Ok(p) => p,
            Err(e) => {
                kept.heard::<()>(&Err(e.clone()));
                settle(keeping.take()).await;
                return Err(e);
            }
        };
        total = page.total_results.or(total);
        let last = !page.has_more;
        let new: Vec<S::Row> = page.items.iter().map(|x| S::convert(x, lang)).collect();
        let facts = new
            .iter()
            .map(|r| (r.id().to_string(), S::facts(r)))
            .collect();
        settle(keeping.take()).await;
        let (k, t, items) = (kept.clone(), team.clone(), page.items);
        keeping = Some(tokio::task::spawn_blocking(move || {
            k.keep_facts::<S>(&t, &items, facts, false)
        }));
        on_page(&new, total, last);
        count += new.len();
        if complete {
            ids.extend(new.iter().map(|r| r.id().to_string()));
        }
        if mode.keeps_rows() {
            rows.extend(new);
        }
    }
    settle(keeping.take()).await;
    kept.heard::<()>(&Ok(()));
    if !complete {
        // Nothing new is news too: the stored rows are fresh as of now.
        kept.keep::<S>(team, &[], &[], false);
    }
    if complete {
        kept.prune::<S>(team, &ids);
    }
    Ok(Read {
        rows,
        count,
        complete,
        total,
    })
}

/// Waits for a page being kept (its failure is said by `Kept`).
async fn settle(keeping: Option<tokio::task::JoinHandle<()>>) {
    if let Some(k) = keeping {
        let _ = k.await;
    }
}

/// How long a page may keep the app waiting before it hears that gigstack is slow.
pub(crate) const SLOW_NOTICE: std::time::Duration = std::time::Duration::from_secs(4);

/// The stored rows with what a read brought: a row of the same id is replaced, new ones
/// are added.
pub(crate) fn merge<R: Row + Clone>(base: &[R], new: Vec<R>) -> Vec<R> {
    let ids: HashSet<&str> = new.iter().map(|r| r.id()).collect();
    let rest: Vec<R> = base
        .iter()
        .filter(|r| !ids.contains(r.id()))
        .cloned()
        .collect();
    let mut out = new;
    out.extend(rest);
    out
}
