//! Which CFDI uses a receiver's tax regime allows: SAT's c_UsoCFDI catalog, column
//! "Régimen Fiscal Receptor", for the use picker and the refusal before sending. Pure:
//! knows nothing of writes or the API.

use super::catalogs::{CFDI_USES, REGIMES};
use crate::i18n::Lang;
use crate::t;

/// The regimes of companies and individuals with business income, rent or RESICO.
const BUSINESS: &[&str] = &[
    "601", "603", "606", "612", "620", "621", "622", "623", "624", "625", "626",
];
/// G02 (returns, discounts) also goes to 616 "sin obligaciones": a credit note to the
/// public in general (XAXX010101000) carries it.
const BUSINESS_AND_616: &[&str] = &[
    "601", "603", "606", "612", "616", "620", "621", "622", "623", "624", "625", "626",
];
/// The regimes of individuals who may deduct personal expenses.
const PERSONAL: &[&str] = &[
    "605", "606", "608", "611", "612", "614", "607", "615", "625",
];
/// Every regime SAT lists for S01 and CP01. Not 628, 629 or 630: SAT's catalog gives them
/// no use at all.
const ANY: &[&str] = &[
    "601", "603", "605", "606", "608", "610", "611", "612", "614", "616", "620", "621", "622",
    "623", "624", "607", "615", "625", "626",
];

/// c_UsoCFDI's column "Régimen Fiscal Receptor", in the catalog's order.
const USE_REGIMES: &[(&str, &[&str])] = &[
    ("G01", BUSINESS),
    ("G02", BUSINESS_AND_616),
    ("G03", BUSINESS),
    ("I01", BUSINESS),
    ("I02", BUSINESS),
    ("I03", BUSINESS),
    ("I04", BUSINESS),
    ("I05", BUSINESS),
    ("I06", BUSINESS),
    ("I07", BUSINESS),
    ("I08", BUSINESS),
    ("D01", PERSONAL),
    ("D02", PERSONAL),
    ("D03", PERSONAL),
    ("D04", PERSONAL),
    ("D05", PERSONAL),
    ("D06", PERSONAL),
    ("D07", PERSONAL),
    ("D08", PERSONAL),
    ("D09", PERSONAL),
    ("D10", PERSONAL),
    ("S01", ANY),
    ("CP01", ANY),
    ("CN01", &["605"]),
];

/// The use of every payment complement, and of nothing else.
const PAYMENTS: &str = "CP01";

fn regimes_of(cfdi_use: &str) -> &'static [&'static str] {
    USE_REGIMES
        .iter()
        .find(|(u, _)| *u == cfdi_use)
        .map_or(&[], |(_, r)| r)
}

/// Whether an income or egress invoice to a receiver in `regime` may carry `cfdi_use`.
/// CP01 never may: it belongs to payment complements (`complement_use_allowed`).
pub fn use_allowed(regime: &str, cfdi_use: &str) -> bool {
    cfdi_use != PAYMENTS && regimes_of(cfdi_use).contains(&regime)
}

/// Whether a payment complement to a receiver in `regime` may carry `cfdi_use`: only
/// CP01, for the regimes SAT lists for it.
pub fn complement_use_allowed(regime: &str, cfdi_use: &str) -> bool {
    cfdi_use == PAYMENTS && regimes_of(PAYMENTS).contains(&regime)
}

/// The uses an invoice to `regime` may carry, in catalog order (what the picker offers);
/// empty for a regime SAT does not list or gives no use.
pub fn uses_for(regime: &str) -> Vec<&'static str> {
    CFDI_USES
        .iter()
        .map(|(u, _)| *u)
        .filter(|u| use_allowed(regime, u))
        .collect()
}

/// Why an invoice to `regime` cannot carry `cfdi_use`, naming both and what to pick
/// instead, e.g. "CFDI use D01 is not allowed for regime 601 (General de Ley Personas
/// Morales); allowed: G01, G02, G03, I01–I08, S01."; `None` when it may.
pub fn use_refusal(regime: &str, cfdi_use: &str, lang: Lang) -> Option<String> {
    if use_allowed(regime, cfdi_use) {
        return None;
    }
    Some(refusal(regime, cfdi_use, lang))
}

fn refusal(regime: &str, cfdi_use: &str, lang: Lang) -> String {
    let Some(regime_name) = name_in(REGIMES, regime) else {
        return t!(
            lang,
            "Regime {regime} is not in SAT's catalog; fix the client's tax regime first.",
            "El régimen {regime} no está en el catálogo del SAT; corrija primero el régimen \
             fiscal del cliente."
        );
    };
    let allowed = uses_for(regime);
    if allowed.is_empty() {
        return t!(
            lang,
            "Regime {regime} ({regime_name}) allows no CFDI use on an invoice in SAT's \
             catalog; check the client's tax regime.",
            "El régimen {regime} ({regime_name}) no admite ningún uso de CFDI en una \
             factura según el catálogo del SAT; revise el régimen fiscal del cliente."
        );
    }
    let allowed = ranges(&allowed);
    if name_in(CFDI_USES, cfdi_use).is_none() {
        return t!(
            lang,
            "CFDI use {cfdi_use} is not in SAT's catalog; for regime {regime} \
             ({regime_name}) pick one of: {allowed}.",
            "El uso de CFDI {cfdi_use} no está en el catálogo del SAT; para el régimen \
             {regime} ({regime_name}) elija uno de: {allowed}."
        );
    }
    if cfdi_use == PAYMENTS {
        return t!(
            lang,
            "CFDI use CP01 (Pagos) is only for payment complements, never an invoice; for \
             regime {regime} ({regime_name}) pick one of: {allowed}.",
            "El uso de CFDI CP01 (Pagos) es solo para complementos de pago, nunca para una \
             factura; para el régimen {regime} ({regime_name}) elija uno de: {allowed}."
        );
    }
    t!(
        lang,
        "CFDI use {cfdi_use} is not allowed for regime {regime} ({regime_name}); allowed: \
         {allowed}.",
        "El uso de CFDI {cfdi_use} no está permitido para el régimen {regime} \
         ({regime_name}); permitidos: {allowed}."
    )
}

fn name_in(catalog: &'static [(&str, &'static str)], code: &str) -> Option<&'static str> {
    catalog.iter().find(|(c, _)| *c == code).map(|(_, n)| *n)
}

/// `G01, G02, G03, I01–I08, S01`: a run of four or more codes with one prefix and
/// consecutive numbers is said as its ends.
fn ranges(codes: &[&str]) -> String {
    let split = |c: &str| {
        let at = c.find(|ch: char| ch.is_ascii_digit()).unwrap_or(c.len());
        let (p, n) = c.split_at(at);
        (p.to_string(), n.parse::<u32>().ok())
    };
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < codes.len() {
        let (prefix, n) = split(codes[i]);
        let mut j = i;
        while let (Some(a), Some(next)) = (n, codes.get(j + 1)) {
            let (p, m) = split(next);
            if p != prefix || m != Some(a + (j + 1 - i) as u32) {
                break;
            }
            j += 1;
        }
        if j - i >= 3 {
            out.push(format!("{}–{}", codes[i], codes[j]));
        } else {
            out.extend(codes[i..=j].iter().map(|c| c.to_string()));
        }
        i = j + 1;
    }
    out.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cfdi_rules_examples_hold() {
        // cfdi-rules.md: G03 for 601/612/626, S01 for any, CP01 only on complements.
        for r in ["601", "612", "626"] {
            assert!(use_allowed(r, "G03"), "{r}");
        }
        assert!(
            !use_allowed("605", "G03"),
            "a salaried person deducts no expenses"
        );
        for (r, _) in REGIMES
            .iter()
            .filter(|(r, _)| !["628", "629", "630"].contains(r))
        {
            assert!(use_allowed(r, "S01"), "{r}");
            assert!(!use_allowed(r, "CP01"), "{r}: CP01 on an invoice");
            assert!(complement_use_allowed(r, "CP01"), "{r}");
            assert!(
                !complement_use_allowed(r, "G03"),
                "{r}: G03 on a complement"
            );
        }
    }

    #[test]
    fn personal_deductions_only_for_individuals_who_may_deduct() {
        for u in [
            "D01", "D02", "D03", "D04", "D05", "D06", "D07", "D08", "D09", "D10",
        ] {
            for r in [
                "605", "606", "608", "611", "612", "614", "607", "615", "625",
            ] {
                assert!(use_allowed(r, u), "{r} {u}");
            }
            for r in ["601", "603", "610", "616", "626"] {
                assert!(!use_allowed(r, u), "{r} {u}");
            }
        }
        assert!(use_allowed("605", "CN01"));
        assert!(!use_allowed("612", "CN01"), "payroll only to 605");
    }

    #[test]
    fn a_credit_note_to_the_public_in_general_may_use_g02() {
        assert!(use_allowed("616", "G02"));
        assert!(!use_allowed("616", "G01"));
        assert_eq!(uses_for("616"), vec!["G02", "S01"]);
    }

    #[test]
    fn the_picker_offers_the_allowed_uses_in_catalog_order() {
        assert_eq!(
            uses_for("601"),
            vec![
                "G01", "G02", "G03", "I01", "I02", "I03", "I04", "I05", "I06", "I07", "I08", "S01"
            ]
        );
        assert_eq!(
            uses_for("605"),
            vec![
                "D01", "D02", "D03", "D04", "D05", "D06", "D07", "D08", "D09", "D10", "S01", "CN01"
            ]
        );
        // 612 is both: business expenses and personal deductions.
        assert_eq!(uses_for("612").len(), 11 + 10 + 1);
        assert_eq!(uses_for("610"), vec!["S01"]);
        assert!(uses_for("628").is_empty(), "SAT lists no use for 628");
        assert!(uses_for("999").is_empty());
    }

    #[test]
    fn the_matrix_names_only_codes_the_catalogs_have_and_covers_every_use() {
        assert_eq!(USE_REGIMES.len(), CFDI_USES.len());
        for ((u, regimes), (c, _)) in USE_REGIMES.iter().zip(CFDI_USES) {
            assert_eq!(u, c, "same order as CFDI_USES");
            assert!(!regimes.is_empty(), "{u}");
            for r in *regimes {
                assert!(REGIMES.iter().any(|(code, _)| code == r), "{u}: {r}");
            }
        }
    }

    #[test]
    fn a_refusal_names_both_codes_and_what_to_pick() {
        assert_eq!(
            use_refusal("626", "G03", Lang::En),
            None,
            "allowed: nothing to say"
        );
        assert_eq!(
            use_refusal("601", "D01", Lang::En).unwrap(),
            "CFDI use D01 is not allowed for regime 601 (General de Ley Personas Morales); \
             allowed: G01, G02, G03, I01–I08, S01."
        );
        assert_eq!(
            use_refusal("605", "G03", Lang::Es).unwrap(),
            "El uso de CFDI G03 no está permitido para el régimen 605 (Sueldos y Salarios \
             e Ingresos Asimilados a Salarios); permitidos: D01–D10, S01, CN01."
        );
        let e = use_refusal("612", "CP01", Lang::En).unwrap();
        assert!(e.contains("only for payment complements"), "{e}");
        assert!(e.contains("G01, G02, G03, I01–I08, D01–D10, S01"), "{e}");
        let e = use_refusal("601", "P01", Lang::En).unwrap();
        assert!(e.contains("P01 is not in SAT's catalog"), "{e}");
        let e = use_refusal("6O1", "G03", Lang::Es).unwrap();
        assert!(e.contains("6O1 no está en el catálogo"), "{e}");
        let e = use_refusal("628", "S01", Lang::En).unwrap();
        assert!(e.contains("628 (Hidrocarburos) allows no CFDI use"), "{e}");
    }

    #[test]
    fn short_runs_are_listed_long_ones_joined() {
        assert_eq!(ranges(&["G01", "G02", "G03"]), "G01, G02, G03");
        assert_eq!(ranges(&["I01", "I02", "I03", "I04"]), "I01–I04");
        assert_eq!(ranges(&["G02", "S01"]), "G02, S01");
        assert_eq!(
            ranges(&["D09", "D10", "S01", "CP01"]),
            "D09, D10, S01, CP01"
        );
        assert_eq!(ranges(&[]), "");
    }
}
