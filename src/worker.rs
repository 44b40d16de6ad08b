//! The background worker: owns the API client (and through it the per-team cache), runs
//! the app's requests, and answers with updates tagged `(team, generation)`. Only the
//! newest load per (team, dataset) survives; a team switch cancels other teams' loads.

use std::collections::HashMap;
use std::sync::Arc;

use futures::StreamExt;
use serde::de::DeserializeOwned;
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender};
use tokio_util::sync::CancellationToken;

use crate::api::{
    ApiClient, ApiError, CancelInvoice, CancellationStatus, IdempotencyKey, ListQuery, MarkPaid,
    RefundRequest, Resource, TeamId,
};
use crate::app::actions::WriteRequest;
use crate::app::rows::{ClientRow, InvoiceRow, PaymentRow};
use crate::app::{Dataset, Detail, Generation, Request, Rows, Update, WriteResult};
use crate::audit::{AuditEntry, AuditLog};

fn resource(d: Dataset) -> Resource {
    match d {
        Dataset::Clients => Resource::Clients,
        Dataset::Invoices => Resource::IncomeInvoices,
        Dataset::Payments => Resource::Payments,
    }
}

struct InFlight {
    generation: Generation,
    token: CancellationToken,
}

pub struct Worker {
    client: ApiClient,
    demo: bool,
    tx: UnboundedSender<Update>,
    loads: HashMap<(TeamId, Dataset), InFlight>,
    audit: AuditLog,
    /// How often a pending cancellation is rechecked.
    recheck: std::time::Duration,
    downloads: std::path::PathBuf,
    /// Teams the config makes read-only: writes to them are refused here too.
    read_only_teams: std::collections::BTreeSet<TeamId>,
}

impl Worker {
    pub fn new(client: ApiClient, demo: bool, tx: UnboundedSender<Update>) -> Self {
        Worker {
            client,
            demo,
            tx,
            loads: HashMap::new(),
            audit: AuditLog::new(AuditLog::default_path()),
            recheck: std::time::Duration::from_secs(5),
            downloads: default_download_base(),
            read_only_teams: Default::default(),
        }
    }

    pub fn with_read_only_teams(mut self, teams: impl IntoIterator<Item = TeamId>) -> Self {
        self.read_only_teams = teams.into_iter().collect();
        self
    }

    /// Invoice files go under `base/<team>/`.
    pub fn with_downloads(mut self, base: std::path::PathBuf) -> Self {
        self.downloads = base;
        self
    }

    pub fn with_audit(mut self, audit: AuditLog) -> Self {
        self.audit = audit;
        self
    }

    pub async fn run(mut self, mut rx: UnboundedReceiver<Request>) {
        let info = self.client.key_info().clone();
        let _ = self.tx.send(Update::Connected {
            own_team: info.team.clone(),
            live: info.is_live(),
            demo: self.demo,
            base_url: self.client.base_url().to_string(),
        });
        while let Some(req) = rx.recv().await {
            match req {
                Request::Quit => break,
                Request::RememberTeam { .. } | Request::Copy { .. } => {}
                Request::ExportTable {
                    team_name,
                    name,
                    csv,
                } => {
                    let stamp = jiff::Timestamp::now()
                        .to_zoned(crate::api::time::mexico_city().clone())
                        .strftime("%Y%m%d-%H%M%S")
                        .to_string();
                    let path =
                        team_dir(&self.downloads, &team_name).join(format!("{name}-{stamp}.csv"));
                    let result = crate::paths::write_atomic(&path, &csv)
                        .map(|_| path.clone())
                        .map_err(|e| format!("cannot write {}: {e}", path.display()));
                    let _ = self.tx.send(Update::Exported { result });
                }
                Request::Download {
                    team,
                    team_name,
                    uuid,
                    folio,
                } => {
                    let (client, tx) = (self.client.clone(), self.tx.clone());
                    let dir = team_dir(&self.downloads, &team_name);
                    tokio::spawn(download(client, tx, team, dir, uuid, folio));
                }
                Request::Write {
                    team,
                    team_name,
                    request,
                    idempotency_key,
                    client,
                    amount,
                    currency,
                } => {
                    let write = Write {
                        read_only: self.read_only_teams.contains(&team),
                        client: self.client.clone(),
                        tx: self.tx.clone(),
                        audit: self.audit.clone(),
                        recheck: self.recheck,
                        team,
                        team_name,
                        request,
                        key: IdempotencyKey(idempotency_key),
                        who: client,
                        amount,
                        currency,
                    };
                    tokio::spawn(write.run());
                }
                Request::LoadTeams => {
                    let (client, tx) = (self.client.clone(), self.tx.clone());
                    tokio::spawn(async move {
                        let _ = tx.send(Update::Teams(client.list_teams().await));
                    });
                }
                Request::FocusTeam { team } => {
                    self.loads.retain(|(t, _), f| {
                        let keep = *t == team;
                        if !keep {
                            f.token.cancel();
                        }
                        keep
                    });
                }
                Request::Load {
                    team,
                    generation,
                    dataset,
                    force,
                } => self.load(team, generation, dataset, force),
                Request::Detail {
                    team,
                    generation,
                    dataset,
                    id,
                } => {
                    let (client, tx) = (self.client.clone(), self.tx.clone());
                    tokio::spawn(async move {
                        let result = match dataset {
                            Dataset::Clients => client
                                .get_client(&team, &id)
                                .await
                                .map(|c| Detail::Client(Box::new(c))),
                            Dataset::Invoices => client
                                .get_invoice(&team, &id)
                                .await
                                .map(|i| Detail::Invoice(Box::new(i))),
                            Dataset::Payments => client
                                .get_payment(&team, &id)
                                .await
                                .map(|p| Detail::Payment(Box::new(p))),
                        };
                        let _ = tx.send(Update::Detail {
                            team,
                            generation,
                            result,
                        });
                    });
                }
            }
        }
        for f in self.loads.values() {
            f.token.cancel();
        }
    }

    fn load(&mut self, team: TeamId, generation: Generation, dataset: Dataset, force: bool) {
        let key = (team.clone(), dataset);
        if let Some(f) = self.loads.get(&key)
            && !f.token.is_cancelled()
            && f.generation == generation
            && !force
        {
            // The same load is already running for this generation: suppress the duplicate.
            return;
        }
        if let Some(old) = self.loads.remove(&key) {
            old.token.cancel();
        }
        let token = CancellationToken::new();
        self.loads.insert(
            key,
            InFlight {
                generation,
                token: token.clone(),
            },
        );
        let job = Job {
            client: self.client.clone(),
            tx: self.tx.clone(),
            team,
            generation,
            force,
        };
        tokio::spawn(async move {
            tokio::select! {
                _ = token.cancelled() => {}
                _ = job.run(dataset) => {}
            }
        });
    }
}

struct Job {
    client: ApiClient,
    tx: UnboundedSender<Update>,
    team: TeamId,
    generation: Generation,
    force: bool,
}

impl Job {
    async fn run(self, dataset: Dataset) {
        match dataset {
            Dataset::Clients => {
                self.stream(dataset, ClientRow::from_api, Rows::Clients)
                    .await
            }
            Dataset::Invoices => {
                self.stream(dataset, InvoiceRow::from_api, Rows::Invoices)
                    .await
            }
            Dataset::Payments => {
                self.stream(dataset, PaymentRow::from_api, Rows::Payments)
                    .await
            }
        }
    }

    /// Cache first (stale-while-revalidate), then every page from the network, converted
    /// to rows as it arrives; the complete set goes to the cache and to the app.
    async fn stream<T, R>(
        &self,
        dataset: Dataset,
        convert: fn(&T) -> R,
        wrap: fn(Arc<Vec<R>>) -> Rows,
    ) where
        T: DeserializeOwned + Send + 'static,
        R: Clone + Send + Sync + 'static,
    {
        let res = resource(dataset);
        let query = ListQuery::default();
        let now = || jiff::Timestamp::now().as_second();
        if !self.force
            && let Some(c) = self.client.cached::<R>(&self.team, res, &query)
        {
            let _ = self.tx.send(self.page(
                wrap(c.value),
                true,
                c.fresh,
                None,
                now(),
                Some(c.age.as_secs()),
            ));
            if c.fresh {
                return;
            }
        }
        let mut all: Vec<R> = Vec::new();
        let mut first = true;
        let mut total = None;
        let mut pages = std::pin::pin!(self.client.list_all::<T>(
            self.team.clone(),
            res,
            query.clone()
        ));
        while let Some(page) = pages.next().await {
            match page {
                Ok(p) => {
                    total = p.total_results.or(total);
                    let rows: Vec<R> = p.items.iter().map(convert).collect();
                    let last = !p.has_more;
                    if !last {
                        let _ = self.tx.send(self.page(
                            wrap(Arc::new(rows.clone())),
                            first,
                            false,
                            total,
                            now(),
                            None,
                        ));
                    }
                    all.extend(rows);
                    first = false;
                }
                Err(error) => {
                    let _ = self.tx.send(Update::LoadFailed {
                        team: self.team.clone(),
                        generation: self.generation,
                        dataset,
                        error,
                    });
                    return;
                }
            }
        }
        let all = Arc::new(all);
        self.client.cache_put(&self.team, res, &query, all.clone());
        let _ = self
            .tx
            .send(self.page(wrap(all), first, true, total, now(), None));
    }

    fn page(
        &self,
        rows: Rows,
        first: bool,
        done: bool,
        total: Option<u64>,
        now: i64,
        cached_age: Option<u64>,
    ) -> Update {
        Update::Page {
            team: self.team.clone(),
            generation: self.generation,
            rows,
            first,
            done,
            total,
            now,
            cached_age,
        }
    }
}

/// One confirmed write: sent with its idempotency key (the client retries with the same
/// key), audited, answered to the app, and for a pending cancellation rechecked until the
/// receiver answers.
struct Write {
    read_only: bool,
    client: ApiClient,
    tx: UnboundedSender<Update>,
    audit: AuditLog,
    recheck: std::time::Duration,
    team: TeamId,
    team_name: String,
    request: WriteRequest,
    key: IdempotencyKey,
    who: String,
    amount: String,
    currency: String,
}

impl Write {
    async fn run(self) {
        let t = &self.team;
        let result = match &self.request {
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
        };
        self.record(&result);
        let pending = matches!(&result, Ok(WriteResult::Invoice(i)) if i.cancellation_status == Some(CancellationStatus::Pending));
        let _ = self.tx.send(Update::WriteDone {
            team: self.team.clone(),
            request: self.request.clone(),
            result,
        });
        if pending {
            self.recheck_cancellation().await;
        }
    }

    fn record(&self, result: &Result<WriteResult, ApiError>) {
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
        };
        let outcome = match result {
            Ok(WriteResult::Payment(p)) => Some(p.status().to_string()),
            Ok(WriteResult::Invoice(i)) => Some(match &i.cancellation_status {
                Some(c) => format!("{} (cancellation {c})", i.status()),
                None => i.status().to_string(),
            }),
            Err(_) => None,
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
            result: match result {
                Ok(_) => "ok",
                Err(e) => e.kind(),
            },
            error: result.as_ref().err().map(|e| e.to_string()),
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

/// `GIGDASH_DOWNLOAD_DIR`, else `~/Downloads/gigdash`.
pub fn default_download_base() -> std::path::PathBuf {
    std::env::var_os("GIGDASH_DOWNLOAD_DIR")
        .map(std::path::PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME").map(|h| {
                std::path::PathBuf::from(h)
                    .join("Downloads")
                    .join("gigdash")
            })
        })
        .unwrap_or_else(|| std::path::PathBuf::from("gigdash-downloads"))
}

/// The team's own folder, its name made safe for a path.
pub fn team_dir(base: &std::path::Path, team_name: &str) -> std::path::PathBuf {
    let safe: String = team_name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    base.join(if safe.is_empty() {
        "team".to_string()
    } else {
        safe
    })
}

/// Fetches the PDF and XML links, downloads each (without the key: they are pre-signed),
/// and writes them atomically, reporting progress.
async fn download(
    client: ApiClient,
    tx: UnboundedSender<Update>,
    team: TeamId,
    dir: std::path::PathBuf,
    uuid: String,
    folio: String,
) {
    let result = async {
        let files = client
            .invoice_files(&team, &uuid)
            .await
            .map_err(|e| e.to_string())?;
        let stem: String = if folio.is_empty() {
            uuid.clone()
        } else {
            format!("{folio}_{uuid}")
        };
        let mut saved = Vec::new();
        for (ext, url) in [("pdf", files.pdf()), ("xml", files.xml())] {
            let Some(url) = url else { continue };
            let bytes = client.download(url).await.map_err(|e| e.to_string())?;
            let path = dir.join(format!("{stem}.{ext}"));
            crate::paths::write_atomic(&path, &bytes)
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
            saved.push(path);
            let _ = tx.send(Update::Download {
                uuid: uuid.clone(),
                done: saved.len(),
                result: None,
            });
        }
        if saved.is_empty() {
            return Err("gigstack returned no file links for this invoice".to_string());
        }
        Ok(saved)
    }
    .await;
    let _ = tx.send(Update::Download {
        uuid,
        done: 2,
        result: Some(result),
    });
}
