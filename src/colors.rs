//! Colour settings shared by the config, the state and the theme: how many colours the
//! terminal shows, and colour names from the config.

use ratatui::style::Color;

/// How many colours the terminal shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Palette {
    /// The 16 ANSI colours (the default: they follow the terminal's own scheme).
    #[default]
    Ansi16,
    Ansi256,
    TrueColor,
}

impl Palette {
    /// From the config's `theme` (`auto`, `16`, `256`, `truecolor`) and, for `auto`, from
    /// `COLORTERM` and `TERM`.
    pub fn choose(setting: Option<&str>, colorterm: Option<&str>, term: Option<&str>) -> Palette {
        match setting.unwrap_or("16") {
            "256" => Palette::Ansi256,
            "truecolor" | "24bit" => Palette::TrueColor,
            "auto" => match (colorterm, term) {
                (Some("truecolor" | "24bit"), _) => Palette::TrueColor,
                (_, Some(t)) if t.contains("256color") => Palette::Ansi256,
                _ => Palette::Ansi16,
            },
            _ => Palette::Ansi16,
        }
    }
}

/// `#1f4e79` or an ANSI colour name.
pub fn parse_color(text: &str) -> Option<Color> {
    text.trim().parse::<Color>().ok()
}
