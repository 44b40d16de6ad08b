//! Decoding every example object of gigstack-api.md (tests/fixtures/) and each documented
//! variant: aliases, nulls in lists, error shapes, timestamp units, exact money.

use gigdash::api::error::classify;
use gigdash::api::*;
use rust_decimal::Decimal;
use std::str::FromStr;

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap_or_else(|e| panic!("fixture {name}: {e}"))
}

fn amount(s: &str) -> Amount {
    Amount(Decimal::from_str(s).unwrap())
}

#[test]
fn client_example_decodes() {
    let c: Client = serde_json::from_str(&fixture("client.json")).unwrap();
    assert_eq!(c.id, "client_1234567890");
    assert_eq!(c.display_name(), "Juan Pérez García");
    assert_eq!(c.rfc(), "PEGJ800101ABC");
    assert_eq!(c.cfdi_use.as_deref(), Some("G03"));
    assert_eq!(c.address.as_ref().unwrap().zip.as_deref(), Some("03100"));
    assert_eq!(c.created().unwrap().as_second(), 1677651234);
}

#[test]
fn service_example_decodes() {
    let s: Service = serde_json::from_str(&fixture("service.json")).unwrap();
    assert_eq!(s.price(), Some(amount("1000.0")));
    assert_eq!(s.taxes[0].rate, Some(amount("0.16")));
    assert_eq!(s.taxes[0].kind.as_deref(), Some("IVA"));
}

#[test]
fn invoice_example_decodes() {
    let i: Invoice = serde_json::from_str(&fixture("invoice.json")).unwrap();
    assert_eq!(i.uuid(), "9b1f2c3d-4e5f-4a6b-8c9d-0e1f2a3b4c5d");
    assert_eq!(i.status(), InvoiceStatus::Valid);
    assert_eq!(i.total(), amount("1160"));
    assert_eq!(i.taxes, Some(amount("160")));
    assert_eq!(i.folio(), "A-123");
    assert_eq!(i.items.len(), 1);
    assert_eq!(i.stamp.unwrap().stamp_at.unwrap().as_second(), 1677651234);
}

#[test]
fn payment_example_decodes() {
    let p: Payment = serde_json::from_str(&fixture("payment.json")).unwrap();
    assert_eq!(p.status(), PaymentStatus::Succeeded);
    assert_eq!(p.total, amount("1160"));
    assert_eq!(p.total_source, TotalSource::Total);
    assert_eq!(p.invoices[0].0, "9b1f2c3d-4e5f-4a6b-8c9d-0e1f2a3b4c5d");
    assert_eq!(p.refundable(), amount("1160"));
}

#[test]
fn receipt_example_decodes_camel_case_times() {
    let r: Receipt = serde_json::from_str(&fixture("receipt.json")).unwrap();
    assert_eq!(r.status, Some(ReceiptStatus::Pending));
    assert_eq!(r.created().unwrap().as_second(), 1677651234);
    assert_eq!(r.valid_until.unwrap().as_second(), 1680243234);
    assert_eq!(r.total, Some(amount("1160.0")));
}

#[test]
fn team_and_user_examples_decode() {
    let t: Team = serde_json::from_str(&fixture("team.json")).unwrap();
    assert_eq!(t.display_name(), "Mi Empresa");
    assert_eq!(t.rfc(), "EIN850123ABC");
    let u: User = serde_json::from_str(&fixture("user.json")).unwrap();
    assert_eq!(u.first_name.as_deref(), Some("John"));
    assert_eq!(u.teams[0].role.as_deref(), Some("admin"));
}

#[test]
fn list_envelope_variants_decode() {
    let p: Page<Client> = decode_page(fixture("list_envelope.json").as_bytes()).unwrap();
    assert_eq!(p.items.len(), 2);
    assert!(p.has_more);
    assert_eq!(p.next.as_deref(), Some("cursor_for_next_page"));
    assert_eq!(p.total_results, Some(150));

    let camel: Page<Team> = decode_page(fixture("list_envelope_camel.json").as_bytes()).unwrap();
    assert!(camel.has_more);
    assert_eq!(camel.total_results, Some(7));
    assert_eq!(camel.items[0].display_name(), "Equipo Uno");
    assert_eq!(camel.items[0].rfc(), "AAA010101AAA");
    assert!(camel.items[0].created().is_some());

    let nulls: Page<Payment> =
        decode_page(fixture("list_envelope_next_cursor.json").as_bytes()).unwrap();
    assert_eq!(nulls.items.len(), 1, "null entries are dropped");
    assert_eq!(nulls.next.as_deref(), Some("c2"));
}

#[test]
fn last_page_has_no_cursor_even_if_one_is_sent() {
    let body = br#"{"data":[],"next":"stale","has_more":false}"#;
    let p: Page<Client> = decode_page(body).unwrap();
    assert!(!p.has_more);
    assert_eq!(p.next, None);
}

#[test]
fn statuses_accept_both_spellings_and_keep_unknown_values() {
    let parse = |s: &str| -> InvoiceStatus { serde_json::from_str(&format!("\"{s}\"")).unwrap() };
    assert_eq!(parse("stamped"), InvoiceStatus::Valid);
    assert_eq!(parse("valid"), InvoiceStatus::Valid);
    assert_eq!(parse("cancelled"), InvoiceStatus::Canceled);
    assert_eq!(parse("canceled"), InvoiceStatus::Canceled);
    assert_eq!(parse("on_hold"), InvoiceStatus::Other("on_hold".into()));
    let p: PaymentStatus = serde_json::from_str("\"cancelled\"").unwrap();
    assert_eq!(p, PaymentStatus::Canceled);
    let unknown: Payment =
        serde_json::from_str(r#"{"id":"payment_1","status":"disputed","total":5}"#).unwrap();
    assert_eq!(unknown.status(), PaymentStatus::Other("disputed".into()));
}

#[test]
fn invoice_accepts_id_instead_of_uuid() {
    let i: Invoice =
        serde_json::from_str(r#"{"id":"inv_1","status":"stamped","total":"10.50"}"#).unwrap();
    assert_eq!(i.uuid(), "inv_1");
    assert_eq!(i.total(), amount("10.50"));
    let both: Invoice = serde_json::from_str(r#"{"id":"inv_1","uuid":"u-1"}"#).unwrap();
    assert_eq!(both.uuid(), "u-1");
}

#[test]
fn payment_total_falls_back_as_documented() {
    let st: Payment = serde_json::from_str(r#"{"id":"p","subtotal":100,"taxes":16}"#).unwrap();
    assert_eq!(
        (st.total, st.total_source),
        (amount("116"), TotalSource::SubtotalPlusTaxes)
    );
    let cents: Payment = serde_json::from_str(r#"{"id":"p","amount":11600}"#).unwrap();
    assert_eq!(
        (cents.total, cents.total_source),
        (amount("116"), TotalSource::AmountInCents)
    );
    let items: Payment = serde_json::from_str(
        r#"{"id":"p","items":[{"quantity":2,"unit_price":10.25},null,{"unit_price":1}]}"#,
    )
    .unwrap();
    assert_eq!(
        (items.total, items.total_source),
        (amount("21.5"), TotalSource::SumOfItems)
    );
}

#[test]
fn timestamps_in_seconds_millis_and_iso_agree() {
    for v in [
        "1677651234",
        "1677651234000",
        "\"2023-03-01T06:13:54Z\"",
        r#"{"_seconds":1677651234}"#,
    ] {
        let c: Client = serde_json::from_str(&format!(r#"{{"id":"c","created_at":{v}}}"#)).unwrap();
        assert_eq!(c.created().unwrap().as_second(), 1677651234, "{v}");
    }
}

#[test]
fn money_is_exact_for_numbers_and_strings() {
    let i: Invoice =
        serde_json::from_str(r#"{"uuid":"u","subtotal":0.1,"taxes":0.2,"total":"0.30"}"#).unwrap();
    assert_eq!(i.subtotal.unwrap() + i.taxes.unwrap(), amount("0.3"));
    assert_eq!(i.total(), amount("0.30"));
    let big: Invoice = serde_json::from_str(r#"{"uuid":"u","total":98765432109876.54}"#).unwrap();
    assert_eq!(big.total().to_string(), "98765432109876.54");
    assert_eq!(big.total().display("MXN"), "$98,765,432,109,876.54 MXN");
}

#[test]
fn unknown_fields_are_ignored_and_nulls_are_absent() {
    let c: Client = serde_json::from_str(
        r#"{"id":"c","brand_new_field":{"x":1},"bcc":null,"email":null,"created_at":null}"#,
    )
    .unwrap();
    assert!(c.bcc.is_empty());
    assert_eq!(c.email, None);
}

#[test]
fn error_bodies_in_every_shape_become_typed_errors() {
    let e = classify(400, fixture("error_object.json").as_bytes(), None, None);
    assert_eq!(
        e,
        ApiError::Validation {
            status: 400,
            message: "Invalid request".into(),
            details: vec!["items[0].unit_price is required".into()]
        }
    );
    let e = classify(404, fixture("error_string.json").as_bytes(), None, None);
    assert_eq!(
        e,
        ApiError::NotFound {
            message: "Specific error details".into()
        }
    );
    let e = classify(400, fixture("error_bare.json").as_bytes(), None, None);
    assert!(matches!(e, ApiError::Validation { ref message, .. } if message == "invalid request"));
    let e = classify(
        409,
        fixture("error_cost_mismatch.json").as_bytes(),
        None,
        None,
    );
    assert_eq!(
        e,
        ApiError::Conflict {
            code: Some("cost_mismatch".into()),
            message: "Costo cambió".into()
        }
    );
}

#[test]
fn connect_errors_are_recognised_from_the_guide_texts() {
    let team = TeamId::new("team_x");
    let cases = [
        ("Unauthorized, not a master team", "not_master_team"),
        ("The specified team does not exist", "team_not_found"),
        ("Unauthorized, no matched teams", "no_matched_teams"),
        (
            "Your role does not allow this action on the target team",
            "role_denied",
        ),
    ];
    for (text, kind) in cases {
        // As a bare string, as a message, and under a misleading status.
        for body in [
            format!(r#"{{"error":"{text}"}}"#),
            format!(r#"{{"message":"{text}"}}"#),
            format!(r#"{{"success":false,"error":{{"code":"x","message":"{text}"}}}}"#),
        ] {
            let e = classify(403, body.as_bytes(), None, Some(&team));
            assert_eq!(e.kind(), kind, "{body}");
        }
    }
}

#[test]
fn invoice_files_decode_both_spellings() {
    let body = fixture("invoice_files.json");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    let f: InvoiceFiles = serde_json::from_value(v["data"].clone()).unwrap();
    assert!(f.pdf().unwrap().ends_with(".pdf"));
    let alt: InvoiceFiles =
        serde_json::from_str(r#"{"pdf_url":"a.pdf","xml_url":"a.xml"}"#).unwrap();
    assert_eq!(alt.xml(), Some("a.xml"));
}

#[test]
fn bad_bodies_give_clear_decode_errors_never_panics() {
    let cases: [&[u8]; 5] = [
        b"",
        b"{\"data\": [{\"id\": \"c1\"}, {\"id\"",
        b"<html><body>502 Bad Gateway</body></html>",
        b"[1,2,3]",
        b"{\"data\": 12}",
    ];
    for body in cases {
        match decode_page::<Client>(body) {
            Err(ApiError::Decode { .. }) => {}
            other => panic!("{:?} gave {other:?}", String::from_utf8_lossy(body)),
        }
    }
    match decode_page::<Client>(br#"{"success":false,"message":"Team suspended"}"#) {
        Err(ApiError::Refused { message, .. }) => assert_eq!(message, "Team suspended"),
        other => panic!("{other:?}"),
    }
}

/// A team's CSD expiry and credits (§7.2) are read however they come — seconds,
/// milliseconds, a date as text — and anything else is "unknown", never a false "ok"; a
/// team that says `completed: false` without a date has none. The team itself always
/// decodes.
#[test]
fn a_teams_csd_and_credits_are_read_leniently_and_unknown_is_never_ok() {
    use gigdash::api::{Csd, Team};
    let team = |extra: serde_json::Value| -> Team {
        let mut v = serde_json::json!({"id": "team_1", "legal_name": "Doña Lupe"});
        for (k, x) in extra.as_object().unwrap() {
            v[k] = x.clone();
        }
        serde_json::from_value(v).expect("a team decodes whatever its sat and billing")
    };
    let at = 1_798_000_000; // 2026-12-23 04:26:40 UTC
    let expires = |t: &Team| match t.csd() {
        Csd::Expires(i) => Some(i.as_second()),
        _ => None,
    };
    let t = team(serde_json::json!({"sat": {"completed": true, "csd_expires_at": at}}));
    assert_eq!(expires(&t), Some(at));
    let t = team(serde_json::json!({"sat": {"csd_expires_at": at * 1000}}));
    assert_eq!(expires(&t), Some(at), "milliseconds");
    let t = team(serde_json::json!({"sat": {"csd_expires_at": "2026-12-23T04:26:40Z"}}));
    assert_eq!(expires(&t), Some(at), "a date as text");
    for odd in [
        serde_json::json!({}),
        serde_json::json!({"sat": "yes"}),
        serde_json::json!({"sat": {"completed": true}}),
        serde_json::json!({"sat": {"csd_expires_at": "mañana"}}),
        serde_json::json!({"sat": {"csd_expires_at": [1, 2]}}),
        serde_json::json!({"sat": null}),
    ] {
        assert_eq!(team(odd.clone()).csd(), Csd::Unknown, "{odd}");
    }
    assert_eq!(
        team(serde_json::json!({"sat": {"completed": false}})).csd(),
        Csd::None
    );
    let credits = |b: serde_json::Value| team(serde_json::json!({ "billing": b })).credits();
    assert_eq!(credits(serde_json::json!({"credits": 40})), Some(40.into()));
    assert_eq!(
        credits(serde_json::json!({"credits": "1200"})),
        Some(1200.into())
    );
    assert_eq!(credits(serde_json::json!({"credits": 0})), Some(0.into()));
    for odd in [
        serde_json::json!({}),
        serde_json::json!({"credits": "muchos"}),
        serde_json::json!({"credits": null}),
        serde_json::json!("5000"),
    ] {
        assert_eq!(credits(odd.clone()), None, "{odd}");
    }
    assert_eq!(team(serde_json::json!({})).credits(), None);
}
