//! The store's reads: the first screen and a whole team of 100,000 sandbox invoices (read,
//! decoded, made rows), and the Group figures of 200 teams over 1,000,000 stored invoices
//! and payments (synthetic bodies, realistic facts), and over that store the changes of
//! "since you last looked" (35 days of them, 5 a day per team, and 60 open receipts per
//! team) as the dashboard asks them — read, classified, labelled, each team's late
//! complements and receipts about to expire — summed per team for the last day and for the
//! whole 35 days.

use criterion::{Criterion, criterion_group, criterion_main};
use gigdash::api::{Invoice, TeamId};
use gigdash::app::data::documents::{InvoiceRow, RowStatus};
use gigdash::i18n::Lang;
use gigdash::sandbox::{SandboxConfig, build_store};
use gigdash::store::{Doc, Facts, Kind, Store, Window, open_in};
use rust_decimal::Decimal;

const NOW: i64 = 1_790_000_000;

fn facts(r: &InvoiceRow) -> Facts {
    Facts {
        created: r.created,
        amount: r.total_mxn(),
        invoiced: r.status == RowStatus::Valid,
        owed: r.balance_mxn().filter(|b| *b > Decimal::ZERO),
        ..Facts::default()
    }
}

fn team_of_100k(dir: &std::path::Path) -> (Store, TeamId) {
    let store = open_in(dir, "bench.sqlite3").unwrap().store;
    let (world, _) = build_store(&SandboxConfig {
        scale: 120_000,
        anchor: Some(NOW),
        ..Default::default()
    });
    let invoices: Vec<Invoice> = world
        .data
        .values()
        .flat_map(|d| d.income.iter())
        .take(100_000)
        .map(|i| serde_json::from_value(serde_json::to_value(i).unwrap()).unwrap())
        .collect();
    assert_eq!(invoices.len(), 100_000);
    let rows: Vec<InvoiceRow> = invoices
        .iter()
        .map(|i| InvoiceRow::from_api(i, Lang::En))
        .collect();
    let team = TeamId::new("team_big");
    let docs: Vec<Doc<'_, Invoice>> = invoices
        .iter()
        .zip(&rows)
        .map(|(body, r)| Doc {
            id: gigdash::app::data::documents::Row::id(r),
            body,
            facts: facts(r),
        })
        .collect();
    store
        .put_docs(&team, Kind::Invoice, &docs, true, NOW)
        .unwrap();
    (store, team)
}

fn million(dir: &std::path::Path) -> Store {
    let store = open_in(dir, "million.sqlite3").unwrap().store;
    let body = serde_json::json!({"id": "x"});
    for t in 0..200 {
        let team = TeamId::new(format!("team_{t:03}"));
        for kind in [Kind::Invoice, Kind::Payment] {
            let ids: Vec<String> = (0..2_500).map(|i| format!("{kind:?}_{t}_{i}")).collect();
            let docs: Vec<Doc<'_, serde_json::Value>> = ids
                .iter()
                .enumerate()
                .map(|(i, id)| {
                    let created = NOW - (i as i64 % 540) * 86_400;
                    let amount = Decimal::new(10_000 + i as i64 * 37, 2);
                    Doc {
                        id,
                        body: &body,
                        facts: match kind {
                            Kind::Invoice => Facts {
                                created,
                                amount,
                                invoiced: i % 11 != 0,
                                owed: (i % 7 == 0).then_some(amount),
                                open: i % 7 == 0,
                                cancel_pending: i % 97 == 0,
                                ..Facts::default()
                            },
                            _ => Facts {
                                created,
                                amount,
                                uncollected: i % 9 == 0,
                                open: i % 9 == 0,
                                paid_at: (i % 9 != 0).then_some(created + 3600),
                                ..Facts::default()
                            },
                        },
                    }
                })
                .collect();
            store.put_docs(&team, kind, &docs, true, NOW).unwrap();
        }
        // 60 open receipts, expiring from 10 days ago to 30 days ahead (a tenth this week).
        let receipts: Vec<(String, serde_json::Value)> = (0..60i64)
            .map(|i| {
                let id = format!("receipt_{t}_{i}");
                let body = serde_json::json!({
                    "id": id, "status": "pending", "total": 1160.0 + i as f64,
                    "currency": "MXN", "created": NOW - 40 * 86_400 + i * 86_400 * 2 / 3,
                    "validUntil": NOW - 10 * 86_400 + i * 86_400 * 2 / 3,
                    "client": {"id": "client_1", "name": "Mostrador"},
                });
                (id, body)
            })
            .collect();
        let docs: Vec<Doc<'_, serde_json::Value>> = receipts
            .iter()
            .map(|(id, body)| Doc {
                id,
                body,
                facts: Facts {
                    created: body["created"].as_i64().unwrap(),
                    amount: Decimal::new(116_000, 2),
                    open: true,
                    due: body["validUntil"].as_i64(),
                    ..Facts::default()
                },
            })
            .collect();
        store
            .put_docs(&team, Kind::Receipt, &docs, true, NOW)
            .unwrap();
    }
    let teams: Vec<gigdash::api::Team> = (0..200)
        .map(|t| {
            serde_json::from_value(serde_json::json!({
                "id": format!("team_{t:03}"), "name": format!("Doña Lupe {t:03}"),
            }))
            .unwrap()
        })
        .collect();
    store.put_teams(&teams, NOW).unwrap();
    store
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let (store, team) = team_of_100k(dir.path());
    let mut g = c.benchmark_group("store_100k_invoices");
    g.sample_size(10);
    g.bench_function("first_screen_200_rows", |b| {
        b.iter(|| {
            let docs: Vec<Invoice> = store.docs(&team, Kind::Invoice, Some(200)).unwrap();
            let rows: Vec<InvoiceRow> = docs
                .iter()
                .map(|i| InvoiceRow::from_api(i, Lang::En))
                .collect();
            assert_eq!(rows.len(), 200);
        })
    });
    g.bench_function("whole_team_as_rows", |b| {
        b.iter(|| {
            let mut rows = Vec::new();
            store
                .each_batch::<Invoice>(&team, Kind::Invoice, 1000, |d| {
                    rows.extend(d.iter().map(|i| InvoiceRow::from_api(i, Lang::En)))
                })
                .unwrap();
            assert_eq!(rows.len(), 100_000);
        })
    });
    g.finish();

    let store = million(dir.path());
    let mut g = c.benchmark_group("store_1m_documents");
    g.sample_size(20);
    let w = Window::at(NOW, 30);
    g.bench_function("group_figures_200_teams", |b| {
        b.iter(|| {
            let f = store.figures(w, None).unwrap();
            assert_eq!(f.len(), 200);
        })
    });
    // 35 days of changes, 5 a day in each of the 200 teams: paid, failed, new links, new
    // and cancelled invoices.
    for t in 0..200 {
        let team = TeamId::new(format!("team_{t:03}"));
        for k in 0..175i64 {
            let (kind, before, after) = match k % 5 {
                0 => (Kind::Payment, Some("pending"), "succeeded"),
                1 => (Kind::Payment, Some("pending"), "failed"),
                2 => (Kind::Payment, None, "requires_payment_method"),
                3 => (Kind::Invoice, None, "valid"),
                _ => (Kind::Invoice, Some("valid"), "canceled"),
            };
            store
                .note_change(&gigdash::store::Change {
                    team: team.clone(),
                    kind,
                    id: format!("{kind:?}_{t}_{k}"),
                    seen: NOW - 35 * 86_400 + k * 17_280 + t,
                    before: before.map(str::to_string),
                    after: Some(after.to_string()),
                    amount: Decimal::new(10_000 + k * 37, 2),
                    created: NOW - 40 * 86_400,
                })
                .unwrap();
        }
    }
    // What the dashboard and `gigdash changes` ask: every change of the window read,
    // classified and labelled from its stored document, each team's late complements and
    // its receipts expiring this week, then summed per team.
    let summed = |since: i64| {
        let items = gigdash::worker::change_items(&store, None, since, NOW, Lang::Es).unwrap();
        assert!(
            items
                .iter()
                .any(|i| i.column == gigdash::app::data::changes::Column::ExpiringReceipts)
        );
        gigdash::app::data::changes::per_team(&items)
    };
    g.bench_function("changes_last_day_200_teams", |b| {
        b.iter(|| assert_eq!(summed(NOW - 86_400).len(), 200))
    });
    g.bench_function("changes_35_days_200_teams", |b| {
        b.iter(|| assert_eq!(summed(NOW - 36 * 86_400).len(), 200))
    });
    g.bench_function("one_teams_figures", |b| {
        let t = TeamId::new("team_100");
        b.iter(|| {
            let f = store.figures(w, Some(&t)).unwrap();
            assert_eq!(f.len(), 1);
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
