//! The sandbox computes like gigstack (issue 24, item 7): every create endpoint honours its
//! documented fields and computes per item by cfdi-rules.md "Totals of a new invoice or
//! payment". Real HTTP on loopback, raw JSON (never the client's models); every expected
//! figure below is worked by hand from those rules in its comment.
//!
//! The official CLI's answers each test covers: a draft with IVA items stamped at $1,000
//! without its tax (`a_draft_with_iva_items_keeps_its_taxes_and_stamps_at_1160`);
//! `product_key` forced to 01010101 on a register and the `client.search` upsert refused
//! with 400 (`the_register_example_of_the_reference_succeeds_with_its_totals`); IVA and
//! card+bank added to every request (`a_payment_request_computes_per_item_and_keeps_its_methods`);
//! a receipt stamped into nothing (`stamping_a_receipt_creates_and_links_an_income_invoice`);
//! 405 on unknown endpoints (`unknown_endpoints_answer_404_in_the_error_envelope`).

mod common;

use common::*;
use serde_json::{Value, json};

fn iva(rate: f64) -> Value {
    json!({"type": "IVA", "rate": rate, "factor": "Tasa", "withholding": false})
}

fn held(kind: &str, rate: f64) -> Value {
    json!({"type": kind, "rate": rate, "factor": "Tasa", "withholding": true})
}

/// subtotal, discount, taxes, withholdings, total of a document (as numbers: the
/// sandbox writes 1000 and 1086.2, exact decimals without trailing zeros).
fn figures(d: &Value) -> [Option<f64>; 5] {
    ["subtotal", "discount", "taxes", "withholdings", "total"].map(|k| d[k].as_f64())
}

fn fig(subtotal: f64, discount: f64, taxes: f64, withheld: f64, total: f64) -> [Option<f64>; 5] {
    [subtotal, discount, taxes, withheld, total].map(Some)
}

async fn a_client(sb: &gigdash::sandbox::Sandbox) -> String {
    get(sb, sb.admin_key(), "/clients?limit=1").await["data"][0]["id"]
        .as_str()
        .unwrap()
        .to_string()
}

async fn income(sb: &gigdash::sandbox::Sandbox, items: Value) -> Value {
    let client = a_client(sb).await;
    let (s, v) = call(
        sb,
        "POST",
        sb.admin_key(),
        "/invoices/income",
        Some(json!({"client": {"id": client}, "items": items, "payment_form": "03"})),
    )
    .await;
    assert_eq!(s, 201, "{v}");
    v["data"].clone()
}

#[tokio::test]
async fn a_draft_with_iva_items_keeps_its_taxes_and_stamps_at_1160() {
    let sb = sandbox().await;
    let k = sb.admin_key();
    let client = a_client(&sb).await;
    // 1 × 1,000 with IVA 16 %: subtotal 1,000, IVA 160, total 1,160.
    let (s, v) = call(
        &sb,
        "POST",
        k,
        "/invoices/draft",
        Some(json!({
            "client": {"id": client}, "payment_form": "03", "payment_method": "PUE", "use": "G03",
            "invoice_pdf_notes": "Gracias",
            "items": [{"description": "Consultoría", "quantity": 1, "unit_price": 1000,
                       "product_key": "80141503", "unit_key": "E48", "taxes": [iva(0.16)]}],
        })),
    )
    .await;
    assert_eq!(s, 201, "{v}");
    let draft = &v["data"];
    assert_eq!(figures(draft), fig(1000.0, 0.0, 160.0, 0.0, 1160.0));
    let tax = &draft["items"][0]["taxes"][0];
    assert_eq!((&tax["base"], &tax["amount"]), (&json!(1000), &json!(160)));
    assert_eq!(draft["items"][0]["product_key"], "80141503");
    assert_eq!(
        draft["invoice_pdf_notes"], "Gracias",
        "what was sent is kept"
    );
    let id = draft["id"].as_str().unwrap();

    let (s, v) = call(&sb, "POST", k, &format!("/invoices/draft/{id}/stamp"), None).await;
    assert_eq!(s, 201, "{v}");
    let inv = &v["data"];
    assert_eq!(figures(inv), fig(1000.0, 0.0, 160.0, 0.0, 1160.0));
    assert_eq!(inv["items"][0]["taxes"][0]["amount"], json!(160));
    let uuid = inv["uuid"].as_str().unwrap();
    let got = get(&sb, k, &format!("/invoices/income/{uuid}")).await;
    assert_eq!(figures(&got["data"]), fig(1000.0, 0.0, 160.0, 0.0, 1160.0));

    // An edit recomputes: quantity 2 → 2,000 + 320 = 2,320.
    let (s, v) = call(&sb, "POST", k, "/invoices/draft", Some(json!({
        "client": {"id": client},
        "items": [{"description": "Renta", "quantity": 1, "unit_price": 1000, "taxes": [iva(0.16)]}],
    })))
    .await;
    assert_eq!(s, 201);
    let id = v["data"]["id"].as_str().unwrap().to_string();
    let mut items = v["data"]["items"].clone();
    items[0]["quantity"] = json!(2);
    let (s, v) = call(
        &sb,
        "PUT",
        k,
        &format!("/invoices/draft/{id}"),
        Some(json!({"items": items})),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(figures(&v["data"]), fig(2000.0, 0.0, 320.0, 0.0, 2320.0));
    let (_, v) = call(&sb, "POST", k, &format!("/invoices/draft/{id}/stamp"), None).await;
    assert_eq!(figures(&v["data"]), fig(2000.0, 0.0, 320.0, 0.0, 2320.0));

    // A draft for inline fiscal data (no client id) stamps too.
    let (s, v) = call(
        &sb,
        "POST",
        k,
        "/invoices/draft",
        Some(json!({
            "client": {"legal_name": "ROSA LOPEZ", "tax_id": "LOPR800101AB1", "tax_system": "612"},
            "items": [{"description": "Renta", "unit_price": 500, "taxes": [iva(0.16)]}],
        })),
    )
    .await;
    assert_eq!(s, 201, "{v}");
    let id = v["data"]["id"].as_str().unwrap().to_string();
    let (s, v) = call(&sb, "POST", k, &format!("/invoices/draft/{id}/stamp"), None).await;
    assert_eq!(s, 201, "{v}");
    assert_eq!(figures(&v["data"]), fig(500.0, 0.0, 80.0, 0.0, 580.0));
    assert_eq!(v["data"]["client"]["tax_id"], "LOPR800101AB1");
}

#[tokio::test]
async fn withholdings_isr_and_two_thirds_iva_are_computed_per_item() {
    let sb = sandbox().await;
    let taxes = json!([iva(0.16), held("ISR", 0.10), held("IVA", 0.106667)]);
    // Item A 1 × 1,234.56: IVA 197.5296 → 197.53, ISR 123.456 → 123.46,
    //   IVA ret 131.6848… → 131.69.
    // Item B 3 × 333.33 = 999.99: IVA 159.9984 → 160.00, ISR 99.999 → 100.00,
    //   IVA ret 106.6663… → 106.67.
    // subtotal 2,234.55; taxes 357.53; withheld 223.46 + 238.36 = 461.82;
    // total 2,234.55 + 357.53 − 461.82 = 2,130.26. (Rounded once on the document the IVA
    // retained would be 238.35: the per-item rule is what this pins.)
    let inv = income(
        &sb,
        json!([
            {"description": "Honorarios A", "quantity": 1, "unit_price": 1234.56, "taxes": taxes},
            {"description": "Honorarios B", "quantity": 3, "unit_price": 333.33, "taxes": taxes},
        ]),
    )
    .await;
    assert_eq!(figures(&inv), fig(2234.55, 0.0, 357.53, 461.82, 2130.26));
    let a = &inv["items"][0]["taxes"];
    assert_eq!(a[1]["amount"], json!(123.46));
    assert_eq!(a[1]["withholding"], json!(true));
    assert_eq!(a[2]["amount"], json!(131.69));
    assert_eq!(inv["items"][1]["taxes"][2]["base"], json!(999.99));
}

#[tokio::test]
async fn an_exempt_item_and_a_taxability_01_item_carry_no_tax() {
    let sb = sandbox().await;
    // 1,000 with IVA 16 % + 500 exempt + 200 not subject (01): subtotal 1,700, IVA 160,
    // total 1,860. The exempt tax keeps its base and has no amount.
    let inv = income(
        &sb,
        json!([
            {"description": "Gravado", "unit_price": 1000, "taxes": [iva(0.16)]},
            {"description": "Exento", "unit_price": 500,
             "taxes": [{"type": "IVA", "factor": "Exento", "withholding": false}]},
            {"description": "No objeto", "unit_price": 200, "taxability": "01"},
        ]),
    )
    .await;
    assert_eq!(figures(&inv), fig(1700.0, 0.0, 160.0, 0.0, 1860.0));
    let exempt = &inv["items"][1]["taxes"][0];
    assert_eq!(exempt["factor"], "Exento");
    assert_eq!(exempt["base"], json!(500));
    assert!(exempt.get("amount").is_none(), "{exempt}");
    assert_eq!(inv["items"][2]["taxes"], json!([]));
    assert_eq!(inv["items"][2]["taxability"], "01");

    // Taxability 01 with taxes is what SAT refuses.
    let client = a_client(&sb).await;
    let (s, v) = call(
        &sb,
        "POST",
        sb.admin_key(),
        "/invoices/income",
        Some(json!({
            "client": {"id": client},
            "items": [{"unit_price": 1, "taxability": "01", "taxes": [iva(0.16)]}],
        })),
    )
    .await;
    assert_eq!(s, 400, "{v}");
}

#[tokio::test]
async fn an_inclusive_price_holds_its_taxes() {
    let sb = sandbox().await;
    let inc = json!([{"type": "IVA", "rate": 0.16, "factor": "Tasa", "inclusive": true}]);
    // 1,160 inclusive: base 1,160 ÷ 1.16 = 1,000; IVA 160; total 1,160.
    // 99.99 inclusive: base 86.198276 (6 decimals), IVA 13.79; subtotal 1,086.198276 →
    // 1,086.20; taxes 173.79; total 1,259.99 = 1,160 + 99.99.
    let inv = income(
        &sb,
        json!([
            {"description": "Con IVA", "unit_price": 1160, "taxes": inc},
            {"description": "Con IVA", "unit_price": 99.99, "taxes": inc},
        ]),
    )
    .await;
    assert_eq!(figures(&inv), fig(1086.2, 0.0, 173.79, 0.0, 1259.99));
    assert_eq!(inv["items"][0]["taxes"][0]["base"], json!(1000));
    assert_eq!(inv["items"][1]["taxes"][0]["base"], json!(86.198276));
    assert_eq!(inv["items"][1]["unit_price"], json!(99.99), "kept as sent");
}

#[tokio::test]
async fn a_discount_lowers_the_base() {
    let sb = sandbox().await;
    // 3 × 250 = 750, discount 50: base 700, IVA 112; total 750 − 50 + 112 = 812.
    // With an inclusive price 1,160 and discount 116: base (1,160 − 116) ÷ 1.16 = 900,
    // amount 1,016, IVA 144; total 1,016 − 116 + 144 = 1,044.
    let inv = income(
        &sb,
        json!([
            {"description": "Sillas", "quantity": 3, "unit_price": 250, "discount": 50,
             "taxes": [iva(0.16)]},
        ]),
    )
    .await;
    assert_eq!(figures(&inv), fig(750.0, 50.0, 112.0, 0.0, 812.0));
    assert_eq!(inv["items"][0]["discount"], json!(50));
    assert_eq!(inv["items"][0]["taxes"][0]["base"], json!(700));
    let inv = income(
        &sb,
        json!([{"description": "Mesa", "unit_price": 1160, "discount": 116,
                "taxes": [{"type": "IVA", "rate": 0.16, "inclusive": true}]}]),
    )
    .await;
    assert_eq!(figures(&inv), fig(1016.0, 116.0, 144.0, 0.0, 1044.0));
}

#[tokio::test]
async fn an_item_without_taxes_takes_the_teams_default_and_a_service_its_own() {
    let sb = sandbox().await;
    let k = sb.admin_key();
    // No `taxes` key: the team's settings taxes (§7.4), IVA 16 % until changed.
    let inv = income(&sb, json!([{"description": "Renta", "unit_price": 1000}])).await;
    assert_eq!(figures(&inv), fig(1000.0, 0.0, 160.0, 0.0, 1160.0));
    // A service with IVA 8 % (border zone), referenced by id with no price: 2 × 500,
    // IVA 80, total 1,080, its keys.
    let (s, v) = call(
        &sb,
        "POST",
        k,
        "/services",
        Some(json!({
            "description": "Soporte frontera", "product_key": "81111500", "unit_key": "HUR",
            "unit_name": "Hora", "unit_price": 500, "taxes": [iva(0.08)],
        })),
    )
    .await;
    assert_eq!(s, 201, "{v}");
    let sid = v["data"]["id"].as_str().unwrap().to_string();
    assert_eq!(v["data"]["taxes"][0]["rate"], json!(0.08));
    let inv = income(&sb, json!([{"id": sid, "quantity": 2}])).await;
    assert_eq!(figures(&inv), fig(1000.0, 0.0, 80.0, 0.0, 1080.0));
    assert_eq!(
        (
            &inv["items"][0]["product_key"],
            &inv["items"][0]["unit_key"]
        ),
        (&json!("81111500"), &json!("HUR"))
    );
    // A service id that is not the team's is refused.
    let client = a_client(&sb).await;
    let (s, _) = call(
        &sb,
        "POST",
        k,
        "/invoices/income",
        Some(json!({
            "client": {"id": client}, "items": [{"id": "service_nope", "quantity": 1}],
        })),
    )
    .await;
    assert_eq!(s, 400);
}

#[tokio::test]
async fn the_register_example_of_the_reference_succeeds_with_its_totals() {
    let sb = sandbox().await;
    let k = sb.admin_key();
    // §5.3, verbatim.
    let body = json!({
      "client": {"search": {"on_key": "email", "on_value": "ana@example.com", "auto_create": true}, "name": "Ana", "email": "ana@example.com"},
      "automation_type": "pue_invoice", "currency": "MXN", "payment_form": "03",
      "items": [{"description": "Plan Pro", "quantity": 1, "unit_price": 1000, "product_key": "84111506", "unit_key": "E48",
                 "taxes": [{"type": "IVA", "rate": 0.16, "factor": "Tasa", "withholding": false}]}],
      "idempotency_key": "order-1001", "send_email": false
    });
    let (s, v) = call(&sb, "POST", k, "/payments/register", Some(body)).await;
    assert_eq!(s, 200, "{v}");
    let p = &v["data"];
    assert_eq!(p["status"], "succeeded");
    assert_eq!(figures(p), fig(1000.0, 0.0, 160.0, 0.0, 1160.0));
    assert_eq!(p["items"][0]["product_key"], "84111506", "kept as sent");
    assert_eq!(p["client"]["email"], "ana@example.com");
    let cid = p["client"]["id"].as_str().unwrap().to_string();
    assert!(cid.starts_with("client_"), "the upsert created her: {p}");
    // The PUE invoice has the same figures and lines.
    let uuid = p["invoices"][0].as_str().unwrap();
    let inv = get(&sb, k, &format!("/invoices/income/{uuid}")).await;
    assert_eq!(figures(&inv["data"]), fig(1000.0, 0.0, 160.0, 0.0, 1160.0));
    assert_eq!(inv["data"]["payment_method"], "PUE");
    assert_eq!(inv["data"]["items"][0]["product_key"], "84111506");

    // The same search again finds her, no duplicate; a register without keys defaults them.
    let before = walk(&sb, k, "/clients", 100).await.len();
    let (s, v) = call(&sb, "POST", k, "/payments/register", Some(json!({
        "client": {"search": {"on_key": "email", "on_value": "ANA@example.com", "auto_create": true}},
        "payment_form": "01", "automation_type": "none",
        "items": [{"description": "Extra", "unit_price": 100, "taxes": []}],
    })))
    .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["data"]["client"]["id"], json!(cid));
    assert_eq!(walk(&sb, k, "/clients", 100).await.len(), before);
    assert_eq!(v["data"]["items"][0]["product_key"], "01010101");
    assert_eq!(figures(&v["data"]), fig(100.0, 0.0, 0.0, 0.0, 100.0));
    assert_eq!(v["data"]["invoices"], json!([]), "automation none");

    // Without auto_create an unknown key is refused, and by tax_id the client is found.
    let (s, _) = call(
        &sb,
        "POST",
        k,
        "/payments/register",
        Some(json!({
            "client": {"search": {"on_key": "tax_id", "on_value": "ZZZ010101ZZ9"}},
            "payment_form": "01", "items": [{"unit_price": 1}],
        })),
    )
    .await;
    assert_eq!(s, 400);
    let (s, v) = call(
        &sb,
        "POST",
        k,
        "/clients",
        Some(json!({
            "name": "Rosa", "legal_name": "ROSA LOPEZ", "tax_id": "LOPR800101AB1",
        })),
    )
    .await;
    assert_eq!(s, 201, "{v}");
    let rosa = v["data"]["id"].clone();
    let (s, v) = call(
        &sb,
        "POST",
        k,
        "/clients",
        Some(json!({
            "search": {"on_key": "tax_id", "on_value": "lopr800101ab1", "auto_create": true},
            "name": "whatever",
        })),
    )
    .await;
    assert_eq!(
        (s, &v["data"]["id"]),
        (200, &rosa),
        "found, not created: {v}"
    );
}

#[tokio::test]
async fn a_payment_request_computes_per_item_and_keeps_its_methods() {
    let sb = sandbox().await;
    let k = sb.admin_key();
    let client = a_client(&sb).await;
    // 2 × 450.50 with IVA 16 % = 901.00, IVA 144.16; 1 × 300 exempt.
    // subtotal 1,201.00; taxes 144.16; total 1,345.16.
    let (s, v) = call(&sb, "POST", k, "/payments/request", Some(json!({
        "client": {"id": client}, "currency": "MXN",
        "allowed_payment_methods": ["spei", "oxxo"], "automation_type": "pue_invoice",
        "emails": ["pagos@example.com"],
        "items": [
            {"description": "Tacos", "quantity": 2, "unit_price": 450.5, "product_key": "90101501",
             "unit_key": "H87", "taxes": [iva(0.16)]},
            {"description": "Libro", "quantity": 1, "unit_price": 300, "product_key": "55101500",
             "unit_key": "H87", "taxes": [{"type": "IVA", "factor": "Exento"}]},
        ],
    })))
    .await;
    assert_eq!(s, 200, "{v}");
    let p = &v["data"];
    assert_eq!(p["status"], "requires_payment_method");
    assert_eq!(figures(p), fig(1201.0, 0.0, 144.16, 0.0, 1345.16));
    assert_eq!(
        p["allowed_payment_methods"],
        json!([{"id": "spei"}, {"id": "oxxo"}])
    );
    assert_eq!(p["automation_type"], "pue_invoice");
    assert_eq!(p["emails"], json!(["pagos@example.com"]));
    assert_eq!(p["items"][1]["product_key"], "55101500");
    let id = p["id"].as_str().unwrap();
    assert_eq!(
        figures(&get(&sb, k, &format!("/payments/{id}")).await["data"]),
        fig(1201.0, 0.0, 144.16, 0.0, 1345.16)
    );

    // `taxes: []` adds no IVA; card and bank only when the methods are absent.
    let (s, v) = call(&sb, "POST", k, "/payments/request", Some(json!({
        "client": {"id": client}, "items": [{"description": "Donativo", "unit_price": 500, "taxes": []}],
    })))
    .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(figures(&v["data"]), fig(500.0, 0.0, 0.0, 0.0, 500.0));
    assert_eq!(
        v["data"]["allowed_payment_methods"],
        json!([{"id": "card"}, {"id": "bank"}])
    );
    assert_eq!(v["data"]["automation_type"], "none");
    for bad in [
        json!({"allowed_payment_methods": ["bitcoin"]}),
        json!({"allowed_payment_methods": []}),
        json!({"automation_type": "magic"}),
    ] {
        let mut body = json!({"client": {"id": client}, "items": [{"unit_price": 1}]});
        for (k2, v2) in bad.as_object().unwrap() {
            body[k2] = v2.clone();
        }
        let (s, v) = call(&sb, "POST", k, "/payments/request", Some(body)).await;
        assert_eq!(s, 400, "{bad}: {v}");
    }
}

#[tokio::test]
async fn stamping_a_receipt_creates_and_links_an_income_invoice() {
    let sb = sandbox().await;
    let k = sb.admin_key();
    let client = a_client(&sb).await;
    // A receipt's price holds its IVA: 2 × 580 = 1,160 → subtotal 1,000, IVA 160.
    let (s, v) = call(&sb, "POST", k, "/receipts", Some(json!({
        "client": {"id": client}, "items": [{"description": "Comida", "quantity": 2, "unit_price": 580}],
        "payment_form": "01",
    })))
    .await;
    assert_eq!(s, 201, "{v}");
    let id = v["data"]["id"].as_str().unwrap().to_string();
    assert_eq!(
        (
            &v["data"]["subtotal"],
            &v["data"]["taxes"],
            &v["data"]["total"]
        ),
        (&json!(1000), &json!(160), &json!(1160))
    );
    let (s, v) = call(
        &sb,
        "POST",
        k,
        &format!("/receipts/{id}/stamp"),
        Some(json!({})),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["data"]["status"], "completed");
    let uuid = v["data"]["invoice_id"].as_str().unwrap().to_string();
    assert_eq!(v["data"]["invoice"]["uuid"], json!(uuid));
    let inv = get(&sb, k, &format!("/invoices/income/{uuid}")).await["data"].clone();
    assert_eq!(figures(&inv), fig(1000.0, 0.0, 160.0, 0.0, 1160.0));
    assert_eq!(inv["client"]["id"], json!(client));
    assert_eq!(inv["payment_form"], "01");
    assert_eq!(
        get(&sb, k, &format!("/receipts/{id}")).await["data"]["invoice_id"],
        json!(uuid)
    );

    // No client: stamped to the fiscal data given.
    let (_, v) = call(
        &sb,
        "POST",
        k,
        "/receipts",
        Some(json!({"items": [{"unit_price": 116}]})),
    )
    .await;
    let id = v["data"]["id"].as_str().unwrap().to_string();
    let (s, v) = call(&sb, "POST", k, &format!("/receipts/{id}/stamp"), Some(json!({
        "fiscal_information": {"legal_name": "ROSA LOPEZ", "tax_id": "LOPR800101AB1", "tax_system": "612", "zip": "03100"},
        "date": 1735689600000i64,
    })))
    .await;
    assert_eq!(s, 200, "{v}");
    let inv = &v["data"]["invoice"];
    assert_eq!(inv["client"]["tax_id"], "LOPR800101AB1");
    assert_eq!(
        (&inv["subtotal"], &inv["total"]),
        (&json!(100), &json!(116))
    );
}

#[tokio::test]
async fn unknown_endpoints_answer_404_in_the_error_envelope() {
    let sb = sandbox().await;
    let k = sb.admin_key();
    let not_found = |s: u16, v: &Value| {
        assert_eq!(s, 404, "{v}");
        assert_eq!(v["success"], json!(false));
        assert_eq!(v["error"]["code"], "not_found", "{v}");
    };
    // A path served for GET, asked with PUT: axum would say 405; the reference says 404.
    let (s, v) = call(&sb, "PUT", k, "/payments", None).await;
    not_found(s, &v);
    let (s, v) = call(&sb, "POST", k, "/payments/nothing", Some(json!({}))).await;
    not_found(s, &v);
    let (s, v) = call(&sb, "GET", k, "/nothing/here", None).await;
    not_found(s, &v);
    // Outside /v2 too, for the routes axum itself serves.
    let http = reqwest::Client::new();
    for (m, url) in [
        (
            reqwest::Method::POST,
            format!("{}/files/x.pdf", origin(&sb)),
        ),
        (
            reqwest::Method::DELETE,
            format!("{}/_sandbox/stats", origin(&sb)),
        ),
        (reqwest::Method::GET, format!("{}/elsewhere", origin(&sb))),
    ] {
        let r = http.request(m.clone(), &url).send().await.unwrap();
        let s = r.status().as_u16();
        let v: Value = r.json().await.unwrap_or(Value::Null);
        assert_eq!(s, 404, "{m} {url}: {v}");
        assert_eq!(v["error"]["code"], "not_found", "{m} {url}: {v}");
    }
}
