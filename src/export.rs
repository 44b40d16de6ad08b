//! `gigdash export`: every page of a list, for one team or every reachable team, as CSV or
//! JSON; progress on stderr; the output file appears only when everything arrived.

use std::io::Write;

use futures::StreamExt;

use crate::i18n::Lang;
use crate::t;

use crate::api::{ApiClient, Client, Invoice, ListQuery, Payment, Resource, Team, TeamId};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum What {
    Teams,
    Clients,
    Invoices,
    Payments,
}

impl std::str::FromStr for What {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Ok(match s {
            "teams" => What::Teams,
            "clients" => What::Clients,
            "invoices" => What::Invoices,
            "payments" => What::Payments,
            other => {
                return Err(format!(
                    "cannot export «{other}»: choose teams, clients, invoices or payments"
                ));
            }
        })
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Csv,
    Json,
}

impl std::str::FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "csv" => Ok(Format::Csv),
            "json" => Ok(Format::Json),
            other => Err(format!("unknown format «{other}»: use csv or json")),
        }
    }
}

/// Table headers and one row per object; amounts exact, dates in Mexico City.
fn header(what: What) -> &'static [&'static str] {
    match what {
        What::Teams => &["team_id", "name", "rfc"],
        What::Clients => &[
            "team_id",
            "id",
            "name",
            "rfc",
            "email",
            "tax_system",
            "created",
        ],
        What::Invoices => &[
            "team_id",
            "uuid",
            "folio",
            "created",
            "client",
            "client_rfc",
            "status",
            "cancellation_status",
            "method",
            "form",
            "currency",
            "exchange_rate",
            "subtotal",
            "taxes",
            "total",
            "last_balance",
        ],
        What::Payments => &[
            "team_id", "id", "created", "client", "status", "form", "currency", "total",
            "refunded", "invoices",
        ],
    }
}

fn opt<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map(|x| x.to_string()).unwrap_or_default()
}

fn when(i: Option<crate::api::Instant>) -> String {
    i.map(|i| i.local_datetime()).unwrap_or_default()
}

/// Where an export reads: gigstack, or (`--offline`) the local store.
#[derive(Clone, Copy)]
pub enum Source<'a> {
    Api(&'a ApiClient),
    Store(&'a crate::store::Store),
}

async fn collect<T: serde::de::DeserializeOwned + serde::Serialize + Send + 'static>(
    source: Source<'_>,
    team: &TeamId,
    resource: Resource,
    query: &ListQuery,
    label: &str,
    lang: Lang,
) -> Result<Vec<T>, String> {
    let client = match source {
        Source::Api(c) => c,
        Source::Store(store) => {
            let kind = match resource {
                Resource::Clients => crate::store::Kind::Client,
                Resource::Payments => crate::store::Kind::Payment,
                _ => crate::store::Kind::Invoice,
            };
            let cannot = |e: crate::store::StoreError| {
                t!(
                    lang,
                    "the store could not be read: {e}",
                    "no se pudo leer el almacén: {e}"
                )
            };
            // Never stored is not "none": an empty export would pass for the truth.
            if store.synced(team, kind).map_err(cannot)?.is_none() {
                let id = crate::text::printable(team.as_str());
                return Err(t!(
                    lang,
                    "{label}: this team was never stored, so --offline has nothing to export; run gigdash sync --team {id} first",
                    "{label}: este equipo nunca se guardó, así que --offline no tiene nada que exportar; ejecuta gigdash sync --team {id} primero"
                ));
            }
            let all: Vec<T> = store.docs(team, kind, None).map_err(cannot)?;
            // The status filter, as the API would apply it, on the stored objects.
            let out: Vec<T> = all
                .into_iter()
                .filter(|d| {
                    query.status.as_deref().is_none_or(|s| {
                        serde_json::to_value(d)
                            .ok()
                            .and_then(|v| {
                                v.get("status").and_then(|x| x.as_str().map(String::from))
                            })
                            .is_some_and(|v| v.eq_ignore_ascii_case(s))
                    })
                })
                .collect();
            let n = out.len();
            eprintln!(
                "{}",
                t!(
                    lang,
                    "{label}: {n} from the store",
                    "{label}: {n} del almacén"
                )
            );
            return Ok(out);
        }
    };
    let mut out = Vec::new();
    let mut pages = std::pin::pin!(client.list_all::<T>(team.clone(), resource, query.clone()));
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| e.describe_cli(lang))?;
        out.extend(page.items);
        let (n, total) = (
            out.len(),
            page.total_results
                .map(|t| t.to_string())
                .unwrap_or_else(|| "?".into()),
        );
        eprint!(
            "{}",
            t!(
                lang,
                "\r{label}: {n} of {total}    ",
                "\r{label}: {n} de {total}    "
            )
        );
    }
    eprintln!();
    Ok(out)
}

/// Fetches everything, then renders it; the caller writes it out only on success.
pub async fn run(
    client: Source<'_>,
    what: What,
    teams: &[Team],
    status: Option<String>,
    format: Format,
    raw: bool,
    lang: Lang,
) -> Result<Vec<u8>, String> {
    let query = ListQuery {
        status,
        ..Default::default()
    };
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut json_rows: Vec<serde_json::Value> = Vec::new();
    // Rows carrying an amount the API sent unreadable: written empty, never as 0.
    let mut unreadable = 0usize;
    for team in teams {
        let t = &team.id;
        // A team name is API text: it reaches the terminal only printable.
        let label = format!(
            "{} {}",
            crate::text::printable(team.display_name()),
            match what {
                What::Teams => lang.pick("teams", "equipos"),
                What::Clients => lang.pick("clients", "clientes"),
                What::Invoices => lang.pick("invoices", "facturas"),
                What::Payments => lang.pick("payments", "pagos"),
            }
        );
        match what {
            What::Teams => {
                rows.push(vec![
                    t.to_string(),
                    team.display_name().into(),
                    team.rfc().into(),
                ]);
                json_rows.push(serde_json::to_value(team).unwrap_or_default());
            }
            What::Clients => {
                for c in
                    collect::<Client>(client, t, Resource::Clients, &query, &label, lang).await?
                {
                    rows.push(vec![
                        t.to_string(),
                        c.id.clone(),
                        c.display_name().into(),
                        c.rfc().into(),
                        opt(&c.email),
                        opt(&c.tax_system),
                        when(c.created()),
                    ]);
                    json_rows.push(serde_json::to_value(&c).unwrap_or_default());
                }
            }
            What::Invoices => {
                for i in
                    collect::<Invoice>(client, t, Resource::IncomeInvoices, &query, &label, lang)
                        .await?
                {
                    unreadable += usize::from(!i.unreadable.is_empty());
                    let total_unreadable = i.unreadable.iter().any(|f| f == "total")
                        || (i.total.is_none() && i.unreadable.iter().any(|f| f == "subtotal"));
                    rows.push(vec![
                        t.to_string(),
                        i.uuid().into(),
                        i.folio(),
                        when(i.created_at),
                        i.client
                            .as_ref()
                            .map(|c| c.display_name().to_string())
                            .unwrap_or_default(),
                        i.client
                            .as_ref()
                            .and_then(|c| c.tax_id.clone())
                            .unwrap_or_default(),
                        i.status().to_string(),
                        opt(&i.cancellation_status),
                        opt(&i.payment_method),
                        opt(&i.payment_form),
                        i.currency().into(),
                        opt(&i.exchange_rate),
                        opt(&i.subtotal),
                        opt(&i.taxes),
                        if total_unreadable {
                            String::new()
                        } else {
                            i.total().to_string()
                        },
                        opt(&i.last_balance),
                    ]);
                    json_rows.push(serde_json::to_value(&i).unwrap_or_default());
                }
            }
            What::Payments => {
                for p in
                    collect::<Payment>(client, t, Resource::Payments, &query, &label, lang).await?
                {
                    unreadable += usize::from(!p.unreadable.is_empty());
                    let total_unreadable = p.unreadable.iter().any(|f| f == "total")
                        || (p.total_source == crate::api::TotalSource::Unknown
                            && !p.unreadable.is_empty());
                    rows.push(vec![
                        t.to_string(),
                        p.id.clone(),
                        when(p.created_at),
                        p.client
                            .as_ref()
                            .map(|c| c.display_name().to_string())
                            .unwrap_or_default(),
                        p.status().to_string(),
                        opt(&p.payment_form),
                        p.currency().into(),
                        if total_unreadable {
                            String::new()
                        } else {
                            p.total.to_string()
                        },
                        p.refunded().to_string(),
                        p.invoices
                            .iter()
                            .map(|i| i.0.as_str())
                            .collect::<Vec<_>>()
                            .join(" "),
                    ]);
                    let mut v = serde_json::to_value(&p).unwrap_or_default();
                    if total_unreadable && let Some(o) = v.as_object_mut() {
                        o.insert("total".into(), serde_json::Value::Null);
                    }
                    json_rows.push(v);
                }
            }
        }
    }
    if unreadable > 0 {
        eprintln!(
            "{}",
            t!(
                lang,
                "{unreadable} rows carry an amount gigstack sent unreadable; it is left empty, not 0",
                "{unreadable} filas traen un monto que gigstack envió ilegible; se deja vacío, no 0"
            )
        );
    }
    Ok(match format {
        Format::Json => {
            let mut v = serde_json::to_vec_pretty(&json_rows).unwrap_or_default();
            v.push(b'\n');
            v
        }
        Format::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            let _ = w.write_record(header(what));
            for r in rows {
                if raw {
                    let _ = w.write_record(&r);
                } else {
                    let _ = w.write_record(r.iter().map(|c| crate::text::csv_cell(c)));
                }
            }
            w.into_inner().unwrap_or_default()
        }
    })
}

/// What the bytes of an export or report are, for a terminal's sake.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// CSV or Markdown whose cells are already printable.
    Text,
    /// JSON: its strings may hold what serde_json leaves as it is (DEL, C1 controls,
    /// bidi characters).
    Json,
    /// `--raw` CSV: cells exactly as the API sent them, escape sequences included.
    Raw,
}

/// The bytes as they may reach `terminal` or not: `--raw` is refused on a terminal (its
/// cells can carry escape sequences), JSON has every character a terminal would obey
/// escaped (`\u009b`, `\u202e`: the same JSON to any reader); anything else unchanged.
pub fn for_terminal(
    bytes: Vec<u8>,
    shape: Shape,
    terminal: bool,
    lang: Lang,
) -> Result<Vec<u8>, String> {
    if !terminal {
        return Ok(bytes);
    }
    match shape {
        Shape::Text => Ok(bytes),
        Shape::Raw => Err(raw_refusal(lang)),
        Shape::Json => {
            let text = String::from_utf8_lossy(&bytes);
            let mut out = String::with_capacity(text.len());
            for c in text.chars() {
                if crate::text::is_unsafe(c) && !matches!(c, '\n' | '\t') {
                    // Outside a string JSON is printable ASCII: an unsafe character is
                    // always inside one, where `\uXXXX` means the same character.
                    out.push_str(&format!("\\u{:04x}", c as u32));
                } else {
                    out.push(c);
                }
            }
            Ok(out.into_bytes())
        }
    }
}

/// Why `--raw` does not go to a terminal.
pub fn raw_refusal(lang: Lang) -> String {
    lang.pick(
        "--raw keeps the API's control characters, so it is for files, never a terminal: add --output FILE or a pipe",
        "--raw conserva los caracteres de control de la API, así que es para archivos, nunca una terminal: agrega --output ARCHIVO o una tubería",
    )
    .to_string()
}

/// Writes the finished export or report to `to`: standard output, a device or FIFO
/// (written through), or a file (atomically, after the leftovers of a killed run in its
/// folder are removed). What reaches a terminal passes `for_terminal` first.
pub fn write_out(
    bytes: Vec<u8>,
    to: &crate::paths::Destination,
    shape: Shape,
    lang: Lang,
) -> std::io::Result<()> {
    use crate::paths::Destination;
    use std::io::IsTerminal;
    let refused = std::io::Error::other;
    match to {
        Destination::Stdout => {
            let mut out = std::io::stdout().lock();
            let bytes = for_terminal(bytes, shape, out.is_terminal(), lang).map_err(refused)?;
            out.write_all(&bytes)?;
            out.flush()
        }
        Destination::Through(p) => {
            let mut f = crate::paths::open_through(p)?;
            let bytes = for_terminal(bytes, shape, f.is_terminal(), lang).map_err(refused)?;
            f.write_all(&bytes)?;
            f.flush()
        }
        Destination::File(p) => {
            if let Some(dir) = to.folder() {
                crate::paths::remove_stale_temporaries(dir);
            }
            crate::paths::write_atomic(p, &bytes)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_terminal_gets_escaped_json_and_never_raw_cells() {
        let json =
            serde_json::to_vec(&serde_json::json!({"n": "a\u{9b}b\u{7f}c\u{202e}d\ne"})).unwrap();
        let shown = for_terminal(json.clone(), Shape::Json, true, Lang::En).unwrap();
        let shown = String::from_utf8(shown).unwrap();
        assert_eq!(shown, r#"{"n":"a\u009bb\u007fc\u202ed\ne"}"#);
        let back: serde_json::Value = serde_json::from_str(&shown).unwrap();
        assert_eq!(back["n"], "a\u{9b}b\u{7f}c\u{202e}d\ne", "the same JSON");
        assert_eq!(
            for_terminal(json.clone(), Shape::Json, false, Lang::En).unwrap(),
            json
        );
        let raw = b"=cmd\x1b]0;t\x07".to_vec();
        let e = for_terminal(raw.clone(), Shape::Raw, true, Lang::Es).unwrap_err();
        assert!(e.contains("nunca una terminal"), "{e}");
        assert_eq!(
            for_terminal(raw.clone(), Shape::Raw, false, Lang::En).unwrap(),
            raw
        );
        assert_eq!(
            for_terminal(raw.clone(), Shape::Text, true, Lang::En).unwrap(),
            raw
        );
    }
}
