//! The sandbox's in-memory store: teams, their data kept sorted by (created_at, id), the
//! demo keys, idempotency records, and cursor pagination that yields each object exactly
//! once even while writes happen (new objects sort after every existing one).

use std::collections::HashMap;

use base64::Engine;

use super::error::SbError;
use super::model::*;

#[derive(Default)]
pub struct TeamData {
    pub clients: Vec<SbClient>,
    pub services: Vec<SbService>,
    pub income: Vec<SbInvoice>,
    pub egress: Vec<SbInvoice>,
    pub payments: Vec<SbPayment>,
    pub receipts: Vec<SbReceipt>,
    pub users: Vec<SbUser>,
    /// Payment-complement (type P) invoices, each related to a PPD invoice.
    pub complements: Vec<SbInvoice>,
    /// Pre-invoices (drafts), webhooks and invoice series, as the API shows them.
    pub drafts: Vec<serde_json::Value>,
    pub webhooks: Vec<serde_json::Value>,
    pub series: Vec<serde_json::Value>,
    /// The team's settings object (§7.4); updates merge into it.
    pub settings: serde_json::Value,
}

impl TeamData {
    pub fn sort_all(&mut self) {
        self.clients
            .sort_by(|a, b| (a.created_at, &a.id).cmp(&(b.created_at, &b.id)));
        self.services
            .sort_by(|a, b| (a.created_at, &a.id).cmp(&(b.created_at, &b.id)));
        self.income
            .sort_by(|a, b| (a.created_at, &a.uuid).cmp(&(b.created_at, &b.uuid)));
        self.egress
            .sort_by(|a, b| (a.created_at, &a.uuid).cmp(&(b.created_at, &b.uuid)));
        self.payments
            .sort_by(|a, b| (a.created_at, &a.id).cmp(&(b.created_at, &b.id)));
        self.receipts
            .sort_by(|a, b| (a.created_at, &a.id).cmp(&(b.created_at, &b.id)));
        self.users
            .sort_by(|a, b| (a.created_at, &a.id).cmp(&(b.created_at, &b.id)));
    }
}

/// Something a list endpoint returns.
pub trait Listed {
    fn sort_key(&self) -> (i64, &str);
    fn status(&self) -> Option<&str> {
        None
    }
    fn client_id(&self) -> Option<&str> {
        None
    }
    fn extra_match(&self, _key: &str, _value: &str) -> Option<bool> {
        None
    }
}

impl Listed for SbTeam {
    fn sort_key(&self) -> (i64, &str) {
        (self.created_at, &self.id)
    }
}
impl Listed for SbClient {
    fn sort_key(&self) -> (i64, &str) {
        (self.created_at, &self.id)
    }
}
impl Listed for SbService {
    fn sort_key(&self) -> (i64, &str) {
        (self.created_at, &self.id)
    }
}
impl Listed for SbUser {
    fn sort_key(&self) -> (i64, &str) {
        (self.created_at, &self.id)
    }
}
impl Listed for SbInvoice {
    fn sort_key(&self) -> (i64, &str) {
        (self.created_at, &self.uuid)
    }
    fn status(&self) -> Option<&str> {
        Some(&self.status)
    }
    fn client_id(&self) -> Option<&str> {
        Some(&self.client.id)
    }
    fn extra_match(&self, key: &str, value: &str) -> Option<bool> {
        match key {
            "series" => Some(self.series == value),
            "payment_method" => Some(self.payment_method == value),
            _ => None,
        }
    }
}
impl Listed for SbPayment {
    fn sort_key(&self) -> (i64, &str) {
        (self.created_at, &self.id)
    }
    fn status(&self) -> Option<&str> {
        Some(&self.status)
    }
    fn client_id(&self) -> Option<&str> {
        Some(&self.client.id)
    }
    fn extra_match(&self, key: &str, value: &str) -> Option<bool> {
        match key {
            "currency" => Some(self.currency.eq_ignore_ascii_case(value)),
            "email" => Some(self.client.email.eq_ignore_ascii_case(value)),
            "tax_id" => Some(self.client.tax_id.eq_ignore_ascii_case(value)),
            _ => None,
        }
    }
}
impl Listed for SbReceipt {
    fn sort_key(&self) -> (i64, &str) {
        (self.created_at, &self.id)
    }
    fn status(&self) -> Option<&str> {
        Some(&self.status)
    }
    fn client_id(&self) -> Option<&str> {
        self.client.as_ref().map(|c| c.id.as_str())
    }
}

/// Parsed list parameters (gigstack-api.md §1.6–1.7).
#[derive(Debug, Default)]
pub struct ListParams {
    pub limit: usize,
    pub after: Option<(i64, String)>,
    pub ascending: bool,
    pub status: Option<String>,
    pub client_id: Option<String>,
    pub created_gte: Option<i64>,
    pub created_lte: Option<i64>,
    pub extra: Vec<(String, String)>,
}

fn parse_time(key: &str, v: &str) -> Result<i64, SbError> {
    let n: i64 = v.trim().parse().map_err(|_| {
        SbError::validation(format!(
            "`{key}` must be a timestamp in seconds or milliseconds, got {v:?}"
        ))
    })?;
    // Values above 1e12 are milliseconds.
    Ok(if n.abs() >= 1_000_000_000_000 {
        n / 1000
    } else {
        n
    })
}

impl ListParams {
    pub fn parse(query: &[(String, String)]) -> Result<Self, SbError> {
        let mut p = ListParams {
            limit: 10,
            ..Default::default()
        };
        for (k, v) in query {
            match k.as_str() {
                "limit" => {
                    let n: i64 = v.trim().parse().map_err(|_| {
                        SbError::validation(format!(
                            "`limit` must be a number between 1 and 100, got {v:?}"
                        ))
                    })?;
                    if !(1..=100).contains(&n) {
                        return Err(SbError::validation(format!(
                            "`limit` must be between 1 and 100, got {n}"
                        )));
                    }
                    p.limit = n as usize;
                }
                "next" | "cursor" | "starting_after" => {
                    if !v.is_empty() {
                        p.after = Some(decode_cursor(v)?);
                    }
                }
                "sort" => match v.as_str() {
                    "asc" => p.ascending = true,
                    "desc" => p.ascending = false,
                    _ => {
                        return Err(SbError::validation(format!(
                            "`sort` must be asc or desc, got {v:?}"
                        )));
                    }
                },
                "status" => p.status = Some(v.clone()),
                "client_id" => p.client_id = Some(v.clone()),
                "created[gte]" | "created_gte" => p.created_gte = Some(parse_time(k, v)?),
                "created[lte]" | "created_lte" => p.created_lte = Some(parse_time(k, v)?),
                "team" | "order_by" | "page" => {}
                other => p.extra.push((other.to_string(), v.clone())),
            }
        }
        Ok(p)
    }

    fn matches<T: Listed>(&self, item: &T) -> bool {
        let (created, _) = item.sort_key();
        if let Some(g) = self.created_gte
            && created < g
        {
            return false;
        }
        if let Some(l) = self.created_lte
            && created > l
        {
            return false;
        }
        if let Some(s) = &self.status {
            match item.status() {
                Some(st) if same_status(st, s) => {}
                Some(_) => return false,
                None => {}
            }
        }
        if let Some(c) = &self.client_id
            && item.client_id() != Some(c.as_str())
        {
            return false;
        }
        self.extra
            .iter()
            .all(|(k, v)| item.extra_match(k, v).unwrap_or(true))
    }
}

/// `cancelled` and `canceled` name the same status in filters.
fn same_status(actual: &str, wanted: &str) -> bool {
    let norm = |s: &str| {
        if s == "cancelled" {
            "canceled".to_string()
        } else {
            s.to_string()
        }
    };
    norm(actual) == norm(wanted)
}

pub fn encode_cursor(key: (i64, &str)) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{}:{}", key.0, key.1))
}

fn decode_cursor(c: &str) -> Result<(i64, String), SbError> {
    let bad =
        || SbError::validation("`next` is not a cursor this server issued; start again without it");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(c.trim())
        .map_err(|_| bad())?;
    let text = String::from_utf8(bytes).map_err(|_| bad())?;
    let (ts, id) = text.split_once(':').ok_or_else(bad)?;
    Ok((ts.parse().map_err(|_| bad())?, id.to_string()))
}

pub struct PageOut<'a, T> {
    pub items: Vec<&'a T>,
    pub next: Option<String>,
    pub total: usize,
}

/// One page of `items` (sorted ascending by key), newest first unless `sort=asc`.
pub fn paginate<'a, T: Listed>(items: &'a [T], p: &ListParams) -> PageOut<'a, T> {
    let total = items.iter().filter(|i| p.matches(*i)).count();
    let mut out = Vec::with_capacity(p.limit);
    let mut has_more = false;
    if p.ascending {
        let start = match &p.after {
            Some((ts, id)) => items.partition_point(|i| i.sort_key() <= (*ts, id.as_str())),
            None => 0,
        };
        for item in items[start..].iter().filter(|i| p.matches(*i)) {
            if out.len() == p.limit {
                has_more = true;
                break;
            }
            out.push(item);
        }
    } else {
        let end = match &p.after {
            Some((ts, id)) => items.partition_point(|i| i.sort_key() < (*ts, id.as_str())),
            None => items.len(),
        };
        for item in items[..end].iter().rev().filter(|i| p.matches(*i)) {
            if out.len() == p.limit {
                has_more = true;
                break;
            }
            out.push(item);
        }
    }
    let next = if has_more {
        out.last().map(|i| encode_cursor(i.sort_key()))
    } else {
        None
    };
    PageOut {
        items: out,
        next,
        total,
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct IdemKey {
    pub key_id: String,
    pub team: String,
    pub method: String,
    pub path: String,
    pub idempotency_key: String,
}

#[derive(Clone, Debug)]
pub struct IdemRecord {
    pub fingerprint: String,
    pub status: u16,
    pub body: serde_json::Value,
}

pub struct Store {
    pub teams: Vec<SbTeam>,
    pub data: HashMap<String, TeamData>,
    pub keys: HashMap<String, DemoKey>,
    pub idempotency: HashMap<IdemKey, IdemRecord>,
    /// State changes applied, for tests that count writes.
    pub writes: u64,
    pub requests: u64,
    /// 429s answered (the `--rate-limit` window or a `429` fault), for tests that count them.
    pub rate_limited: u64,
    pub counter: u64,
    /// (team, uuid, due) of cancellations waiting for the receiver.
    pub pending_cancels: Vec<(String, String, i64)>,
}

impl Default for Store {
    fn default() -> Self {
        Self::new()
    }
}

impl Store {
    pub fn new() -> Self {
        Store {
            teams: Vec::new(),
            data: HashMap::new(),
            keys: HashMap::new(),
            idempotency: HashMap::new(),
            writes: 0,
            requests: 0,
            rate_limited: 0,
            counter: 0,
            pending_cancels: Vec::new(),
        }
    }

    pub fn add_team(&mut self, team: SbTeam, data: TeamData) {
        for inv in &data.income {
            if let (Some(due), Some("pending")) =
                (inv.cancel_due, inv.cancellation_status.as_deref())
            {
                self.pending_cancels
                    .push((team.id.clone(), inv.uuid.clone(), due));
            }
        }
        self.data.insert(team.id.clone(), data);
        self.teams.push(team);
        self.teams
            .sort_by(|a, b| (a.created_at, &a.id).cmp(&(b.created_at, &b.id)));
    }

    pub fn team(&self, id: &str) -> Option<&SbTeam> {
        self.teams.iter().find(|t| t.id == id)
    }

    pub fn team_data(&mut self, id: &str) -> Result<&mut TeamData, SbError> {
        self.data
            .get_mut(id)
            .ok_or_else(|| SbError::not_found("team data"))
    }

    /// A fresh id that sorts after every id made in the same second.
    pub fn new_id(&mut self, prefix: &str) -> String {
        self.counter += 1;
        format!("{prefix}_sbx{:010}", self.counter)
    }

    /// Finds a master team (Connect enabled) and returns its id, for key issuance.
    pub fn master_team(&self, billing: &str) -> Option<&SbTeam> {
        self.teams
            .iter()
            .find(|t| t.billing_account == billing && t.connect)
    }
}
