//! Reads: the team list, one page or every page of a list for a team, one object, files;
//! and the per-team cache they fill. Each read is scoped with `team=` only when the team is
//! not the key's own.

use std::sync::Arc;

use futures::Stream;
use reqwest::Method;
use serde::de::DeserializeOwned;

use super::cache::{CacheKey, Cached};
use super::client::{ApiClient, Call, enc, map_reqwest};
use super::envelope::Page;
use super::error::{ApiError, classify};
use super::models::{Invoice, InvoiceFiles, Team, TeamId};
use super::payment::Payment;
use super::query::{ListQuery, Resource};

impl ApiClient {
    /// Every team the key can reach (its own and, with Connect, its billing account's).
    pub async fn list_teams(&self) -> Result<Vec<Team>, ApiError> {
        let all = self.teams_pages::<Team>().await?;
        // A key without its team that reaches exactly one team: that one is its own, and
        // requests for it carry no `team=`.
        if let [only] = all.as_slice()
            && self.info.team.is_none()
        {
            self.learn_own(&only.id);
        }
        Ok(all)
    }

    /// Every page of `GET /teams`, each team decoded as `T`.
    pub(super) async fn teams_pages<T: DeserializeOwned>(&self) -> Result<Vec<T>, ApiError> {
        let mut all = Vec::new();
        let mut next: Option<String> = None;
        loop {
            let mut query = vec![("limit".to_string(), "100".to_string())];
            if let Some(n) = &next {
                query.push(("next".into(), n.clone()));
            }
            let page: Page<T> = self
                .execute_decoded(
                    Call {
                        method: Method::GET,
                        path: Resource::Teams.path().into(),
                        team: None,
                        query,
                        body: None,
                        idempotency: None,
                        retry_safe: false,
                    },
                    |b| Self::decode_page(b, None),
                )
                .await?;
            all.extend(page.items);
            match page.next {
                Some(n) if page.has_more && Some(&n) != next.as_ref() => next = Some(n),
                _ => break,
            }
        }
        Ok(all)
    }

    /// One page of a list for `team`.
    pub async fn list_page<T: DeserializeOwned>(
        &self,
        team: &TeamId,
        resource: Resource,
        query: &ListQuery,
    ) -> Result<Page<T>, ApiError> {
        self.scoped_read(team, |scoped| {
            self.execute_decoded(
                Call {
                    method: Method::GET,
                    path: resource.path().into(),
                    team: scoped,
                    query: query.pairs(),
                    body: None,
                    idempotency: None,
                    retry_safe: false,
                },
                move |b| Self::decode_page(b, scoped.or(Some(team))),
            )
        })
        .await
    }

    /// `list` (a team's resource, the table on screen) reads first: every other list
    /// waits between its pages while it runs. `None`: every list shares the limit.
    pub fn go_first(&self, list: Option<(TeamId, Resource)>) {
        self.turns.go_first(list);
    }

    /// Every page, `limit=100`, following `next` while `has_more`. Stops with an error if
    /// the server repeats a cursor, so a server bug cannot loop forever.
    pub fn list_all<T: DeserializeOwned + Send + 'static>(
        &self,
        team: TeamId,
        resource: Resource,
        query: ListQuery,
    ) -> impl Stream<Item = Result<Page<T>, ApiError>> + Send + 'static {
        let client = self.clone();
        let start = ListQuery {
            limit: Some(100),
            next: None,
            ..query
        };
        // Counted as running from here until the stream ends or is dropped.
        let running = client.turns.start((team.clone(), resource));
        futures::stream::unfold(Some((start, Vec::<String>::new(), running)), move |state| {
            let client = client.clone();
            let team = team.clone();
            async move {
                let (q, mut seen, running) = state?;
                client.turns.wait(&(team.clone(), resource)).await;
                match client.list_page::<T>(&team, resource, &q).await {
                    Ok(page) => {
                        let next_state = match &page.next {
                            Some(n) if page.has_more => {
                                if seen.contains(n) {
                                    return Some((
                                        Err(ApiError::Decode {
                                            message: "the server repeated a page cursor".into(),
                                            excerpt: n.chars().take(40).collect(),
                                        }),
                                        None,
                                    ));
                                }
                                seen.push(n.clone());
                                Some((
                                    ListQuery {
                                        next: Some(n.clone()),
                                        ..q
                                    },
                                    seen,
                                    running,
                                ))
                            }
                            _ => None,
                        };
                        Some((Ok(page), next_state))
                    }
                    Err(e) => Some((Err(e), None)),
                }
            }
        })
    }

    /// All items of a list, stored in the cache on success. Only tests call it: the
    /// dashboard streams pages (`list_all`) so a table fills as they arrive.
    #[cfg(feature = "test-support")]
    pub async fn fetch_all<T: DeserializeOwned + Send + Sync + 'static>(
        &self,
        team: &TeamId,
        resource: Resource,
        query: &ListQuery,
    ) -> Result<Arc<Vec<T>>, ApiError> {
        use futures::StreamExt;
        let mut items = Vec::new();
        let mut pages = std::pin::pin!(self.list_all::<T>(team.clone(), resource, query.clone()));
        while let Some(page) = pages.next().await {
            items.extend(page?.items);
        }
        let value = Arc::new(items);
        self.cache_put(team, resource, query, value.clone());
        Ok(value)
    }

    pub fn cache_key(team: &TeamId, resource: Resource, query: &ListQuery) -> CacheKey {
        CacheKey {
            team: team.clone(),
            resource,
            query: query.cache_key(),
        }
    }

    /// What the cache holds for this list, however old.
    pub fn cached<T: Send + Sync + 'static>(
        &self,
        team: &TeamId,
        resource: Resource,
        query: &ListQuery,
    ) -> Option<Cached<Vec<T>>> {
        self.cache.get(&Self::cache_key(team, resource, query))
    }

    pub fn cache_put<T: Send + Sync + 'static>(
        &self,
        team: &TeamId,
        resource: Resource,
        query: &ListQuery,
        value: Arc<Vec<T>>,
    ) {
        let rows = value.len();
        self.cache
            .put(Self::cache_key(team, resource, query), value, rows);
    }

    /// Rows read `age` ago (from the store): their age goes with them, so the table
    /// never calls them newer than they are.
    pub fn cache_put_aged<T: Send + Sync + 'static>(
        &self,
        team: &TeamId,
        resource: Resource,
        query: &ListQuery,
        value: Arc<Vec<T>>,
        age: std::time::Duration,
    ) {
        let rows = value.len();
        self.cache
            .put_aged(Self::cache_key(team, resource, query), value, rows, age);
    }

    /// One object (or list) of `team` as sent: the Branches view's reads.
    pub(super) async fn get_value(
        &self,
        team: &TeamId,
        path: String,
    ) -> Result<serde_json::Value, ApiError> {
        self.get_one(team, path).await
    }

    async fn get_one<T: DeserializeOwned>(
        &self,
        team: &TeamId,
        path: String,
    ) -> Result<T, ApiError> {
        self.scoped_read(team, |scoped| {
            self.execute_decoded(
                Call {
                    method: Method::GET,
                    path: path.clone(),
                    team: scoped,
                    query: vec![],
                    body: None,
                    idempotency: None,
                    retry_safe: false,
                },
                move |b| Self::decode_one(b, Some(team)),
            )
        })
        .await
    }

    pub async fn get_client(
        &self,
        team: &TeamId,
        id: &str,
    ) -> Result<super::models::Client, ApiError> {
        self.get_one(team, format!("/clients/{}", enc(id))).await
    }

    pub async fn get_service(
        &self,
        team: &TeamId,
        id: &str,
    ) -> Result<super::models::Service, ApiError> {
        self.get_one(team, format!("/services/{}", enc(id))).await
    }

    /// A team's invoicing settings (§7.4): what a new item starts with.
    pub async fn team_settings(
        &self,
        team: &TeamId,
    ) -> Result<super::models::TeamSettings, ApiError> {
        self.get_one(team, format!("/teams/{}/settings", enc(team.as_str())))
            .await
    }

    /// A team's invoice series (§7.5).
    pub async fn team_series(&self, team: &TeamId) -> Result<Vec<super::models::Series>, ApiError> {
        self.get_one(team, format!("/teams/{}/series", enc(team.as_str())))
            .await
    }

    /// The key's user's role in `team` (`admin`, `editor`, `member`, `viewer`…), from
    /// `GET /users/me` scoped to that team: what a bulk write checks once per team before
    /// anything is sent.
    pub async fn my_role(&self, team: &TeamId) -> Result<String, ApiError> {
        let me: serde_json::Value = self.get_one(team, "/users/me".to_string()).await?;
        me.get("role")
            .and_then(|r| r.as_str())
            .map(str::to_string)
            .ok_or_else(|| ApiError::Decode {
                message: "the user has no `role`".into(),
                excerpt: String::new(),
            })
    }

    pub async fn get_payment(&self, team: &TeamId, id: &str) -> Result<Payment, ApiError> {
        self.get_one(team, format!("/payments/{}", enc(id))).await
    }

    pub async fn get_receipt(
        &self,
        team: &TeamId,
        id: &str,
    ) -> Result<super::models::Receipt, ApiError> {
        self.get_one(team, format!("/receipts/{}", enc(id))).await
    }

    pub async fn get_invoice(&self, team: &TeamId, uuid: &str) -> Result<Invoice, ApiError> {
        self.get_one(team, format!("/invoices/income/{}", enc(uuid)))
            .await
    }

    pub async fn invoice_files(&self, team: &TeamId, uuid: &str) -> Result<InvoiceFiles, ApiError> {
        self.get_one(team, format!("/invoices/{}/files", enc(uuid)))
            .await
    }

    /// Downloads a file URL returned by `invoice_files` into `sink`, chunk by chunk, never
    /// more than `max_bytes` (a hostile "PDF" of gigabytes is refused, not held in
    /// memory). The key is not sent: the URLs are pre-signed and may point at another host.
    pub async fn download(
        &self,
        url: &str,
        max_bytes: u64,
        mut sink: impl FnMut(&[u8]) -> std::io::Result<()>,
    ) -> Result<u64, ApiError> {
        let mut resp = self.http.get(url).send().await.map_err(map_reqwest)?;
        let status = resp.status().as_u16();
        if !(200..300).contains(&status) {
            // Capped like any error answer: a huge error page is not read whole.
            let body = super::client::error_body(&mut resp).await;
            return Err(classify(status, &body, None, None));
        }
        let too_big = || ApiError::Decode {
            message: format!("the file is larger than the {max_bytes}-byte limit"),
            excerpt: String::new(),
        };
        if resp.content_length().is_some_and(|n| n > max_bytes) {
            return Err(too_big());
        }
        let mut written = 0u64;
        while let Some(chunk) = resp.chunk().await.map_err(map_reqwest)? {
            written += chunk.len() as u64;
            if written > max_bytes {
                return Err(too_big());
            }
            sink(&chunk).map_err(|e| ApiError::Network {
                message: format!("cannot write the file: {e}"),
            })?;
        }
        Ok(written)
    }
}
