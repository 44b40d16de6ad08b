//! Reading one (team, kind) from gigstack into the store: complete (every page; what the
//! server no longer has leaves the store) or incremental, which costs what changed:
//! 1. the documents created since the newest stored one (that second again too), or
//!    since an hour before the last read when a write kept a newer one since;
//! 2. for each status a document can still change under (a payment waiting to be paid, a
//!    pending receipt) and each a closed one can move to (a cancelled invoice, a refunded
//!    payment): its count (one request, §1.7 `status`), and its whole list only when the
//!    count differs from the store's;
//! 3. by id: the stored ones of an open status whose list was read but left it (paid,
//!    failed, expired…), invoices whose cancellation waits for the receiver, and invoices
//!    a payment new to the store (or with a new status) is tied to — payments are read
//!    first, so those are marked stale for the invoice read after.
//!
//! A complete read still comes every few days (`FULL_EVERY_SECS`), with `:refresh all`
//! and `sync --full`: deletions, an edited client, a cancellation asked elsewhere that
//! still waits (its invoice keeps its status), are seen then.
//! Shared by the tables, the Group tab and `gigdash sync`.

use std::collections::HashSet;

use futures::StreamExt;

use super::kept::{FULL_EVERY_SECS, Kept, now};
use super::seen::Seen;
use super::shape::Shape;
use crate::api::{ApiClient, ApiError, ListQuery, TeamId};
use crate::app::data::documents::Row;
use crate::i18n::Lang;
use crate::store::{Kind, Synced, Which};

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

/// What a read asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Plan {
    /// Every page.
    Complete,
    /// What changed since the store's last reads: new since `since` (the newest stored
    /// creation date; none when the store holds no document of the kind), then the open
    /// lists, the counts and the reads by id (see the module's text).
    Changed { since: Option<i64> },
}

/// What one page of a list holds (`ListQuery`'s default limit): a kind with fewer stored
/// is read whole.
pub(crate) const ONE_PAGE: u64 = 100;

/// How far before the last read an incremental one starts listing new documents.
pub(crate) const SINCE_MARGIN_SECS: i64 = 3600;

/// The plan for a read in `mode`, from what the store knows (`synced`) at `now`.
pub(crate) fn plan(synced: Option<&Synced>, mode: Mode, now: i64) -> Plan {
    let recent_full = synced
        .and_then(|s| s.full_at)
        // A clock that went backwards makes the next read complete, never wrong.
        .is_some_and(|f| f <= now && now - f < FULL_EVERY_SECS);
    // A kind one page holds is read whole: one request, where the incremental read costs
    // a page and a count per open status.
    let one_page = synced.is_some_and(|s| s.count < ONE_PAGE);
    match (mode, synced) {
        (Mode::Auto | Mode::AutoStoreOnly, Some(s)) if recent_full && !one_page => Plan::Changed {
            // Not past the last read's time (less an hour: the server's clock, a long
            // read): a document a write kept since may be newer than what was created
            // elsewhere meanwhile.
            since: s.newest.map(|n| n.min(s.at - SINCE_MARGIN_SECS)),
        },
        _ => Plan::Complete,
    }
}

/// Reads (team, kind) from gigstack, keeping every page in the store as it arrives;
/// `on_page(rows, total, last)` sees each page (the tables stream a first load).
pub(crate) async fn read<S: Shape>(
    client: &ApiClient,
    kept: &Kept,
    team: &TeamId,
    mode: Mode,
    lang: Lang,
    mut on_page: impl FnMut(&[S::Row], Option<u64>, bool),
    mut waiting: impl FnMut(u64),
) -> Result<Read<S::Row>, ApiError> {
    let plan = plan(kept.synced::<S>(team).as_ref(), mode, now());
    let mut got = Got::<S>::new(mode.keeps_rows());
    let result = match plan {
        Plan::Complete => {
            let total = pages::<S>(
                client,
                kept,
                team,
                ListQuery::default(),
                lang,
                &mut got,
                &mut on_page,
                &mut waiting,
                false,
            )
            .await;
            total.map(|t| (t, true))
        }
        Plan::Changed { since } => changed::<S>(
            client,
            kept,
            team,
            since,
            lang,
            &mut got,
            &mut on_page,
            &mut waiting,
        )
        .await
        .map(|()| (None, false)),
    };
    let (total, complete) = match result {
        Ok(r) => r,
        Err(e) => {
            kept.heard::<()>(&Err(e.clone()));
            return Err(e);
        }
    };
    kept.heard::<()>(&Ok(()));
    if complete {
        kept.prune::<S>(team, |id| got.ids.contains(id));
    } else {
        // Nothing new is news too: the stored rows are fresh as of now.
        kept.keep::<S>(team, &[], &[], false);
    }
    Ok(Read {
        rows: got.rows,
        count: got.count,
        complete,
        total,
    })
}

/// `read` into the store alone, with nothing to tell as pages arrive (the Group load,
/// `gigdash sync`).
pub(crate) async fn read_quietly<S: Shape>(
    client: &ApiClient,
    kept: &Kept,
    team: &TeamId,
    mode: Mode,
    lang: Lang,
) -> Result<Read<S::Row>, ApiError> {
    read::<S>(client, kept, team, mode, lang, |_, _, _| {}, |_| {}).await
}

/// What the pages of one read brought so far.
struct Got<S: Shape> {
    keep_rows: bool,
    rows: Vec<S::Row>,
    /// Every id that came (a row that came twice is kept once, the last).
    ids: Seen,
    count: usize,
    /// Invoices tied to a payment that came new or changed.
    links: Vec<String>,
}

impl<S: Shape> Got<S> {
    fn new(keep_rows: bool) -> Self {
        Got {
            keep_rows,
            rows: Vec::new(),
            ids: Seen::default(),
            count: 0,
            links: Vec::new(),
        }
    }

    /// `changed(i)`: the i-th row is new to the store or its status changed (its
    /// payment's invoice is then stale).
    fn add(&mut self, new: Vec<S::Row>, changed: impl Fn(usize) -> bool) {
        self.count += new.len();
        for (i, r) in new.into_iter().enumerate() {
            if changed(i)
                && let Some(l) = S::facts(&r).link
            {
                self.links.push(l);
            }
            let again = !self.ids.insert(r.id());
            if self.keep_rows {
                if again {
                    self.rows.retain(|x| x.id() != r.id());
                }
                self.rows.push(r);
            }
        }
    }
}

/// The incremental read (see the module's text).
#[allow(clippy::too_many_arguments)]
async fn changed<S: Shape>(
    client: &ApiClient,
    kept: &Kept,
    team: &TeamId,
    since: Option<i64>,
    lang: Lang,
    got: &mut Got<S>,
    on_page: &mut impl FnMut(&[S::Row], Option<u64>, bool),
    waiting: &mut impl FnMut(u64),
) -> Result<(), ApiError> {
    // New since the newest stored (that one again too: a page never misses a document
    // created in the same second).
    let new = ListQuery {
        created_gte: since,
        ..ListQuery::default()
    };
    pages::<S>(client, kept, team, new, lang, got, on_page, waiting, true).await?;
    // The statuses a document can still change under, and those a closed one can move
    // to: each asked for its count (one request); listed whole only when that differs
    // from the store's (which now holds the new ones too).
    let mut listed_open = got.ids.like();
    let mut read_open: Vec<&str> = Vec::new();
    for status in S::OPEN_STATUSES.iter().chain(S::COUNTED) {
        let counted = ListQuery {
            status: Some(status.to_string()),
            limit: Some(1),
            ..ListQuery::default()
        };
        let server = client
            .list_page::<S::Api>(team, S::RESOURCE, &counted)
            .await?
            .total_results;
        if server.is_some() && server == kept.count_status::<S>(team, &[status]) {
            continue;
        }
        let q = ListQuery {
            status: Some(status.to_string()),
            ..ListQuery::default()
        };
        // A list by status changes no payment's invoice: one that moved among the open
        // statuses, or was refunded, left its invoice's balance as it was.
        let mut listed = Got::<S>::new(got.keep_rows);
        listed.ids = got.ids.like();
        pages::<S>(
            client,
            kept,
            team,
            q,
            lang,
            &mut listed,
            on_page,
            waiting,
            false,
        )
        .await?;
        got.count += listed.count;
        for r in listed.rows {
            if !got.ids.contains(r.id()) {
                got.rows.push(r);
            }
        }
        if S::OPEN_STATUSES.contains(status) {
            listed_open.extend(&listed.ids);
            read_open.push(status);
        }
        got.ids.extend(&listed.ids);
    }
    // By id: stored under an open status whose list was read but no longer in it (paid,
    // failed, expired…), a cancellation waiting, marked stale.
    let left: Vec<String> = kept
        .ids::<S>(team, Which::Status(&read_open))
        .into_iter()
        .filter(|id| !listed_open.contains(id))
        .collect();
    let waiting_cancel = kept.ids::<S>(team, Which::CancelPending);
    let stale = kept.ids::<S>(team, Which::Stale);
    tracing::debug!(
        %team,
        kind = S::KIND.name(),
        new_or_listed = got.ids.len(),
        left = left.len(),
        waiting_cancel = waiting_cancel.len(),
        stale = stale.len(),
        "incremental read: by id"
    );
    let mut by_id: Vec<String> = left
        .into_iter()
        .chain(waiting_cancel)
        .chain(stale)
        .filter(|id| !got.ids.contains(id))
        .collect();
    by_id.sort();
    by_id.dedup();
    let mut answers = std::pin::pin!(
        futures::stream::iter(by_id.into_iter().map(|id| async move {
            let r = S::get(client, team, &id).await;
            (id, r)
        }))
        .buffer_unordered(client.concurrency())
    );
    let mut gone = Vec::new();
    let mut items = Vec::new();
    while let Some((id, r)) = answers.next().await {
        match r {
            Ok(item) => items.push(item),
            Err(ApiError::NotFound { .. }) => gone.push(id),
            Err(e) => return Err(e),
        }
        if items.len() >= 100 {
            keep_items::<S>(kept, team, std::mem::take(&mut items), lang, got, on_page);
        }
    }
    keep_items::<S>(kept, team, items, lang, got, on_page);
    kept.remove::<S>(team, &gone);
    // Invoices a new or changed payment is tied to: read by id at their next read.
    if !got.links.is_empty() {
        let mut links = std::mem::take(&mut got.links);
        links.sort();
        links.dedup();
        kept.mark_stale(team, Kind::Invoice, &links);
    }
    Ok(())
}

/// Documents read by id: kept, seen, added.
fn keep_items<S: Shape>(
    kept: &Kept,
    team: &TeamId,
    items: Vec<S::Api>,
    lang: Lang,
    got: &mut Got<S>,
    on_page: &mut impl FnMut(&[S::Row], Option<u64>, bool),
) {
    if items.is_empty() {
        return;
    }
    let rows: Vec<S::Row> = S::convert_all(&items, lang);
    let facts = rows
        .iter()
        .map(|r| (r.id().to_string(), S::facts(r)))
        .collect();
    kept.keep_facts::<S>(team, &items, facts, false);
    on_page(&rows, None, false);
    got.add(rows, |_| true);
}

/// Which of `items` are new to the store or come with another status than the stored one.
fn news<S: Shape>(kept: &Kept, team: &TeamId, items: &[S::Api], rows: &[S::Row]) -> Vec<bool> {
    let ids: Vec<&str> = rows.iter().map(|r| r.id()).collect();
    let stored = kept.statuses::<S>(team, &ids);
    items
        .iter()
        .zip(&ids)
        .map(|(item, id)| {
            let now = serde_json::to_value(item)
                .ok()
                .and_then(|v| v.get("status").and_then(|s| s.as_str()).map(str::to_string));
            stored.get(*id) != Some(&now)
        })
        .collect()
}

/// Every page of `query`, each kept in the store as it arrives and added to `got`
/// (`changed`: the invoices of its payments that are new to the store, or come with
/// another status, are stale). The server's total, when it says.
#[allow(clippy::too_many_arguments)]
async fn pages<S: Shape>(
    client: &ApiClient,
    kept: &Kept,
    team: &TeamId,
    query: ListQuery,
    lang: Lang,
    got: &mut Got<S>,
    on_page: &mut impl FnMut(&[S::Row], Option<u64>, bool),
    waiting: &mut impl FnMut(u64),
    changed: bool,
) -> Result<Option<u64>, ApiError> {
    let mut pages = std::pin::pin!(client.list_all::<S::Api>(team.clone(), S::RESOURCE, query));
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
                settle(keeping.take()).await;
                return Err(e);
            }
        };
        total = page.total_results.or(total);
        let last = !page.has_more;
        let new: Vec<S::Row> = S::convert_all(&page.items, lang);
        let facts = new
            .iter()
            .map(|r| (r.id().to_string(), S::facts(r)))
            .collect();
        settle(keeping.take()).await;
        // Before this page is kept: which of its documents are news to the store.
        let fresh = if changed {
            news::<S>(kept, team, &page.items, &new)
        } else {
            vec![]
        };
        let (k, t, items) = (kept.clone(), team.clone(), page.items);
        keeping = Some(tokio::task::spawn_blocking(move || {
            k.keep_facts::<S>(&t, &items, facts, false)
        }));
        on_page(&new, total, last);
        got.add(new, |i| fresh.get(i).copied().unwrap_or(false));
    }
    settle(keeping.take()).await;
    Ok(total)
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

#[cfg(test)]
mod plan_tests {
    use super::*;

    const NOW: i64 = 1_800_000_000;

    fn synced(full_at: Option<i64>, newest: Option<i64>) -> Synced {
        Synced {
            at: NOW - 60,
            full_at,
            count: 5_000,
            newest,
            oldest_open: Some(1_000),
        }
    }

    #[test]
    fn the_plan_for_each_case() {
        let recent = synced(Some(NOW - 3600), Some(NOW - 100));
        // Nothing stored: every page.
        assert_eq!(plan(None, Mode::Auto, NOW), Plan::Complete);
        assert_eq!(plan(None, Mode::AutoStoreOnly, NOW), Plan::Complete);
        // A recent complete read: what changed, new from the newest stored — not from
        // the oldest open document (that re-read almost everything) — but never after the
        // last read's time less the margin (a write kept a newer one since).
        assert_eq!(
            plan(Some(&recent), Mode::Auto, NOW),
            Plan::Changed {
                since: Some(NOW - 60 - SINCE_MARGIN_SECS)
            }
        );
        assert_eq!(
            plan(Some(&recent), Mode::AutoStoreOnly, NOW),
            Plan::Changed {
                since: Some(NOW - 60 - SINCE_MARGIN_SECS)
            }
        );
        // The newest stored older than that: from it.
        let older = synced(Some(NOW - 3600), Some(NOW - 90_000));
        assert_eq!(
            plan(Some(&older), Mode::Auto, NOW),
            Plan::Changed {
                since: Some(NOW - 90_000)
            }
        );
        // Asked complete (`:refresh all`, `sync --full`): every page.
        assert_eq!(plan(Some(&recent), Mode::Complete, NOW), Plan::Complete);
        assert_eq!(
            plan(Some(&recent), Mode::CompleteStoreOnly, NOW),
            Plan::Complete
        );
        // The last complete read is older than FULL_EVERY_SECS: every page.
        let old = synced(Some(NOW - FULL_EVERY_SECS - 1), Some(NOW - 100));
        assert_eq!(plan(Some(&old), Mode::Auto, NOW), Plan::Complete);
        // Stored without a complete read (kept by a write, an interrupted first read).
        let never = synced(None, Some(NOW - 100));
        assert_eq!(plan(Some(&never), Mode::Auto, NOW), Plan::Complete);
        // A complete read "in the future": the clock went backwards; complete again.
        let ahead = synced(Some(NOW + 3600), Some(NOW - 100));
        assert_eq!(plan(Some(&ahead), Mode::Auto, NOW), Plan::Complete);
        // A kind one page holds (none at all, or fewer than a page): read whole, one
        // request where the incremental read would cost a page and its counts.
        let empty = Synced {
            count: 0,
            ..synced(Some(NOW - 60), None)
        };
        assert_eq!(plan(Some(&empty), Mode::Auto, NOW), Plan::Complete);
        let small = Synced {
            count: ONE_PAGE - 1,
            ..recent.clone()
        };
        assert_eq!(plan(Some(&small), Mode::AutoStoreOnly, NOW), Plan::Complete);
        let page = Synced {
            count: ONE_PAGE,
            ..recent.clone()
        };
        assert!(matches!(
            plan(Some(&page), Mode::AutoStoreOnly, NOW),
            Plan::Changed { .. }
        ));
    }
}
