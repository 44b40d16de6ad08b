//! The morning brief (`gigdash changes`): what the store saw change since a moment, per
//! team with changes — the Group tab's kinds of change with counts and amounts, and the
//! documents behind them — as Markdown ready to mail, JSON or CSV. Only teams with changes
//! (or with receipts about to expire: what the week holds) are listed. Data in, bytes out:
//! reading the store is `headless`'s.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::api::TeamId;
use crate::app::data::changes::{ChangeItem, Column, TeamCells, per_team, pesos};
use crate::app::data::dataset::Dataset;
use crate::i18n::Lang;

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Brief {
    /// Mexico City, `2026-12-01 19:40`.
    pub since: String,
    pub until: String,
    /// A failed payment or a late complement: the exit status is 1.
    pub needs_attention: bool,
    pub teams_changed: usize,
    pub teams_looked: usize,
    /// The window held more changes than one read takes: only the newest are counted.
    pub capped: bool,
    pub teams: Vec<TeamBrief>,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct TeamBrief {
    pub id: String,
    pub name: String,
    pub changes: Vec<Figure>,
    pub documents: Vec<Document>,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Figure {
    /// `collected`, `new_links`, `failed`, `new_invoices`, `cancelled`,
    /// `late_complements`, `expiring_receipts` (open receipts that expire within 7 days:
    /// not a change), `clients_failing`.
    pub kind: &'static str,
    pub count: usize,
    /// Pesos, exact (a string, as the API writes money).
    pub amount: String,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Document {
    pub kind: &'static str,
    /// `payment`, `invoice`, `client`.
    pub object: &'static str,
    pub id: String,
    pub amount: String,
    /// When it was seen (Mexico City).
    pub seen: String,
    pub label: String,
}

/// The machine name of a kind of change.
pub fn key(c: Column) -> &'static str {
    match c {
        Column::Collected => "collected",
        Column::NewLinks => "new_links",
        Column::Failed => "failed",
        Column::NewInvoices => "new_invoices",
        Column::Cancelled => "cancelled",
        Column::LateComplements => "late_complements",
        Column::ExpiringReceipts => "expiring_receipts",
        Column::ClientsFailing => "clients_failing",
    }
}

fn object(d: Dataset) -> &'static str {
    match d {
        Dataset::Clients => "client",
        Dataset::Invoices => "invoice",
        Dataset::Payments => "payment",
        Dataset::Receipts => "receipt",
    }
}

fn local(at: i64) -> String {
    jiff::Timestamp::from_second(at)
        .map(|t| crate::clock::Instant(t).local_datetime())
        .unwrap_or_default()
}

/// The brief of `items` over `teams` (id, name; in the order given).
pub fn make(items: &[ChangeItem], teams: &[(TeamId, String)], since: i64, until: i64) -> Brief {
    let cells = per_team(items);
    let mut out = Vec::new();
    for (id, name) in teams {
        let Some(c) = cells.get(id) else { continue };
        out.push(TeamBrief {
            id: id.to_string(),
            name: crate::text::printable(name),
            changes: figures(c),
            documents: items
                .iter()
                .filter(|i| &i.team == id)
                .map(|i| Document {
                    kind: key(i.column),
                    object: object(i.dataset),
                    id: crate::text::printable(&i.id),
                    amount: i.amount.normalize().to_string(),
                    seen: local(i.seen),
                    label: crate::text::printable(&i.label),
                })
                .collect(),
        });
    }
    Brief {
        since: local(since),
        until: local(until),
        needs_attention: crate::app::data::changes::needs_attention(
            &items
                .iter()
                .filter(|i| teams.iter().any(|(t, _)| *t == i.team))
                .cloned()
                .collect::<Vec<_>>(),
        ),
        teams_changed: out
            .iter()
            .filter(|t| {
                t.changes
                    .iter()
                    .zip(Column::ALL)
                    .any(|(f, c)| c.is_change() && f.count > 0)
            })
            .count(),
        teams_looked: teams.len(),
        capped: false,
        teams: out,
    }
}

fn figures(c: &TeamCells) -> Vec<Figure> {
    Column::ALL
        .iter()
        .map(|col| Figure {
            kind: key(*col),
            count: c[col.index()].count,
            amount: c[col.index()].amount.normalize().to_string(),
        })
        .collect()
}

/// Markdown text of untrusted words: its markup characters escaped.
fn md(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        if matches!(
            ch,
            '\\' | '|' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '#' | '~'
        ) {
            out.push('\\');
        }
        out.push(ch);
    }
    out
}

/// The brief as `md`, `json` or `csv`.
pub fn render(b: &Brief, format: &str, lang: Lang) -> Result<Vec<u8>, String> {
    match format {
        "json" => serde_json::to_vec_pretty(b).map_err(|e| e.to_string()),
        "csv" => {
            let mut w = csv::Writer::from_writer(Vec::new());
            let head = match lang {
                Lang::En => [
                    "team id",
                    "team",
                    "change",
                    "object",
                    "id",
                    "amount (MXN)",
                    "seen",
                    "what",
                ],
                Lang::Es => [
                    "id del equipo",
                    "equipo",
                    "cambio",
                    "objeto",
                    "id",
                    "monto (MXN)",
                    "visto",
                    "qué",
                ],
            };
            let _ = w.write_record(head);
            for t in &b.teams {
                for d in &t.documents {
                    let row = [
                        t.id.as_str(),
                        t.name.as_str(),
                        d.kind,
                        d.object,
                        d.id.as_str(),
                        d.amount.as_str(),
                        d.seen.as_str(),
                        d.label.as_str(),
                    ];
                    let _ = w.write_record(row.iter().map(|c| crate::text::csv_cell(c)));
                }
            }
            w.into_inner().map_err(|e| e.to_string())
        }
        "md" => Ok(markdown(b, lang).into_bytes()),
        other => Err(crate::t!(
            lang,
            "unknown format «{}»: use md, json or csv",
            "formato desconocido «{}»: usa md, json o csv",
            crate::text::printable(other)
        )),
    }
}

/// A kind of change as the Markdown names it: the table's title, or in full where the
/// table abbreviates it.
fn long_title(c: Column, l: Lang) -> &'static str {
    match c {
        Column::ExpiringReceipts => l.pick(
            "Receipts expiring within 7 days",
            "Recibos que vencen en 7 días",
        ),
        Column::LateComplements => l.pick("Late complements", "Complementos vencidos"),
        c => c.title().get(l),
    }
}

fn markdown(b: &Brief, lang: Lang) -> String {
    let l = lang;
    let mut out = crate::t!(
        l,
        "# What changed since {} (until {})\n\n",
        "# Qué cambió desde {} (hasta {})\n\n",
        b.since,
        b.until
    );
    if b.teams.is_empty() {
        out.push_str(&if b.teams_looked == 1 {
            l.pick(
                "Nothing changed in the team looked at.\n",
                "Nada cambió en el equipo revisado.\n",
            )
            .to_string()
        } else {
            crate::t!(
                l,
                "Nothing changed in the {} teams looked at.\n",
                "Nada cambió en los {} equipos revisados.\n",
                b.teams_looked
            )
        });
        return out;
    }
    let attention: Vec<String> = [Column::Failed, Column::LateComplements]
        .iter()
        .filter_map(|c| {
            let n: usize = b
                .teams
                .iter()
                .flat_map(|t| &t.changes)
                .filter(|f| f.kind == key(*c))
                .map(|f| f.count)
                .sum();
            let (one, many) = match (c, l) {
                (Column::Failed, Lang::En) => ("failed payment", "failed payments"),
                (Column::Failed, Lang::Es) => ("pago fallido", "pagos fallidos"),
                (_, Lang::En) => ("late complement", "late complements"),
                (_, Lang::Es) => ("complemento vencido", "complementos vencidos"),
            };
            (n > 0).then(|| format!("{n} {}", if n == 1 { one } else { many }))
        })
        .collect();
    out.push_str(&crate::t!(
        l,
        "{} of {} teams changed.",
        "{} de {} equipos cambiaron.",
        b.teams_changed,
        b.teams_looked
    ));
    if attention.is_empty() {
        out.push_str(l.pick(" Nothing needs attention.", " Nada requiere atención."));
    } else {
        out.push_str(&crate::t!(
            l,
            " **Needs attention:** {}.",
            " **Requiere atención:** {}.",
            attention.join(", ")
        ));
    }
    let expiring: usize = b
        .teams
        .iter()
        .flat_map(|t| &t.changes)
        .filter(|f| f.kind == key(Column::ExpiringReceipts))
        .map(|f| f.count)
        .sum();
    match expiring {
        0 => {}
        1 => out.push_str(l.pick(
            " 1 receipt expires into the global invoice within 7 days.",
            " 1 recibo vence hacia la factura global en 7 días o menos.",
        )),
        n => out.push_str(&crate::t!(
            l,
            " {n} receipts expire into the global invoice within 7 days.",
            " {n} recibos vencen hacia la factura global en 7 días o menos."
        )),
    }
    out.push('\n');
    if b.capped {
        out.push_str(&crate::t!(
            l,
            "\n_Only the newest {} changes are counted: ask a shorter window (`--since`) for all._\n",
            "\n_Solo se cuentan los {} cambios más recientes: pide una ventana más corta (`--since`) para verlos todos._\n",
            crate::text::thousands(crate::store::MOST_CHANGES)
        ));
    }
    for t in &b.teams {
        out.push_str(&format!("\n## {}\n\n", md(&t.name)));
        out.push_str(&format!(
            "| {} | {} | {} |\n|---|---:|---:|\n",
            l.pick("Change", "Cambio"),
            l.pick("Count", "Cantidad"),
            l.pick("Amount (MXN)", "Monto (MXN)")
        ));
        for (col, f) in Column::ALL.iter().zip(&t.changes) {
            if f.count == 0 {
                continue;
            }
            let amount = if col.has_amount() {
                pesos(f.amount.parse::<Decimal>().unwrap_or_default())
            } else {
                String::new()
            };
            out.push_str(&format!(
                "| {} | {} | {} |\n",
                long_title(*col, l),
                f.count,
                amount
            ));
        }
        out.push('\n');
        for d in &t.documents {
            let col = Column::ALL
                .iter()
                .find(|c| key(**c) == d.kind)
                .copied()
                .unwrap_or(Column::Collected);
            let amount = if col.has_amount() {
                format!(
                    " · {}",
                    pesos(d.amount.parse::<Decimal>().unwrap_or_default())
                )
            } else {
                String::new()
            };
            // The id once: a payment's label starts with it already.
            let id = if d.label.contains(&d.id) {
                String::new()
            } else {
                format!(" · {}", md(&d.id))
            };
            // When a change was seen; a receipt about to expire says when in its label.
            let seen = if col.is_change() {
                format!(" ({})", d.seen)
            } else {
                String::new()
            };
            out.push_str(&format!(
                "- {} · {}{id}{amount}{seen}\n",
                long_title(col, l),
                md(&d.label),
            ));
        }
    }
    out
}
