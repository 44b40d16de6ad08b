//! `gigdash sync`: the store filled without a terminal — every chosen team's clients,
//! invoices, payments and receipts through the same reads the dashboard uses (incremental unless
//! `full`), a few teams at once under the one rate limit, each team reported as it ends.

use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::StreamExt;

use super::kept::Kept;
use super::shape::{Clients, Invoices, Payments, Receipts};
use super::sync::{self, Mode};
use crate::api::{ApiClient, ApiError, Team};
use crate::i18n::Lang;
use crate::store::Store;

/// One team's sync: rows read per kind (clients, invoices, payments, receipts), complete
/// or not.
pub struct TeamSync {
    pub team: Team,
    /// Or why it failed, in words.
    pub result: Result<[(usize, bool); 4], String>,
    pub took: Duration,
    /// Read a second time: the store was found damaged and begun anew after this team
    /// was first kept in it.
    pub again: bool,
    /// What happened to the store while this team ran (a damaged file moved aside), said
    /// once.
    pub store_notice: Option<String>,
}

/// Syncs `teams` into `store`, calling `done` as each team ends (in the order they end).
/// If the store was found damaged and begun anew during the run, the teams kept before
/// that are read once more (`again`), so the new file holds every team.
pub async fn sync_teams(
    client: &ApiClient,
    store: Arc<Store>,
    teams: Vec<Team>,
    full: bool,
    lang: Lang,
    mut done: impl FnMut(TeamSync),
) {
    // The store's notices come back here; the failures of its writes fail the reads below.
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let kept = Kept::new(Some(store.clone()), false, tx, lang);
    let mode = if full {
        Mode::CompleteStoreOnly
    } else {
        Mode::AutoStoreOnly
    };
    let mut notices = move || {
        let mut said = None;
        while let Ok(u) = rx.try_recv() {
            if let crate::app::Update::StoreNotice(n) = u {
                said = Some(n);
            }
        }
        said
    };
    let mut begun = Vec::new();
    let first = store.generation();
    let listed = teams.clone();
    kept.keep_teams(&teams);
    run(client, &kept, teams, mode, lang, false, |s, at| {
        begun.push((s.team.clone(), at));
        done(TeamSync {
            store_notice: notices(),
            ..s
        })
    })
    .await;
    let now = store.generation();
    if now == first {
        return;
    }
    // Once: a file damaged again meanwhile is said, not chased.
    let again: Vec<Team> = begun
        .into_iter()
        .filter(|(_, at)| *at != now)
        .map(|(t, _)| t)
        .collect();
    kept.keep_teams(&listed);
    run(client, &kept, again, mode, lang, true, |s, _| {
        done(TeamSync {
            store_notice: notices(),
            ..s
        })
    })
    .await;
}

/// One pass over `teams`; `done` hears each team with the store's generation when it began.
async fn run(
    client: &ApiClient,
    kept: &Kept,
    teams: Vec<Team>,
    mode: Mode,
    lang: Lang,
    again: bool,
    mut done: impl FnMut(TeamSync, u64),
) {
    let at_once = client.concurrency();
    let mut runs = futures::stream::iter(teams)
        .map(|team| {
            let kept = kept.clone();
            async move {
                let start = Instant::now();
                let at = kept.generation();
                let id = team.id.clone();
                let result = async {
                    let c = sync::read_quietly::<Clients>(client, &kept, &id, mode, lang).await?;
                    // Payments first: the invoices a changed payment is tied to are
                    // marked to be read again, by this run's invoice read.
                    let p = sync::read_quietly::<Payments>(client, &kept, &id, mode, lang).await?;
                    let i = sync::read_quietly::<Invoices>(client, &kept, &id, mode, lang).await?;
                    // Receipts: the open ones are what `gigdash changes` says expire
                    // within the week.
                    let r = sync::read_quietly::<Receipts>(client, &kept, &id, mode, lang).await?;
                    Ok::<_, ApiError>([
                        (c.count, c.complete),
                        (i.count, i.complete),
                        (p.count, p.complete),
                        (r.count, r.complete),
                    ])
                }
                .await;
                // The team's complements owed, counted once now and remembered: the
                // Group tab opens with them.
                if result.is_ok() {
                    let _ = kept.figures(Some(&id));
                }
                let result = match result {
                    Ok(_) if kept.is_broken() => Err(lang
                        .pick(
                            "the store could not be written",
                            "no se pudo escribir el almacén",
                        )
                        .to_string()),
                    Ok(r) => Ok(r),
                    Err(e) => Err(e.describe_cli(lang)),
                };
                let s = TeamSync {
                    team,
                    result,
                    took: start.elapsed(),
                    again,
                    store_notice: None,
                };
                (s, at)
            }
        })
        .buffer_unordered(at_once);
    while let Some((s, at)) = runs.next().await {
        done(s, at);
    }
}
