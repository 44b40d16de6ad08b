//! `update`: the only place state changes. Turns key presses and worker updates into new
//! state and the requests the worker should run. No IO, no clock, no terminal.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use tui_input::Input;

use super::keymap::{self, Action};
use super::rows::Row;
use super::state::{DetailView, Popup, State, Status, Switcher, Tab};
use super::table::Table;
use super::{Dataset, Msg, Request};
use crate::t;

use super::arrivals::on_update;
pub use super::popups::{edit, run_command};
use super::popups::{on_detail_key, on_filter_key, on_help_key, on_palette_key, on_switcher_key};
pub use super::switching::switch_to;
use super::switching::{LoadMode, load_tab};

/// The requests to send when the dashboard starts.
pub fn init(_state: &mut State) -> Vec<Request> {
    vec![Request::LoadTeams]
}

pub fn update(state: &mut State, msg: Msg) -> Vec<Request> {
    match msg {
        Msg::Quit => quit(state),
        Msg::Resize(w, h) => {
            state.size = (w, h);
            let height = state.table_height();
            if let Some(v) = state.current_view_mut() {
                v.clients.scroll_into_view(height);
                v.invoices.scroll_into_view(height);
                v.payments.scroll_into_view(height);
            }
            vec![]
        }
        Msg::Tick => {
            state.spinner = state.spinner.wrapping_add(1);
            vec![]
        }
        Msg::Worker(u) => on_update(state, *u),
        Msg::Scroll(d) if matches!(state.popup, Popup::None) => {
            let height = state.table_height();
            move_table(state, |t| t.move_by(d as isize * 3), height)
        }
        Msg::Click { row } if matches!(state.popup, Popup::None) => {
            // Table rows start below the header, the tabs, the top border and the titles.
            const FIRST_ROW: u16 = 4;
            let height = state.table_height();
            if row >= FIRST_ROW && ((row - FIRST_ROW) as usize) < height {
                let target = (row - FIRST_ROW) as usize;
                move_table(state, |t| t.click(target), height);
            }
            vec![]
        }
        Msg::Scroll(_) | Msg::Click { .. } => vec![],
        Msg::Key(k) if k.kind == KeyEventKind::Release => vec![],
        Msg::Key(k) => on_key(state, k),
    }
}

pub(super) fn quit(state: &mut State) -> Vec<Request> {
    state.quit = true;
    vec![Request::Quit]
}

pub(super) fn say(state: &mut State, text: impl Into<String>) {
    state.status = Some(Status {
        text: text.into(),
        error: false,
    });
}

pub(super) fn complain(state: &mut State, text: impl Into<String>) {
    state.status = Some(Status {
        text: text.into(),
        error: true,
    });
}

// ---------------------------------------------------------------- keys

pub(super) fn on_key(state: &mut State, key: KeyEvent) -> Vec<Request> {
    if key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL) {
        return quit(state);
    }
    if state.filter_input.is_some() {
        return on_filter_key(state, key);
    }
    match std::mem::take(&mut state.popup) {
        Popup::None => {}
        Popup::Switcher(s) => return on_switcher_key(state, s, key),
        Popup::Palette(p) => return on_palette_key(state, p, key),
        Popup::Help { filter, scroll } => return on_help_key(state, filter, scroll, key),
        Popup::Detail(d) => return on_detail_key(state, d, key),
        Popup::Action(d) => return super::writes::on_key(state, *d, key),
    }
    if key.code == KeyCode::Esc {
        // Esc in the main view clears a filter that is still applied.
        if let Some(filter) = current_filter(state)
            && !filter.is_empty()
        {
            with_table(
                state,
                |t| t.set_filter(""),
                |t| t.set_filter(""),
                |t| t.set_filter(""),
            );
            let msg = state.lang.pick("Filter cleared", "Filtro borrado");
            say(state, msg);
        }
        return vec![];
    }
    let Some(action) = keymap::action_for(state, &key) else {
        return vec![];
    };
    if let Err(why) = keymap::enabled(state, action) {
        complain(state, why.get(state.lang));
        return vec![];
    }
    run(state, action)
}

pub(super) fn run(state: &mut State, action: Action) -> Vec<Request> {
    let height = state.table_height();
    match action {
        Action::Quit => quit(state),
        Action::TeamSwitcher => {
            let selected = state.current_index().unwrap_or(0);
            state.popup = Popup::Switcher(Switcher {
                input: Input::default(),
                selected,
            });
            vec![]
        }
        Action::PrevTeam | Action::NextTeam => {
            let n = state.teams.len();
            let i = state.current_index().unwrap_or(0);
            let next = if action == Action::NextTeam {
                (i + 1) % n
            } else {
                (i + n - 1) % n
            };
            let id = state.teams[next].id.clone();
            switch_to(state, id)
        }
        Action::GoTab(tab) => go_tab(state, tab),
        Action::NextTab | Action::PrevTab => {
            let cur = state
                .current_view()
                .map(|v| v.tab)
                .unwrap_or_default()
                .index();
            let next = if action == Action::NextTab {
                (cur + 1) % 4
            } else {
                (cur + 3) % 4
            };
            go_tab(state, Tab::ALL[next])
        }
        Action::Down => move_table(state, |t| t.move_by(1), height),
        Action::Up => move_table(state, |t| t.move_by(-1), height),
        Action::PageDown => move_table(state, |t| t.move_by(height.max(1) as isize), height),
        Action::PageUp => move_table(state, |t| t.move_by(-(height.max(1) as isize)), height),
        Action::Top => move_table(state, |t| t.top(), height),
        Action::Bottom => move_table(state, |t| t.bottom(), height),
        Action::Open => open_detail(state),
        Action::Filter => {
            let f = current_filter(state).unwrap_or_default();
            state.filter_input = Some(Input::new(f));
            vec![]
        }
        Action::Sort => {
            with_table(
                state,
                |t| t.cycle_sort(),
                |t| t.cycle_sort(),
                |t| t.cycle_sort(),
            );
            move_table(state, |_| {}, height)
        }
        Action::SortReverse => {
            with_table(
                state,
                |t| t.reverse_sort(),
                |t| t.reverse_sort(),
                |t| t.reverse_sort(),
            );
            move_table(state, |_| {}, height)
        }
        Action::Palette => {
            state.popup = Popup::Palette(Input::default());
            vec![]
        }
        Action::Refresh => {
            if state.current.is_none() {
                state.teams_loading = true;
                return vec![Request::LoadTeams];
            }
            let msg = state.lang.pick("Refreshing…", "Actualizando…");
            say(state, msg);
            load_tab(state, LoadMode::Force)
        }
        Action::MarkPaid => super::writes::open(state, super::actions::WriteKind::MarkPaid),
        Action::Refund => super::writes::open(state, super::actions::WriteKind::Refund),
        Action::Cancel => {
            let kind = if state.current_view().map(|v| v.tab) == Some(Tab::Invoices) {
                super::actions::WriteKind::CancelInvoice
            } else {
                super::actions::WriteKind::CancelPayment
            };
            super::writes::open(state, kind)
        }
        Action::Export => {
            let Some(v) = state.current_view() else {
                return vec![];
            };
            let lang = state.lang;
            let (csv, rows) = match v.tab {
                Tab::Clients => (v.clients.to_csv(lang), v.clients.view.len()),
                Tab::Invoices => (v.invoices.to_csv(lang), v.invoices.view.len()),
                Tab::Payments => (v.payments.to_csv(lang), v.payments.view.len()),
                Tab::Overview => return vec![],
            };
            let name = v.tab.title(lang).to_lowercase();
            let team_name = state
                .current_team()
                .map(|t| t.name.clone())
                .unwrap_or_default();
            let msg = t!(
                lang,
                "Exporting {rows} {name} as shown…",
                "Exportando {rows} {name} como se ven…"
            );
            say(state, msg);
            vec![Request::ExportTable {
                team_name,
                name,
                csv,
            }]
        }
        Action::Mark => {
            with_table(state, |_| {}, |t| t.toggle_mark(), |t| t.toggle_mark());
            move_table(state, |t| t.move_by(1), height)
        }
        Action::Copy => {
            let Some(v) = state.current_view() else {
                return vec![];
            };
            let id = match v.tab {
                Tab::Clients => v.clients.selected_row().map(|r| r.id().to_string()),
                Tab::Invoices => v.invoices.selected_row().map(|r| r.id().to_string()),
                Tab::Payments => v.payments.selected_row().map(|r| r.id().to_string()),
                Tab::Overview => None,
            };
            match id {
                Some(text) => {
                    let msg = t!(
                        state.lang,
                        "Copied {text} to the clipboard (OSC 52)",
                        "Se copió {text} al portapapeles (OSC 52)"
                    );
                    say(state, msg);
                    vec![Request::Copy { text }]
                }
                None => vec![],
            }
        }
        Action::Download => {
            let (Some(team), Some(v)) = (state.current.clone(), state.current_view()) else {
                return vec![];
            };
            let Some(row) = v.invoices.selected_row() else {
                return vec![];
            };
            let (uuid, folio) = (row.uuid().to_string(), row.folio().to_string());
            let team_name = state
                .current_team()
                .map(|t| t.name.clone())
                .unwrap_or_default();
            let msg = t!(
                state.lang,
                "Downloading the PDF and XML of {folio}…",
                "Descargando el PDF y el XML de {folio}…"
            );
            say(state, msg);
            vec![Request::Download {
                team,
                team_name,
                uuid,
                folio,
            }]
        }
        Action::Help => {
            state.popup = Popup::Help {
                filter: Input::default(),
                scroll: 0,
            };
            vec![]
        }
    }
}

pub(super) fn go_tab(state: &mut State, tab: Tab) -> Vec<Request> {
    let Some(view) = state.current_view_mut() else {
        return vec![];
    };
    view.tab = tab;
    load_tab(state, LoadMode::Missing)
}

pub(super) fn with_table(
    state: &mut State,
    c: impl FnOnce(&mut Table<super::ClientRow>),
    i: impl FnOnce(&mut Table<super::InvoiceRow>),
    p: impl FnOnce(&mut Table<super::PaymentRow>),
) {
    if let Some(v) = state.current_view_mut() {
        match v.tab {
            Tab::Clients => c(&mut v.clients),
            Tab::Invoices => i(&mut v.invoices),
            Tab::Payments => p(&mut v.payments),
            Tab::Overview => {}
        }
    }
}

pub(super) fn move_table(
    state: &mut State,
    f: impl Fn(&mut dyn Mover),
    height: usize,
) -> Vec<Request> {
    with_table(
        state,
        |t| {
            f(t);
            t.scroll_into_view(height)
        },
        |t| {
            f(t);
            t.scroll_into_view(height)
        },
        |t| {
            f(t);
            t.scroll_into_view(height)
        },
    );
    vec![]
}

/// The movement operations, object-safe so one closure serves every table type.
pub trait Mover {
    fn move_by(&mut self, delta: isize);
    /// Selects the row shown `row` lines below the top of the window.
    fn click(&mut self, row: usize);
    fn top(&mut self);
    fn bottom(&mut self);
}

impl<R: Row> Mover for Table<R> {
    fn move_by(&mut self, delta: isize) {
        Table::move_by(self, delta)
    }
    fn click(&mut self, row: usize) {
        let target = self.offset + row;
        if target < self.view.len() {
            self.selected = target;
        }
    }
    fn top(&mut self) {
        Table::top(self)
    }
    fn bottom(&mut self) {
        Table::bottom(self)
    }
}

pub(super) fn current_filter(state: &State) -> Option<String> {
    let v = state.current_view()?;
    Some(match v.tab {
        Tab::Clients => v.clients.filter.clone(),
        Tab::Invoices => v.invoices.filter.clone(),
        Tab::Payments => v.payments.filter.clone(),
        Tab::Overview => return None,
    })
}

pub(super) fn open_detail(state: &mut State) -> Vec<Request> {
    let Some(v) = state.current_view() else {
        return vec![];
    };
    let (dataset, id) = match v.tab {
        Tab::Clients => (
            Dataset::Clients,
            v.clients.selected_row().map(|r| r.id().to_string()),
        ),
        Tab::Invoices => (
            Dataset::Invoices,
            v.invoices.selected_row().map(|r| r.id().to_string()),
        ),
        Tab::Payments => (
            Dataset::Payments,
            v.payments.selected_row().map(|r| r.id().to_string()),
        ),
        Tab::Overview => return vec![],
    };
    let Some(id) = id else {
        let msg = state.lang.pick("Nothing selected", "Nada seleccionado");
        complain(state, msg);
        return vec![];
    };
    let Some(team) = state.current.clone() else {
        return vec![];
    };
    state.popup = Popup::Detail(DetailView {
        dataset,
        id: id.clone(),
        result: None,
        scroll: 0,
    });
    vec![Request::Detail {
        team,
        generation: state.generation,
        dataset,
        id,
    }]
}
