//! Payment complements (type P invoices, §4): each tied to a PPD invoice, never above what
//! it still owes nor on a cancelled one, numbered by installment with the balance before
//! and after; and those the seeded world's PPD invoices already have.

use rust_decimal::Decimal;
use serde_json::{Value, json};

use super::base::{created, team_data, text};
use crate::sandbox::error::SbError;
use crate::sandbox::model::{Money, SbInvoice, SbRelated, SbStamp, SbTeam};
use crate::sandbox::request::Req;
use crate::sandbox::request::decimal_field;
use crate::sandbox::store::{Store, TeamData};

/// A payment complement (type P) for a PPD invoice: never above what it still owes, never
/// on a cancelled one; numbered by installment, with the balance before and after.
pub(in crate::sandbox) fn create(
    store: &mut Store,
    req: &Req,
    team: &SbTeam,
    body: &Value,
) -> Result<(u16, Value), SbError> {
    let ppd_uuid = text(body, "invoice_id")?
        .or(text(body, "ppd_invoice_id")?)
        .or_else(|| {
            body.pointer("/related_documents/0/documents/0")
                .and_then(|v| v.as_str())
        })
        .ok_or_else(|| SbError::validation("`invoice_id` (the PPD invoice) is required"))?
        .to_string();
    let amount = decimal_field(body, "amount")?
        .ok_or_else(|| SbError::validation("`amount` is required"))?;
    if amount <= Decimal::ZERO {
        return Err(SbError::validation("`amount` must be above 0"));
    }
    let form = text(body, "payment_form")?.unwrap_or("03").to_string();
    if form == "99" {
        return Err(SbError::validation(
            "a payment complement needs the real payment form, not 99",
        ));
    }
    let (client, previous, installment, currency) = {
        let data = team_data(store, team)?;
        let ppd = data
            .income
            .iter()
            .find(|i| i.uuid == ppd_uuid)
            .ok_or_else(|| SbError::not_found("Invoice"))?;
        if ppd.payment_method != "PPD" {
            return Err(SbError::validation(
                "payment complements are for PPD invoices",
            ));
        }
        if ppd.status == "canceled" {
            return Err(SbError::conflict(
                "invoice_cancelled",
                "The invoice is cancelled: it takes no payment complement",
            ));
        }
        let owed = ppd.last_balance.map(|b| b.0).unwrap_or(ppd.total.0);
        if amount > owed {
            return Err(SbError::validation(format!(
                "`amount` {amount} is more than the {owed} the invoice still owes"
            )));
        }
        (
            ppd.client.clone(),
            owed,
            ppd.payment_complements + 1,
            ppd.currency.clone(),
        )
    };
    let uuid = super::base::uuid_from(store);
    let folio = super::base::next_folio(store, team, "P")?;
    let paid_at = decimal_field(body, "date")?
        .and_then(|d| i64::try_from(d.trunc().mantissa()).ok())
        .unwrap_or(req.now);
    let remaining = Money::round2(previous - amount);
    let p = SbInvoice {
        uuid: uuid.clone(),
        client,
        status: "valid".into(),
        invoice_type: "P".into(),
        currency: "XXX".into(),
        exchange_rate: Money(Decimal::ONE),
        subtotal: Money(Decimal::ZERO),
        taxes: Money(Decimal::ZERO),
        withholdings: None,
        discount: Money(Decimal::ZERO),
        total: Money(Decimal::ZERO),
        series: "P".into(),
        folio_number: folio,
        payment_method: String::new(),
        payment_form: form.clone(),
        cfdi_use: "CP01".into(),
        items: vec![],
        verification_url: format!(
            "https://verificacfdi.facturaelectronica.sat.gob.mx/default.aspx?id={uuid}"
        ),
        stamp: SbStamp {
            stamp_at: req.now,
            sello: format!("sbx{}", store.counter),
        },
        last_balance: None,
        payment_complements: 0,
        cancellation_status: None,
        cancellation_receipt: None,
        related_documents: vec![SbRelated {
            relationship: "pago".into(),
            documents: vec![ppd_uuid.clone()],
        }],
        created_at: req.now,
        livemode: false,
        owner: "user_api".into(),
        team: team.id.clone(),
        metadata: json!({
            "payment": {
                "invoice_id": ppd_uuid, "amount": amount.to_string(), "currency": currency,
                "payment_form": form, "paid_at": paid_at, "installment": installment,
                "previous_balance": previous.to_string(), "remaining_balance": remaining.0.to_string(),
            }
        }),
        cancel_due: None,
    };
    let data = team_data(store, team)?;
    if let Some(ppd) = data.income.iter_mut().find(|i| i.uuid == ppd_uuid) {
        ppd.last_balance = Some(remaining);
        ppd.payment_complements += 1;
    }
    data.complements.push(p.clone());
    store.writes += 1;
    created("Payment complement created successfully", p)
}

/// Each seeded PPD invoice's complements, as many as it says it has, sharing what it was
/// paid (total less balance).
pub(super) fn seed_complements(data: &mut TeamData) {
    let mut made = Vec::new();
    for ppd in data
        .income
        .iter()
        .filter(|i| i.payment_method == "PPD" && i.payment_complements > 0)
    {
        let n = Decimal::from(ppd.payment_complements);
        let paid = ppd.total.0 - ppd.last_balance.map(|b| b.0).unwrap_or(Decimal::ZERO);
        let share = Money::round2(paid / n);
        let mut before = ppd.total.0;
        for k in 1..=ppd.payment_complements {
            let at = ppd.created_at + i64::from(k) * 9 * 86_400;
            let uuid = format!("{}-p{k}", &ppd.uuid[..ppd.uuid.len().min(27)]);
            let after = (before - share.0).max(Decimal::ZERO);
            made.push(SbInvoice {
                uuid,
                client: ppd.client.clone(),
                invoice_type: "P".into(),
                currency: "XXX".into(),
                subtotal: Money(Decimal::ZERO),
                taxes: Money(Decimal::ZERO),
                total: Money(Decimal::ZERO),
                series: "P".into(),
                folio_number: ppd.folio_number * 10 + u64::from(k),
                payment_method: String::new(),
                payment_form: "03".into(),
                cfdi_use: "CP01".into(),
                items: vec![],
                last_balance: None,
                payment_complements: 0,
                cancellation_status: None,
                related_documents: vec![SbRelated {
                    relationship: "pago".into(),
                    documents: vec![ppd.uuid.clone()],
                }],
                created_at: at,
                stamp: SbStamp {
                    stamp_at: at,
                    sello: ppd.stamp.sello.clone(),
                },
                metadata: json!({"payment": {
                    "invoice_id": ppd.uuid, "amount": share.0.to_string(), "installment": k,
                    "previous_balance": before.to_string(), "remaining_balance": after.to_string(),
                }}),
                ..ppd.clone()
            });
            before = after;
        }
    }
    made.sort_by(|a, b| (a.created_at, &a.uuid).cmp(&(b.created_at, &b.uuid)));
    data.complements = made;
}
