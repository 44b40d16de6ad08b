//! A write dialog's fields read and checked: the request to send, or what is wrong in
//! words naming the field (an amount that is not one or is above what may be, no payment
//! form, a date that is not one, a cancellation motive without its replacing invoice).

use rust_decimal::Decimal;

use super::kinds::WriteRequest;
use super::model::{Body, Bulk, BulkItem, BulkWrite, Dialog, DialogError, Field, PaidWith};
use crate::api::Amount;
use crate::app::form::catalogs::MOTIVES;
use crate::i18n::Lang;
use crate::t;

/// What a confirmed dialog sends.
#[derive(Clone, Debug)]
pub enum Submit {
    One(WriteRequest),
    /// One write per marked row.
    Each(Vec<(BulkItem, WriteRequest)>),
}

impl Dialog {
    /// Checks every field; what to send, or what is wrong in words.
    pub fn validate(&self) -> Result<Submit, DialogError> {
        let lang = self.head.lang;
        self.confirm
            .word_ok(lang)
            .map_err(|e| DialogError::at(Field::Word, e))?;
        let one = |r| Ok(Submit::One(r));
        match &self.body {
            Body::MarkPaid { payment_id, paid } => {
                let (payment_form, date) = paid_with(paid, lang, false)?;
                one(WriteRequest::MarkPaid {
                    payment_id: payment_id.clone(),
                    payment_form,
                    date,
                })
            }
            Body::Refund {
                payment_id,
                amount,
                refundable,
                reason,
            } => {
                let amount = amount_up_to(
                    amount,
                    *refundable,
                    &self.head.currency,
                    lang.pick(
                        "The refund must be more than zero.",
                        "El reembolso debe ser mayor que cero.",
                    ),
                    |most| {
                        t!(
                            lang,
                            "At most {most} can be refunded (paid minus earlier refunds).",
                            "Se puede reembolsar a lo más {most} (lo pagado menos reembolsos previos)."
                        )
                    },
                    lang,
                )?;
                let reason = reason.value().trim();
                one(WriteRequest::Refund {
                    payment_id: payment_id.clone(),
                    amount,
                    reason: (!reason.is_empty()).then(|| reason.to_string()),
                })
            }
            Body::CancelPayment { payment_id } => one(WriteRequest::CancelPayment {
                payment_id: payment_id.clone(),
            }),
            Body::StampReceipts { client_id } => one(WriteRequest::StampReceipts {
                client_id: client_id.clone(),
            }),
            Body::StampReceipt { receipt_id } => one(WriteRequest::StampReceipt {
                receipt_id: receipt_id.clone(),
            }),
            Body::CancelReceipt { receipt_id } => one(WriteRequest::CancelReceipt {
                receipt_id: receipt_id.clone(),
            }),
            Body::IssueComplement {
                invoice_uuid,
                amount,
                owed,
                paid,
            } => {
                let amount = amount_up_to(
                    amount,
                    *owed,
                    &self.head.currency,
                    lang.pick(
                        "The complement must be for more than zero.",
                        "El complemento debe ser por más de cero.",
                    ),
                    |most| {
                        t!(
                            lang,
                            "The invoice owes {most}: a complement cannot be for more.",
                            "La factura debe {most}: un complemento no puede ser por más."
                        )
                    },
                    lang,
                )?;
                let (payment_form, date) = paid_with(paid, lang, true)?;
                one(WriteRequest::IssueComplement {
                    invoice_uuid: invoice_uuid.clone(),
                    amount,
                    payment_form,
                    date,
                })
            }
            Body::CancelInvoice {
                uuid,
                motive,
                substitution,
                choices,
            } => {
                let motive = MOTIVES[(*motive).min(3)].0.to_string();
                let substitution = if motive == "01" {
                    let at = |en: &str, es: &str| {
                        Err(DialogError::at(Field::Substitution, lang.pick(en, es)))
                    };
                    let s = substitution.value().trim().to_lowercase();
                    if uuid::Uuid::parse_str(&s).is_err() {
                        return at(
                            "Motive 01 needs the UUID of the replacing invoice (type it or pick one with ↑↓).",
                            "El motivo 01 necesita el UUID de la factura que la sustituye (escríbelo o elige uno con ↑↓).",
                        );
                    }
                    if s == uuid.to_lowercase() {
                        return at(
                            "An invoice cannot replace itself.",
                            "Una factura no puede sustituirse a sí misma.",
                        );
                    }
                    if !choices.is_empty() && !choices.iter().any(|(u, _)| u.to_lowercase() == s) {
                        return at(
                            "The replacing invoice must be a valid invoice of this team for the same client.",
                            "La factura que sustituye debe ser una factura vigente de este equipo para el mismo cliente.",
                        );
                    }
                    Some(s)
                } else {
                    None
                };
                one(WriteRequest::CancelInvoice {
                    uuid: uuid.clone(),
                    motive,
                    substitution,
                })
            }
            Body::Bulk(Bulk { items, write, .. }) => {
                let each = |make: &dyn Fn(&BulkItem) -> WriteRequest| {
                    Ok(Submit::Each(
                        items.iter().map(|i| (i.clone(), make(i))).collect(),
                    ))
                };
                match write {
                    BulkWrite::MarkPaid(paid) => {
                        let (payment_form, date) = paid_with(paid, lang, false)?;
                        each(&|i| WriteRequest::MarkPaid {
                            payment_id: i.id.clone(),
                            payment_form: payment_form.clone(),
                            date,
                        })
                    }
                    BulkWrite::CancelPayment => each(&|i| WriteRequest::CancelPayment {
                        payment_id: i.id.clone(),
                    }),
                    BulkWrite::Team(write) => each(&|i| WriteRequest::Team {
                        lock: i.id.clone(),
                        write: write.clone(),
                    }),
                    BulkWrite::CancelInvoice { motive } => {
                        let motive = MOTIVES[(*motive).min(3)].0;
                        if motive == "01" {
                            return Err(DialogError::at(
                                Field::Motive,
                                lang.pick(
                                    "Motive 01 needs a replacing invoice for each one: cancel those one by one.",
                                    "El motivo 01 necesita una factura que sustituya a cada una: cancélalas una por una.",
                                ),
                            ));
                        }
                        each(&|i| WriteRequest::CancelInvoice {
                            uuid: i.id.clone(),
                            motive: motive.to_string(),
                            substitution: None,
                        })
                    }
                }
            }
        }
    }
}

/// The amount typed, more than zero and at most `most` (in words naming the amount field
/// otherwise: `zero` for nothing, `above` with `most` formatted for too much).
fn amount_up_to(
    field: &crate::app::form::amount::AmountField,
    most: Decimal,
    currency: &str,
    zero: &str,
    above: impl Fn(String) -> String,
    lang: Lang,
) -> Result<Decimal, DialogError> {
    let amount = field
        .read(lang)
        .map_err(|e| DialogError::at(Field::Amount, e))?;
    if amount <= Decimal::ZERO {
        return Err(DialogError::at(Field::Amount, zero));
    }
    if amount > most {
        return Err(DialogError::at(
            Field::Amount,
            above(Amount(most).display(currency)),
        ));
    }
    Ok(amount)
}

/// The payment form chosen (never 99) and the date typed; `complement` words the missing
/// form for money that came in against a PPD invoice.
fn paid_with(paid: &PaidWith, lang: Lang, complement: bool) -> Result<(String, i64), DialogError> {
    let code = paid.form.code().ok_or_else(|| {
        DialogError::at(
            Field::Form,
            if complement {
                lang.pick(
                    "Choose the payment form the money came by (never 99).",
                    "Elige la forma en que llegó el dinero (nunca 99).",
                )
            } else {
                lang.pick(
                    "Choose a payment form (99 «por definir» is not allowed when money arrived).",
                    "Elige una forma de pago (99 «por definir» no se permite cuando llegó el dinero).",
                )
            },
        )
    })?;
    let date = paid
        .date
        .read(lang)
        .map_err(|e| DialogError::at(Field::Date, e))?;
    Ok((code, date))
}
