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
