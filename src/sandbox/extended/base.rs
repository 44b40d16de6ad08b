//! What every endpoint file of `extended/` shares, below all of them: answers (one,
//! created, a cursor page, a search page), body fields, partial-update merges, fresh
//! UUIDs and folios, and the fiscal checks (an RFC's shape, a client's fiscal data).

use serde_json::{Value, json};

use crate::sandbox::error::SbError;
use crate::sandbox::model::{SbClient, SbTeam};
use crate::sandbox::request::Req;
use crate::sandbox::store::{ListParams, Listed, Store, TeamData, paginate};

pub(super) fn one(message: &str, item: impl serde::Serialize) -> Result<(u16, Value), SbError> {
    Ok((200, json!({"message": message, "data": item})))
}

pub(super) fn created(message: &str, item: impl serde::Serialize) -> Result<(u16, Value), SbError> {
    Ok((201, json!({"message": message, "data": item})))
}

/// A cursor page, as every list answers (§1.6).
pub(in crate::sandbox) fn list<T: Listed + serde::Serialize>(
    items: &[T],
    query: &[(String, String)],
) -> Result<(u16, Value), SbError> {
    let p = ListParams::parse(query)?;
    let page = paginate(items, &p);
    let mut body = json!({
        "message": "Items retrieved successfully",
        "data": page.items,
        "has_more": page.next.is_some(),
        "total_results": page.total,
    });
    if let Some(n) = page.next {
        body["next"] = json!(n);
    }
    Ok((200, body))
}

/// `/…/search?q=&page=&limit=`: the search envelope (§1.4), matching `q` in any of the
/// fields `hay` gives, accents and case ignored.
pub(super) fn search<T: serde::Serialize>(
    items: &[T],
    req: &Req,
    hay: impl Fn(&T) -> Vec<String>,
) -> Result<(u16, Value), SbError> {
    let q = req.param("q").unwrap_or("").trim();
    if q.is_empty() {
        return Err(SbError::validation("`q` is required"));
    }
    let number =
        |k: &str, d: usize| -> Result<usize, SbError> {
            match req.param(k) {
                None => Ok(d),
                Some(v) => v.parse::<usize>().ok().filter(|n| *n >= 1).ok_or_else(|| {
                    SbError::validation(format!("`{k}` must be a whole number from 1"))
                }),
            }
        };
    let (page, per_page) = (number("page", 1)?, number("limit", 10)?.min(100));
    let needle = fold(q);
    let found: Vec<&T> = items
        .iter()
        .filter(|i| hay(i).iter().any(|h| fold(h).contains(&needle)))
        .collect();
    let start = (page - 1) * per_page;
    let data: Vec<&&T> = found.iter().skip(start).take(per_page).collect();
    Ok((
        200,
        json!({
            "success": true,
            "data": data,
            "has_more": start + per_page < found.len(),
            "next": if start + per_page < found.len() { json!((page + 1).to_string()) } else { Value::Null },
            "found": found.len(),
            "page": page,
            "per_page": per_page,
        }),
    ))
}

pub(super) fn fold(s: &str) -> String {
    s.to_lowercase()
        .chars()
        .map(|c| match c {
            'á' => 'a',
            'é' => 'e',
            'í' => 'i',
            'ó' => 'o',
            'ú' | 'ü' => 'u',
            c => c,
        })
        .collect()
}

/// A string field of a JSON body, if present.
pub(super) fn text<'a>(body: &'a Value, field: &str) -> Result<Option<&'a str>, SbError> {
    crate::sandbox::request::text_field(body, field)
}

/// A required string field.
pub(super) fn required<'a>(body: &'a Value, field: &str) -> Result<&'a str, SbError> {
    text(body, field)?
        .filter(|s| !s.trim().is_empty())
        .ok_or_else(|| SbError::validation(format!("`{field}` is required")))
}

/// Finds an object by id in a team's list, or the API's 404.
pub(super) fn find_value<'a>(
    items: &'a mut [Value],
    id: &str,
    what: &str,
) -> Result<&'a mut Value, SbError> {
    items
        .iter_mut()
        .find(|v| v.get("id").and_then(|i| i.as_str()) == Some(id))
        .ok_or_else(|| SbError::not_found(what))
}

/// Merges `patch` into `target` (objects recursively; an explicit null clears a value,
/// as the API's partial updates do, §7.4).
pub(super) fn merge(target: &mut Value, patch: &Value) {
    match (target, patch) {
        (Value::Object(t), Value::Object(p)) => {
            for (k, v) in p {
                if v.is_null() {
                    t.remove(k);
                } else {
                    merge(t.entry(k.clone()).or_insert(Value::Null), v);
                }
            }
        }
        (t, p) => *t = p.clone(),
    }
}

impl Listed for Value {
    fn sort_key(&self) -> (i64, &str) {
        (
            self.get("created_at").and_then(|c| c.as_i64()).unwrap_or(0),
            self.get("id").and_then(|i| i.as_str()).unwrap_or(""),
        )
    }
    fn status(&self) -> Option<&str> {
        self.get("status").and_then(|s| s.as_str())
    }
}

/// The data of the team a write targets.
pub(super) fn team_data<'a>(
    store: &'a mut Store,
    team: &SbTeam,
) -> Result<&'a mut TeamData, SbError> {
    store.team_data(&team.id)
}

/// The RFC's shape (SAT): 3 (company) or 4 (person) letters, a YYMMDD date, 3 characters.
pub(super) fn rfc_shape_ok(rfc: &str) -> bool {
    let b = rfc.as_bytes();
    let letters = match b.len() {
        12 => 3,
        13 => 4,
        _ => return false,
    };
    b[..letters]
        .iter()
        .all(|c| c.is_ascii_uppercase() || *c == b'&' || *c == 0xD1)
        && b[letters..letters + 6].iter().all(u8::is_ascii_digit)
        && b[letters + 6..].iter().all(u8::is_ascii_alphanumeric)
}

/// What SAT would say of a client's fiscal data: the RFC's shape, a legal name, a regime
/// and a postal code; the generic public RFC is always valid for a global invoice.
pub(super) fn fiscal_problems(c: &SbClient) -> Vec<&'static str> {
    let mut bad = Vec::new();
    if !rfc_shape_ok(&c.tax_id) {
        bad.push("tax_id");
    }
    if c.legal_name.trim().is_empty() {
        bad.push("legal_name");
    }
    if c.tax_system.len() != 3 || !c.tax_system.bytes().all(|b| b.is_ascii_digit()) {
        bad.push("tax_system");
    }
    if c.address.zip.len() != 5 || !c.address.zip.bytes().all(|b| b.is_ascii_digit()) {
        bad.push("zip");
    }
    bad
}

/// A UUID-shaped folio fiscal that is new in this store.
pub(super) fn uuid_from(store: &mut Store) -> String {
    store.counter += 1;
    let n = store.counter;
    format!(
        "5b1d{:04x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
        n & 0xffff,
        (n >> 16) & 0xffff,
        n % 0xfff,
        (n * 7) % 0xfff,
        n * 2_654_435_761 % 0xffff_ffff_ffff
    )
}

/// The next folio of a series: one above the highest in use.
pub(super) fn next_folio(store: &mut Store, team: &SbTeam, series: &str) -> Result<u64, SbError> {
    let data = team_data(store, team)?;
    Ok(data
        .income
        .iter()
        .chain(&data.egress)
        .chain(&data.complements)
        .filter(|i| i.series == series)
        .map(|i| i.folio_number)
        .max()
        .unwrap_or(0)
        + 1)
}

/// Removes the first item `is` picks, or answers the API's 404 for `what`.
pub(super) fn take<T>(
    items: &mut Vec<T>,
    what: &str,
    is: impl Fn(&T) -> bool,
) -> Result<T, SbError> {
    let at = items
        .iter()
        .position(is)
        .ok_or_else(|| SbError::not_found(what))?;
    Ok(items.remove(at))
}

/// The answer to a delete.
pub(super) fn deleted(message: &str, id: &str) -> Result<(u16, Value), SbError> {
    one(message, json!({"id": id, "deleted": true}))
}
