//! The account side (§7–§9): teams' integrations, series, settings, onboarding link and
//! members; creating and updating teams; users. A team in the path is reached
//! under the same Connect rules as `?team=`.

use serde_json::{Value, json};

use super::base::{created, merge, one, required, team_data, text};
use crate::sandbox::error::SbError;
use crate::sandbox::model::{DemoKey, Role, SbTeam, SbUser, SbUserTeam};
use crate::sandbox::request::Req;
use crate::sandbox::store::{Store, TeamData};

/// Default settings of a team (§7.4), before any update.
fn default_settings() -> Value {
    json!({
        "product_key": "81112209", "unit_key": "E48", "use": "G03",
        "taxes": [{"type": "IVA", "rate": 0.16, "factor": "Tasa", "withholding": false}],
        "automate_complement_for_ppd_invoices": true,
        "global_invoice_disabled": false,
        "uses_on_self_invoice_portal": ["G03", "S01"],
    })
}

/// Whether marking a payment of a PPD invoice paid issues its payment complement (the
/// team's `automate_complement_for_ppd_invoices`, on unless turned off): off, the
/// complement is owed until someone issues it.
pub(in crate::sandbox) fn automates_complements(data: &TeamData) -> bool {
    settings_of(data)
        .get("automate_complement_for_ppd_invoices")
        .and_then(Value::as_bool)
        .unwrap_or(true)
}

pub(super) fn settings_of(data: &TeamData) -> Value {
    if data.settings.is_null() {
        default_settings()
    } else {
        data.settings.clone()
    }
}

fn integrations(team: &SbTeam) -> Value {
    json!({
        "sat": {"completed": team.sat.completed, "provider": "facturapi", "hasCertificate": team.sat.completed},
        "stripe": {"completed": team.stripe_connected, "hasKeys": team.stripe_connected},
    })
}

/// Series in use: the ones created, and those the team's invoices show.
fn series_of(data: &TeamData) -> Vec<Value> {
    let mut out = data.series.clone();
    for inv in data
        .income
        .iter()
        .chain(&data.egress)
        .chain(&data.complements)
    {
        if !out.iter().any(|s| s["series"] == inv.series.as_str()) {
            out.push(json!({"series": inv.series, "live": 0, "test": 0}));
        }
        if let Some(s) = out.iter_mut().find(|s| s["series"] == inv.series.as_str()) {
            let next = s["test"].as_u64().unwrap_or(0).max(inv.folio_number + 1);
            s["test"] = json!(next);
        }
    }
    out
}

/// The team a path names, reached under Connect's rules, with its data.
fn path_team<'a>(
    store: &'a Store,
    key: &DemoKey,
    id: &str,
) -> Result<(&'a SbTeam, &'a TeamData), SbError> {
    let team = crate::sandbox::connect::target_team(store, key, Some(id))?;
    let data = store
        .data
        .get(&team.id)
        .ok_or_else(|| SbError::not_found("Team data"))?;
    Ok((team, data))
}

pub(super) fn read(
    store: &Store,
    data: &TeamData,
    req: &Req,
    key: &DemoKey,
    team: &SbTeam,
    segs: &[&str],
) -> Result<(u16, Value), SbError> {
    match segs {
        ["teams", "integrations"] => one("Integrations retrieved", integrations(team)),
        ["teams", id, what] => {
            let (t, d) = path_team(store, key, id)?;
            match *what {
                "integrations" => one("Integrations retrieved", integrations(t)),
                "series" => Ok((
                    200,
                    json!({"message": "Series retrieved", "data": series_of(d), "has_more": false}),
                )),
                "settings" => one("Settings retrieved", settings_of(d)),
                "onboarding-url" => one(
                    "Onboarding link created",
                    json!({"url": format!("{}/onboarding?team={}", req.origin, t.id), "expires_at": req.now + 86_400}),
                ),
                "members" if segs.len() == 3 => {
                    let members: Vec<Value> = d
                        .users
                        .iter()
                        .map(|u| json!({"id": u.id, "email": u.email, "role": u.role}))
                        .collect();
                    Ok((
                        200,
                        json!({"message": "Members retrieved", "data": members, "has_more": false}),
                    ))
                }
                _ => Err(SbError::not_found("Endpoint")),
            }
        }
        ["teams", id, "members", uid] => {
            let (_, d) = path_team(store, key, id)?;
            d.users
                .iter()
                .find(|u| u.id == *uid)
                .ok_or_else(|| SbError::not_found("Member"))
                .and_then(|u| {
                    one(
                        "Member retrieved",
                        json!({"id": u.id, "email": u.email, "role": u.role}),
                    )
                })
        }
        ["users", "me", "preferences", t] => {
            let me = me(data, key)?;
            one(
                "Preferences retrieved",
                json!({"user": me.id, "team": t, "notifications": {"email": true}, "language": "es"}),
            )
        }
        ["users", "me"] => one("User retrieved successfully", me(data, key)?),
        ["users", id] => data
            .users
            .iter()
            .find(|u| u.id == *id)
            .ok_or_else(|| SbError::not_found("User"))
            .and_then(|u| one("User retrieved successfully", u)),
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
        ("POST", ["teams"]) => create_team(store, req, key, body),
        ("PUT", ["teams", id]) => {
            let tid = path_team(store, key, id)?.0.id.clone();
            let t = store
                .teams
                .iter_mut()
                .find(|t| t.id == tid)
                .ok_or_else(|| SbError::not_found("Team"))?;
            if let Some(n) = text(body, "legal_name")? {
                t.legal_name = n.to_string();
            }
            if let Some(a) = body.pointer("/brand/alias").and_then(|v| v.as_str()) {
                t.brand.alias = a.to_string();
                t.name = a.to_string();
            }
            if let Some(e) = text(body, "support_email")? {
                t.support_email = e.to_string();
            }
            if let Some(s) = text(body, "tax_system")? {
                t.tax_system = s.to_string();
            }
            let t = t.clone();
            store.writes += 1;
            one("Team updated successfully", t)
        }
        ("POST", ["teams", id, "series"]) => {
            let series = required(body, "series")?.to_uppercase();
            let tid = path_team(store, key, id)?.0.id.clone();
            let data = store.team_data(&tid)?;
            if series_of(data)
                .iter()
                .any(|s| s["series"] == series.as_str())
            {
                return Err(SbError::conflict(
                    "series_exists",
                    format!("Series {series} already exists"),
                ));
            }
            let s = json!({"series": series, "live": body.get("live").cloned().unwrap_or(json!(0)), "test": body.get("test").cloned().unwrap_or(json!(0))});
            data.series.push(s.clone());
            store.writes += 1;
            created("Series created successfully", s)
        }
        ("PUT", ["teams", id, "series", series]) => {
            let tid = path_team(store, key, id)?.0.id.clone();
            let data = store.team_data(&tid)?;
            let mut all = series_of(data);
            let s = all
                .iter_mut()
                .find(|s| s["series"] == *series)
                .ok_or_else(|| SbError::not_found("Series"))?;
            for k in ["live", "test"] {
                if let Some(v) = body.get(k) {
                    if !v.is_u64() {
                        return Err(SbError::validation(format!("`{k}` must be a whole number")));
                    }
                    s[k] = v.clone();
                }
            }
            let s = s.clone();
            data.series = all;
            store.writes += 1;
            one("Series updated successfully", s)
        }
        ("PUT", ["teams", id, "settings"]) => {
            if !body.is_object() {
                return Err(SbError::validation("settings must be an object"));
            }
            let tid = path_team(store, key, id)?.0.id.clone();
            let data = store.team_data(&tid)?;
            let mut s = settings_of(data);
            merge(&mut s, body);
            data.settings = s.clone();
            store.writes += 1;
            one("Settings updated successfully", s)
        }
        ("POST", ["teams", id, op @ ("add-member" | "remove-member")]) => {
            let user = required(body, "id")?.to_string();
            let role = text(body, "role")?.unwrap_or("viewer").to_string();
            if !["admin", "editor", "viewer", "member"].contains(&role.as_str()) {
                return Err(SbError::validation(
                    "`role` must be admin, editor or viewer",
                ));
            }
            let (tid, tname) = {
                let t = path_team(store, key, id)?.0;
                (t.id.clone(), t.name.clone())
            };
            // A user of another team keeps who they are (their email) in this one.
            let email = store
                .data
                .values()
                .flat_map(|d| d.users.iter())
                .find(|u| u.id == user)
                .map(|u| u.email.clone())
                .unwrap_or_else(|| format!("{user}@example.mx"));
            let data = store.team_data(&tid)?;
            if *op == "add-member" {
                if !data.users.iter().any(|u| u.id == user) {
                    data.users
                        .push(user_from(&user, &email, &role, req.now, &tid, &tname));
                }
            } else {
                refuse_last_admin(data, &user)?;
                let before = data.users.len();
                data.users.retain(|u| u.id != user);
                if data.users.len() == before {
                    return Err(SbError::not_found("Member"));
                }
            }
            store.writes += 1;
            one(
                "Members updated successfully",
                json!({"team": tid, "id": user, "role": role}),
            )
        }
        ("POST", ["teams", id, "sat-connection"]) => {
            let tid = path_team(store, key, id)?.0.id.clone();
            // The real endpoint takes multipart files; the sandbox accepts their presence.
            if body.get("cert").is_none() && body.get("keyPass").is_none() {
                return Err(SbError::validation(
                    "`cert`, `key` and `keyPass` are required",
                ));
            }
            if let Some(t) = store.teams.iter_mut().find(|t| t.id == tid) {
                t.sat.completed = true;
            }
            store.writes += 1;
            one(
                "SAT certificate uploaded",
                json!({"team": tid, "sat": {"completed": true}}),
            )
        }
        ("POST", ["teams", id, "manifest", "sign"]) => {
            let tid = path_team(store, key, id)?.0.id.clone();
            one(
                "Manifest signed",
                json!({"team": tid, "signed": true, "signed_at": req.now}),
            )
        }
        ("PATCH", ["teams", id, "members", uid]) => {
            let role = required(body, "role")?.to_string();
            if !["admin", "editor", "viewer", "member", "blocked"].contains(&role.as_str()) {
                return Err(SbError::validation(
                    "`role` must be admin, editor, viewer or blocked",
                ));
            }
            let tid = path_team(store, key, id)?.0.id.clone();
            let data = store.team_data(&tid)?;
            let u = data
                .users
                .iter_mut()
                .find(|u| u.id == *uid)
                .ok_or_else(|| SbError::not_found("Member"))?;
            u.role = role.clone();
            store.writes += 1;
            one("Member updated", json!({"id": uid, "role": role}))
        }
        ("DELETE", ["teams", id, "members", uid]) => {
            let tid = path_team(store, key, id)?.0.id.clone();
            let data = store.team_data(&tid)?;
            refuse_last_admin(data, uid)?;
            let before = data.users.len();
            data.users.retain(|u| u.id != *uid);
            if data.users.len() == before {
                return Err(SbError::not_found("Member"));
            }
            store.writes += 1;
            one("Member removed", json!({"id": uid, "deleted": true}))
        }
        ("DELETE", ["teams", id]) => {
            let tid = path_team(store, key, id)?.0.id.clone();
            if tid == key.team {
                return Err(SbError::conflict(
                    "own_team",
                    "A key cannot delete its own team",
                ));
            }
            let t = store
                .teams
                .iter_mut()
                .find(|t| t.id == tid)
                .ok_or_else(|| SbError::not_found("Team"))?;
            // Deleted teams go inactive: Connect answers "Team not found" for them after.
            t.active = false;
            store.writes += 1;
            one(
                "Team deleted successfully",
                json!({"id": tid, "deleted": true}),
            )
        }
        ("PATCH", ["users", "me"]) => {
            let data = team_data(store, team)?;
            let id = me(data, key)?.id.clone();
            let u = data
                .users
                .iter_mut()
                .find(|u| u.id == id)
                .ok_or_else(|| SbError::not_found("User"))?;
            if let Some(n) = text(body, "name")? {
                u.name = n.to_string();
            }
            let u = u.clone();
            store.writes += 1;
            one("User updated successfully", u)
        }
        ("PATCH", ["users", "me", "preferences", t]) => {
            if !body.is_object() {
                return Err(SbError::validation("preferences must be an object"));
            }
            let mut prefs = json!({"team": t, "notifications": {"email": true}, "language": "es"});
            merge(&mut prefs, body);
            one("Preferences updated", prefs)
        }
        ("POST", ["users"]) => {
            let email = required(body, "email")?.to_string();
            if !email.contains('@') {
                return Err(SbError::validation("`email` is not an address"));
            }
            let role = text(body, "role")?.unwrap_or("viewer").to_string();
            let id = store.new_id("user");
            let data = team_data(store, team)?;
            if data.users.iter().any(|u| u.email == email) {
                return Err(SbError::conflict(
                    "user_exists",
                    "A user with this email already exists",
                ));
            }
            let mut u = user_from(&id, &email, &role, req.now, &team.id, &team.name);
            let first = text(body, "firstName")?
                .or(text(body, "first_name")?)
                .unwrap_or("")
                .to_string();
            let last = text(body, "lastName")?
                .or(text(body, "last_name")?)
                .unwrap_or("")
                .to_string();
            u.name = format!("{first} {last}").trim().to_string();
            (u.first_name, u.last_name) = (first, last);
            let auto_join = body
                .get("auto_join")
                .and_then(|v| v.as_bool())
                .unwrap_or(false);
            if auto_join {
                data.users.push(u.clone());
            }
            store.writes += 1;
            let mut v = serde_json::to_value(&u).unwrap_or_default();
            v["invitation_sent"] = json!(true);
            created("User created successfully", v)
        }
        ("PUT", ["users", id]) => {
            let data = team_data(store, team)?;
            let u = data
                .users
                .iter_mut()
                .find(|u| u.id == *id)
                .ok_or_else(|| SbError::not_found("User"))?;
            if let Some(f) = text(body, "firstName")?.or(text(body, "first_name")?) {
                u.first_name = f.to_string();
            }
            if let Some(l) = text(body, "lastName")?.or(text(body, "last_name")?) {
                u.last_name = l.to_string();
            }
            u.name = format!("{} {}", u.first_name, u.last_name)
                .trim()
                .to_string();
            let u = u.clone();
            store.writes += 1;
            one("User updated successfully", u)
        }
        ("DELETE", ["users", id]) => {
            let data = team_data(store, team)?;
            let before = data.users.len();
            data.users.retain(|u| u.id != *id);
            if data.users.len() == before {
                return Err(SbError::not_found("User"));
            }
            store.writes += 1;
            one(
                "User deleted successfully",
                json!({"id": id, "deleted": true}),
            )
        }
        ("POST", ["users", "reset-password"]) => {
            required(body, "email")?;
            Ok((
                200,
                json!({"message": "Password reset email sent", "data": {}}),
            ))
        }
        ("POST", ["users", "login-link"]) => {
            let uid = required(body, "user_id")?.to_string();
            let data = team_data(store, team)?;
            if !data.users.iter().any(|u| u.id == uid) {
                return Err(SbError::not_found("User"));
            }
            one(
                "Login link created",
                json!({"url": format!("{}/login?token={uid}", req.origin), "expires_at": req.now + 3600}),
            )
        }
        _ => Err(SbError::not_found("Endpoint")),
    }
}

/// A team keeps at least one admin: removing the last one is refused.
fn refuse_last_admin(data: &TeamData, user: &str) -> Result<(), SbError> {
    let admins = data.users.iter().filter(|u| u.role == "admin").count();
    let is_admin = data.users.iter().any(|u| u.id == user && u.role == "admin");
    if is_admin && admins == 1 {
        return Err(SbError::conflict(
            "last_admin",
            "A team needs at least one admin: this is its last",
        ));
    }
    Ok(())
}

/// The user behind the key (the demo world has one user per role).
fn me<'a>(data: &'a TeamData, key: &DemoKey) -> Result<&'a SbUser, SbError> {
    data.users
        .iter()
        .find(|u| u.id == key.user_id)
        .or_else(|| data.users.iter().find(|u| u.role == key.role.as_str()))
        .or(data.users.first())
        .ok_or_else(|| SbError::not_found("User"))
}

fn user_from(id: &str, email: &str, role: &str, now: i64, team: &str, team_name: &str) -> SbUser {
    SbUser {
        id: id.into(),
        email: email.into(),
        name: String::new(),
        first_name: String::new(),
        last_name: String::new(),
        role: role.into(),
        created_at: now,
        last_login: 0,
        teams: vec![SbUserTeam {
            team_id: team.into(),
            team_name: team_name.into(),
            role: role.into(),
        }],
    }
}

fn create_team(
    store: &mut Store,
    req: &Req,
    key: &DemoKey,
    body: &Value,
) -> Result<(u16, Value), SbError> {
    if key.role != Role::Admin {
        return Err(SbError::new(
            403,
            "role_not_allowed",
            "Only an admin can create teams",
        ));
    }
    let master = store
        .teams
        .iter()
        .find(|t| t.id == key.team)
        .cloned()
        .ok_or_else(|| SbError::not_found("Team"))?;
    let alias = body
        .pointer("/brand/alias")
        .and_then(|v| v.as_str())
        .or(text(body, "name")?)
        .filter(|s| !s.trim().is_empty())
        .ok_or_else(|| SbError::validation("`brand.alias` is required"))?
        .to_string();
    if let Some(t) = text(body, "tax_id")?
        && !super::base::rfc_shape_ok(&t.to_uppercase())
    {
        return Err(SbError::validation("`tax_id` is not an RFC"));
    }
    // One RFC, one team in a billing account.
    if let Some(rfc) = text(body, "tax_id")?.map(str::to_uppercase)
        && let Some(other) = store
            .teams
            .iter()
            .find(|t| t.active && t.billing_account == master.billing_account && t.tax_id == rfc)
    {
        return Err(SbError::conflict(
            "tax_id_taken",
            format!(
                "RFC {rfc} is already the team «{}» in this account",
                other.name
            ),
        ));
    }
    let id = store.new_id("team");
    let mut t = master.clone();
    t.id = id.clone();
    t.name = alias.clone();
    t.brand.alias = alias;
    t.legal_name = text(body, "legal_name")?.unwrap_or(&t.name).to_string();
    t.tax_id = text(body, "tax_id")?
        .unwrap_or("XAXX010101000")
        .to_uppercase();
    if let Some(s) = text(body, "tax_system")? {
        t.tax_system = s.to_string();
    }
    if let Some(z) = body.pointer("/address/zip").and_then(|v| v.as_str()) {
        t.address.zip = z.to_string();
    }
    // A new branch: no CSD yet (its manager uploads it through the onboarding link).
    t.sat.completed = false;
    t.sat.csd_expires_at = None;
    t.sat.connected_at = None;
    t.sat.raw = None;
    t.billing.raw = None;
    t.connect = false;
    t.stripe_connected = false;
    t.created_at = req.now;
    store.teams.push(t.clone());
    store.data.insert(id, TeamData::default());
    store.writes += 1;
    created("Team created successfully", t)
}
