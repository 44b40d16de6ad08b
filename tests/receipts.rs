//! The Receipts tab: how long until each receipt expires (or since it did), `5` and the
//! palette open it and ask for the rows, `y` copies the self-invoice link, the rows come
//! from the sandbox as the API lists them.

mod common;

use gigdash::app::state::Asking;
use std::sync::Arc;

use common::*;
use crossterm::event::{KeyCode, KeyEvent};
use gigdash::app::data::documents::Row;
use gigdash::app::data::receipts::expiry;
use gigdash::app::state::Tab;
use gigdash::app::{Dataset, Msg, Request, Rows, Update, fixtures, update};
use gigdash::i18n::Lang;

#[test]
fn the_expiry_reads_in_days_hours_or_since() {
    let now = fixtures::NOW;
    assert_eq!(
        expiry(Some(now + 3 * 86_400 + 60), now, Lang::En),
        "in 3 days"
    );
    assert_eq!(expiry(Some(now + 86_400 + 60), now, Lang::En), "in 1 day");
    assert_eq!(expiry(Some(now + 5 * 3_600 + 60), now, Lang::En), "in 5 h");
    assert_eq!(expiry(Some(now + 90), now, Lang::En), "in 1 min");
    assert_eq!(
        expiry(Some(now - 2 * 86_400 - 60), now, Lang::En),
        "expired 2 days ago"
    );
    assert_eq!(
        expiry(Some(now - 2 * 86_400 - 60), now, Lang::Es),
        "venció hace 2 días"
    );
    assert_eq!(expiry(Some(now + 5 * 3_600), now, Lang::Es), "en 5 h");
    assert_eq!(expiry(None, now, Lang::En), "—");
}

#[test]
fn five_opens_the_receipts_and_y_copies_the_self_invoice_link() {
    let mut s = fixtures::loaded_state((120, 40), 20);
    let team = s.current.clone().unwrap();
    let reqs = update(&mut s, Msg::Key(KeyEvent::from(KeyCode::Char('5'))));
    assert_eq!(s.current_view().unwrap().tab, Tab::Receipts);
    assert!(
        reqs.iter().any(|r| matches!(
            r,
            Request::Load {
                dataset: Dataset::Receipts,
                ..
            }
        )),
        "{reqs:?}"
    );
    fixtures::deliver(
        &mut s,
        &team,
        Rows::Receipts(Arc::new(fixtures::receipts_in("master", 12, Lang::En))),
    );
    let view = s.current_view().unwrap();
    assert_eq!(view.receipts.rows.len(), 12);
    // Only open receipts say when they expire.
    for r in view.receipts.rows.iter() {
        assert_eq!(r.cell(4).is_empty(), !r.is_open(), "{}", r.id());
    }
    let reqs = update(&mut s, Msg::Key(KeyEvent::from(KeyCode::Char('y'))));
    let Some(Request::Copy { text }) = reqs.first() else {
        panic!("{reqs:?}")
    };
    assert!(
        text.starts_with("https://invoicing.gigstack.pro/autofactura?id=receipt_master_"),
        "{text}"
    );
    // The palette knows them in both languages.
    update(&mut s, Msg::Key(KeyEvent::from(KeyCode::Char('1'))));
    update(&mut s, Msg::Key(KeyEvent::from(KeyCode::Char(':'))));
    for c in "recibos".chars() {
        update(&mut s, Msg::Key(KeyEvent::from(KeyCode::Char(c))));
    }
    update(&mut s, Msg::Key(KeyEvent::from(KeyCode::Enter)));
    assert_eq!(s.current_view().unwrap().tab, Tab::Receipts);
}

#[tokio::test]
async fn the_worker_brings_every_receipt_the_api_lists() {
    let sb = sandbox().await;
    let c = client(&sb, sb.admin_key());
    let team = c.list_teams().await.unwrap()[0].id.clone();
    let (req, mut upd) = spawn_worker(c, |w| w);
    req.send(Request::Load {
        team: team.clone(),
        generation: 1,
        dataset: Dataset::Receipts,
        force: false,
    })
    .unwrap();
    // One deadline for the whole wait: other updates never extend it.
    let rows = recv_within(&mut upd, "the team's last page of receipts", |u| match u {
        Update::Page {
            rows: Rows::Receipts(r),
            done: true,
            ..
        } => Some(r),
        Update::LoadFailed { error, .. } => panic!("{error:?}"),
        _ => None,
    })
    .await;
    let api = walk(&sb, sb.admin_key(), &format!("/receipts?team={team}"), 100).await;
    assert_eq!(rows.len(), api.len());
    assert!(!rows.is_empty());
    let ids: std::collections::BTreeSet<&str> = rows.iter().map(|r| r.id()).collect();
    for r in &api {
        assert!(ids.contains(r["id"].as_str().unwrap()));
    }
}

#[test]
fn x_cancels_and_stamp_stamps_one_pending_receipt_once() {
    use gigdash::app::dialogs::kinds::WriteRequest;
    use gigdash::app::state::Popup;
    let mut s = fixtures::loaded_state((120, 40), 20);
    let team = s.current.clone().unwrap();
    update(&mut s, Msg::Key(KeyEvent::from(KeyCode::Char('5'))));
    fixtures::deliver(
        &mut s,
        &team,
        Rows::Receipts(Arc::new(fixtures::receipts_in("master", 12, Lang::En))),
    );
    // The first row is pending: x opens its cancellation, confirmed once.
    update(&mut s, Msg::Key(KeyEvent::from(KeyCode::Char('x'))));
    let Popup::Action(d) = &s.popup else {
        panic!("the dialog opens")
    };
    let id = d.object_text().clone();
    update(&mut s, Msg::Key(KeyEvent::from(KeyCode::Char('y'))));
    let reqs = update(&mut s, Msg::Key(KeyEvent::from(KeyCode::Enter)));
    let writes: Vec<_> = reqs
        .iter()
        .filter_map(|r| match r {
            Request::Write { request, .. } => Some(request.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(
        writes,
        vec![WriteRequest::CancelReceipt {
            receipt_id: id.clone()
        }]
    );
    // Locked while it runs.
    update(&mut s, Msg::Key(KeyEvent::from(KeyCode::Char('x'))));
    assert!(!matches!(s.popup, Popup::Action(_)));
    // The answer replaces the row.
    let cancelled: gigdash::api::Receipt = serde_json::from_value(serde_json::json!({
        "id": id, "status": "cancelled", "total": "100.50", "currency": "MXN",
        "client": {"name": "Distribuidora Peñasco"}, "created": fixtures::NOW,
    }))
    .unwrap();
    update(
        &mut s,
        Msg::Worker(Box::new(Update::WriteDone {
            team: team.clone(),
            request: writes[0].clone(),
            result: Ok(gigdash::app::WriteResult::Receipt(Box::new(cancelled))),
        })),
    );
    let row = s
        .current_view()
        .unwrap()
        .receipts
        .rows
        .iter()
        .find(|r| r.id() == id)
        .unwrap()
        .clone();
    assert_eq!(row.status_label(), "cancelled");
    // A receipt that is not pending is refused in words; `:stamp` on a pending one opens.
    update(&mut s, Msg::Key(KeyEvent::from(KeyCode::Char('x'))));
    let status = s.status.as_ref().unwrap().text.clone();
    assert!(status.contains("only a pending receipt"), "{status}");
    update(&mut s, Msg::Key(KeyEvent::from(KeyCode::Char('j'))));
    update(&mut s, Msg::Key(KeyEvent::from(KeyCode::Char(':'))));
    for c in "stamp".chars() {
        update(&mut s, Msg::Key(KeyEvent::from(KeyCode::Char(c))));
    }
    update(&mut s, Msg::Key(KeyEvent::from(KeyCode::Enter)));
    let Popup::Action(d) = &s.popup else {
        panic!("the stamp dialog opens: {:?}", s.status)
    };
    assert_eq!(
        d.kind(),
        gigdash::app::dialogs::kinds::WriteKind::StampReceipt
    );
}

#[test]
fn a_on_receipts_asks_every_team_and_shows_them_with_their_team() {
    let mut s = fixtures::loaded_state((120, 40), 20);
    update(&mut s, Msg::Key(KeyEvent::from(KeyCode::Char('5'))));
    let reqs = update(&mut s, Msg::Key(KeyEvent::from(KeyCode::Char('a'))));
    let asked: Vec<_> = reqs
        .iter()
        .filter_map(|r| match r {
            Request::Load {
                team,
                dataset: Dataset::Receipts,
                ..
            } => Some(team.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(asked.len(), s.teams.len(), "{reqs:?}");
    let generation = s.asked.current(Asking::Team);
    for (i, team) in asked.iter().enumerate() {
        update(
            &mut s,
            Msg::Worker(Box::new(Update::Page {
                team: team.clone(),
                generation,
                rows: Rows::Receipts(Arc::new(fixtures::receipts_in(
                    &format!("t{i}"),
                    3,
                    Lang::En,
                ))),
                first: true,
                done: true,
                total: Some(3),
                now: fixtures::NOW,
                cached_age: None,
            })),
        );
    }
    assert_eq!(s.scope.receipts.rows.len(), 3 * asked.len());
}

#[test]
fn a_receipt_without_dates_or_total_keeps_its_row() {
    let r: gigdash::api::Receipt =
        serde_json::from_value(serde_json::json!({"id": "receipt_bare", "status": "pending"}))
            .unwrap();
    let row = gigdash::app::data::receipts::ReceiptRow::from_api(&r, Lang::En, fixtures::NOW);
    assert_eq!(row.id(), "receipt_bare");
    assert_eq!(row.cell(0), "");
    assert_eq!(row.total_fmt(), "$0.00 MXN");
    assert_eq!(row.cell(4), "—");
    assert_eq!(row.client(), "Público en general");
}
