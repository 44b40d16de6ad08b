//! The sandbox's HTTP surface: one `/v2` dispatcher (auth, Connect, roles, idempotency,
//! faults, reads) and the file downloads; the `/_sandbox` controls are `control`'s.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Serialize;
use serde_json::{Value, json};

use super::connect::{ROLE_DENIED, authenticate, reachable_teams, target_team};
use super::error::SbError;
use super::faults::FaultKind;
use super::model::{Action, DemoKey, SbTeam};
use super::request::Req;
use super::shared::{Shared, json_response, raw_json};
use super::store::{IdemKey, IdemRecord, Store};
use super::{control, extended, rules};

pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/files/{name}", get(file))
        .route(
            "/_sandbox/faults",
            get(control::get_faults)
                .put(control::put_faults)
                .post(control::put_faults),
        )
        .route("/_sandbox/stats", get(control::stats))
        .route(
            "/_sandbox/clock",
            get(control::get_clock).put(control::put_clock),
        )
        .route(
            "/_sandbox/teams/{id}",
            axum::routing::put(control::put_team_shape),
        )
        // axum answers a routed path's other methods 405 with an empty body; the reference
        // knows no 405 (§1.5): every request nothing serves gets the 404 envelope.
        .method_not_allowed_fallback(v2)
        .fallback(v2)
        .with_state(shared)
}

/// Pre-signed-style file URLs: no auth, like the storage links the real API returns.
async fn file(State(s): State<Arc<Shared>>, Path(name): Path<String>) -> Response {
    let (uuid, ext) = match name.rsplit_once('.') {
        Some((u, e)) if e == "pdf" || e == "xml" => (u.to_string(), e.to_string()),
        _ => return json_response(404, &SbError::not_found("File").body()),
    };
    let st = s.store();
    let inv = st
        .data
        .values()
        .flat_map(|d| d.income.iter().chain(d.egress.iter()))
        .find(|i| i.uuid == uuid);
    let Some(inv) = inv else {
        return json_response(404, &SbError::not_found("File").body());
    };
    let (ctype, body) = if ext == "pdf" {
        ("application/pdf", super::files::invoice_pdf(inv))
    } else {
        (
            "application/xml",
            super::files::invoice_xml(inv).into_bytes(),
        )
    };
    Response::builder()
        .status(200)
        .header(header::CONTENT_TYPE, ctype)
        .body(Body::from(body))
        .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())
}

/// Everything under `/v2`.
/// gigstack limits requests per key (§1.9): a one-second window per Authorization header.
fn over_rate_limit(s: &Shared, headers: &HeaderMap, limit: u32) -> bool {
    let key = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let second = jiff::Timestamp::now().as_millisecond().div_euclid(1000);
    let mut w = s.windows.lock().unwrap_or_else(|p| p.into_inner());
    let slot = w.entry(key).or_insert((second, 0));
    if slot.0 != second {
        *slot = (second, 0);
    }
    slot.1 += 1;
    slot.1 > limit
}

async fn v2(
    State(s): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    s.store().requests += 1;
    if let Some(limit) = s.rate_limit
        && over_rate_limit(&s, &headers, limit)
    {
        s.store().rate_limited += 1;
        let mut r = json_response(
            429,
            &SbError::new(
                429,
                "rate_limited",
                "Too many requests for this API key, slow down",
            )
            .body(),
        );
        r.headers_mut()
            .insert(header::RETRY_AFTER, header::HeaderValue::from_static("1"));
        return r;
    }
    let (fault, latency, retry_after, stall) = {
        let mut f = s.faults();
        let fault = if uri.path().starts_with("/v2/") || uri.path() == "/v2" {
            f.draw()
        } else {
            None
        };
        (fault, f.latency_ms, f.retry_after_secs, f.stall_ms)
    };
    if latency > 0 {
        tokio::time::sleep(Duration::from_millis(latency)).await;
    }
    match fault {
        Some(FaultKind::RateLimited) => {
            s.store().rate_limited += 1;
            let mut r = json_response(
                429,
                &SbError::new(429, "rate_limited", "Too many requests, slow down").body(),
            );
            if let Ok(v) = retry_after.to_string().parse() {
                r.headers_mut().insert(header::RETRY_AFTER, v);
            }
            return r;
        }
        Some(FaultKind::Internal) => {
            return json_response(
                500,
                &SbError::new(500, "internal_error", "Internal server error").body(),
            );
        }
        Some(FaultKind::BadGateway) => {
            return json_response(
                502,
                &SbError::new(502, "bad_gateway", "Upstream timeout").body(),
            );
        }
        Some(FaultKind::Unavailable) => {
            return json_response(
                503,
                &SbError::new(503, "unavailable", "Service unavailable").body(),
            );
        }
        Some(FaultKind::Html) => {
            return Response::builder()
                .status(502)
                .header(header::CONTENT_TYPE, "text/html")
                .body(Body::from(
                    "<html><body><h1>502 Bad Gateway</h1>nginx</body></html>",
                ))
                .unwrap_or_else(|_| StatusCode::BAD_GATEWAY.into_response());
        }
        Some(FaultKind::Forbidden) => {
            return json_response(
                403,
                &SbError::new(
                    403,
                    "team_not_accessible",
                    "Team is not part of your billing account",
                )
                .body(),
            );
        }
        Some(FaultKind::Stall) => tokio::time::sleep(Duration::from_millis(stall)).await,
        _ => {}
    }
    let query: Vec<(String, String)> = form_urlencoded::parse(uri.query().unwrap_or("").as_bytes())
        .into_owned()
        .collect();
    let req = Req {
        method: method.as_str().to_string(),
        path: uri.path().to_string(),
        query,
        auth: headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string),
        idem_header: headers
            .get("idempotency-key")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string),
        body,
        origin: s.origin.clone(),
        now: s.now(),
    };
    let accept_ms = s.faults().cancel_accept_ms;
    let (status, value) = {
        let mut st = s.store();
        match dispatch(&mut st, &req, accept_ms) {
            Ok((status, v)) => (status, v),
            Err(e) => (e.status, e.body()),
        }
    };
    match fault {
        Some(FaultKind::ApplyThen502) => json_response(
            502,
            &SbError::new(502, "bad_gateway", "Upstream timeout").body(),
        ),
        Some(FaultKind::Truncated) => {
            let mut bytes = serde_json::to_vec(&value).unwrap_or_default();
            bytes.truncate(bytes.len() / 2);
            raw_json(status, bytes)
        }
        _ => json_response(status, &value),
    }
}

fn one<T: Serialize>(message: &str, item: &T) -> Result<(u16, Value), SbError> {
    Ok((200, json!({"message": message, "data": item})))
}

fn action_for(method: &str, segs: &[&str]) -> Action {
    match (method, segs) {
        ("GET", _) => Action::Read,
        ("POST", ["payments", _, "paid"]) => Action::Update,
        ("POST", ["payments", _, "refund"]) => Action::Delete,
        ("POST", _) => Action::Create,
        ("PUT" | "PATCH", _) => Action::Update,
        _ => Action::Delete,
    }
}

fn is_write(method: &str) -> bool {
    method != "GET" && method != "HEAD"
}

fn valid_idempotency_key(k: &str) -> bool {
    (8..=128).contains(&k.len())
        && k.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b':' | b'-'))
}

pub fn dispatch(store: &mut Store, req: &Req, accept_ms: u64) -> Result<(u16, Value), SbError> {
    rules::settle_cancellations(store, req.now);
    let Some(rest) = req.path.strip_prefix("/v2") else {
        return Err(SbError::new(
            404,
            "not_found",
            format!("Unknown endpoint {} {}", req.method, req.path),
        ));
    };
    let segs: Vec<&str> = rest.split('/').filter(|s| !s.is_empty()).collect();
    let key = authenticate(store, req.auth.as_deref())?;
    if !known_route(&req.method, &segs) && !extended::known(&req.method, &segs) {
        // The reference's statuses (§1.5) have no 405: a method a path is not served
        // with is an unknown endpoint like an unknown path, 404 in the error envelope.
        return Err(SbError::new(
            404,
            "not_found",
            format!("Unknown endpoint {} {}", req.method, req.path),
        ));
    }
    let team = target_team(store, &key, req.param("team"))?.clone();
    let action = extended::action(&req.method, &segs).unwrap_or(action_for(&req.method, &segs));
    if !key.role.allows(action) {
        return Err(SbError::new(403, "role_not_allowed", ROLE_DENIED));
    }

    if !is_write(&req.method) {
        if let Some(r) = extended::read(store, req, &key, &team, &segs) {
            return r;
        }
        return read(store, req, &key, &team, &segs);
    }

    // Writes: idempotency by header or body field, scoped to key, team, method and path.
    let body = req.json()?;
    let idem = req.idem_header.clone().or_else(|| {
        body.get("idempotency_key")
            .and_then(|v| v.as_str())
            .map(str::to_string)
    });
    let record_key = match &idem {
        Some(k) if !valid_idempotency_key(k) => {
            return Err(SbError::validation(
                "Idempotency-Key must be 8–128 characters of A-Z a-z 0-9 . _ : -",
            ));
        }
        Some(k) => Some(IdemKey {
            key_id: key.key_id.clone(),
            team: team.id.clone(),
            method: req.method.clone(),
            path: req.path.clone(),
            idempotency_key: k.clone(),
        }),
        None => None,
    };
    let fingerprint = body.to_string();
    if let Some(rk) = &record_key
        && let Some(prev) = store.idempotency.get(rk)
    {
        if prev.fingerprint != fingerprint {
            return Err(SbError::conflict(
                "idempotency_key_reused",
                "This Idempotency-Key was already used with a different request",
            ));
        }
        return Ok((prev.status, prev.body.clone()));
    }
    let result = match extended::write(store, req, &key, &team, &segs, &body) {
        Some(r) => r,
        None => rules::write(
            store,
            req,
            &key,
            &team,
            &segs,
            &body,
            idem.as_deref(),
            accept_ms,
        ),
    };
    if let Some(rk) = record_key {
        let (status, b) = match &result {
            Ok((s, v)) => (*s, v.clone()),
            Err(e) => (e.status, e.body()),
        };
        // Server errors are not replayed: a retry with the same key may succeed.
        if status < 500 {
            store.idempotency.insert(
                rk,
                IdemRecord {
                    fingerprint,
                    status,
                    body: b,
                },
            );
        }
    }
    result
}

fn known_route(method: &str, segs: &[&str]) -> bool {
    matches!(
        (method, segs),
        ("GET", ["teams"] | ["teams", _])
            | ("GET", ["clients"] | ["clients", _])
            | ("GET", ["services"] | ["services", _])
            | (
                "GET",
                ["invoices", "income" | "egress"] | ["invoices", "income" | "egress", _]
            )
            | ("GET", ["invoices", _, "files"])
            | ("DELETE", ["invoices", _])
            | ("GET", ["payments"] | ["payments", _])
            | ("POST", ["payments", "register" | "request"])
            | ("POST", ["payments", _, "paid" | "refund"])
            | ("DELETE", ["payments", _])
            | ("GET", ["receipts"] | ["receipts", _])
            | ("GET", ["users"])
    )
}

fn read(
    store: &Store,
    req: &Req,
    key: &DemoKey,
    team: &SbTeam,
    segs: &[&str],
) -> Result<(u16, Value), SbError> {
    let data = store
        .data
        .get(&team.id)
        .ok_or_else(|| SbError::not_found("Team data"))?;
    match segs {
        ["teams"] => {
            let teams: Vec<SbTeam> = reachable_teams(store, key).into_iter().cloned().collect();
            extended::list(&teams, &req.query)
        }
        ["teams", id] => {
            let t = target_team(store, key, Some(id))?;
            one("Team retrieved successfully", t)
        }
        ["clients"] => extended::list(&data.clients, &req.query),
        ["clients", id] => data
            .clients
            .iter()
            .find(|c| c.id == *id)
            .ok_or_else(|| SbError::not_found("Client"))
            .and_then(|c| one("Client retrieved successfully", c)),
        ["services"] => extended::list(&data.services, &req.query),
        ["services", id] => data
            .services
            .iter()
            .find(|c| c.id == *id)
            .ok_or_else(|| SbError::not_found("Service"))
            .and_then(|c| one("Service retrieved successfully", c)),
        ["invoices", "income"] => extended::list(&data.income, &req.query),
        ["invoices", "egress"] => extended::list(&data.egress, &req.query),
        ["invoices", kind @ ("income" | "egress"), uuid] => {
            let v = if *kind == "income" {
                &data.income
            } else {
                &data.egress
            };
            v.iter()
                .find(|i| i.uuid == *uuid)
                .ok_or_else(|| SbError::not_found("Invoice"))
                .and_then(|i| one("Invoice retrieved successfully", i))
        }
        ["invoices", uuid, "files"] => {
            let inv = data
                .income
                .iter()
                .chain(data.egress.iter())
                .find(|i| i.uuid == *uuid)
                .ok_or_else(|| SbError::not_found("Invoice"))?;
            let pdf = format!("{}/files/{}.pdf", req.origin, inv.uuid);
            let xml = format!("{}/files/{}.xml", req.origin, inv.uuid);
            let data = match req.param("file_type") {
                Some("pdf") => json!({"pdf": pdf}),
                Some("xml") => json!({"xml": xml}),
                None => json!({"pdf": pdf, "xml": xml}),
                Some(other) => {
                    return Err(SbError::validation(format!(
                        "file_type must be pdf or xml, got {other:?}"
                    )));
                }
            };
            Ok((
                200,
                json!({"message": "Invoice files retrieved successfully", "data": data}),
            ))
        }
        ["payments"] => extended::list(&data.payments, &req.query),
        ["payments", id] => data
            .payments
            .iter()
            .find(|p| p.id == *id)
            .ok_or_else(|| SbError::not_found("Payment"))
            .and_then(|p| one("Payment retrieved successfully", p)),
        ["receipts"] => extended::list(&data.receipts, &req.query),
        ["receipts", id] => data
            .receipts
            .iter()
            .find(|p| p.id == *id)
            .ok_or_else(|| SbError::not_found("Receipt"))
            .and_then(|p| one("Receipt retrieved successfully", p)),
        ["users"] => extended::list(&data.users, &req.query),
        _ => Err(SbError::not_found("Endpoint")),
    }
}
