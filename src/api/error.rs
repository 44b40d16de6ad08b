//! Typed API errors a person can act on, and the classifier that turns a status code plus
//! whatever body came back (JSON envelope, HTML from a proxy, nothing) into one of them.

use std::fmt;

use crate::i18n::Lang;
use crate::t;
use std::time::Duration;

use serde::Deserialize;

use super::models::TeamId;

/// The exact texts of the Connect guide, matched case-insensitively.
const NOT_MASTER: &str = "not a master team";
const TEAM_MISSING: &str = "the specified team does not exist";
const NO_MATCHED: &str = "no matched teams";
const ROLE_DENIED: &str = "your role does not allow this action";

#[derive(Clone, Debug, PartialEq)]
pub enum ApiError {
    /// 401: the key is missing, wrong or revoked.
    Unauthorized {
        message: String,
    },
    /// The key's team does not have gigstack Connect, so `team=` is refused.
    NotMasterTeam {
        team: Option<TeamId>,
    },
    /// The target team does not exist or is inactive.
    TeamNotFound {
        team: Option<TeamId>,
    },
    /// The target team is not in the key's billing account.
    NoMatchedTeams {
        team: Option<TeamId>,
    },
    /// The user's role does not permit this action on that team.
    RoleDenied {
        team: Option<TeamId>,
    },
    /// Any other 403.
    Forbidden {
        message: String,
    },
    NotFound {
        message: String,
    },
    Conflict {
        code: Option<String>,
        message: String,
    },
    Validation {
        status: u16,
        message: String,
        details: Vec<String>,
    },
    RateLimited {
        retry_after: Option<Duration>,
    },
    Server {
        status: u16,
        message: String,
    },
    Timeout,
    Network {
        message: String,
    },
    /// The body could not be read as the expected JSON; carries a short excerpt.
    Decode {
        message: String,
        excerpt: String,
    },
    /// A 2xx answer whose body says `"success": false`, or an unexpected 4xx.
    Refused {
        status: u16,
        code: Option<String>,
        message: String,
    },
    /// The client or worker is read-only and refuses writes.
    ReadOnly,
}

impl ApiError {
    /// Worth retrying for a safe request (GET, or a write with an idempotency key).
    pub fn is_transient(&self) -> bool {
        match self {
            ApiError::RateLimited { .. } | ApiError::Timeout => true,
            ApiError::Server { status, .. } => matches!(status, 502..=504),
            ApiError::Network { .. } => true,
            _ => false,
        }
    }

    /// Short machine name, for the audit log and tests.
    pub fn kind(&self) -> &'static str {
        match self {
            ApiError::Unauthorized { .. } => "unauthorized",
            ApiError::NotMasterTeam { .. } => "not_master_team",
            ApiError::TeamNotFound { .. } => "team_not_found",
            ApiError::NoMatchedTeams { .. } => "no_matched_teams",
            ApiError::RoleDenied { .. } => "role_denied",
            ApiError::Forbidden { .. } => "forbidden",
            ApiError::NotFound { .. } => "not_found",
            ApiError::Conflict { .. } => "conflict",
            ApiError::Validation { .. } => "validation",
            ApiError::RateLimited { .. } => "rate_limited",
            ApiError::Server { .. } => "server",
            ApiError::Timeout => "timeout",
            ApiError::Network { .. } => "network",
            ApiError::Decode { .. } => "decode",
            ApiError::Refused { .. } => "refused",
            ApiError::ReadOnly => "read_only",
        }
    }

    fn team_phrase(team: &Option<TeamId>, lang: Lang) -> String {
        match (team, lang) {
            (Some(t), Lang::En) => format!("team {t}"),
            (Some(t), Lang::Es) => format!("el equipo {t}"),
            (None, Lang::En) => "that team".into(),
            (None, Lang::Es) => "ese equipo".into(),
        }
    }

    /// Replaces every occurrence of `secret` in the texts this error carries.
    pub fn redact(self, secret: &str) -> Self {
        if secret.len() < 4 {
            return self;
        }
        let r = |s: String| s.replace(secret, "[redacted]");
        match self {
            ApiError::Unauthorized { message } => ApiError::Unauthorized {
                message: r(message),
            },
            ApiError::Forbidden { message } => ApiError::Forbidden {
                message: r(message),
            },
            ApiError::NotFound { message } => ApiError::NotFound {
                message: r(message),
            },
            ApiError::Conflict { code, message } => ApiError::Conflict {
                code,
                message: r(message),
            },
            ApiError::Validation {
                status,
                message,
                details,
            } => ApiError::Validation {
                status,
                message: r(message),
                details: details.into_iter().map(r).collect(),
            },
            ApiError::Server { status, message } => ApiError::Server {
                status,
                message: r(message),
            },
            ApiError::Network { message } => ApiError::Network {
                message: r(message),
            },
            ApiError::Decode { message, excerpt } => ApiError::Decode {
                message: r(message),
                excerpt: r(excerpt),
            },
            ApiError::Refused {
                status,
                code,
                message,
            } => ApiError::Refused {
                status,
                code,
                message: r(message),
            },
            other => other,
        }
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
                let team = Self::team_phrase(team, lang);
                t!(
                    lang,
                    "{team} does not exist or is inactive. Refresh the team list with r.",
                    "No existe {team}, o está inactivo. Actualiza la lista de equipos con r."
                )
            }
            ApiError::NoMatchedTeams { team } => {
                let team = Self::team_phrase(team, lang);
                t!(
                    lang,
                    "{team} is not in your billing account. Ask its owner to add it to your billing account, or use that account's key.",
                    "Tu cuenta de facturación no incluye {team}. Pide a su dueño que lo agregue a tu cuenta, o usa la key de esa cuenta."
                )
            }
            ApiError::RoleDenied { team } => {
                let team = Self::team_phrase(team, lang);
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
            ApiError::Decode { message, excerpt } => t!(
                lang,
                "gigstack sent an answer gigdash could not read ({message}); it began: {excerpt:?}",
                "gigstack envió una respuesta que gigdash no pudo leer ({message}); empezaba así: {excerpt:?}"
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

impl std::error::Error for ApiError {}

/// The error envelope in all its documented shapes (gigstack-api.md §1.5).
#[derive(Debug, Default, Deserialize)]
pub(crate) struct ErrorBody {
    pub message: Option<String>,
    pub error: Option<serde_json::Value>,
}

pub(crate) struct ErrorParts {
    pub code: Option<String>,
    pub message: String,
    pub details: Vec<String>,
}

impl ErrorBody {
    pub fn parts(&self) -> ErrorParts {
        let mut code = None;
        let mut message = None;
        let mut details = Vec::new();
        match &self.error {
            Some(serde_json::Value::String(s)) => {
                if s.chars().all(|c| c.is_ascii_lowercase() || c == '_') && !s.is_empty() {
                    code = Some(s.clone());
                }
                message = Some(s.clone());
            }
            Some(serde_json::Value::Object(o)) => {
                code = o.get("code").and_then(|c| c.as_str()).map(String::from);
                message = o.get("message").and_then(|c| c.as_str()).map(String::from);
                if let Some(serde_json::Value::Array(a)) = o.get("details") {
                    details = a
                        .iter()
                        .map(|d| {
                            d.as_str()
                                .map(String::from)
                                .unwrap_or_else(|| d.to_string())
                        })
                        .collect();
                }
            }
            _ => {}
        }
        // A code-like `error` string is less helpful than the human `message`.
        let message = match (&message, &self.message) {
            (Some(m), Some(top)) if code.as_deref() == Some(m.as_str()) => top.clone(),
            (Some(m), _) => m.clone(),
            (None, Some(top)) => top.clone(),
            (None, None) => String::new(),
        };
        ErrorParts {
            code,
            message,
            details,
        }
    }
}

/// A short, printable excerpt of a body for decode errors.
pub(crate) fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(160)]);
    let one_line: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if body.len() > 160 {
        format!("{one_line}…")
    } else {
        one_line
    }
}

/// Turns a non-2xx answer (or a 2xx with `success: false`) into a typed error.
pub fn classify(
    status: u16,
    body: &[u8],
    retry_after: Option<Duration>,
    team: Option<&TeamId>,
) -> ApiError {
    let parsed: Option<ErrorBody> = serde_json::from_slice(body).ok();
    let parts = match &parsed {
        Some(b) => b.parts(),
        None => ErrorParts {
            code: None,
            message: if body.is_empty() {
                format!("HTTP {status} with an empty body")
            } else {
                format!("HTTP {status}: {}", excerpt(body))
            },
            details: Vec::new(),
        },
    };
    let lower = parts.message.to_lowercase();
    let code = parts.code.clone().unwrap_or_default();
    let team = team.cloned();
    if lower.contains(NOT_MASTER) || code == "connect_not_enabled" || code == "not_master_team" {
        return ApiError::NotMasterTeam { team };
    }
    if lower.contains(TEAM_MISSING) || code == "team_not_found" {
        return ApiError::TeamNotFound { team };
    }
    if lower.contains(NO_MATCHED) || code == "team_not_accessible" || code == "no_matched_teams" {
        return ApiError::NoMatchedTeams { team };
    }
    if lower.contains(ROLE_DENIED) || code == "role_not_allowed" {
        return ApiError::RoleDenied { team };
    }
    match status {
        401 => ApiError::Unauthorized {
            message: parts.message,
        },
        403 => ApiError::Forbidden {
            message: parts.message,
        },
        404 => ApiError::NotFound {
            message: parts.message,
        },
        409 => ApiError::Conflict {
            code: parts.code,
            message: parts.message,
        },
        400 | 422 => ApiError::Validation {
            status,
            message: parts.message,
            details: parts.details,
        },
        429 => ApiError::RateLimited { retry_after },
        500..=599 => ApiError::Server {
            status,
            message: parts.message,
        },
        _ => ApiError::Refused {
            status,
            code: parts.code,
            message: parts.message,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
