//! The team switcher popup: type part of a name, RFC or id; Enter switches.

use crate::t;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::parts::{centered, clear, thousands};
use super::theme::Theme;
use crate::app::state::{State, Switcher};

pub fn draw(state: &State, s: &Switcher, frame: &mut Frame, area: Rect, theme: &Theme) {
    let matches = state.switcher_matches(s.input.value());
    let h = (matches.len() as u16 + 4).clamp(6, area.height.saturating_sub(4));
    let r = centered(area, 72, h);
    clear(frame, r);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.accent())
        .title(Span::styled(
            t!(
                state.lang,
                " Switch team ({} of {}) ",
                " Cambiar equipo ({} de {}) ",
                thousands(matches.len()),
                thousands(state.teams.len())
            ),
            theme.title(),
        ));
    let inner = block.inner(r);
    frame.render_widget(block, r);
    let mut lines = vec![Line::from(vec![
        Span::styled("› ", theme.key()),
        Span::raw(format!("{}▏", s.input.value())),
    ])];
    let room = inner.height.saturating_sub(1) as usize;
    let selected = s.selected.min(matches.len().saturating_sub(1));
    let start = selected.saturating_sub(room.saturating_sub(1));
    for (pos, i) in matches.iter().enumerate().skip(start).take(room) {
        let t = &state.teams[*i];
        let current = state.current.as_ref() == Some(&t.id);
        let text = format!(
            "{} {:<34} {:<13} {}",
            if current { "•" } else { " " },
            t.name,
            t.rfc,
            t.id
        );
        let style = if pos == selected {
            theme.selected()
        } else {
            ratatui::style::Style::default()
        };
        lines.push(Line::styled(text, style));
    }
    if matches.is_empty() {
        lines.push(Line::styled(
            state
                .lang
                .pick("  no team matches", "  ningún equipo coincide"),
            theme.dim(),
        ));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
