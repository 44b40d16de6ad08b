//! `gigdash changes`: the morning brief, read from the store after `gigdash sync`.

use std::process::ExitCode;

use super::{open, output_to, say, write_output};
use crate::settings::Resolved;
use crate::t;
use crate::text::printable;

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
    let to = match output_to(
        what,
        &a.format,
        ["md", "json", "csv"],
        a.output.as_deref(),
        l,
    ) {
        Ok(to) => to,
        Err(code) => return code,
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
    let (items, capped) = match crate::worker::found_changes(&store, Some(&ids), since, now, l) {
        Ok(f) => (
            crate::worker::labelled_changes(&store, f.items, l),
            f.capped,
        ),
        Err(e) => {
            say(what, e);
            return ExitCode::from(2);
        }
    };
    let mut brief = crate::brief::make(&items, &teams, since, now);
    brief.capped = capped;
    let bytes = match crate::brief::render(&brief, &a.format, l) {
        Ok(b) => b,
        Err(e) => {
            say(what, e);
            return ExitCode::from(2);
        }
    };
    if !write_output(what, bytes, &to, &a.format, l) {
        return ExitCode::from(2);
    }
    if brief.needs_attention {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
