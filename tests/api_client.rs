//! The API client over real HTTP on loopback: against the sandbox, and against wiremock
//! where a response the sandbox cannot produce is needed.

mod common;

use std::time::{Duration, Instant};

use common::*;
use gigdash::api::key::unsigned_jwt;
use gigdash::api::*;
use gigdash::sandbox::model::Role;
use serde_json::json;
use wiremock::matchers::{header, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn jwt(team: &str) -> String {
    unsigned_jwt(&json!({"livemode": false, "team": team, "key_id": "sk_test_wire"}))
}

fn page_body(ids: &[&str]) -> serde_json::Value {
    json!({"message": "ok", "data": ids.iter().map(|i| json!({"id": i, "status": "pending", "total": 1})).collect::<Vec<_>>(), "has_more": false, "total_results": ids.len()})
}

#[tokio::test]
async fn every_call_carries_the_key_and_team_only_for_other_teams() {
    let server = MockServer::start().await;
    let key = jwt("team_own");
    Mock::given(method("GET"))
        .and(path("/v2/payments"))
        .and(header("authorization", format!("Bearer {key}").as_str()))
        .and(query_param_is_missing("team"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page_body(&["payment_own"])))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v2/payments"))
        .and(header("authorization", format!("Bearer {key}").as_str()))
        .and(query_param("team", "team_other"))
        .and(query_param("status", "pending"))
        .and(query_param("created[gte]", "1700000000"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page_body(&["payment_other"])))
        .expect(1)
        .mount(&server)
        .await;
    let c = ApiClient::new(
        ApiKey::new(key.clone()),
        fast_config(&format!("{}/v2", server.uri())),
    )
    .unwrap();
    let own: Page<Payment> = c
        .list_page(
            &TeamId::new("team_own"),
            Resource::Payments,
            &ListQuery::default(),
        )
        .await
        .unwrap();
    assert_eq!(own.items[0].id, "payment_own");
    let q = ListQuery {
        status: Some("pending".into()),
        created_gte: Some(1_700_000_000),
        ..Default::default()
    };
    let other: Page<Payment> = c
        .list_page(&TeamId::new("team_other"), Resource::Payments, &q)
        .await
        .unwrap();
    assert_eq!(other.items[0].id, "payment_other");
    for r in server.received_requests().await.unwrap() {
        let ua = r.headers.get("user-agent").unwrap().to_str().unwrap();
        assert!(ua.starts_with("gigdash/"), "{ua}");
    }
}

#[tokio::test]
async fn pagination_yields_every_item_exactly_once() {
    let sb = sandbox().await;
    let c = client(&sb, sb.admin_key());
    let teams = c.list_teams().await.unwrap();
    assert!(teams.len() >= 9, "master and branches: {}", teams.len());
    for team in teams.iter().take(3) {
        let first: Page<Invoice> = c
            .list_page(
                &team.id,
                Resource::IncomeInvoices,
                &ListQuery {
                    limit: Some(7),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        let all = c
            .fetch_all::<Invoice>(&team.id, Resource::IncomeInvoices, &ListQuery::default())
            .await
            .unwrap();
        assert_eq!(Some(all.len() as u64), first.total_results);
        let mut uuids: Vec<&str> = all.iter().map(|i| i.uuid()).collect();
        uuids.sort();
        uuids.dedup();
        assert_eq!(uuids.len(), all.len(), "no duplicates");
        assert!(
            all.iter()
                .all(|i| i.team.as_deref() == Some(team.id.as_str()))
        );
    }
}

#[tokio::test]
async fn each_failure_maps_to_its_typed_error() {
    let sb = sandbox().await;
    let admin = client(&sb, sb.admin_key());
    let master = TeamId::new(sb.keys[0].team.clone());
    let branch_key = sb.key(|k| k.note.starts_with("branch")).unwrap();
    let other_key = sb.key(|k| k.note.starts_with("another")).unwrap();
    let q = ListQuery::default();

    let bad = client(&sb, "sk_test_nope_nope_nope");
    let e = bad
        .list_page::<Client>(&master, Resource::Clients, &q)
        .await
        .unwrap_err();
    assert!(matches!(e, ApiError::Unauthorized { .. }), "{e:?}");

    let branch = client(&sb, &branch_key.key);
    let e = branch
        .list_page::<Client>(&master, Resource::Clients, &q)
        .await
        .unwrap_err();
    assert!(matches!(e, ApiError::NotMasterTeam { .. }), "{e:?}");

    let e = admin
        .list_page::<Client>(&TeamId::new("team_doesnotexist"), Resource::Clients, &q)
        .await
        .unwrap_err();
    assert!(matches!(e, ApiError::TeamNotFound { .. }), "{e:?}");
    let closed = sb
        .shared
        .store()
        .teams
        .iter()
        .find(|t| !t.active)
        .unwrap()
        .id
        .clone();
    let e = admin
        .list_page::<Client>(&TeamId::new(closed), Resource::Clients, &q)
        .await
        .unwrap_err();
    assert!(
        matches!(e, ApiError::TeamNotFound { .. }),
        "inactive team: {e:?}"
    );

    let other = client(&sb, &other_key.key);
    let e = other
        .list_page::<Client>(&master, Resource::Clients, &q)
        .await
        .unwrap_err();
    assert!(matches!(e, ApiError::NoMatchedTeams { .. }), "{e:?}");

    let payments = admin
        .fetch_all::<Payment>(&master, Resource::Payments, &q)
        .await
        .unwrap();
    let pending = payments
        .iter()
        .find(|p| p.status().is_uncollected())
        .unwrap();
    let succeeded = payments
        .iter()
        .find(|p| p.status() == PaymentStatus::Succeeded)
        .unwrap();
    let viewer = client(&sb, &sb.master_key(Role::Viewer).key);
    let e = viewer
        .cancel_payment(&master, &pending.id, &IdempotencyKey::generate("t"))
        .await
        .unwrap_err();
    assert!(matches!(e, ApiError::RoleDenied { .. }), "{e:?}");

    let e = admin
        .get_payment(&master, "payment_missing")
        .await
        .unwrap_err();
    assert!(matches!(e, ApiError::NotFound { .. }), "{e:?}");

    let e = admin
        .cancel_payment(&master, &succeeded.id, &IdempotencyKey::generate("t"))
        .await
        .unwrap_err();
    assert!(matches!(e, ApiError::Conflict { .. }), "{e:?}");

    let e = admin
        .mark_paid(
            &master,
            &pending.id,
            &MarkPaid {
                payment_form: "99".into(),
                date: None,
            },
            &IdempotencyKey::generate("t"),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(e, ApiError::Validation { status: 400, .. }),
        "{e:?}"
    );

    let no_retry = ApiClient::new(
        ApiKey::new(sb.admin_key()),
        ClientConfig {
            max_retries: 0,
            timeout: Duration::from_millis(400),
            ..fast_config(&sb.base_url)
        },
    )
    .unwrap();
    set_faults(&sb, json!({"fail_next": ["429"], "retry_after_secs": 7})).await;
    let e = no_retry
        .list_page::<Client>(&master, Resource::Clients, &q)
        .await
        .unwrap_err();
    assert_eq!(
        e,
        ApiError::RateLimited {
            retry_after: Some(Duration::from_secs(7))
        }
    );

    set_faults(&sb, json!({"fail_next": ["500"]})).await;
    let e = no_retry
        .list_page::<Client>(&master, Resource::Clients, &q)
        .await
        .unwrap_err();
    assert!(matches!(e, ApiError::Server { status: 500, .. }), "{e:?}");

    set_faults(&sb, json!({"fail_next": ["stall"], "stall_ms": 3000})).await;
    let e = no_retry
        .list_page::<Client>(&master, Resource::Clients, &q)
        .await
        .unwrap_err();
    assert_eq!(e, ApiError::Timeout);

    set_faults(&sb, json!({"fail_next": ["truncated"]})).await;
    let e = no_retry
        .list_page::<Client>(&master, Resource::Clients, &q)
        .await
        .unwrap_err();
    assert!(
        matches!(e, ApiError::Decode { ref message, .. } if message.contains("truncated")),
        "{e:?}"
    );

    set_faults(&sb, json!({"fail_next": ["html"]})).await;
    let e = no_retry
        .list_page::<Client>(&master, Resource::Clients, &q)
        .await
        .unwrap_err();
    assert!(
        // No raw HTML in the words a person reads (the log has the body).
        matches!(e, ApiError::Server { status: 502, ref message } if message.contains("HTML page") && !message.contains('<')),
        "{e:?}"
    );

    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let dead = ApiClient::new(
        ApiKey::new(sb.admin_key()),
        ClientConfig {
            max_retries: 0,
            ..fast_config(&format!("http://127.0.0.1:{port}/v2"))
        },
    )
    .unwrap();
    let e = dead.list_teams().await.unwrap_err();
    assert!(matches!(e, ApiError::Network { .. }), "{e:?}");
}

#[tokio::test]
async fn odd_success_bodies_become_clear_errors() {
    let server = MockServer::start().await;
    let cases = [
        (
            "/v2/clients",
            ResponseTemplate::new(200).set_body_string("<html>login</html>"),
            "decode",
        ),
        ("/v2/services", ResponseTemplate::new(200), "decode"),
        (
            "/v2/users",
            ResponseTemplate::new(200)
                .set_body_json(json!({"success": false, "message": "Team suspended"})),
            "refused",
        ),
        (
            "/v2/receipts",
            ResponseTemplate::new(200).set_body_json(json!({"data": "nope"})),
            "decode",
        ),
    ];
    for (p, resp, _) in &cases {
        Mock::given(method("GET"))
            .and(path(*p))
            .respond_with(resp.clone())
            .mount(&server)
            .await;
    }
    let c = ApiClient::new(
        ApiKey::new(jwt("t")),
        fast_config(&format!("{}/v2", server.uri())),
    )
    .unwrap();
    let team = TeamId::new("t");
    let resources = [
        Resource::Clients,
        Resource::Services,
        Resource::Users,
        Resource::Receipts,
    ];
    for (r, (_, _, kind)) in resources.iter().zip(cases.iter()) {
        let e = c
            .list_page::<serde_json::Value>(&team, *r, &ListQuery::default())
            .await
            .unwrap_err();
        assert_eq!(e.kind(), *kind, "{r:?}: {e}");
    }
}

#[tokio::test]
async fn get_is_retried_but_a_post_without_idempotency_key_is_not() {
    let sb = sandbox().await;
    let c = client(&sb, sb.admin_key());
    let master = TeamId::new(sb.keys[0].team.clone());
    let (_, before) = stats(&sb).await;
    set_faults(&sb, json!({"fail_next": ["502", "503"]})).await;
    let page: Page<Client> = c
        .list_page(&master, Resource::Clients, &ListQuery::default())
        .await
        .unwrap();
    assert!(!page.items.is_empty());
    let (_, after) = stats(&sb).await;
    // stats() itself is not counted; the GET needed three attempts.
    assert_eq!(after - before, 3);

    let clients = c
        .fetch_all::<Client>(&master, Resource::Clients, &ListQuery::default())
        .await
        .unwrap();
    let body = json!({"client": {"id": clients[0].id}, "payment_form": "03", "items": [{"description": "Tacos", "quantity": 1, "unit_price": 100}]});
    let (writes0, req0) = stats(&sb).await;
    set_faults(&sb, json!({"fail_next": ["apply_then_502"]})).await;
    let e = c.register_payment(&master, &body, None).await.unwrap_err();
    assert!(matches!(e, ApiError::Server { status: 502, .. }), "{e:?}");
    let (writes1, req1) = stats(&sb).await;
    assert_eq!(req1 - req0, 1, "a keyless POST is sent once");
    assert_eq!(writes1 - writes0, 1);

    // With a key, the lost answer is retried with the same key and applied once.
    let key = IdempotencyKey::generate("register");
    set_faults(&sb, json!({"fail_next": ["apply_then_502"]})).await;
    let p = c
        .register_payment(&master, &body, Some(&key))
        .await
        .unwrap();
    assert_eq!(p.status(), PaymentStatus::Succeeded);
    assert_eq!(p.idempotency_key.as_deref(), Some(key.as_str()));
    let (writes2, req2) = stats(&sb).await;
    assert_eq!(req2 - req1, 2);
    assert_eq!(writes2 - writes1, 1, "applied once despite the retry");
}

#[tokio::test]
async fn retry_after_is_honoured() {
    let sb = sandbox().await;
    let c = client(&sb, sb.admin_key());
    let master = TeamId::new(sb.keys[0].team.clone());
    set_faults(&sb, json!({"fail_next": ["429"], "retry_after_secs": 1})).await;
    let t = Instant::now();
    let page: Page<Client> = c
        .list_page(&master, Resource::Clients, &ListQuery::default())
        .await
        .unwrap();
    assert!(!page.items.is_empty());
    assert!(
        t.elapsed() >= Duration::from_millis(950),
        "waited {:?}",
        t.elapsed()
    );
}

#[tokio::test]
async fn idempotency_key_is_the_same_on_every_retry() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v2/payments/payment_1/paid"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(2)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v2/payments/payment_1/paid"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"data": {"id": "payment_1", "status": "succeeded", "total": 10}}),
        ))
        .mount(&server)
        .await;
    let c = ApiClient::new(
        ApiKey::new(jwt("t")),
        fast_config(&format!("{}/v2", server.uri())),
    )
    .unwrap();
    let key = IdempotencyKey::generate("mark_paid");
    let p = c
        .mark_paid(
            &TeamId::new("t"),
            "payment_1",
            &MarkPaid {
                payment_form: "03".into(),
                date: Some(1_790_000_000),
            },
            &key,
        )
        .await
        .unwrap();
    assert_eq!(p.status(), PaymentStatus::Succeeded);
    let reqs = server.received_requests().await.unwrap();
    assert_eq!(reqs.len(), 3);
    for r in &reqs {
        assert_eq!(
            r.headers.get("idempotency-key").unwrap().to_str().unwrap(),
            key.as_str()
        );
        let body: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
        assert_eq!(body, json!({"payment_form": "03", "date": 1_790_000_000}));
    }
}

#[tokio::test]
async fn mark_paid_survives_a_lost_answer_and_applies_once() {
    let sb = sandbox().await;
    let c = client(&sb, sb.admin_key());
    let master = TeamId::new(sb.keys[0].team.clone());
    let payments = c
        .fetch_all::<Payment>(&master, Resource::Payments, &ListQuery::default())
        .await
        .unwrap();
    let pending = payments
        .iter()
        .find(|p| p.status().is_uncollected())
        .unwrap();
    let (w0, _) = stats(&sb).await;
    set_faults(&sb, json!({"fail_next": ["apply_then_502"]})).await;
    let key = IdempotencyKey::generate("mark_paid");
    let req = MarkPaid {
        payment_form: "03".into(),
        date: None,
    };
    let p = c.mark_paid(&master, &pending.id, &req, &key).await.unwrap();
    assert_eq!(p.status(), PaymentStatus::Succeeded);
    // The operator presses Enter again: same key, same answer, still one write.
    let again = c.mark_paid(&master, &pending.id, &req, &key).await.unwrap();
    assert_eq!(again, p);
    let (w1, _) = stats(&sb).await;
    assert_eq!(w1 - w0, 1);
}

#[tokio::test]
async fn cache_is_isolated_per_team_and_invalidated_by_a_write() {
    let sb = sandbox().await;
    let c = client(&sb, sb.admin_key());
    let teams = c.list_teams().await.unwrap();
    let (a, b) = (&teams[0].id, &teams[1].id);
    let q = ListQuery::default();
    assert!(c.cached::<Payment>(a, Resource::Payments, &q).is_none());
    let pa = c
        .fetch_all::<Payment>(a, Resource::Payments, &q)
        .await
        .unwrap();
    let pb = c
        .fetch_all::<Payment>(b, Resource::Payments, &q)
        .await
        .unwrap();
    let ca = c.cached::<Payment>(a, Resource::Payments, &q).unwrap();
    assert!(ca.fresh);
    assert!(
        ca.value
            .iter()
            .all(|p| p.team.as_deref() == Some(a.as_str()))
    );
    let cb = c.cached::<Payment>(b, Resource::Payments, &q).unwrap();
    assert!(
        cb.value
            .iter()
            .all(|p| p.team.as_deref() == Some(b.as_str()))
    );
    assert_ne!(pa, pb);

    let pending = pa.iter().find(|p| p.status().is_uncollected()).unwrap();
    c.mark_paid(
        a,
        &pending.id,
        &MarkPaid {
            payment_form: "01".into(),
            date: None,
        },
        &IdempotencyKey::generate("t"),
    )
    .await
    .unwrap();
    assert!(
        c.cached::<Payment>(a, Resource::Payments, &q).is_none(),
        "the written team is invalidated"
    );
    assert!(
        c.cached::<Payment>(b, Resource::Payments, &q).is_some(),
        "other teams keep their cache"
    );
    let fresh = c
        .fetch_all::<Payment>(a, Resource::Payments, &q)
        .await
        .unwrap();
    let updated = fresh.iter().find(|p| p.id == pending.id).unwrap();
    assert_eq!(updated.status(), PaymentStatus::Succeeded);
    assert_eq!(updated.payment_form.as_deref(), Some("01"));
}

#[tokio::test]
async fn the_rate_limiter_spaces_requests_across_all_teams() {
    let sb = sandbox().await;
    let c = ApiClient::new(
        ApiKey::new(sb.admin_key()),
        ClientConfig {
            requests_per_second: 20.0,
            burst: 1,
            max_concurrency: 2,
            ..fast_config(&sb.base_url)
        },
    )
    .unwrap();
    let teams = c.list_teams().await.unwrap();
    let q = ListQuery::default();
    let t = Instant::now();
    let futs = teams
        .iter()
        .map(|t| c.list_page::<Client>(&t.id, Resource::Clients, &q));
    let results = futures::future::join_all(futs).await;
    assert!(results.iter().all(|r| r.is_ok()));
    // n requests at 20/s with no burst cannot finish in less than (n-1)/20 s.
    let floor = Duration::from_millis(50 * (teams.len() as u64 - 1));
    assert!(
        t.elapsed() >= floor - Duration::from_millis(10),
        "{:?} < {floor:?}",
        t.elapsed()
    );
}

#[tokio::test]
async fn the_key_never_appears_in_errors_or_debug_output() {
    let server = MockServer::start().await;
    let key = jwt("team_secret");
    // A hostile or buggy server echoing the key back in its error body.
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(400).set_body_json(
            json!({"error": {"message": format!("bad token {key}"), "details": [key.clone()]}}),
        ))
        .mount(&server)
        .await;
    let c = ApiClient::new(
        ApiKey::new(key.clone()),
        fast_config(&format!("{}/v2", server.uri())),
    )
    .unwrap();
    let e = c.list_teams().await.unwrap_err();
    let mut shown = vec![
        format!("{e}"),
        format!("{e:?}"),
        format!("{c:?}"),
        format!("{:?}", ApiKey::new(key.clone())),
        ApiKey::new(key.clone()).masked(),
    ];
    let team = Some(TeamId::new("team_x"));
    let every = [
        ApiError::Unauthorized {
            message: "m".into(),
        },
        ApiError::NotMasterTeam { team: team.clone() },
        ApiError::TeamNotFound { team: team.clone() },
        ApiError::NoMatchedTeams { team: team.clone() },
        ApiError::RoleDenied { team },
        ApiError::Forbidden {
            message: "m".into(),
        },
        ApiError::NotFound {
            message: "m".into(),
        },
        ApiError::Conflict {
            code: None,
            message: "m".into(),
        },
        ApiError::Validation {
            status: 422,
            message: "m".into(),
            details: vec!["d".into()],
        },
        ApiError::RateLimited {
            retry_after: Some(Duration::from_secs(3)),
        },
        ApiError::Server {
            status: 500,
            message: "m".into(),
        },
        ApiError::Timeout,
        ApiError::Network {
            message: "m".into(),
        },
        ApiError::Decode {
            message: "m".into(),
            excerpt: "x".into(),
        },
        ApiError::Refused {
            status: 200,
            code: None,
            message: "m".into(),
        },
        ApiError::ReadOnly,
    ];
    for err in every {
        shown.push(format!("{err}"));
        shown.push(format!("{err:?}"));
    }
    for s in shown {
        assert!(!s.contains(&key), "key leaked in: {s}");
        assert!(
            !s.contains(key.split('.').nth(1).unwrap()),
            "key payload leaked in: {s}"
        );
    }
}

#[tokio::test]
async fn read_only_client_refuses_writes_without_sending() {
    let sb = sandbox().await;
    let c = ApiClient::new(
        ApiKey::new(sb.admin_key()),
        ClientConfig {
            read_only: true,
            ..fast_config(&sb.base_url)
        },
    )
    .unwrap();
    let (_, before) = stats(&sb).await;
    let e = c
        .cancel_payment(
            &TeamId::new(sb.keys[0].team.clone()),
            "payment_x",
            &IdempotencyKey::generate("t"),
        )
        .await
        .unwrap_err();
    assert_eq!(e, ApiError::ReadOnly);
    assert_eq!(stats(&sb).await.1, before);
}

#[tokio::test]
async fn a_huge_body_is_refused_not_buffered() {
    let server = MockServer::start().await;
    let big = format!(
        "{{\"data\": [{}]}}",
        vec!["{\"id\":\"c\"}"; 50_000].join(",")
    );
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string(big))
        .mount(&server)
        .await;
    let c = ApiClient::new(
        ApiKey::new(jwt("t")),
        ClientConfig {
            max_body_bytes: 64 * 1024,
            ..fast_config(&format!("{}/v2", server.uri()))
        },
    )
    .unwrap();
    let e = c
        .list_page::<Client>(&TeamId::new("t"), Resource::Clients, &ListQuery::default())
        .await
        .unwrap_err();
    assert!(
        matches!(e, ApiError::Decode { ref message, .. } if message.contains("limit")),
        "{e:?}"
    );
}

#[tokio::test]
async fn an_opaque_key_reaching_one_team_sends_no_team_param() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v2/teams"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"data": [{"id": "team_solo", "legal_name": "Solo"}], "has_more": false}),
        ))
        .mount(&server)
        .await;
    // Only an unscoped request is answered: a `team=` here would be refused.
    Mock::given(method("GET"))
        .and(path("/v2/payments"))
        .and(query_param_is_missing("team"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page_body(&["pay_1"])))
        .expect(1)
        .mount(&server)
        .await;
    let c = ApiClient::new(
        ApiKey::new("sk_test_opaque_not_a_jwt_0001"),
        fast_config(&format!("{}/v2", server.uri())),
    )
    .unwrap();
    assert_eq!(c.key_info().team, None, "the key does not say");
    let teams = c.list_teams().await.unwrap();
    assert_eq!(
        c.own_team(),
        Some(teams[0].id.clone()),
        "learned from /teams"
    );
    let p: Page<Payment> = c
        .list_page(&teams[0].id, Resource::Payments, &ListQuery::default())
        .await
        .unwrap();
    assert_eq!(p.items[0].id, "pay_1");
}

#[tokio::test]
async fn not_a_master_team_is_retried_once_unscoped_and_remembered() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v2/teams"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": [
            {"id": "team_a", "legal_name": "A"}, {"id": "team_b", "legal_name": "B"}
        ], "has_more": false})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v2/invoices/income"))
        .and(query_param("team", "team_a"))
        .respond_with(ResponseTemplate::new(403).set_body_json(json!({
            "message": "Unauthorized, not a master team",
            "error": {"code": "not_master_team", "message": "Unauthorized, not a master team"}
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v2/invoices/income"))
        .and(query_param_is_missing("team"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"data": [], "has_more": false})),
        )
        .expect(2)
        .mount(&server)
        .await;
    let c = ApiClient::new(
        ApiKey::new("sk_live_opaque_not_a_jwt_0002"),
        fast_config(&format!("{}/v2", server.uri())),
    )
    .unwrap();
    c.list_teams().await.unwrap();
    assert_eq!(c.own_team(), None, "two teams: not known yet");
    let a = TeamId::new("team_a");
    let q = ListQuery::default();
    c.list_page::<Invoice>(&a, Resource::IncomeInvoices, &q)
        .await
        .unwrap();
    assert_eq!(c.own_team(), Some(a.clone()), "remembered");
    // The second read goes unscoped at once (the 403 mock expects one call only).
    c.list_page::<Invoice>(&a, Resource::IncomeInvoices, &q)
        .await
        .unwrap();
}

/// A file server that answers every download with a 500 whose body is `size` bytes long,
/// sent in pieces: the bytes it managed to hand to the connection before the client
/// stopped reading.
async fn huge_error_server(
    size: usize,
) -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/files/a.pdf", listener.local_addr().unwrap());
    let served = std::sync::Arc::new(AtomicUsize::new(0));
    let count = served.clone();
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            let count = count.clone();
            tokio::spawn(async move {
                let mut buf = [0u8; 4096];
                let _ = sock.read(&mut buf).await;
                let head = format!(
                    "HTTP/1.1 500 Internal Server Error\r\ncontent-type: text/html\r\ncontent-length: {size}\r\n\r\n"
                );
                if sock.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                let piece = vec![b'x'; 64 * 1024];
                let mut left = size;
                while left > 0 {
                    let n = left.min(piece.len());
                    if sock.write_all(&piece[..n]).await.is_err() {
                        return;
                    }
                    count.fetch_add(n, Ordering::SeqCst);
                    left -= n;
                }
            });
        }
    });
    (url, served)
}

#[tokio::test]
async fn a_download_answered_with_a_huge_error_is_not_read_whole() {
    use std::sync::atomic::Ordering;
    const SIZE: usize = 256 * 1024 * 1024;
    let (url, served) = huge_error_server(SIZE).await;
    let c = ApiClient::new(
        ApiKey::new("sk_test_0123456789abcdef"),
        fast_config("http://127.0.0.1:9/v2"),
    )
    .unwrap();
    let mut written = 0usize;
    let e = tokio::time::timeout(
        Duration::from_secs(60),
        c.download(&url, 32 * 1024 * 1024, |chunk| {
            written += chunk.len();
            Ok(())
        }),
    )
    .await
    .expect("the download ends")
    .unwrap_err();
    assert!(matches!(e, ApiError::Server { status: 500, .. }), "{e:?}");
    assert_eq!(written, 0, "an error body is never written to the file");
    // Let the server push whatever the connection still takes after the client stopped.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let sent = served.load(Ordering::SeqCst);
    assert!(
        sent < 16 * 1024 * 1024,
        "read {sent} bytes of a {SIZE}-byte error page: only its start is read"
    );
    assert!(
        e.to_string().len() < 2_000,
        "the words stay short: {}",
        e.to_string().len()
    );
}
