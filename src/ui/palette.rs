//! The `:` command palette, with the commands that match what is typed.

use crate::i18n::Lang;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use tui_input::Input;

use super::parts::clear;
use super::theme::Theme;
use crate::app::input::commands;

pub fn draw(input: &Input, lang: Lang, frame: &mut Frame, body: Rect, theme: &Theme) {
    let hints: Vec<(String, &str)> = commands::hints(input.value(), lang)
        .map(|c| (c.usage(lang), c.help.get(lang)))
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
        .title(Span::styled(
            lang.pick(" Command ", " Comando "),
            theme.title(),
        ));
    let inner = block.inner(r);
    frame.render_widget(block, r);
    let mut lines = vec![Line::from(vec![
        Span::styled(":", theme.key()),
        Span::raw(format!("{}▏", input.value())),
    ])];
    for (c, d) in hints {
        lines.push(Line::from(vec![
            Span::styled(format!("  {c:<16}"), theme.key()),
            Span::styled(d, theme.dim()),
        ]));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
