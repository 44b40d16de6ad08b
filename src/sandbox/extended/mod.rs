//! The rest of gigstack-api.md's endpoint tables: what a third-party client calls that
//! gigdash's own screens do not (yet) drive — client and service management, searches,
//! drafts, payment complements, receipts' lifecycle, teams' series and settings, users,
//! webhooks. Each goes through the same auth, Connect scoping, roles and idempotency as
//! the rest (`http::dispatch` routes here first), and answers in the documented shapes.
//! Uses the sandbox's own types and JSON, never the client's.

mod account;
mod base;
mod clients;
mod complements;
mod credit;
mod invoices;
mod receipts;
mod webhooks;

use serde_json::Value;

use super::error::SbError;
use super::model::{Action, DemoKey, SbTeam};
use super::request::Req;
use super::store::Store;
pub(super) use account::automates_complements;
pub(super) use base::list;
use base::search;
pub(super) use complements::create as create_complement;
pub(super) use invoices::{client_ref, compute_for, income_for};

/// Whether this module owns `method` on `segs` (the path after `/v2`).
pub fn known(method: &str, segs: &[&str]) -> bool {
    route(method, segs).is_some()
}

/// Who may call it: reads for every role, creates and updates for members, deletes and
/// cancellations for admins (as the rest of the sandbox).
pub fn action(method: &str, segs: &[&str]) -> Option<Action> {
    route(method, segs).map(|r| r.action)
}

struct Route {
    action: Action,
    kind: Kind,
}

#[derive(Clone, Copy)]
enum Kind {
    Read,
    Write,
}

fn route(method: &str, segs: &[&str]) -> Option<Route> {
    use Action::*;
    let (action, kind) = match (method, segs) {
        // Clients: `/clients/search` and `/clients/validate/…` are never read as ids.
        ("GET", ["clients", "search"]) => (Read, Kind::Read),
        ("POST", ["clients"]) => (Create, Kind::Write),
        ("PUT", ["clients", id]) if !reserved(id) => (Update, Kind::Write),
        ("DELETE", ["clients", id]) if !reserved(id) => (Delete, Kind::Write),
        ("POST", ["clients", "validate", _]) => (Read, Kind::Write),
        ("POST", ["clients", "customerportal"]) => (Read, Kind::Write),
        ("POST", ["clients", _, "stamp-pending-receipts"]) => (Create, Kind::Write),
        // Services.
        ("POST", ["services"]) => (Create, Kind::Write),
        ("PUT", ["services", _]) => (Update, Kind::Write),
        ("DELETE", ["services", _]) => (Delete, Kind::Write),
        // Invoices.
        ("GET", ["invoices", "search"]) => (Read, Kind::Read),
        ("GET", ["invoices", "errors"]) => (Read, Kind::Read),
        ("GET", ["invoices", "draft"]) => (Read, Kind::Read),
        ("GET", ["invoices", "draft", _]) => (Read, Kind::Read),
        ("POST", ["invoices", "draft"]) => (Create, Kind::Write),
        ("PUT", ["invoices", "draft", _]) => (Update, Kind::Write),
        ("DELETE", ["invoices", "draft", _]) => (Delete, Kind::Write),
        ("POST", ["invoices", "draft", _, "stamp"]) => (Create, Kind::Write),
        ("POST", ["invoices", "draft", _, "preview"]) => (Read, Kind::Write),
        ("GET", ["invoices", "payment"]) => (Read, Kind::Read),
        ("GET", ["invoices", "payment", _]) => (Read, Kind::Read),
        ("POST", ["invoices", "payment" | "income" | "egress" | "transfer"]) => {
            (Create, Kind::Write)
        }
        ("GET", ["invoices", "transfer"]) => (Read, Kind::Read),
        ("GET", ["invoices", "transfer", _]) => (Read, Kind::Read),
        ("POST", ["invoices", _, "send"]) => (Create, Kind::Write),
        // Payments.
        ("GET", ["payments", "search"]) => (Read, Kind::Read),
        ("PUT", ["payments", id]) if !reserved(id) => (Update, Kind::Write),
        ("POST", ["payments"]) => (Create, Kind::Write),
        // Receipts.
        ("GET", ["receipts", "search"]) => (Read, Kind::Read),
        ("POST", ["receipts"]) => (Create, Kind::Write),
        ("PUT", ["receipts", id]) if !reserved(id) => (Update, Kind::Write),
        ("POST", ["receipts", _, "stamp"]) => (Create, Kind::Write),
        ("POST", ["receipts", _, "reopen"]) => (Update, Kind::Write),
        ("DELETE", ["receipts", id]) if !reserved(id) => (Delete, Kind::Write),
        // Teams.
        ("GET", ["teams", "integrations"]) => (Read, Kind::Read),
        (
            "GET",
            [
                "teams",
                _,
                "integrations" | "series" | "settings" | "onboarding-url",
            ],
        ) => (Read, Kind::Read),
        ("GET", ["teams", _, "members"]) => (Read, Kind::Read),
        ("GET", ["teams", _, "members", _]) => (Read, Kind::Read),
        ("PATCH", ["teams", _, "members", _]) => (Admin, Kind::Write),
        ("DELETE", ["teams", _, "members", _]) => (Admin, Kind::Write),
        ("DELETE", ["teams", id]) if !reserved(id) => (Delete, Kind::Write),
        ("POST", ["teams"]) => (Create, Kind::Write),
        ("PUT", ["teams", id]) if !reserved(id) => (Update, Kind::Write),
        ("POST", ["teams", _, "series"]) => (Create, Kind::Write),
        ("PUT", ["teams", _, "series", _]) => (Update, Kind::Write),
        ("PUT", ["teams", _, "settings"]) => (Admin, Kind::Write),
        ("POST", ["teams", _, "add-member" | "remove-member"]) => (Admin, Kind::Write),
        ("POST", ["teams", _, "sat-connection"]) => (Update, Kind::Write),
        ("POST", ["teams", _, "manifest", "sign"]) => (Update, Kind::Write),
        // Users.
        ("GET", ["users", "me"]) => (Read, Kind::Read),
        ("PATCH", ["users", "me"]) => (Update, Kind::Write),
        ("GET", ["users", "me", "preferences", _]) => (Read, Kind::Read),
        ("PATCH", ["users", "me", "preferences", _]) => (Update, Kind::Write),
        ("GET", ["users", _]) => (Read, Kind::Read),
        ("POST", ["users"]) => (Create, Kind::Write),
        ("PUT", ["users", _]) => (Update, Kind::Write),
        ("DELETE", ["users", _]) => (Delete, Kind::Write),
        ("POST", ["users", "reset-password" | "login-link"]) => (Read, Kind::Write),
        // Webhooks.
        ("GET", ["webhooks"]) => (Read, Kind::Read),
        ("GET", ["webhooks", _]) => (Read, Kind::Read),
        ("POST", ["webhooks"]) => (Create, Kind::Write),
        ("PUT", ["webhooks", _]) => (Update, Kind::Write),
        ("DELETE", ["webhooks", _]) => (Delete, Kind::Write),
        _ => return None,
    };
    Some(Route { action, kind })
}

/// Path words that name an endpoint, never an object.
fn reserved(id: &str) -> bool {
    matches!(
        id,
        "search" | "validate" | "customerportal" | "register" | "request" | "integrations"
    )
}

/// A read this module owns, or `None` for the rest of the sandbox.
pub fn read(
    store: &Store,
    req: &Req,
    key: &DemoKey,
    team: &SbTeam,
    segs: &[&str],
) -> Option<Result<(u16, Value), SbError>> {
    let route = route(&req.method, segs)?;
    if !matches!(route.kind, Kind::Read) {
        return None;
    }
    let data = match store.data.get(&team.id) {
        Some(d) => d,
        None => return Some(Err(SbError::not_found("Team data"))),
    };
    Some(match segs {
        ["clients", "search"] => clients::search_clients(data, req),
        ["invoices", ..] => invoices::read(data, req, segs),
        ["payments", "search"] => search(&data.payments, req, |p| {
            vec![p.id.clone(), p.client.name.clone(), p.client.tax_id.clone()]
        }),
        ["receipts", "search"] => search(&data.receipts, req, |r| {
            let c = r.client.as_ref();
            vec![
                r.id.clone(),
                c.map(|c| c.name.clone()).unwrap_or_default(),
                c.map(|c| c.tax_id.clone()).unwrap_or_default(),
            ]
        }),
        ["webhooks", ..] => webhooks::read(data, req, segs),
        ["teams", ..] | ["users", ..] => account::read(store, data, req, key, team, segs),
        _ => Err(SbError::not_found("Endpoint")),
    })
}

/// A write this module owns, or `None` for the rest of the sandbox.
pub fn write(
    store: &mut Store,
    req: &Req,
    key: &DemoKey,
    team: &SbTeam,
    segs: &[&str],
    body: &Value,
) -> Option<Result<(u16, Value), SbError>> {
    let route = route(&req.method, segs)?;
    if !matches!(route.kind, Kind::Write) {
        return None;
    }
    Some(match segs {
        ["clients", id, "stamp-pending-receipts"] => receipts::stamp_pending(store, req, team, id),
        ["clients", ..] | ["services", ..] => clients::write(store, req, team, segs, body),
        ["invoices", ..] | ["payments", ..] => invoices::write(store, req, team, segs, body),
        ["receipts", ..] => receipts::write(store, req, team, segs, body),
        ["webhooks", ..] => webhooks::write(store, req, key, team, segs, body),
        _ => account::write(store, req, key, team, segs, body),
    })
}

/// Fills what the seeded world does not generate: each PPD invoice's complements.
pub fn seed(store: &mut Store) {
    for data in store.data.values_mut() {
        complements::seed_complements(data);
    }
}
