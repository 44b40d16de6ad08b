//! What the Branches tab and `gigdash branches` say of each team: its configuration as the
//! API sent it (`api::TeamConfig`) read leniently into facts — CSD and the days to its
//! expiry, stamping credits, series with their next folios, integrations, members and
//! roles, fiscal identity, default settings — the problems that keep it from invoicing
//! (in words), and how it drifts from a reference team. A missing or odd part is
//! "unknown", never a false "ok". Every text here is printable: it came from the API.

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;
use serde_json::Value;

use crate::api::{Csd, TeamConfig, TeamId};
use crate::i18n::Lang;
use crate::t;

mod drift;
mod view;

pub use drift::{Area, Difference, drift, drift_areas};
pub use view::{BranchRow, BranchState, BranchesView, Counts, counts};

/// A CSD that expires within this many days needs attention.
pub const CSD_SOON_DAYS: i64 = 30;
/// Credits under this many are "low" unless the config says otherwise.
pub const LOW_CREDITS: i64 = 100;

/// One invoice series and its next folios.
#[derive(Clone, Debug, PartialEq)]
pub struct SeriesInfo {
    pub name: String,
    pub live: Option<u64>,
    pub test: Option<u64>,
}

/// A member of a team and their role.
#[derive(Clone, Debug, PartialEq)]
pub struct Member {
    pub id: String,
    pub email: String,
    pub role: String,
}

/// Where a team's CSD stands, in whole days from now (Mexico City days do not matter here:
/// an expiry is a moment).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CsdState {
    Unknown,
    None,
    Expired { days_ago: i64 },
    Valid { days_left: i64 },
}

/// What keeps a branch from invoicing, or needs an operator before month end.
#[derive(Clone, Debug, PartialEq)]
pub enum Problem {
    CsdExpired(i64),
    NoCsd,
    CsdSoon(i64),
    CsdUnknown,
    NoCredits,
    LowCredits(Decimal),
    CreditsUnknown,
    NoSeries,
    SeriesUnknown,
    Disconnected(String),
    IntegrationsUnknown,
    MembersUnknown,
    SettingsUnknown,
}

impl Problem {
    /// The branch cannot stamp an invoice now.
    pub fn blocks(&self) -> bool {
        matches!(
            self,
            Problem::CsdExpired(_) | Problem::NoCsd | Problem::NoCredits
        )
    }

    /// What could not be read: the branch may or may not invoice ("cannot tell").
    pub fn unknown(&self) -> bool {
        matches!(self, Problem::CsdUnknown | Problem::CreditsUnknown)
    }

    pub fn words(&self, l: Lang) -> String {
        match self {
            Problem::CsdExpired(d) => t!(l, "CSD expired {d} d ago", "CSD vencido hace {d} d"),
            Problem::NoCsd => l.pick("no CSD", "sin CSD").into(),
            Problem::CsdSoon(d) => t!(l, "CSD expires in {d} d", "CSD vence en {d} d"),
            Problem::CsdUnknown => l.pick("CSD unknown", "CSD desconocido").into(),
            Problem::NoCredits => l.pick("no credits", "sin créditos").into(),
            Problem::LowCredits(c) => t!(l, "{} credits left", "quedan {} créditos", c),
            Problem::CreditsUnknown => l.pick("credits unknown", "créditos desconocidos").into(),
            Problem::NoSeries => l.pick("no series", "sin series").into(),
            Problem::SeriesUnknown => l.pick("series unknown", "series desconocidas").into(),
            Problem::Disconnected(p) => t!(l, "{p} disconnected", "{p} desconectado"),
            Problem::IntegrationsUnknown => l
                .pick("integrations unknown", "integraciones desconocidas")
                .into(),
            Problem::MembersUnknown => l.pick("members unknown", "miembros desconocidos").into(),
            Problem::SettingsUnknown => l
                .pick("settings unknown", "configuración desconocida")
                .into(),
        }
    }
}

/// One team's facts, read once when its configuration arrives.
#[derive(Clone, Debug, PartialEq)]
pub struct Branch {
    pub id: TeamId,
    pub name: String,
    pub legal_name: String,
    pub rfc: String,
    pub regime: String,
    pub zip: String,
    pub csd: CsdState,
    pub credits: Option<Decimal>,
    /// `None`: the part did not come or had another shape.
    pub series: Option<Vec<SeriesInfo>>,
    pub integrations: Option<Vec<(String, Option<bool>)>>,
    pub members: Option<Vec<Member>>,
    /// Settings flattened: `emails.invoices_bcc` → its value as compact JSON.
    pub settings: Option<BTreeMap<String, String>>,
    pub problems: Vec<Problem>,
    /// Why a part did not come, by part.
    pub missing: Vec<(String, String)>,
}

fn text(v: &Value, keys: &[&str]) -> String {
    keys.iter()
        .find_map(|k| v.pointer(k).and_then(Value::as_str))
        .map(crate::text::printable)
        .unwrap_or_default()
}

/// A list part: the array itself, or an object's `data`/`items` array.
fn list(v: &Value) -> Option<&Vec<Value>> {
    v.as_array()
        .or_else(|| v.get("data").and_then(Value::as_array))
        .or_else(|| v.get("items").and_then(Value::as_array))
}

fn folio(v: Option<&Value>) -> Option<u64> {
    match v? {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn flatten(prefix: &str, v: &Value, out: &mut BTreeMap<String, String>) {
    match v {
        Value::Object(m) if !m.is_empty() => {
            for (k, x) in m {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&key, x, out);
            }
        }
        // Arrays (taxes, uses) are compared whole; text is shown without its quotes.
        other => {
            let shown = match other {
                Value::String(s) => s.clone(),
                v => v.to_string(),
            };
            out.insert(
                crate::text::printable(prefix),
                crate::text::printable(&shown),
            );
        }
    }
}

impl Branch {
    /// Reads a team's configuration at `now` (epoch seconds); `low` is the credits
    /// threshold.
    pub fn read(c: &TeamConfig, now: i64, low: Decimal) -> Branch {
        let t = &c.team;
        let mut name = text(t, &["/brand/alias", "/name", "/legal_name", "/legalName"]);
        if name.is_empty() {
            name = crate::text::printable(c.id.as_str());
        }
        let csd = match Csd::read(t.get("sat")) {
            Csd::Unknown => CsdState::Unknown,
            Csd::None => CsdState::None,
            Csd::Expires(at) => {
                let secs = at.as_second() - now;
                if secs <= 0 {
                    CsdState::Expired {
                        days_ago: (-secs) / 86_400,
                    }
                } else {
                    // Days left round up: 4 days and 23 hours is "in 5 d".
                    CsdState::Valid {
                        days_left: (secs + 86_399) / 86_400,
                    }
                }
            }
        };
        let credits = crate::api::models::credits_in(t.get("billing"));
        let mut missing = Vec::new();
        let mut part = |what: &str, p: &Result<Value, String>| -> Option<Value> {
            match p {
                Ok(v) => Some(v.clone()),
                Err(e) => {
                    missing.push((what.to_string(), e.clone()));
                    None
                }
            }
        };
        let series = part("series", &c.series).and_then(|v| {
            list(&v).map(|l| {
                l.iter()
                    .filter_map(|s| {
                        let name = s.get("series").and_then(Value::as_str)?;
                        Some(SeriesInfo {
                            name: crate::text::printable(name),
                            live: folio(s.get("live")),
                            test: folio(s.get("test")),
                        })
                    })
                    .collect()
            })
        });
        let members = part("members", &c.members).and_then(|v| {
            list(&v).map(|l| {
                l.iter()
                    .filter_map(|m| {
                        let id = m.get("id").and_then(Value::as_str)?;
                        Some(Member {
                            id: crate::text::printable(id),
                            email: text(m, &["/email"]),
                            role: text(m, &["/role"]).to_lowercase(),
                        })
                    })
                    .collect()
            })
        });
        let integrations = part("integrations", &c.integrations).and_then(|v| {
            v.as_object().map(|m| {
                m.iter()
                    .map(|(k, x)| {
                        (
                            crate::text::printable(k),
                            x.get("completed").and_then(Value::as_bool),
                        )
                    })
                    .collect()
            })
        });
        let settings = part("settings", &c.settings).and_then(|v| {
            v.is_object().then(|| {
                let mut out = BTreeMap::new();
                flatten("", &v, &mut out);
                out
            })
        });
        let mut b = Branch {
            id: c.id.clone(),
            name,
            legal_name: text(t, &["/legal_name", "/legalName"]),
            rfc: text(t, &["/tax_id", "/taxId"]),
            regime: text(t, &["/tax_system", "/taxSystem"]),
            zip: text(t, &["/address/zip"]),
            csd,
            credits,
            series,
            integrations,
            members,
            settings,
            problems: vec![],
            missing,
        };
        b.problems = b.find_problems(low);
        b
    }

    fn find_problems(&self, low: Decimal) -> Vec<Problem> {
        let mut out = Vec::new();
        match self.csd {
            CsdState::Unknown => out.push(Problem::CsdUnknown),
            CsdState::None => out.push(Problem::NoCsd),
            CsdState::Expired { days_ago } => out.push(Problem::CsdExpired(days_ago)),
            CsdState::Valid { days_left } if days_left <= CSD_SOON_DAYS => {
                out.push(Problem::CsdSoon(days_left))
            }
            CsdState::Valid { .. } => {}
        }
        match self.credits {
            None => out.push(Problem::CreditsUnknown),
            Some(c) if c <= Decimal::ZERO => out.push(Problem::NoCredits),
            Some(c) if c < low => out.push(Problem::LowCredits(c)),
            Some(_) => {}
        }
        match &self.series {
            None => out.push(Problem::SeriesUnknown),
            Some(s) if s.is_empty() => out.push(Problem::NoSeries),
            Some(_) => {}
        }
        match &self.integrations {
            None => out.push(Problem::IntegrationsUnknown),
            Some(list) => {
                for (name, done) in list {
                    // The SAT connection is the CSD, said already.
                    if *done == Some(false) && name != "sat" {
                        out.push(Problem::Disconnected(name.clone()));
                    }
                }
            }
        }
        if self.members.is_none() {
            out.push(Problem::MembersUnknown);
        }
        if self.settings.is_none() {
            out.push(Problem::SettingsUnknown);
        }
        out
    }

    /// The branch cannot invoice now (expired or no CSD, no credits).
    pub fn cannot_invoice(&self) -> bool {
        self.problems.iter().any(Problem::blocks)
    }

    /// Whether it can invoice is not known (its CSD or credits could not be read).
    pub fn cannot_tell(&self) -> bool {
        self.problems.iter().any(Problem::unknown)
    }

    /// 0: cannot invoice; 1: cannot tell; 2: needs attention; 3: fine.
    pub fn severity(&self) -> u8 {
        if self.cannot_invoice() {
            0
        } else if self.cannot_tell() {
            1
        } else if !self.problems.is_empty() {
            2
        } else {
            3
        }
    }

    /// The CSD expires within `CSD_SOON_DAYS` (and has not expired).
    pub fn csd_soon(&self) -> bool {
        matches!(self.csd, CsdState::Valid { days_left } if days_left <= CSD_SOON_DAYS)
    }

    pub fn csd_expired(&self) -> bool {
        matches!(self.csd, CsdState::Expired { .. } | CsdState::None)
    }

    /// The State column: what needs doing, in words, worst first; "ok" when nothing.
    pub fn state_words(&self, l: Lang) -> String {
        if self.problems.is_empty() {
            return "ok".into();
        }
        let mut p: Vec<&Problem> = self.problems.iter().collect();
        p.sort_by_key(|p| (!p.blocks(), !p.unknown()));
        p.iter().map(|p| p.words(l)).collect::<Vec<_>>().join(" · ")
    }

    pub fn csd_cell(&self, l: Lang) -> String {
        match self.csd {
            CsdState::Unknown => l.pick("unknown", "desconocido").into(),
            CsdState::None => l.pick("none", "ninguno").into(),
            // The days are the State's words.
            CsdState::Expired { .. } => l.pick("expired", "vencido").into(),
            CsdState::Valid { days_left } => t!(l, "{days_left} d", "{days_left} d"),
        }
    }

    pub fn credits_cell(&self, l: Lang) -> String {
        match self.credits {
            None => l.pick("unknown", "desconocido").into(),
            Some(c) => match u64::try_from(c.trunc()) {
                Ok(n) if c.fract().is_zero() => crate::text::thousands(n as usize),
                _ => c.normalize().to_string(),
            },
        }
    }

    /// `A 0/125 · B 3/3`: each series with its next live / test folio.
    pub fn series_cell(&self, l: Lang) -> String {
        let n = |f: Option<u64>| f.map_or("?".to_string(), |f| f.to_string());
        match &self.series {
            None => l.pick("unknown", "desconocidas").into(),
            Some(s) if s.is_empty() => l.pick("none", "ninguna").into(),
            Some(s) => s
                .iter()
                .map(|s| format!("{} {}/{}", s.name, n(s.live), n(s.test)))
                .collect::<Vec<_>>()
                .join(" · "),
        }
    }

    pub fn integrations_cell(&self, l: Lang) -> String {
        match &self.integrations {
            None => l.pick("unknown", "desconocidas").into(),
            Some(list) => list
                .iter()
                .map(|(name, done)| {
                    let word = match done {
                        Some(true) => "✓",
                        Some(false) => "✗",
                        None => "?",
                    };
                    format!("{name} {word}")
                })
                .collect::<Vec<_>>()
                .join(" "),
        }
    }

    /// `3 · 1 admin`.
    pub fn members_cell(&self, l: Lang) -> String {
        match &self.members {
            None => l.pick("unknown", "desconocidos").into(),
            Some(m) => {
                let admins = m.iter().filter(|m| m.role == "admin").count();
                t!(l, "{} · {admins} admin", "{} · {admins} admin", m.len())
            }
        }
    }

    /// The invoice defaults: product key · unit key · CFDI use · taxes.
    pub fn settings_cell(&self, l: Lang) -> String {
        let Some(s) = &self.settings else {
            return l.pick("unknown", "desconocida").into();
        };
        let get = |k: &str| s.get(k).cloned().unwrap_or_else(|| "—".into());
        let taxes = s
            .get("taxes")
            .and_then(|t| serde_json::from_str::<Value>(t).ok())
            .and_then(|t| {
                t.as_array().map(|a| {
                    a.iter()
                        .map(|x| {
                            let kind = x.get("type").and_then(Value::as_str).unwrap_or("?");
                            let rate = x
                                .get("rate")
                                .and_then(|r| r.to_string().parse::<Decimal>().ok())
                                .map(|r| (r * Decimal::ONE_HUNDRED).normalize().to_string())
                                .unwrap_or_else(|| "?".into());
                            crate::text::printable(&format!("{kind} {rate}%"))
                        })
                        .collect::<Vec<_>>()
                        .join("+")
                })
            })
            .unwrap_or_else(|| "—".into());
        format!(
            "{} · {} · {} · {taxes}",
            get("product_key"),
            get("unit_key"),
            get("use")
        )
    }

    /// Series names (prefixes), as a set.
    fn prefixes(&self) -> Option<BTreeSet<String>> {
        self.series
            .as_ref()
            .map(|s| s.iter().map(|s| s.name.to_uppercase()).collect())
    }

    /// The admins (by email, else id).
    fn admins(&self) -> Option<BTreeSet<String>> {
        self.members.as_ref().map(|m| {
            m.iter()
                .filter(|m| m.role == "admin")
                .map(|m| {
                    if m.email.is_empty() {
                        m.id.clone()
                    } else {
                        m.email.to_lowercase()
                    }
                })
                .collect()
        })
    }
}
