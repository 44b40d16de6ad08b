//! The rules that decide whether a write may start on a row (cfdi-rules.md): only a pending
//! payment is marked paid, only a succeeded one refunded, a PPD invoice with complements is
//! not cancelled; and the warning when an invoice's cancellation deadline has passed.

use crate::api::PaymentStatus;
use crate::app::data::documents::{InvoiceRow, PaymentRow, RowCancellation, RowStatus};
use crate::i18n::{Lang, Tr, tr};
use crate::t;

use super::kinds::WriteKind;

/// Cancellation is expected by the annual return of the issuing year: 31 March for
/// companies (12-character RFC), 30 April for individuals. Warn, never block.
pub fn deadline_warning(
    created: i64,
    rfc: &str,
    today: jiff::civil::Date,
    lang: Lang,
) -> Option<String> {
    let issued = jiff::Timestamp::from_second(created)
        .ok()?
        .to_zoned(crate::api::time::mexico_city().clone())
        .date();
    let (month, day) = if rfc.len() == 13 { (4, 30) } else { (3, 31) };
    let deadline = jiff::civil::date(issued.year() + 1, month, day);
    (today > deadline).then(|| {
        let (year, deadline) = (issued.year(), lang.date(deadline));
        t!(
            lang,
            "The cancellation deadline for {year} invoices passed on {deadline}: a late cancellation can draw a fine.",
            "El plazo para cancelar facturas de {year} venció el {deadline}: cancelar tarde puede causar una multa."
        )
    })
}

/// Why a write key does nothing on this row, if it does nothing.
pub fn payment_refusal(kind: WriteKind, row: &PaymentRow) -> Option<Tr> {
    match kind {
        WriteKind::MarkPaid if !row.status().is_uncollected() => Some(tr(
            "only a pending payment can be marked paid",
            "solo un pago pendiente puede marcarse como pagado",
        )),
        WriteKind::CancelPayment if !row.status().is_uncollected() => Some(tr(
            "only an uncollected payment can be canceled; a collected one needs a refund (R)",
            "solo un pago no cobrado puede cancelarse; uno cobrado necesita un reembolso (R)",
        )),
        WriteKind::Refund if row.status() != PaymentStatus::Succeeded => Some(tr(
            "only a succeeded payment can be refunded",
            "solo un pago cobrado puede reembolsarse",
        )),
        WriteKind::Refund if row.total <= row.refunded() => {
            Some(tr("nothing left to refund", "no queda nada por reembolsar"))
        }
        _ => None,
    }
}

pub fn invoice_refusal(row: &InvoiceRow) -> Option<Tr> {
    match (row.status, row.cancellation) {
        (RowStatus::Canceled, _) => Some(tr(
            "the invoice is already canceled",
            "la factura ya está cancelada",
        )),
        (_, RowCancellation::Pending) => Some(tr(
            "a cancellation is already waiting for the receiver",
            "ya hay una cancelación esperando al receptor",
        )),
        _ if row.ppd && row.complements > 0 => Some(tr(
            "a PPD invoice with payment complements cannot be canceled; cancel the complements first",
            "una factura PPD con complementos de pago no puede cancelarse; cancela primero los complementos",
        )),
        _ => None,
    }
}

/// Whether a role may do `kind` (gigstack's roles: viewers read; members and editors also
/// create (links, payments, invoices, clients) and mark paid; admins and owners also cancel and refund).
pub fn role_allows(role: &str, kind: WriteKind) -> bool {
    match role {
        "admin" | "owner" => true,
        "member" | "editor" => matches!(
            kind,
            WriteKind::MarkPaid
                | WriteKind::RequestPayment
                | WriteKind::RegisterPayment
                | WriteKind::DraftInvoice
                | WriteKind::StampDraft
                | WriteKind::DeleteDraft
                | WriteKind::CreditNote
                | WriteKind::CreateClient
                | WriteKind::CreateSeries
        ),
        _ => false,
    }
}

/// The confirmation's line while the key's role is checked in `n` teams (removed, by its
/// words, when the roles arrive).
pub fn checking_roles(lang: crate::i18n::Lang, n: usize) -> String {
    crate::t!(
        lang,
        "Checking your role in {n} teams…",
        "Revisando tu rol en {n} equipos…"
    )
}
