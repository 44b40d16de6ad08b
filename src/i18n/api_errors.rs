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

impl ApiError {
    /// What went wrong and what to do, in the user's language. The API's own message is
    /// quoted as it came (gigstack writes it in English or Spanish).
    pub fn describe(&self, lang: Lang) -> String {
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
                t!(
                    lang,
                    "{team} does not exist or is inactive. Refresh the team list with r.",
                    "No existe {team}, o está inactivo. Actualiza la lista de equipos con r."
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
            ApiError::NotFound { message } => t!(
                lang,
                "Not found: {message}. It may have been deleted; press r to refresh.",
                "No se encontró: {message}. Puede que se haya borrado; pulsa r para actualizar."
            ),
            ApiError::Conflict { message, .. } => t!(
                lang,
                "Refused by the rules: {message}. Refresh to see the current state.",
                "Rechazado por las reglas: {message}. Actualiza para ver el estado actual."
            ),
            ApiError::Validation {
                message, details, ..
            } => {
                let mut text = t!(
                    lang,
                    "The request was rejected: {message}",
                    "La solicitud fue rechazada: {message}"
                );
                if !details.is_empty() {
                    text.push_str(&format!(" ({})", details.join(", ")));
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
            ApiError::Server { status, message } => t!(
                lang,
                "gigstack had a server error ({status}: {message}). Try again with r; if it persists, check status.gigstack.io.",
                "gigstack tuvo un error de servidor ({status}: {message}). Intenta de nuevo con r; si sigue, revisa status.gigstack.io."
            ),
            ApiError::Timeout => lang
                .pick(
                    "gigstack did not answer in time. Check the connection and press r to retry.",
                    "gigstack no respondió a tiempo. Revisa la conexión y pulsa r para reintentar.",
                )
                .into(),
            ApiError::Network { message } => t!(
                lang,
                "Could not reach gigstack ({message}). Check the network or GIGSTACK_API_BASE_URL, then press r.",
                "No se pudo conectar con gigstack ({message}). Revisa la red o GIGSTACK_API_BASE_URL y pulsa r."
            ),
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
        }
    }
}

impl ApiError {
    /// The words for a command-line tool (`gigdash export`, `sync`): the same as on
    /// screen, less the dashboard's keys ("press r"), which mean nothing there; with every
    /// control character and bidirectional override removed, as for any terminal line.
    pub fn describe_cli(&self, lang: Lang) -> String {
        let text = self.describe(lang);
        let text = [
            (
                "Refresh the team list with r.",
                "Check the team id or name.",
            ),
            (
                "Actualiza la lista de equipos con r.",
                "Revisa el id o nombre del equipo.",
            ),
            ("; press r to refresh.", "."),
            ("; pulsa r para actualizar.", "."),
            ("Try again with r;", "Try again;"),
            ("Intenta de nuevo con r;", "Intenta de nuevo;"),
            ("and press r to retry.", "and run the command again."),
            (
                "y pulsa r para reintentar.",
                "y ejecuta el comando de nuevo.",
            ),
            ("then press r.", "then run the command again."),
            ("y pulsa r.", "y ejecuta el comando de nuevo."),
            (
                "Refresh to see the current state.",
                "Read it again to see its current state.",
            ),
            (
                "Actualiza para ver el estado actual.",
                "Léelo de nuevo para ver su estado actual.",
            ),
        ]
        .iter()
        .fold(text, |t, (from, to)| t.replace(from, to));
        crate::text::printable(&text)
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
        ];
        for e in all {
            let e = e.redact("sk_test_SECRETSECRET");
            let (en, es) = (e.describe(Lang::En), e.describe(Lang::Es));
            assert_ne!(en, es, "{e:?} has a Spanish text");
            assert_eq!(en, e.to_string());
            assert!(!es.contains("SECRET") && !en.contains("SECRET"), "{es}");
        }
    }
}
