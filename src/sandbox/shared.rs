//! What every handler of the sandbox shares: its state (the world, the faults, the rate
//! windows, the clock) and how a JSON answer is written.

use std::sync::Mutex;

use axum::body::Body;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use super::faults::Faults;
use super::store::Store;

/// State shared by the handlers.
pub struct Shared {
    pub store: Mutex<Store>,
    pub faults: Mutex<Faults>,
    /// Requests per second per key above which the answer is 429 (`--rate-limit`).
    pub rate_limit: Option<u32>,
    /// Per key: the current one-second window and the requests counted in it.
    pub windows: Mutex<std::collections::HashMap<String, (i64, u32)>>,
    /// `http://127.0.0.1:PORT`, for the file URLs the sandbox hands out.
    pub origin: String,
    /// Seconds the sandbox's clock runs ahead of (or, negative, behind) the machine's
    /// (`/_sandbox/clock`): what a request is stamped with — a payment marked paid, an
    /// invoice stamped, a cancellation settling. The rate limit keeps real seconds.
    pub clock_offset: std::sync::atomic::AtomicI64,
}

impl Shared {
    pub fn store(&self) -> std::sync::MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(|p| p.into_inner())
    }
    pub fn faults(&self) -> std::sync::MutexGuard<'_, Faults> {
        self.faults.lock().unwrap_or_else(|p| p.into_inner())
    }
    /// The sandbox's now (epoch seconds): the machine's, moved by the clock's offset.
    pub fn now(&self) -> i64 {
        jiff::Timestamp::now()
            .as_second()
            .saturating_add(self.clock_offset.load(std::sync::atomic::Ordering::Relaxed))
    }
}

pub fn json_response(status: u16, body: &Value) -> Response {
    let bytes = serde_json::to_vec(body).unwrap_or_default();
    raw_json(status, bytes)
}

pub fn raw_json(status: u16, bytes: Vec<u8>) -> Response {
    Response::builder()
        .status(StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(bytes))
        .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())
}
