//! The store under the worker: the Group figures it computes by query equal the figures
//! computed from the API's rows; they come back at once from the store with gigstack out
//! of reach; a store that cannot be written is said once and the rows still arrive.

mod common;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use common::*;
use futures::StreamExt;
use gigdash::api::{ApiClient, ApiKey, ListQuery, Resource, TeamId};
use gigdash::app::data::documents::{InvoiceRow, PaymentRow};
use gigdash::app::data::group_figures::{self as figures, TeamFigures};
use gigdash::app::{Dataset, Request, Rows, Update};
use gigdash::i18n::Lang;
use gigdash::store::{Store, open_in};

async fn group(
    client: ApiClient,
    store: Arc<Store>,
    teams: &[TeamId],
) -> BTreeMap<TeamId, Vec<TeamFigures>> {
    let (req, mut upd) = spawn_worker(client, |w| w.with_store(Some(store), false));
    req.send(Request::LoadGroup {
        generation: 1,
        teams: teams.to_vec(),
        force: false,
    })
    .unwrap();
    let mut seen: BTreeMap<TeamId, Vec<TeamFigures>> = BTreeMap::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    // Until every team has its network answer (the second row when one came from the store).
    while tokio::time::Instant::now() < deadline {
        let Ok(Some(u)) = tokio::time::timeout(Duration::from_secs(5), upd.recv()).await else {
            break;
        };
        if let Update::GroupRow { team, result, .. } = u {
            seen.entry(team)
                .or_default()
                .push(*result.expect("figures"));
        }
    }
    seen
}

async fn from_rows(client: &ApiClient, team: &TeamId) -> TeamFigures {
    let mut invoices = Vec::new();
    let mut pages = std::pin::pin!(client.list_all::<gigdash::api::Invoice>(
        team.clone(),
        Resource::IncomeInvoices,
        ListQuery::default()
    ));
    while let Some(p) = pages.next().await {
        invoices.extend(
            p.unwrap()
                .items
                .iter()
                .map(|i| InvoiceRow::from_api(i, Lang::En)),
        );
    }
    let mut payments = Vec::new();
    let mut pages = std::pin::pin!(client.list_all::<gigdash::api::Payment>(
        team.clone(),
        Resource::Payments,
        ListQuery::default()
    ));
    while let Some(p) = pages.next().await {
        payments.extend(
            p.unwrap()
                .items
                .iter()
                .map(|i| PaymentRow::from_api(i, Lang::En)),
        );
    }
    figures::compute(&invoices, &payments, jiff::Timestamp::now().as_second())
}

#[tokio::test]
async fn group_figures_from_the_store_equal_those_from_the_rows_and_return_offline() {
    // Nothing changes on its own while the two reads run (no cancellation accepted).
    let sb = sandbox_with(gigdash::sandbox::SandboxConfig {
        scale: 600,
        anchor: Some(ANCHOR),
        cancel_accept_secs: 3600,
        ..Default::default()
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(open_in(dir.path(), "s.sqlite3").unwrap().store);
    let c = client(&sb, sb.admin_key());
    let teams: Vec<TeamId> = c
        .list_teams()
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.id)
        .collect();
    assert!(teams.len() > 3);

    let online = group(c.clone(), store.clone(), &teams).await;
    let mut compared = 0;
    for team in &teams {
        let Some(got) = online.get(team) else {
            continue;
        };
        let want = from_rows(&c, team).await;
        assert_eq!(got.last().unwrap(), &want, "team {team}");
        compared += (want.invoices > 0) as usize;
    }
    assert!(compared >= 3, "teams with data compared: {compared}");

    // gigstack unreachable: the same figures, from the store alone, at once.
    let dead = ApiClient::new(
        ApiKey::new(sb.admin_key()),
        fast_config("http://127.0.0.1:9/v2"),
    )
    .unwrap();
    let offline = group(dead, store, &teams).await;
    for (team, figs) in &online {
        assert_eq!(offline.get(team).map(|f| &f[0]), figs.last(), "team {team}");
    }
}

#[tokio::test]
async fn a_store_that_cannot_be_written_is_said_once_and_the_rows_still_arrive() {
    let sb = sandbox().await;
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(open_in(dir.path(), "s.sqlite3").unwrap().store);
    store.cap_pages(8).unwrap();
    let c = client(&sb, sb.admin_key());
    let team = c.list_teams().await.unwrap()[0].id.clone();
    let (req, mut upd) = spawn_worker(c, |w| w.with_store(Some(store), false));
    for dataset in [Dataset::Invoices, Dataset::Payments] {
        req.send(Request::Load {
            team: team.clone(),
            generation: 1,
            dataset,
            force: false,
        })
        .unwrap();
    }
    // One deadline for both loads: other updates never extend it.
    let deadline = tokio::time::Instant::now() + ANSWER_WITHIN;
    let mut notices = Vec::new();
    for done in 0..2 {
        recv_until(
            &mut upd,
            deadline,
            &format!("the last pages of both loads ({done} of 2 in)"),
            |u| match u {
                Update::StoreNotice(n) => {
                    notices.push(n);
                    None
                }
                Update::Page {
                    done: true, rows, ..
                } => {
                    assert!(matches!(rows, Rows::Invoices(_) | Rows::Payments(_)));
                    assert_ne!(rows.len(), 0);
                    Some(())
                }
                Update::LoadFailed { error, .. } => panic!("a load failed: {error:?}"),
                _ => None,
            },
        )
        .await;
    }
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert!(
        notices[0].contains("without keeping data on disk"),
        "{}",
        notices[0]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn complements_counted_one_invoice_at_a_time_equal_the_count_over_every_decoded_invoice() {
    let sb = sandbox_with(gigdash::sandbox::SandboxConfig {
        scale: 4000,
        anchor: Some(ANCHOR),
        teams: Some(4),
        ..Default::default()
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(open_in(dir.path(), "s.sqlite3").unwrap().store);
    let c = client(&sb, sb.admin_key());
    let teams = c.list_teams().await.unwrap();
    let mut failed = Vec::new();
    gigdash::worker::sync_teams(&c, store.clone(), teams.clone(), true, Lang::En, |s| {
        if let Err(e) = s.result {
            failed.push(e);
        }
    })
    .await;
    assert!(failed.is_empty(), "{failed:?}");
    // A month and a half after the seeded history ends: some owed are overdue.
    let now = ANCHOR + 45 * 86_400;
    let (mut owed_total, mut late_total, mut multi) = (0, 0, 0);
    for t in &teams {
        // The oracle: every owing invoice and its payments decoded at once, as before.
        let (inv, pay) = store
            .owing::<gigdash::api::Invoice, gigdash::api::Payment>(&t.id)
            .unwrap();
        multi += pay.iter().filter(|p| p.invoices.len() > 1).count();
        let inv: Vec<InvoiceRow> = inv
            .iter()
            .map(|i| InvoiceRow::from_api(i, Lang::En))
            .collect();
        let pay: Vec<PaymentRow> = pay
            .iter()
            .map(|p| PaymentRow::from_api(p, Lang::En))
            .collect();
        let all = gigdash::app::data::complements::owed(&inv, &pay, now);
        let decoded = (all.len(), all.iter().filter(|o| o.overdue).count());
        let streamed = gigdash::worker::count_owed(&store, &t.id, Lang::En, now).unwrap();
        assert_eq!(streamed, decoded, "team {}", t.id);
        owed_total += decoded.0;
        late_total += decoded.1;
    }
    println!(
        "{owed_total} complements owed, {late_total} overdue; {multi} payments of several invoices"
    );
    assert!(
        owed_total > 0 && late_total > 0,
        "the fixture owes complements, some late"
    );
}

/// The order in which a first load of a team's invoices and payments arrives, page by
/// page, with `shown` as the table on screen: for each page, whether it was of payments.
async fn arrival_order(
    sb: &gigdash::sandbox::Sandbox,
    team: &TeamId,
    shown: Option<Dataset>,
) -> Vec<bool> {
    let c = ApiClient::new(
        ApiKey::new(sb.admin_key()),
        gigdash::api::ClientConfig {
            // Spaced requests, as under gigstack's limit, so both loads compete for them.
            requests_per_second: 200.0,
            burst: 1,
            ..fast_config(&sb.base_url)
        },
    )
    .unwrap();
    let (req, mut upd) = spawn_worker(c, |w| w);
    req.send(Request::Shown(shown.map(|d| (team.clone(), d))))
        .unwrap();
    for dataset in [Dataset::Payments, Dataset::Invoices] {
        req.send(Request::Load {
            team: team.clone(),
            generation: 1,
            dataset,
            force: false,
        })
        .unwrap();
    }
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    let mut order = Vec::new();
    let mut done = 0;
    while done < 2 {
        let (payments, last) = recv_until(&mut upd, deadline, "both loads done", |u| match u {
            Update::Page { rows, done, .. } => Some((matches!(rows, Rows::Payments(_)), done)),
            Update::LoadFailed { error, .. } => panic!("a load failed: {error:?}"),
            _ => None,
        })
        .await;
        order.push(payments);
        done += last as usize;
    }
    order
}

/// Payments pages that arrived between the first and the last page of invoices.
fn payments_amid_invoices(order: &[bool]) -> usize {
    let first = order.iter().position(|p| !p).expect("invoice pages");
    let last = order.iter().rposition(|p| !p).unwrap();
    order[first..last].iter().filter(|p| **p).count()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_table_on_screen_reads_first_and_the_other_waits_between_its_pages() {
    let sb = sandbox_with(gigdash::sandbox::SandboxConfig {
        scale: 12000,
        anchor: Some(ANCHOR),
        ..Default::default()
    })
    .await;
    let c = client(&sb, sb.admin_key());
    // The team with the most invoices: many pages of both.
    let mut best = (0, None);
    for t in c.list_teams().await.unwrap() {
        let page = c
            .list_page::<gigdash::api::Invoice>(
                &t.id,
                Resource::IncomeInvoices,
                &ListQuery {
                    limit: Some(1),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        let n = page.total_results.unwrap_or(0);
        if n > best.0 {
            best = (n, Some(t.id));
        }
    }
    let team = best.1.expect("a team with invoices");
    assert!(
        best.0 > 800,
        "enough pages to interleave: {} invoices",
        best.0
    );

    // Nothing on screen: the two loads share the limit, their pages interleave.
    let shared = arrival_order(&sb, &team, None).await;
    assert!(payments_amid_invoices(&shared) > 3, "sharing: {shared:?}");
    // Invoices on screen: payments wait between their pages until the invoices are in
    // (a page already past the gate when the invoices started may still arrive).
    let first = arrival_order(&sb, &team, Some(Dataset::Invoices)).await;
    assert!(
        payments_amid_invoices(&first) <= 1,
        "invoices first: {first:?}"
    );
    assert!(
        first.iter().filter(|p| **p).count() > 3,
        "and the payments still all arrive after: {first:?}"
    );
}
