//! The background worker: owns the API client (and through it the per-team cache), runs
//! the app's requests, and answers with updates tagged `(team, generation)`. Only the
//! newest load per (team, dataset) survives; a team switch cancels other teams' loads.

use std::collections::HashMap;

use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender};
use tokio_util::sync::CancellationToken;

use crate::api::{ApiClient, ApiError, IdempotencyKey, TeamId};
use crate::app::{Dataset, Detail, Generation, Request, Update};
use crate::audit::AuditLog;
use crate::i18n::Lang;
use crate::store::Store;
use kept::Kept;
use shape::{Clients, Invoices, Payments, Receipts};

mod changes;
pub use changes::{
    Found as FoundChanges, default_since, found as found_changes, items as change_items,
    labelled as labelled_changes,
};
pub use kept::SESSION_END;
mod branches;
pub use branches::configs as team_configs;
mod complements;
mod files;
mod fiscal;
mod forms;
mod group;
mod headless;
mod kept;
mod lists;
mod loading;
mod seen;
mod shape;
mod sharing;
mod sync;
mod write;

pub use complements::count_owed;
use files::download;
pub use files::{MAX_FILE_BYTES, default_download_base, team_dir};
pub use headless::{TeamSync, sync_teams};
use lists::listing;
use write::{OpenWrites, QUIT_GRACE, Write};

/// What became of the writes still open when the worker stopped.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WritesLeft {
    /// Still waiting their turn: stopped, never sent (the audit log says `not sent`).
    pub not_sent: usize,
    /// Sent, and no answer came before the grace ran out (`outcome unknown`).
    pub unknown: usize,
}

fn lock_open(
    open: &OpenWrites,
) -> std::sync::MutexGuard<'_, std::collections::BTreeMap<String, Write>> {
    open.lock().unwrap_or_else(|p| p.into_inner())
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
    /// The language rows are built in (dates and status labels).
    lang: Lang,
    /// Writes sent and not yet answered.
    open_writes: OpenWrites,
    /// The Group tab's load in progress (cancelled by a newer one or by leaving the tab).
    group: Option<CancellationToken>,
    branches: Option<CancellationToken>,
    /// The store (none with `--no-store`, `store = false` or the demo) and `--offline`.
    store: Option<std::sync::Arc<Store>>,
    offline_only: bool,
    kept: Kept,
}

impl Worker {
    pub fn new(client: ApiClient, demo: bool, tx: UnboundedSender<Update>) -> Self {
        Worker {
            client,
            demo,
            loads: HashMap::new(),
            audit: AuditLog::new(AuditLog::default_path()),
            recheck: std::time::Duration::from_secs(5),
            downloads: default_download_base(),
            read_only_teams: Default::default(),
            lang: Lang::En,
            open_writes: Default::default(),
            group: None,
            branches: None,
            store: None,
            offline_only: false,
            kept: Kept::new(None, false, tx.clone(), Lang::En),
            tx,
        }
    }

    /// Remember teams between runs in `store`; `offline_only`: never ask gigstack.
    pub fn with_store(mut self, store: Option<std::sync::Arc<Store>>, offline_only: bool) -> Self {
        self.store = store;
        self.offline_only = offline_only;
        self.kept = self.make_kept();
        self
    }

    fn make_kept(&self) -> Kept {
        Kept::new(
            self.store.clone(),
            self.offline_only,
            self.tx.clone(),
            self.lang,
        )
    }

    pub fn with_lang(mut self, lang: Lang) -> Self {
        self.lang = lang;
        self.kept = self.make_kept();
        self
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

    /// Runs until `Request::Quit` (or the app is gone); what became of the writes still
    /// open then is the answer.
    pub async fn run(mut self, mut rx: UnboundedReceiver<Request>) -> WritesLeft {
        let info = self.client.key_info().clone();
        let _ = self.tx.send(Update::Connected {
            own_team: info.team.clone(),
            live: info.is_live(),
            demo: self.demo,
            base_url: self.client.base_url().to_string(),
        });
        // Fault injection for the end-to-end test of a panicking task (tests/e2e_pty.rs):
        // built only with the `test-support` feature, which `cargo test` turns on.
        // Whether other gigdash of this host share the key's limit: said when it changes.
        sharing::watch(&self.client, &self.tx);
        #[cfg(feature = "test-support")]
        let panic_on_load = std::env::var_os("GIGDASH_FAULT_PANIC_IN_WORKER").is_some();
        while let Some(req) = rx.recv().await {
            #[cfg(feature = "test-support")]
            if panic_on_load && matches!(req, Request::Load { .. }) {
                tokio::spawn(async { panic!("injected by GIGDASH_FAULT_PANIC_IN_WORKER") });
            }
            match req {
                Request::Quit => {
                    // The next session's "since you last looked" starts here.
                    self.kept.end_session();
                    break;
                }
                Request::LoadChanges { generation, since } => {
                    let (kept, tx, lang) = (self.kept.clone(), self.tx.clone(), self.lang);
                    tokio::task::spawn_blocking(move || {
                        let result = changes::load(&kept, since.as_deref(), lang);
                        let _ = tx.send(Update::Changes { generation, result });
                    });
                }
                Request::LabelChanges { generation, items } => {
                    let (kept, tx, lang) = (self.kept.clone(), self.tx.clone(), self.lang);
                    tokio::task::spawn_blocking(move || {
                        // Without a store (gone since) the items come back as they were.
                        let items = match kept.store() {
                            Some(store) => changes::labelled(store, items, lang),
                            None => items,
                        };
                        let _ = tx.send(Update::ChangeLabels { generation, items });
                    });
                }
                Request::Shown(list) => self
                    .client
                    .go_first(list.map(|(team, d)| (team, shape::resource(d)))),
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
                        .map_err(|e| files::cannot_write(&path, &e, self.lang));
                    let _ = self.tx.send(Update::Exported { result });
                }
                Request::Download {
                    team,
                    team_name,
                    uuid,
                    folio,
                } => {
                    if self.offline_only {
                        // `--offline` asks gigstack for nothing: not the file links, and
                        // not with the key.
                        let _ = self.tx.send(Update::Download {
                            uuid,
                            done: 2,
                            result: Some(Err(files::refused_offline(self.lang))),
                        });
                        continue;
                    }
                    let (client, tx) = (self.client.clone(), self.tx.clone());
                    let dir = team_dir(&self.downloads, &team_name);
                    tokio::spawn(download(client, tx, team, dir, uuid, folio, self.lang));
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
                        // `--offline`: nothing is sent (the app refuses first).
                        read_only: self.read_only_teams.contains(&team) || self.offline_only,
                        kept: self.kept.clone(),
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
                        leg: Default::default(),
                    };
                    tokio::spawn(write.run(self.open_writes.clone()));
                }
                Request::LoadGroup {
                    generation,
                    teams,
                    force,
                } => {
                    if let Some(old) = self.group.take() {
                        old.cancel();
                    }
                    let token = CancellationToken::new();
                    self.group = Some(token.clone());
                    // A 429 slows every team (one limiter, Retry-After honoured) and
                    // never fails the view: each read may retry for a minute.
                    let client = self.client.patient(std::time::Duration::from_secs(60));
                    let (tx, lang, kept) = (self.tx.clone(), self.lang, self.kept.clone());
                    tokio::spawn(async move {
                        tokio::select! {
                            _ = token.cancelled() => {}
                            _ = group::load(client, kept, tx.clone(), generation, teams, force, lang) => {
                                let _ = tx.send(Update::GroupLoaded { generation });
                            }
                        }
                    });
                }
                Request::Find {
                    generation,
                    teams,
                    query,
                } => {
                    let (client, tx, kept) =
                        (self.client.clone(), self.tx.clone(), self.kept.clone());
                    tokio::task::spawn_blocking(move || {
                        let (hits, searched) = group::find(&client, &kept, &teams, &query);
                        let _ = tx.send(Update::Found {
                            generation,
                            hits,
                            searched,
                        });
                    });
                }
                Request::LoadDrafts { team } => {
                    let (client, tx) = (self.client.clone(), self.tx.clone());
                    tokio::spawn(async move {
                        let result = client.list_drafts(&team).await;
                        let _ = tx.send(Update::Drafts { team, result });
                    });
                }
                Request::FormData { team, credit_for } => {
                    let (client, tx, lang) = (self.client.clone(), self.tx.clone(), self.lang);
                    tokio::spawn(async move {
                        let (role, data, credited) =
                            forms::read(&client, &team, credit_for.as_deref(), lang).await;
                        let _ = tx.send(Update::FormData {
                            team,
                            role,
                            data,
                            credited,
                        });
                    });
                }
                Request::CheckRoles { generation, teams } => {
                    let (client, tx) = (self.client.clone(), self.tx.clone());
                    tokio::spawn(async move {
                        let roles = futures::future::join_all(teams.into_iter().map(|t| {
                            let client = client.clone();
                            async move {
                                let role = client.my_role(&t).await;
                                (t, role)
                            }
                        }))
                        .await;
                        let _ = tx.send(Update::Roles { generation, roles });
                    });
                }
                Request::LoadListing { team, kind } => {
                    let (client, tx, lang) = (self.client.clone(), self.tx.clone(), self.lang);
                    let kept = self.kept.clone();
                    tokio::spawn(async move {
                        let result = listing(&kept, &client, &team, kind, lang).await;
                        let _ = tx.send(Update::Listing { team, kind, result });
                    });
                }
                Request::Validate { generation, teams } => {
                    let (client, tx, kept, lang) = (
                        self.client.clone(),
                        self.tx.clone(),
                        self.kept.clone(),
                        self.lang,
                    );
                    tokio::spawn(fiscal::run(client, kept, tx, generation, teams, lang));
                }
                Request::LoadBranches { generation } => {
                    if let Some(old) = self.branches.take() {
                        old.cancel();
                    }
                    let token = CancellationToken::new();
                    self.branches = Some(token.clone());
                    let client = self.client.patient(std::time::Duration::from_secs(60));
                    let (tx, lang, offline) = (self.tx.clone(), self.lang, self.kept.offline_only);
                    tokio::spawn(async move {
                        tokio::select! {
                            _ = token.cancelled() => {}
                            _ = branches::load(client, tx, generation, offline, lang) => {}
                        }
                    });
                }
                Request::LoadBranchesOf { generation, teams } => {
                    let client = self.client.patient(std::time::Duration::from_secs(60));
                    let (tx, lang) = (self.tx.clone(), self.lang);
                    tokio::spawn(branches::reload(client, tx, generation, teams, lang));
                }
                Request::StopBranches => {
                    if let Some(old) = self.branches.take() {
                        old.cancel();
                    }
                }
                Request::StopGroup => {
                    if let Some(old) = self.group.take() {
                        old.cancel();
                    }
                }
                Request::LoadTeamsLater { after_secs } => {
                    let (client, tx, demo) = (self.client.clone(), self.tx.clone(), self.demo);
                    let kept = self.kept.clone();
                    tokio::spawn(async move {
                        tokio::time::sleep(std::time::Duration::from_secs(after_secs)).await;
                        load_teams(client, kept, tx, demo, false).await;
                    });
                }
                Request::RetryLoad {
                    team,
                    generation,
                    dataset,
                    after_secs,
                } => self.start_load(
                    team,
                    generation,
                    dataset,
                    (true, false),
                    std::time::Duration::from_secs(after_secs),
                ),
                Request::LoadComplete {
                    team,
                    generation,
                    dataset,
                } => self.start_load(
                    team,
                    generation,
                    dataset,
                    (true, true),
                    std::time::Duration::ZERO,
                ),
                Request::LoadTeams => {
                    let (client, tx, demo) = (self.client.clone(), self.tx.clone(), self.demo);
                    let kept = self.kept.clone();
                    tokio::spawn(load_teams(client, kept, tx, demo, true));
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
                    let kept = self.kept.clone();
                    tokio::spawn(async move {
                        // Offline: the stored object at once (a `r` or a retried load is
                        // what notices gigstack's return, not a detail's wait).
                        let stored = kept
                            .is_offline()
                            .then(|| stored_detail(&kept, &team, dataset, &id))
                            .flatten();
                        let result = if let Some(d) = stored {
                            Ok(d)
                        } else if kept.offline_only {
                            Err(ApiError::Network {
                                message: "offline, and this object is not stored".into(),
                            })
                        } else {
                            match dataset {
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
                                Dataset::Receipts => client
                                    .get_receipt(&team, &id)
                                    .await
                                    .map(|r| Detail::Receipt(Box::new(r))),
                            }
                        };
                        // gigstack out of reach: the stored object, as last read.
                        let result = match result {
                            Err(e) if e.is_unreachable() => {
                                kept.heard::<()>(&Err(e.clone()));
                                stored_detail(&kept, &team, dataset, &id).ok_or(e)
                            }
                            other => other,
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
        self.finish_writes().await
    }

    /// Quitting: writes still waiting their turn (the rate limit, the request slots) are
    /// stopped and recorded as "not sent"; writes that left get a few seconds to answer;
    /// any still open then is recorded as "outcome unknown" (the server may have applied
    /// it), never left unaudited.
    async fn finish_writes(&self) -> WritesLeft {
        let open_now: Vec<Write> = lock_open(&self.open_writes).values().cloned().collect();
        let mut not_sent = 0;
        for w in &open_now {
            if w.stop_if_queued() {
                lock_open(&self.open_writes).remove(w.key.as_str());
                not_sent += 1;
            }
        }
        let deadline = tokio::time::Instant::now() + QUIT_GRACE;
        let open = || lock_open(&self.open_writes).len();
        while open() > 0 && tokio::time::Instant::now() < deadline {
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        let left: Vec<Write> = std::mem::take(&mut *lock_open(&self.open_writes))
            .into_values()
            .collect();
        for w in &left {
            w.abandon();
        }
        WritesLeft {
            not_sent,
            unknown: left.len(),
        }
    }
}

/// The stored object behind a row, when gigstack cannot be reached.
fn stored_detail(kept: &Kept, team: &TeamId, dataset: Dataset, id: &str) -> Option<Detail> {
    Some(match dataset {
        Dataset::Clients => Detail::Client(Box::new(kept.doc::<Clients>(team, id)?)),
        Dataset::Invoices => Detail::Invoice(Box::new(kept.doc::<Invoices>(team, id)?)),
        Dataset::Payments => Detail::Payment(Box::new(kept.doc::<Payments>(team, id)?)),
        Dataset::Receipts => Detail::Receipt(Box::new(kept.doc::<Receipts>(team, id)?)),
    })
}

/// The team list; the stored one first (the first frame needs no network), then
/// gigstack's, which is kept. When it taught the client the key's own team (an opaque
/// key), the app hears that first, so the start team is the key's own. Out of reach with a
/// stored list: OFFLINE, not an error.
async fn load_teams(
    client: ApiClient,
    kept: Kept,
    tx: UnboundedSender<Update>,
    demo: bool,
    stored_first: bool,
) {
    let stored = kept.teams();
    if let Some(teams) = &stored
        && (stored_first || kept.offline_only)
    {
        let _ = tx.send(Update::Teams(Ok(teams.clone())));
    }
    if kept.offline_only {
        if stored.is_none() {
            let _ = tx.send(Update::Teams(Err(ApiError::Network {
                message:
                    "offline, and the store has no team list yet (run `gigdash sync` while online)"
                        .into(),
            })));
        }
        return;
    }
    // Tried once: a failure reaches the screen at once ("cannot reach …, trying again in
    // 2 s"), and the app retries at a slowing pace.
    let teams = client.trying_once().list_teams().await;
    kept.heard(&teams);
    if let Ok(t) = &teams {
        kept.keep_teams(t);
    }
    let info = client.key_info();
    if teams.is_ok()
        && info.team.is_none()
        && let Some(own) = client.own_team()
    {
        let _ = tx.send(Update::Connected {
            own_team: Some(own),
            live: info.is_live(),
            demo,
            base_url: client.base_url().to_string(),
        });
    }
    match teams {
        Err(e) if stored.is_some() && e.is_unreachable() => {
            // The stored list is on screen; loads retry and notice gigstack's return.
        }
        teams => {
            let _ = tx.send(Update::Teams(teams));
        }
    }
}
