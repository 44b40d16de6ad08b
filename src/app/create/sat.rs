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
