//! A team's lists: a table's dataset streamed page by page (cache first, a slow answer
//! said within seconds, the complete set cached), and the users and services lists.

use std::sync::Arc;

use futures::StreamExt;
use tokio::sync::mpsc::UnboundedSender;

use super::kept::Kept;
use super::shape::{Clients, Invoices, Payments, Receipts, Shape};
use super::sync::{self, Mode};
use crate::api::{ApiClient, ApiError, ListQuery, Resource, TeamId};
use crate::app::{Dataset, Generation, Rows, Update};
use crate::i18n::Lang;

/// A team's users (with their role in it) or services (with SAT keys), as printable cells.
pub(super) async fn listing(
    kept: &super::kept::Kept,
    client: &ApiClient,
    team: &TeamId,
    kind: crate::app::data::account::ListingKind,
    lang: Lang,
) -> Result<Vec<Vec<String>>, crate::api::ApiError> {
    use crate::app::data::account::ListingKind;
    use crate::text::printable;
    let q = ListQuery::default();
    let mut rows = Vec::new();
    match kind {
        ListingKind::Users => {
            let mut pages = std::pin::pin!(client.list_all::<crate::api::User>(
                team.clone(),
                Resource::Users,
                q
            ));
            while let Some(page) = pages.next().await {
                for u in page?.items {
                    // The role in this team when the user says it, else the user's own.
                    let role = u
                        .teams
                        .iter()
                        .find(|t| t.team_id.as_deref() == Some(team.as_str()))
                        .and_then(|t| t.role.clone())
                        .or(u.role.clone())
                        .unwrap_or_default();
                    let name = u
                        .name
                        .clone()
                        .filter(|n| !n.trim().is_empty())
                        .unwrap_or_else(|| {
                            format!(
                                "{} {}",
                                u.first_name.clone().unwrap_or_default(),
                                u.last_name.clone().unwrap_or_default()
                            )
                        });
                    rows.push(vec![
                        printable(name.trim()),
                        printable(u.email.as_deref().unwrap_or("")),
                        printable(&role),
                        u.last_login.map(|t| lang.datetime(t)).unwrap_or_default(),
                    ]);
                }
            }
        }
        // Computed by the app from the team's rows; never fetched.
        ListingKind::Complements | ListingKind::Fiscal => {}
        // Every team's month (not only `team`): the same reads as `gigdash report month`.
        ListingKind::Month => {
            let teams = client.list_teams().await?;
            let now = jiff::Timestamp::now().as_second();
            let month = crate::report::Month::of(now);
            let mut report =
                crate::report::month(client, &teams, month, now, lang, |t| kept.fiscal_failing(t))
                    .await;
            // As the Group tab lists them: as a Spanish speaker sorts names.
            report
                .teams
                .sort_by_cached_key(|t| crate::i18n::sort_key(&t.name));
            for r in report.teams.iter().chain(std::iter::once(&report.totals)) {
                rows.push(crate::report::short_cells(r, lang));
            }
        }
        ListingKind::Services => {
            let mut pages = std::pin::pin!(client.list_all::<crate::api::Service>(
                team.clone(),
                Resource::Services,
                q
            ));
            while let Some(page) = pages.next().await {
                for s in page?.items {
                    let price = s
                        .unit_price
                        .or(s.price)
                        .map(|p| p.display("MXN"))
                        .unwrap_or_default();
                    rows.push(vec![
                        printable(s.description.as_deref().or(s.name.as_deref()).unwrap_or("")),
                        printable(s.sku.as_deref().unwrap_or("")),
                        printable(s.product_key.as_deref().unwrap_or("")),
                        printable(&format!(
                            "{} {}",
                            s.unit_key.as_deref().unwrap_or(""),
                            s.unit_name.as_deref().unwrap_or("")
                        )),
                        price,
                    ]);
                }
            }
        }
    }
    Ok(rows)
}

pub(super) struct Job {
    pub(super) client: ApiClient,
    pub(super) tx: UnboundedSender<Update>,
    pub(super) team: TeamId,
    pub(super) generation: Generation,
    pub(super) force: bool,
    /// `:refresh all`: every page, what the server no longer has goes.
    pub(super) complete: bool,
    pub(super) lang: Lang,
    pub(super) kept: Kept,
}

/// Rows sent before the rest when a big table comes from the store: the first screen.
const FIRST_SCREEN: usize = 200;

impl Job {
    pub(super) async fn run(self, dataset: Dataset) {
        match dataset {
            Dataset::Clients => self.stream::<Clients>().await,
            Dataset::Invoices => self.stream::<Invoices>().await,
            Dataset::Payments => self.stream::<Payments>().await,
            Dataset::Receipts => self.stream::<Receipts>().await,
        }
    }

    /// The memory cache first, then the store (the first screen, then the whole set, with
    /// its age), then gigstack: a first load streams page by page; over stored rows only
    /// the complete, merged set is sent. The result goes to the cache and the store.
    async fn stream<S: Shape>(&self) {
        let res = S::RESOURCE;
        let query = ListQuery::default();
        let now = || jiff::Timestamp::now().as_second();
        let mut base: Option<Arc<Vec<S::Row>>> = None;
        if !self.complete
            && let Some(c) = self.client.cached::<S::Row>(&self.team, res, &query)
        {
            // `r` (force) does not show them again: they are on screen; they are what an
            // incremental read is merged into.
            if !self.force {
                let _ = self.tx.send(self.page(
                    S::wrap(c.value.clone()),
                    true,
                    c.fresh,
                    None,
                    now(),
                    Some(c.age.as_secs()),
                ));
                if c.fresh || self.kept.offline_only {
                    return;
                }
            }
            if self.kept.offline_only {
                // `r` while offline: the same rows again, nothing asked of gigstack.
                let _ = self.tx.send(self.page(
                    S::wrap(c.value),
                    true,
                    true,
                    None,
                    now(),
                    Some(c.age.as_secs().max(1)),
                ));
                return;
            }
            if self.kept.has_store() {
                base = Some(c.value);
            }
        }
        if base.is_none()
            && !self.complete
            && let Some(synced) = self.kept.synced::<S>(&self.team)
        {
            if synced.count as usize > FIRST_SCREEN
                && let Some(first) = self.kept.rows::<S>(&self.team, Some(FIRST_SCREEN))
            {
                let _ = self.tx.send(self.page(
                    S::wrap(Arc::new(first)),
                    true,
                    false,
                    Some(synced.count),
                    now(),
                    None,
                ));
            }
            if let Some(all) = self.kept.rows::<S>(&self.team, None) {
                let all = Arc::new(all);
                let age = (now() - synced.at).max(0) as u64;
                let _ = self.tx.send(Update::AsOf {
                    team: self.team.clone(),
                    at: Some(synced.at),
                });
                let _ = self.tx.send(self.page(
                    S::wrap(all.clone()),
                    true,
                    true,
                    Some(all.len() as u64),
                    now(),
                    Some(age.max(1)),
                ));
                self.client.cache_put_aged(
                    &self.team,
                    res,
                    &query,
                    all.clone(),
                    std::time::Duration::from_secs(age),
                );
                base = Some(all);
            }
        }
        if self.kept.offline_only {
            if base.is_none() {
                let _ = self.tx.send(Update::LoadFailed {
                    team: self.team.clone(),
                    generation: self.generation,
                    dataset: S::DATASET,
                    error: ApiError::Network {
                        message: self
                            .lang
                            .pick(
                                "offline, and the store has nothing of this team yet (run `gigdash sync` while online)",
                                "sin conexión, y el almacén aún no tiene nada de este equipo (corre `gigdash sync` con conexión)",
                            )
                            .to_string(),
                    },
                });
            }
            return;
        }
        let mode = if self.complete {
            Mode::Complete
        } else {
            Mode::Auto
        };
        let streaming = base.is_none();
        let mut first = true;
        let read = sync::read::<S>(
            &self.client,
            &self.kept,
            &self.team,
            mode,
            self.lang,
            |rows, total, last| {
                // A first load shows pages as they come; over rows already shown, only
                // the complete set is sent.
                if streaming && !last {
                    let _ = self.tx.send(self.page(
                        S::wrap(Arc::new(rows.to_vec())),
                        first,
                        false,
                        total,
                        now(),
                        None,
                    ));
                    first = false;
                }
            },
            |secs| {
                let _ = self.tx.send(Update::Slow {
                    team: self.team.clone(),
                    generation: self.generation,
                    dataset: S::DATASET,
                    secs,
                });
            },
        )
        .await;
        match read {
            Ok(read) => {
                let mut all = match (&base, read.complete) {
                    (Some(b), false) => sync::merge(b, read.rows),
                    _ => read.rows,
                };
                // Grown by doubling, page by page: up to half of it unused, kept as long
                // as the team is open (17 MB of a 170,000-invoice team's).
                all.shrink_to_fit();
                let all = Arc::new(all);
                self.client.cache_put(&self.team, res, &query, all.clone());
                let _ = self.tx.send(Update::AsOf {
                    team: self.team.clone(),
                    at: None,
                });
                let total = if read.complete {
                    read.total
                } else {
                    Some(all.len() as u64)
                };
                let _ = self
                    .tx
                    .send(self.page(S::wrap(all), first, true, total, now(), None));
            }
            Err(error) => {
                let _ = self.tx.send(Update::LoadFailed {
                    team: self.team.clone(),
                    generation: self.generation,
                    dataset: S::DATASET,
                    error,
                });
            }
        }
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
