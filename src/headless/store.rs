//! `gigdash store info` (path, size, compression, teams, documents, refresh times) and
//! `gigdash store clear [--team T]`.

use std::process::ExitCode;

use super::{open, out, say};
use crate::settings::Resolved;
use crate::store::Kind;
use crate::t;
use crate::text::{printable, thousands};

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
