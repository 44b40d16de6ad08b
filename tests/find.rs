//! Cross-team find: `F` and `:find` ask the worker once for every team; the worker searches
//! what its cache holds (every team the Group tab loaded) by name, RFC, UUID, folio, id or
//! exact amount; Enter jumps to that team, tab and row.

mod common;

use std::sync::Arc;

use common::*;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use gigdash::api::{ApiClient, ApiKey, TeamId};
use gigdash::app::data::documents::Row;
use gigdash::app::data::search::{FindHit, Query};
use gigdash::app::fixtures::{self, deliver, loaded_state, team_id};
use gigdash::app::input::action::Action;
use gigdash::app::state::Popup;
use gigdash::app::{Dataset, Msg, Request, Rows, Tab, Update, update};

fn key(s: &mut gigdash::app::State, code: KeyCode) -> Vec<Request> {
    update(s, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

#[test]
fn an_amount_is_matched_exactly_and_text_within_names_rfcs_and_ids() {
    let q = Query::parse("$1,160.50").unwrap();
    assert_eq!(q.amount, Some(rust_decimal::Decimal::new(116050, 2)));
    let q = Query::parse("Peñasco").unwrap();
    assert_eq!(q.amount, None);
    let rows = fixtures::invoices("master", 40);
    let hit: Vec<_> = rows.iter().filter(|r| q.invoice(r)).collect();
    assert!(!hit.is_empty() && hit.iter().all(|r| r.client().contains("Peñasco")));
    let exact = Query::parse(&rows[3].total.to_string()).unwrap();
    assert!(exact.invoice(&rows[3]));
    assert!(Query::parse("   ").is_none());
}

#[test]
fn find_asks_once_for_every_team_and_enter_jumps_to_the_row() {
    let mut s = loaded_state((120, 40), 30);
    assert!(
        gigdash::app::input::bindings::enabled(&s, Action::Find).is_ok(),
        "F works wherever there are teams"
    );
    key(&mut s, KeyCode::Char('F'));
    assert!(matches!(s.popup, Popup::Find(_)));
    for c in "peñasco".chars() {
        key(&mut s, KeyCode::Char(c));
    }
    let reqs = key(&mut s, KeyCode::Enter);
    let (generation, teams) = match &reqs[..] {
        [
            Request::Find {
                generation, teams, ..
            },
        ] => (*generation, teams.len()),
        other => panic!("{other:?}"),
    };
    assert_eq!(teams, 3);
    let other = team_id("coyoacan");
    let target = fixtures::payments("coyoacan", 10)[4].id().to_string();
    update(
        &mut s,
        Msg::Worker(Box::new(Update::Found {
            generation,
            searched: 3,
            hits: vec![FindHit {
                team: other.clone(),
                dataset: Dataset::Payments,
                id: target.clone(),
                label: "pay".into(),
            }],
        })),
    );
    let reqs = key(&mut s, KeyCode::Enter);
    assert_eq!(s.current, Some(other.clone()));
    assert_eq!(s.current_view().unwrap().tab, Tab::Payments);
    assert!(reqs.iter().any(|r| matches!(
        r,
        Request::Load {
            dataset: Dataset::Payments,
            ..
        }
    )));
    // The row is selected when the team's payments arrive.
    deliver(
        &mut s,
        &other,
        Rows::Payments(Arc::new(fixtures::payments("coyoacan", 10))),
    );
    let v = s.current_view().unwrap();
    assert_eq!(v.payments.selected_row().unwrap().id(), target);
    assert!(s.jump.is_none());
}

#[test]
fn older_results_are_dropped_and_the_palette_searches_too() {
    let mut s = loaded_state((120, 40), 5);
    gigdash::app::update::run_command(&mut s, ":buscar 1160");
    let Popup::Find(f) = &s.popup else { panic!() };
    let first = f.generation;
    assert!(first > 0 && f.searching);
    gigdash::app::update::run_command(&mut s, ":find Peñasco");
    update(
        &mut s,
        Msg::Worker(Box::new(Update::Found {
            generation: first,
            searched: 1,
            hits: vec![FindHit {
                team: TeamId::new("x"),
                dataset: Dataset::Clients,
                id: "c".into(),
                label: "old".into(),
            }],
        })),
    );
    let Popup::Find(f) = &s.popup else { panic!() };
    assert!(
        f.results.is_empty() && f.searching,
        "an older search's answer is dropped"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_worker_finds_in_every_team_the_group_tab_loaded() {
    let sb = sandbox().await;
    let (rows, req_tx, mut rx) = group_figures(&sb, None).await;
    let mut teams: Vec<TeamId> = rows.into_iter().map(|(team, _)| team).collect();
    teams.sort();
    // A payment of the third team, found by its id and by its exact amount.
    let third = &teams[2];
    let pay = walk(&sb, sb.admin_key(), &format!("/payments?team={third}"), 100).await[0].clone();
    let id = pay["id"].as_str().unwrap().to_string();
    for text in [id.clone(), pay["total"].to_string()] {
        req_tx
            .send(Request::Find {
                generation: 7,
                teams: teams.clone(),
                query: Query::parse(&text).unwrap(),
            })
            .unwrap();
        let (hits, searched) = recv_within(&mut rx, "the find's answer", |u| match u {
            Update::Found { hits, searched, .. } => Some((hits, searched)),
            _ => None,
        })
        .await;
        assert_eq!(searched, teams.len(), "every loaded team was searched");
        assert!(
            hits.iter()
                .any(|h| h.team == *third && h.id == id && h.dataset == Dataset::Payments),
            "{text}: {hits:?}"
        );
    }
}

/// The Group tab's load through a worker on `sb`: (team, figures) for every team.
async fn group_figures(
    sb: &gigdash::sandbox::Sandbox,
    faults: Option<serde_json::Value>,
) -> (
    Vec<(
        TeamId,
        Result<Box<gigdash::app::data::group_figures::TeamFigures>, gigdash::api::ApiError>,
    )>,
    tokio::sync::mpsc::UnboundedSender<Request>,
    tokio::sync::mpsc::UnboundedReceiver<Update>,
) {
    let client = client(sb, sb.admin_key());
    let teams: Vec<TeamId> = client
        .list_teams()
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.id)
        .collect();
    if let Some(f) = faults {
        set_faults(sb, f).await;
    }
    let (req_tx, mut rx) = spawn_worker(client, |w| w);
    req_tx
        .send(Request::LoadGroup {
            generation: 1,
            teams: teams.clone(),
            force: false,
        })
        .unwrap();
    // One deadline for the whole load, however many rows it has.
    let deadline = tokio::time::Instant::now() + ANSWER_WITHIN;
    let mut out = Vec::new();
    while out.len() < teams.len() {
        let what = format!("group row {} of {}", out.len() + 1, teams.len());
        out.push(
            recv_until(&mut rx, deadline, &what, |u| match u {
                Update::GroupRow { team, result, .. } => Some((team, result)),
                _ => None,
            })
            .await,
        );
    }
    (out, req_tx, rx)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_rate_limit_slows_the_group_load_and_never_fails_a_row() {
    let sb = sandbox().await;
    let faults = serde_json::json!({"fault_rate": 0.5, "kinds": ["429"], "retry_after_secs": 0});
    assert_eq!(rate_limited(&sb).await, 0, "no 429 before the load");
    let (rows, _, _) = group_figures(&sb, Some(faults)).await;
    let failed: Vec<_> = rows.iter().filter(|(_, r)| r.is_err()).collect();
    assert!(failed.is_empty(), "{failed:?}");
    // The load did meet the rate limit: the sandbox answered 429s, and each was retried.
    let served = rate_limited(&sb).await;
    assert!(
        served > 0,
        "the sandbox answered no 429, so nothing was slowed"
    );
    println!("{served} 429s served during the group load");
}

#[tokio::test(flavor = "multi_thread")]
async fn opening_a_team_the_group_loaded_answers_from_the_cache_at_once() {
    let sb = sandbox().await;
    let (rows, req_tx, mut rx) = group_figures(&sb, None).await;
    let (team, _) = &rows[1];
    let (_, served) = stats(&sb).await;
    req_tx
        .send(Request::Load {
            team: team.clone(),
            generation: 2,
            dataset: Dataset::Payments,
            force: false,
        })
        .unwrap();
    let (cached_age, done) = recv_within(&mut rx, "the team's payments", |u| match u {
        Update::Page {
            cached_age, done, ..
        } => Some((cached_age, done)),
        _ => None,
    })
    .await;
    assert!(
        cached_age.is_some() && done,
        "the rows the Group tab loaded"
    );
    assert_eq!(stats(&sb).await.1, served, "no request was needed");
}

#[tokio::test(flavor = "multi_thread")]
async fn export_and_the_group_tab_agree_on_what_each_team_has_to_collect() {
    let sb = sandbox().await;
    let (rows, _, _) = group_figures(&sb, None).await;
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_gigdash"))
        .args(["export", "payments", "--all-teams", "--format", "json"])
        .env("GIGSTACK_API_KEY", sb.admin_key())
        .env("GIGSTACK_API_BASE_URL", &sb.base_url)
        .env("XDG_STATE_HOME", dir.path())
        .env("XDG_CONFIG_HOME", dir.path())
        .env_remove("GIGDASH_CONFIG")
        .output()
        .unwrap();
    assert!(out.status.success());
    let exported: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    for (team, figures) in rows {
        let f = figures.unwrap();
        let pending = exported
            .iter()
            .filter(|p| p["team"] == team.as_str())
            .filter(|p| {
                matches!(
                    p["status"].as_str(),
                    Some("pending" | "requires_payment_method" | "processing")
                )
            })
            .count();
        assert_eq!(f.to_collect, pending, "{team}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_worker_reads_the_keys_role_in_each_team() {
    use gigdash::sandbox::model::Role;
    let sb = sandbox().await;
    let member = sb.master_key(Role::Member).key.clone();
    let client = ApiClient::new(ApiKey::new(&member), fast_config(&sb.base_url)).unwrap();
    let teams: Vec<TeamId> = client
        .list_teams()
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.id)
        .take(3)
        .collect();
    let (req_tx, mut rx) = spawn_worker(client, |w| w);
    req_tx
        .send(Request::CheckRoles {
            generation: 4,
            teams: teams.clone(),
        })
        .unwrap();
    let (generation, roles) = recv_within(&mut rx, "the roles", |u| match u {
        Update::Roles { generation, roles } => Some((generation, roles)),
        _ => None,
    })
    .await;
    assert_eq!(generation, 4);
    assert_eq!(roles.len(), 3);
    for (team, role) in roles {
        assert_eq!(role.as_deref().ok(), Some("member"), "{team}");
    }
}
