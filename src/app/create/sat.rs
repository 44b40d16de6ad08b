//! The SAT checks a create form runs before sending, as the form words them: an RFC's
//! shape and check digit, and a CFDI use the receiver's regime allows on an invoice.

use crate::app::form::{cfdi_use as uses, rfc as rfcs};
use crate::i18n::Lang;

/// The RFC typed, normalized, or why SAT would refuse it.
pub fn rfc(text: &str, lang: Lang) -> Result<String, String> {
    rfcs::check(text).map_err(|p| p.describe(lang))
}

/// The CFDI use allowed for the regime on an invoice, or why not.
pub fn cfdi_use(regime: &str, cfdi_use: &str, lang: Lang) -> Result<(), String> {
    match uses::use_refusal(regime, cfdi_use, lang) {
        Some(why) => Err(why),
        None => Ok(()),
    }
}

/// The use a client typed inline gets when the form does not ask: G03 where the regime
/// allows it, else the regime's first (S01 for 616, the general public).
pub fn usual_use(regime: &str) -> String {
    if uses::use_allowed(regime, "G03") {
        return "G03".into();
    }
    uses::uses_for(regime)
        .first()
        .map(|u| u.to_string())
        .unwrap_or_else(|| "S01".into())
}
