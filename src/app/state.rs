//! The dashboard's state: teams and the current one, each team's own view (tab, tables,
//! filter, sort, selection, overview), the popups, the status line and the intent queue —
//! and the helpers every feature needs (status messages, lookups, the current table, row
//! replacement). Below every feature; uses only the data files under it.

use std::collections::HashMap;

use tui_input::Input;

use crate::api::{Invoice, Payment, Team, TeamId};
pub use crate::app::asked::{Asked, Asking};
use crate::app::data::documents::{ClientRow, InvoiceRow, PaymentRow, Row};
use crate::app::data::group_figures::GroupState;
use crate::app::data::group_figures::GroupView;
use crate::app::data::overview::Overview;
use crate::app::data::search::FindHit;
pub use crate::app::data::tab::Tab;
use crate::app::data::table::Table;
pub use crate::app::data::table::TableOps;
use crate::app::input::action::Action;
use crate::app::msg::{Dataset, Detail};
use crate::i18n::Lang;

/// A team as the header and switcher show it.
#[derive(Clone, Debug, PartialEq)]
pub struct TeamInfo {
    pub id: TeamId,
    pub name: String,
    pub rfc: String,
}

impl TeamInfo {
    pub fn from_api(t: &Team) -> Self {
        TeamInfo {
            id: t.id.clone(),
            name: crate::text::printable(t.display_name()),
            rfc: crate::text::printable(t.rfc()),
        }
    }
}

/// One team's view: kept while the operator looks at other teams.
#[derive(Clone, Debug, Default)]
pub struct TeamView {
    pub tab: Tab,
    pub clients: Table<ClientRow>,
    pub invoices: Table<InvoiceRow>,
    pub payments: Table<PaymentRow>,
    pub receipts: Table<crate::app::data::receipts::ReceiptRow>,
    pub overview: Option<Overview>,
    /// When the last data arrived (epoch seconds, from the worker).
    pub now: i64,
    /// A team-level refusal (Connect, auth) that blocks every dataset.
    pub error: Option<String>,
}

impl TeamView {
    pub fn is_loading(&self) -> bool {
        use crate::app::data::table::Load::Loading;
        self.clients.load == Loading
            || self.invoices.load == Loading
            || self.payments.load == Loading
            || self.receipts.load == Loading
    }
}

#[derive(Clone, Debug, Default)]
pub struct Switcher {
    pub input: Input,
    pub selected: usize,
}

#[derive(Clone, Debug)]
pub struct DetailView {
    pub dataset: Dataset,
    pub id: String,
    pub result: Option<Result<Detail, String>>,
    pub scroll: u16,
    /// For an invoice: its payment complements still owed, made once when it arrived.
    pub owed: Vec<crate::app::data::complements::Owed>,
}

#[derive(Clone, Debug, Default)]
pub enum Popup {
    #[default]
    None,
    Switcher(Switcher),
    Palette(Input),
    Help {
        filter: Input,
        scroll: u16,
    },
    Detail(DetailView),
    Action(Box<crate::app::dialogs::model::Dialog>),
    /// Cross-team find (`F`, `:find`).
    Find(FindView),
    /// A team's users or services (`:users`, `:services`).
    Listing(crate::app::data::account::ListingView),
    /// A create form.
    Create(Box<crate::app::create::model::CreateForm>),
    /// What a create made: a link and its QR code, a draft's preview, what to open.
    Created(Box<crate::app::create::created::Created>),
    /// A team's invoice drafts (`:drafts`).
    Drafts(crate::app::create::drafts::DraftsView),
    /// The documents behind a cell of the Group tab's changes (`:changes`, Enter).
    Changes(crate::app::data::changes::ChangesList),
    /// Lines to read and scroll: a branch's whole configuration (Enter in Branches), the
    /// drift from the reference (`:drift`).
    Text(TextView),
}

/// A titled text popup.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TextView {
    pub title: String,
    /// (text, tone — none for plain): printable lines.
    pub lines: Vec<(String, Option<crate::app::data::columns::Tone>)>,
    pub scroll: u16,
    /// Its words are Spanish (the "more lines" hint follows).
    pub spanish: bool,
}

/// The find popup: what is typed, what was asked, what came back.
#[derive(Clone, Debug, Default)]
pub struct FindView {
    pub input: Input,
    pub asked_text: String,
    pub generation: u64,
    pub searching: bool,
    /// Teams looked in.
    pub searched: usize,
    pub results: Vec<FindHit>,
    pub selected: usize,
}

impl FindView {
    /// The text the results are for.
    pub fn asked(&self) -> &str {
        &self.asked_text
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Status {
    pub text: String,
    pub error: bool,
}

#[derive(Clone, Debug, Default)]
pub struct State {
    pub teams: Vec<TeamInfo>,
    /// The words most team names start with (`app::data::brand`), found when the list
    /// arrives: said once in the Group title, left out of each row.
    pub brand: Option<String>,
    pub teams_loading: bool,
    /// Why the team list did not load (it retries on its own), until it does.
    pub teams_error: Option<String>,
    /// Failed team-list loads in a row.
    pub teams_failures: u32,
    pub current: Option<TeamId>,
    /// `--team` or the remembered team: chosen once the list arrives.
    pub preferred_team: Option<String>,
    /// `--team` was given: the start is on that team, not the Group tab (DESIGN: "start
    /// on that team").
    pub team_asked: bool,
    /// Which answer each question waits for (a team's rows, the Group tab, a search, the
    /// fiscal check, a role check): older answers are dropped.
    pub asked: Asked,
    pub views: HashMap<TeamId, TeamView>,
    pub popup: Popup,
    /// `/` is being typed into the current table's filter.
    pub filter_input: Option<Input>,
    pub status: Option<Status>,
    pub connected: bool,
    /// gigstack cannot be reached (or `--offline`): reads come from the store, writes are
    /// refused.
    pub offline: bool,
    /// Other gigdash of this host sharing the key's rate limit lately (0: none).
    pub sharing: usize,
    /// Teams whose rows on screen come from the store, and as of when (epoch seconds).
    pub as_of: HashMap<TeamId, i64>,
    /// The fiscal check (`:validate`): each team's last answer and the run under way.
    pub fiscal: crate::app::data::fiscal::FiscalChecks,
    pub demo: bool,
    pub read_only: bool,
    pub live: Option<bool>,
    pub own_team: Option<TeamId>,
    pub base_url: String,
    pub size: (u16, u16),
    pub spinner: usize,
    pub no_color: bool,
    pub quit: bool,
    /// Writes under way: the rows they lock, their keys, the bulk run and the last one.
    pub writes: crate::app::dialogs::runs::Writes,
    /// Create forms sent and not yet answered, by what they lock: shown again with the
    /// field the API refused, or kept if no answer comes.
    pub sent: HashMap<String, Box<crate::app::create::model::CreateForm>>,
    /// Create forms whose answer never came, by kind and team: `n` reopens them as they
    /// were, with their idempotency key.
    pub unanswered: HashMap<String, Box<crate::app::create::model::CreateForm>>,
    /// Teams the config makes read-only.
    pub read_only_teams: std::collections::BTreeSet<TeamId>,
    /// Names the config gives teams (`[teams.<id>] alias = …`).
    pub aliases: HashMap<TeamId, String>,
    /// The config profile in use.
    pub profile: Option<String>,
    pub keymap: std::sync::Arc<crate::app::input::keymap::KeyMap>,
    /// The config's `theme` setting and the terminal's colour support, resolved.
    pub palette: crate::colors::Palette,
    /// Header colour of the profile, and per team (`[teams.<id>] color`).
    pub accent: Option<ratatui::style::Color>,
    pub team_colors: HashMap<TeamId, ratatui::style::Color>,
    /// The language of every text on screen.
    pub lang: Lang,
    /// What features asked of each other during this message; `update` routes them.
    pub intents: Vec<Intent>,
    /// The Group tab: every team in one table.
    pub group: GroupView,
    /// The Branches tab: every team's configuration and health.
    pub branches: crate::app::data::branches::BranchesView,
    /// A new branch with steps left (`:retry` finishes them).
    pub unfinished_branch: Option<crate::app::create::model::UnfinishedBranch>,
    /// A found row to select once its team's rows are shown: (team, dataset, id).
    pub jump: Option<(TeamId, Dataset, String)>,
    /// The all-teams scope (`a`): whether it is on, and every team's rows.
    pub scope: crate::app::data::teamed::AllTeams,
}

/// What one feature asks of another. A feature never calls a sibling: it leaves an intent
/// here and returns, and `update` hands it to the feature that owns it (gitui's queue).
#[derive(Clone, Debug, PartialEq)]
pub enum Intent {
    /// Switch to this team (the switcher, `:team`, the team list's first arrival).
    SwitchTo(TeamId),
    /// Run an action as if its key was pressed (the `:` palette).
    Run(Action),
    /// Open the Group tab (the start tab when the key reaches more than one team).
    OpenGroup,
    /// Search every team (`:find <text>`).
    Find(String),
    /// Send the last bulk run's failed rows again (`:retry`).
    RetryBulk,
    /// Read the current team completely again (`:refresh all`).
    RefreshAll,
    /// Issue the complement of the n-th owed payment of the `:complements` list.
    IssueComplement(usize),
    /// Open the `:complements` list (again, after one was issued).
    OpenComplements,
    /// Open a team's list (`:users`, `:services`, `:complements`, `:month`).
    OpenListing(crate::app::data::account::ListingKind),
    /// Check every client's fiscal data (`:validate`).
    Validate,
    /// Stamp the selected client's pending receipts (`:stamp-receipts`).
    StampReceipts,
    /// Stamp the selected receipt (`:stamp`).
    StampReceipt,
    /// Open a create form (`:request`, `:register`, `:invoice`, `:credit-note`, `:client`).
    Create(crate::app::dialogs::kinds::WriteKind),
    /// The team's invoice drafts (`:drafts`).
    Drafts,
    /// Say this once the intents before it ran (a switch says the team's name; what
    /// follows it says why it happened).
    Say(String),
    /// Ask what changed since the last session (the header says how many teams did).
    AskChanges,
    /// `:changes`: the documents behind the Group tab's cell (or the changes shown first).
    Changes,
    /// `:since <when>`: the Group tab's changes since then.
    Since(String),
    /// `:drift`: the differences from the Branches tab's reference team.
    Drift,
    /// `:add-member`, `:remove-member`, `:add-series`, `:apply-setting` with their words.
    TeamWrite(crate::app::dialogs::kinds::WriteKind, String),
}

/// Rows of the body that the table gets: the screen less header, tabs, column titles,
/// status and footer lines, and the table border.
pub const CHROME_ROWS: u16 = 7;

impl State {
    /// Team `i`'s name on a Group row: its own part under the brand, and — when another
    /// team has the same name and no RFC column tells them apart (`rfc_shown`) — its RFC.
    pub fn row_name(&self, i: usize, rfc_shown: bool) -> String {
        let t = &self.teams[i];
        let twin = !rfc_shown && self.teams.iter().filter(|o| o.name == t.name).count() > 1;
        crate::app::data::brand::row_name(
            &t.name,
            &t.rfc,
            t.id.as_str(),
            self.brand.as_deref(),
            twin,
        )
    }

    pub fn new(size: (u16, u16)) -> Self {
        State {
            size,
            teams_loading: true,
            ..Default::default()
        }
    }

    pub fn current_team(&self) -> Option<&TeamInfo> {
        let id = self.current.as_ref()?;
        self.teams.iter().find(|t| &t.id == id)
    }

    pub fn current_index(&self) -> Option<usize> {
        let id = self.current.as_ref()?;
        self.teams.iter().position(|t| &t.id == id)
    }

    /// The table on screen, whose reading goes first under the rate limit: the current
    /// team's tab's dataset (none on the Overview, the Group tab or in the all-teams scope).
    pub fn shown_list(&self) -> Option<(TeamId, crate::app::Dataset)> {
        if self.scope.on {
            return None;
        }
        let team = self.current.clone()?;
        let dataset = self.views.get(&team)?.tab.dataset()?;
        Some((team, dataset))
    }

    pub fn current_view(&self) -> Option<&TeamView> {
        self.views.get(self.current.as_ref()?)
    }

    pub fn current_view_mut(&mut self) -> Option<&mut TeamView> {
        let id = self.current.clone()?;
        self.views.get_mut(&id)
    }

    pub fn table_height(&self) -> usize {
        self.size.1.saturating_sub(CHROME_ROWS) as usize
    }

    pub fn is_loading(&self) -> bool {
        // The Branches tab shows every team's configuration: its reads are what loads.
        if self.branches.open {
            return self.teams_loading
                || self
                    .branches
                    .rows
                    .values()
                    .any(|r| r.state == crate::app::data::branches::BranchState::Loading);
        }
        self.teams_loading
            || (self.group.open
                && self
                    .group
                    .rows
                    .values()
                    .any(|r| r.state == GroupState::Loading))
            || self.current_view().is_some_and(|v| v.is_loading())
            || matches!(&self.popup, Popup::Detail(d) if d.result.is_none())
            || matches!(&self.popup, Popup::Find(f) if f.searching)
            || matches!(&self.popup, Popup::Listing(l) if l.rows.is_none())
            || (self.branches.open
                && self
                    .branches
                    .rows
                    .values()
                    .any(|r| r.state == crate::app::data::branches::BranchState::Loading))
    }

    /// True when the current team is reached through Connect (not the key's own team).
    pub fn is_connect_team(&self) -> bool {
        match (&self.current, &self.own_team) {
            (Some(c), Some(o)) => c != o,
            _ => false,
        }
    }

    /// Writes are off: for the session, or for the current team by config.
    pub fn writes_off(&self) -> bool {
        self.read_only
            || self
                .current
                .as_ref()
                .is_some_and(|t| self.read_only_teams.contains(t))
    }

    pub fn too_small(&self) -> bool {
        self.size.0 < 80 || self.size.1 < 24
    }

    /// Teams matching the switcher's text by name, RFC or id, best first.
    pub fn switcher_matches(&self, query: &str) -> Vec<usize> {
        use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
        use nucleo_matcher::{Config, Matcher, Utf32Str};
        if query.trim().is_empty() {
            return (0..self.teams.len()).collect();
        }
        let pattern = Pattern::parse(query, CaseMatching::Ignore, Normalization::Smart);
        let mut matcher = Matcher::new(Config::DEFAULT);
        let mut buf = Vec::new();
        let mut scored: Vec<(u32, usize)> = self
            .teams
            .iter()
            .enumerate()
            .filter_map(|(i, t)| {
                let hay = format!("{} {} {}", t.name, t.rfc, t.id);
                pattern
                    .score(Utf32Str::new(&hay, &mut buf), &mut matcher)
                    .map(|s| (s, i))
            })
            .collect();
        scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        scored.into_iter().map(|(_, i)| i).collect()
    }
}

// ---------------------------------------------------------------- helpers every feature uses

/// A message on the status line (printable only: it may quote the API).
pub fn say(state: &mut State, text: impl Into<String>) {
    state.status = Some(Status {
        text: crate::text::printable(&text.into()),
        error: false,
    });
}

/// An error on the status line (printable only: it may quote the API).
pub fn complain(state: &mut State, text: impl Into<String>) {
    state.status = Some(Status {
        text: crate::text::printable(&text.into()),
        error: true,
    });
}

/// The team whose id, name or RFC is `wanted`, else the best fuzzy match.
pub fn find_team(state: &State, wanted: &str) -> Option<usize> {
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

/// Opens a write dialog. A refusal still on the status line (the `p` on a paid row before
/// this one) is stale once a dialog opens on a row where the write is allowed: it goes.
/// Opens a popup that asks for something, clearing an error the status line held.
pub fn open_popup(state: &mut State, popup: Popup) {
    if state.status.as_ref().is_some_and(|s| s.error) {
        state.status = None;
    }
    state.popup = popup;
}

pub fn open_dialog(state: &mut State, dialog: crate::app::dialogs::model::Dialog) {
    if state.status.as_ref().is_some_and(|s| s.error) {
        state.status = None;
    }
    state.popup = Popup::Action(Box::new(dialog));
}

/// The name of a team for messages, or its id when the list does not have it.
pub fn team_name(state: &State, team: &TeamId) -> String {
    state
        .teams
        .iter()
        .find(|t| &t.id == team)
        .map(|t| t.name.clone())
        .unwrap_or_else(|| team.to_string())
}

/// The table the body shows: the current team's for its tab, or — in the all-teams
/// scope — the table of every team's rows. `None` on the Overview and with no team.
pub fn with_shown(state: &mut State, f: impl FnOnce(&mut dyn TableOps)) {
    let tab = match state.current_view() {
        Some(v) => v.tab,
        None => return,
    };
    if state.scope.on {
        match tab {
            Tab::Clients => f(&mut state.scope.clients),
            Tab::Invoices => f(&mut state.scope.invoices),
            Tab::Payments => f(&mut state.scope.payments),
            Tab::Receipts => f(&mut state.scope.receipts),
            Tab::Overview => {}
        }
        return;
    }
    if let Some(v) = state.current_view_mut() {
        match v.tab {
            Tab::Clients => f(&mut v.clients),
            Tab::Invoices => f(&mut v.invoices),
            Tab::Payments => f(&mut v.payments),
            Tab::Receipts => f(&mut v.receipts),
            Tab::Overview => {}
        }
    }
}

/// Moves in the shown table and keeps the selection in the window.
pub fn move_table(
    state: &mut State,
    f: impl Fn(&mut dyn TableOps),
    height: usize,
) -> Vec<crate::app::msg::Request> {
    with_shown(state, |t| {
        f(t);
        t.scroll_into_view(height)
    });
    vec![]
}

/// The filter of the shown table (None on the Overview).
pub fn current_filter(state: &mut State) -> Option<String> {
    let mut out = None;
    with_shown(state, |t| out = Some(t.filter().to_string()));
    out
}

/// Puts a payment the API returned in place of its row, in its team's table and in the
/// all-teams one.
pub fn replace_payment(state: &mut State, team: &TeamId, p: &Payment) {
    let row = PaymentRow::from_api(p, state.lang);
    if let Some(view) = state.views.get_mut(team)
        && let Some(pos) = view.payments.rows.iter().position(|r| r.id() == p.id)
    {
        std::sync::Arc::make_mut(&mut view.payments.rows)[pos] = row.clone();
    }
    state.scope.replace_payment(team, row);
}

/// The all-teams tables show as marked exactly what their teams' tables have marked: the
/// teams' tables are the one source of marks, this is their mirror.
pub fn mirror_marks(state: &mut State) {
    let mut payments = std::collections::BTreeSet::new();
    let mut invoices = std::collections::BTreeSet::new();
    for v in state.views.values() {
        payments.extend(v.payments.marked.iter().cloned());
        invoices.extend(v.invoices.marked.iter().cloned());
    }
    state.scope.payments.marked = payments;
    state.scope.invoices.marked = invoices;
}

/// Puts a receipt the API returned in place of its row.
pub fn replace_receipt(state: &mut State, team: &TeamId, r: &crate::api::Receipt) {
    let now = state.views.get(team).map(|v| v.now).unwrap_or(0);
    if let Some(view) = state.views.get_mut(team)
        && let Some(pos) = view.receipts.rows.iter().position(|x| x.id() == r.id)
    {
        std::sync::Arc::make_mut(&mut view.receipts.rows)[pos] =
            crate::app::data::receipts::ReceiptRow::from_api(r, state.lang, now);
    }
}

/// Puts an invoice the API returned in place of its row.
pub fn replace_invoice(state: &mut State, team: &TeamId, i: &Invoice) {
    if let Some(view) = state.views.get_mut(team)
        && let Some(pos) = view.invoices.rows.iter().position(|r| r.uuid() == i.uuid())
    {
        std::sync::Arc::make_mut(&mut view.invoices.rows)[pos] =
            InvoiceRow::from_api(i, state.lang);
    }
    state
        .scope
        .replace_invoice(team, InvoiceRow::from_api(i, state.lang));
}
