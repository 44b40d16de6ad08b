//! Styles: the 16 ANSI colours by default; with `NO_COLOR`, no colour at all, with bold
//! and reverse keeping every state visible.

use ratatui::style::{Color, Modifier, Style};

use crate::app::rows::Tone;

#[derive(Clone, Copy, Debug)]
pub struct Theme {
    pub no_color: bool,
}

impl Theme {
    pub fn new(no_color: bool) -> Self {
        Theme { no_color }
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
            Style::default().bg(Color::Blue).fg(Color::White)
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
