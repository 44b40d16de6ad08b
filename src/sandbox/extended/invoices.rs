//! Invoices beyond income lists and cancelling: search, drafts, payment complements (type
//! P, each tied to a PPD invoice and its balance), egress and transfer, creating and
//! stamping, sending by email, the CFDI error catalog (§4); payment search and update (§5).

use rust_decimal::Decimal;
use serde_json::{Value, json};

use super::base::{
    created, find_value, list, next_folio, one, required, search, team_data, text, uuid_from,
};
use crate::sandbox::error::SbError;
use crate::sandbox::model::{Money, SbClientRef, SbInvoice, SbItem, SbRelated, SbStamp, SbTeam};
use crate::sandbox::request::Req;
use crate::sandbox::request::decimal_field;
use crate::sandbox::store::{Store, TeamData};
use crate::sandbox::totals::{Computed, Defaults, compute, settings_taxes};

/// A few entries of the CFDI error catalog (`GET /invoices/errors`).
const CFDI_ERRORS: &[(&str, &str, &str)] = &[
    (
        "CFDI40102",
        "stamp",
        "El resultado de la digestión debe ser igual al resultado de la desencripción del sello.",
    ),
    (
        "CFDI40145",
        "receiver",
        "El campo Nombre del receptor debe pertenecer al nombre asociado al RFC registrado.",
    ),
    (
        "CFDI40147",
        "receiver",
        "El campo DomicilioFiscalReceptor debe pertenecer al código postal asociado al RFC.",
    ),
    (
        "CFDI40158",
        "receiver",
        "El RFC del receptor no se encuentra en la lista de RFC inscritos no cancelados del SAT.",
    ),
    (
        "CFDI40161",
        "receiver",
        "El régimen fiscal del receptor no corresponde al RFC.",
    ),
    (
        "CFDI40138",
        "payment",
        "El método de pago PPD requiere la forma de pago 99.",
    ),
];

pub(super) fn read(data: &TeamData, req: &Req, segs: &[&str]) -> Result<(u16, Value), SbError> {
    match segs {
        ["invoices", "search"] => {
            let all: Vec<&SbInvoice> = data
                .income
                .iter()
                .chain(&data.egress)
                .chain(&data.complements)
                .collect();
            search(&all, req, |i| {
                vec![
                    i.uuid.clone(),
                    i.client.name.clone(),
                    i.client.tax_id.clone(),
                    format!("{}-{}", i.series, i.folio_number),
                ]
            })
        }
        ["invoices", "errors"] => {
            let code = req.param("code");
            let kind = req.param("type");
            let q = req.param("q").map(str::to_lowercase);
            let data: Vec<Value> = CFDI_ERRORS
                .iter()
                .filter(|(c, t, m)| {
                    code.is_none_or(|x| x == *c)
                        && kind.is_none_or(|x| x == *t)
                        && q.as_ref().is_none_or(|x| {
                            m.to_lowercase().contains(x) || c.to_lowercase().contains(x)
                        })
                })
                .map(|(c, t, m)| json!({"code": c, "type": t, "message": m}))
                .collect();
            Ok((
                200,
                json!({"success": true, "data": data, "has_more": false}),
            ))
        }
        ["invoices", "draft"] => list(&data.drafts, &req.query),
        ["invoices", "draft", id] => data
            .drafts
            .iter()
            .find(|d| d.get("id").and_then(|v| v.as_str()) == Some(*id))
            .ok_or_else(|| SbError::not_found("Draft"))
            .and_then(|d| one("Draft retrieved successfully", d)),
        ["invoices", "payment"] => {
            // `invoice_id`: the complements of one PPD invoice.
            match req.param("invoice_id") {
                Some(ppd) => {
                    let of: Vec<SbInvoice> = data
                        .complements
                        .iter()
                        .filter(|c| {
                            c.related_documents
                                .iter()
                                .any(|r| r.documents.iter().any(|d| d == ppd))
                        })
                        .cloned()
                        .collect();
                    list(&of, &req.query)
                }
                None => list(&data.complements, &req.query),
            }
        }
        ["invoices", "payment", uuid] => data
            .complements
            .iter()
            .find(|i| i.uuid == *uuid)
            .ok_or_else(|| SbError::not_found("Payment complement"))
            .and_then(|i| one("Payment complement retrieved successfully", i)),
        ["invoices", "transfer"] => {
            let t: Vec<SbInvoice> = data
                .egress
                .iter()
                .filter(|i| i.invoice_type == "T")
                .cloned()
                .collect();
            list(&t, &req.query)
        }
        ["invoices", "transfer", uuid] => data
            .egress
            .iter()
            .find(|i| i.uuid == *uuid && i.invoice_type == "T")
            .ok_or_else(|| SbError::not_found("Transfer invoice"))
            .and_then(|i| one("Invoice retrieved successfully", i)),
        _ => Err(SbError::not_found("Endpoint")),
    }
}

pub(super) fn write(
    store: &mut Store,
    req: &Req,
    team: &SbTeam,
    segs: &[&str],
    body: &Value,
) -> Result<(u16, Value), SbError> {
    match (req.method.as_str(), segs) {
        ("POST", ["invoices", "draft"]) => {
            let client = client_ref(store, req, team, body)?;
            let c = compute_for(store, team, body, false)?;
            let id = store.new_id("draft");
            // Every field of §4.2 that was sent is kept for the stamp; the rest defaulted.
            let mut d = body.clone();
            if !d.is_object() {
                d = json!({});
            }
            for (k, v) in [
                ("id", json!(id)),
                ("status", json!("draft")),
                ("client", json!(client)),
                (
                    "currency",
                    json!(text(body, "currency")?.unwrap_or("MXN").to_uppercase()),
                ),
                (
                    "payment_method",
                    json!(text(body, "payment_method")?.unwrap_or("PUE")),
                ),
                (
                    "payment_form",
                    json!(text(body, "payment_form")?.unwrap_or("03")),
                ),
                ("use", json!(text(body, "use")?.unwrap_or("G03"))),
                ("created_at", json!(req.now)),
                ("team", json!(team.id)),
            ] {
                d[k] = v;
            }
            if let Some(o) = d.as_object_mut() {
                o.remove("idempotency_key");
            }
            draft_figures(&mut d, &c);
            team_data(store, team)?.drafts.push(d.clone());
            store.writes += 1;
            created("Draft created successfully", d)
        }
        ("PUT", ["invoices", "draft", id]) => {
            let data = team_data(store, team)?;
            let d = find_value(&mut data.drafts, id, "Draft")?;
            if d["status"] != "draft" {
                return Err(SbError::conflict(
                    "draft_stamped",
                    "This draft was already stamped",
                ));
            }
            let mut merged = d.clone();
            super::base::merge(&mut merged, body);
            if body.get("client").is_some_and(|c| c.is_object()) {
                // Another client replaces the summary whole: merged, the old one's name
                // and RFC would stay beside the new id.
                merged["client"] = json!(client_ref(store, req, team, body)?);
            }
            // An edit recomputes: new items, or a new currency's default taxes.
            let c = compute_for(store, team, &merged, true)?;
            draft_figures(&mut merged, &c);
            let data = team_data(store, team)?;
            let d = find_value(&mut data.drafts, id, "Draft")?;
            *d = merged.clone();
            store.writes += 1;
            one("Draft updated successfully", merged)
        }
        ("DELETE", ["invoices", "draft", id]) => {
            let data = team_data(store, team)?;
            let at = data
                .drafts
                .iter()
                .position(|d| d.get("id").and_then(|v| v.as_str()) == Some(*id))
                .ok_or_else(|| SbError::not_found("Draft"))?;
            data.drafts.remove(at);
            store.writes += 1;
            one(
                "Draft deleted successfully",
                json!({"id": id, "deleted": true}),
            )
        }
        ("POST", ["invoices", "draft", id, "stamp"]) => stamp_draft(store, req, team, id),
        ("POST", ["invoices", "draft", id, "preview"]) => {
            let data = team_data(store, team)?;
            find_value(&mut data.drafts, id, "Draft")?;
            one(
                "Preview generated",
                json!({"url": format!("{}/files/draft-{id}.pdf", req.origin)}),
            )
        }
        ("POST", ["invoices", kind @ ("income" | "egress" | "transfer")]) => {
            let t = match *kind {
                "income" => "I",
                "egress" => "E",
                _ => "T",
            };
            let inv = new_invoice(store, req, team, body, t, false)?;
            let data = team_data(store, team)?;
            if t == "I" {
                data.income.push(inv.clone());
            } else {
                data.egress.push(inv.clone());
            }
            store.writes += 1;
            created("Invoice created successfully", inv)
        }
        ("POST", ["invoices", "payment"]) => super::complements::create(store, req, team, body),
        ("POST", ["invoices", uuid, "send"]) => {
            let data = team_data(store, team)?;
            let inv = data
                .income
                .iter()
                .chain(&data.egress)
                .chain(&data.complements)
                .find(|i| i.uuid == *uuid)
                .ok_or_else(|| SbError::not_found("Invoice"))?;
            let mut to: Vec<String> = match body.get("emails") {
                None | Some(Value::Null) => vec![],
                Some(Value::Array(a)) => a
                    .iter()
                    .map(|e| {
                        e.as_str().map(str::to_string).ok_or_else(|| {
                            SbError::validation("`emails` must be a list of addresses")
                        })
                    })
                    .collect::<Result<_, _>>()?,
                Some(_) => return Err(SbError::validation("`emails` must be a list of addresses")),
            };
            if to.iter().any(|e| !e.contains('@')) {
                return Err(SbError::validation(
                    "every entry of `emails` must be an address",
                ));
            }
            let client_email = data
                .clients
                .iter()
                .find(|c| c.id == inv.client.id)
                .map(|c| c.email.clone())
                .unwrap_or_default();
            if to.is_empty() && !client_email.is_empty() {
                to.push(client_email);
            }
            if to.is_empty() {
                return Err(SbError::validation(
                    "no recipient: the client has no email and `emails` is empty",
                ));
            }
            one(
                "Invoice sent",
                json!({"recipients": to, "attachments": ["pdf", "xml"]}),
            )
        }
        ("PUT", ["payments", id]) => {
            let data = team_data(store, team)?;
            let p = data
                .payments
                .iter_mut()
                .find(|p| p.id == *id)
                .ok_or_else(|| SbError::not_found("Payment"))?;
            if let Some(m) = body.get("metadata") {
                super::base::merge(&mut p.metadata, m);
            }
            if let Some(Value::Array(e)) = body.get("emails") {
                p.emails = e
                    .iter()
                    .filter_map(|x| x.as_str().map(str::to_string))
                    .collect();
            }
            let p = p.clone();
            store.writes += 1;
            one("Payment updated successfully", p)
        }
        ("POST", ["payments"]) => Err(SbError::new(
            410,
            "use_request_or_register",
            "POST /payments belonged to the early API: use /payments/request or /payments/register",
        )),
        _ => Err(SbError::not_found("Endpoint")),
    }
}

/// The client a body names: `{"id": …}` of this team, or inline fiscal data.
pub(in crate::sandbox) fn client_ref(
    store: &mut Store,
    req: &Req,
    team: &SbTeam,
    body: &Value,
) -> Result<SbClientRef, SbError> {
    let c = body
        .get("client")
        .filter(|c| c.is_object())
        .ok_or_else(|| SbError::validation("`client` is required"))?;
    if c.get("search").is_some_and(|s| s.is_object()) {
        return super::clients::upsert(store, req, team, c);
    }
    if let Some(id) = c
        .get("id")
        .and_then(|v| v.as_str())
        .filter(|i| !i.is_empty())
    {
        let data = team_data(store, team)?;
        return data
            .clients
            .iter()
            .find(|x| x.id == id)
            .map(|x| x.summary())
            .ok_or_else(|| {
                SbError::validation(format!("client {id:?} does not exist in this team"))
                    .about("client")
            });
    }
    let tax_id = required(c, "tax_id")?.to_uppercase();
    if !super::base::rfc_shape_ok(&tax_id) {
        return Err(SbError::validation(format!(
            "`client.tax_id` {tax_id:?} is not an RFC"
        )));
    }
    let legal = required(c, "legal_name")?.to_string();
    Ok(SbClientRef {
        id: String::new(),
        name: text(c, "name")?.unwrap_or(&legal).to_string(),
        legal_name: legal,
        email: text(c, "email")?.unwrap_or("").to_string(),
        tax_id,
    })
}

/// A body's items computed by the one arithmetic of cfdi-rules.md (`crate::sandbox::totals`),
/// with the team's services and default taxes. `stored`: recomputing a document the
/// sandbox already keeps (a draft stamped or edited), whose items' ids may name services
/// deleted since.
pub(in crate::sandbox) fn compute_for(
    store: &mut Store,
    team: &SbTeam,
    body: &Value,
    stored: bool,
) -> Result<Computed, SbError> {
    let currency = text(body, "currency")?.unwrap_or("MXN").to_uppercase();
    let data = team_data(store, team)?;
    let settings = super::account::settings_of(data);
    let d = Defaults {
        services: &data.services,
        taxes: settings_taxes(&settings, &currency)?,
        stored,
    };
    compute(body.get("items"), &d)
}

/// The draft as stored and answered: what was sent, with its items and figures computed.
fn draft_figures(d: &mut Value, c: &Computed) {
    d["items"] = json!(c.items);
    d["subtotal"] = json!(c.subtotal);
    d["discount"] = json!(c.discount);
    d["taxes"] = json!(c.taxes);
    d["withholdings"] = json!(c.withholdings);
    d["total"] = json!(c.total);
}

/// An income invoice for a document the sandbox already computed (a registered payment's
/// automation, a receipt stamped): its items recomputed by the same arithmetic, so its
/// figures are the document's. Stored in the team's income invoices and returned.
#[allow(clippy::too_many_arguments)]
pub(in crate::sandbox) fn income_for(
    store: &mut Store,
    req: &Req,
    team: &SbTeam,
    client: &SbClientRef,
    items: &[SbItem],
    fields: Value,
) -> Result<SbInvoice, SbError> {
    let mut body = fields;
    body["client"] = if client.id.is_empty() {
        json!({"legal_name": client.legal_name, "name": client.name, "email": client.email,
               "tax_id": client.tax_id})
    } else {
        json!({"id": client.id})
    };
    body["items"] = json!(items);
    let inv = new_invoice(store, req, team, &body, "I", true)?;
    team_data(store, team)?.income.push(inv.clone());
    Ok(inv)
}

fn new_invoice(
    store: &mut Store,
    req: &Req,
    team: &SbTeam,
    body: &Value,
    kind: &str,
    stored: bool,
) -> Result<SbInvoice, SbError> {
    let client = client_ref(store, req, team, body)?;
    let c = compute_for(store, team, body, stored)?;
    let method = text(body, "payment_method")?.unwrap_or("PUE").to_string();
    if !matches!(method.as_str(), "PUE" | "PPD") {
        return Err(SbError::validation("`payment_method` must be PUE or PPD"));
    }
    let form = text(body, "payment_form")?
        .unwrap_or(if method == "PPD" { "99" } else { "03" })
        .to_string();
    if method == "PPD" && form != "99" {
        return Err(
            SbError::validation("a PPD invoice takes payment_form 99 (por definir)")
                .about("payment_form"),
        );
    }
    let related = match body.get("related_documents") {
        Some(Value::Array(r)) => r
            .iter()
            .map(|x| SbRelated {
                relationship: x
                    .get("relationship")
                    .and_then(|v| v.as_str())
                    .unwrap_or("")
                    .to_string(),
                documents: x
                    .get("documents")
                    .and_then(|d| d.as_array())
                    .map(|d| {
                        d.iter()
                            .filter_map(|s| s.as_str().map(str::to_string))
                            .collect()
                    })
                    .unwrap_or_default(),
            })
            .collect(),
        _ => vec![],
    };
    if kind == "E" && related.is_empty() {
        return Err(SbError::validation(
            "an egress invoice relates to the invoice it credits (`related_documents`)",
        )
        .about("related_documents"));
    }
    let currency = text(body, "currency")?.unwrap_or("MXN").to_uppercase();
    let exchange_rate = decimal_field(body, "exchange_rate")?.unwrap_or(Decimal::ONE);
    if kind == "E" && !stored {
        super::credit::within_credit_left(
            team_data(store, team)?,
            &related,
            &currency,
            exchange_rate,
            c.total.0,
        )?;
    }
    let series = text(body, "series")?
        .or(text(&body["invoice_config"], "serie")?)
        .unwrap_or(match kind {
            "E" => "NC",
            "T" => "T",
            _ => "A",
        })
        .to_string();
    let uuid = uuid_from(store);
    let folio = next_folio(store, team, &series)?;
    let total = c.total;
    Ok(SbInvoice {
        uuid: uuid.clone(),
        client,
        status: "valid".into(),
        invoice_type: kind.into(),
        currency,
        exchange_rate: Money(exchange_rate),
        subtotal: c.subtotal,
        taxes: c.taxes,
        withholdings: Some(c.withholdings),
        discount: c.discount,
        total,
        series,
        folio_number: folio,
        payment_method: method.clone(),
        payment_form: form,
        cfdi_use: text(body, "use")?.unwrap_or("G03").to_string(),
        items: c.items,
        verification_url: format!(
            "https://verificacfdi.facturaelectronica.sat.gob.mx/default.aspx?id={uuid}"
        ),
        stamp: SbStamp {
            stamp_at: req.now,
            sello: format!("sbx{}", store.counter),
        },
        last_balance: (method == "PPD" && kind == "I").then_some(total),
        payment_complements: 0,
        cancellation_status: None,
        cancellation_receipt: None,
        related_documents: related,
        created_at: req.now,
        livemode: false,
        owner: "user_api".into(),
        team: team.id.clone(),
        metadata: body.get("metadata").cloned().unwrap_or(json!({})),
        cancel_due: None,
    })
}

fn stamp_draft(
    store: &mut Store,
    req: &Req,
    team: &SbTeam,
    id: &str,
) -> Result<(u16, Value), SbError> {
    let draft = {
        let data = team_data(store, team)?;
        let d = find_value(&mut data.drafts, id, "Draft")?;
        if d["status"] != "draft" {
            return Err(SbError::conflict(
                "draft_stamped",
                "This draft was already stamped",
            ));
        }
        d.clone()
    };
    let mut body = draft.clone();
    if let Some(cid) = draft["client"]["id"].as_str().filter(|c| !c.is_empty()) {
        body["client"] = json!({"id": cid});
    }
    let inv = new_invoice(store, req, team, &body, "I", true)?;
    let data = team_data(store, team)?;
    let d = find_value(&mut data.drafts, id, "Draft")?;
    d["status"] = json!("stamped");
    d["invoice_uuid"] = json!(inv.uuid);
    data.income.push(inv.clone());
    store.writes += 1;
    created("Draft stamped successfully", inv)
}
