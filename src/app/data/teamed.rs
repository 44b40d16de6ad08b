//! The all-teams scope's rows (`a`): a team's row with its team, and the three tables that
//! hold every loaded team's clients, invoices and payments with a Team column first. Each
//! team's rows come only from requests scoped to that team; a team's newer set replaces
//! its older one.

use std::cmp::Ordering;
use std::collections::BTreeSet;
use std::sync::Arc;

use crate::api::TeamId;
use crate::app::data::dataset::Dataset;
use crate::app::data::documents::{
    CLIENT_COLUMNS, ClientRow, Column, HAY, Hay, INVOICE_COLUMNS, InvoiceRow, PAYMENT_COLUMNS,
    PaymentRow, Row, with_team,
};
use crate::app::data::receipts::{RECEIPT_COLUMNS, ReceiptRow};
use crate::app::data::table::Table;
use crate::app::msg::Rows;

/// A row of one team, in a table of many.
#[derive(Clone, Debug)]
pub struct Scoped<R> {
    pub team: TeamId,
    pub team_name: Arc<str>,
    pub row: R,
}

impl<R: Row> Scoped<R> {
    pub fn new(team: TeamId, team_name: Arc<str>, row: R) -> Self {
        Scoped {
            team,
            team_name,
            row,
        }
    }
}

/// A row type that can be shown with its team: its columns with the Team column first.
pub trait Teamed: Row {
    const SCOPED_COLUMNS: &'static [Column];
}

impl Teamed for ClientRow {
    const SCOPED_COLUMNS: &'static [Column] = &with_team::<6, 7>(CLIENT_COLUMNS);
}
impl Teamed for InvoiceRow {
    const SCOPED_COLUMNS: &'static [Column] = &with_team::<7, 8>(INVOICE_COLUMNS);
}
impl Teamed for PaymentRow {
    const SCOPED_COLUMNS: &'static [Column] = &with_team::<6, 7>(PAYMENT_COLUMNS);
}
impl Teamed for ReceiptRow {
    const SCOPED_COLUMNS: &'static [Column] = &with_team::<6, 7>(RECEIPT_COLUMNS);
}

impl<R: Teamed> Row for Scoped<R> {
    const COLUMNS: &'static [Column] = R::SCOPED_COLUMNS;
    const DEFAULT_SORT: (usize, bool) = (R::DEFAULT_SORT.0 + 1, R::DEFAULT_SORT.1);
    fn id(&self) -> &str {
        self.row.id()
    }
    /// The team's name, then the row's own (at most `HAY - 1`: every row gives fewer).
    fn search(&self) -> Hay<'_> {
        let own = self.row.search();
        debug_assert!(own[HAY - 1].is_empty(), "a row gives at most HAY - 1 texts");
        std::array::from_fn(|i| if i == 0 { &*self.team_name } else { own[i - 1] })
    }
    fn cell(&self, col: usize) -> &str {
        match col {
            0 => &self.team_name,
            c => self.row.cell(c - 1),
        }
    }
    fn cmp_col(&self, other: &Self, col: usize) -> Ordering {
        match col {
            0 => {
                crate::i18n::sort_key(&self.team_name).cmp(&crate::i18n::sort_key(&other.team_name))
            }
            c => self.row.cmp_col(&other.row, c - 1),
        }
    }
}

/// The all-teams scope: whether the table tabs show every team's rows, and those rows, one
/// table per dataset.
#[derive(Clone, Debug, Default)]
pub struct AllTeams {
    /// The scope is on (`a`).
    pub on: bool,
    pub clients: Table<Scoped<ClientRow>>,
    pub invoices: Table<Scoped<InvoiceRow>>,
    pub payments: Table<Scoped<PaymentRow>>,
    pub receipts: Table<Scoped<ReceiptRow>>,
    /// (team, dataset) whose rows are in.
    pub loaded: BTreeSet<(TeamId, Dataset)>,
}

impl AllTeams {
    /// A team's complete set of one dataset, in place of what the table held for it.
    pub fn put(&mut self, team: &TeamId, name: &str, rows: &Rows) {
        let name: Arc<str> = Arc::from(name);
        match rows {
            Rows::Clients(r) => replace(&mut self.clients, team, &name, r),
            Rows::Invoices(r) => replace(&mut self.invoices, team, &name, r),
            Rows::Payments(r) => replace(&mut self.payments, team, &name, r),
            Rows::Receipts(r) => replace(&mut self.receipts, team, &name, r),
        }
        let dataset = match rows {
            Rows::Clients(_) => Dataset::Clients,
            Rows::Invoices(_) => Dataset::Invoices,
            Rows::Payments(_) => Dataset::Payments,
            Rows::Receipts(_) => Dataset::Receipts,
        };
        self.loaded.insert((team.clone(), dataset));
    }

    /// A payment the API returned, in place of its row (kept where the cursor is).
    pub fn replace_payment(&mut self, team: &TeamId, row: PaymentRow) {
        replace_one(&mut self.payments, team, row);
    }

    /// An invoice the API returned, in place of its row.
    pub fn replace_invoice(&mut self, team: &TeamId, row: InvoiceRow) {
        replace_one(&mut self.invoices, team, row);
    }

    /// Teams whose `dataset` is in.
    pub fn teams_in(&self, dataset: Dataset) -> usize {
        self.loaded.iter().filter(|(_, d)| *d == dataset).count()
    }
}

fn replace<R: Teamed>(table: &mut Table<Scoped<R>>, team: &TeamId, name: &Arc<str>, rows: &[R]) {
    let selected = table
        .selected_row()
        .map(|r| (r.team.clone(), r.id().to_string()));
    // The team's new rows take the place its old ones had: rows that sort equal (the same
    // minute in two teams) keep their order, so a team read again never moves the cursor.
    let fresh = rows
        .iter()
        .map(|r| Scoped::new(team.clone(), name.clone(), r.clone()));
    let mut all: Vec<Scoped<R>> = Vec::with_capacity(table.rows.len() + rows.len());
    let mut fresh = Some(fresh);
    for r in table.rows.iter() {
        if &r.team == team {
            if let Some(f) = fresh.take() {
                all.extend(f);
            }
        } else {
            all.push(r.clone());
        }
    }
    if let Some(f) = fresh {
        all.extend(f);
    }
    table.set_rows(Arc::new(all));
    // The cursor stays on the row it was on.
    if let Some((t, id)) = selected
        && let Some(pos) = table
            .view
            .iter()
            .position(|i| table.rows[*i as usize].team == t && table.rows[*i as usize].id() == id)
    {
        table.selected = pos;
    }
}

/// One row of a team in place of the row with its id; the view is rebuilt (the new row may
/// filter or sort elsewhere) with the cursor on the row it was on.
fn replace_one<R: Teamed>(table: &mut Table<Scoped<R>>, team: &TeamId, row: R) {
    let Some(pos) = table
        .rows
        .iter()
        .position(|r| &r.team == team && r.id() == row.id())
    else {
        return;
    };
    let name = table.rows[pos].team_name.clone();
    let selected = table
        .selected_row()
        .map(|r| (r.team.clone(), r.id().to_string()));
    let mut rows = std::mem::take(&mut table.rows);
    Arc::make_mut(&mut rows)[pos] = Scoped::new(team.clone(), name, row);
    table.set_rows(rows);
    if let Some((t, id)) = selected
        && let Some(at) = table
            .view
            .iter()
            .position(|i| table.rows[*i as usize].team == t && table.rows[*i as usize].id() == id)
    {
        table.selected = at;
    }
}
