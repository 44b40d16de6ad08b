//! Webhooks (§9): list (by status), get, create (HTTPS only, events like
//! `payment.succeeded`), update and delete, in the envelope with `success` and a
//! millisecond `timestamp`.

use serde_json::{Value, json};

use super::base::{find_value, list, merge, one, required, team_data, text};
use crate::sandbox::error::SbError;
use crate::sandbox::model::{DemoKey, SbTeam};
use crate::sandbox::request::Req;
use crate::sandbox::store::{Store, TeamData};

pub(super) fn read(data: &TeamData, req: &Req, segs: &[&str]) -> Result<(u16, Value), SbError> {
    match segs {
        ["webhooks"] => {
            if let Some(s) = req.param("status")
                && s != "active"
                && s != "inactive"
            {
                return Err(SbError::validation("`status` must be active or inactive"));
            }
            let (status, mut body) = list(&data.webhooks, &req.query)?;
            body["success"] = json!(true);
            body["timestamp"] = json!(req.now * 1000);
            Ok((status, body))
        }
        ["webhooks", id] => data
            .webhooks
            .iter()
            .find(|w| w["id"] == *id)
            .ok_or_else(|| SbError::not_found("Webhook"))
            .and_then(|w| one("Webhook retrieved successfully", w)),
        _ => Err(SbError::not_found("Endpoint")),
    }
}

pub(super) fn write(
    store: &mut Store,
    req: &Req,
    key: &DemoKey,
    team: &SbTeam,
    segs: &[&str],
    body: &Value,
) -> Result<(u16, Value), SbError> {
    match (req.method.as_str(), segs) {
        ("POST", ["webhooks"]) => {
            let url = required(body, "url")?.to_string();
            check_webhook(body, &url)?;
            let id = store.new_id("wh");
            let w = json!({
                "id": id, "url": url,
                "events": body.get("events").cloned().unwrap_or(json!([])),
                "status": text(body, "status")?.unwrap_or("active"),
                "description": text(body, "description")?.unwrap_or(""),
                "owner": key.key_id, "created_at": req.now * 1000,
            });
            team_data(store, team)?.webhooks.push(w.clone());
            store.writes += 1;
            Ok((
                201,
                json!({"success": true, "message": "Webhook created successfully", "data": w, "timestamp": req.now * 1000}),
            ))
        }
        ("PUT", ["webhooks", id]) => {
            let url = text(body, "url")?.map(str::to_string);
            if let Some(u) = &url {
                check_webhook(body, u)?;
            }
            let data = team_data(store, team)?;
            let w = find_value(&mut data.webhooks, id, "Webhook")?;
            merge(w, body);
            let w = w.clone();
            store.writes += 1;
            one("Webhook updated successfully", w)
        }
        ("DELETE", ["webhooks", id]) => {
            let data = team_data(store, team)?;
            let at = data
                .webhooks
                .iter()
                .position(|w| w["id"] == *id)
                .ok_or_else(|| SbError::not_found("Webhook"))?;
            data.webhooks.remove(at);
            store.writes += 1;
            Ok((
                200,
                json!({"success": true, "message": "Webhook deleted successfully", "data": {"id": id, "deleted": true}, "timestamp": req.now * 1000}),
            ))
        }
        _ => Err(SbError::not_found("Endpoint")),
    }
}

fn check_webhook(body: &Value, url: &str) -> Result<(), SbError> {
    if !url.starts_with("https://") {
        return Err(SbError::validation("`url` must be an HTTPS address"));
    }
    if let Some(s) = body.get("status").and_then(|s| s.as_str())
        && s != "active"
        && s != "inactive"
    {
        return Err(SbError::validation("`status` must be active or inactive"));
    }
    match body.get("events") {
        None | Some(Value::Null) => Ok(()),
        Some(Value::Array(e))
            if e.iter()
                .all(|x| x.as_str().is_some_and(|s| s.contains('.'))) =>
        {
            Ok(())
        }
        Some(_) => Err(SbError::validation(
            "`events` must be a list such as [\"payment.succeeded\"]",
        )),
    }
}
