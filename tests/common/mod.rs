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

pub async fn set_faults(sb: &Sandbox, patch: Value) {
    let r = reqwest::Client::new()
        .put(format!("{}/_sandbox/faults", origin(sb)))
        .json(&patch)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap_or_default());
}

/// (writes applied, requests served) as the sandbox counts them.
pub async fn stats(sb: &Sandbox) -> (u64, u64) {
    let v: Value = reqwest::get(format!("{}/_sandbox/stats", origin(sb)))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    (
        v["data"]["writes"].as_u64().unwrap(),
        v["data"]["requests"].as_u64().unwrap(),
    )
}

/// The 429s the sandbox has answered (its rate limit and its `429` faults).
pub async fn rate_limited(sb: &Sandbox) -> u64 {
    let v: Value = reqwest::get(format!("{}/_sandbox/stats", origin(sb)))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
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
    let mut req = reqwest::Client::new()
        .request(m, format!("{}{}", sb.base_url, path_and_query))
        .bearer_auth(key);
    if let Some(b) = body {
        req = req.json(&b);
    }
    let r = req.send().await.unwrap();
    let status = r.status().as_u16();
    let text = r.text().await.unwrap();
    let v = serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"));
    (status, v)
}

pub async fn get(sb: &Sandbox, key: &str, path: &str) -> Value {
    let (s, v) = call(sb, "GET", key, path, None).await;
    assert_eq!(s, 200, "GET {path}: {v}");
    v
}

/// Every item of a list, walked page by page over raw HTTP.
pub async fn walk(sb: &Sandbox, key: &str, path: &str, limit: u32) -> Vec<Value> {
    let mut out = Vec::new();
    let mut next: Option<String> = None;
    let sep = if path.contains('?') { '&' } else { '?' };
    loop {
        let mut p = format!("{path}{sep}limit={limit}");
        if let Some(n) = &next {
            p.push_str(&format!("&next={n}"));
        }
        let v = get(sb, key, &p).await;
        out.extend(v["data"].as_array().unwrap().iter().cloned());
        if v["has_more"].as_bool() == Some(true) {
            next = Some(v["next"].as_str().unwrap().to_string());
        } else {
            break;
        }
    }
    out
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
