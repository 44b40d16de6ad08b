//! Key bindings as data: key, action, description, and when an action is enabled (with the
//! reason when it is not). The same table drives the footer, `?` help and the palette.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::state::{State, Tab};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    Quit,
    TeamSwitcher,
    PrevTeam,
    NextTeam,
    GoTab(Tab),
    NextTab,
    PrevTab,
    Down,
    Up,
    PageDown,
    PageUp,
    Top,
    Bottom,
    Open,
    Filter,
    Sort,
    SortReverse,
    Palette,
    Refresh,
    Help,
    MarkPaid,
    Refund,
    Cancel,
    Download,
    Copy,
    Mark,
    Export,
}

pub struct Binding {
    pub keys: &'static str,
    pub action: Action,
    pub description: &'static str,
    /// Shown in the footer when enabled.
    pub footer: bool,
}

const fn b(keys: &'static str, action: Action, description: &'static str, footer: bool) -> Binding {
    Binding {
        keys,
        action,
        description,
        footer,
    }
}

pub const BINDINGS: &[Binding] = &[
    b("t", Action::TeamSwitcher, "switch team", true),
    b("[ ]", Action::NextTeam, "previous / next team", true),
    b("1-4 Tab", Action::NextTab, "choose / cycle tab", false),
    b("j k ↑ ↓", Action::Down, "move", false),
    b("PgUp PgDn", Action::PageDown, "page", false),
    b("g G Home End", Action::Top, "first / last row", false),
    b("Enter", Action::Open, "details", true),
    b("/", Action::Filter, "filter", true),
    b("s S", Action::Sort, "sort column / reverse", true),
    b("r", Action::Refresh, "refresh", true),
    b("p", Action::MarkPaid, "mark paid", true),
    b("R", Action::Refund, "refund", true),
    b("x", Action::Cancel, "cancel", true),
    b("d", Action::Download, "PDF + XML", true),
    b("y", Action::Copy, "copy id", true),
    b("Space", Action::Mark, "mark for bulk", false),
    b("e", Action::Export, "export CSV", false),
    b(":", Action::Palette, "commands", true),
    b("?", Action::Help, "help", true),
    b("q", Action::Quit, "quit", true),
];

/// Which action a key press means in the main view.
pub fn action_for(key: &KeyEvent) -> Option<Action> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    Some(match key.code {
        KeyCode::Char('c') if ctrl => Action::Quit,
        KeyCode::Char('q') => Action::Quit,
        KeyCode::Char('t') => Action::TeamSwitcher,
        KeyCode::Char('[') => Action::PrevTeam,
        KeyCode::Char(']') => Action::NextTeam,
        KeyCode::Char('1') => Action::GoTab(Tab::Overview),
        KeyCode::Char('2') => Action::GoTab(Tab::Clients),
        KeyCode::Char('3') => Action::GoTab(Tab::Invoices),
        KeyCode::Char('4') => Action::GoTab(Tab::Payments),
        KeyCode::Tab => Action::NextTab,
        KeyCode::BackTab => Action::PrevTab,
        KeyCode::Char('j') | KeyCode::Down => Action::Down,
        KeyCode::Char('k') | KeyCode::Up => Action::Up,
        KeyCode::Char('f') if ctrl => Action::PageDown,
        KeyCode::Char('b') if ctrl => Action::PageUp,
        KeyCode::PageDown => Action::PageDown,
        KeyCode::PageUp => Action::PageUp,
        KeyCode::Char('g') | KeyCode::Home => Action::Top,
        KeyCode::Char('G') | KeyCode::End => Action::Bottom,
        KeyCode::Enter => Action::Open,
        KeyCode::Char('/') => Action::Filter,
        KeyCode::Char('s') => Action::Sort,
        KeyCode::Char('S') => Action::SortReverse,
        KeyCode::Char(':') => Action::Palette,
        KeyCode::Char('r') => Action::Refresh,
        KeyCode::Char('?') => Action::Help,
        KeyCode::Char('p') => Action::MarkPaid,
        KeyCode::Char('R') => Action::Refund,
        KeyCode::Char('x') => Action::Cancel,
        KeyCode::Char('d') => Action::Download,
        KeyCode::Char('y') => Action::Copy,
        KeyCode::Char(' ') => Action::Mark,
        KeyCode::Char('e') => Action::Export,
        _ => return None,
    })
}

/// `Ok` when the action can run now, or the reason it cannot.
pub fn enabled(state: &State, action: Action) -> Result<(), &'static str> {
    let on_table = state.current_view().is_some_and(|v| v.tab != Tab::Overview);
    let tab = state.current_view().map(|v| v.tab);
    match action {
        Action::MarkPaid | Action::Refund | Action::Cancel if state.read_only => {
            Err("read-only mode: writes are off for this session")
        }
        Action::MarkPaid | Action::Refund | Action::Cancel if state.writes_off() => {
            Err("read-only: the config makes this team read-only")
        }
        Action::MarkPaid | Action::Refund if tab != Some(Tab::Payments) => {
            Err("only in the Payments tab")
        }
        Action::Cancel if !matches!(tab, Some(Tab::Payments | Tab::Invoices)) => {
            Err("only in the Invoices and Payments tabs")
        }
        Action::PrevTeam | Action::NextTeam if state.teams.len() < 2 => {
            Err("only one team is reachable with this key")
        }
        Action::TeamSwitcher if state.teams.is_empty() => Err("the team list has not loaded yet"),
        Action::Download if tab != Some(Tab::Invoices) => Err("only in the Invoices tab"),
        Action::Mark if !matches!(tab, Some(Tab::Payments | Tab::Invoices)) => {
            Err("marks are for the Invoices and Payments tabs")
        }
        Action::Open | Action::Filter | Action::Sort | Action::SortReverse | Action::Copy
            if !on_table =>
        {
            Err("only in the Clients, Invoices and Payments tabs")
        }
        _ => Ok(()),
    }
}

/// The commands of the `:` palette, for completion and help.
pub const COMMANDS: &[(&str, &str)] = &[
    (
        "team <name>",
        "switch to the team whose name, RFC or id matches",
    ),
    ("overview", "Overview tab"),
    ("clients", "Clients tab"),
    ("invoices", "Invoices tab"),
    ("payments", "Payments tab"),
    ("refresh", "reload this view from the API"),
    ("help", "show the key bindings"),
    ("quit", "leave gigdash"),
];
