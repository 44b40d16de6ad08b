//! A money field: exact decimal (never a float), read as the person typed it — `$1,450.50`
//! is 1450.50 — with at most a given number of decimals, and said in words when it is not
//! an amount.

use std::str::FromStr;

use rust_decimal::Decimal;
use tui_input::Input;

use crate::i18n::Lang;
use crate::t;

#[derive(Clone, Debug, Default)]
pub struct AmountField {
    pub input: Input,
}

impl AmountField {
    pub fn new(value: Decimal) -> Self {
        AmountField {
            input: Input::new(if value.scale() <= 2 {
                format!("{value:.2}")
            } else {
                value.normalize().to_string()
            }),
        }
    }

    /// What a refund starts with: the amount as the API keeps it, without trailing zeros.
    pub fn normalized(value: Decimal) -> Self {
        AmountField {
            input: Input::new(value.normalize().to_string()),
        }
    }

    pub fn value(&self) -> &str {
        self.input.value()
    }

    /// The amount typed, or why it is not one.
    pub fn read(&self, lang: Lang) -> Result<Decimal, String> {
        let text = self.input.value().trim().replace([',', '$'], "");
        Decimal::from_str(&text).map_err(|_| {
            t!(
                lang,
                "«{}» is not an amount.",
                "«{}» no es un monto.",
                self.input.value()
            )
        })
    }

    /// The amount typed, more than zero and in cents at most (SAT amounts have two
    /// decimals): a zero, negative or over-precise amount is said, not rounded.
    pub fn read_cents(&self, lang: Lang) -> Result<Decimal, String> {
        let amount = self.read(lang)?;
        if amount <= Decimal::ZERO {
            return Err(lang
                .pick(
                    "The amount must be more than zero.",
                    "El monto debe ser mayor que cero.",
                )
                .into());
        }
        if amount.normalize().scale() > 2 {
            return Err(t!(
                lang,
                "«{}» has more than two decimals; amounts are in cents.",
                "«{}» tiene más de dos decimales; los montos van en centavos.",
                self.input.value()
            ));
        }
        Ok(amount)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(s: &str) -> AmountField {
        AmountField {
            input: Input::new(s.into()),
        }
    }

    #[test]
    fn reads_what_people_type_exactly() {
        assert_eq!(
            field("$1,450.50").read(Lang::En),
            Ok(Decimal::new(145050, 2))
        );
        assert_eq!(field("0.1").read(Lang::En), Ok(Decimal::new(1, 1)));
        assert!(
            field("mil")
                .read(Lang::Es)
                .unwrap_err()
                .contains("no es un monto")
        );
    }

    #[test]
    fn cents_refuse_zero_negative_and_over_precise_amounts() {
        assert!(field("0").read_cents(Lang::En).is_err());
        assert!(field("-5").read_cents(Lang::En).is_err());
        let e = field("10.005").read_cents(Lang::En).unwrap_err();
        assert!(e.contains("two decimals"), "{e}");
        assert_eq!(
            field("10.50").read_cents(Lang::En),
            Ok(Decimal::new(1050, 2))
        );
    }
}
