//! Styles: the 16 ANSI colours by default; with `NO_COLOR`, no colour at all, with bold
//! and reverse keeping every state visible.

use ratatui::style::{Color, Modifier, Style};

use crate::app::data::documents::Tone;
pub use crate::colors::{Palette, parse_color};

#[derive(Clone, Copy, Debug)]
pub struct Theme {
    pub no_color: bool,
    pub palette: Palette,
    /// The profile's or team's colour for the header, so production is recognisable.
    pub accent: Option<Color>,
}

impl Theme {
    pub fn new(no_color: bool) -> Self {
        Theme {
            no_color,
            palette: Palette::Ansi16,
            accent: None,
        }
    }

    pub fn with(no_color: bool, palette: Palette, accent: Option<Color>) -> Self {
        Theme {
            no_color,
            palette,
            accent,
        }
    }

    fn header_bg(&self) -> Color {
        if let Some(a) = self.accent {
            return a;
        }
        match self.palette {
            Palette::Ansi16 => Color::Blue,
            Palette::Ansi256 => Color::Indexed(24),
            Palette::TrueColor => Color::Rgb(0x1f, 0x4e, 0x79),
        }
    }

    fn fg(&self, c: Color) -> Style {
        if self.no_color {
            Style::default()
        } else {
            Style::default().fg(c)
        }
    }

    pub fn header(&self) -> Style {
        if self.no_color {
            Style::default().add_modifier(Modifier::REVERSED)
        } else {
            Style::default().bg(self.header_bg()).fg(Color::White)
        }
    }
    pub fn team_name(&self) -> Style {
        self.header().add_modifier(Modifier::BOLD)
    }
    pub fn badge(&self, c: Color) -> Style {
        if self.no_color {
            Style::default().add_modifier(Modifier::BOLD)
        } else {
            Style::default()
                .bg(c)
                .fg(Color::Black)
                .add_modifier(Modifier::BOLD)
        }
    }
    pub fn live_badge(&self) -> Style {
        if self.no_color {
            Style::default().add_modifier(Modifier::BOLD | Modifier::REVERSED)
        } else {
            Style::default()
                .bg(Color::Red)
                .fg(Color::White)
                .add_modifier(Modifier::BOLD)
        }
    }
    pub fn tab(&self, active: bool) -> Style {
        if active {
            self.fg(Color::Yellow)
                .add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
        } else {
            self.fg(Color::Gray)
        }
    }
    pub fn selected(&self) -> Style {
        Style::default().add_modifier(Modifier::REVERSED | Modifier::BOLD)
    }
    pub fn column_title(&self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }
    pub fn border(&self) -> Style {
        self.fg(Color::DarkGray)
    }
    pub fn title(&self) -> Style {
        Style::default().add_modifier(Modifier::BOLD)
    }
    pub fn tone(&self, t: Tone) -> Style {
        match t {
            Tone::Good => self.fg(Color::Green),
            Tone::Warn => self.fg(Color::Yellow).add_modifier(if self.no_color {
                Modifier::BOLD
            } else {
                Modifier::empty()
            }),
            Tone::Bad => self.fg(Color::Red).add_modifier(if self.no_color {
                Modifier::CROSSED_OUT
            } else {
                Modifier::empty()
            }),
            Tone::Muted => self.fg(Color::DarkGray),
        }
    }
    pub fn error(&self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }
    pub fn key(&self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }
    pub fn dim(&self) -> Style {
        self.fg(Color::DarkGray)
    }
    pub fn accent(&self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }
    pub fn chart(&self) -> Style {
        self.fg(Color::Green)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn palette_follows_the_setting_then_the_terminal() {
        assert_eq!(
            Palette::choose(None, Some("truecolor"), None),
            Palette::Ansi16,
            "16 colours unless asked"
        );
        assert_eq!(
            Palette::choose(Some("auto"), Some("truecolor"), None),
            Palette::TrueColor
        );
        assert_eq!(
            Palette::choose(Some("auto"), None, Some("xterm-256color")),
            Palette::Ansi256
        );
        assert_eq!(
            Palette::choose(Some("auto"), None, Some("vt100")),
            Palette::Ansi16
        );
        assert_eq!(Palette::choose(Some("256"), None, None), Palette::Ansi256);
        assert_eq!(parse_color("#ff8800"), Some(Color::Rgb(0xff, 0x88, 0x00)));
        assert_eq!(parse_color("red"), Some(Color::Red));
    }

    #[test]
    fn no_color_wins_over_every_palette_and_accent() {
        let t = Theme::with(true, Palette::TrueColor, Some(Color::Red));
        assert_eq!(t.header().fg, None);
        assert_eq!(t.header().bg, None);
    }
}
