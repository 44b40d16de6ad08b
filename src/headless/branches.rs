//! `gigdash branches`: every team's health and settings without a terminal — the same
//! reads and the same words as the Branches tab, with the drift from `--against` — as
//! Markdown, JSON (each team's configuration exactly as the API sent it, with what gigdash
//! read of it) or CSV. A morning cron job: exit 1 when a branch cannot invoice (or whether
//! it can cannot be told), 2 on an error.

use std::process::ExitCode;

use futures::StreamExt;
use serde_json::{Value, json};

use super::{output_to, say, write_output};
use crate::api::TeamConfig;
use crate::app::data::branches::{Branch, drift};
use crate::i18n::Lang;
use crate::settings::Resolved;
use crate::t;

/// `gigdash branches`'s arguments.
pub struct BranchesArgs {
    pub against: Option<String>,
    pub format: String,
    pub output: Option<std::path::PathBuf>,
}

const WHAT: &str = "branches";

pub async fn branches(r: Resolved, a: BranchesArgs) -> ExitCode {
    let l = r.lang;
    let to = match output_to(
        WHAT,
        &a.format,
        ["md", "json", "csv"],
        a.output.as_deref(),
        l,
    ) {
        Ok(to) => to,
        Err(code) => return code,
    };
    // Any error is 2: a cron job tells it from 1, "a branch cannot invoice".
    let client = match super::client_for(&r, WHAT) {
        Ok(c) => c,
        Err(_) => return ExitCode::from(2),
    };
    let teams = match client.list_teams_raw().await {
        Ok(t) => t,
        Err(e) => {
            say(WHAT, e.describe_cli(l));
            return ExitCode::from(2);
        }
    };
    let order: Vec<String> = teams
        .iter()
        .filter_map(|t| t.get("id").and_then(Value::as_str).map(str::to_string))
        .collect();
    eprintln!(
        "{}",
        t!(
            l,
            "Reading {} teams' configuration…",
            "Leyendo la configuración de {} equipos…",
            order.len()
        )
    );
    let mut configs: Vec<TeamConfig> = crate::worker::team_configs(&client, teams, l)
        .collect()
        .await;
    // The API's order, whatever order the answers came in.
    configs.sort_by_key(|c| order.iter().position(|id| id == c.id.as_str()));
    let now = jiff::Timestamp::now().as_second();
    let low = rust_decimal::Decimal::from(r.low_credits);
    let read: Vec<Branch> = configs.iter().map(|c| Branch::read(c, now, low)).collect();
    let reference = match a.against.as_deref() {
        None => None,
        Some(want) => {
            let key = crate::i18n::sort_key(want.trim());
            match read.iter().find(|b| {
                b.id.as_str() == want.trim()
                    || crate::i18n::sort_key(&b.name) == key
                    || b.rfc.eq_ignore_ascii_case(want.trim())
            }) {
                Some(b) => Some(b.clone()),
                None => {
                    let w = crate::text::printable(want);
                    say(
                        WHAT,
                        t!(
                            l,
                            "--against: no reachable team is «{w}» (an id, a name or an RFC)",
                            "--against: ningún equipo alcanzable es «{w}» (un id, un nombre o un RFC)"
                        ),
                    );
                    return ExitCode::from(2);
                }
            }
        }
    };
    let bytes = match a.format.as_str() {
        "json" => json_bytes(&configs, &read, reference.as_ref(), l),
        "csv" => csv_bytes(&read, reference.as_ref(), l),
        _ => md_bytes(&read, reference.as_ref(), l),
    };
    if !write_output(WHAT, bytes, &to, &a.format, l) {
        return ExitCode::from(2);
    }
    let blocked: Vec<&str> = read
        .iter()
        .filter(|b| b.cannot_invoice() || b.cannot_tell())
        .map(|b| b.name.as_str())
        .collect();
    if blocked.is_empty() {
        ExitCode::SUCCESS
    } else {
        let names = blocked.join(", ");
        say(
            WHAT,
            t!(
                l,
                "{} cannot invoice (or cannot be told): {names}",
                "{} no pueden facturar (o no se sabe): {names}",
                blocked.len()
            ),
        );
        ExitCode::FAILURE
    }
}

fn part(p: &crate::api::config::Part) -> Value {
    p.as_ref().ok().cloned().unwrap_or(Value::Null)
}

fn drift_of(
    reference: Option<&Branch>,
    b: &Branch,
    l: Lang,
) -> Vec<crate::app::data::branches::Difference> {
    match reference {
        Some(r) if r.id != b.id => drift(r, b, l),
        _ => vec![],
    }
}

/// Each team: what the API sent (`team`, `settings`, `series`, `members`,
/// `integrations`; a part that failed is null and its reason is in `errors`) and what
/// gigdash read of it.
fn json_bytes(
    configs: &[TeamConfig],
    read: &[Branch],
    reference: Option<&Branch>,
    l: Lang,
) -> Vec<u8> {
    let teams: Vec<Value> = configs
        .iter()
        .zip(read)
        .map(|(c, b)| {
            let errors: serde_json::Map<String, Value> = b
                .missing
                .iter()
                .map(|(k, v)| (k.clone(), json!(v)))
                .collect();
            json!({
                "id": c.id.as_str(),
                "team": c.team,
                "settings": part(&c.settings),
                "series": part(&c.series),
                "members": part(&c.members),
                "integrations": part(&c.integrations),
                "errors": errors,
                "read": {
                    "name": b.name,
                    "can_invoice": if b.cannot_invoice() { json!(false) } else if b.cannot_tell() { Value::Null } else { json!(true) },
                    "state": b.problems.iter().map(|p| p.words(l)).collect::<Vec<_>>(),
                    "csd": b.csd_cell(l),
                    "credits": b.credits.map(|c| c.to_string()),
                },
                "drift": drift_of(reference, b, l).iter().map(|d| json!({
                    "what": d.what, "reference": d.reference, "here": d.here,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let out = json!({
        "against": reference.map(|r| r.id.as_str()),
        "teams": teams,
    });
    serde_json::to_vec_pretty(&out).unwrap_or_default()
}

fn headers(l: Lang, drift: bool) -> Vec<&'static str> {
    let mut h = vec![
        l.pick("Team", "Equipo"),
        "Id",
        "RFC",
        l.pick("State", "Estado"),
        "CSD",
        l.pick("Credits", "Créditos"),
        l.pick("Series", "Series"),
        l.pick("Members", "Miembros"),
        l.pick("Integrations", "Integraciones"),
        l.pick("Regime", "Régimen"),
        l.pick("ZIP", "CP"),
        l.pick("Defaults", "Predeterminados"),
    ];
    if drift {
        h.push(l.pick("Drift", "Difiere en"));
    }
    h
}

fn cells(b: &Branch, reference: Option<&Branch>, l: Lang) -> Vec<String> {
    let d = drift_of(reference, b, l)
        .iter()
        .map(|d| format!("{}: {} ≠ {}", d.what, d.here, d.reference))
        .collect::<Vec<_>>()
        .join("; ");
    let mut c = vec![
        b.name.clone(),
        b.id.to_string(),
        b.rfc.clone(),
        b.state_words(l),
        b.csd_cell(l),
        b.credits_cell(l),
        b.series_cell(l),
        b.members_cell(l),
        b.integrations_cell(l),
        b.regime.clone(),
        b.zip.clone(),
        b.settings_cell(l),
    ];
    if reference.is_some() {
        c.push(d);
    }
    c
}

fn csv_bytes(read: &[Branch], reference: Option<&Branch>, l: Lang) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(headers(l, reference.is_some()));
    for b in read {
        let row: Vec<String> = cells(b, reference, l)
            .iter()
            .map(|c| crate::text::csv_cell(c))
            .collect();
        let _ = w.write_record(row);
    }
    w.into_inner().unwrap_or_default()
}

fn md_bytes(read: &[Branch], reference: Option<&Branch>, l: Lang) -> Vec<u8> {
    let esc = |c: &str| c.replace('|', "\\|");
    let c = crate::app::data::branches::counts(read.iter());
    let mut out = t!(
        l,
        "# Branches\n\n{} teams: {} cannot invoice · CSD: {} expired, {} expire within 30 days · {} low on credits · {} need attention\n\n",
        "# Sucursales\n\n{} equipos: {} no pueden facturar · CSD: {} vencidos, {} vencen en 30 días · {} con pocos créditos · {} requieren atención\n\n",
        read.len(),
        c.cannot_invoice,
        c.csd_expired,
        c.csd_soon,
        c.low_credits,
        c.attention
    );
    if let Some(r) = reference {
        out.push_str(&t!(
            l,
            "Compared with «{}».\n\n",
            "Comparado con «{}».\n\n",
            esc(&r.name)
        ));
    }
    let h = headers(l, reference.is_some());
    out.push_str(&format!(
        "| {} |\n|{}\n",
        h.join(" | "),
        "---|".repeat(h.len())
    ));
    let mut rows: Vec<&Branch> = read.iter().collect();
    rows.sort_by_key(|b| b.severity());
    for b in rows {
        let row: Vec<String> = cells(b, reference, l).iter().map(|c| esc(c)).collect();
        out.push_str(&format!("| {} |\n", row.join(" | ")));
    }
    out.into_bytes()
}
