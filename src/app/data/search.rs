//! What a cross-team search asks and what it finds: the query (text or an exact amount)
//! and its hits, each naming its team. Data only: the worker runs the query over its cache,
//! `find` shows the hits.

use rust_decimal::Decimal;

use crate::api::TeamId;
use crate::app::data::dataset::Dataset;
use crate::app::data::documents::{ClientRow, InvoiceRow, PaymentRow, Row, fold};

/// One result: where it is and what it shows.
#[derive(Clone, Debug, PartialEq)]
pub struct FindHit {
    pub team: TeamId,
    pub dataset: Dataset,
    pub id: String,
    /// Folio or id, client, amount — as its table shows them.
    pub label: String,
}

/// What a query asks: text matched within names, RFCs, UUIDs, folios and ids, or an exact
/// amount (`1160.50`, `$1,160.50`).
#[derive(Clone, Debug, PartialEq)]
pub struct Query {
    pub text: String,
    pub amount: Option<Decimal>,
}

impl Query {
    pub fn parse(text: &str) -> Option<Query> {
        let t = text.trim();
        if t.is_empty() {
            return None;
        }
        let digits: String = t
            .chars()
            .filter(|c| !matches!(c, '$' | ',' | ' '))
            .collect();
        let amount = digits
            .strip_suffix("MXN")
            .unwrap_or(&digits)
            .parse::<Decimal>()
            .ok();
        Some(Query {
            text: fold(t),
            amount,
        })
    }

    fn has(&self, fields: &[&str]) -> bool {
        fields.iter().any(|f| fold(f).contains(&self.text))
    }

    pub fn client(&self, c: &ClientRow) -> bool {
        self.has(&[c.id(), c.name(), c.rfc()])
    }

    pub fn invoice(&self, i: &InvoiceRow) -> bool {
        self.amount.is_some_and(|a| a == i.total)
            || self.has(&[i.uuid(), i.folio(), i.client(), i.client_rfc()])
    }

    pub fn payment(&self, p: &PaymentRow) -> bool {
        self.amount.is_some_and(|a| a == p.total) || self.has(&[p.id(), p.client()])
    }
}
