//! The endpoints of gigstack-api.md beyond what gigdash's screens drive, held to the
//! reference over raw HTTP: shapes, rules, roles, Connect scoping and errors, one test per
//! resource (issue #13). `sandbox_contract::every_endpoint_of_the_reference_answers` walks
//! the reference's tables so that a missing endpoint fails by name.

mod common;

use common::*;
use gigdash::sandbox::model::Role;
use serde_json::{Value, json};

fn data(v: &Value) -> &Value {
    &v["data"]
}

/// Whether the listing `v` holds an item whose id is `id`.
fn lists(v: &Value, id: &str) -> bool {
    v["data"].as_array().unwrap().iter().any(|x| x["id"] == id)
}

async fn first_id(sb: &gigdash::sandbox::Sandbox, path: &str, field: &str) -> String {
    let v = get(sb, sb.admin_key(), &format!("{path}?limit=1")).await;
    v["data"][0][field].as_str().unwrap().to_string()
}

#[tokio::test]
async fn clients_are_created_updated_searched_validated_and_deleted() {
    let sb = sandbox().await;
    let k = sb.admin_key();
    let (s, v) = call(
        &sb,
        "POST",
        k,
        "/clients",
        Some(json!({
            "name": "Ñandú Textil", "legal_name": "ÑANDU TEXTIL", "email": "pagos@nandu.mx",
            "tax_id": "NTE010101AB1", "tax_system": "601", "use": "G03", "address": {"zip": "03100"}
        })),
    )
    .await;
    assert_eq!(s, 201, "{v}");
    let id = data(&v)["id"].as_str().unwrap().to_string();
    assert_eq!(data(&v)["tax_id"], "NTE010101AB1");
    // A path word is never read as an id.
    let found = get(&sb, k, "/clients/search?q=nandu").await;
    assert_eq!(found["success"], true);
    assert!(lists(&found, &id), "{found}");
    assert!(found["found"].is_u64() && found["per_page"].is_u64());
    let (s, _) = call(&sb, "GET", k, "/clients/search", None).await;
    assert_eq!(s, 400, "q is required");
    let (s, v) = call(
        &sb,
        "PUT",
        k,
        &format!("/clients/{id}"),
        Some(json!({"email": "nuevo@nandu.mx"})),
    )
    .await;
    assert_eq!(
        (s, data(&v)["email"].clone()),
        (200, json!("nuevo@nandu.mx"))
    );
    let (s, v) = call(
        &sb,
        "PUT",
        k,
        &format!("/clients/{id}"),
        Some(json!({"tax_id": "NOPE"})),
    )
    .await;
    assert_eq!(s, 400, "{v}");
    let (s, v) = call(&sb, "POST", k, &format!("/clients/validate/{id}"), None).await;
    assert_eq!(s, 200);
    assert_eq!(data(&v)["is_valid"], true, "{v}");
    let (s, v) = call(
        &sb,
        "POST",
        k,
        "/clients/customerportal",
        Some(json!({"id": id})),
    )
    .await;
    assert_eq!(s, 200);
    assert!(
        data(&v)["url"].as_str().unwrap().starts_with("http") && data(&v)["expires_at"].is_i64()
    );
    let (s, _) = call(&sb, "POST", k, "/clients/customerportal", Some(json!({}))).await;
    assert_eq!(s, 400);
    // Deleting is an admin's; a member is refused.
    let member = sb.master_key(Role::Member).key.clone();
    let (s, _) = call(&sb, "DELETE", &member, &format!("/clients/{id}"), None).await;
    assert_eq!(s, 403);
    let (s, _) = call(&sb, "DELETE", k, &format!("/clients/{id}"), None).await;
    assert_eq!(s, 200);
    let (s, _) = call(&sb, "GET", k, &format!("/clients/{id}"), None).await;
    assert_eq!(s, 404);
}

#[tokio::test]
async fn a_client_with_a_bad_rfc_fails_validation_with_its_reason() {
    let sb = sandbox().await;
    let k = sb.admin_key();
    let (_, v) = call(
        &sb,
        "POST",
        k,
        "/clients",
        Some(json!({
            "legal_name": "SIN CP", "tax_id": "SCP010101AB1", "tax_system": "6O1"
        })),
    )
    .await;
    let id = data(&v)["id"].as_str().unwrap().to_string();
    let (s, v) = call(&sb, "POST", k, &format!("/clients/validate/{id}"), None).await;
    assert_eq!(s, 200);
    assert_eq!(data(&v)["is_valid"], false);
    assert_eq!(data(&v)["errors"], json!(["tax_system", "zip"]), "{v}");
}

#[tokio::test]
async fn services_have_their_crud() {
    let sb = sandbox().await;
    let k = sb.admin_key();
    let (s, v) = call(&sb, "POST", k, "/services", Some(json!({
        "description": "Asesoría fiscal", "product_key": "84111500", "unit_key": "E48", "unit_price": 1500
    }))).await;
    assert_eq!(s, 201, "{v}");
    let id = data(&v)["id"].as_str().unwrap().to_string();
    let (s, _) = call(
        &sb,
        "POST",
        k,
        "/services",
        Some(json!({"description": "x", "product_key": "12"})),
    )
    .await;
    assert_eq!(s, 400, "an 8-digit SAT key");
    let (s, v) = call(
        &sb,
        "PUT",
        k,
        &format!("/services/{id}"),
        Some(json!({"unit_price": "1750.50"})),
    )
    .await;
    assert_eq!(s, 200);
    assert_eq!(data(&v)["unit_price"].as_f64(), Some(1750.5));
    assert_eq!(
        get(&sb, k, &format!("/services/{id}")).await["data"]["description"],
        "Asesoría fiscal"
    );
    let (s, _) = call(&sb, "DELETE", k, &format!("/services/{id}"), None).await;
    assert_eq!(s, 200);
    let viewer = sb.master_key(Role::Viewer).key.clone();
    let (s, _) = call(
        &sb,
        "POST",
        &viewer,
        "/services",
        Some(json!({"description": "x", "product_key": "84111500"})),
    )
    .await;
    assert_eq!(s, 403, "a viewer only reads");
}

#[tokio::test]
async fn invoices_search_drafts_send_and_the_error_catalog() {
    let sb = sandbox().await;
    let k = sb.admin_key();
    let uuid = first_id(&sb, "/invoices/income", "uuid").await;
    let found = get(&sb, k, &format!("/invoices/search?q={}", &uuid[..8])).await;
    assert!(
        found["data"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["uuid"] == uuid.as_str())
    );
    let client = first_id(&sb, "/clients", "id").await;
    let (s, v) = call(&sb, "POST", k, "/invoices/draft", Some(json!({
        "client": {"id": client}, "items": [{"description": "Renta", "quantity": 1, "unit_price": 1000}]
    }))).await;
    assert_eq!(s, 201, "{v}");
    let draft = data(&v)["id"].as_str().unwrap().to_string();
    assert_eq!(data(&v)["total"].as_f64(), Some(1160.0), "{v}");
    assert!(lists(&get(&sb, k, "/invoices/draft").await, &draft));
    let (s, _) = call(
        &sb,
        "PUT",
        k,
        &format!("/invoices/draft/{draft}"),
        Some(json!({"payment_form": "04"})),
    )
    .await;
    assert_eq!(s, 200);
    let (s, _) = call(
        &sb,
        "POST",
        k,
        &format!("/invoices/draft/{draft}/preview"),
        None,
    )
    .await;
    assert_eq!(s, 200);
    let (s, v) = call(
        &sb,
        "POST",
        k,
        &format!("/invoices/draft/{draft}/stamp"),
        None,
    )
    .await;
    assert_eq!(s, 201, "{v}");
    let stamped = data(&v)["uuid"].as_str().unwrap().to_string();
    assert_eq!(
        get(&sb, k, &format!("/invoices/income/{stamped}")).await["data"]["status"],
        "valid"
    );
    let (s, v) = call(
        &sb,
        "POST",
        k,
        &format!("/invoices/draft/{draft}/stamp"),
        None,
    )
    .await;
    assert_eq!(s, 409, "stamped once: {v}");
    let (s, v) = call(
        &sb,
        "POST",
        k,
        &format!("/invoices/{uuid}/send"),
        Some(json!({"emails": ["conta@ejemplo.mx"]})),
    )
    .await;
    assert_eq!(s, 200);
    assert_eq!(data(&v)["recipients"], json!(["conta@ejemplo.mx"]));
    let (s, _) = call(
        &sb,
        "POST",
        k,
        &format!("/invoices/{uuid}/send"),
        Some(json!({"emails": ["nope"]})),
    )
    .await;
    assert_eq!(s, 400);
    let errors = get(&sb, k, "/invoices/errors?code=CFDI40145").await;
    assert_eq!(errors["data"][0]["code"], "CFDI40145");
    let (s, v) = call(
        &sb,
        "POST",
        k,
        "/invoices/egress",
        Some(json!({
            "client": {"id": client}, "items": [{"quantity": 1, "unit_price": 100}]
        })),
    )
    .await;
    assert_eq!(s, 400, "an egress relates to what it credits: {v}");
}

#[tokio::test]
async fn payment_complements_are_tied_to_ppd_invoices_and_their_balance() {
    let sb = sandbox().await;
    let k = sb.admin_key();
    let all = walk(&sb, k, "/invoices/payment", 100).await;
    assert!(!all.is_empty(), "the demo world has complements");
    let p = &all[0];
    assert_eq!(p["invoice_type"], "P");
    let ppd = p["related_documents"][0]["documents"][0]
        .as_str()
        .unwrap()
        .to_string();
    let of = get(&sb, k, &format!("/invoices/payment?invoice_id={ppd}")).await;
    assert!(
        of["data"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["related_documents"][0]["documents"][0] == ppd.as_str())
    );
    let one = get(
        &sb,
        k,
        &format!("/invoices/payment/{}", p["uuid"].as_str().unwrap()),
    )
    .await;
    assert_eq!(one["data"]["uuid"], p["uuid"]);
    // A PPD invoice that still owes money takes a complement up to what it owes, not more.
    let owing = walk(&sb, k, "/invoices/income", 100)
        .await
        .into_iter()
        .find(|i| {
            i["payment_method"] == "PPD"
                && i["status"] == "valid"
                && i["last_balance"].as_f64().is_some_and(|b| b > 1.0)
        })
        .expect("a PPD invoice with a balance");
    let uuid = owing["uuid"].as_str().unwrap().to_string();
    let owed: f64 = owing["last_balance"].as_f64().unwrap();
    let (s, v) = call(
        &sb,
        "POST",
        k,
        "/invoices/payment",
        Some(json!({
            "invoice_id": uuid, "amount": owed + 1.0, "payment_form": "03"
        })),
    )
    .await;
    assert_eq!(s, 400, "above the balance: {v}");
    let (s, v) = call(
        &sb,
        "POST",
        k,
        "/invoices/payment",
        Some(json!({
            "invoice_id": uuid, "amount": 1, "payment_form": "03"
        })),
    )
    .await;
    assert_eq!(s, 201, "{v}");
    assert_eq!(data(&v)["invoice_type"], "P");
    let after = get(&sb, k, &format!("/invoices/income/{uuid}")).await;
    assert!((after["data"]["last_balance"].as_f64().unwrap() - (owed - 1.0)).abs() < 0.005);
    assert_eq!(
        after["data"]["payment_complements"],
        owing["payment_complements"].as_u64().unwrap() + 1
    );
}

#[tokio::test]
async fn payments_search_and_update() {
    let sb = sandbox().await;
    let k = sb.admin_key();
    let id = first_id(&sb, "/payments", "id").await;
    let found = get(&sb, k, &format!("/payments/search?q={id}")).await;
    assert_eq!(found["data"][0]["id"], id.as_str());
    let (s, v) = call(
        &sb,
        "PUT",
        k,
        &format!("/payments/{id}"),
        Some(json!({"metadata": {"pedido": "1001"}})),
    )
    .await;
    assert_eq!(s, 200);
    assert_eq!(data(&v)["metadata"]["pedido"], "1001");
}

#[tokio::test]
async fn receipts_have_their_lifecycle_and_a_stamped_one_cannot_be_stamped_again() {
    let sb = sandbox().await;
    let k = sb.admin_key();
    let client = first_id(&sb, "/clients", "id").await;
    let (s, v) = call(&sb, "POST", k, "/receipts", Some(json!({
        "client": {"id": client}, "items": [{"quantity": 2, "unit_price": 580}], "periodicity": "week", "payment_form": "01"
    }))).await;
    assert_eq!(s, 201, "{v}");
    let r = data(&v).clone();
    let id = r["id"].as_str().unwrap().to_string();
    assert_eq!(r["status"], "pending");
    assert_eq!(r["total"].as_f64(), Some(1160.0));
    assert_eq!(
        r["validUntil"].as_i64().unwrap() - r["created"].as_i64().unwrap(),
        7 * 86_400
    );
    assert!(get(&sb, k, &format!("/receipts/search?q={id}")).await["data"][0]["id"] == id.as_str());
    let (s, _) = call(
        &sb,
        "POST",
        k,
        "/receipts",
        Some(json!({"items": [{"unit_price": 1}], "periodicity": "year"})),
    )
    .await;
    assert_eq!(s, 400, "an unknown periodicity");
    let (s, v) = call(
        &sb,
        "POST",
        k,
        &format!("/receipts/{id}/stamp"),
        Some(json!({})),
    )
    .await;
    assert_eq!((s, data(&v)["status"].clone()), (200, json!("completed")));
    let (s, v) = call(
        &sb,
        "POST",
        k,
        &format!("/receipts/{id}/stamp"),
        Some(json!({})),
    )
    .await;
    assert_eq!(s, 409, "{v}");
    assert_eq!(v["error"]["code"], "receipt_already_stamped");
    // Cancel, then reopen with a reason.
    let (_, v) = call(
        &sb,
        "POST",
        k,
        "/receipts",
        Some(json!({"items": [{"unit_price": 100}]})),
    )
    .await;
    let other = data(&v)["id"].as_str().unwrap().to_string();
    let (s, v) = call(&sb, "DELETE", k, &format!("/receipts/{other}"), None).await;
    assert_eq!((s, data(&v)["status"].clone()), (200, json!("cancelled")));
    let (s, _) = call(
        &sb,
        "POST",
        k,
        &format!("/receipts/{other}/reopen"),
        Some(json!({})),
    )
    .await;
    assert_eq!(s, 400, "a reason is required");
    let (s, v) = call(
        &sb,
        "POST",
        k,
        &format!("/receipts/{other}/reopen"),
        Some(json!({"reason": "error de captura"})),
    )
    .await;
    assert_eq!((s, data(&v)["status"].clone()), (200, json!("pending")));
}

#[tokio::test]
async fn stamping_a_clients_pending_receipts_counts_stamped_failed_and_remaining() {
    let sb = sandbox().await;
    let k = sb.admin_key();
    let (_, v) = call(&sb, "POST", k, "/clients", Some(json!({
        "legal_name": "MOSTRADOR UNO", "tax_id": "MUN010101AB1", "tax_system": "601", "address": {"zip": "64000"}
    }))).await;
    let client = data(&v)["id"].as_str().unwrap().to_string();
    for _ in 0..3 {
        let (s, _) = call(
            &sb,
            "POST",
            k,
            "/receipts",
            Some(json!({"client": {"id": client}, "items": [{"unit_price": 116}]})),
        )
        .await;
        assert_eq!(s, 201);
    }
    let (s, v) = call(
        &sb,
        "POST",
        k,
        &format!("/clients/{client}/stamp-pending-receipts"),
        None,
    )
    .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(data(&v)["stamped"], 3);
    assert_eq!(data(&v)["failed"], 0);
    assert_eq!(data(&v)["remaining"], 0);
    assert_eq!(data(&v)["results"].as_array().unwrap().len(), 3);
    let (s, _) = call(
        &sb,
        "POST",
        k,
        "/clients/client_missing/stamp-pending-receipts",
        None,
    )
    .await;
    assert_eq!(s, 404);
}

#[tokio::test]
async fn teams_integrations_series_settings_and_connect_scoping() {
    let sb = sandbox().await;
    let k = sb.admin_key();
    let own = sb.keys[0].team.clone();
    let v = get(&sb, k, "/teams/integrations").await;
    assert!(data(&v)["sat"]["completed"].is_boolean());
    let other = walk(&sb, k, "/teams", 100)
        .await
        .into_iter()
        .map(|t| t["id"].as_str().unwrap().to_string())
        .find(|t| *t != own)
        .unwrap();
    let v = get(&sb, k, &format!("/teams/{other}/integrations")).await;
    assert!(data(&v)["stripe"].is_object());
    let series = get(&sb, k, &format!("/teams/{own}/series")).await;
    assert!(
        series["data"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["series"] == "A")
    );
    let (s, _) = call(
        &sb,
        "POST",
        k,
        &format!("/teams/{own}/series"),
        Some(json!({"series": "Z", "live": 1, "test": 1})),
    )
    .await;
    assert_eq!(s, 201);
    let (s, _) = call(
        &sb,
        "POST",
        k,
        &format!("/teams/{own}/series"),
        Some(json!({"series": "Z"})),
    )
    .await;
    assert_eq!(s, 409, "a series once");
    let (s, v) = call(
        &sb,
        "PUT",
        k,
        &format!("/teams/{own}/series/Z"),
        Some(json!({"live": 40})),
    )
    .await;
    assert_eq!((s, data(&v)["live"].clone()), (200, json!(40)));
    let v = get(&sb, k, &format!("/teams/{own}/settings")).await;
    assert_eq!(data(&v)["unit_key"], "E48");
    let (s, v) = call(
        &sb,
        "PUT",
        k,
        &format!("/teams/{own}/settings"),
        Some(json!({"unit_key": "H87", "use": null})),
    )
    .await;
    assert_eq!(s, 200);
    assert_eq!(data(&v)["unit_key"], "H87");
    assert!(data(&v).get("use").is_none(), "an explicit null clears");
    // A key without Connect cannot reach another team through the path.
    let plain = sb
        .keys
        .iter()
        .find(|d| {
            d.note.to_lowercase().contains("without connect")
                || d.note.to_lowercase().contains("no connect")
        })
        .map(|d| d.key.clone())
        .expect("the sandbox has a branch key without Connect");
    let (s, _) = call(&sb, "GET", &plain, &format!("/teams/{other}/series"), None).await;
    assert_eq!(s, 403, "a key without Connect stays on its own team");
    let (s, _) = call(&sb, "GET", k, "/teams/team_nope/settings", None).await;
    assert_eq!(s, 404, "a team that does not exist is not found (§1.10)");
}

#[tokio::test]
async fn users_are_listed_read_and_managed() {
    let sb = sandbox().await;
    let k = sb.admin_key();
    let id = first_id(&sb, "/users", "id").await;
    let v = get(&sb, k, &format!("/users/{id}")).await;
    assert!(data(&v)["teams"].is_array() && data(&v)["role"].is_string());
    let (s, _) = call(&sb, "GET", k, "/users/user_nope", None).await;
    assert_eq!(s, 404);
    let (s, v) = call(&sb, "POST", k, "/users", Some(json!({"email": "nueva@ejemplo.mx", "firstName": "Nueva", "auto_join": true, "role": "viewer"}))).await;
    assert_eq!(s, 201);
    assert_eq!(data(&v)["invitation_sent"], true);
    let (s, _) = call(
        &sb,
        "POST",
        k,
        "/users/reset-password",
        Some(json!({"email": "nueva@ejemplo.mx"})),
    )
    .await;
    assert_eq!(s, 200);
    let (s, _) = call(
        &sb,
        "POST",
        k,
        "/users/login-link",
        Some(json!({"user_id": "user_nope"})),
    )
    .await;
    assert_eq!(s, 404);
}

#[tokio::test]
async fn webhooks_are_created_listed_and_deleted() {
    let sb = sandbox().await;
    let k = sb.admin_key();
    let (s, v) = call(&sb, "POST", k, "/webhooks", Some(json!({
        "url": "https://erp.ejemplo.mx/gigstack", "events": ["payment.succeeded"], "description": "ERP"
    }))).await;
    assert_eq!(s, 201, "{v}");
    assert_eq!(v["success"], true);
    assert!(v["timestamp"].is_i64());
    let id = data(&v)["id"].as_str().unwrap().to_string();
    assert_eq!(data(&v)["status"], "active");
    assert!(
        data(&v)["created_at"].as_i64().unwrap() > 1_000_000_000_000,
        "milliseconds"
    );
    let (s, _) = call(
        &sb,
        "POST",
        k,
        "/webhooks",
        Some(json!({"url": "http://plain.mx"})),
    )
    .await;
    assert_eq!(s, 400, "HTTPS only");
    let list = get(&sb, k, "/webhooks?status=active").await;
    assert!(lists(&list, &id), "{list}");
    let (s, v) = call(
        &sb,
        "PUT",
        k,
        &format!("/webhooks/{id}"),
        Some(json!({"status": "inactive"})),
    )
    .await;
    assert_eq!((s, data(&v)["status"].clone()), (200, json!("inactive")));
    let (s, _) = call(&sb, "DELETE", k, &format!("/webhooks/{id}"), None).await;
    assert_eq!(s, 200);
    let (s, _) = call(&sb, "GET", k, &format!("/webhooks/{id}"), None).await;
    assert_eq!(s, 404);
}

#[tokio::test]
async fn a_complement_on_a_cancelled_ppd_invoice_is_refused() {
    let sb = sandbox().await;
    let k = sb.admin_key();
    // Cancel a PPD invoice without complements (the receiver accepts after a second in
    // this sandbox), then ask for its complement.
    let ppd = walk(&sb, k, "/invoices/income", 100)
        .await
        .into_iter()
        .find(|i| {
            i["payment_method"] == "PPD"
                && i["status"] == "valid"
                && i["payment_complements"].as_u64() == Some(0)
        })
        .expect("a valid PPD invoice without complements");
    let uuid = ppd["uuid"].as_str().unwrap();
    let (s, v) = call(
        &sb,
        "DELETE",
        k,
        &format!("/invoices/{uuid}"),
        Some(json!({"motive": "02"})),
    )
    .await;
    assert!(s == 200 || s == 202, "{s} {v}");
    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
    let now = get(&sb, k, &format!("/invoices/income/{uuid}")).await;
    assert_eq!(now["data"]["status"], "canceled", "{now}");
    let (s, v) = call(
        &sb,
        "POST",
        k,
        "/invoices/payment",
        Some(json!({"invoice_id": uuid, "amount": 1, "payment_form": "03"})),
    )
    .await;
    assert_eq!(s, 409, "{v}");
    assert!(v.to_string().contains("invoice_cancelled"), "{v}");
}

/// `/_sandbox/clock` moves what requests are stamped with (a payment marked paid is paid
/// "then"), refuses what is not a time, and goes back; a team that turned off
/// `automate_complement_for_ppd_invoices` owes the complement of a PPD payment marked
/// paid (the invoice's balance stays); with it on, the complement is issued.
#[tokio::test]
async fn the_clock_moves_what_requests_are_stamped_with_and_the_ppd_setting_decides_the_complement()
{
    let sb = sandbox().await;
    let k = sb.admin_key();
    let clock = format!("{}/_sandbox/clock", origin(&sb));
    let (s, v) = http_json(http().get(&clock)).await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["data"]["offset_secs"], 0);
    let real = jiff::Timestamp::now().as_second();
    let then = real - 40 * 86_400;
    let (s, v) = http_json(http().put(&clock).json(&json!({"now": then}))).await;
    assert_eq!(s, 200, "{v}");
    assert!(
        (v["data"]["now"].as_i64().unwrap() - then).abs() <= 2,
        "{v}"
    );
    for bad in [
        json!({"now": then * 1000}),
        json!({"now": "yesterday"}),
        json!({"offset_secs": 1.5}),
        json!({"now": then, "offset_secs": 3}),
        json!({}),
    ] {
        let (s, v) = http_json(http().put(&clock).json(&bad)).await;
        assert_eq!(s, 400, "{bad}: {v}");
    }
    // Refused bodies leave the clock where it was.
    let (_, v) = http_json(http().get(&clock)).await;
    assert!(
        (v["data"]["now"].as_i64().unwrap() - then).abs() <= 2,
        "{v}"
    );

    // A pending payment of a PPD invoice, in a team whose complements are not automated.
    let mut payments = walk(&sb, k, "/payments?status=pending", 100).await;
    payments.extend(walk(&sb, k, "/payments?status=requires_payment_method", 100).await);
    let ppd: Vec<&Value> = payments
        .iter()
        .filter(|p| p["automation_type"] == "ppd_invoice_and_complement")
        .collect();
    assert!(ppd.len() >= 2, "the world has pending PPD payments");
    let (s, v) = call(
        &sb,
        "PUT",
        k,
        &format!("/teams/{}/settings", ppd[0]["team"].as_str().unwrap()),
        Some(json!({"automate_complement_for_ppd_invoices": false})),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    let balance = |inv: &Value| inv["last_balance"].clone();
    let uuid = ppd[0]["invoices"][0].as_str().unwrap();
    let before = income(&sb, uuid).await;
    let (s, v) = call(
        &sb,
        "POST",
        k,
        &format!("/payments/{}/paid", ppd[0]["id"].as_str().unwrap()),
        Some(json!({"payment_form": "03"})),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    // Paid when the sandbox's clock said.
    assert!(
        (data(&v)["succeeded_at"].as_i64().unwrap() - then).abs() <= 2,
        "{v}"
    );
    let after = income(&sb, uuid).await;
    assert_eq!(balance(&after), balance(&before), "no complement: {after}");
    assert_eq!(
        after["payment_complements"], before["payment_complements"],
        "{after}"
    );

    // Back to the machine's time; with the setting on again, the complement is issued.
    let (s, v) = http_json(http().put(&clock).json(&json!({"now": null}))).await;
    assert_eq!((s, &v["data"]["offset_secs"]), (200, &json!(0)), "{v}");
    let (s, v) = call(
        &sb,
        "PUT",
        k,
        &format!("/teams/{}/settings", ppd[0]["team"].as_str().unwrap()),
        Some(json!({"automate_complement_for_ppd_invoices": true})),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    let other = ppd[1];
    let uuid = other["invoices"][0].as_str().unwrap();
    let before = income(&sb, uuid).await;
    let (s, v) = call(
        &sb,
        "POST",
        k,
        &format!("/payments/{}/paid", other["id"].as_str().unwrap()),
        Some(json!({"payment_form": "03"})),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    assert!(
        (data(&v)["succeeded_at"].as_i64().unwrap() - jiff::Timestamp::now().as_second()).abs()
            <= 2,
        "{v}"
    );
    let after = income(&sb, uuid).await;
    assert_eq!(
        after["payment_complements"].as_u64().unwrap(),
        before["payment_complements"].as_u64().unwrap() + 1,
        "{after}"
    );
}

async fn income(sb: &gigdash::sandbox::Sandbox, uuid: &str) -> Value {
    data(&get(sb, sb.admin_key(), &format!("/invoices/income/{uuid}")).await).clone()
}

/// What decides whether a branch can invoice is in every team object (§7.2): `sat` with the
/// CSD's expiry (epoch seconds) and `billing.credits`. The 48-branch world has CSDs
/// expired and due within 30 days, and teams without credits; a team created now has no
/// CSD yet.
#[tokio::test]
async fn teams_say_their_csd_expiry_and_credits_and_a_new_one_has_no_csd() {
    let sb = sandbox_with(gigdash::sandbox::SandboxConfig {
        scale: 600,
        teams: Some(48),
        ..Default::default()
    })
    .await;
    let k = sb.admin_key();
    let teams = walk(&sb, k, "/teams", 100).await;
    assert_eq!(teams.len(), 48);
    let now = jiff::Timestamp::now().as_second();
    let (mut expired, mut soon, mut no_credits) = (0, 0, 0);
    for t in &teams {
        let at = t["sat"]["csd_expires_at"]
            .as_i64()
            .unwrap_or_else(|| panic!("a CSD expiry: {t}"));
        assert!(at < 10_000_000_000, "seconds, not milliseconds: {at}");
        expired += usize::from(at <= now);
        soon += usize::from(at > now && at <= now + 30 * 86_400);
        let credits = t["billing"]["credits"]
            .as_i64()
            .unwrap_or_else(|| panic!("credits: {t}"));
        assert!(credits >= 0);
        no_credits += usize::from(credits == 0);
        // And the client reads them as sent.
        let read: gigdash::api::Team = serde_json::from_value(t.clone()).unwrap();
        assert!(
            matches!(read.csd(), gigdash::api::Csd::Expires(i) if i.as_second() == at),
            "{t}"
        );
        assert_eq!(read.credits(), Some(credits.into()));
    }
    assert_eq!(
        (expired, soon, no_credits),
        (6, 12, 6),
        "one in eight expired, two due soon"
    );
    // Each branch's own integrations and onboarding link, through Connect: Stripe
    // disconnected on one in sixteen.
    let mut stripe_off = 0;
    for t in &teams {
        let id = t["id"].as_str().unwrap();
        let v = get(&sb, k, &format!("/teams/integrations?team={id}")).await;
        assert_eq!(data(&v)["sat"]["completed"], true, "{id}: {v}");
        stripe_off += usize::from(data(&v)["stripe"]["completed"] == false);
        let v = get(&sb, k, &format!("/teams/{id}/onboarding-url")).await;
        let url = data(&v)["url"].as_str().unwrap();
        assert!(url.ends_with(&format!("onboarding?team={id}")), "{url}");
    }
    assert_eq!(stripe_off, 3);
    let (s, v) = call(
        &sb,
        "POST",
        k,
        "/teams",
        Some(json!({"brand": {"alias": "Doña Lupe Nueva"}, "tax_id": "DLN010101AB1", "tax_system": "601"})),
    )
    .await;
    assert_eq!(s, 201, "{v}");
    assert_eq!(data(&v)["sat"]["completed"], false);
    assert!(data(&v)["sat"]["csd_expires_at"].is_null(), "{v}");
}

#[tokio::test]
async fn a_teams_settings_and_members_need_an_admin_and_its_last_admin_stays() {
    use gigdash::sandbox::model::Role;
    let sb = sandbox().await;
    let admin = sb.admin_key();
    let member = sb.master_key(Role::Member).key.clone();
    let viewer = sb.master_key(Role::Viewer).key.clone();
    let other = walk(&sb, admin, "/teams", 100)
        .await
        .into_iter()
        .map(|t| t["id"].as_str().unwrap().to_string())
        .find(|t| *t != sb.keys[0].team)
        .unwrap();
    // Every role reads a team's configuration.
    for k in [admin, member.as_str(), viewer.as_str()] {
        for what in ["settings", "series", "members"] {
            get(&sb, k, &format!("/teams/{other}/{what}")).await;
        }
    }
    // A member key is refused in words for settings and members; series it may create.
    for (path, body) in [
        (
            format!("/teams/{other}/settings"),
            json!({"unit_key": "H87"}),
        ),
        (
            format!("/teams/{other}/add-member"),
            json!({"id": "user_new", "role": "viewer"}),
        ),
        (
            format!("/teams/{other}/remove-member"),
            json!({"id": "user_new"}),
        ),
    ] {
        let method = if path.ends_with("settings") {
            "PUT"
        } else {
            "POST"
        };
        let (s, v) = call(&sb, method, &member, &path, Some(body)).await;
        assert_eq!(s, 403, "{path}: {v}");
        assert_eq!(v["error"]["code"], "role_not_allowed", "{v}");
        assert!(
            v["error"]["message"].as_str().unwrap().contains("role"),
            "said in words: {v}"
        );
    }
    let (s, _) = call(
        &sb,
        "POST",
        &member,
        &format!("/teams/{other}/series"),
        Some(json!({"series": "M"})),
    )
    .await;
    assert_eq!(s, 201);
    // A role the API does not know.
    let (s, v) = call(
        &sb,
        "POST",
        admin,
        &format!("/teams/{other}/add-member"),
        Some(json!({"id": "user_new", "role": "boss"})),
    )
    .await;
    assert_eq!(s, 400, "{v}");
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap()
            .contains("`role` must be")
    );
    // The last admin of a team cannot be removed (by either path); another can.
    let members = get(&sb, admin, &format!("/teams/{other}/members")).await;
    let admins: Vec<String> = members["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["role"] == "admin")
        .map(|m| m["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(admins.len(), 1, "{members}");
    let last = &admins[0];
    for (method, path, body) in [
        (
            "POST",
            format!("/teams/{other}/remove-member"),
            Some(json!({"id": last})),
        ),
        ("DELETE", format!("/teams/{other}/members/{last}"), None),
    ] {
        let (s, v) = call(&sb, method, admin, &path, body).await;
        assert_eq!(
            (s, v["error"]["code"].clone()),
            (409, json!("last_admin")),
            "{method} {path}: {v}"
        );
    }
    let (s, _) = call(
        &sb,
        "POST",
        admin,
        &format!("/teams/{other}/add-member"),
        Some(json!({"id": "user_second", "role": "admin"})),
    )
    .await;
    assert_eq!(s, 200);
    let (s, v) = call(
        &sb,
        "POST",
        admin,
        &format!("/teams/{other}/remove-member"),
        Some(json!({"id": admins[0]})),
    )
    .await;
    assert_eq!(s, 200, "with another admin it goes: {v}");
    let members = get(&sb, admin, &format!("/teams/{other}/members")).await;
    let ids: Vec<&str> = members["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    assert!(
        !ids.contains(&admins[0].as_str()) && ids.contains(&"user_second"),
        "{ids:?}"
    );
    // The newer member routes are an admin's too.
    for (method, body) in [("PATCH", Some(json!({"role": "viewer"}))), ("DELETE", None)] {
        let (s, v) = call(
            &sb,
            method,
            &member,
            &format!("/teams/{other}/members/user_second"),
            body,
        )
        .await;
        assert_eq!(
            (s, v["error"]["code"].clone()),
            (403, json!("role_not_allowed")),
            "{method}: {v}"
        );
    }
}
