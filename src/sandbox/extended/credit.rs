//! How much a credit note may credit (cfdi-rules.md "Refunds"): a note related 01 or 03
//! to income invoices takes at most their totals less the credit notes already issued
//! against them. Reads a team's invoices; writes nothing.

use rust_decimal::Decimal;

use crate::sandbox::error::SbError;
use crate::sandbox::model::{SbInvoice, SbRelated};
use crate::sandbox::store::TeamData;
use crate::sandbox::totals::half_up;

/// The relationships that credit what they relate to: 01 credit note, 03 return.
fn credits(r: &SbRelated) -> bool {
    matches!(r.relationship.as_str(), "01" | "03")
}

/// Refuses (422, about `items`) a credit note of `total` in `currency` at `rate` that is
/// more than what is left to credit on the team's valid income invoices it relates to.
/// A note that credits no income invoice of the team is not capped here. Earlier notes
/// are each counted once, however many of these invoices they relate to. Amounts compare
/// in the note's currency when every document shares it, else in MXN.
pub(super) fn within_credit_left(
    data: &TeamData,
    related: &[SbRelated],
    currency: &str,
    rate: Decimal,
    total: Decimal,
) -> Result<(), SbError> {
    let credited: Vec<&str> = related
        .iter()
        .filter(|r| credits(r))
        .flat_map(|r| r.documents.iter().map(String::as_str))
        .collect();
    let invoices: Vec<&SbInvoice> = data
        .income
        .iter()
        .filter(|i| credited.contains(&i.uuid.as_str()) && i.status != "canceled")
        .collect();
    if invoices.is_empty() {
        return Ok(());
    }
    let earlier: Vec<&SbInvoice> = data
        .egress
        .iter()
        .filter(|e| {
            e.invoice_type == "E"
                && e.status != "canceled"
                && e.related_documents.iter().any(|r| {
                    credits(r) && r.documents.iter().any(|d| credited.contains(&d.as_str()))
                })
        })
        .collect();
    let same = invoices
        .iter()
        .chain(&earlier)
        .all(|i| i.currency == currency);
    let (unit, value) = if same {
        (currency, total)
    } else {
        ("MXN", half_up(total * rate, 2))
    };
    let worth = |i: &SbInvoice| {
        if same {
            i.total.0
        } else {
            half_up(i.total.0 * i.exchange_rate.0, 2)
        }
    };
    let invoiced: Decimal = invoices.iter().map(|i| worth(i)).sum();
    let noted: Decimal = earlier.iter().map(|i| worth(i)).sum();
    let left = invoiced - noted;
    if value <= left {
        return Ok(());
    }
    let what = if invoices.len() == 1 {
        "the related invoice"
    } else {
        "the related invoices"
    };
    Err(SbError::new(
        422,
        "credit_exceeds_balance",
        format!(
            "this credit note ({value:.2} {unit}) is more than what is left to credit on \
             {what}: {invoiced:.2} {unit} invoiced less {noted:.2} {unit} in earlier credit \
             notes leaves {:.2} {unit}",
            left.max(Decimal::ZERO)
        ),
    )
    .about("items"))
}
