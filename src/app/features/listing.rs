//! A team's lists in a popup (`:users`, `:services`, `:complements`, `:month`): opened on
//! the current team and asked for at once (or, for complements, made from the team's own
//! rows), scrolled, and in `:complements` Enter issues the highlighted one.

use crossterm::event::{KeyCode, KeyEvent};

use crate::app::data::account::{ListingKind, ListingView};
use crate::app::msg::{Dataset, Request};
use crate::app::state::{Intent, Popup, State, complain};

/// `:users` / `:services`: the current team's list in a popup, asked for now.
pub fn open(state: &mut State, kind: ListingKind) -> Vec<Request> {
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

/// Keys in the list popup: scroll, Esc or Enter closes. In `:complements` the highlighted
/// row moves and Enter issues its complement.
pub fn on_key(state: &mut State, mut l: ListingView, key: KeyEvent) -> Vec<Request> {
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
