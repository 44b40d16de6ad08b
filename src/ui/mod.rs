//! Drawing only: `draw(&State, &mut Frame)`, one file per panel or popup. Reads state,
//! never changes it, never does IO.

mod branches;
mod changes;
mod create;
mod created;
mod detail;
mod dialog;
mod find;
mod footer;
pub mod form;
mod group;
mod header;
mod help;
mod listing;
mod overview;
mod palette;
mod parts;
pub mod qr;
mod switcher;
mod table;
pub mod theme;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

use crate::app::state::{Popup, State, Tab};
use crate::i18n::Lang;
use crate::t;
pub use parts::thousands;
use theme::Theme;

pub fn draw(state: &State, frame: &mut Frame) {
    let area = frame.area();
    let accent = state
        .current
        .as_ref()
        .and_then(|t| state.team_colors.get(t).copied())
        .or(state.accent);
    let theme = Theme::with(state.no_color, state.palette, accent);
    if state.too_small() {
        draw_too_small(state.lang, frame, area, &theme);
        return;
    }
    let [head, tabs, body, status, foot] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(3),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    header::draw(state, frame, head, &theme);
    header::draw_tabs(state, frame, tabs, &theme);
    draw_body(state, frame, body, &theme);
    footer::draw_status(state, frame, status, &theme);
    footer::draw_keys(state, frame, foot, &theme);
    match &state.popup {
        Popup::None => {}
        Popup::Switcher(s) => switcher::draw(state, s, frame, area, &theme),
        Popup::Palette(input) => palette::draw(input, state.lang, frame, body, &theme),
        Popup::Help { filter, scroll } => help::draw(state, filter, *scroll, frame, area, &theme),
        Popup::Detail(d) => detail::draw(state, d, frame, area, &theme),
        Popup::Find(f) => find::draw(state, f, frame, area, &theme),
        Popup::Listing(v) => listing::draw(state, v, frame, area, &theme),
        Popup::Action(d) => dialog::draw(d, frame, area, &theme),
        Popup::Create(f) => create::draw(f, frame, area, &theme),
        Popup::Created(c) => created::draw_created(c, state.lang, frame, area, &theme),
        Popup::Drafts(v) => created::draw_drafts(v, state.lang, frame, area, &theme),
        Popup::Changes(v) => changes::draw_list(state, v, frame, area, &theme),
        Popup::Text(v) => branches::draw_text(v, frame, area, &theme),
    }
}

fn draw_body(state: &State, frame: &mut Frame, area: Rect, theme: &Theme) {
    let l = state.lang;
    if state.branches.open {
        branches::draw(state, frame, area, theme);
        return;
    }
    if state.group.open {
        if state.group.changes.on {
            changes::draw_table(state, frame, area, theme);
        } else {
            group::draw(state, frame, area, theme);
        }
        return;
    }
    let Some(view) = state.current_view() else {
        if let Some(e) = &state.teams_error {
            table::message(frame, area, e, theme, true);
            return;
        }
        let text = if state.teams_loading {
            l.pick(
                "Connecting to gigstack and listing teams…",
                "Conectando con gigstack y listando equipos…",
            )
        } else {
            l.pick(
                "No team selected. Press t to choose one, or r to retry.",
                "Ningún equipo seleccionado. Pulsa t para elegir uno, o r para reintentar.",
            )
        };
        table::message(frame, area, text, theme, false);
        return;
    };
    if let Some(err) = &view.error {
        table::message(
            frame,
            area,
            &t!(
                l,
                "{err}\n\nPress [ or ] for another team, r to retry.",
                "{err}\n\nPulsa [ o ] para otro equipo, r para reintentar."
            ),
            theme,
            true,
        );
        return;
    }
    let filter_typing = state.filter_input.as_ref().map(|i| i.value());
    let noun = view.tab.title(l).to_lowercase();
    let noun = noun.as_str();
    if state.scope.on {
        let all = &state.scope;
        match view.tab {
            Tab::Overview => overview::draw(state, view, frame, area, theme),
            Tab::Clients => {
                table::draw(state, &all.clients, noun, filter_typing, frame, area, theme)
            }
            Tab::Invoices => table::draw(
                state,
                &all.invoices,
                noun,
                filter_typing,
                frame,
                area,
                theme,
            ),
            Tab::Payments => table::draw(
                state,
                &all.payments,
                noun,
                filter_typing,
                frame,
                area,
                theme,
            ),
            Tab::Receipts => table::draw(
                state,
                &all.receipts,
                noun,
                filter_typing,
                frame,
                area,
                theme,
            ),
        }
        return;
    }
    match view.tab {
        Tab::Overview => overview::draw(state, view, frame, area, theme),
        Tab::Clients => table::draw(
            state,
            &view.clients,
            noun,
            filter_typing,
            frame,
            area,
            theme,
        ),
        Tab::Invoices => table::draw(
            state,
            &view.invoices,
            noun,
            filter_typing,
            frame,
            area,
            theme,
        ),
        Tab::Payments => table::draw(
            state,
            &view.payments,
            noun,
            filter_typing,
            frame,
            area,
            theme,
        ),
        Tab::Receipts => table::draw(
            state,
            &view.receipts,
            noun,
            filter_typing,
            frame,
            area,
            theme,
        ),
    }
}

fn draw_too_small(l: Lang, frame: &mut Frame, area: Rect, theme: &Theme) {
    let (w, h) = (area.width, area.height);
    let text = vec![
        Line::styled(
            l.pick("Terminal too small", "Terminal demasiado pequeña"),
            theme.error(),
        ),
        Line::from(t!(
            l,
            "{w}×{h} — gigdash needs at least 80×24.",
            "{w}×{h} — gigdash necesita al menos 80×24."
        )),
        Line::from(l.pick(
            "Enlarge the window; q quits.",
            "Agranda la ventana; q sale.",
        )),
    ];
    frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
}
