//! What a key can ask for: one `Action` per thing the operator can do. The key map, the
//! bindings table, the palette and `update`'s router all speak it.

use crate::app::data::tab::Tab;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    Quit,
    TeamSwitcher,
    PrevTeam,
    NextTeam,
    GoTab(Tab),
    /// The Group tab: every team in one table.
    Group,
    /// The Branches tab: every team's configuration and health.
    Branches,
    /// Find a client, invoice or payment in every team.
    Find,
    /// The table tabs: this team ↔ all teams.
    Scope,
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
    /// Create: a payment link, an invoice or a client, by tab.
    New,
    MarkPaid,
    Refund,
    Cancel,
    Download,
    Copy,
    Mark,
    Export,
    /// The Group tab: what changed since the last session, or the month's figures again.
    Changes,
    /// A column to the left / right (the Group tab's changes).
    Left,
    Right,
}
