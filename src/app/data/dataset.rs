//! The datasets a team's view loads: clients, invoices, payments. Below every other file
//! of `app/`.

/// The datasets a team view loads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Dataset {
    Clients,
    Invoices,
    Payments,
    Receipts,
}

impl Dataset {
    pub const ALL: [Dataset; 4] = [
        Dataset::Clients,
        Dataset::Invoices,
        Dataset::Payments,
        Dataset::Receipts,
    ];
}
