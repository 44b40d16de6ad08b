//! The words of `ApiError`, in English and Spanish: what went wrong and what to do. The
//! error's variants are the API layer's; how a person reads them is the language's, so
//! `api/` stays free of it. `Display` is the English text.

use std::fmt;

use super::Lang;
use crate::api::{ApiError, TeamId};
use crate::t;

fn team_phrase(team: &Option<TeamId>, lang: Lang) -> String {
    match (team, lang) {
        (Some(t), Lang::En) => format!("team {t}"),
        (Some(t), Lang::Es) => format!("el equipo {t}"),
        (None, Lang::En) => "that team".into(),
        (None, Lang::Es) => "ese equipo".into(),
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe(Lang::En))
    }
}

/// Where the words are read: the dashboard (whose keys the advice may name) or a
/// command-line tool (where "press r" means nothing).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Surface {
    Dashboard,
    Cli,
}

impl ApiError {
    /// What went wrong and what to do, in the user's language. The API's own message is
    /// quoted as it came (gigstack writes it in English or Spanish).
    pub fn describe(&self, lang: Lang) -> String {
        self.words(lang, Surface::Dashboard)
    }

    /// The words for a command-line tool (`gigdash export`, `sync`): the same, with the
    /// advice of a command line instead of the dashboard's keys, and printable only, as any
    /// terminal line.
    pub fn describe_cli(&self, lang: Lang) -> String {
        crate::text::printable(&self.words(lang, Surface::Cli))
    }

    fn words(&self, lang: Lang, on: Surface) -> String {
        let cli = on == Surface::Cli;
        // The advice that differs between the dashboard and a command line.
        let say = |dashboard: (&'static str, &'static str),
                   command: (&'static str, &'static str)| {
            let (en, es) = if cli { command } else { dashboard };
            lang.pick(en, es)
        };
        match self {
            ApiError::Unauthorized { message } => t!(
                lang,
                "The API key was refused ({message}). Check GIGSTACK_API_KEY or the profile's key, and that it was not revoked.",
                "La API key fue rechazada ({message}). Revisa GIGSTACK_API_KEY o la key del perfil, y que no haya sido revocada."
            ),
            ApiError::NotMasterTeam { .. } => lang
                .pick(
                    "This key's team is not a master team, so it cannot act on other teams. Use a key from the team that has gigstack Connect enabled.",
                    "El equipo de esta key no es un equipo maestro, así que no puede actuar sobre otros equipos. Usa una key del equipo que tiene gigstack Connect activado.",
                )
                .into(),
            ApiError::TeamNotFound { team } => {
                let team = team_phrase(team, lang);
                let next = say(
                    (
                        "Refresh the team list with r.",
                        "Actualiza la lista de equipos con r.",
                    ),
                    ("Check the team id or name.", "Revisa el id o nombre del equipo."),
                );
                t!(
                    lang,
                    "{team} does not exist or is inactive. {next}",
                    "No existe {team}, o está inactivo. {next}"
                )
            }
            ApiError::NoMatchedTeams { team } => {
                let team = team_phrase(team, lang);
                t!(
                    lang,
                    "{team} is not in your billing account. Ask its owner to add it to your billing account, or use that account's key.",
                    "Tu cuenta de facturación no incluye {team}. Pide a su dueño que lo agregue a tu cuenta, o usa la key de esa cuenta."
                )
            }
            ApiError::RoleDenied { team } => {
                let team = team_phrase(team, lang);
                t!(
                    lang,
                    "Your role does not allow this action on {team}. Ask an admin of the team to do it or to raise your role.",
                    "Tu rol no permite esta acción en {team}. Pide a un administrador del equipo que la haga o que suba tu rol."
                )
            }
            ApiError::Forbidden { message } => {
                t!(lang, "Not allowed: {message}.", "No permitido: {message}.")
            }
            ApiError::NotFound { message } => {
                let next = say(
                    ("; press r to refresh.", "; pulsa r para actualizar."),
                    (".", "."),
                );
                t!(
                    lang,
                    "Not found: {message}. It may have been deleted{next}",
                    "No se encontró: {message}. Puede que se haya borrado{next}"
                )
            }
            ApiError::Conflict { message, .. } => {
                let next = say(
                    (
                        "Refresh to see the current state.",
                        "Actualiza para ver el estado actual.",
                    ),
                    (
                        "Read it again to see its current state.",
                        "Léelo de nuevo para ver su estado actual.",
                    ),
                );
                t!(
                    lang,
                    "Refused by the rules: {message}. {next}",
                    "Rechazado por las reglas: {message}. {next}"
                )
            }
            ApiError::Validation {
                message, details, ..
            } => {
                let mut text = t!(
                    lang,
                    "The request was rejected: {message}",
                    "La solicitud fue rechazada: {message}"
                );
                // A detail that only repeats the message (`"tax_id: <message>"`, the
                // message itself) adds nothing a person reads.
                let new: Vec<&str> = details
                    .iter()
                    .map(String::as_str)
                    .filter(|d| {
                        message.is_empty()
                            || !(d.contains(message.as_str()) || message.contains(d))
                    })
                    .collect();
                if !new.is_empty() {
                    text.push_str(&format!(" ({})", new.join(", ")));
                }
                text
            }
            ApiError::RateLimited { retry_after } => match retry_after {
                Some(d) => {
                    let secs = d.as_secs().max(1);
                    t!(
                        lang,
                        "gigstack is rate limiting requests; try again in {secs} s.",
                        "gigstack está limitando las solicitudes; intenta de nuevo en {secs} s."
                    )
                }
                None => lang
                    .pick(
                        "gigstack is rate limiting requests; try again shortly.",
                        "gigstack está limitando las solicitudes; intenta de nuevo en un momento.",
                    )
                    .into(),
            },
            ApiError::Server { status, message } => {
                let again = say(
                    ("Try again with r", "Intenta de nuevo con r"),
                    ("Try again", "Intenta de nuevo"),
                );
                t!(
                    lang,
                    "gigstack had a server error ({status}: {message}). {again}; if it persists, check status.gigstack.io.",
                    "gigstack tuvo un error de servidor ({status}: {message}). {again}; si sigue, revisa status.gigstack.io."
                )
            }
            ApiError::Timeout => {
                let again = say(
                    ("press r to retry", "pulsa r para reintentar"),
                    ("run the command again", "ejecuta el comando de nuevo"),
                );
                t!(
                    lang,
                    "gigstack did not answer in time. Check the connection and {again}.",
                    "gigstack no respondió a tiempo. Revisa la conexión y {again}."
                )
            }
            ApiError::Network { message } => {
                let again = say(
                    ("press r", "pulsa r"),
                    ("run the command again", "ejecuta el comando de nuevo"),
                );
                t!(
                    lang,
                    "Could not reach gigstack ({message}). Check the network or GIGSTACK_API_BASE_URL, then {again}.",
                    "No se pudo conectar con gigstack ({message}). Revisa la red o GIGSTACK_API_BASE_URL y {again}."
                )
            }
            // The excerpt stays out of the words (it is raw HTML or JSON); the log has it.
            ApiError::Decode { message, .. } => t!(
                lang,
                "gigstack sent an answer gigdash could not read ({message}).",
                "gigstack envió una respuesta que gigdash no pudo leer ({message})."
            ),
            ApiError::Refused { message, .. } => t!(
                lang,
                "gigstack refused the request: {message}.",
                "gigstack rechazó la solicitud: {message}."
            ),
            ApiError::ReadOnly => lang
                .pick(
                    "Read-only mode: writes are disabled for this profile or team.",
                    "Modo solo lectura: las escrituras están desactivadas para este perfil o equipo.",
                )
                .into(),
            ApiError::AuditUnwritable { path, message } => t!(
                lang,
                "The audit log {path} could not be written ({message}), so nothing was sent. Make that path a writable file (or remove what is in its place), then try again.",
                "No se pudo escribir el registro de auditoría {path} ({message}), así que no se envió nada. Haz de esa ruta un archivo con permiso de escritura (o quita lo que ocupa su lugar) e intenta de nuevo."
            ),
            ApiError::Quitting => lang
                .pick(
                    "gigdash was quitting before this write left: it was not sent.",
                    "gigdash estaba saliendo antes de que esta escritura saliera: no se envió.",
                )
                .into(),
        }
    }
}

impl ApiError {
    /// A few words for a table cell (the Group tab's state column); `describe` has the
    /// whole sentence.
    pub fn short(&self, lang: Lang) -> &'static str {
        match self {
            ApiError::Unauthorized { .. } => lang.pick("key refused", "key rechazada"),
            ApiError::NotMasterTeam { .. } => lang.pick("no Connect", "sin Connect"),
            ApiError::TeamNotFound { .. } => lang.pick("Team not found", "Equipo no encontrado"),
            ApiError::NoMatchedTeams { .. } => {
                lang.pick("not in the account", "fuera de la cuenta")
            }
            ApiError::RoleDenied { .. } | ApiError::Forbidden { .. } => {
                lang.pick("role refused", "rol rechazado")
            }
            ApiError::NotFound { .. } => lang.pick("not found", "no encontrado"),
            ApiError::RateLimited { .. } => lang.pick("rate limited", "limitado"),
            ApiError::Server { .. } => lang.pick("gigstack error", "error de gigstack"),
            ApiError::Timeout => lang.pick("no answer", "sin respuesta"),
            ApiError::Network { .. } => lang.pick("cannot reach", "sin conexión"),
            ApiError::Decode { .. } => lang.pick("unreadable answer", "respuesta ilegible"),
            ApiError::Conflict { .. } | ApiError::Validation { .. } | ApiError::Refused { .. } => {
                lang.pick("refused", "rechazado")
            }
            ApiError::ReadOnly => lang.pick("read-only", "solo lectura"),
            ApiError::AuditUnwritable { .. } | ApiError::Quitting => {
                lang.pick("not sent", "no enviado")
            }
        }
    }
}

impl std::error::Error for ApiError {}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn every_error_reads_in_both_languages_and_stays_redacted() {
        let m = || "sk_test_SECRETSECRET leaked".to_string();
        let team = Some(TeamId::new("team_x"));
        let all = [
            ApiError::Unauthorized { message: m() },
            ApiError::NotMasterTeam { team: team.clone() },
            ApiError::TeamNotFound { team: team.clone() },
            ApiError::NoMatchedTeams { team: None },
            ApiError::RoleDenied { team },
            ApiError::Forbidden { message: m() },
            ApiError::NotFound { message: m() },
            ApiError::Conflict {
                code: None,
                message: m(),
            },
            ApiError::Validation {
                status: 400,
                message: m(),
                details: vec![m()],
            },
            ApiError::RateLimited {
                retry_after: Some(Duration::from_secs(3)),
            },
            ApiError::RateLimited { retry_after: None },
            ApiError::Server {
                status: 502,
                message: m(),
            },
            ApiError::Timeout,
            ApiError::Network { message: m() },
            ApiError::Decode {
                message: m(),
                excerpt: m(),
            },
            ApiError::Refused {
                status: 418,
                code: None,
                message: m(),
            },
            ApiError::ReadOnly,
            ApiError::AuditUnwritable {
                path: "/tmp/audit.jsonl".into(),
                message: "Is a directory (os error 21)".into(),
            },
            ApiError::Quitting,
        ];
        for e in all {
            let e = e.redact("sk_test_SECRETSECRET");
            let (en, es) = (e.describe(Lang::En), e.describe(Lang::Es));
            assert_ne!(en, es, "{e:?} has a Spanish text");
            assert_eq!(en, e.to_string());
            assert!(!es.contains("SECRET") && !en.contains("SECRET"), "{es}");
            // A command line is never told to press a dashboard key.
            for l in [Lang::En, Lang::Es] {
                let cli = e.describe_cli(l);
                for key in ["press r", "pulsa r", "with r", "con r"] {
                    assert!(!cli.contains(key), "{cli}");
                }
            }
        }
    }
}
