//! The client fiscal check (`:validate`): what gigstack said of each client's fiscal data,
//! per team and when, and the words for what fails (RFC, name, regime, postal code,
//! EFOS). Data only.

use crate::api::{FiscalCheck, TeamId};
use crate::i18n::{Lang, tr};

/// One client's answer.
#[derive(Clone, Debug, PartialEq)]
pub struct ClientCheck {
    pub id: String,
    pub name: String,
    pub rfc: String,
    /// `Err` when the check itself could not be asked (the words why).
    pub result: Result<FiscalCheck, String>,
}

/// A team's last check.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TeamCheck {
    /// When it ran (epoch seconds).
    pub at: i64,
    pub clients: Vec<ClientCheck>,
}

impl TeamCheck {
    /// The clients gigstack said fail.
    pub fn failing(&self) -> impl Iterator<Item = &ClientCheck> {
        self.clients
            .iter()
            .filter(|c| matches!(c.result, Ok(FiscalCheck::Invalid(_))))
    }

    /// The clients that could not be checked (no answer after the retries, or one of
    /// another shape): neither valid nor failing, and never counted as failing.
    pub fn unchecked(&self) -> impl Iterator<Item = &ClientCheck> {
        self.clients
            .iter()
            .filter(|c| matches!(c.result, Err(_) | Ok(FiscalCheck::Unknown)))
    }
}

/// What fails, in words: `RFC, postal code`; an answer of another shape is "unknown".
pub fn problems(result: &Result<FiscalCheck, String>, lang: Lang) -> String {
    match result {
        Ok(FiscalCheck::Valid) => lang.pick("valid", "válido").into(),
        Ok(FiscalCheck::Unknown) => lang
            .pick(
                "unknown (the answer had another shape)",
                "desconocido (la respuesta tenía otra forma)",
            )
            .into(),
        Err(e) => e.clone(),
        Ok(FiscalCheck::Invalid(fields)) if fields.is_empty() => lang
            .pick("invalid (no reason given)", "inválido (sin motivo)")
            .into(),
        Ok(FiscalCheck::Invalid(fields)) => fields
            .iter()
            .map(|f| {
                match f.as_str() {
                    "tax_id" | "rfc" => tr("RFC", "RFC"),
                    "legal_name" | "name" => tr("legal name", "razón social"),
                    "tax_system" | "regime" => tr("tax regime", "régimen fiscal"),
                    "zip" | "postal_code" => tr("postal code", "código postal"),
                    "efos" => tr("on SAT's EFOS list", "en la lista EFOS del SAT"),
                    _ => return crate::text::printable(f),
                }
                .get(lang)
                .to_string()
            })
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// How many clients a remembered result names (the store keeps the failing ones).
pub fn failing_count(note: &str) -> Option<usize> {
    serde_json::from_str::<Vec<serde_json::Value>>(note)
        .ok()
        .map(|f| f.len())
}

/// The store's key for a team's results.
pub fn note_key(team: &TeamId) -> String {
    format!("validation:{team}")
}

/// The fiscal check's state: each team's last answer, and the run under way (its
/// generation and the teams still to answer).
#[derive(Clone, Debug, Default)]
pub struct FiscalChecks {
    pub results: std::collections::HashMap<crate::api::TeamId, TeamCheck>,
    pub run: Option<(u64, Vec<crate::api::TeamId>)>,
}
