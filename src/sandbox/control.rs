//! The sandbox's own controls, beside the API it serves: `/_sandbox/faults` (what to
//! break, how often), `/_sandbox/clock` (the time requests are stamped with),
//! `/_sandbox/stats` (requests, writes, 429s served) and `/_sandbox/teams/{id}` (a team's
//! `sat`/`billing` sent in another shape). No key: tests and operators drive them.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::Response;
use serde_json::{Value, json};

use super::error::SbError;
use super::shared::{Shared, json_response};

pub(super) async fn get_faults(State(s): State<Arc<Shared>>) -> Response {
    let f = s.faults().clone();
    json_response(200, &json!({"message": "Current faults", "data": f}))
}

pub(super) async fn put_faults(State(s): State<Arc<Shared>>, body: Bytes) -> Response {
    let patch: Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(e) => {
            return json_response(
                400,
                &SbError::validation(format!("The request body is not valid JSON: {e}")).body(),
            );
        }
    };
    let mut f = s.faults();
    match f.merge(&patch) {
        Ok(()) => json_response(
            200,
            &json!({"message": "Faults updated", "data": f.clone()}),
        ),
        Err(e) => json_response(400, &SbError::validation(e).body()),
    }
}

fn clock_body(s: &Shared, message: &str) -> Value {
    json!({"message": message, "data": {
        "now": s.now(),
        "offset_secs": s.clock_offset.load(std::sync::atomic::Ordering::Relaxed),
    }})
}

pub(super) async fn get_clock(State(s): State<Arc<Shared>>) -> Response {
    json_response(200, &clock_body(&s, "Sandbox clock"))
}

/// `PUT /_sandbox/clock`: `{"now": <epoch seconds>}` sets the sandbox's time (it then runs
/// on from there), `{"offset_secs": n}` moves it by n seconds from the machine's, `{"now":
/// null}` or `{"offset_secs": 0}` puts it back.
pub(super) async fn put_clock(State(s): State<Arc<Shared>>, body: Bytes) -> Response {
    let bad = |m: &str| json_response(400, &SbError::validation(m.to_string()).body());
    let Ok(v) = serde_json::from_slice::<Value>(&body) else {
        return bad("The request body is not valid JSON");
    };
    let real = jiff::Timestamp::now().as_second();
    let offset = match (v.get("now"), v.get("offset_secs")) {
        (Some(Value::Null), None) => 0,
        (Some(now), None) => match now.as_i64() {
            // Seconds between 2001 and 2286: a millisecond value is refused, not misread.
            Some(n) if (1_000_000_000..10_000_000_000).contains(&n) => n - real,
            _ => return bad("`now` must be epoch seconds (or null to put the clock back)"),
        },
        (None, Some(off)) => match off.as_i64() {
            Some(n) if n.abs() <= 100 * 365 * 86_400 => n,
            _ => return bad("`offset_secs` must be a whole number of seconds"),
        },
        _ => return bad("give `now` (epoch seconds) or `offset_secs`, one of them"),
    };
    s.clock_offset
        .store(offset, std::sync::atomic::Ordering::Relaxed);
    json_response(200, &clock_body(&s, "Sandbox clock set"))
}

/// `PUT /_sandbox/teams/{id}`: `{"sat": <any JSON>, "billing": <any JSON>}` makes the
/// team's answers send that shape instead of its own (a CSD date in milliseconds or as
/// text, credits as a string, `null`); `{"reset": true}` puts both back. The sandbox's own
/// rules keep reading the team as it was.
pub(super) async fn put_team_shape(
    State(s): State<Arc<Shared>>,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let bad = |m: &str| json_response(400, &SbError::validation(m.to_string()).body());
    let Ok(v) = serde_json::from_slice::<Value>(&body) else {
        return bad("The request body is not valid JSON");
    };
    let Some(patch) = v.as_object() else {
        return bad("give `sat`, `billing` or `reset`");
    };
    let mut st = s.store();
    let Some(t) = st.teams.iter_mut().find(|t| t.id == id) else {
        return json_response(404, &SbError::not_found("Team").body());
    };
    if patch.get("reset").and_then(Value::as_bool) == Some(true) {
        t.sat.raw = None;
        t.billing.raw = None;
    }
    if let Some(sat) = patch.get("sat") {
        t.sat.raw = Some(sat.clone());
    }
    if let Some(billing) = patch.get("billing") {
        t.billing.raw = Some(billing.clone());
    }
    let team = serde_json::to_value(&*t).unwrap_or_default();
    json_response(200, &json!({"message": "Team shape set", "data": team}))
}

pub(super) async fn stats(State(s): State<Arc<Shared>>) -> Response {
    let st = s.store();
    json_response(
        200,
        &json!({"message": "Sandbox stats", "data": {
            "writes": st.writes,
            "requests": st.requests,
            "rate_limited": st.rate_limited,
        }}),
    )
}
