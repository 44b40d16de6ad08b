//! Cross-team find (`F`, `:find <text>`): one search over every loaded team's clients,
//! invoices and payments — by name, RFC, UUID, folio, payment id or exact amount — whose
//! results name their team; Enter jumps to that team, tab and row.

use crate::app::state::Asking;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tui_input::Input;

use crate::app::data::search::{FindHit, Query};
use crate::app::form::text::edit;
use crate::app::msg::Request;
use crate::app::state::{FindView, Popup, State};

/// `F`: the find popup.
pub fn open(state: &mut State) -> Vec<Request> {
    state.popup = Popup::Find(FindView::default());
    vec![]
}

/// `:find <text>`: searches at once.
pub fn search(state: &mut State, text: &str) -> Vec<Request> {
    let mut f = FindView {
        input: Input::new(text.to_string()),
        ..Default::default()
    };
    let reqs = ask(state, &mut f);
    state.popup = Popup::Find(f);
    reqs
}

fn ask(state: &mut State, f: &mut FindView) -> Vec<Request> {
    let Some(query) = Query::parse(f.input.value()) else {
        return vec![];
    };
    f.generation = state.asked.again(Asking::Find);
    f.searching = true;
    f.results.clear();
    f.selected = 0;
    vec![Request::Find {
        generation: f.generation,
        teams: state.teams.iter().map(|t| t.id.clone()).collect(),
        query,
    }]
}

/// Results arrived (dropped if a newer search was asked since).
pub fn on_found(
    state: &mut State,
    generation: u64,
    hits: Vec<FindHit>,
    searched: usize,
) -> Vec<Request> {
    if let Popup::Find(f) = &mut state.popup
        && f.generation == generation
    {
        f.results = hits;
        f.searching = false;
        f.searched = searched;
    }
    vec![]
}

pub fn on_key(state: &mut State, mut f: FindView, key: KeyEvent) -> Vec<Request> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    match key.code {
        KeyCode::Esc => return vec![],
        KeyCode::Down => f.selected = (f.selected + 1).min(f.results.len().saturating_sub(1)),
        KeyCode::Char('n') if ctrl => {
            f.selected = (f.selected + 1).min(f.results.len().saturating_sub(1))
        }
        KeyCode::Up => f.selected = f.selected.saturating_sub(1),
        KeyCode::Char('p') if ctrl => f.selected = f.selected.saturating_sub(1),
        KeyCode::Enter if f.asked() == f.input.value() && !f.results.is_empty() => {
            let hit = f.results[f.selected.min(f.results.len() - 1)].clone();
            return jump(state, hit);
        }
        KeyCode::Enter => {
            f.asked_text = f.input.value().to_string();
            let reqs = ask(state, &mut f);
            state.popup = Popup::Find(f);
            return reqs;
        }
        _ => {
            edit(&mut f.input, &key);
        }
    }
    state.popup = Popup::Find(f);
    vec![]
}

/// Opens the hit's team on its tab and selects its row once the rows are there.
fn jump(state: &mut State, hit: FindHit) -> Vec<Request> {
    crate::app::common::jump::jump_to(state, hit.team, hit.dataset, hit.id)
}
