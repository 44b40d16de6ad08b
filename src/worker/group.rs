//! The Group tab's load, and the cross-team find over what it loaded: every team's invoices and payments (and, with a store, its receipts), a few teams at a time (the
//! client's concurrency and its one rate limit bound them; a 429 waits, never fails the
//! view), each team's figures sent as soon as its data is complete, and its rows kept in
//! the per-team cache so that opening that team shows them in the next frame.

use std::sync::Arc;

use futures::StreamExt;
use tokio::sync::mpsc::UnboundedSender;

use super::kept::Kept;
use super::shape::{Clients, Invoices, Payments, Receipts, Shape};
use super::sync::{self, Mode};
use crate::api::{ApiClient, ApiError, ListQuery, Resource, TeamId};
use crate::app::data::documents::{InvoiceRow, PaymentRow, Row};
use crate::app::data::group_figures as figures;
use crate::app::data::search::{FindHit, Query};
use crate::app::{Dataset, Generation, Update};
use crate::i18n::Lang;

pub(super) async fn load(
    client: ApiClient,
    kept: Kept,
    tx: UnboundedSender<Update>,
    generation: Generation,
    teams: Vec<TeamId>,
    force: bool,
    lang: Lang,
) {
    // The stored figures first, all at once: the tab is full before any request.
    let mut stored = std::collections::HashSet::new();
    if kept.has_store() {
        for (team, figures, at) in kept.figures(None) {
            if !teams.contains(&team) {
                continue;
            }
            stored.insert(team.clone());
            let _ = tx.send(Update::GroupRow {
                generation,
                team,
                result: Ok(Box::new(figures)),
                now: at,
            });
        }
    }
    if kept.offline_only {
        for team in teams.into_iter().filter(|t| !stored.contains(t)) {
            let _ = tx.send(Update::GroupRow {
                generation,
                team,
                result: Err(ApiError::Network {
                    message: lang
                        .pick(
                            "offline: nothing stored yet",
                            "sin conexión: nada guardado aún",
                        )
                        .into(),
                }),
                now: jiff::Timestamp::now().as_second(),
            });
        }
        return;
    }
    // As many teams at once as the profile's `concurrency` (default 4).
    let at_once = client.concurrency();
    futures::stream::iter(teams)
        .map(|team| {
            let (client, tx, kept) = (client.clone(), tx.clone(), kept.clone());
            let had_stored = stored.contains(&team);
            async move {
                let result = if kept.has_store() {
                    stored_team_figures(&client, &kept, &team, lang).await
                } else {
                    team_figures(&client, &team, force, lang).await
                };
                // Out of reach with stored figures on screen: they stay (OFFLINE says why).
                if had_stored && matches!(&result, Err(e) if e.is_unreachable()) {
                    return;
                }
                let _ = tx.send(Update::GroupRow {
                    generation,
                    team,
                    result: result.map(Box::new),
                    now: jiff::Timestamp::now().as_second(),
                });
            }
        })
        .buffer_unordered(at_once)
        .collect::<()>()
        .await;
}

/// With a store: the team's invoices and payments brought up to date in the store (what
/// is new, what can still change), then its figures as a query — no rows held.
async fn stored_team_figures(
    client: &ApiClient,
    kept: &Kept,
    team: &TeamId,
    lang: Lang,
) -> Result<figures::TeamFigures, ApiError> {
    // Payments first: the invoices a changed payment is tied to are marked to be read
    // again, by the invoice read after it.
    sync::read_quietly::<Payments>(client, kept, team, Mode::AutoStoreOnly, lang).await?;
    sync::read_quietly::<Invoices>(client, kept, team, Mode::AutoStoreOnly, lang).await?;
    // Receipts too: the changes' "expiring within 7 days" is read from the open ones.
    sync::read_quietly::<Receipts>(client, kept, team, Mode::AutoStoreOnly, lang).await?;
    // The rows the tables may hold for this team are older than the store now.
    client.cache().invalidate(
        team,
        &[
            Resource::IncomeInvoices,
            Resource::Payments,
            Resource::Receipts,
        ],
    );
    Ok(kept
        .figures(Some(team))
        .into_iter()
        .next()
        .map(|(_, f, _)| f)
        .unwrap_or_default())
}

/// Without a store: one team's invoices and payments (from the cache while fresh), as
/// rows, into the cache, and its figures.
async fn team_figures(
    client: &ApiClient,
    team: &TeamId,
    force: bool,
    lang: Lang,
) -> Result<figures::TeamFigures, ApiError> {
    let invoices = rows(
        client,
        team,
        Resource::IncomeInvoices,
        InvoiceRow::from_api,
        force,
        lang,
    );
    let payments = rows(
        client,
        team,
        Resource::Payments,
        PaymentRow::from_api,
        force,
        lang,
    );
    let (invoices, payments) = futures::try_join!(invoices, payments)?;
    Ok(figures::compute(
        &invoices,
        &payments,
        jiff::Timestamp::now().as_second(),
    ))
}

async fn rows<T, R>(
    client: &ApiClient,
    team: &TeamId,
    resource: Resource,
    convert: fn(&T, Lang) -> R,
    force: bool,
    lang: Lang,
) -> Result<Arc<Vec<R>>, ApiError>
where
    T: serde::de::DeserializeOwned + Send + 'static,
    R: Clone + Send + Sync + 'static,
{
    let query = ListQuery::default();
    if !force
        && let Some(c) = client.cached::<R>(team, resource, &query)
        && c.fresh
    {
        return Ok(c.value);
    }
    let mut all = Vec::new();
    let mut pages = std::pin::pin!(client.list_all::<T>(team.clone(), resource, query.clone()));
    while let Some(page) = pages.next().await {
        all.extend(page?.items.iter().map(|x| convert(x, lang)));
    }
    let all = Arc::new(all);
    client.cache_put(team, resource, &query, all.clone());
    Ok(all)
}

/// Most results a search returns.
const MAX_HITS: usize = 200;

/// A cross-team search over what the cache holds (every team the Group tab or the operator
/// loaded): (hits, teams that had data to search).
pub(super) fn find(
    client: &ApiClient,
    kept: &Kept,
    teams: &[TeamId],
    query: &Query,
) -> (Vec<FindHit>, usize) {
    let mut hits = Vec::new();
    let mut searched = 0;
    // The cache's rows, else the store's (read for this search and dropped after it).
    fn rows<S: Shape>(client: &ApiClient, kept: &Kept, team: &TeamId) -> Option<Arc<Vec<S::Row>>> {
        client
            .cached::<S::Row>(team, S::RESOURCE, &ListQuery::default())
            .map(|c| c.value)
            .or_else(|| kept.rows::<S>(team, None).map(Arc::new))
    }
    for team in teams {
        let clients = rows::<Clients>(client, kept, team);
        let invoices = rows::<Invoices>(client, kept, team);
        let payments = rows::<Payments>(client, kept, team);
        if clients.is_some() || invoices.is_some() || payments.is_some() {
            searched += 1;
        }
        let hit = |dataset, id: &str, label: String| FindHit {
            team: team.clone(),
            dataset,
            id: id.to_string(),
            label,
        };
        for c in clients
            .iter()
            .flat_map(|c| c.iter())
            .filter(|c| query.client(c))
        {
            hits.push(hit(
                Dataset::Clients,
                c.id(),
                format!("{} · {}", c.name(), c.rfc()),
            ));
        }
        for i in invoices
            .iter()
            .flat_map(|c| c.iter())
            .filter(|i| query.invoice(i))
        {
            hits.push(hit(
                Dataset::Invoices,
                i.id(),
                format!("{} · {} · {}", i.folio(), i.client(), i.total_fmt()),
            ));
        }
        for p in payments
            .iter()
            .flat_map(|c| c.iter())
            .filter(|p| query.payment(p))
        {
            hits.push(hit(
                Dataset::Payments,
                p.id(),
                format!("{} · {} · {}", p.id(), p.client(), p.total_fmt()),
            ));
        }
        if hits.len() >= MAX_HITS {
            hits.truncate(MAX_HITS);
            break;
        }
    }
    (hits, searched)
}
