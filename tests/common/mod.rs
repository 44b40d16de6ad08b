//! Shared helpers for the integration tests: a small deterministic sandbox on loopback,
//! fast-retrying clients, raw HTTP helpers and the sandbox's control endpoints.
#![allow(dead_code)]

use std::time::Duration;

use gigdash::api::{ApiClient, ApiKey, ClientConfig};
use gigdash::sandbox::{Sandbox, SandboxConfig};
use serde_json::Value;

/// 2026-09-21: the seeded history ends here, so every seeded invoice is old enough that
/// cancelling one above $1,000 needs the receiver's acceptance.
pub const ANCHOR: i64 = 1_790_000_000;

pub async fn sandbox() -> Sandbox {
    sandbox_with(SandboxConfig {
        scale: 600,
        anchor: Some(ANCHOR),
        cancel_accept_secs: 1,
        ..Default::default()
    })
    .await
}

pub async fn sandbox_with(cfg: SandboxConfig) -> Sandbox {
    gigdash::sandbox::start(cfg).await.expect("sandbox starts")
}

pub fn fast_config(base: &str) -> ClientConfig {
    ClientConfig {
        backoff_base: Duration::from_millis(5),
        backoff_cap: Duration::from_millis(50),
        requests_per_second: 0.0,
        timeout: Duration::from_secs(10),
        ..ClientConfig::with_base_url(base)
    }
}

pub fn client(sb: &Sandbox, key: &str) -> ApiClient {
    ApiClient::new(ApiKey::new(key), fast_config(&sb.base_url)).expect("client builds")
}

pub fn origin(sb: &Sandbox) -> String {
    sb.base_url.trim_end_matches("/v2").to_string()
}

/// How long one of the tests' own HTTP requests (behind gigdash's back) may take to
/// connect, and then to be answered in full.
pub const HTTP_WITHIN: Duration = Duration::from_secs(30);

/// The client of the tests' own HTTP requests: with connect and request timeouts, so a
/// sandbox that accepts and never answers fails the test instead of hanging it.
pub fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .connect_timeout(HTTP_WITHIN)
        .timeout(HTTP_WITHIN)
        .build()
        .expect("the tests' HTTP client builds")
}

/// Sends `req` (built on `http()`) and reads its whole body: (status, body). Fails the
/// test naming the method and URL asked when there is no answer in time or no answer at
/// all.
pub async fn http_send(req: reqwest::RequestBuilder) -> (u16, Vec<u8>) {
    let (client, req) = req.build_split();
    let req = req.unwrap_or_else(|e| panic!("a test request that does not build: {e}"));
    let what = format!("{} {}", req.method(), req.url());
    let r = client
        .execute(req)
        .await
        .unwrap_or_else(|e| no_answer(&what, e));
    let status = r.status().as_u16();
    let body = r.bytes().await.unwrap_or_else(|e| no_answer(&what, e));
    (status, body.to_vec())
}

fn no_answer(what: &str, e: reqwest::Error) -> ! {
    if e.is_timeout() {
        panic!("{what}: no answer within {HTTP_WITHIN:?} ({e})")
    }
    panic!("{what}: {e}")
}

/// `http_send`, the body as text.
pub async fn http_text(req: reqwest::RequestBuilder) -> (u16, String) {
    let (status, body) = http_send(req).await;
    (status, String::from_utf8_lossy(&body).into_owned())
}

/// `http_send`, the body as JSON; fails naming the request when it is not JSON.
pub async fn http_json(req: reqwest::RequestBuilder) -> (u16, Value) {
    let what = describe(&req);
    let (status, text) = http_text(req).await;
    let v = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{what}: {status}, not JSON ({e}): {text}"));
    (status, v)
}

/// "METHOD URL" of a request not yet sent.
fn describe(req: &reqwest::RequestBuilder) -> String {
    match req.try_clone().map(|r| r.build()) {
        Some(Ok(r)) => format!("{} {}", r.method(), r.url()),
        _ => "a test request".to_string(),
    }
}

pub async fn set_faults(sb: &Sandbox, patch: Value) {
    let (status, body) = http_text(
        http()
            .put(format!("{}/_sandbox/faults", origin(sb)))
            .json(&patch),
    )
    .await;
    assert_eq!(status, 200, "{body}");
}

/// The sandbox's `/_sandbox/stats`.
async fn sandbox_stats(sb: &Sandbox) -> Value {
    let (status, v) = http_json(http().get(format!("{}/_sandbox/stats", origin(sb)))).await;
    assert_eq!(status, 200, "GET /_sandbox/stats: {v}");
    v
}

/// (writes applied, requests served) as the sandbox counts them.
pub async fn stats(sb: &Sandbox) -> (u64, u64) {
    let v = sandbox_stats(sb).await;
    (
        v["data"]["writes"].as_u64().unwrap(),
        v["data"]["requests"].as_u64().unwrap(),
    )
}

/// The 429s the sandbox has answered (its rate limit and its `429` faults).
pub async fn rate_limited(sb: &Sandbox) -> u64 {
    let v = sandbox_stats(sb).await;
    v["data"]["rate_limited"]
        .as_u64()
        .unwrap_or_else(|| panic!("no rate_limited in the sandbox's stats: {v}"))
}

/// A raw request to the sandbox: (status, JSON body).
pub async fn call(
    sb: &Sandbox,
    method: &str,
    key: &str,
    path_and_query: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let m = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    let mut req = http()
        .request(m, format!("{}{}", sb.base_url, path_and_query))
        .bearer_auth(key);
    if let Some(b) = body {
        req = req.json(&b);
    }
    http_json(req).await
}

pub async fn get(sb: &Sandbox, key: &str, path: &str) -> Value {
    let (s, v) = call(sb, "GET", key, path, None).await;
    assert_eq!(s, 200, "GET {path}: {v}");
    v
}

/// The most pages a test follows of one list: far more than any seeded list has, so a
/// server whose next-page cursor never ends fails the test instead of looping forever.
pub const MAX_PAGES: usize = 10_000;

/// Every item of a list, walked page by page over raw HTTP (at most `MAX_PAGES` pages).
pub async fn walk(sb: &Sandbox, key: &str, path: &str, limit: u32) -> Vec<Value> {
    let mut out = Vec::new();
    let mut next: Option<String> = None;
    let sep = if path.contains('?') { '&' } else { '?' };
    for _ in 0..MAX_PAGES {
        let mut p = format!("{path}{sep}limit={limit}");
        if let Some(n) = &next {
            p.push_str(&format!("&next={n}"));
        }
        let v = get(sb, key, &p).await;
        out.extend(v["data"].as_array().unwrap().iter().cloned());
        if v["has_more"].as_bool() == Some(true) {
            next = Some(v["next"].as_str().unwrap().to_string());
        } else {
            return out;
        }
    }
    panic!(
        "GET {path}: still has_more after {MAX_PAGES} pages ({} items); next cursor {next:?}",
        out.len()
    )
}

/// A worker on `client`, set up by `setup` (downloads, audit…), running: the sender of its
/// requests and the receiver of its updates.
pub fn spawn_worker(
    client: ApiClient,
    setup: impl FnOnce(gigdash::worker::Worker) -> gigdash::worker::Worker,
) -> (
    tokio::sync::mpsc::UnboundedSender<gigdash::app::Request>,
    tokio::sync::mpsc::UnboundedReceiver<gigdash::app::Update>,
) {
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    let (req_tx, req_rx) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(setup(gigdash::worker::Worker::new(client, false, tx)).run(req_rx));
    (req_tx, rx)
}

/// The binary against `sb` with `key`, its files under `state`, in English.
pub fn gigdash_cmd(
    sb: &gigdash::sandbox::Sandbox,
    key: &str,
    state: &std::path::Path,
) -> std::process::Command {
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_gigdash"));
    c.env("GIGSTACK_API_KEY", key)
        .env("GIGSTACK_API_BASE_URL", &sb.base_url)
        .env("XDG_STATE_HOME", state)
        .env("XDG_CONFIG_HOME", state.join("config"))
        .env("XDG_CACHE_HOME", state.join("cache"))
        .env("GIGDASH_LOG", "debug")
        .env_remove("GIGDASH_CONFIG")
        // English unless a test asks otherwise, whatever the machine's locale.
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("GIGDASH_LANG")
        .env("LANG", "C.UTF-8");
    c
}

/// How long a test waits for one answer of a worker before it fails.
pub const ANSWER_WITHIN: Duration = Duration::from_secs(30);

/// Receives from `rx` until `pick` takes an item (`Some`), skipping the others, and returns
/// what it took. Fails the test, naming `what`, if `deadline` passes first or the sender
/// is gone (a dead worker): a wait never outlives its deadline, nor spins on a closed
/// channel.
pub async fn recv_until<U, T>(
    rx: &mut tokio::sync::mpsc::UnboundedReceiver<U>,
    deadline: tokio::time::Instant,
    what: &str,
    mut pick: impl FnMut(U) -> Option<T>,
) -> T {
    let mut skipped = 0usize;
    loop {
        match tokio::time::timeout_at(deadline, rx.recv()).await {
            Err(_) => panic!("timed out waiting for {what} (skipped {skipped} other updates)"),
            Ok(None) => {
                panic!("the worker stopped before {what} (skipped {skipped} other updates)")
            }
            Ok(Some(u)) => match pick(u) {
                Some(t) => return t,
                None => skipped += 1,
            },
        }
    }
}

/// `recv_until` with a deadline of `ANSWER_WITHIN` from now.
pub async fn recv_within<U, T>(
    rx: &mut tokio::sync::mpsc::UnboundedReceiver<U>,
    what: &str,
    pick: impl FnMut(U) -> Option<T>,
) -> T {
    recv_until(rx, tokio::time::Instant::now() + ANSWER_WITHIN, what, pick).await
}

/// The command's output, or a failed test if it has not ended within three minutes (it is
/// killed then): no run of the binary can hang the suite.
pub fn output_within(c: &mut std::process::Command) -> std::process::Output {
    let child = c
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    match rx.recv_timeout(std::time::Duration::from_secs(180)) {
        Ok(out) => out.unwrap(),
        Err(_) => {
            let _ = std::process::Command::new("kill")
                .args(["-9", &pid.to_string()])
                .status();
            panic!("{c:?} did not end within three minutes");
        }
    }
}
