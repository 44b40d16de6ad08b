//! How a branch differs from the reference team: each setting, the series prefixes, the
//! reference's admins missing, the regime.

use std::collections::{BTreeMap, BTreeSet};

use super::Branch;
use crate::i18n::Lang;

/// Where a branch differs from the reference.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Area {
    Settings,
    Series,
    Members,
    Regime,
}

/// One difference from the reference team.
#[derive(Clone, Debug, PartialEq)]
pub struct Difference {
    pub area: Area,
    /// `settings.unit_key`, `series`, `admins`, `regime`.
    pub what: String,
    pub reference: String,
    pub here: String,
}

/// How `b` differs from `reference`: every setting (missing is "—"), the series prefixes,
/// the reference's admins missing here (each branch has its own staff: only the admins are
/// expected everywhere), the tax regime. A part unknown on either side is one difference
/// saying so.
pub fn drift(reference: &Branch, b: &Branch, l: Lang) -> Vec<Difference> {
    let unknown = || l.pick("unknown", "desconocido").to_string();
    let mut out = Vec::new();
    let mut diff = |area, what: String, r: String, h: String| {
        if r != h {
            out.push(Difference {
                area,
                what,
                reference: r,
                here: h,
            });
        }
    };
    match (&reference.settings, &b.settings) {
        (Some(r), Some(h)) => {
            let keys: BTreeSet<&String> = r.keys().chain(h.keys()).collect();
            for k in keys {
                let get = |m: &BTreeMap<String, String>| m.get(k).cloned().unwrap_or("—".into());
                diff(Area::Settings, format!("settings.{k}"), get(r), get(h));
            }
        }
        (r, h) => {
            let say = |s: &Option<BTreeMap<String, String>>| {
                if s.is_some() {
                    "…".to_string()
                } else {
                    unknown()
                }
            };
            if r.is_none() || h.is_none() {
                diff(Area::Settings, "settings".into(), say(r), say(h));
            }
        }
    }
    let join = |s: Option<BTreeSet<String>>| match s {
        Some(s) if s.is_empty() => "—".to_string(),
        Some(s) => s.into_iter().collect::<Vec<_>>().join(", "),
        None => unknown(),
    };
    diff(
        Area::Series,
        "series".into(),
        join(reference.prefixes()),
        join(b.prefixes()),
    );
    match (reference.admins(), b.admins()) {
        (Some(r), Some(h)) => {
            let missing: BTreeSet<String> = r.difference(&h).cloned().collect();
            if !missing.is_empty() {
                diff(
                    Area::Members,
                    l.pick("admins missing", "admins que faltan").into(),
                    join(Some(missing)),
                    "—".into(),
                );
            }
        }
        (r, h) => diff(Area::Members, "admins".into(), join(r), join(h)),
    }
    diff(
        Area::Regime,
        l.pick("regime", "régimen").into(),
        reference.regime.clone(),
        b.regime.clone(),
    );
    out
}

/// The areas where `b` differs from `reference` (the cells the tab marks).
pub fn drift_areas(reference: &Branch, b: &Branch) -> BTreeSet<Area> {
    drift(reference, b, Lang::En)
        .into_iter()
        .map(|d| d.area)
        .collect()
}
