//! Reading one (team, kind) from gigstack into the store: complete (every page; what the
//! server no longer has leaves the store) or incremental, which costs what changed: the
//! documents created since the newest stored one; the ones that can still change, listed
//! whole by their open statuses (§1.7 `status`); by id, the stored open ones no longer
//! listed (they were paid, failed, expired…), invoices whose cancellation waits and those
//! a changed payment is tied to; and, when the server counts more cancelled invoices or
//! refunded payments than the store holds, that status's list. A complete read still
//! comes every few days (`FULL_EVERY_SECS`), with `:refresh all` and `sync --full`.
//! Shared by the tables, the Group tab and `gigdash sync`.

use std::collections::HashSet;

use futures::StreamExt;

use super::kept::{FULL_EVERY_SECS, Kept, now};
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

/// The plan for a read in `mode`, from what the store knows (`synced`) at `now`.
pub(crate) fn plan(synced: Option<&Synced>, mode: Mode, now: i64) -> Plan {
    let recent_full = synced
        .and_then(|s| s.full_at)
        // A clock that went backwards makes the next read complete, never wrong.
        .is_some_and(|f| f <= now && now - f < FULL_EVERY_SECS);
    match (mode, synced) {
        (Mode::Auto | Mode::AutoStoreOnly, Some(s)) if recent_full => {
            Plan::Changed { since: s.newest }
        }
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
        kept.prune::<S>(team, &got.ids);
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

/// What the pages of one read brought so far.
struct Got<S: Shape> {
    keep_rows: bool,
    rows: Vec<S::Row>,
    /// Every id that came (a row that came twice is kept once, the last).
    ids: HashSet<String>,
    count: usize,
    /// Invoices tied to a payment that came new or changed.
    links: Vec<String>,
}

impl<S: Shape> Got<S> {
    fn new(keep_rows: bool) -> Self {
        Got {
            keep_rows,
            rows: Vec::new(),
            ids: HashSet::new(),
            count: 0,
            links: Vec::new(),
        }
    }

    fn add(&mut self, new: Vec<S::Row>, changed: bool) {
        self.count += new.len();
        for r in new {
            if changed && let Some(l) = S::facts(&r).link {
                self.links.push(l);
            }
            let again = !self.ids.insert(r.id().to_string());
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
    // What is open now.
    let mut listed_open: HashSet<String> = HashSet::new();
    for status in S::OPEN_STATUSES {
        let before: HashSet<String> = got.ids.clone();
        let q = ListQuery {
            status: Some(status.to_string()),
            ..ListQuery::default()
        };
        // Listed as open: their status moved among the open ones at most, so a payment
        // among them does not make its invoice stale.
        let mut open = Got::<S>::new(got.keep_rows);
        pages::<S>(
            client, kept, team, q, lang, &mut open, on_page, waiting, false,
        )
        .await?;
        listed_open.extend(open.ids.iter().cloned());
        got.count += open.count;
        for r in open.rows {
            if before.contains(r.id()) {
                continue;
            }
            got.ids.insert(r.id().to_string());
            got.rows.push(r);
        }
        got.ids.extend(open.ids);
    }
    // Closed ones that moved on (cancelled, refunded): their count first.
    for status in S::COUNTED {
        let q = ListQuery {
            status: Some(status.to_string()),
            limit: Some(1),
            ..ListQuery::default()
        };
        let first = client.list_page::<S::Api>(team, S::RESOURCE, &q).await?;
        let server = first.total_results;
        let stored = kept.count_status::<S>(team, &[status]);
        if server.is_some() && server == stored {
            continue;
        }
        let q = ListQuery {
            status: Some(status.to_string()),
            ..ListQuery::default()
        };
        pages::<S>(client, kept, team, q, lang, got, on_page, waiting, true).await?;
    }
    // By id: stored as open but no longer listed so, a cancellation waiting, marked stale.
    let mut by_id: Vec<String> = kept
        .ids::<S>(team, Which::Status(S::OPEN_STATUSES))
        .into_iter()
        .filter(|id| !listed_open.contains(id))
        .chain(kept.ids::<S>(team, Which::CancelPending))
        .chain(kept.ids::<S>(team, Which::Stale))
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
    let rows: Vec<S::Row> = items.iter().map(|x| S::convert(x, lang)).collect();
    let facts = rows
        .iter()
        .map(|r| (r.id().to_string(), S::facts(r)))
        .collect();
    kept.keep_facts::<S>(team, &items, facts, false);
    on_page(&rows, None, false);
    got.add(rows, true);
}

/// Every page of `query`, each kept in the store as it arrives and added to `got`
/// (`changed`: its payments' invoices are stale). The server's total, when it says.
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
        got.add(new, changed);
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
            count: 10,
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
        // the oldest open document (that re-read almost everything).
        assert_eq!(
            plan(Some(&recent), Mode::Auto, NOW),
            Plan::Changed {
                since: Some(NOW - 100)
            }
        );
        assert_eq!(
            plan(Some(&recent), Mode::AutoStoreOnly, NOW),
            Plan::Changed {
                since: Some(NOW - 100)
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
        // A team with no document of the kind: new ones from the start (one page).
        let empty = synced(Some(NOW - 60), None);
        assert_eq!(
            plan(Some(&empty), Mode::Auto, NOW),
            Plan::Changed { since: None }
        );
    }
}
