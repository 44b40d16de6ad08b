//! A gigstack-compatible sandbox server (axum): the seeded demo world, the API's rules and
//! error envelopes, idempotency, and switchable faults. It builds its JSON from its own
//! types (`model`), never from the client's, so the contract is tested from both sides.

mod collect;
mod connect;
mod control;
mod error;
mod extended;
pub mod faults;
mod files;
mod history;
mod http;
pub mod model;
mod names;
mod request;
mod rules;
mod shared;
pub mod store;
mod totals;
pub mod world;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use base64::Engine;
use rand::SeedableRng;
use rand::rngs::StdRng;
use serde_json::json;
use tokio::sync::oneshot;

pub use error::SbError;
pub use faults::{FaultKind, Faults};
use model::{DemoKey, Role};
pub use shared::Shared;
use store::Store;

#[derive(Clone, Debug)]
pub struct SandboxConfig {
    pub port: u16,
    pub seed: u64,
    /// About this many invoices in the world.
    pub scale: usize,
    pub latency_ms: u64,
    pub fault_rate: f64,
    /// Seconds until a pending cancellation is accepted by receiver silence.
    pub cancel_accept_secs: u64,
    /// "Now" for the seeded history (epoch seconds); the real clock when `None`.
    pub anchor: Option<i64>,
    /// Teams of the franchise account (`--teams`, up to 500); the demo world when `None`.
    pub teams: Option<usize>,
    /// Requests per second per key above which the sandbox answers 429 (`--rate-limit`).
    pub rate_limit: Option<u32>,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        SandboxConfig {
            port: 0,
            seed: 7,
            scale: 3000,
            latency_ms: 0,
            fault_rate: 0.0,
            cancel_accept_secs: 20,
            anchor: None,
            teams: None,
            rate_limit: None,
        }
    }
}

/// A running sandbox. Dropping it stops the server.
pub struct Sandbox {
    /// Base URL including `/v2`.
    pub base_url: String,
    pub addr: SocketAddr,
    pub keys: Vec<DemoKey>,
    pub shared: Arc<Shared>,
    shutdown: Option<oneshot::Sender<()>>,
}

impl Sandbox {
    /// The first key: an admin of the master team, with Connect.
    pub fn admin_key(&self) -> &str {
        &self.keys[0].key
    }

    pub fn key(&self, pick: impl Fn(&DemoKey) -> bool) -> Option<&DemoKey> {
        self.keys.iter().find(|k| pick(k))
    }

    /// The master team's key with the given role.
    pub fn master_key(&self, role: Role) -> &DemoKey {
        self.keys
            .iter()
            .find(|k| k.role == role && k.note.starts_with("master"))
            .unwrap_or(&self.keys[0])
    }

    /// Stop serving (also done on drop).
    pub fn stop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }

    /// A human summary: URL and keys with roles, as `gigdash sandbox` prints it.
    pub fn banner(&self) -> String {
        let mut s = format!(
            "gigstack sandbox listening on {}\n\nDemo API keys (test mode):\n",
            self.base_url
        );
        for k in &self.keys {
            s.push_str(&format!(
                "  {:<6} {:<32} {}\n         {}\n",
                k.role.as_str(),
                k.team_name,
                k.note,
                k.key
            ));
        }
        s.push_str(&format!(
            "\nTry:  GIGSTACK_API_BASE_URL={} GIGSTACK_API_KEY=<key> gigdash\nFaults: GET/PUT {}/_sandbox/faults   Clock: GET/PUT {}/_sandbox/clock   Stats: GET {}/_sandbox/stats\n",
            self.base_url,
            self.base_url.trim_end_matches("/v2"),
            self.base_url.trim_end_matches("/v2"),
            self.base_url.trim_end_matches("/v2"),
        ));
        s
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        self.stop();
    }
}

fn unsigned_jwt(claims: &serde_json::Value) -> String {
    let e = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    format!(
        "{}.{}.sandbox",
        e.encode(br#"{"alg":"none","typ":"JWT"}"#),
        e.encode(claims.to_string())
    )
}

/// Issues the demo keys: admin/member/viewer of the franchise master team, an admin of a
/// branch (no Connect), and an admin of the other billing account's master team.
fn issue_keys(store: &mut Store, seed: u64) -> Vec<DemoKey> {
    use rand::Rng;
    let mut rng = StdRng::seed_from_u64(seed ^ 0x5eed_cafe);
    let mut keys = Vec::new();
    let master_a = store.master_team("ba_donalupe").cloned();
    let branch = store
        .teams
        .iter()
        .find(|t| t.billing_account == "ba_donalupe" && !t.connect && t.active)
        .cloned();
    let master_b = store.master_team("ba_nunez").cloned();
    let mut plan = Vec::new();
    if let Some(t) = &master_a {
        plan.push((
            t.clone(),
            Role::Admin,
            "master team, Connect: every franchise branch",
        ));
        plan.push((
            t.clone(),
            Role::Member,
            "master team, Connect: can mark paid, cannot cancel",
        ));
        plan.push((t.clone(), Role::Viewer, "master team, Connect: read only"));
    }
    if let Some(t) = &branch {
        plan.push((
            t.clone(),
            Role::Admin,
            "branch without Connect: own team only",
        ));
    }
    if let Some(t) = &master_b {
        plan.push((
            t.clone(),
            Role::Admin,
            "another billing account: cannot reach Doña Lupe",
        ));
    }
    for (team, role, note) in plan {
        let user = store
            .data
            .get(&team.id)
            .and_then(|d| d.users.iter().find(|u| u.role == role.as_str()).cloned());
        let (user_id, user_name) = user
            .map(|u| (u.id, u.name))
            .unwrap_or_else(|| ("user_demo".into(), "Demo".into()));
        let suffix: String = (0..12)
            .map(|_| (b'a' + rng.random_range(0..26u8)) as char)
            .collect();
        let key_id = format!("sk_test_{}_{suffix}", role.as_str());
        let key = unsigned_jwt(&json!({
            "livemode": false, "key_id": key_id, "team": team.id, "user": user_id,
        }));
        let dk = DemoKey {
            key: key.clone(),
            key_id,
            user_id,
            user_name,
            team: team.id.clone(),
            team_name: team.name.clone(),
            role,
            livemode: false,
            note: note.into(),
        };
        store.keys.insert(key, dk.clone());
        keys.push(dk);
    }
    keys
}

/// Builds the world for a config (exposed for benchmarks).
pub fn build_store(cfg: &SandboxConfig) -> (Store, Vec<DemoKey>) {
    let anchor = cfg
        .anchor
        .unwrap_or_else(|| jiff::Timestamp::now().as_second());
    let mut store = world::build(&world::WorldConfig {
        seed: cfg.seed,
        scale: cfg.scale,
        anchor,
        teams: cfg.teams,
    });
    extended::seed(&mut store);
    let keys = issue_keys(&mut store, cfg.seed);
    (store, keys)
}

/// Starts the sandbox on 127.0.0.1 in this runtime and returns once it accepts connections.
pub async fn start(cfg: SandboxConfig) -> std::io::Result<Sandbox> {
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", cfg.port)).await?;
    let addr = listener.local_addr()?;
    let origin = format!("http://{addr}");
    let build_cfg = cfg.clone();
    let (store, keys) = tokio::task::spawn_blocking(move || build_store(&build_cfg))
        .await
        .map_err(std::io::Error::other)?;
    let shared = Arc::new(Shared {
        rate_limit: cfg.rate_limit,
        windows: Mutex::default(),
        store: Mutex::new(store),
        faults: Mutex::new(Faults {
            latency_ms: cfg.latency_ms,
            fault_rate: cfg.fault_rate,
            cancel_accept_ms: cfg.cancel_accept_secs * 1000,
            ..Faults::default()
        }),
        origin: origin.clone(),
        clock_offset: std::sync::atomic::AtomicI64::new(0),
    });
    let app = http::router(shared.clone());
    let (tx, rx) = oneshot::channel::<()>();
    tokio::spawn(async move {
        let _ = axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = rx.await;
            })
            .await;
    });
    Ok(Sandbox {
        base_url: format!("{origin}/v2"),
        addr,
        keys,
        shared,
        shutdown: Some(tx),
    })
}
