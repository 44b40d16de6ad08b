//! The sandbox held to gigstack-api.md over raw HTTP (never through the client's models):
//! shapes of every endpoint, the Connect and role matrix, pagination invariants under
//! concurrent writes, the rules of cfdi-rules.md, idempotent replays and bad input.

mod common;

use common::*;
use gigdash::sandbox::model::Role;
use gigdash::sandbox::{SandboxConfig, build_store};
use serde_json::{Value, json};

#[derive(Clone, Copy, Debug)]
enum T {
    Str,
    Int,
    Num,
    Bool,
    Obj,
    Arr,
}

fn check(obj: &Value, fields: &[(&str, T)], what: &str) {
    for (name, ty) in fields {
        let v = obj
            .get(*name)
            .unwrap_or_else(|| panic!("{what}: missing `{name}` in {obj}"));
        let ok = match ty {
            T::Str => v.is_string(),
            T::Int => v.is_i64() || v.is_u64(),
            T::Num => v.is_number(),
            T::Bool => v.is_boolean(),
            T::Obj => v.is_object(),
            T::Arr => v.is_array(),
        };
        assert!(ok, "{what}: `{name}` should be {ty:?}, is {v}");
    }
}

fn check_list_envelope(v: &Value, what: &str) {
    check(
        v,
        &[
            ("message", T::Str),
            ("data", T::Arr),
            ("has_more", T::Bool),
            ("total_results", T::Int),
        ],
        what,
    );
    assert_eq!(
        v["has_more"].as_bool() == Some(true),
        v.get("next").is_some_and(|n| n.is_string()),
        "{what}: next iff has_more"
    );
    assert!(
        v["data"].as_array().unwrap().iter().all(|x| !x.is_null()),
        "{what}: no nulls"
    );
}

fn check_error(v: &Value, code: &str) {
    check(
        v,
        &[("success", T::Bool), ("message", T::Str), ("error", T::Obj)],
        "error envelope",
    );
    assert_eq!(v["success"], json!(false));
    assert_eq!(v["error"]["code"], json!(code), "{v}");
    assert!(v["error"]["message"].is_string());
}

const MONEY: [(&str, T); 4] = [
    ("subtotal", T::Num),
    ("taxes", T::Num),
    ("discount", T::Num),
    ("total", T::Num),
];

#[tokio::test]
async fn every_endpoint_answers_in_the_documented_shape() {
    let sb = sandbox().await;
    let k = sb.admin_key();

    let teams = get(&sb, k, "/teams").await;
    check_list_envelope(&teams, "teams");
    let team_fields = [
        ("id", T::Str),
        ("name", T::Str),
        ("legal_name", T::Str),
        ("tax_id", T::Str),
        ("tax_system", T::Str),
        ("brand", T::Obj),
        ("address", T::Obj),
        ("created_at", T::Int),
    ];
    for t in teams["data"].as_array().unwrap() {
        check(t, &team_fields, "team");
        assert!(t["id"].as_str().unwrap().starts_with("team_"));
    }
    let team_id = sb.keys[0].team.clone();
    let one = get(&sb, k, &format!("/teams/{team_id}")).await;
    check(
        &one,
        &[("message", T::Str), ("data", T::Obj)],
        "single envelope",
    );
    check(&one["data"], &team_fields, "team");

    let clients = get(&sb, k, "/clients?limit=100").await;
    check_list_envelope(&clients, "clients");
    let client_fields = [
        ("id", T::Str),
        ("name", T::Str),
        ("legal_name", T::Str),
        ("email", T::Str),
        ("tax_id", T::Str),
        ("tax_system", T::Str),
        ("use", T::Str),
        ("address", T::Obj),
        ("bcc", T::Arr),
        ("metadata", T::Obj),
        ("is_valid", T::Bool),
        ("efos", T::Obj),
        ("livemode", T::Bool),
        ("team", T::Str),
        ("owner", T::Str),
        ("from", T::Str),
        ("created_at", T::Int),
    ];
    for c in clients["data"].as_array().unwrap() {
        check(c, &client_fields, "client");
        assert_eq!(c["address"]["country"], json!("MEX"));
    }
    let cid = clients["data"][0]["id"].as_str().unwrap();
    check(
        &get(&sb, k, &format!("/clients/{cid}")).await["data"],
        &client_fields,
        "client",
    );

    let services = get(&sb, k, "/services").await;
    check_list_envelope(&services, "services");
    let service_fields = [
        ("id", T::Str),
        ("description", T::Str),
        ("sku", T::Str),
        ("product_key", T::Str),
        ("unit_key", T::Str),
        ("unit_name", T::Str),
        ("unit_price", T::Num),
        ("taxes", T::Arr),
        ("team", T::Str),
        ("created_at", T::Int),
    ];
    for s in services["data"].as_array().unwrap() {
        check(s, &service_fields, "service");
        check(
            &s["taxes"][0],
            &[
                ("type", T::Str),
                ("rate", T::Num),
                ("factor", T::Str),
                ("withholding", T::Bool),
            ],
            "tax",
        );
    }
    let sid = services["data"][0]["id"].as_str().unwrap();
    check(
        &get(&sb, k, &format!("/services/{sid}")).await["data"],
        &service_fields,
        "service",
    );

    let invoice_fields = [
        ("uuid", T::Str),
        ("client", T::Obj),
        ("status", T::Str),
        ("invoice_type", T::Str),
        ("currency", T::Str),
        ("exchange_rate", T::Num),
        ("series", T::Str),
        ("folio_number", T::Int),
        ("payment_method", T::Str),
        ("payment_form", T::Str),
        ("use", T::Str),
        ("items", T::Arr),
        ("verification_url", T::Str),
        ("stamp", T::Obj),
        ("payment_complements", T::Int),
        ("created_at", T::Int),
        ("livemode", T::Bool),
        ("owner", T::Str),
        ("team", T::Str),
    ];
    for (kind, ty) in [("income", "I"), ("egress", "E")] {
        let list = get(&sb, k, &format!("/invoices/{kind}?limit=100")).await;
        check_list_envelope(&list, kind);
        for i in list["data"].as_array().unwrap() {
            check(i, &invoice_fields, kind);
            check(i, &MONEY, kind);
            check(
                &i["client"],
                &[
                    ("id", T::Str),
                    ("name", T::Str),
                    ("email", T::Str),
                    ("tax_id", T::Str),
                ],
                "invoice client",
            );
            check(
                &i["stamp"],
                &[("stamp_at", T::Int), ("sello", T::Str)],
                "stamp",
            );
            assert_eq!(i["invoice_type"], json!(ty));
            assert!(
                ["valid", "canceled", "pending", "draft"].contains(&i["status"].as_str().unwrap())
            );
            assert!(uuid::Uuid::parse_str(i["uuid"].as_str().unwrap()).is_ok());
            let pm = i["payment_method"].as_str().unwrap();
            assert!(pm == "PUE" || pm == "PPD");
            if pm == "PPD" {
                assert_eq!(i["payment_form"], json!("99"));
                assert!(i["last_balance"].is_number());
            } else {
                assert_ne!(i["payment_form"], json!("99"), "PUE never uses 99");
            }
        }
        let uuid = list["data"][0]["uuid"].as_str().unwrap();
        check(
            &get(&sb, k, &format!("/invoices/{kind}/{uuid}")).await["data"],
            &invoice_fields,
            kind,
        );
        let files = get(&sb, k, &format!("/invoices/{uuid}/files")).await;
        let pdf_url = files["data"]["pdf"].as_str().unwrap();
        let xml_url = files["data"]["xml"].as_str().unwrap();
        let (_, pdf) = http_send(http().get(pdf_url)).await;
        assert!(pdf.starts_with(b"%PDF-"));
        let (_, xml) = http_text(http().get(xml_url)).await;
        assert!(xml.contains(uuid) && xml.contains("cfdi:Comprobante"));
        let only_pdf = get(&sb, k, &format!("/invoices/{uuid}/files?file_type=pdf")).await;
        assert!(only_pdf["data"].get("xml").is_none());
    }

    let payments = get(&sb, k, "/payments?limit=100").await;
    check_list_envelope(&payments, "payments");
    let payment_fields = [
        ("id", T::Str),
        ("status", T::Str),
        ("client", T::Obj),
        ("currency", T::Str),
        ("exchange_rate", T::Num),
        ("payment_form", T::Str),
        ("items", T::Arr),
        ("invoices", T::Arr),
        ("receipts", T::Arr),
        ("refunds", T::Arr),
        ("short_url", T::Str),
        ("payment_processor", T::Str),
        ("automation_type", T::Str),
        ("metadata", T::Obj),
        ("created_at", T::Int),
        ("livemode", T::Bool),
        ("team", T::Str),
        ("owner", T::Str),
    ];
    let statuses = [
        "requires_payment_method",
        "pending",
        "processing",
        "succeeded",
        "failed",
        "canceled",
        "refunded",
    ];
    for p in payments["data"].as_array().unwrap() {
        check(p, &payment_fields, "payment");
        check(p, &MONEY, "payment");
        assert!(
            statuses.contains(&p["status"].as_str().unwrap()),
            "{}",
            p["status"]
        );
        assert!(
            p["invoices"]
                .as_array()
                .unwrap()
                .iter()
                .all(|i| i.is_string())
        );
    }
    let pid = payments["data"][0]["id"].as_str().unwrap();
    check(
        &get(&sb, k, &format!("/payments/{pid}")).await["data"],
        &payment_fields,
        "payment",
    );

    let receipts = get(&sb, k, "/receipts").await;
    check_list_envelope(&receipts, "receipts");
    let receipt_fields = [
        ("id", T::Str),
        ("status", T::Str),
        ("subtotal", T::Num),
        ("taxes", T::Num),
        ("total", T::Num),
        ("currency", T::Str),
        ("periodicity", T::Str),
        ("payment_form", T::Str),
        ("created", T::Int),
        ("validUntil", T::Int),
        ("url", T::Str),
    ];
    for r in receipts["data"].as_array().unwrap() {
        check(r, &receipt_fields, "receipt");
    }
    let rid = receipts["data"][0]["id"].as_str().unwrap();
    check(
        &get(&sb, k, &format!("/receipts/{rid}")).await["data"],
        &receipt_fields,
        "receipt",
    );

    let users = get(&sb, k, "/users").await;
    check_list_envelope(&users, "users");
    for u in users["data"].as_array().unwrap() {
        check(
            u,
            &[
                ("id", T::Str),
                ("email", T::Str),
                ("name", T::Str),
                ("firstName", T::Str),
                ("lastName", T::Str),
                ("role", T::Str),
                ("created_at", T::Int),
                ("teams", T::Arr),
            ],
            "user",
        );
    }

    let (s, v) = call(&sb, "GET", k, "/nothing/here", None).await;
    assert_eq!(s, 404);
    check_error(&v, "not_found");
    // The reference has no 405 (§1.5): a method a path is not served with is unknown.
    let (s, v) = call(&sb, "PUT", k, "/payments", None).await;
    assert_eq!(s, 404);
    check_error(&v, "not_found");
    let (s, v) = call(&sb, "GET", k, "/invoices/income/nope", None).await;
    assert_eq!(s, 404);
    check_error(&v, "not_found");
}

#[tokio::test]
async fn bearer_or_bare_key_and_401_otherwise() {
    let sb = sandbox().await;
    let url = format!("{}/clients", sb.base_url);
    let http = http();
    let (bare, _) = http_send(http.get(&url).header("authorization", sb.admin_key())).await;
    assert_eq!(bare, 200);
    for auth in [None, Some("Bearer "), Some("Bearer sk_test_unknown")] {
        let mut r = http.get(&url);
        if let Some(a) = auth {
            r = r.header("authorization", a);
        }
        let (status, v) = http_json(r).await;
        assert_eq!(status, 401, "{auth:?}");
        check_error(&v, "unauthorized");
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Act {
    Read,
    Create,
    Update,
    Delete,
}

#[tokio::test]
async fn connect_and_role_matrix_gives_the_documented_answer_for_every_combination() {
    let sb = sandbox().await;
    let store_teams: Vec<(String, String, bool, bool)> = sb
        .shared
        .store()
        .teams
        .iter()
        .map(|t| (t.id.clone(), t.billing_account.clone(), t.connect, t.active))
        .collect();
    let master_a = sb.keys[0].team.clone();
    let branch_a = store_teams
        .iter()
        .find(|t| {
            t.1 == "ba_donalupe"
                && !t.2
                && t.3
                && t.0 != sb.key(|k| k.note.starts_with("branch")).unwrap().team
        })
        .unwrap()
        .0
        .clone();
    let inactive = store_teams.iter().find(|t| !t.3).unwrap().0.clone();
    let team_b = store_teams
        .iter()
        .find(|t| t.1 == "ba_nunez" && !t.2)
        .unwrap()
        .0
        .clone();
    let targets: Vec<(&str, Option<String>)> = vec![
        ("own", None),
        ("master A", Some(master_a.clone())),
        ("branch A", Some(branch_a.clone())),
        ("team of B", Some(team_b.clone())),
        ("inactive", Some(inactive.clone())),
        ("missing", Some("team_missing".into())),
    ];
    let billing = |id: &str| store_teams.iter().find(|t| t.0 == id).map(|t| t.1.clone());
    let connect = |id: &str| {
        store_teams
            .iter()
            .find(|t| t.0 == id)
            .map(|t| t.2)
            .unwrap_or(false)
    };
    let active = |id: &str| {
        store_teams
            .iter()
            .find(|t| t.0 == id)
            .map(|t| t.3)
            .unwrap_or(false)
    };

    let mut checked = 0;
    for key in &sb.keys {
        for (tname, target) in &targets {
            for act in [Act::Read, Act::Create, Act::Update, Act::Delete] {
                let q = target
                    .as_ref()
                    .map(|t| format!("?team={t}"))
                    .unwrap_or_default();
                let (m, p, body) = match act {
                    Act::Read => ("GET", format!("/clients{q}"), None),
                    Act::Create => ("POST", format!("/payments/register{q}"), Some(json!({}))),
                    Act::Update => (
                        "POST",
                        format!("/payments/payment_missing/paid{q}"),
                        Some(json!({"payment_form": "03"})),
                    ),
                    Act::Delete => ("DELETE", format!("/payments/payment_missing{q}"), None),
                };
                let (status, v) = call(&sb, m, &key.key, &p, body).await;
                // The documented answer, derived independently of the server's code.
                let cross = target.as_ref().is_some_and(|t| *t != key.team);
                let expected: (u16, &str) = if cross && !connect(&key.team) {
                    (403, "not_master_team")
                } else if cross && !active(target.as_ref().unwrap()) {
                    (404, "team_not_found")
                } else if cross && billing(target.as_ref().unwrap()) != billing(&key.team) {
                    (403, "no_matched_teams")
                } else {
                    let allowed = match (key.role, act) {
                        (_, Act::Read) => true,
                        (Role::Viewer, _) => false,
                        (Role::Member, Act::Delete) => false,
                        _ => true,
                    };
                    match (allowed, act) {
                        (false, _) => (403, "role_not_allowed"),
                        (true, Act::Read) => (200, ""),
                        (true, Act::Create) => (400, "validation_failed"),
                        (true, _) => (404, "not_found"),
                    }
                };
                assert_eq!(
                    status,
                    expected.0,
                    "{} {:?} on {tname} {act:?}: {v}",
                    key.role.as_str(),
                    key.note
                );
                if expected.0 != 200 {
                    check_error(&v, expected.1);
                }
                if expected.1 == "not_master_team" {
                    assert_eq!(v["message"], json!("Unauthorized, not a master team"));
                }
                if expected.1 == "team_not_found" {
                    assert_eq!(v["message"], json!("The specified team does not exist"));
                }
                if expected.1 == "no_matched_teams" {
                    assert_eq!(v["message"], json!("Unauthorized, no matched teams"));
                }
                if expected.1 == "role_not_allowed" {
                    assert_eq!(
                        v["message"],
                        json!("Your role does not allow this action on the target team")
                    );
                }
                checked += 1;
            }
        }
    }
    assert_eq!(checked, sb.keys.len() * targets.len() * 4);

    // /teams lists what the key can reach: all active teams of the billing account for a
    // master key, only its own team otherwise.
    let master_list = walk(&sb, sb.admin_key(), "/teams", 100).await;
    let expected = store_teams
        .iter()
        .filter(|t| t.1 == "ba_donalupe" && t.3)
        .count();
    assert_eq!(master_list.len(), expected);
    let branch_key = sb.key(|k| k.note.starts_with("branch")).unwrap();
    let branch_list = walk(&sb, &branch_key.key, "/teams", 100).await;
    assert_eq!(branch_list.len(), 1);
    assert_eq!(branch_list[0]["id"], json!(branch_key.team));
}

#[tokio::test]
async fn pagination_yields_each_object_once_even_while_writes_happen() {
    let sb = sandbox().await;
    let k = sb.admin_key().to_string();
    let before: Vec<String> = walk(&sb, &k, "/payments", 100)
        .await
        .iter()
        .map(|p| p["id"].as_str().unwrap().to_string())
        .collect();
    let pending: Vec<String> = walk(&sb, &k, "/payments?status=pending", 100)
        .await
        .iter()
        .map(|p| p["id"].as_str().unwrap().to_string())
        .collect();
    let client_id = get(&sb, &k, "/clients?limit=1").await["data"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();

    let mut seen = Vec::new();
    let mut next: Option<String> = None;
    let mut writes = 0;
    loop {
        // A page is walked per write: a cursor that never ends fails here, named.
        assert!(
            writes < MAX_PAGES,
            "/payments?limit=7: still a next page after {MAX_PAGES} pages; next cursor {next:?}"
        );
        let path = match &next {
            Some(n) => format!("/payments?limit=7&next={n}"),
            None => "/payments?limit=7".to_string(),
        };
        let page = get(&sb, &k, &path).await;
        for p in page["data"].as_array().unwrap() {
            seen.push(p["id"].as_str().unwrap().to_string());
        }
        // Writes between pages: a new payment and a status change.
        let (s, _) = call(&sb, "POST", &k, "/payments/register", Some(json!({"client": {"id": client_id}, "payment_form": "01", "items": [{"quantity": 1, "unit_price": 50}]}))).await;
        assert_eq!(s, 200);
        if let Some(id) = pending.get(writes) {
            let (s, _) = call(
                &sb,
                "POST",
                &k,
                &format!("/payments/{id}/paid"),
                Some(json!({"payment_form": "03"})),
            )
            .await;
            assert_eq!(s, 200);
        }
        writes += 1;
        match page["next"].as_str() {
            Some(n) => next = Some(n.to_string()),
            None => break,
        }
    }
    let mut sorted = seen.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), seen.len(), "no object twice");
    for id in &before {
        assert_eq!(
            seen.iter().filter(|s| *s == id).count(),
            1,
            "{id} exactly once"
        );
    }
}

#[tokio::test]
async fn filters_and_sort_orders_agree() {
    let sb = sandbox().await;
    let k = sb.admin_key();
    let all = walk(&sb, k, "/invoices/income", 100).await;
    let asc = walk(&sb, k, "/invoices/income?sort=asc", 37).await;
    assert_eq!(all.len(), asc.len());
    let created: Vec<i64> = all
        .iter()
        .map(|i| i["created_at"].as_i64().unwrap())
        .collect();
    assert!(
        created.windows(2).all(|w| w[0] >= w[1]),
        "newest first by default"
    );

    let mid = created[created.len() / 2];
    let lo = created[created.len() * 3 / 4];
    let bracket = walk(
        &sb,
        k,
        &format!("/invoices/income?created%5Bgte%5D={lo}&created%5Blte%5D={mid}"),
        100,
    )
    .await;
    let underscore = walk(
        &sb,
        k,
        &format!(
            "/invoices/income?created_gte={}&created_lte={}",
            lo * 1000,
            mid * 1000
        ),
        100,
    )
    .await;
    let expect = created.iter().filter(|c| **c >= lo && **c <= mid).count();
    assert_eq!(bracket.len(), expect);
    assert_eq!(
        underscore, bracket,
        "both spellings, seconds or milliseconds"
    );

    let canceled = walk(&sb, k, "/invoices/income?status=canceled", 100).await;
    assert!(!canceled.is_empty());
    assert!(canceled.iter().all(|i| i["status"] == json!("canceled")));
    let cancelled = walk(&sb, k, "/invoices/income?status=cancelled", 100).await;
    assert_eq!(canceled.len(), cancelled.len());

    let cid = all[0]["client"]["id"].as_str().unwrap();
    let by_client = walk(&sb, k, &format!("/invoices/income?client_id={cid}"), 100).await;
    assert_eq!(
        by_client.len(),
        all.iter()
            .filter(|i| i["client"]["id"] == json!(cid))
            .count()
    );
    let first = get(&sb, k, &format!("/invoices/income?client_id={cid}&limit=1")).await;
    assert_eq!(first["total_results"], json!(by_client.len()));
}

fn find(items: &[Value], pred: impl Fn(&Value) -> bool) -> &Value {
    items
        .iter()
        .find(|v| pred(v))
        .expect("a matching object in the demo world")
}

#[tokio::test]
async fn payment_state_machine_and_its_conflicts() {
    let sb = sandbox().await;
    let k = sb.admin_key();
    let payments = walk(&sb, k, "/payments", 100).await;
    let pending: Vec<&Value> = payments
        .iter()
        .filter(|p| {
            ["requires_payment_method", "pending", "processing"]
                .contains(&p["status"].as_str().unwrap())
        })
        .collect();
    let succeeded = find(&payments, |p| {
        p["status"] == json!("succeeded") && p["refunds"].as_array().unwrap().is_empty()
    });
    let failed = find(&payments, |p| p["status"] == json!("failed"));

    // Mark paid: pending -> succeeded, then 409.
    let id = pending[0]["id"].as_str().unwrap();
    let (s, v) = call(
        &sb,
        "POST",
        k,
        &format!("/payments/{id}/paid"),
        Some(json!({"payment_form": "04", "date": 1_790_000_000})),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["data"]["status"], json!("succeeded"));
    assert_eq!(v["data"]["succeeded_at"], json!(1_790_000_000));
    assert_eq!(v["data"]["payment_form"], json!("04"));
    let (s, v) = call(
        &sb,
        "POST",
        k,
        &format!("/payments/{id}/paid"),
        Some(json!({"payment_form": "04"})),
    )
    .await;
    assert_eq!(s, 409);
    check_error(&v, "payment_not_pending");
    let fid = failed["id"].as_str().unwrap();
    let (s, _) = call(
        &sb,
        "POST",
        k,
        &format!("/payments/{fid}/paid"),
        Some(json!({"payment_form": "04"})),
    )
    .await;
    assert_eq!(s, 409);

    // Cancel: uncollected -> canceled; collected -> 409.
    let id2 = pending[1]["id"].as_str().unwrap();
    let (s, v) = call(&sb, "DELETE", k, &format!("/payments/{id2}"), None).await;
    assert_eq!((s, v["data"]["status"].clone()), (200, json!("canceled")));
    let (s, v) = call(&sb, "DELETE", k, &format!("/payments/{id2}"), None).await;
    assert_eq!(s, 409);
    check_error(&v, "payment_not_cancelable");
    let sid = succeeded["id"].as_str().unwrap();
    let (s, _) = call(&sb, "DELETE", k, &format!("/payments/{sid}"), None).await;
    assert_eq!(s, 409);

    // Refund: partial, too much, the rest, then nothing left.
    let total = rust_decimal::Decimal::from_str_exact(&succeeded["total"].to_string()).unwrap();
    let (s, v) = call(
        &sb,
        "POST",
        k,
        &format!("/payments/{sid}/refund"),
        Some(json!({"amount": 10.5, "reason": "Producto incompleto"})),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["data"]["status"], json!("succeeded"));
    assert_eq!(v["data"]["refunds"][0]["amount"], json!(10.5));
    let (s, v) = call(
        &sb,
        "POST",
        k,
        &format!("/payments/{sid}/refund"),
        Some(json!({"amount": total.to_string()})),
    )
    .await;
    assert_eq!(s, 409);
    check_error(&v, "refund_exceeds_remaining");
    let (s, v) = call(&sb, "POST", k, &format!("/payments/{sid}/refund"), None).await;
    assert_eq!(s, 200, "empty body refunds the remainder: {v}");
    assert_eq!(v["data"]["status"], json!("refunded"));
    let sum: rust_decimal::Decimal = v["data"]["refunds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| rust_decimal::Decimal::from_str_exact(&r["amount"].to_string()).unwrap())
        .sum();
    assert_eq!(sum, total, "refunds add up exactly to the total");
    let (s, v) = call(
        &sb,
        "POST",
        k,
        &format!("/payments/{sid}/refund"),
        Some(json!({"amount": 1})),
    )
    .await;
    assert_eq!(s, 409);
    check_error(&v, "payment_not_refundable");
}

#[tokio::test]
async fn marking_a_ppd_payment_paid_lowers_the_invoice_balance() {
    let sb = sandbox().await;
    let k = sb.admin_key();
    let payments = walk(&sb, k, "/payments", 100).await;
    let p = find(&payments, |p| {
        p["automation_type"] == json!("ppd_invoice_and_complement")
            && p["status"] != json!("succeeded")
    });
    let uuid = p["invoices"][0].as_str().unwrap();
    let before = get(&sb, k, &format!("/invoices/income/{uuid}")).await["data"].clone();
    let (s, _) = call(
        &sb,
        "POST",
        k,
        &format!("/payments/{}/paid", p["id"].as_str().unwrap()),
        Some(json!({"payment_form": "03"})),
    )
    .await;
    assert_eq!(s, 200);
    let after = get(&sb, k, &format!("/invoices/income/{uuid}")).await["data"].clone();
    let dec = |v: &Value| rust_decimal::Decimal::from_str_exact(&v.to_string()).unwrap();
    assert_eq!(
        dec(&after["last_balance"]),
        (dec(&before["last_balance"]) - dec(&p["total"])).max(rust_decimal::Decimal::ZERO)
    );
    assert_eq!(
        after["payment_complements"].as_u64().unwrap(),
        before["payment_complements"].as_u64().unwrap() + 1
    );
    // Now it has a live complement: it cannot be canceled.
    let (s, v) = call(
        &sb,
        "DELETE",
        k,
        &format!("/invoices/{uuid}"),
        Some(json!({"motive": "02"})),
    )
    .await;
    assert_eq!(s, 409);
    check_error(&v, "ppd_has_complements");
}

#[tokio::test]
async fn invoice_cancellation_follows_the_sat_rules() {
    let sb = sandbox().await;
    let k = sb.admin_key();
    let inv = walk(&sb, k, "/invoices/income", 100).await;
    let valid = |i: &Value| {
        i["status"] == json!("valid")
            && i["cancellation_status"].is_null()
            && i["payment_complements"] == json!(0)
    };
    let big = find(&inv, |i| {
        valid(i)
            && i["total"].as_f64().unwrap() * i["exchange_rate"].as_f64().unwrap() > 1000.0
            && !i["client"]["tax_id"].as_str().unwrap().starts_with("X")
    });
    let small = find(&inv, |i| {
        valid(i) && i["currency"] == json!("MXN") && i["total"].as_f64().unwrap() <= 1000.0
    });
    let generic = find(&inv, |i| {
        valid(i)
            && i["client"]["tax_id"] == json!("XAXX010101000")
            && i["total"].as_f64().unwrap() > 1000.0
    });

    // Motive validation.
    let uuid = big["uuid"].as_str().unwrap();
    for (body, code) in [
        (json!({}), "validation_failed"),
        (json!({"motive": "05"}), "validation_failed"),
        (json!({"motive": 2}), "validation_failed"),
        (json!({"motive": "01"}), "validation_failed"),
        (
            json!({"motive": "01", "substitution_uuid": uuid}),
            "validation_failed",
        ),
        (
            json!({"motive": "01", "substitution_uuid": "00000000-0000-4000-8000-000000000000"}),
            "validation_failed",
        ),
    ] {
        let (s, v) = call(
            &sb,
            "DELETE",
            k,
            &format!("/invoices/{uuid}"),
            Some(body.clone()),
        )
        .await;
        assert_eq!(s, 400, "{body}: {v}");
        check_error(&v, code);
    }

    // Above $1,000 to a named receiver: pending, still valid, accepted after the delay
    // (3 s here, so a slow machine still sees the pending state on the next request).
    set_faults(&sb, json!({"cancel_accept_ms": 3000})).await;
    let (s, v) = call(
        &sb,
        "DELETE",
        k,
        &format!("/invoices/{uuid}"),
        Some(json!({"motive": "02"})),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["data"]["status"], json!("valid"));
    assert_eq!(v["data"]["cancellation_status"], json!("pending"));
    let (s, v) = call(
        &sb,
        "DELETE",
        k,
        &format!("/invoices/{uuid}"),
        Some(json!({"motive": "03"})),
    )
    .await;
    assert_eq!(s, 409);
    check_error(&v, "cancellation_pending");
    tokio::time::sleep(std::time::Duration::from_millis(4100)).await;
    let now = get(&sb, k, &format!("/invoices/income/{uuid}")).await["data"].clone();
    assert_eq!(
        (now["status"].clone(), now["cancellation_status"].clone()),
        (json!("canceled"), json!("accepted"))
    );
    let (s, v) = call(
        &sb,
        "DELETE",
        k,
        &format!("/invoices/{uuid}"),
        Some(json!({"motive": "02"})),
    )
    .await;
    assert_eq!(s, 409);
    check_error(&v, "invoice_already_canceled");

    // Exceptions: at most $1,000, or público en general: canceled at once.
    for i in [small, generic] {
        let u = i["uuid"].as_str().unwrap();
        let (s, v) = call(
            &sb,
            "DELETE",
            k,
            &format!("/invoices/{u}"),
            Some(json!({"motive": "03"})),
        )
        .await;
        assert_eq!(s, 200, "{v}");
        assert_eq!(
            (
                v["data"]["status"].clone(),
                v["data"]["cancellation_status"].clone()
            ),
            (json!("canceled"), json!("accepted"))
        );
    }

    // Motive 01 with a valid replacement for the same receiver (CLI alias `replacement`).
    let used = [
        small["uuid"].clone(),
        generic["uuid"].clone(),
        big["uuid"].clone(),
    ];
    let free = |i: &Value| valid(i) && !used.contains(&i["uuid"]);
    let pair = inv.iter().filter(|a| free(a)).find_map(|a| {
        inv.iter()
            .find(|b| {
                free(b) && b["uuid"] != a["uuid"] && b["client"]["tax_id"] == a["client"]["tax_id"]
            })
            .map(|b| (a.clone(), b.clone()))
    });
    let (orig, repl) = pair.expect("two invoices for one receiver");
    let other_receiver = find(&inv, |i| {
        valid(i) && i["client"]["tax_id"] != orig["client"]["tax_id"]
    });
    let ou = orig["uuid"].as_str().unwrap();
    let (s, _) = call(
        &sb,
        "DELETE",
        k,
        &format!("/invoices/{ou}"),
        Some(json!({"motive": "01", "substitution_uuid": other_receiver["uuid"]})),
    )
    .await;
    assert_eq!(s, 400, "a replacement for another receiver is refused");
    let (s, v) = call(
        &sb,
        "DELETE",
        k,
        &format!("/invoices/{ou}"),
        Some(json!({"motive": "01", "replacement": repl["uuid"]})),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    let r = get(
        &sb,
        k,
        &format!("/invoices/income/{}", repl["uuid"].as_str().unwrap()),
    )
    .await;
    assert!(
        r["data"]["related_documents"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["relationship"] == json!("04") && d["documents"][0] == json!(ou))
    );
}

#[tokio::test]
async fn idempotent_replays_apply_once_and_reused_keys_conflict() {
    let sb = sandbox().await;
    let k = sb.admin_key();
    let cid = get(&sb, k, "/clients?limit=1").await["data"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let body = json!({"client": {"id": cid}, "payment_form": "03", "items": [{"description": "Tacos", "quantity": 2, "unit_price": 99.9}], "idempotency_key": "order-1001"});
    let (w0, _) = stats(&sb).await;
    let (s1, v1) = call(&sb, "POST", k, "/payments/register", Some(body.clone())).await;
    let (s2, v2) = call(&sb, "POST", k, "/payments/register", Some(body.clone())).await;
    assert_eq!((s1, s2), (200, 200));
    assert_eq!(v1, v2, "the replay returns the first result");
    assert_eq!(
        v1["data"]["total"],
        json!(231.77),
        "2 × 99.90 + 16% IVA, exactly"
    );
    assert_eq!(stats(&sb).await.0 - w0, 1);
    let mut changed = body.clone();
    changed["items"][0]["quantity"] = json!(3);
    let (s, v) = call(&sb, "POST", k, "/payments/register", Some(changed)).await;
    assert_eq!(s, 409);
    check_error(&v, "idempotency_key_reused");

    // The header works the same way, on actions too.
    let payments = walk(&sb, k, "/payments?status=pending", 100).await;
    let id = payments[0]["id"].as_str().unwrap();
    let http = http();
    let send = |form: &'static str| {
        http_text(
            http.post(format!("{}/payments/{id}/paid", sb.base_url))
                .bearer_auth(k)
                .header("Idempotency-Key", "gigdash_mark_paid_abc123")
                .json(&json!({"payment_form": form})),
        )
    };
    let (w1, _) = stats(&sb).await;
    let a = send("03").await;
    let b = send("03").await;
    assert_eq!((a.0, b.0), (200, 200));
    assert_eq!(a.1, b.1);
    assert_eq!(stats(&sb).await.0 - w1, 1);
    assert_eq!(send("01").await.0, 409);
    let (s, v) = call(
        &sb,
        "POST",
        k,
        "/payments/register",
        Some(json!({"idempotency_key": "short"})),
    )
    .await;
    assert_eq!(s, 400, "{v}");
}

#[tokio::test]
async fn bad_input_gets_the_error_envelope_never_a_dropped_connection() {
    let sb = sandbox().await;
    let k = sb.admin_key();
    let http = http();
    let (raw, v) = http_json(
        http.post(format!("{}/payments/register", sb.base_url))
            .bearer_auth(k)
            .header("content-type", "application/json")
            .body("{\"client\": "),
    )
    .await;
    assert_eq!(raw, 400);
    check_error(&v, "validation_failed");
    let pending = walk(&sb, k, "/payments?status=pending", 100).await;
    let pid = pending[0]["id"].as_str().unwrap();
    let cases: Vec<(&str, String, Option<Value>, u16)> = vec![
        ("GET", "/clients?limit=0".into(), None, 400),
        ("GET", "/clients?limit=101".into(), None, 400),
        ("GET", "/clients?limit=ten".into(), None, 400),
        ("GET", "/clients?next=%%%garbage".into(), None, 400),
        ("GET", "/clients?next=bm90LWEtY3Vyc29y".into(), None, 400),
        (
            "GET",
            "/invoices/income?created%5Bgte%5D=yesterday".into(),
            None,
            400,
        ),
        ("GET", "/invoices/income?sort=sideways".into(), None, 400),
        (
            "POST",
            format!("/payments/{pid}/paid"),
            Some(json!({"payment_form": 3})),
            400,
        ),
        (
            "POST",
            format!("/payments/{pid}/paid"),
            Some(json!({"payment_form": "99"})),
            400,
        ),
        (
            "POST",
            format!("/payments/{pid}/paid"),
            Some(json!({"payment_form": "77"})),
            400,
        ),
        (
            "POST",
            format!("/payments/{pid}/paid"),
            Some(json!({})),
            400,
        ),
        (
            "POST",
            format!("/payments/{pid}/paid"),
            Some(json!({"payment_form": "03", "date": "today"})),
            400,
        ),
        (
            "POST",
            format!("/payments/{pid}/paid"),
            Some(json!(["not", "an", "object"])),
            400,
        ),
        (
            "POST",
            "/payments/register".into(),
            Some(
                json!({"client": {"id": "client_nope"}, "payment_form": "03", "items": [{"quantity": 1, "unit_price": 1}]}),
            ),
            400,
        ),
        (
            "POST",
            "/payments/register".into(),
            Some(json!({"client": {"id": "x"}, "payment_form": "03", "items": "many"})),
            400,
        ),
        (
            "POST",
            format!("/payments/{pid}/refund"),
            Some(json!({"amount": "lots"})),
            400,
        ),
        (
            "DELETE",
            "/invoices/whatever".into(),
            Some(json!({"motive": "02"})),
            404,
        ),
    ];
    for (m, p, body, expect) in cases {
        let (s, v) = call(&sb, m, k, &p, body.clone()).await;
        assert_eq!(s, expect, "{m} {p} {body:?}: {v}");
        assert_eq!(v["success"], json!(false));
        assert!(v["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
}

#[tokio::test]
async fn faults_can_be_switched_on_and_off_at_run_time() {
    let sb = sandbox().await;
    let k = sb.admin_key();
    set_faults(&sb, json!({"fault_rate": 1.0, "kinds": ["500"]})).await;
    let (s, v) = call(&sb, "GET", k, "/clients", None).await;
    assert_eq!(s, 500);
    check_error(&v, "internal_error");
    set_faults(&sb, json!({"fault_rate": 0.0})).await;
    assert_eq!(call(&sb, "GET", k, "/clients", None).await.0, 200);

    set_faults(
        &sb,
        json!({"fail_next": ["429", "502"], "retry_after_secs": 3}),
    )
    .await;
    // Its headers are read: a client with timeouts, the request's own `send`.
    let r = http()
        .get(format!("{}/clients", sb.base_url))
        .bearer_auth(k)
        .send()
        .await
        .unwrap_or_else(|e| panic!("GET /clients: {e}"));
    assert_eq!(r.status(), 429);
    assert_eq!(r.headers()["retry-after"], "3");
    assert_eq!(call(&sb, "GET", k, "/clients", None).await.0, 502);
    assert_eq!(call(&sb, "GET", k, "/clients", None).await.0, 200);

    let (bad, body) = http_text(
        http()
            .put(format!("{}/_sandbox/faults", origin(&sb)))
            .json(&json!({"fault_rate": 7})),
    )
    .await;
    assert_eq!(bad, 400, "{body}");
    let (bad, body) = http_text(
        http()
            .put(format!("{}/_sandbox/faults", origin(&sb)))
            .json(&json!({"explode": true})),
    )
    .await;
    assert_eq!(bad, 400, "{body}");
}

#[test]
fn the_demo_world_is_deterministic_and_realistic() {
    let cfg = SandboxConfig {
        scale: 3000,
        anchor: Some(ANCHOR),
        seed: 42,
        ..Default::default()
    };
    let (a, keys_a) = build_store(&cfg);
    let (b, keys_b) = build_store(&cfg);
    let ids = |s: &gigdash::sandbox::store::Store| {
        s.teams.iter().map(|t| t.id.clone()).collect::<Vec<_>>()
    };
    assert_eq!(ids(&a), ids(&b));
    assert_eq!(
        keys_a.iter().map(|k| &k.key).collect::<Vec<_>>(),
        keys_b.iter().map(|k| &k.key).collect::<Vec<_>>()
    );
    let (c, _) = build_store(&SandboxConfig {
        seed: 43,
        ..cfg.clone()
    });
    assert_ne!(ids(&a), ids(&c));

    let franchise: Vec<_> = a
        .teams
        .iter()
        .filter(|t| t.billing_account == "ba_donalupe" && t.active)
        .collect();
    assert_eq!(
        franchise.iter().filter(|t| t.connect).count(),
        1,
        "one master team"
    );
    let branches = franchise.len() - 1;
    assert!((8..=12).contains(&branches), "{branches} branches");
    assert!(
        a.teams.iter().any(|t| t.billing_account != "ba_donalupe"),
        "a second billing account"
    );
    let rfc = |s: &str| {
        let n = s.len();
        (n == 12 || n == 13)
            && s[..n - 9].chars().all(|c| c.is_ascii_uppercase())
            && s[n - 9..n - 3].chars().all(|c| c.is_ascii_digit())
    };
    assert!(a.teams.iter().all(|t| rfc(&t.tax_id)));
    assert!(a.teams.iter().any(|t| t.name.contains('ñ')));

    let mut invoices = 0;
    let (mut usd, mut ppd, mut canceled, mut pending_cancel) = (0, 0, 0, 0);
    let mut statuses = std::collections::BTreeSet::new();
    let mut refunds = 0;
    for (team, d) in &a.data {
        invoices += d.income.len() + d.egress.len();
        assert!(d.clients.iter().all(|c| rfc(&c.tax_id)), "{team}");
        usd += d
            .income
            .iter()
            .filter(|i| i.currency == "USD" && i.exchange_rate.0 > rust_decimal::Decimal::ONE)
            .count();
        ppd += d
            .income
            .iter()
            .filter(|i| i.payment_method == "PPD")
            .count();
        canceled += d.income.iter().filter(|i| i.status == "canceled").count();
        pending_cancel += d
            .income
            .iter()
            .filter(|i| i.cancellation_status.as_deref() == Some("pending"))
            .count();
        refunds += d.payments.iter().filter(|p| !p.refunds.is_empty()).count();
        statuses.extend(d.payments.iter().map(|p| p.status.clone()));
        let span = d.income.last().unwrap().created_at - d.income.first().unwrap().created_at;
        assert!(span > 400 * 86_400, "about 18 months of history in {team}");
    }
    assert!(
        (2700..=3600).contains(&invoices),
        "about --scale invoices: {invoices}"
    );
    assert!(usd > 0 && ppd > 0 && canceled > 0 && pending_cancel > 0 && refunds > 0);
    for s in [
        "requires_payment_method",
        "pending",
        "processing",
        "succeeded",
        "failed",
        "canceled",
        "refunded",
    ] {
        assert!(statuses.contains(s), "payments in status {s}");
    }
}

/// Every `| METHOD | `/path` | …` row of the reference's endpoint tables, expanded: methods
/// split on `/`, each backticked path (a method word before a path applies to it alone), an
/// optional `[/{uid}]` tail given to GET both ways and to the other methods in full. Rows
/// whose path was not captured or ends in `…` are out of scope (the reference says so).
fn reference_endpoints() -> Vec<(String, String)> {
    let doc = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/gigstack-api.md"
    ))
    .expect("../shared/gigstack-api.md beside the project");
    let methods = ["GET", "POST", "PUT", "PATCH", "DELETE"];
    let mut out = Vec::new();
    for line in doc.lines() {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        if cells.len() < 4 {
            continue;
        }
        let row_methods: Vec<&str> = cells[1].split('/').map(str::trim).collect();
        if row_methods.is_empty() || !row_methods.iter().all(|m| methods.contains(m)) {
            continue;
        }
        let parts: Vec<&str> = cells[2].split('`').collect();
        for (i, path) in parts.iter().enumerate().skip(1).step_by(2) {
            if !path.starts_with('/') || path.contains('…') {
                continue;
            }
            let before = parts[i - 1].trim().trim_start_matches(',').trim();
            let ms: Vec<&str> = if methods.contains(&before) {
                vec![before]
            } else {
                row_methods.clone()
            };
            let path = path.split('?').next().unwrap().to_string();
            for m in ms {
                match path.split_once('[') {
                    Some((head, tail)) => {
                        let full = format!("{head}{}", tail.trim_end_matches(']'));
                        if m == "GET" {
                            out.push((m.to_string(), head.to_string()));
                        }
                        out.push((m.to_string(), full));
                    }
                    None => out.push((m.to_string(), path.clone())),
                }
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

#[tokio::test]
async fn every_endpoint_of_the_reference_answers() {
    let sb = sandbox().await;
    let k = sb.admin_key();
    let first = |v: Value, field: &str| v["data"][0][field].as_str().unwrap_or("none").to_string();
    let team = sb.keys[0].team.clone();
    let client = first(get(&sb, k, "/clients?limit=1").await, "id");
    let service = first(get(&sb, k, "/services?limit=1").await, "id");
    let invoice = first(get(&sb, k, "/invoices/income?limit=1").await, "uuid");
    let payment = first(get(&sb, k, "/payments?limit=1").await, "id");
    let receipt = first(get(&sb, k, "/receipts?limit=1").await, "id");
    let user = first(get(&sb, k, "/users?limit=1").await, "id");
    let endpoints = reference_endpoints();
    assert!(
        endpoints.len() > 80,
        "the tables were read: {}",
        endpoints.len()
    );
    let mut missing = Vec::new();
    for (method, path) in &endpoints {
        let id = if path.starts_with("/clients") {
            &client
        } else if path.starts_with("/services") {
            &service
        } else if path.starts_with("/payments") {
            &payment
        } else if path.starts_with("/receipts") {
            &receipt
        } else if path.starts_with("/users") {
            &user
        } else if path.starts_with("/teams") {
            &team
        } else {
            &invoice
        };
        let concrete = path
            .replace("{id}", id)
            .replace("{uuid}", &invoice)
            .replace("{series}", "A")
            .replace("{uid}", &user)
            .replace("{team}", &team);
        let (status, v) = call(&sb, method, k, &concrete, Some(json!({}))).await;
        let unknown = status == 405
            || (status == 404
                && v["message"]
                    .as_str()
                    .is_some_and(|m| m.starts_with("Unknown endpoint")));
        if unknown || status >= 500 {
            missing.push(format!("{method} {path} → {status} {}", v["message"]));
        }
    }
    assert!(
        missing.is_empty(),
        "the sandbox does not serve {} of {} documented endpoints:\n  {}",
        missing.len(),
        endpoints.len(),
        missing.join("\n  ")
    );
}
