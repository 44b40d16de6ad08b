//! The HTTP client: auth, Connect `team` scoping, retries with backoff (or a time budget),
//! a shared rate limiter, bounded concurrency, decoding with redaction. The reads are in
//! `reads.rs`, the writes in `writes.rs`. Knows nothing of the UI.

use std::sync::Arc;
use std::time::Duration;

use reqwest::Method;
use serde::de::DeserializeOwned;
use tokio::sync::Semaphore;

use super::cache::Cache;
use super::envelope::{ListWire, OneWire, Page};
use super::error::{ApiError, classify, excerpt};
use super::idempotency::IdempotencyKey;
use super::key::{ApiKey, KeyInfo};
use super::limiter::RateLimiter;
use super::models::TeamId;

pub const DEFAULT_BASE_URL: &str = "https://api.gigstack.io/v2";

#[derive(Clone, Debug)]
pub struct ClientConfig {
    pub base_url: String,
    pub timeout: Duration,
    pub connect_timeout: Duration,
    pub max_retries: u32,
    pub backoff_base: Duration,
    pub backoff_cap: Duration,
    /// A server asking for longer than this is waited for only this long.
    pub retry_after_cap: Duration,
    pub requests_per_second: f64,
    pub burst: u32,
    pub max_concurrency: usize,
    pub read_only: bool,
    pub cache_ttl: Duration,
    pub cache_max_entries: usize,
    pub cache_max_rows: usize,
    /// A body larger than this is refused rather than buffered.
    pub max_body_bytes: usize,
    /// Headless jobs (`export`, `sync`): retry each read until this much time has passed,
    /// instead of `max_retries` times, so a flaky minute never fails the job.
    pub retry_budget: Option<Duration>,
    /// The file through which every gigdash of this host with the key shares its rate
    /// limit (none: this process keeps its own).
    pub shared_budget: Option<std::path::PathBuf>,
}

impl Default for ClientConfig {
    fn default() -> Self {
        ClientConfig {
            base_url: DEFAULT_BASE_URL.into(),
            // Seconds, not minutes: a stalled server is reported after one of these (the
            // dashboard says so sooner, see worker::SLOW_NOTICE), not after five.
            timeout: Duration::from_secs(10),
            connect_timeout: Duration::from_secs(5),
            max_retries: 4,
            backoff_base: Duration::from_millis(300),
            backoff_cap: Duration::from_secs(8),
            retry_after_cap: Duration::from_secs(60),
            requests_per_second: 10.0,
            burst: 10,
            max_concurrency: 4,
            read_only: false,
            cache_ttl: Duration::from_secs(60),
            cache_max_entries: 512,
            cache_max_rows: 1_500_000,
            max_body_bytes: 64 * 1024 * 1024,
            retry_budget: None,
            shared_budget: None,
        }
    }
}

impl ClientConfig {
    pub fn with_base_url(base_url: impl Into<String>) -> Self {
        ClientConfig {
            base_url: base_url.into(),
            ..Default::default()
        }
    }
}

pub(super) struct Call<'a> {
    pub(super) method: Method,
    pub(super) path: String,
    pub(super) team: Option<&'a TeamId>,
    pub(super) query: Vec<(String, String)>,
    pub(super) body: Option<serde_json::Value>,
    pub(super) idempotency: Option<&'a IdempotencyKey>,
    /// A POST that changes nothing a second try could apply twice (the fiscal check):
    /// retried like a read on the transient failures.
    pub(super) retry_safe: bool,
}

/// Called right before a request goes out, after every wait (the request slots, the rate
/// limit, a retry's backoff): an error stops the request there, unsent. Writes use it to
/// put their `sent` line in the audit log at the moment they leave, and not before.
pub type BeforeSend = Arc<dyn Fn() -> Result<(), ApiError> + Send + Sync>;

/// The gigstack v2 client. Cheap to clone; clones share the limiter and the cache.
#[derive(Clone)]
pub struct ApiClient {
    pub(super) http: reqwest::Client,
    base: Arc<str>,
    key: ApiKey,
    pub(super) info: KeyInfo,
    pub(super) config: Arc<ClientConfig>,
    pub(super) limiter: Arc<RateLimiter>,
    /// Which list goes first under the limit (the table on screen).
    pub(super) turns: Arc<super::turns::Turns>,
    slots: Arc<Semaphore>,
    pub(super) cache: Arc<Cache>,
    /// The key's own team when the key does not say (an opaque key): learned from a
    /// one-team `/teams`, or from a "not a master team" answer. Shared by clones.
    learned_own: Arc<std::sync::RwLock<Option<TeamId>>>,
    before_send: Option<BeforeSend>,
}

impl std::fmt::Debug for ApiClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApiClient")
            .field("base", &self.base)
            .field("key", &self.key)
            .field("info", &self.info)
            .finish()
    }
}

impl ApiClient {
    pub fn new(key: ApiKey, config: ClientConfig) -> Result<Self, ApiError> {
        let http = reqwest::Client::builder()
            .user_agent(concat!("gigdash/", env!("CARGO_PKG_VERSION")))
            .gzip(true)
            .timeout(config.timeout)
            .connect_timeout(config.connect_timeout)
            .build()
            .map_err(|e| ApiError::Network {
                message: format!("cannot build the HTTP client: {e}"),
            })?;
        let info = key.info();
        Ok(ApiClient {
            http,
            base: config.base_url.trim_end_matches('/').into(),
            info,
            limiter: Arc::new(match &config.shared_budget {
                Some(path) => RateLimiter::shared(config.requests_per_second, config.burst, path),
                None => RateLimiter::new(config.requests_per_second, config.burst),
            }),
            turns: Default::default(),
            slots: Arc::new(Semaphore::new(config.max_concurrency.max(1))),
            cache: Arc::new(Cache::new(
                config.cache_ttl,
                config.cache_max_entries,
                config.cache_max_rows,
            )),
            config: Arc::new(config),
            key,
            learned_own: Default::default(),
            before_send: None,
        })
    }

    pub fn key_info(&self) -> &KeyInfo {
        &self.info
    }

    pub fn base_url(&self) -> &str {
        &self.base
    }

    pub fn cache(&self) -> &Cache {
        &self.cache
    }

    /// `team=` is sent only when the target is not the key's own team.
    pub(super) fn team_param<'a>(&self, team: &'a TeamId) -> Option<&'a TeamId> {
        match self.own_team() {
            Some(own) if &own == team => None,
            _ => Some(team),
        }
    }

    /// This client, sharing its limiter, cache and what it learned, but trying each
    /// request once: for callers that retry on their own and must tell the user at the
    /// first failure (the dashboard's team list).
    pub fn trying_once(&self) -> ApiClient {
        let mut c = self.clone();
        c.config = Arc::new(ClientConfig {
            max_retries: 0,
            retry_budget: None,
            ..(*self.config).clone()
        });
        c
    }

    /// This client, sharing its limiter, cache and what it learned, calling `hook` right
    /// before each of its requests goes out (see `BeforeSend`).
    pub fn before_send(&self, hook: BeforeSend) -> ApiClient {
        let mut c = self.clone();
        c.before_send = Some(hook);
        c
    }

    /// How many requests may be in flight at once (the profile's `concurrency`).
    pub fn concurrency(&self) -> usize {
        self.config.max_concurrency.max(1)
    }

    /// This client, sharing its limiter, cache and what it learned, retrying each read
    /// for up to `budget` instead of a fixed number of times: for long jobs that must not
    /// fail on a busy minute (headless exports, the Group tab's load under a rate limit).
    pub fn patient(&self, budget: Duration) -> ApiClient {
        let mut c = self.clone();
        c.config = Arc::new(ClientConfig {
            retry_budget: Some(budget),
            ..(*self.config).clone()
        });
        c
    }

    /// The key's own team: what the key says, else what the client learned.
    pub fn own_team(&self) -> Option<TeamId> {
        self.info.team.clone().or_else(|| {
            self.learned_own
                .read()
                .map(|t| t.clone())
                .unwrap_or_else(|p| p.into_inner().clone())
        })
    }

    pub(super) fn learn_own(&self, team: &TeamId) {
        if self.info.team.is_none() {
            tracing::info!(%team, "the key's own team, learned (the key does not carry it)");
            match self.learned_own.write() {
                Ok(mut t) => *t = Some(team.clone()),
                Err(p) => *p.into_inner() = Some(team.clone()),
            }
        }
    }

    /// A read for `team`, scoped as `team_param` says. A key that does not carry its team
    /// may be refused with "not a master team" when `team=` names its own team: then the
    /// read is tried once without `team=`, and on success that team is remembered as the
    /// key's own.
    pub(super) async fn scoped_read<'t, T, F, Fut>(
        &self,
        team: &'t TeamId,
        read: F,
    ) -> Result<T, ApiError>
    where
        F: Fn(Option<&'t TeamId>) -> Fut,
        Fut: std::future::Future<Output = Result<T, ApiError>>,
    {
        let scoped = self.team_param(team);
        match read(scoped).await {
            Err(ApiError::NotMasterTeam { .. })
                if scoped.is_some() && self.own_team().is_none() =>
            {
                let r = read(None).await;
                if r.is_ok() {
                    self.learn_own(team);
                }
                r
            }
            other => other,
        }
    }

    fn backoff(&self, attempt: u32, err: &ApiError) -> Duration {
        if let ApiError::RateLimited {
            retry_after: Some(d),
        } = err
        {
            return (*d).min(self.config.retry_after_cap);
        }
        let exp = self
            .config
            .backoff_base
            .saturating_mul(1u32 << attempt.min(16))
            .min(self.config.backoff_cap);
        let jitter = exp.mul_f64(rand::random::<f64>() * 0.5);
        exp + jitter
    }

    /// Every error text built from a body passes here: a body that echoes the key (and
    /// failed to decode) must not carry it into a message, a log line or a screen.
    pub(super) fn redacted<T>(&self, r: Result<T, ApiError>) -> Result<T, ApiError> {
        r.map_err(|e| e.redact(self.key.expose()))
    }

    pub(super) async fn execute(&self, call: Call<'_>) -> Result<Vec<u8>, ApiError> {
        self.execute_decoded(call, |b| Ok(b.to_vec())).await
    }

    /// Sends `call` and decodes its answer, retrying what is worth retrying: for any safe
    /// request (a GET, or a write with its idempotency key) the transient failures (429,
    /// 502–504, network, timeout); for a GET also a 500 and an answer cut short or not
    /// JSON, since reading again cannot apply anything twice. Retries stop after
    /// `max_retries`, or, with a `retry_budget` (headless jobs), when the budget is spent.
    pub(super) async fn execute_decoded<T>(
        &self,
        call: Call<'_>,
        decode: impl Fn(&[u8]) -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        let safe = call.method == Method::GET || call.idempotency.is_some() || call.retry_safe;
        let read = call.method == Method::GET || call.retry_safe;
        if let Some(bad) = dot_segment(&call.path) {
            // An id of `..` would be normalised away and the request would reach another
            // endpoint: never send it.
            return Err(ApiError::Validation {
                status: 0,
                message: format!("«{bad}» is not a valid id; nothing was sent"),
                details: vec![],
            });
        }
        let started = tokio::time::Instant::now();
        let mut attempt = 0;
        loop {
            let result = {
                let _slot = self.slots.acquire().await.map_err(|_| ApiError::Network {
                    message: "client is shutting down".into(),
                })?;
                self.limiter.acquire().await;
                if let Some(hook) = &self.before_send {
                    hook()?;
                }
                self.send_once(&call).await
            };
            let result = result.and_then(|body| decode(&body));
            match result {
                Ok(v) => return Ok(v),
                Err(e) if (safe && e.is_transient()) || (read && worth_reading_again(&e)) => {
                    let wait = self.backoff(attempt, &e);
                    let more = match self.config.retry_budget {
                        Some(budget) => started.elapsed() + wait < budget,
                        None => attempt < self.config.max_retries,
                    };
                    if !more {
                        return Err(e.redact(self.key.expose()));
                    }
                    tracing::debug!(path = %call.path, attempt, ?wait, kind = e.kind(), "retrying");
                    tokio::time::sleep(wait).await;
                    attempt += 1;
                }
                Err(e) => return Err(e.redact(self.key.expose())),
            }
        }
    }

    async fn send_once(&self, call: &Call<'_>) -> Result<Vec<u8>, ApiError> {
        let url = format!("{}{}", self.base, call.path);
        let mut req = self
            .http
            .request(call.method.clone(), &url)
            .bearer_auth(self.key.expose());
        let mut query = call.query.clone();
        if let Some(team) = call.team {
            query.push(("team".into(), team.0.clone()));
        }
        if !query.is_empty() {
            req = req.query(&query);
        }
        if let Some(k) = call.idempotency {
            req = req.header("Idempotency-Key", k.as_str());
        }
        if let Some(body) = &call.body {
            req = req.json(body);
        }
        let mut resp = req.send().await.map_err(map_reqwest)?;
        let status = resp.status().as_u16();
        let retry_after = resp
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|s| s.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        if !(200..300).contains(&status) {
            let body = error_body(&mut resp).await;
            tracing::debug!(method = %call.method, path = %call.path, status, bytes = body.len(), "gigstack");
            return Err(classify(status, &body, retry_after, call.team));
        }
        let mut body = Vec::new();
        while let Some(chunk) = resp.chunk().await.map_err(map_reqwest)? {
            let max = self.config.max_body_bytes;
            if body.len() + chunk.len() > max {
                return Err(ApiError::Decode {
                    message: format!("the answer is larger than the {max}-byte limit"),
                    excerpt: excerpt(&body),
                });
            }
            body.extend_from_slice(&chunk);
        }
        tracing::debug!(method = %call.method, path = %call.path, status, bytes = body.len(), "gigstack");
        Ok(body)
    }

    pub(super) fn decode_one<T: DeserializeOwned>(
        body: &[u8],
        team: Option<&TeamId>,
    ) -> Result<T, ApiError> {
        let wire: OneWire<T> = serde_json::from_slice(body).map_err(|e| decode_error(&e, body))?;
        if wire.success == Some(false) {
            return Err(refused_on_2xx(body, team));
        }
        wire.data.ok_or_else(|| ApiError::Decode {
            message: "the answer has no `data`".into(),
            excerpt: excerpt(body),
        })
    }

    pub(super) fn decode_page<T: DeserializeOwned>(
        body: &[u8],
        team: Option<&TeamId>,
    ) -> Result<Page<T>, ApiError> {
        let wire: ListWire<T> = match serde_json::from_slice(body) {
            Ok(w) => w,
            Err(e) => return Self::decode_page_item_by_item(body, e, team),
        };
        if wire.success == Some(false) {
            return Err(refused_on_2xx(body, team));
        }
        Ok(wire.into_page())
    }

    /// The slow path, when a page did not decode whole: item by item, repairing amounts
    /// that are not amounts. An item still unreadable after that fails the page as before.
    fn decode_page_item_by_item<T: DeserializeOwned>(
        body: &[u8],
        first_error: serde_json::Error,
        team: Option<&TeamId>,
    ) -> Result<Page<T>, ApiError> {
        let Ok(wire) = serde_json::from_slice::<ListWire<serde_json::Value>>(body) else {
            return Err(decode_error(&first_error, body));
        };
        if wire.success == Some(false) {
            return Err(refused_on_2xx(body, team));
        }
        let page = wire.into_page();
        let mut items = Vec::with_capacity(page.items.len());
        for mut v in page.items {
            let item = match serde_json::from_value::<T>(v.clone()) {
                Ok(item) => item,
                Err(_) => {
                    let fields = super::envelope::repair_money(&mut v);
                    if fields.is_empty() {
                        return Err(decode_error(&first_error, body));
                    }
                    tracing::warn!(?fields, "kept an item with unreadable amounts");
                    serde_json::from_value::<T>(v).map_err(|_| decode_error(&first_error, body))?
                }
            };
            items.push(item);
        }
        Ok(Page {
            items,
            next: page.next,
            has_more: page.has_more,
            total_results: page.total_results,
        })
    }
}

/// The most of an error answer's body that is read: enough for any error envelope, and a
/// 1.5 GB error page is not buffered (what lies beyond is dropped with the connection).
pub const MAX_ERROR_BODY_BYTES: usize = 64 * 1024;

/// The start of an error answer's body, at most `MAX_ERROR_BODY_BYTES`; reading stops there.
/// A body cut short still leaves the status to go by.
pub(super) async fn error_body(resp: &mut reqwest::Response) -> Vec<u8> {
    let mut body = Vec::new();
    while body.len() < MAX_ERROR_BODY_BYTES {
        match resp.chunk().await {
            Ok(Some(chunk)) => body.extend_from_slice(&chunk),
            Ok(None) | Err(_) => break,
        }
    }
    body.truncate(MAX_ERROR_BODY_BYTES);
    body
}

/// Percent-encodes a path segment (ids come from the network). `.` and `..` cannot be
/// encoded safely (URL parsing treats `%2e%2e` as `..` too); `execute_decoded` refuses them.
pub(super) fn enc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A failed read that another read may fix: a 500, or an answer cut short or not JSON
/// (not one refused for its size: that will not change).
fn worth_reading_again(e: &ApiError) -> bool {
    match e {
        ApiError::Server { status, .. } => *status == 500,
        ApiError::Decode { message, .. } => !message.contains("-byte limit"),
        _ => false,
    }
}

/// A path segment that URL parsing would treat as `.` or `..` (also when encoded).
fn dot_segment(path: &str) -> Option<&str> {
    path.split(['/', '?']).find(|seg| {
        let s = seg.to_ascii_lowercase().replace("%2e", ".");
        s == "." || s == ".."
    })
}

pub(super) fn map_reqwest(e: reqwest::Error) -> ApiError {
    if e.is_timeout() {
        ApiError::Timeout
    } else if e.is_decode() || e.is_body() {
        ApiError::Network {
            message: format!(
                "the connection broke while reading the answer: {}",
                root_cause(&e)
            ),
        }
    } else {
        ApiError::Network {
            message: root_cause(&e),
        }
    }
}

fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut cur: &dyn std::error::Error = e;
    while let Some(next) = cur.source() {
        cur = next;
    }
    cur.to_string()
}

fn decode_error(e: &serde_json::Error, body: &[u8]) -> ApiError {
    let message = if body.is_empty() {
        "empty body".to_string()
    } else if e.is_eof() {
        "the JSON ended early (truncated answer)".to_string()
    } else if body.first().is_some_and(|b| *b == b'<') {
        "an HTML page instead of JSON (a proxy or gateway error page?)".to_string()
    } else {
        format!("unexpected JSON: {e}")
    };
    ApiError::Decode {
        message,
        excerpt: excerpt(body),
    }
}

fn refused_on_2xx(body: &[u8], team: Option<&TeamId>) -> ApiError {
    match classify(400, body, None, team) {
        ApiError::Validation { message, .. } => {
            let code = serde_json::from_slice::<super::error::ErrorBody>(body)
                .ok()
                .and_then(|b| b.parts().code);
            ApiError::Refused {
                status: 200,
                code,
                message,
            }
        }
        other => other,
    }
}

pub(crate) fn decode_page_public<T: DeserializeOwned>(body: &[u8]) -> Result<Page<T>, ApiError> {
    ApiClient::decode_page(body, None)
}
