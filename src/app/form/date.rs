//! A date field: a calendar day in Mexico City, typed as `2026-11-28` or `28/11/2026` in
//! either language, kept as noon of that day (a date, not an instant).

use tui_input::Input;

use crate::i18n::Lang;
use crate::t;

#[derive(Clone, Debug, Default)]
pub struct DateField {
    pub input: Input,
}

impl DateField {
    /// The field showing `day` as the language writes dates.
    pub fn on(day: jiff::civil::Date, lang: Lang) -> Self {
        DateField {
            input: Input::new(lang.date(day)),
        }
    }

    pub fn value(&self) -> &str {
        self.input.value()
    }

    /// Epoch seconds at noon of the day typed (Mexico City), or why it is not a date.
    pub fn read(&self, lang: Lang) -> Result<i64, String> {
        parse_date(self.input.value(), lang)
    }
}

/// `2026-11-28` or `28/11/2026` → epoch seconds at noon, Mexico City (a date, not an
/// instant). Both forms are read in either language; the separator tells them apart.
pub fn parse_date(text: &str, lang: Lang) -> Result<i64, String> {
    let text = text.trim();
    let d = if text.contains('/') {
        jiff::civil::Date::strptime("%d/%m/%Y", text).ok()
    } else {
        text.parse::<jiff::civil::Date>().ok()
    }
    .ok_or_else(|| {
        t!(
            lang,
            "«{text}» is not a date; use YYYY-MM-DD.",
            "«{text}» no es una fecha; usa DD/MM/AAAA."
        )
    })?;
    d.at(12, 0, 0, 0)
        .to_zoned(crate::api::time::mexico_city().clone())
        .map(|z| z.timestamp().as_second())
        .map_err(|e| t!(lang, "invalid date: {e}", "fecha inválida: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_forms_read_as_noon_in_mexico_city_in_either_language() {
        // 2026-11-28 12:00 in Mexico City (UTC−6, no daylight saving since 2022) = 18:00 UTC.
        let noon = jiff::civil::date(2026, 11, 28)
            .at(18, 0, 0, 0)
            .to_zoned(jiff::tz::TimeZone::UTC)
            .unwrap()
            .timestamp()
            .as_second();
        for lang in [Lang::En, Lang::Es] {
            assert_eq!(parse_date("2026-11-28", lang), Ok(noon));
            assert_eq!(parse_date(" 28/11/2026 ", lang), Ok(noon));
        }
    }

    #[test]
    fn what_is_not_a_date_is_said_in_the_language() {
        assert!(
            parse_date("31/02/2026", Lang::En)
                .unwrap_err()
                .contains("YYYY-MM-DD")
        );
        assert!(
            parse_date("mañana", Lang::Es)
                .unwrap_err()
                .contains("DD/MM/AAAA")
        );
        assert!(parse_date("", Lang::En).is_err());
    }

    #[test]
    fn the_field_shows_the_day_as_the_language_writes_it() {
        let d = jiff::civil::date(2026, 1, 5);
        assert_eq!(DateField::on(d, Lang::En).value(), "2026-01-05");
        assert_eq!(DateField::on(d, Lang::Es).value(), "05/01/2026");
    }
}
