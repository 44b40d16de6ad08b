//! The language a user reads gigdash in (English or Spanish): how it is chosen, the
//! translatable text type every layer uses, and dates formatted per language. Money reads
//! `$1,234.50 MXN` in both.
//!
//! Texts live next to their use as pairs — `Tr` for fixed words (usable in `const` tables)
//! and `t!` for sentences with values — so a string cannot be added in one language only.

mod api_errors;

use jiff::civil::Date;

use crate::clock::Instant;

/// The language of every user-visible string.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    #[default]
    En,
    Es,
}

/// The config's `language`: anything `Lang::parse` reads (`es`, `es_MX`, `español`…); the
/// error, placed on its line by the config loader, says what is accepted.
impl<'de> serde::Deserialize<'de> for Lang {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Lang::parse(&text).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "language «{text}» is not one gigdash speaks: use \"es\" (Spanish) or \"en\" (English)"
            ))
        })
    }
}

/// Where the language came from, for `gigdash info`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LangSource {
    Flag,
    EnvVar(&'static str),
    Config,
    Locale(&'static str, String),
    Default,
}

impl LangSource {
    /// Where the language came from, as `gigdash info` says it: `--lang`, `LANG=es_MX.UTF-8`…
    pub fn describe(&self, lang: Lang) -> String {
        match self {
            LangSource::Flag => "--lang".to_string(),
            LangSource::EnvVar(v) => (*v).to_string(),
            LangSource::Config => lang
                .pick(
                    "the config's language",
                    "el campo language de la configuración",
                )
                .to_string(),
            LangSource::Locale(var, value) => format!("{var}={value}"),
            LangSource::Default => lang.pick("default", "por omisión").to_string(),
        }
    }
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Es => "es",
        }
    }

    /// `es`, `es_MX`, `es-MX.UTF-8`, `spanish`, `español` → Spanish; `en*`/`english` →
    /// English; anything else is not a language we speak.
    pub fn parse(text: &str) -> Option<Lang> {
        let t = text.trim().to_lowercase();
        let base = t
            .split(['_', '-', '.', '@'])
            .next()
            .unwrap_or_default()
            .to_string();
        match base.as_str() {
            "es" | "spanish" | "español" | "espanol" => Some(Lang::Es),
            "en" | "english" | "c" | "posix" => Some(Lang::En),
            _ => None,
        }
    }

    /// From the system locale, as POSIX orders it: `LC_ALL`, then `LC_MESSAGES`, then
    /// `LANG`; the first one set decides (`es_*` → Spanish, anything else English).
    pub fn from_locale(get: impl Fn(&str) -> Option<String>) -> Option<(Lang, LangSource)> {
        for var in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            if let Some(v) = get(var).filter(|v| !v.trim().is_empty()) {
                let lang = if Lang::parse(&v) == Some(Lang::Es) {
                    Lang::Es
                } else {
                    Lang::En
                };
                return Some((lang, LangSource::Locale(var, v)));
            }
        }
        None
    }

    /// First that says: `--lang`, `GIGDASH_LANG`, the config's `language`, the system
    /// locale, else English. The config beats the locale because it is a
    /// choice made for gigdash; the locale is the machine's default for everything.
    pub fn resolve(
        flag: Option<Lang>,
        config: Option<Lang>,
        get: impl Fn(&str) -> Option<String>,
    ) -> (Lang, LangSource) {
        if let Some(l) = flag {
            return (l, LangSource::Flag);
        }
        if let Some(l) = get("GIGDASH_LANG").and_then(|v| Lang::parse(&v)) {
            return (l, LangSource::EnvVar("GIGDASH_LANG"));
        }
        if let Some(l) = config {
            return (l, LangSource::Config);
        }
        Lang::from_locale(get).unwrap_or((Lang::En, LangSource::Default))
    }

    /// The English or the Spanish text.
    pub fn pick<'a>(self, en: &'a str, es: &'a str) -> &'a str {
        match self {
            Lang::En => en,
            Lang::Es => es,
        }
    }

    /// `2026-11-24 13:33` in English, `24/11/2026 13:33` in Spanish (Mexico City time).
    pub fn datetime(self, i: Instant) -> String {
        let z = i.0.to_zoned(crate::clock::mexico_city().clone());
        z.strftime(self.pick("%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"))
            .to_string()
    }

    /// `2026-11-24` in English, `24/11/2026` in Spanish.
    pub fn date(self, d: Date) -> String {
        d.strftime(self.pick("%Y-%m-%d", "%d/%m/%Y")).to_string()
    }

    /// `Nov 2026` / `nov 2026`.
    pub fn month_year(self, d: Date) -> String {
        format!("{} {}", self.month_short(d.month()), d.year())
    }

    /// `Nov` / `nov` (1 = January).
    pub fn month_short(self, month: i8) -> &'static str {
        const EN: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        const ES: [&str; 12] = [
            "ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic",
        ];
        let i = (month.clamp(1, 12) - 1) as usize;
        self.pick(EN[i], ES[i])
    }

    /// How long ago, briefly: `5s ago` / `hace 5 s`.
    pub fn ago(self, secs: u64) -> String {
        match (self, secs) {
            (Lang::En, 0..=59) => format!("{secs}s ago"),
            (Lang::En, 60..=3599) => format!("{}m ago", secs / 60),
            (Lang::En, _) => format!("{}h ago", secs / 3600),
            (Lang::Es, 0..=59) => format!("hace {secs} s"),
            (Lang::Es, 60..=3599) => format!("hace {} min", secs / 60),
            (Lang::Es, _) => format!("hace {} h", secs / 3600),
        }
    }

    pub fn yes_no(self, v: bool) -> &'static str {
        match v {
            true => self.pick("yes", "sí"),
            false => "no",
        }
    }
}

/// A fixed text in both languages; `const`, so tables of columns, keys and commands can
/// hold it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tr {
    pub en: &'static str,
    pub es: &'static str,
}

/// A text in English and in Spanish.
pub const fn tr(en: &'static str, es: &'static str) -> Tr {
    Tr { en, es }
}

impl Tr {
    pub fn get(self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.en,
            Lang::Es => self.es,
        }
    }
}

/// A sentence with values in the user's language:
/// `t!(lang, "Saved {n} files", "Se guardaron {n} archivos")`. Both texts name the same
/// values; extra arguments after the texts are passed to both.
#[macro_export]
macro_rules! t {
    ($lang:expr, $en:literal, $es:literal $(, $arg:expr)* $(,)?) => {
        match $lang {
            $crate::i18n::Lang::En => format!($en $(, $arg)*),
            $crate::i18n::Lang::Es => format!($es $(, $arg)*),
        }
    };
}

/// A key that sorts names as a Spanish speaker expects: case and accents folded
/// (Á = a, ü = u), and ñ its own letter after n («Nuevo» < «Ñandú» < «Oaxaca»).
pub fn sort_key(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars().flat_map(char::to_lowercase) {
        match c {
            'á' | 'à' | 'ä' | 'â' | 'ã' => out.push('a'),
            'é' | 'è' | 'ë' | 'ê' => out.push('e'),
            'í' | 'ì' | 'ï' | 'î' => out.push('i'),
            'ó' | 'ò' | 'ö' | 'ô' | 'õ' => out.push('o'),
            'ú' | 'ù' | 'ü' | 'û' => out.push('u'),
            'ç' => out.push('c'),
            // After every n…, before o: '{' follows 'z' in ASCII.
            'ñ' => out.push_str("n{"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |k| {
            pairs
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn locale_order_is_lc_all_then_lc_messages_then_lang() {
        let (l, s) = Lang::resolve(None, None, env(&[("LANG", "es_MX.UTF-8")]));
        assert_eq!(
            (l, s),
            (Lang::Es, LangSource::Locale("LANG", "es_MX.UTF-8".into()))
        );
        let (l, _) = Lang::resolve(
            None,
            None,
            env(&[("LANG", "es_MX.UTF-8"), ("LC_ALL", "en_US.UTF-8")]),
        );
        assert_eq!(l, Lang::En);
        let (l, _) = Lang::resolve(None, None, env(&[("LANG", "en_US"), ("LC_ALL", "es_ES")]));
        assert_eq!(l, Lang::Es);
        let (l, _) = Lang::resolve(None, None, env(&[("LC_MESSAGES", "es"), ("LANG", "C")]));
        assert_eq!(l, Lang::Es);
        assert_eq!(
            Lang::resolve(None, None, env(&[("LANG", "fr_FR.UTF-8")])).0,
            Lang::En
        );
        assert_eq!(
            Lang::resolve(None, None, env(&[])),
            (Lang::En, LangSource::Default)
        );
    }

    #[test]
    fn config_beats_locale_and_env_and_flag_beat_config() {
        let es = env(&[("LANG", "es_MX.UTF-8")]);
        assert_eq!(Lang::resolve(None, Some(Lang::En), &es).0, Lang::En);
        assert_eq!(
            Lang::resolve(
                None,
                Some(Lang::En),
                env(&[("GIGDASH_LANG", "es"), ("LANG", "C")])
            ),
            (Lang::Es, LangSource::EnvVar("GIGDASH_LANG"))
        );
        assert_eq!(
            Lang::resolve(Some(Lang::En), Some(Lang::Es), &es),
            (Lang::En, LangSource::Flag)
        );
    }

    #[test]
    fn dates_and_ages_per_language() {
        let i = Instant::from_epoch_any(1_795_548_800).unwrap();
        assert_eq!(Lang::En.datetime(i), "2026-11-24 13:33");
        assert_eq!(Lang::Es.datetime(i), "24/11/2026 13:33");
        let d = i.civil_date();
        assert_eq!(Lang::Es.date(d), "24/11/2026");
        assert_eq!(Lang::En.month_year(d), "Nov 2026");
        assert_eq!(Lang::Es.month_year(d), "nov 2026");
        assert_eq!(Lang::Es.ago(125), "hace 2 min");
        assert_eq!(Lang::En.ago(7300), "2h ago");
        let n = 3;
        assert_eq!(t!(Lang::Es, "{n} files", "{n} archivos"), "3 archivos");
    }
}
