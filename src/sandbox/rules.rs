//! The write rules of cfdi-rules.md as the sandbox enforces them: the payment state
//! machine, refunds up to the remainder, invoice cancellation (motives, substitution,
//! receiver acceptance, PPD complements) and PPD balances. Register and request are
//! `collect.rs`.

use jiff::civil::Weekday;
use jiff::tz::TimeZone;
use rust_decimal::Decimal;
use serde_json::{Value, json};

use super::error::SbError;
use super::model::*;
use super::request::Req;
use super::request::{decimal_field, payment_form, text_field};
use super::store::Store;

const UNCOLLECTED: &[&str] = &["requires_payment_method", "pending", "processing"];
const GENERIC_RFCS: &[&str] = &["XAXX010101000", "XEXX010101000"];

/// Accepts the cancellations whose receiver stayed silent long enough.
pub fn settle_cancellations(store: &mut Store, now: i64) {
    if !store.pending_cancels.iter().any(|(_, _, due)| *due <= now) {
        return;
    }
    let (due, waiting): (Vec<_>, Vec<_>) = std::mem::take(&mut store.pending_cancels)
        .into_iter()
        .partition(|(_, _, d)| *d <= now);
    store.pending_cancels = waiting;
    for (team, uuid, _) in due {
        if let Some(inv) = store.data.get_mut(&team).and_then(|d| {
            d.income
                .iter_mut()
                .chain(d.egress.iter_mut())
                .find(|i| i.uuid == uuid)
        }) && inv.cancellation_status.as_deref() == Some("pending")
        {
            inv.status = "canceled".into();
            inv.cancellation_status = Some("accepted".into());
            inv.cancellation_receipt = Some(format!("acuse_{}", &inv.uuid[..8]));
            inv.cancel_due = None;
        }
    }
}

fn timestamp_field(body: &Value, field: &str) -> Result<Option<i64>, SbError> {
    match body.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => {
            let v = n
                .as_i64()
                .or_else(|| n.as_f64().map(|f| f as i64))
                .ok_or_else(|| SbError::validation(format!("`{field}` must be epoch seconds")))?;
            Ok(Some(if v >= 1_000_000_000_000 { v / 1000 } else { v }))
        }
        Some(other) => Err(SbError::validation(format!(
            "`{field}` must be epoch seconds, got {other}"
        ))),
    }
}

#[allow(clippy::too_many_arguments)]
pub fn write(
    store: &mut Store,
    req: &Req,
    key: &DemoKey,
    team: &SbTeam,
    segs: &[&str],
    body: &Value,
    idem: Option<&str>,
    accept_ms: u64,
) -> Result<(u16, Value), SbError> {
    match (req.method.as_str(), segs) {
        ("POST", ["payments", "register"]) => {
            super::collect::create_payment(store, req, key, team, body, idem, true)
        }
        ("POST", ["payments", "request"]) => {
            super::collect::create_payment(store, req, key, team, body, idem, false)
        }
        ("POST", ["payments", id, "paid"]) => mark_paid(store, req, team, id, body),
        ("POST", ["payments", id, "refund"]) => refund(store, req, team, id, body),
        ("DELETE", ["payments", id]) => cancel_payment(store, team, id),
        ("DELETE", ["invoices", uuid]) => cancel_invoice(store, req, team, uuid, body, accept_ms),
        _ => Err(SbError::not_found("Endpoint")),
    }
}

fn find_payment<'a>(
    store: &'a mut Store,
    team: &str,
    id: &str,
) -> Result<&'a mut SbPayment, SbError> {
    store
        .team_data(team)?
        .payments
        .iter_mut()
        .find(|p| p.id == id)
        .ok_or_else(|| SbError::not_found("Payment"))
}

fn mark_paid(
    store: &mut Store,
    req: &Req,
    team: &SbTeam,
    id: &str,
    body: &Value,
) -> Result<(u16, Value), SbError> {
    let form = payment_form(body)?;
    let date = timestamp_field(body, "date")?.unwrap_or(req.now);
    let p = find_payment(store, &team.id, id)?;
    if !UNCOLLECTED.contains(&p.status.as_str()) {
        return Err(SbError::conflict(
            "payment_not_pending",
            format!(
                "Payment is {}; only pending payments can be marked paid",
                p.status
            ),
        ));
    }
    p.status = "succeeded".into();
    p.payment_form = form;
    p.succeeded_at = Some(date);
    let (amount, ppd) = (p.total.0, p.ppd_invoice.clone());
    // The complement, when the team has them issued on payment (its setting).
    let automated = super::extended::automates_complements(store.team_data(&team.id)?);
    if let Some(uuid) = ppd.filter(|_| automated)
        && let Some(inv) = store
            .team_data(&team.id)?
            .income
            .iter_mut()
            .find(|i| i.uuid == uuid)
    {
        let balance = inv.last_balance.map(|b| b.0).unwrap_or(inv.total.0) - amount;
        inv.last_balance = Some(Money(balance.max(Decimal::ZERO)));
        inv.payment_complements += 1;
    }
    store.writes += 1;
    let p = find_payment(store, &team.id, id)?;
    Ok((200, json!({"message": "Payment marked as paid", "data": p})))
}

fn refund(
    store: &mut Store,
    req: &Req,
    team: &SbTeam,
    id: &str,
    body: &Value,
) -> Result<(u16, Value), SbError> {
    let amount = decimal_field(body, "amount")?;
    let reason = match body.get("reason") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(other) => {
            return Err(SbError::validation(format!(
                "`reason` must be text, got {other}"
            )));
        }
    };
    let refund_id = store.new_id("refund");
    let p = find_payment(store, &team.id, id)?;
    if p.status != "succeeded" {
        return Err(SbError::conflict(
            "payment_not_refundable",
            format!(
                "Payment is {}; only succeeded payments can be refunded",
                p.status
            ),
        ));
    }
    let refunded: Decimal = p.refunds.iter().map(|r| r.amount.0).sum();
    let remaining = p.total.0 - refunded;
    let amount = amount.unwrap_or(remaining);
    if amount <= Decimal::ZERO {
        return Err(SbError::validation("`amount` must be greater than zero"));
    }
    if amount > remaining {
        return Err(SbError::conflict(
            "refund_exceeds_remaining",
            format!("Refund of {amount} exceeds the refundable remainder of {remaining}"),
        ));
    }
    p.refunds.push(SbRefund {
        id: refund_id,
        amount: Money(amount),
        reason,
        created_at: req.now,
    });
    if amount == remaining {
        p.status = "refunded".into();
    }
    let data = serde_json::to_value(&*p).unwrap_or(Value::Null);
    store.writes += 1;
    Ok((
        200,
        json!({"message": "Payment refunded successfully", "data": data}),
    ))
}

fn cancel_payment(store: &mut Store, team: &SbTeam, id: &str) -> Result<(u16, Value), SbError> {
    let p = find_payment(store, &team.id, id)?;
    if !UNCOLLECTED.contains(&p.status.as_str()) {
        return Err(SbError::conflict(
            "payment_not_cancelable",
            format!(
                "Payment is {}; only uncollected payments can be canceled (a collected one needs a refund)",
                p.status
            ),
        ));
    }
    p.status = "canceled".into();
    let data = serde_json::to_value(&*p).unwrap_or(Value::Null);
    store.writes += 1;
    Ok((
        200,
        json!({"message": "Payment canceled successfully", "data": data}),
    ))
}

/// True while "by the next business day after issuance" still holds (Mexico City dates).
fn within_next_business_day(created: i64, now: i64) -> bool {
    let tz = TimeZone::get("America/Mexico_City").unwrap_or(TimeZone::UTC);
    let date = |s: i64| {
        jiff::Timestamp::from_second(s)
            .ok()
            .map(|t| t.to_zoned(tz.clone()).date())
    };
    let (Some(issued), Some(today)) = (date(created), date(now)) else {
        return false;
    };
    let mut next = issued.tomorrow().unwrap_or(issued);
    while matches!(next.weekday(), Weekday::Saturday | Weekday::Sunday) {
        next = next.tomorrow().unwrap_or(next);
    }
    today <= next
}

fn cancel_invoice(
    store: &mut Store,
    req: &Req,
    team: &SbTeam,
    uuid: &str,
    body: &Value,
    accept_ms: u64,
) -> Result<(u16, Value), SbError> {
    let motive = text_field(body, "motive")?
        .ok_or_else(|| SbError::validation("`motive` is required: 01, 02, 03 or 04"))?
        .to_string();
    if !["01", "02", "03", "04"].contains(&motive.as_str()) {
        return Err(SbError::validation(format!(
            "`motive` {motive:?} is not a SAT cancellation motive (01–04)"
        )));
    }
    let substitution = match text_field(body, "substitution_uuid")? {
        Some(s) => Some(s.to_string()),
        None => text_field(body, "replacement")?.map(str::to_string),
    };
    let data = store.team_data(&team.id)?;
    let inv = data
        .income
        .iter()
        .chain(data.egress.iter())
        .find(|i| i.uuid == uuid)
        .ok_or_else(|| SbError::not_found("Invoice"))?
        .clone();
    if inv.status == "canceled" {
        return Err(SbError::conflict(
            "invoice_already_canceled",
            "The invoice is already canceled",
        ));
    }
    if inv.cancellation_status.as_deref() == Some("pending") {
        return Err(SbError::conflict(
            "cancellation_pending",
            "A cancellation is already waiting for the receiver's answer",
        ));
    }
    if motive == "01" {
        let Some(sub) = substitution.as_deref() else {
            return Err(SbError::validation(
                "Motive 01 requires `substitution_uuid`: the replacing invoice",
            ));
        };
        let ok = sub != uuid
            && data.income.iter().any(|i| {
                i.uuid == sub && i.status == "valid" && i.client.tax_id == inv.client.tax_id
            });
        if !ok {
            return Err(SbError::validation(
                "`substitution_uuid` must be a valid invoice of the same team and receiver",
            ));
        }
    }
    if inv.payment_method == "PPD" && inv.payment_complements > 0 {
        return Err(SbError::conflict(
            "ppd_has_complements",
            format!(
                "The PPD invoice has {} valid payment complement(s); cancel them first",
                inv.payment_complements
            ),
        ));
    }
    let mxn_total = inv.total.0 * inv.exchange_rate.0;
    let needs_acceptance = mxn_total > Decimal::from(1000)
        && inv.invoice_type != "E"
        && !GENERIC_RFCS.contains(&inv.client.tax_id.as_str())
        && !within_next_business_day(inv.created_at, req.now);
    let due = req.now + (accept_ms as i64 + 999) / 1000;
    let Some(target) = data
        .income
        .iter_mut()
        .chain(data.egress.iter_mut())
        .find(|i| i.uuid == uuid)
    else {
        return Err(SbError::not_found("Invoice"));
    };
    if needs_acceptance {
        target.cancellation_status = Some("pending".into());
        target.cancel_due = Some(due);
    } else {
        target.status = "canceled".into();
        target.cancellation_status = Some("accepted".into());
        target.cancellation_receipt = Some(format!("acuse_{}", &uuid[..uuid.len().min(8)]));
    }
    target.metadata = json!({"cancellation_motive": motive});
    let out = serde_json::to_value(&*target).unwrap_or(Value::Null);
    if motive == "01"
        && let Some(sub) = substitution.as_deref()
        && let Some(s) = data.income.iter_mut().find(|i| i.uuid == sub)
        && !s.related_documents.iter().any(|r| r.relationship == "04")
    {
        s.related_documents.push(SbRelated {
            relationship: "04".into(),
            documents: vec![uuid.to_string()],
        });
    }
    if needs_acceptance {
        store
            .pending_cancels
            .push((team.id.clone(), uuid.to_string(), due));
    }
    store.writes += 1;
    let message = if needs_acceptance {
        "Cancellation requested; waiting for the receiver to accept"
    } else {
        "Invoice cancelled successfully"
    };
    Ok((200, json!({"message": message, "data": out})))
}
