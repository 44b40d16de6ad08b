//! Receipts' lifecycle (§6): create, stamp into a CFDI once, cancel, reopen, update, and a
//! client's pending receipts stamped at once (§2.3), with partial failures.

use rust_decimal::Decimal;
use serde_json::{Value, json};

use super::base::{created, one, team_data, text};
use crate::sandbox::error::SbError;
use crate::sandbox::model::{Money, SbReceipt, SbTeam};
use crate::sandbox::request::Req;
use crate::sandbox::rules::decimal_field;
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
        ("POST", ["receipts", id, "stamp"]) => {
            let data = team_data(store, team)?;
            let r = find(&mut data.receipts, id)?;
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
            if let Some(f) = body.get("fiscal_information")
                && f.get("tax_id")
                    .and_then(|t| t.as_str())
                    .is_some_and(|t| !super::base::rfc_shape_ok(&t.to_uppercase()))
            {
                return Err(SbError::validation(
                    "`fiscal_information.tax_id` is not an RFC",
                ));
            }
            r.status = "completed".into();
            let r = r.clone();
            store.writes += 1;
            one("Receipt stamped successfully", r)
        }
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
    let Some(Value::Array(items)) = body.get("items") else {
        return Err(SbError::validation("`items` is required"));
    };
    if items.is_empty() {
        return Err(SbError::validation("`items` must not be empty"));
    }
    let mut total = Decimal::ZERO;
    for (i, it) in items.iter().enumerate() {
        let q = decimal_field(it, "quantity")?.unwrap_or(Decimal::ONE);
        let p = decimal_field(it, "unit_price")?
            .ok_or_else(|| SbError::validation(format!("items[{i}].unit_price is required")))?;
        total = q
            .checked_mul(p)
            .and_then(|x| total.checked_add(x))
            .ok_or_else(|| SbError::validation("the amount is too large"))?;
    }
    // Prices include IVA in a sale (a receipt's total is what was collected).
    let subtotal = Money::round2(total / Decimal::new(116, 2));
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
        subtotal,
        taxes: Money(total - subtotal.0),
        total: Money(total),
        currency: text(body, "currency")?.unwrap_or("MXN").to_uppercase(),
        periodicity,
        payment_form: text(body, "payment_form")?.unwrap_or("01").to_string(),
        created: req.now,
        valid_until: req.now + secs,
        created_at: req.now,
        livemode: false,
        team: team.id.clone(),
        owner: "user_api".into(),
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
    for r in data
        .receipts
        .iter_mut()
        .filter(|r| is_open(&r.status) && r.client.as_ref().is_some_and(|c| c.id == client))
    {
        if r.valid_until < req.now || !fiscal_ok {
            failed += 1;
            let why = if fiscal_ok {
                "expired: it goes into the global invoice"
            } else {
                "the client's fiscal data is not valid"
            };
            results.push(json!({"id": r.id, "status": "failed", "reason": why}));
        } else {
            r.status = "completed".into();
            stamped += 1;
            results.push(json!({"id": r.id, "status": "stamped"}));
        }
    }
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
