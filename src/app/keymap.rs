//! Key bindings as data: key, action, description, and when an action is enabled (with the
//! reason when it is not). The same table drives the footer, `?` help and the palette.

use crossterm::event::KeyEvent;

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
    pub action: Action,
    /// Actions shown on the same line (`[ ]` previous / next team).
    pub also: &'static [Action],
    pub description: &'static str,
    /// Shown in the footer when enabled.
    pub footer: bool,
}

const fn b(
    also: &'static [Action],
    action: Action,
    description: &'static str,
    footer: bool,
) -> Binding {
    Binding {
        also,
        action,
        description,
        footer,
    }
}

pub const BINDINGS: &[Binding] = &[
    b(&[], Action::TeamSwitcher, "switch team", true),
    b(
        &[Action::NextTeam],
        Action::PrevTeam,
        "previous / next team",
        true,
    ),
    b(
        &[
            Action::GoTab(Tab::Clients),
            Action::GoTab(Tab::Invoices),
            Action::GoTab(Tab::Payments),
            Action::NextTab,
            Action::PrevTab,
        ],
        Action::GoTab(Tab::Overview),
        "choose / cycle tab",
        false,
    ),
    b(&[Action::Up], Action::Down, "move", false),
    b(&[Action::PageUp], Action::PageDown, "page", false),
    b(&[Action::Bottom], Action::Top, "first / last row", false),
    b(&[], Action::Open, "details", true),
    b(&[], Action::Filter, "filter", true),
    b(
        &[Action::SortReverse],
        Action::Sort,
        "sort column / reverse",
        true,
    ),
    b(&[], Action::Refresh, "refresh", true),
    b(&[], Action::MarkPaid, "mark paid", true),
    b(&[], Action::Refund, "refund", true),
    b(&[], Action::Cancel, "cancel", true),
    b(&[], Action::Download, "PDF + XML", true),
    b(&[], Action::Copy, "copy id", true),
    b(&[], Action::Mark, "mark for bulk", false),
    b(&[], Action::Export, "export CSV", false),
    b(&[], Action::Palette, "commands", true),
    b(&[], Action::Help, "help", true),
    b(&[], Action::Quit, "quit", true),
];

/// Which action a key press means in the main view (the state's key map).
pub fn action_for(state: &State, key: &KeyEvent) -> Option<Action> {
    state.keymap.action_for(key)
}

/// The keys shown for a binding: its action's keys and those of its partners.
pub fn keys_label(state: &State, b: &Binding) -> String {
    let mut out = String::from(state.keymap.keys_for(b.action));
    for a in b.also {
        let k = state.keymap.keys_for(*a);
        if !k.is_empty() {
            out.push(' ');
            out.push_str(k);
        }
    }
    out
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
