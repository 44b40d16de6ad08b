//! The status line (the last message or error) and the footer (the keys valid now, from
//! the key table).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::theme::Theme;
use crate::app::keymap::{BINDINGS, enabled, keys_label};
use crate::app::state::{Popup, State};

pub fn draw_status(state: &State, frame: &mut Frame, area: Rect, theme: &Theme) {
    let line = match &state.status {
        Some(s) if s.error => Line::from(vec![
            Span::styled(" ✗ ", theme.error()),
            Span::styled(s.text.clone(), theme.error()),
        ]),
        Some(s) => Line::from(vec![Span::raw(" "), Span::raw(s.text.clone())]),
        None => Line::styled(" ? shows every key", theme.dim()),
    };
    frame.render_widget(Paragraph::new(line), area);
}

/// As many `key description` pairs as fit the width, whole.
fn keys(pairs: &[(&str, &str)], width: u16, theme: &Theme) -> Line<'static> {
    let mut spans = vec![Span::raw(" ")];
    let mut used = 1;
    for (k, d) in pairs {
        let w = k.chars().count() + d.chars().count() + 3;
        if used + w > width as usize {
            break;
        }
        used += w;
        spans.push(Span::styled(k.to_string(), theme.key()));
        spans.push(Span::raw(format!(" {d}  ")));
    }
    Line::from(spans)
}

pub fn draw_keys(state: &State, frame: &mut Frame, area: Rect, theme: &Theme) {
    let keys = |pairs: &[(&str, &str)], theme: &Theme| keys(pairs, area.width, theme);
    let line = if state.filter_input.is_some() {
        keys(
            &[("Enter", "keep filter"), ("Esc", "clear"), ("↑↓", "move")],
            theme,
        )
    } else {
        match &state.popup {
            Popup::Switcher(_) => keys(
                &[
                    ("type", "name, RFC or id"),
                    ("↑↓", "choose"),
                    ("Enter", "switch"),
                    ("Esc", "close"),
                ],
                theme,
            ),
            Popup::Palette(_) => keys(
                &[("Enter", "run"), ("Esc", "close"), (":help", "commands")],
                theme,
            ),
            Popup::Help { .. } => keys(
                &[("type", "search"), ("↑↓", "scroll"), ("Esc", "close")],
                theme,
            ),
            Popup::Detail(_) => keys(&[("j k", "scroll"), ("Esc", "close")], theme),
            Popup::Action(_) => keys(
                &[
                    ("Tab", "next field"),
                    ("←→", "No / Yes"),
                    ("Enter", "confirm"),
                    ("Esc", "back out"),
                ],
                theme,
            ),
            Popup::None => {
                let labels: Vec<(String, &str)> = BINDINGS
                    .iter()
                    .filter(|b| b.footer && enabled(state, b.action).is_ok())
                    .map(|b| (keys_label(state, b), b.description))
                    .collect();
                let pairs: Vec<(&str, &str)> =
                    labels.iter().map(|(k, d)| (k.as_str(), *d)).collect();
                keys(&pairs, theme)
            }
        }
    };
    frame.render_widget(Paragraph::new(line), area);
}
