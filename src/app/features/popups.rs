//! Keys inside popups and text inputs: the filter line, the team switcher, the command
//! palette, help and the detail view.

use crate::app::state::Asking;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tui_input::Input;

use crate::app::data::account::{ListingKind, ListingView};
use crate::app::form::text::edit;
use crate::app::input::bindings::{self as keymap, Action};
use crate::app::input::commands::{self, Does};
use crate::app::msg::{Dataset, Request};
use crate::app::state::{
    DetailView, Intent, Popup, State, Switcher, complain, find_team, move_table, say, with_shown,
};
use crate::t;

/// `:users` / `:services`: the current team's list in a popup, asked for now.
pub fn open_listing(state: &mut State, kind: ListingKind) -> Vec<Request> {
    let Some(team) = state.current.clone() else {
        let msg = state
            .lang
            .pick("No team selected", "Ningún equipo seleccionado");
        complain(state, msg);
        return vec![];
    };
    let team_name = if kind == ListingKind::Month {
        // Every team's: it names the month (Mexico City) instead.
        let now = state.current_view().map(|v| v.now).unwrap_or(0);
        crate::app::data::complements::local_date(now)
            .map(|d| format!("{:04}-{:02}", d.year(), d.month()))
            .unwrap_or_default()
    } else {
        state
            .current_team()
            .map(|t| t.name.clone())
            .unwrap_or_default()
    };
    state.popup = Popup::Listing(ListingView {
        kind,
        team: team.clone(),
        team_name,
        rows: None,
        scroll: 0,
    });
    if kind == ListingKind::Complements {
        // From the team's own rows: shown at once when they are loaded, else when they come.
        let mut reqs = crate::app::common::load::load_tab_datasets(
            state,
            &[Dataset::Invoices, Dataset::Payments],
        );
        crate::app::common::owed::refresh_open(state);
        if matches!(&state.popup, Popup::Listing(l) if l.rows.is_some()) {
            reqs.clear();
        }
        return reqs;
    }
    vec![Request::LoadListing { team, kind }]
}

/// `:validate`: every client of this team (or of every team, in the all-teams scope)
/// checked by gigstack; progress in the status line, the failing ones listed at the end.
fn start_fiscal_check(state: &mut State) -> Vec<Request> {
    let teams: Vec<crate::api::TeamId> = if state.scope.on {
        state.teams.iter().map(|t| t.id.clone()).collect()
    } else {
        state.current.iter().cloned().collect()
    };
    if teams.is_empty() {
        let msg = state
            .lang
            .pick("No team selected", "Ningún equipo seleccionado");
        complain(state, msg);
        return vec![];
    }
    if state.offline {
        let msg = state.lang.pick(
            "offline: the fiscal check needs gigstack",
            "sin conexión: la revisión fiscal necesita a gigstack",
        );
        complain(state, msg);
        return vec![];
    }
    let generation = state.asked.again(Asking::Fiscal);
    state.fiscal.run = Some((generation, teams.clone()));
    let n = teams.len();
    let msg = t!(
        state.lang,
        "Checking the clients' fiscal data of {n} team(s)…",
        "Revisando los datos fiscales de los clientes de {n} equipo(s)…"
    );
    say(state, msg);
    vec![Request::Validate { generation, teams }]
}

/// Keys in the list popup: scroll, Esc or Enter closes. In `:complements` the highlighted
/// row moves and Enter issues its complement.
pub fn on_listing_key(state: &mut State, mut l: ListingView, key: KeyEvent) -> Vec<Request> {
    if l.kind == ListingKind::Complements {
        let last = match &l.rows {
            Some(Ok(rows)) => rows.len().saturating_sub(1) as u16,
            _ => 0,
        };
        match key.code {
            KeyCode::Esc | KeyCode::Char('q') => return vec![],
            KeyCode::Enter => {
                if matches!(&l.rows, Some(Ok(rows)) if !rows.is_empty()) {
                    state
                        .intents
                        .push(Intent::IssueComplement(l.scroll as usize));
                    return vec![];
                }
                return vec![];
            }
            KeyCode::Char('j') | KeyCode::Down => l.scroll = (l.scroll + 1).min(last),
            KeyCode::Char('k') | KeyCode::Up => l.scroll = l.scroll.saturating_sub(1),
            KeyCode::PageDown => l.scroll = l.scroll.saturating_add(10).min(last),
            KeyCode::PageUp => l.scroll = l.scroll.saturating_sub(10),
            KeyCode::Char('g') => l.scroll = 0,
            KeyCode::Char('G') => l.scroll = last,
            _ => {}
        }
        state.popup = Popup::Listing(l);
        return vec![];
    }
    match key.code {
        KeyCode::Esc | KeyCode::Enter | KeyCode::Char('q') => return vec![],
        KeyCode::Char('j') | KeyCode::Down => l.scroll = l.scroll.saturating_add(1),
        KeyCode::Char('k') | KeyCode::Up => l.scroll = l.scroll.saturating_sub(1),
        KeyCode::PageDown => l.scroll = l.scroll.saturating_add(10),
        KeyCode::PageUp => l.scroll = l.scroll.saturating_sub(10),
        KeyCode::Char('g') => l.scroll = 0,
        _ => {}
    }
    state.popup = Popup::Listing(l);
    vec![]
}

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
        Does::Listing(kind) => return open_listing(state, kind),
        Does::Validate => return start_fiscal_check(state),
        Does::StampReceipt => {
            state.intents.push(Intent::StampReceipt);
            return vec![];
        }
        Does::StampReceipts => {
            state.intents.push(Intent::StampReceipts);
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
