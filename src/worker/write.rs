//! One confirmed write: sent with its idempotency key, audited, answered to the app, and a
//! pending cancellation rechecked until the receiver answers.

use tokio::sync::mpsc::UnboundedSender;

use super::shape::{Invoices, Payments, Receipts};
use crate::api::{
    ApiClient, ApiError, CancelInvoice, CancellationStatus, IdempotencyKey, MarkPaid,
    RefundRequest, Resource, TeamId,
};
use crate::app::dialogs::kinds::WriteRequest;
use crate::app::{Update, WriteResult};
use crate::audit::{AuditEntry, AuditLog};

/// One confirmed write: sent with its idempotency key (the client retries with the same
/// key), audited, answered to the app, and for a pending cancellation rechecked until the
/// receiver answers.
#[derive(Clone)]
pub(super) struct Write {
    pub(super) read_only: bool,
    pub(super) client: ApiClient,
    pub(super) tx: UnboundedSender<Update>,
    pub(super) audit: AuditLog,
    pub(super) recheck: std::time::Duration,
    pub(super) team: TeamId,
    pub(super) team_name: String,
    pub(super) request: WriteRequest,
    pub(super) key: IdempotencyKey,
    pub(super) who: String,
    pub(super) amount: String,
    pub(super) currency: String,
    /// The store: what a write changed is kept as soon as the API answers.
    pub(super) kept: super::kept::Kept,
}

/// Writes sent and not yet answered, by idempotency key: what quitting must wait for, and
/// records as "outcome unknown" if it cannot.
pub(super) type OpenWrites =
    std::sync::Arc<std::sync::Mutex<std::collections::BTreeMap<String, Write>>>;

/// How long quitting waits for writes in flight.
pub(super) const QUIT_GRACE: std::time::Duration = std::time::Duration::from_secs(4);

impl Write {
    pub(super) async fn run(self, open: OpenWrites) {
        if !self.read_only {
            // Before anything leaves: if gigdash dies mid-write, the log still says it
            // was sent.
            self.record(Phase::Sent, None);
            lock(&open).insert(self.key.as_str().to_string(), self.clone());
        }
        let result = self.send().await;
        let unknown = matches!(&result, Err(e) if e.is_transient());
        self.record(
            if unknown {
                Phase::Unknown
            } else {
                Phase::Answered
            },
            Some(&result),
        );
        lock(&open).remove(self.key.as_str());
        match &result {
            Ok(WriteResult::Payment(p)) => self.kept.keep_one::<Payments>(&self.team, p),
            Ok(WriteResult::Invoice(i))
                if !matches!(self.request, WriteRequest::IssueComplement { .. }) =>
            {
                self.kept.keep_one::<Invoices>(&self.team, i)
            }
            Ok(WriteResult::Receipt(r)) => self.kept.keep_one::<Receipts>(&self.team, r),
            Ok(WriteResult::Invoice(_)) | Ok(WriteResult::Receipts(_)) | Err(_) => {}
        }
        let pending = matches!(&result, Ok(WriteResult::Invoice(i)) if i.cancellation_status == Some(CancellationStatus::Pending));
        let _ = self.tx.send(Update::WriteDone {
            team: self.team.clone(),
            request: self.request.clone(),
            result,
        });
        if pending {
            // Not part of the write: quitting does not wait for the receiver.
            tokio::spawn(async move { self.recheck_cancellation().await });
        }
    }

    /// Quitting with this write still unanswered.
    pub(super) fn abandon(&self) {
        let e = ApiError::Network {
            message: "gigdash quit before the answer arrived".into(),
        };
        self.record(Phase::Unknown, Some(&Err(e)));
    }

    async fn send(&self) -> Result<WriteResult, ApiError> {
        let t = &self.team;
        match &self.request {
            _ if self.read_only => Err(ApiError::ReadOnly),
            WriteRequest::MarkPaid {
                payment_id,
                payment_form,
                date,
            } => self
                .client
                .mark_paid(
                    t,
                    payment_id,
                    &MarkPaid {
                        payment_form: payment_form.clone(),
                        date: Some(*date),
                    },
                    &self.key,
                )
                .await
                .map(|p| WriteResult::Payment(Box::new(p))),
            WriteRequest::Refund {
                payment_id,
                amount,
                reason,
            } => self
                .client
                .refund(
                    t,
                    payment_id,
                    &RefundRequest {
                        amount: Some(crate::api::Amount(*amount)),
                        reason: reason.clone(),
                    },
                    &self.key,
                )
                .await
                .map(|p| WriteResult::Payment(Box::new(p))),
            WriteRequest::CancelPayment { payment_id } => self
                .client
                .cancel_payment(t, payment_id, &self.key)
                .await
                .map(|p| WriteResult::Payment(Box::new(p))),
            WriteRequest::CancelInvoice {
                uuid,
                motive,
                substitution,
            } => self
                .client
                .cancel_invoice(
                    t,
                    uuid,
                    &CancelInvoice {
                        motive: motive.clone(),
                        substitution_uuid: substitution.clone(),
                    },
                    &self.key,
                )
                .await
                .map(|i| WriteResult::Invoice(Box::new(i))),
            WriteRequest::IssueComplement {
                invoice_uuid,
                amount,
                payment_form,
                date,
            } => self
                .client
                .create_complement(
                    t,
                    &crate::api::NewComplement {
                        invoice_id: invoice_uuid.clone(),
                        amount: crate::api::Amount(*amount),
                        payment_form: payment_form.clone(),
                        date: Some(*date),
                    },
                    &self.key,
                )
                .await
                .map(|i| WriteResult::Invoice(Box::new(i))),
            WriteRequest::StampReceipts { client_id } => self
                .client
                .stamp_pending_receipts(t, client_id, &self.key)
                .await
                .map(WriteResult::Receipts),
            WriteRequest::StampReceipt { receipt_id } => self
                .client
                .stamp_receipt(t, receipt_id, &self.key)
                .await
                .map(|r| WriteResult::Receipt(Box::new(r))),
            WriteRequest::CancelReceipt { receipt_id } => self
                .client
                .cancel_receipt(t, receipt_id, &self.key)
                .await
                .map(|r| WriteResult::Receipt(Box::new(r))),
        }
    }

    fn record(&self, phase: Phase, result: Option<&Result<WriteResult, ApiError>>) {
        let info = self.client.key_info();
        let (motive, substitution, form, amount) = match &self.request {
            WriteRequest::CancelInvoice {
                motive,
                substitution,
                ..
            } => (Some(motive.as_str()), substitution.as_deref(), None, None),
            WriteRequest::MarkPaid { payment_form, .. } => {
                (None, None, Some(payment_form.as_str()), None)
            }
            WriteRequest::Refund { amount, .. } => {
                (None, None, None, Some(amount.normalize().to_string()))
            }
            WriteRequest::CancelPayment { .. } => (None, None, None, None),
            WriteRequest::IssueComplement {
                payment_form,
                amount,
                ..
            } => (
                None,
                None,
                Some(payment_form.as_str()),
                Some(amount.normalize().to_string()),
            ),
            WriteRequest::StampReceipts { .. }
            | WriteRequest::StampReceipt { .. }
            | WriteRequest::CancelReceipt { .. } => (None, None, None, None),
        };
        let outcome = match result {
            Some(Ok(WriteResult::Payment(p))) => Some(p.status().to_string()),
            Some(Ok(WriteResult::Invoice(i))) => Some(match &i.cancellation_status {
                Some(c) => format!("{} (cancellation {c})", i.status()),
                None => i.status().to_string(),
            }),
            Some(Ok(WriteResult::Receipt(r))) => {
                Some(r.status.as_ref().map(|s| s.to_string()).unwrap_or_default())
            }
            Some(Ok(WriteResult::Receipts(r))) => Some(format!(
                "stamped {}, failed {}, remaining {}",
                r.stamped, r.failed, r.remaining
            )),
            _ => None,
        };
        let entry = AuditEntry {
            time: jiff::Timestamp::now().to_string(),
            key_id: info.key_id.as_deref(),
            livemode: info.livemode,
            team_id: self.team.as_str(),
            team_name: &self.team_name,
            action: self.request.kind().slug(),
            object_id: self.request.object_id(),
            client: &self.who,
            amount: amount.or_else(|| Some(self.amount.clone())),
            currency: &self.currency,
            motive,
            substitution_uuid: substitution,
            payment_form: form,
            idempotency_key: self.key.as_str(),
            phase: phase.word(),
            result: match (phase, result) {
                (Phase::Sent, _) => "sent",
                (Phase::Unknown, _) => "outcome_unknown",
                (_, Some(Ok(_))) => "ok",
                (_, Some(Err(e))) => e.kind(),
                (_, None) => "",
            },
            error: result.and_then(|r| r.as_ref().err()).map(|e| e.to_string()),
            outcome,
        };
        if let Err(e) = self.audit.append(&entry) {
            tracing::error!(
                "cannot write the audit log {}: {e}",
                self.audit.path().display()
            );
        }
    }

    /// Polls a pending cancellation until the receiver accepts or rejects (or an hour).
    async fn recheck_cancellation(&self) {
        let WriteRequest::CancelInvoice { uuid, .. } = &self.request else {
            return;
        };
        for _ in 0..720 {
            tokio::time::sleep(self.recheck).await;
            match self.client.get_invoice(&self.team, uuid).await {
                Ok(inv) if inv.cancellation_status != Some(CancellationStatus::Pending) => {
                    self.client
                        .cache()
                        .invalidate(&self.team, &[Resource::IncomeInvoices]);
                    self.kept.keep_one::<Invoices>(&self.team, &inv);
                    let _ = self.tx.send(Update::InvoiceChanged {
                        team: self.team.clone(),
                        invoice: Box::new(inv),
                    });
                    return;
                }
                _ => {}
            }
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Phase {
    Sent,
    Answered,
    Unknown,
}

impl Phase {
    fn word(self) -> &'static str {
        match self {
            Phase::Sent => "sent",
            Phase::Answered => "answered",
            Phase::Unknown => "unknown",
        }
    }
}

fn lock<T>(m: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}
