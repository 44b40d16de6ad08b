//! Receipts' lifecycle (§6): create, stamp into a CFDI once, cancel, reopen, update, and a
//! client's pending receipts stamped at once (§2.3), with partial failures.

use rust_decimal::Decimal;
use serde_json::{Value, json};

use super::base::{created, one, team_data, text};
use crate::sandbox::error::SbError;
use crate::sandbox::model::{Money, SbClientRef, SbItem, SbReceipt, SbTax, SbTeam};
use crate::sandbox::request::Req;
use crate::sandbox::store::Store;

/// How long a receipt stays open for self-invoicing, by periodicity (§6.4).
fn validity_secs(periodicity: &str) -> Option<i64> {
    Some(match periodicity {
        "day" => 86_400,
        "week" => 7 * 86_400,
        "fortnight" => 15 * 86_400,
        "month" => 30 * 86_400,
        "two_months" => 60 * 86_400,
        _ => return None,
    })
}

fn is_open(status: &str) -> bool {
    matches!(status, "pending" | "open")
}

pub(super) fn write(
    store: &mut Store,
    req: &Req,
    team: &SbTeam,
    segs: &[&str],
    body: &Value,
) -> Result<(u16, Value), SbError> {
    match (req.method.as_str(), segs) {
        ("POST", ["receipts"]) => create(store, req, team, body),
        ("PUT", ["receipts", id]) => {
            let data = team_data(store, team)?;
            let r = find(&mut data.receipts, id)?;
            if !is_open(&r.status) {
                return Err(SbError::conflict(
                    "receipt_closed",
                    format!("A {} receipt cannot be changed", r.status),
                ));
            }
            if let Some(p) = text(body, "periodicity")? {
                let secs = validity_secs(p).ok_or_else(|| {
                    SbError::validation(
                        "`periodicity` must be day, week, fortnight, month or two_months",
                    )
                })?;
                r.periodicity = p.to_string();
                r.valid_until = r.created + secs;
            }
            let r = r.clone();
            store.writes += 1;
            one("Receipt updated successfully", r)
        }
        ("POST", ["receipts", id, "stamp"]) => stamp(store, req, team, id, body),
        ("POST", ["receipts", id, "reopen"]) => {
            let reason = text(body, "reason")?
                .filter(|r| !r.trim().is_empty())
                .ok_or_else(|| SbError::validation("`reason` is required"))?
                .to_string();
            let data = team_data(store, team)?;
            let r = find(&mut data.receipts, id)?;
            if r.status != "expired" && r.status != "cancelled" {
                return Err(SbError::conflict(
                    "receipt_open",
                    format!(
                        "Only an expired or cancelled receipt can be reopened (this one is {})",
                        r.status
                    ),
                ));
            }
            r.status = "pending".into();
            r.valid_until = req.now + validity_secs(&r.periodicity).unwrap_or(30 * 86_400);
            let r = r.clone();
            store.writes += 1;
            one(&format!("Receipt reopened: {reason}"), r)
        }
        ("DELETE", ["receipts", id]) => {
            let data = team_data(store, team)?;
            let r = find(&mut data.receipts, id)?;
            match r.status.as_str() {
                "cancelled" => {
                    return Err(SbError::conflict(
                        "receipt_cancelled",
                        "This receipt is already cancelled",
                    ));
                }
                "invoiced" | "completed" => {
                    return Err(SbError::conflict(
                        "receipt_invoiced",
                        "An invoiced receipt is cancelled through its invoice",
                    ));
                }
                _ => {}
            }
            r.status = "cancelled".into();
            let r = r.clone();
            store.writes += 1;
            one("Receipt cancelled successfully", r)
        }
        _ => Err(SbError::not_found("Endpoint")),
    }
}

/// Stamps a receipt: an income invoice (PUE, the receipt's payment form) for the customer
/// (`fiscal_information`, else the receipt's client, else público en general), with the
/// receipt's items, linked both ways (`invoice_id` on the receipt, §6.2). Answers the
/// receipt (status `completed`) with the `invoice` it created (§6.3).
fn stamp(
    store: &mut Store,
    req: &Req,
    team: &SbTeam,
    id: &str,
    body: &Value,
) -> Result<(u16, Value), SbError> {
    let r = find(&mut team_data(store, team)?.receipts, id)?.clone();
    match r.status.as_str() {
        "invoiced" | "completed" => {
            return Err(SbError::conflict(
                "receipt_already_stamped",
                "This receipt was already stamped into an invoice",
            ));
        }
        "cancelled" => {
            return Err(SbError::conflict(
                "receipt_cancelled",
                "A cancelled receipt cannot be stamped",
            ));
        }
        _ => {}
    }
    let fiscal = body.get("fiscal_information").filter(|f| f.is_object());
    let client = match fiscal {
        Some(f) => {
            let tax_id = text(f, "tax_id")?.unwrap_or("").trim().to_uppercase();
            if !super::base::rfc_shape_ok(&tax_id) {
                return Err(SbError::validation(
                    "`fiscal_information.tax_id` is not an RFC",
                ));
            }
            let known = team_data(store, team)?
                .clients
                .iter()
                .find(|c| c.tax_id == tax_id)
                .map(|c| c.summary());
            let legal = text(f, "legal_name")?.unwrap_or("").to_string();
            known.unwrap_or(SbClientRef {
                id: String::new(),
                name: legal.clone(),
                legal_name: if legal.is_empty() {
                    tax_id.clone()
                } else {
                    legal
                },
                email: String::new(),
                tax_id,
            })
        }
        None => r.client.clone().unwrap_or(SbClientRef {
            id: String::new(),
            name: "PUBLICO EN GENERAL".into(),
            legal_name: "PUBLICO EN GENERAL".into(),
            email: String::new(),
            tax_id: "XAXX010101000".into(),
        }),
    };
    // A seeded receipt has no items: one sale line worth its subtotal, with its IVA.
    let items = if r.items.is_empty() {
        let mut iva = SbTax::iva16();
        iva.rate = Money(if r.subtotal.0.is_zero() {
            Decimal::ZERO
        } else {
            (r.taxes.0 / r.subtotal.0).round_dp(2)
        });
        vec![SbItem::plain(
            "item_1".into(),
            "Venta".into(),
            Money(Decimal::ONE),
            r.subtotal,
            vec![iva],
        )]
    } else {
        r.items.clone()
    };
    let generic = client.tax_id == "XAXX010101000";
    let use_ = fiscal
        .and_then(|f| f.get("use").and_then(|u| u.as_str()))
        .unwrap_or(if generic { "S01" } else { "G03" });
    let inv = super::invoices::income_for(
        store,
        req,
        team,
        &client,
        &items,
        json!({
            "currency": r.currency, "payment_method": "PUE", "payment_form": r.payment_form,
            "use": use_, "metadata": {"receipt": r.id},
        }),
    )?;
    let data = team_data(store, team)?;
    let stored = find(&mut data.receipts, id)?;
    stored.status = "completed".into();
    stored.invoice_id = Some(inv.uuid.clone());
    let mut out = json!(stored.clone());
    out["invoice"] = json!(inv);
    store.writes += 1;
    one("Receipt stamped successfully", out)
}

fn find<'a>(receipts: &'a mut [SbReceipt], id: &str) -> Result<&'a mut SbReceipt, SbError> {
    receipts
        .iter_mut()
        .find(|r| r.id == id)
        .ok_or_else(|| SbError::not_found("Receipt"))
}

fn create(
    store: &mut Store,
    req: &Req,
    team: &SbTeam,
    body: &Value,
) -> Result<(u16, Value), SbError> {
    let periodicity = text(body, "periodicity")?.unwrap_or("month").to_string();
    let secs = validity_secs(&periodicity).ok_or_else(|| {
        SbError::validation("`periodicity` must be day, week, fortnight, month or two_months")
    })?;
    // A receipt records a sale already collected: an item without `taxes` takes the team's
    // default taxes with the price holding them (`inclusive`), as receipts always did
    // here; items that carry taxes are computed as sent (§6.3, cfdi-rules.md totals).
    let mut items_in = body.get("items").cloned().unwrap_or(Value::Null);
    let currency = text(body, "currency")?.unwrap_or("MXN").to_uppercase();
    let defaults = {
        let data = team_data(store, team)?;
        crate::sandbox::totals::settings_taxes(&super::account::settings_of(data), &currency)?
    };
    if let Value::Array(list) = &mut items_in {
        for it in list.iter_mut() {
            if it.is_object()
                && it.get("taxes").is_none_or(|t| t.is_null())
                && it.get("id").is_none()
            {
                let taxes: Vec<Value> = defaults
                    .iter()
                    .map(|t| {
                        let mut v = json!(t);
                        v["inclusive"] = json!(!t.withholding);
                        v
                    })
                    .collect();
                it["taxes"] = json!(taxes);
            }
        }
    }
    let c = super::invoices::compute_for(
        store,
        team,
        &json!({"items": items_in, "currency": currency}),
        false,
    )?;
    let client_id = body
        .pointer("/client/id")
        .and_then(|v| v.as_str())
        .map(str::to_string);
    let id = store.new_id("receipt");
    let data = team_data(store, team)?;
    let client = match &client_id {
        Some(cid) => Some(
            data.clients
                .iter()
                .find(|c| &c.id == cid)
                .map(|c| c.summary())
                .ok_or_else(|| {
                    SbError::validation(format!("client {cid:?} does not exist in this team"))
                })?,
        ),
        None => None,
    };
    let r = SbReceipt {
        url: format!("{}/autofactura?id={id}", req.origin),
        id,
        client,
        status: "pending".into(),
        subtotal: Money(c.subtotal.0 - c.discount.0),
        taxes: Money(c.taxes.0 - c.withholdings.0),
        total: c.total,
        currency,
        periodicity,
        payment_form: text(body, "payment_form")?.unwrap_or("01").to_string(),
        created: req.now,
        valid_until: req.now + secs,
        created_at: req.now,
        livemode: false,
        team: team.id.clone(),
        owner: "user_api".into(),
        items: c.items,
        invoice_id: None,
    };
    data.receipts.push(r.clone());
    store.writes += 1;
    created("Receipt created successfully", r)
}

/// Stamps every open receipt of a client. A receipt already past its validity cannot be
/// stamped any more (it belongs to the global invoice): it fails, and the others go on.
pub(super) fn stamp_pending(
    store: &mut Store,
    req: &Req,
    team: &SbTeam,
    client: &str,
) -> Result<(u16, Value), SbError> {
    let data = team_data(store, team)?;
    let known = data
        .clients
        .iter()
        .find(|c| c.id == client)
        .cloned()
        .ok_or_else(|| SbError::not_found("Client"))?;
    let fiscal_ok = super::base::fiscal_problems(&known).is_empty();
    let (mut stamped, mut failed, mut results) = (0, 0, Vec::new());
    let open: Vec<(String, bool)> = data
        .receipts
        .iter()
        .filter(|r| is_open(&r.status) && r.client.as_ref().is_some_and(|c| c.id == client))
        .map(|r| (r.id.clone(), r.valid_until < req.now))
        .collect();
    let writes = store.writes;
    for (id, expired) in open {
        if expired || !fiscal_ok {
            failed += 1;
            let why = if fiscal_ok {
                "expired: it goes into the global invoice"
            } else {
                "the client's fiscal data is not valid"
            };
            results.push(json!({"id": id, "status": "failed", "reason": why}));
            continue;
        }
        // Each one becomes its income invoice, as a single stamp does.
        match stamp(store, req, team, &id, &json!({})) {
            Ok((_, v)) => {
                stamped += 1;
                results.push(json!({"id": id, "status": "stamped",
                    "invoice_id": v["data"]["invoice_id"]}));
            }
            Err(e) => {
                failed += 1;
                results.push(json!({"id": id, "status": "failed", "reason": e.message}));
            }
        }
    }
    store.writes = writes;
    let data = team_data(store, team)?;
    let remaining = data
        .receipts
        .iter()
        .filter(|r| is_open(&r.status) && r.client.as_ref().is_some_and(|c| c.id == client))
        .count();
    if stamped > 0 {
        store.writes += 1;
    }
    Ok((
        200,
        json!({"success": true, "message": "Pending receipts processed", "data": {
            "stamped": stamped, "failed": failed, "remaining": remaining, "results": results,
        }}),
    ))
}
