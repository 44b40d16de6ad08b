//! Typed API errors a person can act on, and the classifier that turns a status code plus
//! whatever body came back (JSON envelope, HTML from a proxy, nothing) into one of them.

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
    /// The audit log could not take a write's `sent` line, so the write was not sent:
    /// a write leaves only once the log says it left.
    AuditUnwritable {
        path: String,
        message: String,
    },
    /// gigdash was quitting while this write still waited its turn (the rate limit, the
    /// request slots): it was not sent.
    Quitting,
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

    /// gigstack could not be reached at all (no connection, no answer, a gateway that has
    /// nothing behind it): the dashboard goes OFFLINE on its store.
    pub fn is_unreachable(&self) -> bool {
        match self {
            ApiError::Network { .. } | ApiError::Timeout => true,
            ApiError::Server { status, .. } => matches!(status, 502..=504),
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
            ApiError::AuditUnwritable { .. } => "audit_unwritable",
            ApiError::Quitting => "not_sent",
        }
    }

    /// The request field a refused request is about, as the API named it (`tax_id`,
    /// `items[0].unit_price`, `items`): read from the first `error.details` entry that
    /// opens with a field — the shape the official CLI parses, `"items[0].unit_price is
    /// required"` (gigstack-api.md §1.5) — else from a message that opens with a quoted
    /// field (`` `payment_form` is required ``). `None` when the API did not say: a form
    /// then shows the error on the whole form, never on a guessed field.
    pub fn field(&self) -> Option<&str> {
        let ApiError::Validation {
            message, details, ..
        } = self
        else {
            return None;
        };
        details
            .iter()
            .find_map(|d| leading_field(d, false))
            .or_else(|| leading_field(message, true))
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

/// The words that follow a field at the start of a validation sentence
/// (`items[0].unit_price is required`, `tax_id must be…`).
const AFTER_FIELD: &[&str] = &[
    "is ", "are ", "must ", "has ", "does ", "should ", "cannot ", "exceeds ", "not ",
];

/// The field a text opens with: `` `name` `` anywhere it opens the text, or (unless
/// `quoted_only`) a bare path followed by `:` or one of `AFTER_FIELD`.
fn leading_field(text: &str, quoted_only: bool) -> Option<&str> {
    let text = text.trim_start();
    let path_like = |s: &str| {
        s.chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && !s.ends_with('.')
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '[' | ']'))
    };
    if let Some(rest) = text.strip_prefix('`') {
        let field = &rest[..rest.find('`')?];
        return path_like(field).then_some(field);
    }
    if quoted_only {
        return None;
    }
    let end = text
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '[' | ']')))
        .unwrap_or(text.len());
    let (field, rest) = text.split_at(end);
    let named = rest.is_empty()
        || rest.starts_with(':')
        || rest
            .strip_prefix(' ')
            .is_some_and(|r| AFTER_FIELD.iter().any(|w| r.starts_with(w)));
    (named && path_like(field)).then_some(field)
}

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

/// What a body that is not the API's JSON looks like, in a few words.
pub(crate) fn body_kind(status: u16, body: &[u8]) -> String {
    let start = body
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(0);
    if body.is_empty() {
        format!("HTTP {status} with an empty body")
    } else if body[start..].starts_with(b"<") {
        format!("HTTP {status} with an HTML page")
    } else {
        format!(
            "HTTP {status} with a body that is not JSON ({} bytes)",
            body.len()
        )
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
            // The body itself (an HTML error page, say) goes to the log, never into the
            // words a person reads.
            message: {
                if !body.is_empty() {
                    tracing::debug!(status, body = %excerpt(body), "a non-JSON error body");
                }
                body_kind(status, body)
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

    fn refused(message: &str, details: &[&str]) -> ApiError {
        ApiError::Validation {
            status: 422,
            message: message.into(),
            details: details.iter().map(|d| d.to_string()).collect(),
        }
    }

    #[test]
    fn the_field_is_read_from_details_then_from_a_quoted_message() {
        let cli = refused("Invalid request", &["items[0].unit_price is required"]);
        assert_eq!(cli.field(), Some("items[0].unit_price"));
        let colon = refused("too much", &["items: the credit note is above the balance"]);
        assert_eq!(colon.field(), Some("items"));
        let quoted = refused("`payment_form` is required", &[]);
        assert_eq!(quoted.field(), Some("payment_form"));
        let quoted_detail = refused("x", &["`tax_id` \"NOPE\" is not an RFC"]);
        assert_eq!(quoted_detail.field(), Some("tax_id"));
    }

    #[test]
    fn prose_without_a_field_names_none() {
        assert_eq!(
            refused("a PPD invoice takes payment_form 99", &[]).field(),
            None
        );
        assert_eq!(refused("x", &["a PPD invoice takes 99"]).field(), None);
        assert_eq!(
            refused("items[0].unit_price is required", &[]).field(),
            None
        );
        let not_validation = ApiError::Conflict {
            code: None,
            message: "`status` is wrong".into(),
        };
        assert_eq!(not_validation.field(), None);
    }
}
