//! `update`: the only place state changes. Turns key presses and worker updates into new
//! state and the requests the worker should run. No IO, no clock, no terminal.

use std::sync::Arc;

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use tui_input::{Input, InputRequest};

use super::keymap::{self, Action};
use super::overview;
use super::rows::Row;
use super::state::{DetailView, Popup, State, Status, Switcher, Tab, TeamInfo};
use super::table::{Load, Table};
use super::{Dataset, Msg, Request, Rows, Update};
use crate::api::{ApiError, TeamId};

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
        Msg::Key(k) if k.kind == KeyEventKind::Release => vec![],
        Msg::Key(k) => on_key(state, k),
    }
}

fn quit(state: &mut State) -> Vec<Request> {
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

// ---------------------------------------------------------------- worker updates

fn on_update(state: &mut State, u: Update) -> Vec<Request> {
    match u {
        Update::Connected {
            own_team,
            live,
            demo,
            base_url,
        } => {
            state.connected = true;
            state.own_team = own_team;
            state.live = Some(live);
            state.demo = demo;
            state.base_url = base_url;
            vec![]
        }
        Update::Teams(Ok(teams)) => {
            state.teams_loading = false;
            state.teams = teams.iter().map(TeamInfo::from_api).collect();
            for t in &mut state.teams {
                if let Some(alias) = state.aliases.get(&t.id) {
                    t.name = alias.clone();
                }
            }
            state.teams.sort_by_key(|t| t.name.to_lowercase());
            if state.teams.is_empty() {
                complain(
                    state,
                    "This key reaches no team. Check the key, or ask for access to a team.",
                );
                return vec![];
            }
            let still_there = state
                .current
                .as_ref()
                .is_some_and(|c| state.teams.iter().any(|t| &t.id == c));
            if still_there {
                return vec![];
            }
            let pick = state
                .preferred_team
                .take()
                .and_then(|p| find_team(state, &p))
                .or_else(|| {
                    let own = state.own_team.clone()?;
                    state.teams.iter().position(|t| t.id == own)
                })
                .unwrap_or(0);
            let id = state.teams[pick].id.clone();
            switch_to(state, id)
        }
        Update::Teams(Err(e)) => {
            state.teams_loading = false;
            complain(
                state,
                format!("Could not list teams: {e} (press r to retry)"),
            );
            vec![]
        }
        Update::Page {
            team,
            generation,
            rows,
            first,
            done,
            total,
            now,
            cached_age,
        } => {
            if generation != state.generation || state.current.as_ref() != Some(&team) {
                return vec![];
            }
            let height = state.table_height();
            let Some(view) = state.views.get_mut(&team) else {
                return vec![];
            };
            view.now = view.now.max(now);
            view.error = None;
            let touches_overview = !matches!(rows, Rows::Clients(_));
            match rows {
                Rows::Clients(r) => {
                    apply_page(&mut view.clients, r, first, done, total, cached_age, height)
                }
                Rows::Invoices(r) => apply_page(
                    &mut view.invoices,
                    r,
                    first,
                    done,
                    total,
                    cached_age,
                    height,
                ),
                Rows::Payments(r) => apply_page(
                    &mut view.payments,
                    r,
                    first,
                    done,
                    total,
                    cached_age,
                    height,
                ),
            }
            if touches_overview && done {
                view.overview = Some(overview::compute(
                    &view.invoices.rows,
                    &view.payments.rows,
                    view.now,
                ));
            }
            vec![]
        }
        Update::LoadFailed {
            team,
            generation,
            dataset,
            error,
        } => {
            if generation != state.generation || state.current.as_ref() != Some(&team) {
                return vec![];
            }
            let name = state
                .current_team()
                .map(|t| t.name.clone())
                .unwrap_or_else(|| team.to_string());
            let text = error_for_team(&error, &name);
            if let Some(view) = state.views.get_mut(&team) {
                let msg = text.clone();
                match dataset {
                    Dataset::Clients => view.clients.load = Load::Failed(msg),
                    Dataset::Invoices => view.invoices.load = Load::Failed(msg),
                    Dataset::Payments => view.payments.load = Load::Failed(msg),
                }
                if blocks_team(&error) {
                    view.error = Some(text.clone());
                }
            }
            complain(state, text);
            vec![]
        }
        Update::Detail {
            team,
            generation,
            result,
        } => {
            if generation != state.generation || state.current.as_ref() != Some(&team) {
                return vec![];
            }
            if let Popup::Detail(d) = &mut state.popup {
                d.result = Some(result.map_err(|e| e.to_string()));
            }
            vec![]
        }
        Update::WriteDone {
            team,
            request,
            result,
        } => super::actions::on_done(state, team, request, result),
        Update::Exported { result } => {
            match result {
                Ok(path) => say(state, format!("Saved the table to {}", path.display())),
                Err(e) => complain(state, format!("Export failed: {e}")),
            }
            vec![]
        }
        Update::Download { uuid, done, result } => {
            let short = &uuid[..uuid.len().min(8)];
            match result {
                None => say(state, format!("Downloading {short}… {done} of 2 files")),
                Some(Ok(paths)) => {
                    let dir = paths
                        .first()
                        .and_then(|p| p.parent())
                        .map(|d| d.display().to_string())
                        .unwrap_or_default();
                    say(
                        state,
                        format!("Saved {} files of {short} to {dir}", paths.len()),
                    );
                }
                Some(Err(e)) => complain(state, format!("Download of {short} failed: {e}")),
            }
            vec![]
        }
        Update::InvoiceChanged { team, invoice } => {
            super::actions::replace_invoice(state, &team, &invoice);
            let uuid = invoice.uuid().to_string();
            let settled = match invoice.status() {
                crate::api::InvoiceStatus::Canceled => {
                    "the receiver accepted: the invoice is canceled"
                }
                _ => "the cancellation was rejected: the invoice stays valid",
            };
            say(
                state,
                format!("Invoice {}: {settled}", &uuid[..uuid.len().min(8)]),
            );
            vec![]
        }
    }
}

/// Requests that reload what a write changed, for the current team.
pub(super) fn reload(state: &mut State, datasets: &[Dataset]) -> Vec<Request> {
    let Some(team) = state.current.clone() else {
        return vec![];
    };
    let generation = state.generation;
    let Some(view) = state.views.get_mut(&team) else {
        return vec![];
    };
    datasets
        .iter()
        .map(|d| {
            match d {
                Dataset::Clients => view.clients.load = Load::Loading,
                Dataset::Invoices => view.invoices.load = Load::Loading,
                Dataset::Payments => view.payments.load = Load::Loading,
            }
            Request::Load {
                team: team.clone(),
                generation,
                dataset: *d,
                force: true,
            }
        })
        .collect()
}

/// Errors that make the whole team unreadable, not one dataset.
fn blocks_team(e: &ApiError) -> bool {
    matches!(
        e,
        ApiError::Unauthorized { .. }
            | ApiError::NotMasterTeam { .. }
            | ApiError::TeamNotFound { .. }
            | ApiError::NoMatchedTeams { .. }
            | ApiError::RoleDenied { .. }
            | ApiError::Forbidden { .. }
    )
}

/// The error in words, naming the team by name rather than id.
fn error_for_team(e: &ApiError, name: &str) -> String {
    let text = e.to_string();
    let with_name = match e {
        ApiError::TeamNotFound { team: Some(t) }
        | ApiError::NoMatchedTeams { team: Some(t) }
        | ApiError::RoleDenied { team: Some(t) }
        | ApiError::NotMasterTeam { team: Some(t) } => {
            text.replace(&format!("team {t}"), &format!("«{name}»"))
        }
        _ => text,
    };
    if with_name.contains(&format!("«{name}»")) {
        with_name
    } else {
        format!("{name}: {with_name}")
    }
}

fn apply_page<R: Row>(
    table: &mut Table<R>,
    rows: Arc<Vec<R>>,
    first: bool,
    done: bool,
    total: Option<u64>,
    cached_age: Option<u64>,
    height: usize,
) {
    table.total_hint = total.or(table.total_hint);
    if cached_age.is_some() {
        // A complete set from the cache; a revalidation may follow.
        table.cached_age = cached_age;
        table.set_rows(rows);
        table.revalidating = false;
        table.incoming.clear();
        if done {
            table.load = Load::Loaded;
        }
    } else if done {
        // The complete set: swap it in (it replaces streamed pages or stale rows).
        table.cached_age = None;
        table.set_rows(rows);
        table.incoming.clear();
        table.revalidating = false;
        table.load = Load::Loaded;
    } else if first && !table.rows.is_empty() {
        // A refresh: keep showing the old rows until the new set is complete.
        table.revalidating = true;
        table.incoming.clear();
        table.incoming.extend_from_slice(&rows);
    } else if table.revalidating {
        table.incoming.extend_from_slice(&rows);
    } else {
        if first {
            table.set_rows(Arc::new(Vec::new()));
        }
        table.append(&rows);
    }
    table.scroll_into_view(height);
}

// ---------------------------------------------------------------- team switching

fn find_team(state: &State, wanted: &str) -> Option<usize> {
    let w = wanted.trim();
    if w.is_empty() {
        return None;
    }
    state
        .teams
        .iter()
        .position(|t| {
            t.id.as_str() == w || t.name.eq_ignore_ascii_case(w) || t.rfc.eq_ignore_ascii_case(w)
        })
        .or_else(|| state.switcher_matches(w).first().copied())
}

/// A switch is a transaction: new generation, the team's own view (with whatever it
/// already holds) shown at once, loads for what the tab needs, older work dropped.
pub fn switch_to(state: &mut State, team: TeamId) -> Vec<Request> {
    state.generation += 1;
    // A team seen for the first time opens on the tab the operator is on; a team seen
    // before keeps its own tab, filter, sort and selection.
    let tab = state.current_view().map(|v| v.tab).unwrap_or_default();
    state.current = Some(team.clone());
    state.popup = Popup::None;
    state.filter_input = None;
    state
        .views
        .entry(team.clone())
        .or_insert_with(|| super::state::TeamView {
            tab,
            ..Default::default()
        });
    let name = state
        .current_team()
        .map(|t| t.name.clone())
        .unwrap_or_default();
    say(state, format!("Team «{name}»"));
    let mut reqs = vec![
        Request::FocusTeam { team: team.clone() },
        Request::RememberTeam { team: team.clone() },
    ];
    reqs.extend(load_tab(state, LoadMode::Revalidate));
    reqs
}

/// Which datasets of the tab to (re)load.
#[derive(Clone, Copy, PartialEq, Eq)]
enum LoadMode {
    /// Bypass the cache (`r`).
    Force,
    /// A switch: every needed dataset asks the worker, which answers from its cache.
    Revalidate,
    /// A tab change: only datasets that never loaded or failed.
    Missing,
}

/// Requests for the datasets the current tab needs, marking them as loading.
fn load_tab(state: &mut State, mode: LoadMode) -> Vec<Request> {
    let force = mode == LoadMode::Force;
    let Some(team) = state.current.clone() else {
        return vec![];
    };
    let generation = state.generation;
    let Some(view) = state.views.get_mut(&team) else {
        return vec![];
    };
    let wanted: Vec<Dataset> = match view.tab.dataset() {
        Some(d) => vec![d],
        None => vec![Dataset::Invoices, Dataset::Payments],
    };
    let mut reqs = Vec::new();
    for d in wanted {
        let (load, empty) = match d {
            Dataset::Clients => (&mut view.clients.load, view.clients.rows.is_empty()),
            Dataset::Invoices => (&mut view.invoices.load, view.invoices.rows.is_empty()),
            Dataset::Payments => (&mut view.payments.load, view.payments.rows.is_empty()),
        };
        let wanted = match mode {
            LoadMode::Force => true,
            // Stale-while-revalidate: the worker answers from its cache at once and
            // skips the network while that is fresh.
            LoadMode::Revalidate => *load != Load::Loading,
            LoadMode::Missing => empty && *load != Load::Loading || matches!(load, Load::Failed(_)),
        };
        if wanted {
            *load = Load::Loading;
            reqs.push(Request::Load {
                team: team.clone(),
                generation,
                dataset: d,
                force,
            });
        }
    }
    reqs
}

// ---------------------------------------------------------------- keys

fn on_key(state: &mut State, key: KeyEvent) -> Vec<Request> {
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
        Popup::Action(d) => return super::actions::on_key(state, *d, key),
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
            say(state, "Filter cleared");
        }
        return vec![];
    }
    let Some(action) = keymap::action_for(&key) else {
        return vec![];
    };
    if let Err(why) = keymap::enabled(state, action) {
        complain(state, why);
        return vec![];
    }
    run(state, action)
}

fn run(state: &mut State, action: Action) -> Vec<Request> {
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
            say(state, "Refreshing…");
            load_tab(state, LoadMode::Force)
        }
        Action::MarkPaid => super::actions::open(state, super::actions::WriteKind::MarkPaid),
        Action::Refund => super::actions::open(state, super::actions::WriteKind::Refund),
        Action::Cancel => {
            let kind = if state.current_view().map(|v| v.tab) == Some(Tab::Invoices) {
                super::actions::WriteKind::CancelInvoice
            } else {
                super::actions::WriteKind::CancelPayment
            };
            super::actions::open(state, kind)
        }
        Action::Export => {
            let Some(v) = state.current_view() else {
                return vec![];
            };
            let (csv, rows, name) = match v.tab {
                Tab::Clients => (v.clients.to_csv(), v.clients.view.len(), "clients"),
                Tab::Invoices => (v.invoices.to_csv(), v.invoices.view.len(), "invoices"),
                Tab::Payments => (v.payments.to_csv(), v.payments.view.len(), "payments"),
                Tab::Overview => return vec![],
            };
            let team_name = state
                .current_team()
                .map(|t| t.name.clone())
                .unwrap_or_default();
            say(state, format!("Exporting {rows} {name} as shown…"));
            vec![Request::ExportTable {
                team_name,
                name: name.to_string(),
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
                    say(state, format!("Copied {text} to the clipboard (OSC 52)"));
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
            say(state, format!("Downloading the PDF and XML of {folio}…"));
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

fn go_tab(state: &mut State, tab: Tab) -> Vec<Request> {
    let Some(view) = state.current_view_mut() else {
        return vec![];
    };
    view.tab = tab;
    load_tab(state, LoadMode::Missing)
}

fn with_table(
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

fn move_table(state: &mut State, f: impl Fn(&mut dyn Mover), height: usize) -> Vec<Request> {
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
    fn top(&mut self);
    fn bottom(&mut self);
}

impl<R: Row> Mover for Table<R> {
    fn move_by(&mut self, delta: isize) {
        Table::move_by(self, delta)
    }
    fn top(&mut self) {
        Table::top(self)
    }
    fn bottom(&mut self) {
        Table::bottom(self)
    }
}

fn current_filter(state: &State) -> Option<String> {
    let v = state.current_view()?;
    Some(match v.tab {
        Tab::Clients => v.clients.filter.clone(),
        Tab::Invoices => v.invoices.filter.clone(),
        Tab::Payments => v.payments.filter.clone(),
        Tab::Overview => return None,
    })
}

fn open_detail(state: &mut State) -> Vec<Request> {
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
        complain(state, "Nothing selected");
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

/// Applies an editing key to a text input; false when the key is not an edit.
pub fn edit(input: &mut Input, key: &KeyEvent) -> bool {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let req = match key.code {
        KeyCode::Char('u') if ctrl => InputRequest::DeleteLine,
        KeyCode::Char('w') if ctrl => InputRequest::DeletePrevWord,
        KeyCode::Char('a') if ctrl => InputRequest::GoToStart,
        KeyCode::Char('e') if ctrl => InputRequest::GoToEnd,
        KeyCode::Char(c) if !ctrl => InputRequest::InsertChar(c),
        KeyCode::Backspace => InputRequest::DeletePrevChar,
        KeyCode::Delete => InputRequest::DeleteNextChar,
        KeyCode::Left => InputRequest::GoToPrevChar,
        KeyCode::Right => InputRequest::GoToNextChar,
        KeyCode::Home => InputRequest::GoToStart,
        KeyCode::End => InputRequest::GoToEnd,
        _ => return false,
    };
    input.handle(req);
    true
}

fn on_filter_key(state: &mut State, key: KeyEvent) -> Vec<Request> {
    let Some(mut input) = state.filter_input.take() else {
        return vec![];
    };
    let height = state.table_height();
    match key.code {
        KeyCode::Esc => {
            with_table(
                state,
                |t| t.set_filter(""),
                |t| t.set_filter(""),
                |t| t.set_filter(""),
            );
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
                with_table(
                    state,
                    |t| t.set_filter(&text),
                    |t| t.set_filter(&text),
                    |t| t.set_filter(&text),
                );
                move_table(state, |t| t.move_by(0), height);
            }
            state.filter_input = Some(input);
        }
    }
    vec![]
}

fn on_switcher_key(state: &mut State, mut s: Switcher, key: KeyEvent) -> Vec<Request> {
    let matches = state.switcher_matches(s.input.value());
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    match key.code {
        KeyCode::Esc => return vec![],
        KeyCode::Enter => {
            return match matches.get(s.selected.min(matches.len().saturating_sub(1))) {
                Some(i) if !matches.is_empty() => {
                    let id = state.teams[*i].id.clone();
                    switch_to(state, id)
                }
                _ => {
                    complain(state, "No team matches");
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

fn on_palette_key(state: &mut State, mut input: Input, key: KeyEvent) -> Vec<Request> {
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

/// Runs a `:` command.
pub fn run_command(state: &mut State, line: &str) -> Vec<Request> {
    let line = line.trim().trim_start_matches(':');
    let (cmd, rest) = line.split_once(' ').unwrap_or((line, ""));
    let action = match cmd.to_lowercase().as_str() {
        "" => return vec![],
        "team" | "t" => {
            if state.teams.is_empty() {
                complain(state, "The team list has not loaded yet");
                return vec![];
            }
            return match find_team(state, rest) {
                Some(i) => {
                    let id = state.teams[i].id.clone();
                    switch_to(state, id)
                }
                None => {
                    complain(state, format!("No team matches «{}»", rest.trim()));
                    vec![]
                }
            };
        }
        "overview" | "1" => Action::GoTab(Tab::Overview),
        "clients" | "2" => Action::GoTab(Tab::Clients),
        "invoices" | "3" => Action::GoTab(Tab::Invoices),
        "payments" | "4" => Action::GoTab(Tab::Payments),
        "refresh" | "r" => Action::Refresh,
        "help" | "h" => Action::Help,
        "quit" | "q" | "q!" | "exit" => Action::Quit,
        other => {
            complain(state, format!("Unknown command «{other}»; try :help"));
            return vec![];
        }
    };
    if let Err(why) = keymap::enabled(state, action) {
        complain(state, why);
        return vec![];
    }
    run(state, action)
}

fn on_help_key(
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

fn on_detail_key(state: &mut State, mut d: DetailView, key: KeyEvent) -> Vec<Request> {
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
