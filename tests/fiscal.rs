//! `:validate`: every client of a team checked by gigstack with progress, the failing ones
//! listed with what fails in words, an answer of another shape shown as "unknown", the
//! result remembered in the store with its date.

mod common;

use std::sync::Arc;

use common::*;
use gigdash::api::{ApiClient, ApiKey, FiscalCheck, TeamId};
use gigdash::app::data::fiscal::problems;
use gigdash::app::state::Popup;
use gigdash::app::{Request, Update, fixtures};
use gigdash::i18n::Lang;

#[tokio::test]
async fn every_client_is_checked_with_progress_and_the_failing_ones_match_the_api() {
    let sb = sandbox().await;
    let c = client(&sb, sb.admin_key());
    let team = c.list_teams().await.unwrap()[0].id.clone();
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(
        gigdash::store::open_in(dir.path(), "s.sqlite3")
            .unwrap()
            .store,
    );
    let (req, mut upd) = spawn_worker(c, |w| w.with_store(Some(store.clone()), false));
    req.send(Request::Validate {
        generation: 7,
        teams: vec![team.clone()],
    })
    .unwrap();
    let mut progress = Vec::new();
    let check = recv_within(&mut upd, "the check's result", |u| match u {
        Update::Validating {
            generation,
            done,
            of,
        } => {
            assert_eq!(generation, 7);
            progress.push((done, of));
            None
        }
        Update::Validated { result, .. } => Some(result.unwrap()),
        _ => None,
    })
    .await;
    let all = walk(&sb, sb.admin_key(), &format!("/clients?team={team}"), 100).await;
    assert_eq!(check.clients.len(), all.len());
    assert_eq!(progress.first(), Some(&(0, all.len())));
    assert_eq!(progress.last(), Some(&(all.len(), all.len())));
    // The sandbox's own rule: a regime of three digits and a postal code of five.
    let bad: std::collections::BTreeSet<String> = all
        .iter()
        .filter(|c| {
            c["tax_system"].as_str().is_none_or(|s| s.len() != 3)
                || c["address"]["zip"].as_str().is_none_or(|z| z.len() != 5)
        })
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect();
    let failing: std::collections::BTreeSet<String> =
        check.failing().map(|c| c.id.clone()).collect();
    assert!(!bad.is_empty(), "the demo world has clients that fail");
    assert_eq!(failing, bad);
    // Remembered with its date.
    let (note, at) = store
        .recall(&gigdash::app::data::fiscal::note_key(&team))
        .unwrap()
        .expect("remembered");
    let list: Vec<serde_json::Value> = serde_json::from_str(&note).unwrap();
    assert_eq!(list.len(), bad.len());
    assert!(at > 1_700_000_000);
}

#[tokio::test]
async fn an_answer_of_another_shape_is_unknown_not_a_crash() {
    use wiremock::matchers::{method, path_regex};
    use wiremock::{Mock, MockServer, ResponseTemplate};
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path_regex("/v2/clients/validate/.*"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "message": "ok", "data": {"resultado": "sin cambios", "is_valid": "sí"}
        })))
        .mount(&server)
        .await;
    let c = ApiClient::new(
        ApiKey::new("sk_test_0123456789abcdef"),
        fast_config(&format!("{}/v2", server.uri())),
    )
    .unwrap();
    let got = c.validate_client(&TeamId::new("team_x"), "client_1").await;
    assert_eq!(got, Ok(FiscalCheck::Unknown));
    assert_eq!(
        problems(&Ok(FiscalCheck::Unknown), Lang::En),
        "unknown (the answer had another shape)"
    );
}

#[test]
fn the_check_says_its_progress_then_lists_what_fails_in_words() {
    let s = fixtures::fiscal_checked_state((120, 40), Lang::En);
    let Popup::Listing(l) = &s.popup else {
        panic!("the list opens")
    };
    let rows = l.rows.clone().unwrap().unwrap();
    assert_eq!(rows.len(), 3, "{rows:?}");
    let why: Vec<&str> = rows.iter().map(|r| r[3].as_str()).collect();
    assert!(why.contains(&"postal code, tax regime"), "{why:?}");
    assert!(why.contains(&"RFC, on SAT's EFOS list"), "{why:?}");
    assert!(
        why.contains(&"unknown (the answer had another shape)"),
        "{why:?}"
    );
    // The answer of another shape is listed with its reason, and not counted as failing.
    let status = s.status.as_ref().unwrap().text.clone();
    assert_eq!(
        status,
        "Fiscal check: 2 of 4 clients fail. 1 could not be checked."
    );
    let s = fixtures::fiscal_checked_state((120, 40), Lang::Es);
    assert_eq!(
        s.status.as_ref().unwrap().text,
        "Revisión fiscal: 2 de 4 clientes fallan. No se pudieron revisar: 1."
    );
}

#[test]
fn the_clients_table_shows_the_check_in_a_column_and_the_filter_finds_it() {
    use crossterm::event::{KeyCode, KeyEvent};
    use gigdash::app::data::documents::Row;
    let mut s = fixtures::fiscal_checked_state((120, 40), Lang::En);
    gigdash::app::update(&mut s, gigdash::app::Msg::Key(KeyEvent::from(KeyCode::Esc)));
    gigdash::app::update(
        &mut s,
        gigdash::app::Msg::Key(KeyEvent::from(KeyCode::Char('2'))),
    );
    let view = s.current_view().unwrap();
    let cells: Vec<String> = view
        .clients
        .rows
        .iter()
        .map(|r| r.cell(5).to_string())
        .collect();
    assert!(cells.contains(&"✓ valid".to_string()), "{cells:?}");
    assert!(
        cells.contains(&"postal code, tax regime".to_string()),
        "{cells:?}"
    );
    assert_eq!(
        cells.iter().filter(|c| c.is_empty()).count(),
        view.clients.rows.len() - 4
    );
    // `/postal` keeps the one whose postal code fails.
    gigdash::app::update(
        &mut s,
        gigdash::app::Msg::Key(KeyEvent::from(KeyCode::Char('/'))),
    );
    for c in "postal".chars() {
        gigdash::app::update(
            &mut s,
            gigdash::app::Msg::Key(KeyEvent::from(KeyCode::Char(c))),
        );
    }
    let view = s.current_view().unwrap();
    assert_eq!(view.clients.view.len(), 1);
}

#[tokio::test]
async fn the_month_summary_counts_the_clients_that_failed_the_check() {
    let sb = sandbox().await;
    let c = client(&sb, sb.admin_key());
    let teams = c.list_teams().await.unwrap();
    let (team, name) = (teams[0].id.clone(), teams[0].display_name().to_string());
    // No store: this run's check is what the summary counts.
    let (req, mut upd) = spawn_worker(c, |w| w);
    req.send(Request::Validate {
        generation: 1,
        teams: vec![team.clone()],
    })
    .unwrap();
    let failing = recv_within(&mut upd, "the check's result", |u| match u {
        Update::Validated { result, .. } => Some(result.unwrap().failing().count()),
        _ => None,
    })
    .await;
    req.send(Request::LoadListing {
        team,
        kind: gigdash::app::data::account::ListingKind::Month,
    })
    .unwrap();
    let rows = recv_within(&mut upd, "the month summary", |u| match u {
        Update::Listing { result, .. } => Some(result.unwrap()),
        _ => None,
    })
    .await;
    let row = rows.iter().find(|r| r[0] == name).expect("the team's row");
    assert_eq!(row[6], failing.to_string(), "{row:?}");
    // Teams never checked say so.
    assert!(rows.iter().any(|r| r[6] == "—"), "{rows:?}");
}

#[tokio::test]
async fn under_429s_the_failing_count_is_the_sandboxs_truth_not_its_errors() {
    let sb = sandbox().await;
    let c = client(&sb, sb.admin_key());
    let team = c.list_teams().await.unwrap()[0].id.clone();
    // The truth, read before any fault: the sandbox's own rule.
    let all = walk(&sb, sb.admin_key(), &format!("/clients?team={team}"), 100).await;
    let bad: std::collections::BTreeSet<String> = all
        .iter()
        .filter(|c| {
            c["tax_system"].as_str().is_none_or(|s| s.len() != 3)
                || c["address"]["zip"].as_str().is_none_or(|z| z.len() != 5)
        })
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect();
    assert!(!bad.is_empty() && bad.len() < all.len(), "a mixed world");
    // 30 % of the requests answered 429, and surely a few: once the client list is read,
    // the next six requests are 429s.
    set_faults(
        &sb,
        serde_json::json!({
            "fault_rate": 0.3,
            "kinds": ["429"],
            "retry_after_secs": 0,
            "skip": 1,
            "fail_next": ["429", "429", "429", "429", "429", "429"],
        }),
    )
    .await;
    let limited = rate_limited(&sb).await;
    let (req, mut upd) = spawn_worker(c, |w| w);
    req.send(Request::Validate {
        generation: 1,
        teams: vec![team.clone()],
    })
    .unwrap();
    let check = recv_within(&mut upd, "the check's result", |u| match u {
        Update::Validated { result, .. } => Some(result.unwrap()),
        _ => None,
    })
    .await;
    assert!(
        rate_limited(&sb).await > limited + 5,
        "the check met 429s (the test proves nothing otherwise); {} clients",
        all.len()
    );
    assert_eq!(check.clients.len(), all.len());
    let errors: Vec<&str> = check
        .clients
        .iter()
        .filter_map(|c| c.result.as_ref().err().map(String::as_str))
        .collect();
    assert!(
        errors.is_empty(),
        "a 429 is retried, not reported: {errors:?}"
    );
    let failing: std::collections::BTreeSet<String> =
        check.failing().map(|c| c.id.clone()).collect();
    assert_eq!(failing, bad, "the failing ones are the sandbox's, no more");
}

#[test]
fn a_client_that_could_not_be_checked_is_not_counted_as_failing() {
    use gigdash::app::data::fiscal::{ClientCheck, TeamCheck};
    let one = |id: &str, result| ClientCheck {
        id: id.into(),
        name: id.into(),
        rfc: "XAXX010101000".into(),
        result,
    };
    let check = TeamCheck {
        at: 1,
        clients: vec![
            one("ok", Ok(FiscalCheck::Valid)),
            one("bad", Ok(FiscalCheck::Invalid(vec!["zip".into()]))),
            one("timeout", Err("no answer".into())),
            one("shape", Ok(FiscalCheck::Unknown)),
        ],
    };
    let failing: Vec<&str> = check.failing().map(|c| c.id.as_str()).collect();
    assert_eq!(failing, ["bad"]);
    let unchecked: Vec<&str> = check.unchecked().map(|c| c.id.as_str()).collect();
    assert_eq!(unchecked, ["timeout", "shape"]);
}
