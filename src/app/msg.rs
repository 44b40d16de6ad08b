//! The messages that cross the app's boundaries: `Msg` (what happens to the app), `Update`
//! (what the worker answers, tagged `(team, generation)`) and `Request` (what the app asks
//! the worker or the event loop to do), with the data they carry. Below `state` and every
//! feature; uses only the row and write models.

use std::sync::Arc;

use crossterm::event::KeyEvent;

use crate::api::{ApiError, Client, Invoice, Payment, Team, TeamId};
use crate::app::data::account::ListingKind;
pub use crate::app::data::dataset::Dataset;
use crate::app::data::documents::{ClientRow, InvoiceRow, PaymentRow};
use crate::app::data::group_figures::TeamFigures;
use crate::app::data::search::{FindHit, Query};
use crate::app::dialogs::kinds;

/// Bumped on every team switch; responses of an older generation are dropped.
pub type Generation = u64;

/// Rows for one dataset.
#[derive(Clone, Debug)]
pub enum Rows {
    Clients(Arc<Vec<ClientRow>>),
    Invoices(Arc<Vec<InvoiceRow>>),
    Payments(Arc<Vec<PaymentRow>>),
    Receipts(Arc<Vec<crate::app::data::receipts::ReceiptRow>>),
}

impl Rows {
    pub fn len(&self) -> usize {
        match self {
            Rows::Clients(r) => r.len(),
            Rows::Invoices(r) => r.len(),
            Rows::Payments(r) => r.len(),
            Rows::Receipts(r) => r.len(),
        }
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The full object behind a row, fetched for the detail view.
#[derive(Clone, Debug)]
pub enum Detail {
    Client(Box<Client>),
    Invoice(Box<Invoice>),
    Payment(Box<Payment>),
    Receipt(Box<crate::api::Receipt>),
}

/// The object a successful write returns.
#[derive(Clone, Debug)]
pub enum WriteResult {
    Payment(Box<Payment>),
    Invoice(Box<Invoice>),
    /// A client's pending receipts: how many were stamped, failed, and are left.
    Receipts(crate::api::StampedReceipts),
    Receipt(Box<crate::api::Receipt>),
    /// An invoice draft saved.
    Draft(Box<crate::api::Draft>),
    /// A new client and what SAT's check said of it.
    Client(Box<crate::api::Client>, crate::api::FiscalCheck),
    /// A draft deleted.
    Deleted,
    /// A team's configuration changed: what the API answered.
    Team(Box<serde_json::Value>),
    /// A new branch and its steps.
    Branch(Box<crate::app::dialogs::kinds::BranchMade>),
}

/// What the worker tells the app. Team data is tagged `(team, generation)`.
#[derive(Clone, Debug)]
pub enum Update {
    /// The backend is ready: key facts and whether it is the built-in sandbox.
    Connected {
        own_team: Option<TeamId>,
        live: bool,
        demo: bool,
        base_url: String,
    },
    Teams(Result<Vec<Team>, ApiError>),
    /// A page of rows. `first` starts a new load; `done` ends it with every row in `rows`.
    Page {
        team: TeamId,
        generation: Generation,
        rows: Rows,
        first: bool,
        done: bool,
        total: Option<u64>,
        /// When the worker produced this (epoch seconds), for "this month" figures.
        now: i64,
        /// Rows served from the cache, with their age in seconds.
        cached_age: Option<u64>,
    },
    /// What a create form picks from in `team`, and the key's role there; for a credit
    /// note, what earlier credit notes of its invoice add up to.
    FormData {
        team: TeamId,
        role: Result<String, ApiError>,
        data: Result<crate::app::create::model::FormData, String>,
        credited: Option<Result<crate::app::create::model::CreditFacts, String>>,
    },
    /// A team's invoice drafts.
    Drafts {
        team: TeamId,
        result: Result<Vec<crate::api::Draft>, ApiError>,
    },
    /// The key's role per team, for the bulk write being confirmed.
    Roles {
        generation: u64,
        roles: Vec<(TeamId, Result<String, ApiError>)>,
    },
    /// A team's users or services, as rows of printable cells.
    Listing {
        team: TeamId,
        kind: ListingKind,
        result: Result<Vec<Vec<String>>, ApiError>,
    },
    /// What a search found, and in how many teams it looked.
    Found {
        generation: u64,
        hits: Vec<FindHit>,
        searched: usize,
    },
    /// One team's figures for the Group tab (or why they could not be read).
    GroupRow {
        generation: Generation,
        team: TeamId,
        result: Result<Box<TeamFigures>, ApiError>,
        /// When the worker computed them (epoch seconds).
        now: i64,
    },
    /// The Group load ended: every team was read (or failed).
    GroupLoaded {
        generation: Generation,
    },
    /// The Branches load listed the teams (in the API's order), or could not.
    BranchesListed {
        generation: Generation,
        result: Result<Vec<TeamId>, ApiError>,
    },
    /// One team's configuration for the Branches tab (a part that failed says why).
    Branch {
        generation: Generation,
        config: Box<crate::api::TeamConfig>,
        /// When it was read (epoch seconds): the CSD's days count from it.
        now: i64,
    },
    /// A load has had no answer for `secs` seconds (it keeps trying).
    Slow {
        team: TeamId,
        generation: Generation,
        dataset: Dataset,
        secs: u64,
    },
    LoadFailed {
        team: TeamId,
        generation: Generation,
        dataset: Dataset,
        error: ApiError,
    },
    Detail {
        team: TeamId,
        generation: Generation,
        result: Result<Detail, ApiError>,
    },
    /// A write finished (for any team: it updates that team's rows).
    WriteDone {
        team: TeamId,
        request: kinds::WriteRequest,
        result: Result<WriteResult, ApiError>,
    },
    /// Invoice files: progress (`done` of 2) and, at the end, where they went.
    Download {
        uuid: String,
        done: usize,
        result: Option<Result<Vec<std::path::PathBuf>, String>>,
    },
    /// Where `e` saved the table, or why it could not.
    Exported {
        result: Result<std::path::PathBuf, String>,
    },
    /// gigstack could not be reached (reads come from the store, writes are refused), or
    /// it answers again.
    Offline {
        offline: bool,
    },
    /// The team's rows on screen are the store's, as of this moment (epoch seconds);
    /// `None` once they are fresh from gigstack.
    AsOf {
        team: TeamId,
        at: Option<i64>,
    },
    /// Something about the store the operator should know once (rebuilt, not writable).
    StoreNotice(String),
    /// How many other gigdash of this host share the key's rate limit (said on change).
    Sharing(usize),
    /// The fiscal check is under way: clients checked of all asked.
    Validating {
        generation: u64,
        done: usize,
        of: usize,
    },
    /// A team's fiscal check ended.
    Validated {
        generation: u64,
        team: TeamId,
        result: Result<crate::app::data::fiscal::TeamCheck, ApiError>,
    },
    /// What changed since a moment (the Group tab's `c`, the header at start), or why it
    /// cannot be said.
    Changes {
        generation: u64,
        result: Result<crate::app::data::changes::Changes, String>,
    },
    /// The items of a changes list, labelled (in the order asked).
    ChangeLabels {
        generation: u64,
        items: Vec<crate::app::data::changes::ChangeItem>,
    },
    /// A pending cancellation settled (rechecked in the background).
    InvoiceChanged {
        team: TeamId,
        invoice: Box<Invoice>,
    },
}

/// What the app asks the worker (or the event loop) to do.
#[derive(Clone, Debug, PartialEq)]
pub enum Request {
    LoadTeams,
    /// The table on screen changed (sent by the event loop, from `State::shown_list`): its
    /// reading goes first; the others wait between pages while it runs.
    Shown(Option<(TeamId, Dataset)>),
    Load {
        team: TeamId,
        generation: Generation,
        dataset: Dataset,
        /// Bypass the cache (the `r` key).
        force: bool,
    },
    /// Read a dataset of the team completely (`:refresh all`): what the server no longer
    /// has leaves the store and the table.
    LoadComplete {
        team: TeamId,
        generation: Generation,
        dataset: Dataset,
    },
    /// The same load after `after_secs`, cancelled like any load by a switch (a transient
    /// failure retries on its own).
    RetryLoad {
        team: TeamId,
        generation: Generation,
        dataset: Dataset,
        after_secs: u64,
    },
    /// Load every team's invoices and payments for the Group tab, `teams` in this order,
    /// a few at a time through the shared rate limit; a newer one replaces it.
    LoadGroup {
        generation: Generation,
        teams: Vec<TeamId>,
        /// Bypass the cache (`r` in the tab); the first opening uses what is fresh.
        force: bool,
    },
    /// Search every team's loaded clients, invoices and payments (the worker's cache).
    Find {
        generation: u64,
        teams: Vec<TeamId>,
        query: Query,
    },
    /// A create form's lists (clients, services, series, settings) and the key's role in
    /// `team`; with `credit_for`, the credit notes already related to that invoice.
    FormData {
        team: TeamId,
        credit_for: Option<String>,
    },
    /// A team's invoice drafts (`:drafts`).
    LoadDrafts {
        team: TeamId,
    },
    /// The key's role in each of these teams (before a bulk write is sent).
    CheckRoles {
        generation: u64,
        teams: Vec<TeamId>,
    },
    /// A team's users (with roles) or services, for the `:users` / `:services` popup.
    LoadListing {
        team: TeamId,
        kind: ListingKind,
    },
    /// What changed since `since` as typed (`:since`), or since the end of the last session
    /// (`None`), read from the store.
    LoadChanges {
        generation: u64,
        since: Option<String>,
    },
    /// What the list shows of these changes' documents (their labels), read from the store.
    LabelChanges {
        generation: u64,
        items: Vec<crate::app::data::changes::ChangeItem>,
    },
    /// The Group tab was left: stop the teams not loaded yet.
    StopGroup,
    /// Every team's configuration for the Branches tab (the list, then four reads per
    /// team under the one rate limit); a newer one replaces it.
    LoadBranches {
        generation: Generation,
    },
    /// The Branches tab was left: stop the teams not read yet.
    StopBranches,
    /// These teams' configuration again (after a change to them), beside any load.
    LoadBranchesOf {
        generation: Generation,
        teams: Vec<TeamId>,
    },
    /// Check every client's fiscal data in these teams (`:validate`).
    Validate {
        generation: u64,
        teams: Vec<TeamId>,
    },
    /// The team list again after `after_secs` (it failed).
    LoadTeamsLater {
        after_secs: u64,
    },
    /// A switch happened: stop every load that is not for this team.
    FocusTeam {
        team: TeamId,
    },
    Detail {
        team: TeamId,
        generation: Generation,
        dataset: Dataset,
        id: String,
    },
    /// Run a confirmed write. The key stays the same for every retry of this action.
    Write {
        team: TeamId,
        team_name: String,
        request: kinds::WriteRequest,
        idempotency_key: String,
        /// For the audit log: who and how much, as the dialog showed it.
        client: String,
        amount: String,
        currency: String,
    },
    /// Fetch an invoice's PDF and XML into the downloads folder.
    Download {
        team: TeamId,
        team_name: String,
        uuid: String,
        folio: String,
    },
    /// Save the table as shown (filtered, sorted) as CSV in the team's downloads folder.
    ExportTable {
        team_name: String,
        name: String,
        csv: Vec<u8>,
    },
    /// Put text on the clipboard with OSC 52 (the event loop writes it; works over SSH).
    Copy {
        text: String,
    },
    /// Remember the team for the next run (the event loop writes the state file).
    RememberTeam {
        team: TeamId,
    },
    Quit,
}

/// Everything that can happen to the app.
#[derive(Clone, Debug)]
pub enum Msg {
    Key(KeyEvent),
    Resize(u16, u16),
    /// Spinner tick; sent only while something loads.
    Tick,
    Worker(Box<Update>),
    /// Mouse (only with `mouse = true`): wheel steps and a click on a screen row.
    Scroll(i8),
    Click {
        row: u16,
    },
    Quit,
}
