//! Money asked for and money received: `POST /payments/request` (a payment link) and
//! `POST /payments/register` (with its automation: PUE or PPD invoice, complement,
//! receipt), each computed by `totals` and kept as it was sent.

use rust_decimal::Decimal;
use serde_json::{Value, json};

use super::error::SbError;
use super::model::*;
use super::request::Req;
use super::request::{decimal_field, payment_form, text_field};
use super::store::Store;

/// What a payment may be paid with (§5.4, §10.10).
const PAYMENT_METHODS: &[&str] = &["card", "bank", "spei", "oxxo", "stripe-spei"];

/// `allowed_payment_methods` as sent (plain strings in requests, `{"id": …}` objects in the
/// answer, §5.2): answered as objects; card and bank only when the field is absent.
fn allowed_methods(body: &Value) -> Result<Vec<Value>, SbError> {
    let bad = || {
        SbError::validation(format!(
            "`allowed_payment_methods` must be a non-empty list of {}",
            PAYMENT_METHODS.join(", ")
        ))
    };
    let list = match body.get("allowed_payment_methods") {
        None | Some(Value::Null) => return Ok(vec![json!({"id": "card"}), json!({"id": "bank"})]),
        Some(Value::Array(a)) if !a.is_empty() => a,
        Some(_) => return Err(bad()),
    };
    let mut out: Vec<Value> = Vec::new();
    for m in list {
        let id = m
            .as_str()
            .or_else(|| m.get("id").and_then(|i| i.as_str()))
            .ok_or_else(bad)?;
        if !PAYMENT_METHODS.contains(&id) {
            return Err(SbError::validation(format!(
                "`allowed_payment_methods`: {id:?} is not one of {}",
                PAYMENT_METHODS.join(", ")
            )));
        }
        if !out.iter().any(|o| o["id"] == id) {
            out.push(json!({"id": id}));
        }
    }
    Ok(out)
}

/// `automation_type` (§5.3, §10.10) with its legacy aliases, or 400.
fn automation(body: &Value, register: bool) -> Result<String, SbError> {
    let a = text_field(body, "automation_type")?.unwrap_or(if register {
        "pue_invoice"
    } else {
        "none"
    });
    Ok(match a {
        "payment" | "stamp_invoice" | "pue_invoice" => "pue_invoice",
        "payment_and_complement" | "ppd_invoice_and_complement" => "ppd_invoice_and_complement",
        "none" => "none",
        "receipt" => "receipt",
        other => {
            return Err(SbError::validation(format!(
                "`automation_type` {other:?} must be pue_invoice, ppd_invoice_and_complement, receipt or none"
            )));
        }
    }
    .to_string())
}

fn string_list(body: &Value, field: &str) -> Result<Vec<String>, SbError> {
    match body.get(field) {
        None | Some(Value::Null) => Ok(vec![]),
        Some(Value::Array(a)) => a
            .iter()
            .map(|e| {
                e.as_str()
                    .map(str::to_string)
                    .ok_or_else(|| SbError::validation(format!("`{field}` must be a list of text")))
            })
            .collect(),
        Some(_) => Err(SbError::validation(format!(
            "`{field}` must be a list of text"
        ))),
    }
}

/// `POST /payments/register` and `/payments/request` (§5.3, §5.4): the client by id, by the
/// `search` upsert or inline; the items by the one arithmetic (`crate::sandbox::totals`);
/// every documented field kept; a register fires its automation.
pub(super) fn create_payment(
    store: &mut Store,
    req: &Req,
    key: &DemoKey,
    team: &SbTeam,
    body: &Value,
    idem: Option<&str>,
    register: bool,
) -> Result<(u16, Value), SbError> {
    let form = if register {
        payment_form(body)?
    } else {
        text_field(body, "payment_form")?
            .unwrap_or("99")
            .to_string()
    };
    let currency = text_field(body, "currency")?
        .unwrap_or("MXN")
        .to_uppercase();
    let exchange_rate = decimal_field(body, "exchange_rate")?.unwrap_or(Decimal::ONE);
    if currency != "MXN" && body.get("exchange_rate").is_none_or(|v| v.is_null()) {
        return Err(SbError::validation(format!(
            "`exchange_rate` (MXN per {currency}) is required for a foreign currency"
        )));
    }
    if exchange_rate <= Decimal::ZERO {
        return Err(SbError::validation("`exchange_rate` must be above 0"));
    }
    let automation = automation(body, register)?;
    let methods = allowed_methods(body)?;
    let emails = string_list(body, "emails")?;
    let ppd_invoice = text_field(body, "ppd_invoice_id")?.map(str::to_string);
    if !matches!(body.get("items"), Some(Value::Array(_))) {
        return Err(SbError::validation(
            "`items` is required: a list of {quantity, unit_price, description}",
        ));
    }
    if !body.get("client").is_some_and(|c| c.is_object()) {
        return Err(SbError::validation(
            "`client` is required: {\"id\": …} or a `search` upsert",
        ));
    }
    // Figures before the client: a refused body creates no client through the upsert.
    let c = super::extended::compute_for(store, team, body, false)?;
    let client = super::extended::client_ref(store, req, team, body)?;
    let id = store.new_id("payment");
    let mut payment = SbPayment {
        id: id.clone(),
        status: if register {
            "succeeded".into()
        } else {
            "requires_payment_method".into()
        },
        client: client.clone(),
        items: c.items.clone(),
        currency: currency.clone(),
        exchange_rate: Money(exchange_rate),
        subtotal: c.subtotal,
        taxes: c.taxes,
        withholdings: Some(c.withholdings),
        discount: c.discount,
        total: c.total,
        payment_form: form.clone(),
        allowed_payment_methods: methods,
        emails,
        metadata: body.get("metadata").cloned().unwrap_or(json!({})),
        automation_type: automation.clone(),
        invoices: vec![],
        receipts: vec![],
        payments: vec![],
        refunds: vec![],
        short_url: format!("https://pay.gigstack.io/p/{}", &id[id.len() - 8..]),
        payment_processor: "api".into(),
        idempotency_key: idem.map(str::to_string),
        created_at: req.now,
        succeeded_at: if register { Some(req.now) } else { None },
        from: "api".into(),
        livemode: key.livemode,
        team: team.id.clone(),
        owner: key.user_id.clone(),
        ppd_invoice: ppd_invoice.clone(),
    };
    if register {
        let fields = |method: &str, pay_form: &str| {
            json!({
                "currency": currency, "exchange_rate": Money(exchange_rate),
                "payment_method": method, "payment_form": pay_form,
                "use": text_field(body, "use").ok().flatten().unwrap_or("G03"),
                "invoice_config": body.get("invoice_config").cloned().unwrap_or(Value::Null),
                "metadata": {"payment": id},
            })
        };
        let complement = |store: &mut Store, ppd: &str| -> Result<String, SbError> {
            let (_, v) = super::extended::create_complement(
                store,
                req,
                team,
                &json!({"invoice_id": ppd, "amount": c.total, "payment_form": form}),
            )?;
            // One request, one write (the complement counted its own).
            store.writes -= 1;
            Ok(v["data"]["uuid"].as_str().unwrap_or_default().to_string())
        };
        if let Some(ppd) = &ppd_invoice {
            // Pays an existing PPD invoice: its payment complement (§5.3 `ppd_invoice_id`).
            let uuid = complement(store, ppd)?;
            payment.invoices.push(uuid);
        } else {
            match automation.as_str() {
                "pue_invoice" => {
                    let inv = super::extended::income_for(
                        store,
                        req,
                        team,
                        &client,
                        &c.items,
                        fields("PUE", &form),
                    )?;
                    payment.invoices.push(inv.uuid);
                }
                "ppd_invoice_and_complement" => {
                    let inv = super::extended::income_for(
                        store,
                        req,
                        team,
                        &client,
                        &c.items,
                        fields("PPD", "99"),
                    )?;
                    let uuid = complement(store, &inv.uuid)?;
                    payment.ppd_invoice = Some(inv.uuid.clone());
                    payment.invoices.push(inv.uuid);
                    payment.invoices.push(uuid);
                }
                "receipt" => {
                    let rid = store.new_id("receipt");
                    let receipt = SbReceipt {
                        url: format!("{}/autofactura?id={rid}", req.origin),
                        id: rid.clone(),
                        client: (!client.id.is_empty()).then(|| client.clone()),
                        status: "pending".into(),
                        subtotal: Money(c.subtotal.0 - c.discount.0),
                        taxes: Money(c.taxes.0 - c.withholdings.0),
                        total: c.total,
                        currency: currency.clone(),
                        periodicity: "month".into(),
                        payment_form: form.clone(),
                        created: req.now,
                        valid_until: req.now + 30 * 86_400,
                        created_at: req.now,
                        livemode: key.livemode,
                        team: team.id.clone(),
                        owner: key.user_id.clone(),
                        items: c.items.clone(),
                        invoice_id: None,
                    };
                    store.team_data(&team.id)?.receipts.push(receipt);
                    payment.receipts.push(rid);
                }
                _ => {}
            }
        }
    }
    store.team_data(&team.id)?.payments.push(payment.clone());
    store.writes += 1;
    let message = if register {
        "Payment registered successfully"
    } else {
        "Payment request created successfully"
    };
    Ok((200, json!({"message": message, "data": payment})))
}
