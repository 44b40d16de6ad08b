//! Clients and services beyond reading them: create, update, delete, search, fiscal
//! validation, the customer portal link, stamping a client's pending receipts (§2, §3).

use rust_decimal::Decimal;
use serde_json::{Value, json};

use super::base::{
    created, deleted, fiscal_problems, one, required, rfc_shape_ok, search, take, team_data, text,
};
use crate::sandbox::error::SbError;
use crate::sandbox::model::{
    Money, SbAddress, SbClient, SbClientRef, SbEfos, SbService, SbTax, SbTeam,
};
use crate::sandbox::request::Req;
use crate::sandbox::store::{Store, TeamData};

pub(super) fn search_clients(data: &TeamData, req: &Req) -> Result<(u16, Value), SbError> {
    search(&data.clients, req, |c| {
        vec![
            c.id.clone(),
            c.name.clone(),
            c.legal_name.clone(),
            c.tax_id.clone(),
            c.email.clone(),
        ]
    })
}

pub(super) fn write(
    store: &mut Store,
    req: &Req,
    team: &SbTeam,
    segs: &[&str],
    body: &Value,
) -> Result<(u16, Value), SbError> {
    match (req.method.as_str(), segs) {
        ("POST", ["clients"]) => create_client(store, req, team, body),
        ("PUT", ["clients", id]) => update_client(store, team, id, body),
        ("DELETE", ["clients", id]) => {
            let data = team_data(store, team)?;
            let gone = take(&mut data.clients, "Client", |c| c.id == *id)?;
            store.writes += 1;
            deleted("Client deleted successfully", &gone.id)
        }
        ("POST", ["clients", "validate", id]) => validate(store, team, id),
        ("POST", ["clients", "customerportal"]) => portal(store, req, team, body),
        ("POST", ["services"]) => create_service(store, req, team, body),
        ("PUT", ["services", id]) => update_service(store, team, id, body),
        ("DELETE", ["services", id]) => {
            let data = team_data(store, team)?;
            let gone = take(&mut data.services, "Service", |s| s.id == *id)?;
            store.writes += 1;
            deleted("Service deleted successfully", &gone.id)
        }
        _ => Err(SbError::not_found("Endpoint")),
    }
}

fn address(body: &Value) -> SbAddress {
    let a = body.get("address").cloned().unwrap_or(json!({}));
    let f = |k: &str| a.get(k).and_then(|v| v.as_str()).unwrap_or("").to_string();
    SbAddress {
        country: if f("country").is_empty() {
            "MEX".into()
        } else {
            f("country")
        },
        street: f("street"),
        zip: f("zip"),
        city: f("city"),
        state: f("state"),
    }
}

fn create_client(
    store: &mut Store,
    req: &Req,
    team: &SbTeam,
    body: &Value,
) -> Result<(u16, Value), SbError> {
    if body.get("search").is_some_and(|s| s.is_object()) {
        // The upsert block (§2.2): the team's client with that key, or a new one.
        let before = team_data(store, team)?.clients.len();
        let found = upsert(store, req, team, body)?;
        let data = team_data(store, team)?;
        let c = data
            .clients
            .iter()
            .find(|c| c.id == found.id)
            .cloned()
            .ok_or_else(|| SbError::not_found("Client"))?;
        return if data.clients.len() > before {
            created("Client created successfully", c)
        } else {
            one("Client found", c)
        };
    }
    let client = build_client(store, req, team, body)?;
    team_data(store, team)?.clients.push(client.clone());
    store.writes += 1;
    created("Client created successfully", client)
}

/// The `client.search` upsert of a create (§2.2, §5.3): `{"search": {"on_key":
/// "tax_id"|"email"|"id"|"name"|"legal_name", "on_value": …, "auto_create": bool,
/// "update": bool}, …fiscal fields}`. Finds the team's client whose `on_key` equals
/// `on_value` (the same-named field of the body when `on_value` is absent; RFCs and
/// e-mails ignore case); with `update` the body's fields are written onto it. None found:
/// `auto_create` creates it from the body's fields, otherwise 400.
pub(super) fn upsert(
    store: &mut Store,
    req: &Req,
    team: &SbTeam,
    c: &Value,
) -> Result<SbClientRef, SbError> {
    let s = &c["search"];
    let key = text(s, "on_key")?.unwrap_or("tax_id");
    if !["tax_id", "email", "id", "name", "legal_name"].contains(&key) {
        return Err(SbError::validation(format!(
            "`client.search.on_key` {key:?} must be tax_id, email, id, name or legal_name"
        )));
    }
    let value = match text(s, "on_value")? {
        Some(v) => v,
        None => text(c, key)?.unwrap_or(""),
    }
    .trim()
    .to_string();
    if value.is_empty() {
        return Err(SbError::validation(format!(
            "`client.search.on_value` is required (or `client.{key}`)"
        )));
    }
    let flag = |k: &str| s.get(k).and_then(|v| v.as_bool()).unwrap_or(false);
    let data = team_data(store, team)?;
    let found = data.clients.iter().position(|x| match key {
        "tax_id" => x.tax_id.eq_ignore_ascii_case(&value),
        "email" => x.email.eq_ignore_ascii_case(&value),
        "id" => x.id == value,
        "name" => x.name == value,
        _ => x.legal_name == value,
    });
    if let Some(at) = found {
        if flag("update") {
            let id = data.clients[at].id.clone();
            let mut patch = c.clone();
            if let Some(o) = patch.as_object_mut() {
                o.remove("search");
                o.remove("id");
            }
            update_client(store, team, &id, &patch)?;
        }
        return Ok(team_data(store, team)?.clients[at].summary());
    }
    if !flag("auto_create") {
        return Err(SbError::validation(format!(
            "no client with {key} {value:?} in this team, and `client.search.auto_create` is not true"
        )));
    }
    let mut fields = c.clone();
    if let Some(o) = fields.as_object_mut() {
        o.remove("search");
        if key != "id" {
            o.entry(key.to_string()).or_insert(json!(value));
        }
    }
    let client = build_client(store, req, team, &fields)?;
    let out = client.summary();
    team_data(store, team)?.clients.push(client);
    store.writes += 1;
    Ok(out)
}

/// A new client from a create body (not yet stored).
fn build_client(
    store: &mut Store,
    req: &Req,
    team: &SbTeam,
    body: &Value,
) -> Result<SbClient, SbError> {
    let legal_name = text(body, "legal_name")?
        .or(text(body, "name")?)
        .filter(|s| !s.trim().is_empty())
        .ok_or_else(|| SbError::validation("`legal_name` (or `name`) is required"))?
        .to_string();
    let tax_id = text(body, "tax_id")?
        .or(text(body, "rfc")?)
        .unwrap_or("XAXX010101000")
        .trim()
        .to_uppercase();
    if !rfc_shape_ok(&tax_id) {
        return Err(SbError::validation(format!(
            "`tax_id` {tax_id:?} is not an RFC (12 or 13 characters)"
        )));
    }
    let id = store.new_id("client");
    let client = SbClient {
        id,
        name: text(body, "name")?.unwrap_or(&legal_name).to_string(),
        legal_name: legal_name.clone(),
        email: text(body, "email")?.unwrap_or("").to_string(),
        phone: text(body, "phone")?.unwrap_or("").to_string(),
        tax_id,
        tax_system: text(body, "tax_system")?.unwrap_or("616").to_string(),
        cfdi_use: text(body, "use")?.unwrap_or("G03").to_string(),
        address: address(body),
        bcc: vec![],
        metadata: body.get("metadata").cloned().unwrap_or(json!({})),
        is_valid: false,
        efos: SbEfos { is_valid: true },
        from: "api".into(),
        livemode: false,
        owner: "user_api".into(),
        team: team.id.clone(),
        created_at: req.now,
    };
    Ok(client)
}

fn update_client(
    store: &mut Store,
    team: &SbTeam,
    id: &str,
    body: &Value,
) -> Result<(u16, Value), SbError> {
    if let Some(t) = text(body, "tax_id")?
        && !rfc_shape_ok(&t.to_uppercase())
    {
        return Err(SbError::validation(format!("`tax_id` {t:?} is not an RFC")));
    }
    let data = team_data(store, team)?;
    let c = data
        .clients
        .iter_mut()
        .find(|c| c.id == id)
        .ok_or_else(|| SbError::not_found("Client"))?;
    let set = |field: &mut String, key: &str| -> Result<(), SbError> {
        if let Some(v) = text(body, key)? {
            *field = v.to_string();
        }
        Ok(())
    };
    set(&mut c.name, "name")?;
    set(&mut c.legal_name, "legal_name")?;
    set(&mut c.email, "email")?;
    set(&mut c.phone, "phone")?;
    set(&mut c.tax_system, "tax_system")?;
    set(&mut c.cfdi_use, "use")?;
    if let Some(t) = text(body, "tax_id")? {
        c.tax_id = t.to_uppercase();
        c.is_valid = false;
    }
    if body.get("address").is_some() {
        c.address = address(body);
    }
    if let Some(m) = body.get("metadata") {
        super::base::merge(&mut c.metadata, m);
    }
    let c = c.clone();
    store.writes += 1;
    one("Client updated successfully", c)
}

fn validate(store: &mut Store, team: &SbTeam, id: &str) -> Result<(u16, Value), SbError> {
    let data = team_data(store, team)?;
    let c = data
        .clients
        .iter_mut()
        .find(|c| c.id == id)
        .ok_or_else(|| SbError::not_found("Client"))?;
    let problems = fiscal_problems(c);
    c.is_valid = problems.is_empty();
    one(
        if c.is_valid {
            "Client fiscal data is valid"
        } else {
            "Client fiscal data is not valid"
        },
        json!({
            "id": c.id, "is_valid": c.is_valid, "efos": {"is_valid": c.efos.is_valid},
            "tax_id": c.tax_id, "legal_name": c.legal_name, "tax_system": c.tax_system,
            "zip": c.address.zip, "errors": problems,
        }),
    )
}

fn portal(
    store: &mut Store,
    req: &Req,
    team: &SbTeam,
    body: &Value,
) -> Result<(u16, Value), SbError> {
    let (id, email) = (text(body, "id")?, text(body, "email")?);
    if id.is_none() && email.is_none() {
        return Err(SbError::validation("`id` or `email` is required"));
    }
    let data = team_data(store, team)?;
    let c = data
        .clients
        .iter()
        .find(|c| Some(c.id.as_str()) == id || (email.is_some() && Some(c.email.as_str()) == email))
        .ok_or_else(|| SbError::not_found("Client"))?;
    one(
        "Customer portal link created",
        json!({
            "url": format!("{}/portal?client={}", req.origin, c.id),
            // The portal link lasts about five days (§2.3).
            "expires_at": req.now + 5 * 86_400,
        }),
    )
}

fn money(body: &Value, field: &str) -> Result<Option<Money>, SbError> {
    Ok(crate::sandbox::request::decimal_field(body, field)?.map(Money))
}

fn create_service(
    store: &mut Store,
    req: &Req,
    team: &SbTeam,
    body: &Value,
) -> Result<(u16, Value), SbError> {
    let description = text(body, "description")?
        .or(text(body, "name")?)
        .filter(|s| !s.trim().is_empty())
        .ok_or_else(|| SbError::validation("`description` is required"))?
        .to_string();
    let product_key = required(body, "product_key")?.to_string();
    if product_key.len() != 8 || !product_key.bytes().all(|b| b.is_ascii_digit()) {
        return Err(SbError::validation(
            "`product_key` must be an 8-digit SAT ClaveProdServ",
        ));
    }
    let unit_price = money(body, "unit_price")?.unwrap_or(Money(Decimal::ZERO));
    if unit_price.0.is_sign_negative() {
        return Err(SbError::validation("`unit_price` must not be negative"));
    }
    let taxes = service_taxes(store, team, body)?;
    let id = store.new_id("service");
    let s = SbService {
        id,
        description,
        sku: text(body, "sku")?.unwrap_or("").to_string(),
        product_key,
        unit_key: text(body, "unit_key")?.unwrap_or("E48").to_string(),
        unit_name: text(body, "unit_name")?.unwrap_or("Servicio").to_string(),
        unit_price,
        taxes,
        taxability: text(body, "taxability")?.unwrap_or("02").to_string(),
        team: team.id.clone(),
        created_at: req.now,
    };
    team_data(store, team)?.services.push(s.clone());
    store.writes += 1;
    created("Service created successfully", s)
}

fn update_service(
    store: &mut Store,
    team: &SbTeam,
    id: &str,
    body: &Value,
) -> Result<(u16, Value), SbError> {
    let price = money(body, "unit_price")?;
    let taxes = match body.get("taxes") {
        None | Some(Value::Null) => None,
        Some(_) => Some(service_taxes(store, team, body)?),
    };
    let data = team_data(store, team)?;
    let s = data
        .services
        .iter_mut()
        .find(|s| s.id == id)
        .ok_or_else(|| SbError::not_found("Service"))?;
    if let Some(d) = text(body, "description")? {
        s.description = d.to_string();
    }
    for (field, key) in [
        (&mut s.sku, "sku"),
        (&mut s.product_key, "product_key"),
        (&mut s.unit_key, "unit_key"),
        (&mut s.unit_name, "unit_name"),
        (&mut s.taxability, "taxability"),
    ] {
        if let Some(v) = text(body, key)? {
            *field = v.to_string();
        }
    }
    if let Some(p) = price {
        s.unit_price = p;
    }
    if let Some(t) = taxes {
        s.taxes = t;
    }
    let s = s.clone();
    store.writes += 1;
    one("Service updated successfully", s)
}

/// A service's taxes (§3.2, §3.3) as sent; without a `taxes` key, the team's default taxes
/// (settings §7.4), as an inline item without one gets (`crate::sandbox::totals`).
fn service_taxes(store: &mut Store, team: &SbTeam, body: &Value) -> Result<Vec<SbTax>, SbError> {
    match body.get("taxes") {
        None | Some(Value::Null) => {
            let data = team_data(store, team)?;
            crate::sandbox::totals::settings_taxes(&super::account::settings_of(data), "MXN")
        }
        Some(Value::Array(ts)) => ts
            .iter()
            .enumerate()
            .map(|(j, t)| crate::sandbox::totals::parse_tax(t, &format!("taxes[{j}]")))
            .collect(),
        Some(_) => Err(SbError::validation("`taxes` must be a list of taxes")),
    }
}
