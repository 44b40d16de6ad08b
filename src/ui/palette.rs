//! The `:` command palette, with the commands that match what is typed.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use tui_input::Input;

use super::clear;
use super::theme::Theme;
use crate::app::keymap::COMMANDS;

pub fn draw(input: &Input, frame: &mut Frame, body: Rect, theme: &Theme) {
    let typed = input.value().trim();
    let first = typed.split(' ').next().unwrap_or("");
    let hints: Vec<&(&str, &str)> = COMMANDS
        .iter()
        .filter(|(c, _)| c.starts_with(first))
        .collect();
    let h = (hints.len() as u16 + 3).min(body.height);
    let r = Rect {
        x: body.x,
        y: body.y + body.height - h,
        width: body.width,
        height: h,
    };
    clear(frame, r);
    let block = Block::default()
        .borders(Borders::TOP)
        .border_style(theme.accent())
        .title(Span::styled(" Command ", theme.title()));
    let inner = block.inner(r);
    frame.render_widget(block, r);
    let mut lines = vec![Line::from(vec![
        Span::styled(":", theme.key()),
        Span::raw(format!("{}▏", input.value())),
    ])];
    for (c, d) in hints {
        lines.push(Line::from(vec![
            Span::styled(format!("  {c:<14}"), theme.key()),
            Span::styled(d.to_string(), theme.dim()),
        ]));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
