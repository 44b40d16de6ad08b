//! A write dialog's fields read and checked: the request to send, or what is wrong in
//! words (an amount that is not one or is above what may be, no payment form, a date that
//! is not one, a cancellation motive without its replacing invoice).

use std::str::FromStr;

use rust_decimal::Decimal;

use crate::api::Amount;
use crate::app::dialogs::model::{Dialog, MOTIVES, WriteKind, WriteRequest};
use crate::i18n::Lang;
use crate::t;

impl Dialog {
    /// Checks every field; the request to send, or what is wrong in words.
    pub fn validate(&self) -> Result<WriteRequest, String> {
        let lang = self.lang;
        let err = |en: &str, es: &str| Err(lang.pick(en, es).to_string());
        if self.needs_word() {
            let word = self.kind.confirm_word().unwrap_or("");
            if self.word.value().trim() != word {
                return Err(t!(
                    lang,
                    "This is a live key: type {word} to confirm.",
                    "Esta es una key de producción: escribe {word} para confirmar."
                ));
            }
        }
        match self.kind {
            WriteKind::MarkPaid => {
                let code = self.chosen_form().ok_or_else(|| {
                    lang.pick(
                        "Choose a payment form (99 «por definir» is not allowed when money arrived).",
                        "Elige una forma de pago (99 «por definir» no se permite cuando llegó el dinero).",
                    )
                    .to_string()
                })?;
                let date = parse_date(self.date.value(), lang)?;
                Ok(WriteRequest::MarkPaid {
                    payment_id: self.object_id.clone(),
                    payment_form: code,
                    date,
                })
            }
            WriteKind::Refund => {
                let amount = self.typed_amount()?;
                if amount <= Decimal::ZERO {
                    return err(
                        "The refund must be more than zero.",
                        "El reembolso debe ser mayor que cero.",
                    );
                }
                if amount > self.refundable {
                    let most = Amount(self.refundable).display(&self.currency);
                    return Err(t!(
                        lang,
                        "At most {most} can be refunded (paid minus earlier refunds).",
                        "Se puede reembolsar a lo más {most} (lo pagado menos reembolsos previos)."
                    ));
                }
                let reason = self.reason.value().trim();
                Ok(WriteRequest::Refund {
                    payment_id: self.object_id.clone(),
                    amount,
                    reason: (!reason.is_empty()).then(|| reason.to_string()),
                })
            }
            WriteKind::CancelPayment => Ok(WriteRequest::CancelPayment {
                payment_id: self.object_id.clone(),
            }),
            WriteKind::StampReceipts => Ok(WriteRequest::StampReceipts {
                client_id: self.object_id.clone(),
            }),
            WriteKind::StampReceipt => Ok(WriteRequest::StampReceipt {
                receipt_id: self.object_id.clone(),
            }),
            WriteKind::CancelReceipt => Ok(WriteRequest::CancelReceipt {
                receipt_id: self.object_id.clone(),
            }),
            WriteKind::IssueComplement => {
                let amount = self.typed_amount()?;
                if amount <= Decimal::ZERO {
                    return err(
                        "The complement must be for more than zero.",
                        "El complemento debe ser por más de cero.",
                    );
                }
                if amount > self.refundable {
                    let most = Amount(self.refundable).display(&self.currency);
                    return Err(t!(
                        lang,
                        "The invoice owes {most}: a complement cannot be for more.",
                        "La factura debe {most}: un complemento no puede ser por más."
                    ));
                }
                let code = self.chosen_form().ok_or_else(|| {
                    lang.pick(
                        "Choose the payment form the money came by (never 99).",
                        "Elige la forma en que llegó el dinero (nunca 99).",
                    )
                    .to_string()
                })?;
                let date = parse_date(self.date.value(), lang)?;
                Ok(WriteRequest::IssueComplement {
                    invoice_uuid: self.object_id.clone(),
                    amount,
                    payment_form: code,
                    date,
                })
            }
            WriteKind::CancelInvoice => {
                let motive = MOTIVES[self.motive.min(3)].0.to_string();
                let substitution = if motive == "01" && !self.bulk.is_empty() {
                    return err(
                        "Motive 01 needs a replacing invoice for each one: cancel those one by one.",
                        "El motivo 01 necesita una factura que sustituya a cada una: cancélalas una por una.",
                    );
                } else if motive == "01" {
                    let s = self.substitution.value().trim().to_lowercase();
                    if uuid::Uuid::parse_str(&s).is_err() {
                        return err(
                            "Motive 01 needs the UUID of the replacing invoice (type it or pick one with ↑↓).",
                            "El motivo 01 necesita el UUID de la factura que la sustituye (escríbelo o elige uno con ↑↓).",
                        );
                    }
                    if s == self.object_id.to_lowercase() {
                        return err(
                            "An invoice cannot replace itself.",
                            "Una factura no puede sustituirse a sí misma.",
                        );
                    }
                    if !self.substitution_choices.is_empty()
                        && !self
                            .substitution_choices
                            .iter()
                            .any(|(u, _)| u.to_lowercase() == s)
                    {
                        return err(
                            "The replacing invoice must be a valid invoice of this team for the same client.",
                            "La factura que sustituye debe ser una factura vigente de este equipo para el mismo cliente.",
                        );
                    }
                    Some(s)
                } else {
                    None
                };
                Ok(WriteRequest::CancelInvoice {
                    uuid: self.object_id.clone(),
                    motive,
                    substitution,
                })
            }
        }
    }

    /// The amount typed (`$1,450.50` reads as 1450.50).
    fn typed_amount(&self) -> Result<Decimal, String> {
        let text = self.amount.value().trim().replace([',', '$'], "");
        Decimal::from_str(&text).map_err(|_| {
            t!(
                self.lang,
                "«{}» is not an amount.",
                "«{}» no es un monto.",
                self.amount.value()
            )
        })
    }

    /// The payment form chosen in the list (never 99), if the filter left one.
    fn chosen_form(&self) -> Option<String> {
        let forms = self.forms();
        forms
            .get(self.form_index.min(forms.len().saturating_sub(1)))
            .map(|(code, _)| code.to_string())
    }
}

/// `2026-11-28` or `28/11/2026` → epoch seconds at noon, Mexico City (a date, not an
/// instant). Both forms are read in either language; the separator tells them apart.
pub fn parse_date(text: &str, lang: Lang) -> Result<i64, String> {
    let text = text.trim();
    let d = if text.contains('/') {
        jiff::civil::Date::strptime("%d/%m/%Y", text).ok()
    } else {
        text.parse::<jiff::civil::Date>().ok()
    }
    .ok_or_else(|| {
        t!(
            lang,
            "«{text}» is not a date; use YYYY-MM-DD.",
            "«{text}» no es una fecha; usa DD/MM/AAAA."
        )
    })?;
    d.at(12, 0, 0, 0)
        .to_zoned(crate::api::time::mexico_city().clone())
        .map(|z| z.timestamp().as_second())
        .map_err(|e| t!(lang, "invalid date: {e}", "fecha inválida: {e}"))
}
