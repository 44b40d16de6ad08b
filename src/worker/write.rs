//! One confirmed write: sent with its idempotency key, audited, answered to the app, and a
//! pending cancellation rechecked until the receiver answers. A write leaves only once the
//! audit log holds its `sent` line, written at the moment it leaves (after the rate limit
//! and the request slots), so a write still queued when gigdash quits is `not sent`.

use tokio::sync::mpsc::UnboundedSender;

use super::shape::{Invoices, Payments, Receipts};
use crate::api::{
    ApiClient, ApiError, CancelInvoice, CancellationStatus, IdempotencyKey, MarkPaid,
    RefundRequest, Resource, TeamId,
};
use crate::app::dialogs::kinds::{
    BranchMade, BranchStep, CreateBody, NewBranch, TeamWrite, WriteRequest,
};
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
    /// Where the write is on its way out; shared by the clones of one write.
    pub(super) leg: std::sync::Arc<std::sync::Mutex<Leg>>,
}

/// Where a write is: waiting its turn, gone out (its `sent` line written), or stopped
/// unsent because gigdash was quitting.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) enum Leg {
    #[default]
    Queued,
    Sent,
    Stopped,
}

/// Writes started and not yet answered, by idempotency key: quitting stops the queued ones
/// (recorded as "not sent"), waits for those that left, and records those still without an
/// answer as "outcome unknown".
pub(super) type OpenWrites =
    std::sync::Arc<std::sync::Mutex<std::collections::BTreeMap<String, Write>>>;

/// How long quitting waits for writes in flight.
pub(super) const QUIT_GRACE: std::time::Duration = std::time::Duration::from_secs(4);

impl Write {
    pub(super) async fn run(self, open: OpenWrites) {
        if !self.read_only {
            lock(&open).insert(self.key.as_str().to_string(), self.clone());
        }
        let result = self.send().await;
        lock(&open).remove(self.key.as_str());
        let leg = *lock(&self.leg);
        // Stopped: quitting already wrote its `not sent` line.
        if leg != Leg::Stopped {
            let unknown = leg == Leg::Sent && matches!(&result, Err(e) if e.is_transient());
            self.record(
                if unknown {
                    Phase::Unknown
                } else {
                    Phase::Answered
                },
                Some(&result),
            );
        }
        match &result {
            Ok(WriteResult::Payment(p)) => self.kept.keep_one::<Payments>(&self.team, p),
            Ok(WriteResult::Invoice(i))
                if !matches!(self.request, WriteRequest::IssueComplement { .. }) =>
            {
                self.kept.keep_one::<Invoices>(&self.team, i)
            }
            Ok(WriteResult::Receipt(r)) => self.kept.keep_one::<Receipts>(&self.team, r),
            Ok(WriteResult::Invoice(_))
            | Ok(WriteResult::Receipts(_))
            | Ok(WriteResult::Draft(_))
            | Ok(WriteResult::Client(..))
            | Ok(WriteResult::Deleted)
            | Ok(WriteResult::Team(_))
            | Ok(WriteResult::Branch(_))
            | Err(_) => {}
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

    /// Right before the request goes out (every wait behind it): the `sent` line first,
    /// and no request without it. A retry of a write that left goes out again (the same
    /// idempotency key); a write stopped by quitting never does.
    fn leave(&self) -> Result<(), ApiError> {
        let mut leg = lock(&self.leg);
        match *leg {
            Leg::Sent => Ok(()),
            Leg::Stopped => Err(ApiError::Quitting),
            Leg::Queued => {
                self.try_record(Phase::Sent, None)
                    .map_err(|e| ApiError::AuditUnwritable {
                        path: crate::text::printable(&self.audit.path().display().to_string()),
                        message: crate::text::printable(&e.to_string()),
                    })?;
                *leg = Leg::Sent;
                Ok(())
            }
        }
    }

    /// Quitting: a write still waiting its turn is stopped, and recorded as `not sent`.
    /// True when it was stopped; false when it had already left.
    pub(super) fn stop_if_queued(&self) -> bool {
        let mut leg = lock(&self.leg);
        if *leg != Leg::Queued {
            return false;
        }
        *leg = Leg::Stopped;
        self.record(Phase::NotSent, Some(&Err(ApiError::Quitting)));
        true
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
        let this = self.clone();
        let client = self
            .client
            .before_send(std::sync::Arc::new(move || this.leave()));
        match &self.request {
            _ if self.read_only => Err(ApiError::ReadOnly),
            WriteRequest::MarkPaid {
                payment_id,
                payment_form,
                date,
            } => client
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
            } => client
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
            WriteRequest::CancelPayment { payment_id } => client
                .cancel_payment(t, payment_id, &self.key)
                .await
                .map(|p| WriteResult::Payment(Box::new(p))),
            WriteRequest::CancelInvoice {
                uuid,
                motive,
                substitution,
            } => client
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
            } => client
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
            WriteRequest::StampReceipts { client_id } => client
                .stamp_pending_receipts(t, client_id, &self.key)
                .await
                .map(WriteResult::Receipts),
            WriteRequest::StampReceipt { receipt_id } => client
                .stamp_receipt(t, receipt_id, &self.key)
                .await
                .map(|r| WriteResult::Receipt(Box::new(r))),
            WriteRequest::CancelReceipt { receipt_id } => client
                .cancel_receipt(t, receipt_id, &self.key)
                .await
                .map(|r| WriteResult::Receipt(Box::new(r))),
            WriteRequest::Create(c) => {
                self.services_still_there(&c.services).await?;
                self.create(&client, &c.body).await
            }
            WriteRequest::Team { write, .. } => {
                let k = &self.key;
                match write {
                    TeamWrite::AddMember { user, role } => {
                        client.add_member(t, user, role, k).await
                    }
                    TeamWrite::RemoveMember { user } => client.remove_member(t, user, k).await,
                    TeamWrite::CreateSeries { series } => client.create_series(t, series, k).await,
                    TeamWrite::ApplySetting { patch, .. } => {
                        client.update_settings(t, patch.clone(), k).await
                    }
                }
                .map(|v| WriteResult::Team(Box::new(v)))
            }
        }
    }

    /// A new branch's steps, one request each with its own key (derived from the form's, so
    /// a `:retry` of the same step is the same request), every one tried whatever the one
    /// before it came to.
    async fn branch_steps(
        &self,
        client: &ApiClient,
        team: TeamId,
        name: String,
        steps: &[BranchStep],
    ) -> WriteResult {
        let mut done = Vec::new();
        let mut url = None;
        for step in steps {
            let key = IdempotencyKey(step.key(self.key.as_str()));
            let result = match step {
                BranchStep::Settings { settings, .. } => client
                    .update_settings(&team, settings.clone(), &key)
                    .await
                    .map(|_| ()),
                BranchStep::Series(s) => match client.create_series(&team, s, &key).await {
                    // Already there (an earlier try made it): done.
                    Err(ApiError::Conflict { code: Some(c), .. }) if c == "series_exists" => Ok(()),
                    r => r.map(|_| ()),
                },
                BranchStep::Member { user, role } => {
                    client.add_member(&team, user, role, &key).await.map(|_| ())
                }
                BranchStep::Onboarding => client.onboarding_url(&team).await.map(|u| {
                    url = Some(u);
                }),
            };
            done.push((step.clone(), result));
        }
        WriteResult::Branch(Box::new(BranchMade {
            team,
            name,
            steps: done,
            url,
        }))
    }

    /// The services the items were filled from, read again before anything is sent: one
    /// deleted since it was picked is refused here, naming its item, and nothing leaves.
    async fn services_still_there(
        &self,
        services: &[(usize, String, String)],
    ) -> Result<(), ApiError> {
        for (n, id, name) in services {
            match self.client.get_service(&self.team, id).await {
                Ok(_) => {}
                Err(ApiError::NotFound { .. }) => {
                    let name = crate::text::printable(name);
                    let message = format!(
                        "items[{}]: the service «{name}» was deleted in gigstack after it was picked; pick another or write the line freely",
                        n - 1
                    );
                    return Err(ApiError::Validation {
                        status: 404,
                        message: message.clone(),
                        details: vec![message],
                    });
                }
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    /// A create: its call, and for a new client SAT's check at once (a failed check is
    /// an answer, not a failed create: the client exists).
    async fn create(&self, client: &ApiClient, body: &CreateBody) -> Result<WriteResult, ApiError> {
        let (t, key) = (&self.team, &self.key);
        match body {
            CreateBody::RequestPayment(r) => client
                .request_payment(t, r, key)
                .await
                .map(|p| WriteResult::Payment(Box::new(p))),
            CreateBody::RegisterPayment(r) => client
                .register(t, r, key)
                .await
                .map(|p| WriteResult::Payment(Box::new(p))),
            CreateBody::DraftInvoice { id: None, invoice } => client
                .create_draft(t, invoice, key)
                .await
                .map(|d| WriteResult::Draft(Box::new(d))),
            CreateBody::DraftInvoice {
                id: Some(id),
                invoice,
            } => client
                .update_draft(t, id, invoice, key)
                .await
                .map(|d| WriteResult::Draft(Box::new(d))),
            CreateBody::StampDraft { id } => client
                .stamp_draft(t, id, key)
                .await
                .map(|i| WriteResult::Invoice(Box::new(i))),
            CreateBody::DeleteDraft { id } => client
                .delete_draft(t, id, key)
                .await
                .map(|()| WriteResult::Deleted),
            CreateBody::CreditNote(n) => client
                .create_egress(t, n, key)
                .await
                .map(|i| WriteResult::Invoice(Box::new(i))),
            CreateBody::NewBranch(b) => {
                let made = client.create_team(t, &new_team_body(b), key).await?;
                let id = made
                    .get("id")
                    .and_then(|v| v.as_str())
                    .map(|s| TeamId(s.to_string()))
                    .ok_or_else(|| ApiError::Decode {
                        message: "the new team has no `id`".into(),
                        excerpt: String::new(),
                    })?;
                Ok(self
                    .branch_steps(client, id, b.name.clone(), &b.steps)
                    .await)
            }
            CreateBody::FinishBranch { team, name, steps } => Ok(self
                .branch_steps(client, team.clone(), name.clone(), steps)
                .await),
            CreateBody::CreateClient(c) => {
                let made = client.create_client(t, c, key).await?;
                let check = client
                    .validate_client(t, &made.id)
                    .await
                    .unwrap_or(crate::api::FiscalCheck::Unknown);
                Ok(WriteResult::Client(Box::new(made), check))
            }
        }
    }

    /// One line in the audit log; a line that cannot be written is logged (the write's own
    /// `sent` line goes through `try_record`, which stops the write instead).
    fn record(&self, phase: Phase, result: Option<&Result<WriteResult, ApiError>>) {
        if let Err(e) = self.try_record(phase, result) {
            tracing::error!(
                "cannot write the audit log {}: {e}",
                self.audit.path().display()
            );
        }
    }

    fn try_record(
        &self,
        phase: Phase,
        result: Option<&Result<WriteResult, ApiError>>,
    ) -> std::io::Result<()> {
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
            | WriteRequest::CancelReceipt { .. }
            | WriteRequest::Team { .. } => (None, None, None, None),
            WriteRequest::Create(c) => match &c.body {
                CreateBody::RegisterPayment(r) => (None, None, Some(r.payment_form.as_str()), None),
                CreateBody::DraftInvoice { invoice: i, .. } | CreateBody::CreditNote(i) => {
                    (None, None, Some(i.payment_form.as_str()), None)
                }
                _ => (None, None, None, None),
            },
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
            Some(Ok(WriteResult::Draft(d))) => Some(format!("draft {}", d.id)),
            Some(Ok(WriteResult::Client(c, check))) => Some(format!("client {} ({check:?})", c.id)),
            Some(Ok(WriteResult::Deleted)) => Some("deleted".into()),
            Some(Ok(WriteResult::Team(_))) => Some("done".into()),
            Some(Ok(WriteResult::Branch(b))) => Some(format!(
                "team {}; {} of {} steps done",
                b.team,
                b.steps.iter().filter(|(_, r)| r.is_ok()).count(),
                b.steps.len()
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
                (Phase::NotSent, _) => "not_sent",
                (_, Some(Ok(_))) => "ok",
                (_, Some(Err(e))) => e.kind(),
                (_, None) => "",
            },
            error: result.and_then(|r| r.as_ref().err()).map(|e| e.to_string()),
            outcome,
        };
        self.audit.append(&entry)
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
    NotSent,
}

impl Phase {
    fn word(self) -> &'static str {
        match self {
            Phase::Sent => "sent",
            Phase::Answered => "answered",
            Phase::Unknown => "unknown",
            Phase::NotSent => "not sent",
        }
    }
}

fn lock<T>(m: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// `POST /teams`'s body for a new branch (§7.3): its brand name, legal name, RFC, regime
/// and postal code.
fn new_team_body(b: &NewBranch) -> serde_json::Value {
    serde_json::json!({
        "brand": {"alias": b.name},
        "legal_name": b.legal_name,
        "tax_id": b.rfc,
        "tax_system": b.regime,
        "address": {"country": "MEX", "zip": b.zip},
    })
}
