//! The totals of a new invoice or payment, previewed before anything is sent, computed as
//! cfdi-rules.md says gigstack and the sandbox compute them: exact decimals, each item's
//! tax rounded half-up to cents, then the document's sums. Pure arithmetic over plain
//! inputs (what the form holds), so the preview and the request never disagree.

use rust_decimal::{Decimal, RoundingStrategy};

/// One tax of an item, as the API's tax object (§3.3) says it.
#[derive(Clone, Debug, PartialEq)]
pub struct TaxLine {
    /// `IVA`, `ISR`, `IEPS`.
    pub kind: &'static str,
    /// A fraction: 0.16, 0.08, 0.106667.
    pub rate: Decimal,
    /// `Exento` carries no amount.
    pub exempt: bool,
    /// A retention (ISR 10 %, IVA two thirds).
    pub withholding: bool,
}

/// An item of the form.
#[derive(Clone, Debug, PartialEq)]
pub struct ItemLine {
    pub quantity: Decimal,
    pub unit_price: Decimal,
    pub discount: Decimal,
    /// The unit price already holds the transferred taxes.
    pub inclusive: bool,
    pub taxes: Vec<TaxLine>,
}

/// What an item comes to.
#[derive(Clone, Debug, PartialEq)]
pub struct ItemTotals {
    /// `quantity × unit_price`.
    pub amount: Decimal,
    /// What the taxes are computed on.
    pub base: Decimal,
    /// Each tax's amount, in the item's order (zero for an exempt one).
    pub taxes: Vec<Decimal>,
}

/// What the document comes to, each figure rounded to cents.
#[derive(Clone, Debug, PartialEq)]
pub struct Totals {
    pub items: Vec<ItemTotals>,
    pub subtotal: Decimal,
    pub discount: Decimal,
    pub transferred: Decimal,
    pub withheld: Decimal,
    pub total: Decimal,
}

fn cents(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// The rule of cfdi-rules.md, "Totals of a new invoice or payment". `None` when an amount
/// overflows (an absurd quantity): the form says so instead of showing a wrong total.
pub fn compute(items: &[ItemLine]) -> Option<Totals> {
    let mut out = Vec::with_capacity(items.len());
    let (mut subtotal, mut discount, mut transferred, mut withheld) =
        (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
    for it in items {
        let gross = it.quantity.checked_mul(it.unit_price)?;
        let (amount, base) = if it.inclusive {
            // The price holds the transferred taxes: the base is what is left without them
            // (to 6 decimals, as SAT's amounts), and the amount is that base with the
            // discount, so the total equals what the prices said (the sandbox reads it so).
            let rates: Decimal = it
                .taxes
                .iter()
                .filter(|t| !t.withholding && !t.exempt)
                .map(|t| t.rate)
                .sum();
            let base = gross
                .checked_sub(it.discount)?
                .checked_div(Decimal::ONE + rates)?
                .round_dp_with_strategy(6, RoundingStrategy::MidpointAwayFromZero);
            (base.checked_add(it.discount)?, base)
        } else {
            (gross, gross.checked_sub(it.discount)?)
        };
        let mut taxes = Vec::with_capacity(it.taxes.len());
        for t in &it.taxes {
            let tax = if t.exempt {
                Decimal::ZERO
            } else {
                cents(base.checked_mul(t.rate)?)
            };
            if t.withholding {
                withheld = withheld.checked_add(tax)?;
            } else {
                transferred = transferred.checked_add(tax)?;
            }
            taxes.push(tax);
        }
        subtotal = subtotal.checked_add(amount)?;
        discount = discount.checked_add(it.discount)?;
        out.push(ItemTotals {
            amount,
            base,
            taxes,
        });
    }
    let (subtotal, discount, transferred, withheld) = (
        cents(subtotal),
        cents(discount),
        cents(transferred),
        cents(withheld),
    );
    Some(Totals {
        items: out,
        subtotal,
        discount,
        transferred,
        withheld,
        total: cents(subtotal - discount + transferred - withheld),
    })
}

/// The taxes an item can carry from the form, by name: what gigstack's integrations offer.
pub fn preset(name: &str) -> Option<Vec<TaxLine>> {
    let iva = |rate: Decimal, exempt: bool, withholding: bool| TaxLine {
        kind: "IVA",
        rate,
        exempt,
        withholding,
    };
    Some(match name {
        "IVA 16%" => vec![iva(Decimal::new(16, 2), false, false)],
        "IVA 8%" => vec![iva(Decimal::new(8, 2), false, false)],
        "IVA 0%" => vec![iva(Decimal::ZERO, false, false)],
        "Exento" => vec![iva(Decimal::ZERO, true, false)],
        // Between companies and individuals: ISR 10 % and two thirds of IVA withheld.
        "IVA 16% − ret. ISR 10% e IVA 2/3" => vec![
            iva(Decimal::new(16, 2), false, false),
            TaxLine {
                kind: "ISR",
                rate: Decimal::new(10, 2),
                exempt: false,
                withholding: true,
            },
            iva(Decimal::new(106667, 6), false, true),
        ],
        "Sin impuestos" => vec![],
        _ => return None,
    })
}

/// The presets, as a catalog the form chooses from (`(name, what it is)`).
pub const PRESETS: &[(&str, &str)] = &[
    ("IVA 16%", "tasa general"),
    ("IVA 8%", "región fronteriza"),
    ("IVA 0%", "tasa cero"),
    ("Exento", "exento de IVA"),
    (
        "IVA 16% − ret. ISR 10% e IVA 2/3",
        "persona moral a persona física",
    ),
    ("Sin impuestos", "objeto de impuesto 01"),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn item(q: &str, p: &str, taxes: &str) -> ItemLine {
        ItemLine {
            quantity: d(q),
            unit_price: d(p),
            discount: Decimal::ZERO,
            inclusive: false,
            taxes: preset(taxes).unwrap(),
        }
    }

    #[test]
    fn iva_16_on_1000_is_1160() {
        let t = compute(&[item("1", "1000", "IVA 16%")]).unwrap();
        assert_eq!(
            (t.subtotal, t.transferred, t.withheld, t.total),
            (d("1000.00"), d("160.00"), d("0"), d("1160.00"))
        );
    }

    #[test]
    fn an_exempt_item_beside_a_taxed_one_adds_no_tax() {
        let t = compute(&[item("2", "500", "IVA 16%"), item("1", "250", "Exento")]).unwrap();
        assert_eq!(t.subtotal, d("1250"));
        assert_eq!(t.transferred, d("160"));
        assert_eq!(t.total, d("1410"));
        assert_eq!(t.items[1].taxes, vec![Decimal::ZERO]);
    }

    #[test]
    fn withholdings_between_a_company_and_an_individual() {
        // 10,000 × 16 % = 1,600; ISR 10 % = 1,000; IVA 2/3: 10,000 × 0.106667 = 1,066.67.
        let t = compute(&[item("1", "10000", "IVA 16% − ret. ISR 10% e IVA 2/3")]).unwrap();
        assert_eq!(t.transferred, d("1600.00"));
        assert_eq!(t.withheld, d("2066.67"));
        assert_eq!(t.total, d("9533.33"));
    }

    #[test]
    fn each_line_is_rounded_to_cents_before_the_sum() {
        // 3 × 0.333 = 0.999; 16 % = 0.15984 → 0.16 per line; two lines → 0.32 (not 0.31968).
        let t = compute(&[item("3", "0.333", "IVA 16%"), item("3", "0.333", "IVA 16%")]).unwrap();
        assert_eq!(t.transferred, d("0.32"));
        assert_eq!(t.subtotal, d("2.00"));
    }

    #[test]
    fn an_inclusive_price_holds_the_tax() {
        let mut it = item("1", "116", "IVA 16%");
        it.inclusive = true;
        let t = compute(&[it]).unwrap();
        assert_eq!(t.items[0].base, d("100"));
        assert_eq!(t.transferred, d("16.00"));
        assert_eq!(
            (t.subtotal, t.total),
            (d("100.00"), d("116.00")),
            "what the price said"
        );
    }

    #[test]
    fn a_discount_lowers_the_base_not_the_subtotal() {
        let mut it = item("1", "1000", "IVA 16%");
        it.discount = d("100");
        let t = compute(&[it]).unwrap();
        assert_eq!((t.subtotal, t.discount), (d("1000.00"), d("100.00")));
        assert_eq!(t.transferred, d("144.00"));
        assert_eq!(t.total, d("1044.00"));
    }

    #[test]
    fn an_absurd_quantity_is_no_total_not_a_wrong_one() {
        assert!(compute(&[item("79228162514264337593543950335", "2", "IVA 16%")]).is_none());
    }

    #[test]
    fn every_preset_named_in_the_catalog_exists() {
        for (name, _) in PRESETS {
            assert!(preset(name).is_some(), "{name}");
        }
    }
}
