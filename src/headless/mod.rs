//! The commands without a terminal: `gigdash sync` (a line per team, a progress bar on a
//! terminal, non-zero naming the teams that failed) and `gigdash report month` here, the
//! store's (`store.rs`) and the morning brief (`changes.rs`) beside; what they share —
//! printing, the store opened, gigstack connected, the teams chosen, the output written.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::sync::Arc;

use crate::settings::Resolved;
use crate::t;
use crate::text::{printable, thousands};

mod branches;
mod changes;
mod store;

pub use branches::{BranchesArgs, branches};
pub use changes::{ChangesArgs, changes};
pub use store::{store_clear, store_info};

/// A line on stdout, printable only; a closed pipe (`| head`) ends the output quietly,
/// never a panic.
pub fn out(line: &str) {
    let _ = writeln!(std::io::stdout().lock(), "{}", printable(line));
}

/// A message on stderr, `gigdash <what>: <msg>`, printable only: whatever the message
/// quotes (the API's words, a file's name, a config's line) cannot move the cursor, set
/// the title or write the clipboard. Every line a command prints goes here or to `out`.
pub fn say(what: &str, msg: impl std::fmt::Display) {
    let msg = printable(&msg.to_string());
    let _ = if what.is_empty() {
        writeln!(std::io::stderr().lock(), "gigdash: {msg}")
    } else {
        writeln!(std::io::stderr().lock(), "gigdash {what}: {msg}")
    };
}

/// How long a headless job retries each read: a minute, so a flaky minute (30 % faults of
/// any kind) never fails it. Tests shorten it (`GIGDASH_TEST_RETRY_BUDGET_MS`, only in a
/// `test-support` build) to reach the final error without waiting the minute.
pub fn retry_budget() -> std::time::Duration {
    #[cfg(feature = "test-support")]
    if let Some(ms) = std::env::var("GIGDASH_TEST_RETRY_BUDGET_MS")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
    {
        return std::time::Duration::from_millis(ms);
    }
    std::time::Duration::from_secs(60)
}

fn open(r: &Resolved, what: &str) -> Result<Arc<crate::store::Store>, ExitCode> {
    let l = r.lang;
    let Some((dir, name)) = r.store_location() else {
        let why = if r.store {
            l.pick(
                "no API key (the built-in sandbox keeps nothing)",
                "no hay API key (el sandbox integrado no guarda nada)",
            )
        } else {
            l.pick(
                "the store is off (store = false or --no-store)",
                "el almacén está apagado (store = false o --no-store)",
            )
        };
        say(what, why);
        return Err(ExitCode::from(2));
    };
    match crate::store::open_in(&dir, &name) {
        Ok(o) => {
            if let Some(n) = o.notice {
                say(what, n);
            }
            Ok(Arc::new(o.store))
        }
        Err(e) => {
            say(what, e);
            Err(ExitCode::FAILURE)
        }
    }
}

/// The key's client for a headless job (each read retries for up to a minute: 429s wait
/// their turn) and the teams it reaches; or the exit, said.
async fn connect(
    r: &Resolved,
    what: &str,
) -> Result<(crate::api::ApiClient, Vec<crate::api::Team>), ExitCode> {
    let client = client_for(r, what)?;
    let teams = client.list_teams().await.map_err(|e| {
        say(what, e.describe_cli(r.lang));
        ExitCode::FAILURE
    })?;
    Ok((client, teams))
}

/// The key's client for a headless job (each read retries for up to a minute), or the
/// exit, said.
fn client_for(r: &Resolved, what: &str) -> Result<crate::api::ApiClient, ExitCode> {
    let l = r.lang;
    let Some(key) = r.key.clone() else {
        say(
            what,
            l.pick(
                "no API key: set GIGSTACK_API_KEY (or a profile's key) first",
                "no hay API key: define GIGSTACK_API_KEY (o la key de un perfil) primero",
            ),
        );
        return Err(ExitCode::from(2));
    };
    let base = r
        .base_url
        .clone()
        .unwrap_or_else(|| crate::api::DEFAULT_BASE_URL.to_string());
    let cfg = crate::api::ClientConfig {
        retry_budget: Some(retry_budget()),
        ..r.client_config(base)
    };
    let said = |e: crate::api::ApiError| {
        say(what, e.describe_cli(l));
        ExitCode::FAILURE
    };
    let client = crate::api::ApiClient::new(key, cfg).map_err(said)?;
    if let Some(why) = client.budget_refused() {
        let why = printable(&why);
        say(
            what,
            t!(
                l,
                "the key's rate limit is not shared with the other gigdash on this host ({why}); this run keeps its own",
                "el límite de solicitudes de la key no se comparte con los otros gigdash de este equipo ({why}); esta ejecución usa el suyo"
            ),
        );
    }
    Ok(client)
}

/// The teams a job acts on: every one (`all`), those whose id or name is `pick` (the first
/// only with `one`), or the key's own. None: said, exit 1.
fn choose(
    client: &crate::api::ApiClient,
    teams: Vec<crate::api::Team>,
    (all, one): (bool, bool),
    pick: Option<&str>,
    what: &str,
    l: crate::i18n::Lang,
) -> Result<Vec<crate::api::Team>, ExitCode> {
    if all {
        return Ok(teams);
    }
    // After the team list: an opaque key's own team is known only then.
    let own = client.own_team().or_else(|| client.key_info().team.clone());
    let found: Vec<_> = teams
        .into_iter()
        .filter(|t| match pick {
            Some(p) => t.id.as_str() == p || t.display_name().eq_ignore_ascii_case(p),
            None => Some(&t.id) == own.as_ref(),
        })
        .take(if one { 1 } else { usize::MAX })
        .collect();
    if found.is_empty() {
        let p =
            printable(pick.unwrap_or(l.pick("the key's own team", "el equipo propio de la key")));
        say(
            what,
            t!(
                l,
                "no reachable team matches {p}",
                "ningún equipo alcanzable coincide con {p}"
            ),
        );
        return Err(ExitCode::FAILURE);
    }
    Ok(found)
}

/// `gigdash sync [--team T] [--full]`.
pub async fn sync(r: Resolved, team: Option<String>, full: bool, no_store: bool) -> ExitCode {
    let l = r.lang;
    let mut r = r;
    r.store &= !no_store;
    let store = match open(&r, "sync") {
        Ok(s) => s,
        Err(code) => return code,
    };
    let (client, teams) = match connect(&r, "sync").await {
        Ok(c) => c,
        Err(code) => return code,
    };
    let chosen = match choose(
        &client,
        teams,
        (team.is_none(), false),
        team.as_deref(),
        "sync",
        l,
    ) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let of = chosen.len();
    let bar = std::io::stderr().is_terminal();
    let start = std::time::Instant::now();
    let mut failed: Vec<String> = Vec::new();
    let mut n = 0;
    crate::worker::sync_teams(&client, store, chosen, full, l, |s| {
        if bar {
            eprint!("\r\x1b[2K");
        }
        if let Some(notice) = &s.store_notice {
            eprintln!("gigdash sync: {}", printable(notice));
        }
        // A team read again into a store begun anew is not one more of `of`.
        let at = if s.again {
            l.pick("[again]", "[de nuevo]").to_string()
        } else {
            n += 1;
            format!("[{n}/{of}]")
        };
        let name = printable(s.team.display_name());
        let id = printable(s.team.id.as_str());
        let secs = format!("{:.1}", s.took.as_secs_f64());
        let line = match &s.result {
            Ok([(c, _), (i, ci), (p, _), (r, _)]) => {
                let (c, i, p, r) = (
                    thousands(*c),
                    thousands(*i),
                    thousands(*p),
                    thousands(*r),
                );
                let how = if *ci {
                    l.pick("complete", "completo")
                } else {
                    l.pick("new and changed", "nuevos y cambiados")
                };
                t!(
                    l,
                    "{at} {name} ({id}): {c} clients, {i} invoices, {p} payments, {r} receipts read ({how}) in {secs} s",
                    "{at} {name} ({id}): {c} clientes, {i} facturas, {p} pagos, {r} recibos leídos ({how}) en {secs} s"
                )
            }
            Err(e) => {
                let who = format!("{name} ({id})");
                if !failed.contains(&who) {
                    failed.push(who);
                }
                let e = printable(e);
                t!(
                    l,
                    "{at} {name} ({id}): FAILED — {e}",
                    "{at} {name} ({id}): FALLÓ — {e}"
                )
            }
        };
        out(&line);
        if bar {
            let width = 30;
            let filled = n * width / of.max(1);
            eprint!(
                "\r[{}{}] {n}/{of}",
                "#".repeat(filled),
                " ".repeat(width - filled)
            );
            let _ = std::io::stderr().flush();
        }
    })
    .await;
    if bar {
        eprintln!();
    }
    let secs = format!("{:.1}", start.elapsed().as_secs_f64());
    if failed.is_empty() {
        out(&t!(
            l,
            "{of} teams synced in {secs} s",
            "{of} equipos sincronizados en {secs} s"
        ));
        ExitCode::SUCCESS
    } else {
        let k = failed.len();
        let names = failed.join(", ");
        say(
            "sync",
            t!(
                l,
                "{k} of {of} teams failed: {names}",
                "fallaron {k} de {of} equipos: {names}"
            ),
        );
        ExitCode::FAILURE
    }
}

/// `gigdash report month`'s options.
pub struct MonthArgs {
    pub team: Option<String>,
    pub all_teams: bool,
    pub month: Option<String>,
    pub format: String,
    pub output: Option<std::path::PathBuf>,
}

/// `gigdash report month`: reads every chosen team, then writes the whole report at once
/// (a file appears only when complete). Exit 2 for a bad argument, 1 when a team could not
/// be read (named; nothing written).
pub async fn report_month(r: Resolved, a: MonthArgs) -> ExitCode {
    let l = r.lang;
    let now = jiff::Timestamp::now().as_second();
    let month = match a.month.as_deref() {
        Some(m) => match crate::report::Month::parse(m, l) {
            Ok(m) => m,
            Err(e) => {
                say("report month", e);
                return ExitCode::from(2);
            }
        },
        None => crate::report::Month::of(now),
    };
    let to = match output_to(
        "report month",
        &a.format,
        ["csv", "json", "md"],
        a.output.as_deref(),
        l,
    ) {
        Ok(to) => to,
        Err(code) => return code,
    };
    let (client, teams) = match connect(&r, "report month").await {
        Ok(c) => c,
        Err(code) => return code,
    };
    let chosen = match choose(
        &client,
        teams,
        (a.all_teams, true),
        a.team.as_deref(),
        "report month",
        l,
    ) {
        Ok(c) => c,
        Err(code) => return code,
    };
    // The fiscal check's last results, when the store has them.
    let store = crate::dashboard::open_store(&r).0;
    let failing = |team: &crate::api::TeamId| -> Option<usize> {
        let (v, _) = store
            .as_ref()?
            .recall(&format!("validation:{team}"))
            .ok()
            .flatten()?;
        crate::app::data::fiscal::failing_count(&v)
    };
    eprintln!(
        "{}",
        t!(
            l,
            "Reading {} teams for {}…",
            "Leyendo {} equipos para {}…",
            chosen.len(),
            month.label()
        )
    );
    let report = crate::report::month(&client, &chosen, month, now, l, failing).await;
    let bytes = match crate::report::render(&report, &a.format, l) {
        Ok(b) => b,
        Err(e) => {
            say("report month", e);
            return ExitCode::from(2);
        }
    };
    let failed: Vec<&str> = report
        .teams
        .iter()
        .filter(|t| t.error.is_some())
        .map(|t| t.name.as_str())
        .collect();
    if !failed.is_empty() {
        // Nothing is written: a month-end report is whole or it is not.
        let names = failed.join(", ");
        say(
            "report month",
            t!(
                l,
                "these teams could not be read, so nothing was written: {names}",
                "estos equipos no se pudieron leer, así que no se escribió nada: {names}"
            ),
        );
        return ExitCode::FAILURE;
    }
    if !write_output("report month", bytes, &to, &a.format, l) {
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

/// Where a report goes, once its format is one of `known`: settled before anything is
/// read, a bad one said and exit 2.
fn output_to(
    what: &str,
    format: &str,
    known: [&str; 3],
    output: Option<&std::path::Path>,
    l: crate::i18n::Lang,
) -> Result<crate::paths::Destination, ExitCode> {
    if !known.contains(&format) {
        let f = printable(format);
        let [a, b, c] = known;
        say(
            what,
            t!(
                l,
                "unknown format «{f}»: use {a}, {b} or {c}",
                "formato desconocido «{f}»: usa {a}, {b} o {c}"
            ),
        );
        return Err(ExitCode::from(2));
    }
    crate::paths::Destination::of(output, l).map_err(|e| {
        say(what, e);
        ExitCode::from(2)
    })
}

/// Writes a report's bytes to `to` (JSON escaped for a terminal as JSON); false, said, when
/// it cannot.
fn write_output(
    what: &str,
    bytes: Vec<u8>,
    to: &crate::paths::Destination,
    format: &str,
    l: crate::i18n::Lang,
) -> bool {
    let shape = if format == "json" {
        crate::export::Shape::Json
    } else {
        crate::export::Shape::Text
    };
    match crate::export::write_out(bytes, to, shape, l) {
        Ok(()) => true,
        Err(e) => {
            say(
                what,
                t!(
                    l,
                    "cannot write the output: {e}",
                    "no se pudo escribir la salida: {e}"
                ),
            );
            false
        }
    }
}
