//! The store's commands without a terminal: `gigdash sync` (a line per team, a progress
//! bar on a terminal, non-zero naming the teams that failed), `gigdash store info` and
//! `gigdash store clear`.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::sync::Arc;

use crate::settings::Resolved;
use crate::store::Kind;
use crate::t;
use crate::text::{printable, thousands};

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
    let teams = client.list_teams().await.map_err(said)?;
    Ok((client, teams))
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
            Ok([(c, _), (i, ci), (p, _)]) => {
                let (c, i, p) = (thousands(*c), thousands(*i), thousands(*p));
                let how = if *ci {
                    l.pick("complete", "completo")
                } else {
                    l.pick("new and changed", "nuevos y cambiados")
                };
                t!(
                    l,
                    "{at} {name} ({id}): {c} clients, {i} invoices, {p} payments read ({how}) in {secs} s",
                    "{at} {name} ({id}): {c} clientes, {i} facturas, {p} pagos leídos ({how}) en {secs} s"
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

fn when(at: Option<i64>) -> String {
    at.and_then(|a| jiff::Timestamp::from_second(a).ok())
        .map(|t| crate::clock::Instant(t).local_datetime())
        .unwrap_or_else(|| "—".into())
}

/// `gigdash store info`.
pub fn store_info(r: &Resolved) -> ExitCode {
    let l = r.lang;
    let store = match open(r, "store info") {
        Ok(s) => s,
        Err(code) => return code,
    };
    let info = match store.info() {
        Ok(i) => i,
        Err(e) => {
            say("store info", e);
            return ExitCode::FAILURE;
        }
    };
    let line = |en: &str, es: &str, v: String| out(&format!("{:<18} {v}", l.pick(en, es)));
    line("path", "ruta", info.path.display().to_string());
    line(
        "size",
        "tamaño",
        format!("{:.1} MB", info.bytes as f64 / 1_000_000.0),
    );
    let kinds = |k: &Kind| match k {
        Kind::Client => l.pick("clients", "clientes"),
        Kind::Invoice => l.pick("invoices", "facturas"),
        Kind::Payment => l.pick("payments", "pagos"),
        Kind::Receipt => l.pick("receipts", "recibos"),
    };
    let per = info.body_bytes.checked_div(info.bodies).unwrap_or(0);
    let mb = info.body_bytes as f64 / 1_000_000.0;
    let dicts = if info.dictionaries.is_empty() {
        l.pick("no dictionary yet", "sin diccionario aún")
            .to_string()
    } else {
        let names: Vec<&str> = info.dictionaries.iter().map(kinds).collect();
        crate::t!(
            l,
            "dictionaries for {}",
            "diccionarios para {}",
            names.join(", ")
        )
    };
    line(
        "compression",
        "compresión",
        crate::t!(
            l,
            "zstd, {dicts}; documents {mb:.1} MB ({per} bytes each)",
            "zstd, {dicts}; documentos {mb:.1} MB ({per} bytes cada uno)"
        ),
    );
    line("teams", "equipos", thousands(info.teams as usize));
    for (k, n) in &info.documents {
        let (en, es) = match k {
            Kind::Client => ("clients", "clientes"),
            Kind::Invoice => ("invoices", "facturas"),
            Kind::Payment => ("payments", "pagos"),
            Kind::Receipt => ("receipts", "recibos"),
        };
        line(en, es, thousands(*n as usize));
    }
    line(
        "oldest refresh",
        "actualización más vieja",
        when(info.oldest),
    );
    line(
        "newest refresh",
        "actualización más nueva",
        when(info.newest),
    );
    ExitCode::SUCCESS
}

/// `gigdash store clear [--team T]`.
pub fn store_clear(r: &Resolved, team: Option<&str>) -> ExitCode {
    let l = r.lang;
    let store = match open(r, "store clear") {
        Ok(s) => s,
        Err(code) => return code,
    };
    let team = team.map(crate::api::TeamId::new);
    let cleared = store.clear(team.as_ref());
    if let Some(n) = store.take_notice() {
        eprintln!("gigdash store clear: {}", printable(&n));
    }
    match cleared {
        Ok(()) => {
            let what = match &team {
                Some(t) => {
                    let t = printable(t.as_str());
                    t!(l, "team {t}", "el equipo {t}")
                }
                None => l.pick("everything", "todo").to_string(),
            };
            out(&t!(
                l,
                "Cleared {what} from the store.",
                "Se borró {what} del almacén."
            ));
            ExitCode::SUCCESS
        }
        Err(e) => {
            say("store clear", e);
            ExitCode::FAILURE
        }
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
    if !["csv", "json", "md"].contains(&a.format.as_str()) {
        let f = printable(&a.format);
        say(
            "report month",
            t!(
                l,
                "unknown format «{f}»: use csv, json or md",
                "formato desconocido «{f}»: usa csv, json o md"
            ),
        );
        return ExitCode::from(2);
    }
    let to = match crate::paths::Destination::of(a.output.as_deref(), l) {
        Ok(to) => to,
        Err(e) => {
            say("report month", e);
            return ExitCode::from(2);
        }
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
    let shape = if a.format == "json" {
        crate::export::Shape::Json
    } else {
        crate::export::Shape::Text
    };
    if let Err(e) = crate::export::write_out(bytes, &to, shape, l) {
        say(
            "report month",
            t!(
                l,
                "cannot write the output: {e}",
                "no se pudo escribir la salida: {e}"
            ),
        );
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

/// `gigdash changes`'s arguments.
pub struct ChangesArgs {
    pub since: Option<String>,
    pub team: Option<String>,
    pub all_teams: bool,
    pub format: String,
    pub output: Option<std::path::PathBuf>,
}

/// `gigdash changes`: the morning brief from the store (after `gigdash sync`), no request
/// made. Exit 0 when nothing needs attention, 1 when something does (a failed payment, a
/// late complement), 2 on error.
pub fn changes(r: &Resolved, a: ChangesArgs) -> ExitCode {
    let l = r.lang;
    let what = "changes";
    let now = jiff::Timestamp::now().as_second();
    if !["md", "json", "csv"].contains(&a.format.as_str()) {
        let f = printable(&a.format);
        say(
            what,
            t!(
                l,
                "unknown format «{f}»: use md, json or csv",
                "formato desconocido «{f}»: usa md, json o csv"
            ),
        );
        return ExitCode::from(2);
    }
    let to = match crate::paths::Destination::of(a.output.as_deref(), l) {
        Ok(to) => to,
        Err(e) => {
            say(what, e);
            return ExitCode::from(2);
        }
    };
    let store = match open(r, what) {
        Ok(s) => s,
        Err(_) => return ExitCode::from(2),
    };
    let since = match a.since.as_deref() {
        Some(text) => match crate::app::data::changes::parse_since(text, now, l) {
            Ok(s) => s,
            Err(e) => {
                say(what, e);
                return ExitCode::from(2);
            }
        },
        None => {
            let last = store
                .recall(crate::worker::SESSION_END)
                .ok()
                .flatten()
                .and_then(|(v, _)| v.parse().ok());
            crate::worker::default_since(last, now)
        }
    };
    let stored = match store.teams() {
        Ok(t) => t,
        Err(e) => {
            say(what, e);
            return ExitCode::from(2);
        }
    };
    if stored.is_empty() {
        say(
            what,
            l.pick(
                "the store has no team yet: run `gigdash sync` first",
                "el almacén aún no tiene equipos: ejecuta `gigdash sync` primero",
            ),
        );
        return ExitCode::from(2);
    }
    let mut teams: Vec<(crate::api::TeamId, String)> = stored
        .iter()
        .map(|t| (t.id.clone(), t.display_name().to_string()))
        .collect();
    if let Some(want) = a.team.as_deref().filter(|_| !a.all_teams) {
        let key = crate::i18n::sort_key(want.trim());
        teams.retain(|(id, name)| id.as_str() == want.trim() || crate::i18n::sort_key(name) == key);
        if teams.is_empty() {
            let w = printable(want);
            say(
                what,
                t!(
                    l,
                    "no stored team is «{w}» (by id or name); `gigdash store info` lists what is stored",
                    "ningún equipo guardado es «{w}» (por id o nombre); `gigdash store info` lista lo guardado"
                ),
            );
            return ExitCode::from(2);
        }
    }
    let ids: Vec<crate::api::TeamId> = teams.iter().map(|(t, _)| t.clone()).collect();
    let items = match crate::worker::change_items(&store, Some(&ids), since, now, l) {
        Ok(i) => i,
        Err(e) => {
            say(what, e);
            return ExitCode::from(2);
        }
    };
    let brief = crate::brief::make(&items, &teams, since, now);
    let bytes = match crate::brief::render(&brief, &a.format, l) {
        Ok(b) => b,
        Err(e) => {
            say(what, e);
            return ExitCode::from(2);
        }
    };
    let shape = if a.format == "json" {
        crate::export::Shape::Json
    } else {
        crate::export::Shape::Text
    };
    if let Err(e) = crate::export::write_out(bytes, &to, shape, l) {
        say(
            what,
            t!(
                l,
                "cannot write the output: {e}",
                "no se pudo escribir la salida: {e}"
            ),
        );
        return ExitCode::from(2);
    }
    if brief.needs_attention {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
