//! The tabs of a team's view and the dataset each one shows.

use crate::app::data::dataset::Dataset;
use crate::i18n::Lang;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Tab {
    #[default]
    Overview,
    Clients,
    Invoices,
    Payments,
    Receipts,
}

impl Tab {
    pub const ALL: [Tab; 5] = [
        Tab::Overview,
        Tab::Clients,
        Tab::Invoices,
        Tab::Payments,
        Tab::Receipts,
    ];

    pub fn title(self, lang: Lang) -> &'static str {
        match self {
            Tab::Overview => lang.pick("Overview", "Resumen"),
            Tab::Clients => lang.pick("Clients", "Clientes"),
            Tab::Invoices => lang.pick("Invoices", "Facturas"),
            Tab::Payments => lang.pick("Payments", "Pagos"),
            Tab::Receipts => lang.pick("Receipts", "Recibos"),
        }
    }

    pub fn index(self) -> usize {
        Tab::ALL.iter().position(|t| *t == self).unwrap_or(0)
    }

    pub fn dataset(self) -> Option<Dataset> {
        match self {
            Tab::Overview => None,
            Tab::Clients => Some(Dataset::Clients),
            Tab::Invoices => Some(Dataset::Invoices),
            Tab::Payments => Some(Dataset::Payments),
            Tab::Receipts => Some(Dataset::Receipts),
        }
    }
}
