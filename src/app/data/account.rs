//! The read-only lists of a team's account (`:users`, `:services`): who is in the team and
//! with what role (so the operator knows who can cancel where), and the service catalogue
//! with its SAT product and unit keys. Data only: rows are made printable in the worker.

use crate::api::TeamId;
use crate::i18n::{Tr, tr};

const USER_COLUMNS: [Tr; 4] = [
    tr("Name", "Nombre"),
    tr("Email", "Correo"),
    tr("Role", "Rol"),
    tr("Last login", "Último acceso"),
];

const SERVICE_COLUMNS: [Tr; 5] = [
    tr("Description", "Descripción"),
    tr("SKU", "SKU"),
    tr("Product key", "Clave prod."),
    tr("Unit", "Unidad"),
    tr("Price", "Precio"),
];

const COMPLEMENT_COLUMNS: [Tr; 7] = [
    tr("SAT deadline", "Plazo SAT"),
    tr("Folio", "Folio"),
    tr("Client", "Cliente"),
    tr("Paid", "Pagado"),
    tr("Amount", "Monto"),
    tr("No.", "Parc."),
    tr("Balance before", "Saldo anterior"),
];

/// The month-end summary's columns (`:month` and `gigdash report month`).
pub const MONTH_COLUMNS: [Tr; 9] = [
    tr("Team", "Equipo"),
    tr("Invoiced", "Facturado"),
    tr("Invoices", "Facturas"),
    tr("Collected", "Cobrado"),
    tr("Cancelled", "Cancelado"),
    tr("Receipts pending", "Recibos pendientes"),
    tr("Complements owed", "Complementos pendientes"),
    tr("Late", "Vencidos"),
    tr("Clients failing", "Clientes con error"),
];

const FISCAL_COLUMNS: [Tr; 4] = [
    tr("Client", "Cliente"),
    tr("RFC", "RFC"),
    tr("Team", "Equipo"),
    tr("What fails", "Qué falla"),
];

/// `:month` on screen: what fits 80 columns with money whole.
const MONTH_SHORT: [Tr; 7] = [
    tr("Team", "Equipo"),
    tr("Invoiced", "Facturado"),
    tr("Collected", "Cobrado"),
    tr("Cancelled", "Cancelado"),
    tr("Receipts", "Recibos"),
    tr("Compl./late", "Compl./venc."),
    tr("Failing", "Con error"),
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListingKind {
    Users,
    Services,
    /// Payment complements owed (computed from the team's rows, not fetched).
    Complements,
    /// This month's summary of every team, with totals (`:month`).
    Month,
    /// Clients whose fiscal data failed the check (`:validate`), with why.
    Fiscal,
}

impl ListingKind {
    pub fn title(self) -> Tr {
        match self {
            ListingKind::Users => tr("Users and roles", "Usuarios y roles"),
            ListingKind::Services => tr("Services (SAT keys)", "Servicios (claves SAT)"),
            ListingKind::Complements => tr(
                "Payment complements owed",
                "Complementos de pago pendientes",
            ),
            ListingKind::Month => tr("Month end", "Cierre de mes"),
            ListingKind::Fiscal => tr("Fiscal check", "Revisión fiscal"),
        }
    }

    /// Many columns of dates and money, kept whole: one space apart, only the flexible one
    /// gives up width.
    pub fn compact(self) -> bool {
        matches!(self, ListingKind::Complements | ListingKind::Month)
    }

    /// The column that gives up width when the screen is narrow (never a money column).
    pub fn flex_column(self) -> usize {
        match self {
            ListingKind::Complements => 2,
            _ => 0,
        }
    }

    /// Columns left out, in this order, when the screen is too narrow for every one
    /// whole: never a money column (an amount is never cut).
    pub fn droppable(self) -> &'static [usize] {
        match self {
            ListingKind::Month => &[6, 5, 4],
            _ => &[],
        }
    }

    pub fn columns(self) -> &'static [Tr] {
        match self {
            ListingKind::Users => &USER_COLUMNS,
            ListingKind::Services => &SERVICE_COLUMNS,
            ListingKind::Complements => &COMPLEMENT_COLUMNS,
            ListingKind::Month => &MONTH_SHORT,
            ListingKind::Fiscal => &FISCAL_COLUMNS,
        }
    }
}

/// The popup: whose list, and the rows once they arrive (or why they did not).
#[derive(Clone, Debug, PartialEq)]
pub struct ListingView {
    pub kind: ListingKind,
    pub team: TeamId,
    pub team_name: String,
    pub rows: Option<Result<Vec<Vec<String>>, String>>,
    pub scroll: u16,
}
