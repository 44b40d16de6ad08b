//! `gigdash sync`: the store filled without a terminal — every chosen team's clients,
//! invoices and payments through the same reads the dashboard uses (incremental unless
//! `full`), a few teams at once under the one rate limit, each team reported as it ends.

use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::StreamExt;

use super::kept::Kept;
use super::shape::{Clients, Invoices, Payments};
use super::sync::{self, Mode};
use crate::api::{ApiClient, ApiError, Team};
use crate::i18n::Lang;
use crate::store::Store;

/// One team's sync: rows read per kind (clients, invoices, payments), complete or not.
pub struct TeamSync {
    pub team: Team,
    /// Or why it failed, in words.
    pub result: Result<[(usize, bool); 3], String>,
    pub took: Duration,
}

/// Syncs `teams` into `store`, calling `done` as each team ends (in the order they end).
pub async fn sync_teams(
    client: &ApiClient,
    store: Arc<Store>,
    teams: Vec<Team>,
    full: bool,
    lang: Lang,
    mut done: impl FnMut(TeamSync),
) {
    // Notices go nowhere here: a store that cannot be written fails the reads below.
    let (tx, _rx) = tokio::sync::mpsc::unbounded_channel();
    let kept = Kept::new(Some(store), false, tx, lang);
    kept.keep_teams(&teams);
    let mode = if full {
        Mode::CompleteStoreOnly
    } else {
        Mode::AutoStoreOnly
    };
    let at_once = client.concurrency();
    let mut runs = futures::stream::iter(teams)
        .map(|team| {
            let kept = kept.clone();
            async move {
                let start = Instant::now();
                let id = team.id.clone();
                let one = |_: &[_], _, _| {};
                let result = async {
                    let c =
                        sync::read::<Clients>(client, &kept, &id, mode, lang, one, |_| {}).await?;
                    let i = sync::read::<Invoices>(
                        client,
                        &kept,
                        &id,
                        mode,
                        lang,
                        |_: &[_], _, _| {},
                        |_| {},
                    )
                    .await?;
                    let p = sync::read::<Payments>(
                        client,
                        &kept,
                        &id,
                        mode,
                        lang,
                        |_: &[_], _, _| {},
                        |_| {},
                    )
                    .await?;
                    Ok::<_, ApiError>([
                        (c.count, c.complete),
                        (i.count, i.complete),
                        (p.count, p.complete),
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
                TeamSync {
                    team,
                    result,
                    took: start.elapsed(),
                }
            }
        })
        .buffer_unordered(at_once);
    while let Some(r) = runs.next().await {
        done(r);
    }
}
