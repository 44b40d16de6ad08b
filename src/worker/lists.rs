//! A team's lists: a table's dataset streamed page by page (cache first, a slow answer
//! said within seconds, the complete set cached), and the users and services lists.

use std::sync::Arc;

use futures::StreamExt;
use serde::de::DeserializeOwned;
use tokio::sync::mpsc::UnboundedSender;

use crate::api::{ApiClient, ListQuery, Resource, TeamId};
use crate::app::rows::{ClientRow, InvoiceRow, PaymentRow};
use crate::app::{Dataset, Generation, Rows, Update};
use crate::i18n::Lang;

/// How long a page may keep the app waiting before it hears that gigstack is slow.
const SLOW_NOTICE: std::time::Duration = std::time::Duration::from_secs(4);

fn resource(d: Dataset) -> Resource {
    match d {
        Dataset::Clients => Resource::Clients,
        Dataset::Invoices => Resource::IncomeInvoices,
        Dataset::Payments => Resource::Payments,
    }
}

/// A team's users (with their role in it) or services (with SAT keys), as printable cells.
pub(super) async fn listing(
    client: &ApiClient,
    team: &TeamId,
    kind: crate::app::listing::ListingKind,
    lang: Lang,
) -> Result<Vec<Vec<String>>, crate::api::ApiError> {
    use crate::app::listing::ListingKind;
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
    pub(super) lang: Lang,
}

impl Job {
    pub(super) async fn run(self, dataset: Dataset) {
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
        convert: fn(&T, Lang) -> R,
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
        loop {
            // Seconds, not minutes: while a page keeps the app waiting, it hears so every
            // SLOW_NOTICE, then the answer or the error.
            let mut waited = 0;
            let page = loop {
                match tokio::time::timeout(SLOW_NOTICE, pages.next()).await {
                    Ok(p) => break p,
                    Err(_) => {
                        waited += SLOW_NOTICE.as_secs();
                        let _ = self.tx.send(Update::Slow {
                            team: self.team.clone(),
                            generation: self.generation,
                            dataset,
                            secs: waited,
                        });
                    }
                }
            };
            let Some(page) = page else { break };
            match page {
                Ok(p) => {
                    total = p.total_results.or(total);
                    let rows: Vec<R> = p.items.iter().map(|x| convert(x, self.lang)).collect();
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
