//! Keys inside popups and text inputs: the filter line, the team switcher, the command
//! palette, help and the detail view.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tui_input::Input;

use crate::app::form::text::edit;
use crate::app::input::bindings::{self as keymap, Action};
use crate::app::input::commands::{self, Does};
use crate::app::msg::Request;
use crate::app::state::{
    DetailView, Intent, Popup, State, Switcher, complain, find_team, move_table, with_shown,
};
use crate::t;

/// `t`: the team switcher, on the current team.
pub fn open_switcher(state: &mut State) -> Vec<Request> {
    let selected = state.current_index().unwrap_or(0);
    state.popup = Popup::Switcher(Switcher {
        input: Input::default(),
        selected,
    });
    vec![]
}

/// `:`: the command palette.
pub fn open_palette(state: &mut State) -> Vec<Request> {
    state.popup = Popup::Palette(Input::default());
    vec![]
}

/// `?`: help.
pub fn open_help(state: &mut State) -> Vec<Request> {
    state.popup = Popup::Help {
        filter: Input::default(),
        scroll: 0,
    };
    vec![]
}

pub fn on_filter_key(state: &mut State, key: KeyEvent) -> Vec<Request> {
    let Some(mut input) = state.filter_input.take() else {
        return vec![];
    };
    let height = state.table_height();
    match key.code {
        KeyCode::Esc => {
            with_shown(state, |t| t.set_filter(""));
        }
        KeyCode::Enter => {}
        KeyCode::Down | KeyCode::Up => {
            let d = if key.code == KeyCode::Down { 1 } else { -1 };
            state.filter_input = Some(input);
            return move_table(state, |t| t.move_by(d), height);
        }
        _ => {
            if edit(&mut input, &key) {
                let text = input.value().to_string();
                with_shown(state, |t| t.set_filter(&text));
                move_table(state, |t| t.move_by(0), height);
            }
            state.filter_input = Some(input);
        }
    }
    vec![]
}

pub fn on_switcher_key(state: &mut State, mut s: Switcher, key: KeyEvent) -> Vec<Request> {
    let matches = state.switcher_matches(s.input.value());
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    match key.code {
        KeyCode::Esc => return vec![],
        KeyCode::Enter => {
            return match matches.get(s.selected.min(matches.len().saturating_sub(1))) {
                Some(i) if !matches.is_empty() => {
                    let id = state.teams[*i].id.clone();
                    state.intents.push(Intent::SwitchTo(id));
                    vec![]
                }
                _ => {
                    let msg = state.lang.pick("No team matches", "Ningún equipo coincide");
                    complain(state, msg);
                    state.popup = Popup::Switcher(s);
                    vec![]
                }
            };
        }
        KeyCode::Down => s.selected = (s.selected + 1).min(matches.len().saturating_sub(1)),
        KeyCode::Char('n') if ctrl => {
            s.selected = (s.selected + 1).min(matches.len().saturating_sub(1))
        }
        KeyCode::Up => s.selected = s.selected.saturating_sub(1),
        KeyCode::Char('p') if ctrl => s.selected = s.selected.saturating_sub(1),
        _ => {
            if edit(&mut s.input, &key) {
                s.selected = 0;
            }
        }
    }
    state.popup = Popup::Switcher(s);
    vec![]
}

pub fn on_palette_key(state: &mut State, mut input: Input, key: KeyEvent) -> Vec<Request> {
    match key.code {
        KeyCode::Esc => vec![],
        KeyCode::Enter => run_command(state, input.value()),
        _ => {
            edit(&mut input, &key);
            state.popup = Popup::Palette(input);
            vec![]
        }
    }
}

/// Runs a `:` command: the table (`input::commands`) says what it does, and each kind of
/// doing has its handler here.
pub fn run_command(state: &mut State, line: &str) -> Vec<Request> {
    let line = line.trim().trim_start_matches(':');
    let (word, rest) = line.split_once(' ').unwrap_or((line, ""));
    if word.is_empty() {
        return vec![];
    }
    let Some(command) = commands::lookup(word) else {
        let msg = t!(
            state.lang,
            "Unknown command «{word}»; try :help",
            "Comando desconocido «{word}»; prueba :ayuda"
        );
        complain(state, msg);
        return vec![];
    };
    let action = match command.does {
        Does::SwitchTeam => return switch_team(state, rest),
        Does::Find => {
            state.intents.push(Intent::Find(rest.to_string()));
            return vec![];
        }
        Does::Listing(kind) => {
            state.intents.push(Intent::OpenListing(kind));
            return vec![];
        }
        Does::Validate => {
            state.intents.push(Intent::Validate);
            return vec![];
        }
        Does::StampReceipt => {
            state.intents.push(Intent::StampReceipt);
            return vec![];
        }
        Does::StampReceipts => {
            state.intents.push(Intent::StampReceipts);
            return vec![];
        }
        Does::Drafts => {
            state.intents.push(Intent::Drafts);
            return vec![];
        }
        Does::Changes | Does::Since if state.teams.len() < 2 => {
            let msg = state.lang.pick(
                "The changes are the Group tab's: it needs more than one team.",
                "Los cambios son de la pestaña Grupo: necesita más de un equipo.",
            );
            complain(state, msg);
            return vec![];
        }
        Does::Changes => {
            state.intents.push(Intent::Changes);
            return vec![];
        }
        Does::Since => {
            state.intents.push(Intent::Since(rest.to_string()));
            return vec![];
        }
        Does::Drift => {
            state.intents.push(Intent::Drift);
            return vec![];
        }
        Does::TeamWrite(kind) => {
            state
                .intents
                .push(Intent::TeamWrite(kind, rest.to_string()));
            return vec![];
        }
        Does::Create(kind) => {
            state.intents.push(Intent::Create(kind));
            return vec![];
        }
        Does::RetryBulk => {
            state.intents.push(Intent::RetryBulk);
            return vec![];
        }
        Does::Refresh if matches!(rest.trim(), "all" | "todo") => {
            state.intents.push(Intent::RefreshAll);
            return vec![];
        }
        Does::Refresh => Action::Refresh,
        Does::Run(action) => action,
    };
    if let Err(why) = keymap::enabled(state, action) {
        complain(state, why.get(state.lang));
        return vec![];
    }
    state.intents.push(Intent::Run(action));
    vec![]
}

/// `:team <name>`: the team whose id, name or RFC matches, else the best fuzzy match.
fn switch_team(state: &mut State, rest: &str) -> Vec<Request> {
    if state.teams.is_empty() {
        let msg = state.lang.pick(
            "The team list has not loaded yet",
            "La lista de equipos aún no carga",
        );
        complain(state, msg);
        return vec![];
    }
    match find_team(state, rest) {
        Some(i) => {
            let id = state.teams[i].id.clone();
            state.intents.push(Intent::SwitchTo(id));
        }
        None => {
            let rest = rest.trim();
            let msg = t!(
                state.lang,
                "No team matches «{rest}»",
                "Ningún equipo coincide con «{rest}»"
            );
            complain(state, msg);
        }
    }
    vec![]
}

pub fn on_help_key(
    state: &mut State,
    mut filter: Input,
    mut scroll: u16,
    key: KeyEvent,
) -> Vec<Request> {
    match key.code {
        KeyCode::Esc => return vec![],
        KeyCode::Char('?') if filter.value().is_empty() => return vec![],
        KeyCode::Down => scroll = scroll.saturating_add(1),
        KeyCode::Up => scroll = scroll.saturating_sub(1),
        _ => {
            if edit(&mut filter, &key) {
                scroll = 0;
            }
        }
    }
    state.popup = Popup::Help { filter, scroll };
    vec![]
}

pub fn on_detail_key(state: &mut State, mut d: DetailView, key: KeyEvent) -> Vec<Request> {
    match key.code {
        KeyCode::Esc | KeyCode::Enter | KeyCode::Char('q') => return vec![],
        KeyCode::Char('j') | KeyCode::Down => d.scroll = d.scroll.saturating_add(1),
        KeyCode::Char('k') | KeyCode::Up => d.scroll = d.scroll.saturating_sub(1),
        KeyCode::PageDown => d.scroll = d.scroll.saturating_add(10),
        KeyCode::PageUp => d.scroll = d.scroll.saturating_sub(10),
        KeyCode::Char('g') => d.scroll = 0,
        _ => {}
    }
    state.popup = Popup::Detail(d);
    vec![]
}
