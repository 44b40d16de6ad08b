//! `?` help, generated from the key table: every binding, whether it works now and why not,
//! and the palette commands; type to search.

use crate::t;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use tui_input::Input;

use super::parts::{centered, clear};
use super::theme::Theme;
use crate::app::input::bindings::{BINDINGS, enabled, keys_label};
use crate::app::input::commands::COMMANDS;
use crate::app::state::State;

pub fn draw(
    state: &State,
    filter: &Input,
    scroll: u16,
    frame: &mut Frame,
    area: Rect,
    theme: &Theme,
) {
    let r = centered(
        area,
        area.width.saturating_sub(8).clamp(76, 100),
        area.height.saturating_sub(4),
    );
    clear(frame, r);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.accent())
        .title(Span::styled(
            state.lang.pick(" Help — keys ", " Ayuda — teclas "),
            theme.title(),
        ));
    let inner = block.inner(r);
    frame.render_widget(block, r);
    let l = state.lang;
    let q = filter.value().to_lowercase();
    let hit = |a: &str, b: &str| {
        q.is_empty() || a.to_lowercase().contains(&q) || b.to_lowercase().contains(&q)
    };
    let mut lines = vec![
        Line::from(vec![
            Span::styled(state.lang.pick("search: ", "buscar: "), theme.dim()),
            Span::raw(format!("{}▏", filter.value())),
        ]),
        Line::raw(""),
    ];
    for b in BINDINGS
        .iter()
        .filter(|b| hit(&keys_label(state, b), b.description.get(l)))
    {
        let spans = vec![
            Span::styled(format!("  {:<22} ", keys_label(state, b)), theme.key()),
            Span::raw(b.description.get(l)),
        ];
        let reason = enabled(state, b.action).err().map(|why| {
            let why = why.get(l);
            t!(l, "(not now: {why})", "(ahora no: {why})")
        });
        let line = Line::from(spans);
        match reason {
            // Beside the description when it fits, else on its own line under it.
            Some(r) if line.width() + 2 + r.chars().count() <= inner.width as usize => {
                let mut spans = line.spans;
                spans.push(Span::styled(format!("  {r}"), theme.dim()));
                lines.push(Line::from(spans));
            }
            Some(r) => {
                lines.push(line);
                lines.push(Line::styled(format!("    {r}"), theme.dim()));
            }
            None => lines.push(line),
        }
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        l.pick("  Commands (:)", "  Comandos (:)"),
        theme.title(),
    ));
    for (c, d) in COMMANDS
        .iter()
        .map(|c| (c.usage(l), c.help.get(l)))
        .filter(|(c, d)| hit(c, d))
    {
        // A description longer than the popup ends in `…` rather than mid-word.
        let room = (inner.width as usize).saturating_sub(19);
        lines.push(Line::from(vec![
            Span::styled(format!("  :{c:<16}"), theme.key()),
            Span::raw(super::parts::fit_end(d, room)),
        ]));
    }
    frame.render_widget(Paragraph::new(lines).scroll((scroll, 0)), inner);
}
