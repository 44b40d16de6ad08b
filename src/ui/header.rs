//! The header (team name and RFC, live/test, DEMO, READ-ONLY, Connect, loading) and the
//! tab bar.

use crate::t;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Color;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::theme::Theme;
use super::{SPINNER, thousands};
use crate::app::state::{State, Tab};

pub fn draw(state: &State, frame: &mut Frame, area: Rect, theme: &Theme) {
    let mut spans = vec![Span::styled(" gigdash ", theme.team_name())];
    match state.current_team() {
        Some(t) => {
            spans.push(Span::styled(format!(" {} ", t.name), theme.team_name()));
            if !t.rfc.is_empty() {
                spans.push(Span::styled(format!("RFC {} ", t.rfc), theme.header()));
            }
        }
        None => spans.push(Span::styled(
            state.lang.pick(" connecting… ", " conectando… "),
            theme.header(),
        )),
    }
    spans.push(Span::raw(" "));
    match state.live {
        Some(true) => spans.push(Span::styled(
            state.lang.pick(" LIVE ", " PRODUCCIÓN "),
            theme.live_badge(),
        )),
        Some(false) => spans.push(Span::styled(
            state.lang.pick(" TEST ", " PRUEBAS "),
            theme.badge(Color::Yellow),
        )),
        None => {}
    }
    if state.demo {
        spans.push(Span::raw(" "));
        spans.push(Span::styled(" DEMO ", theme.badge(Color::Magenta)));
    }
    if let Some(p) = &state.profile {
        spans.push(Span::raw(" "));
        spans.push(Span::styled(format!(" {p} "), theme.badge(Color::Blue)));
    }
    if state.writes_off() {
        spans.push(Span::raw(" "));
        spans.push(Span::styled(
            state.lang.pick(" READ-ONLY ", " SOLO LECTURA "),
            theme.badge(Color::Cyan),
        ));
    }
    if state.is_connect_team() {
        spans.push(Span::raw(" "));
        spans.push(Span::styled(
            state.lang.pick(" via Connect ", " vía Connect "),
            theme.badge(Color::Green),
        ));
    }
    if state.is_loading() {
        spans.push(Span::raw(" "));
        spans.push(Span::styled(
            format!(
                "{} {}",
                SPINNER[state.spinner % SPINNER.len()],
                state.lang.pick("loading", "cargando")
            ),
            theme.accent(),
        ));
    }
    let line = Line::from(spans);
    let used = line.width() as u16;
    frame.render_widget(Paragraph::new(line), area);
    if let Some(i) = state.current_index() {
        let (n, of) = (i + 1, thousands(state.teams.len()));
        let pos = t!(state.lang, "team {n} of {of} ", "equipo {n} de {of} ");
        let w = pos.chars().count() as u16;
        if area.width > used + w {
            let r = Rect {
                x: area.x + area.width - w,
                width: w,
                ..area
            };
            frame.render_widget(Paragraph::new(Span::styled(pos, theme.dim())), r);
        }
    }
}

pub fn draw_tabs(state: &State, frame: &mut Frame, area: Rect, theme: &Theme) {
    let active = state.current_view().map(|v| v.tab).unwrap_or_default();
    let mut spans = vec![Span::raw(" ")];
    for (i, tab) in Tab::ALL.iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled(" │ ", theme.dim()));
        }
        spans.push(Span::styled(format!("{} ", i + 1), theme.key()));
        spans.push(Span::styled(
            tab.title(state.lang),
            theme.tab(*tab == active),
        ));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
