//! The three kinds of team data as the worker handles them: the API's type, the app's row,
//! the store's kind and the facts the store keeps of a row (decided here, from the row, so
//! the Group figures from the store mean what `app::figures` means).

use std::sync::Arc;

use rust_decimal::Decimal;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::api::{ApiClient, ApiError, Client, Invoice, Payment, PaymentStatus, Resource, TeamId};
use crate::app::data::documents::{
    ClientRow, InvoiceRow, PaymentRow, Row, RowCancellation, RowStatus,
};
use crate::app::{Dataset, Rows};
use crate::i18n::Lang;
use crate::store::{Facts, Kind};

pub(crate) trait Shape: Send + Sync + 'static {
    type Api: DeserializeOwned + Serialize + Send + Sync + 'static;
    type Row: Row + Clone + Send + Sync + 'static;
    const KIND: Kind;
    const RESOURCE: Resource;
    const DATASET: Dataset;
    /// Statuses under which a document can still change: an incremental read counts
    /// each (the §1.7 `status` filter, one request), lists it whole when the count moved,
    /// and then reads by id the stored ones it no longer lists.
    const OPEN_STATUSES: &'static [&'static str] = &[];
    /// Statuses a closed document can still move to (an invoice cancelled, a payment
    /// refunded): counted the same way, listed when the count moved.
    const COUNTED: &'static [&'static str] = &[];
    fn convert(api: &Self::Api, lang: Lang) -> Self::Row;
    /// A page (or a batch from the store) converted, its rows' texts in one block.
    fn convert_all(items: &[Self::Api], lang: Lang) -> Vec<Self::Row> {
        let mut rows: Vec<Self::Row> = items.iter().map(|x| Self::convert(x, lang)).collect();
        Self::Row::share_texts(&mut rows);
        rows
    }
    fn facts(row: &Self::Row) -> Facts;
    fn wrap(rows: Arc<Vec<Self::Row>>) -> Rows;
    /// One document by id.
    fn get(
        client: &ApiClient,
        team: &TeamId,
        id: &str,
    ) -> impl std::future::Future<Output = Result<Self::Api, ApiError>> + Send;
}

pub(crate) struct Clients;
pub(crate) struct Invoices;
pub(crate) struct Payments;

impl Shape for Clients {
    type Api = Client;
    type Row = ClientRow;
    const KIND: Kind = Kind::Client;
    const RESOURCE: Resource = Resource::Clients;
    const DATASET: Dataset = Dataset::Clients;
    fn convert(api: &Client, lang: Lang) -> ClientRow {
        ClientRow::from_api(api, lang)
    }
    fn facts(row: &ClientRow) -> Facts {
        Facts {
            created: row.created,
            ..Facts::default()
        }
    }
    fn wrap(rows: Arc<Vec<ClientRow>>) -> Rows {
        Rows::Clients(rows)
    }
    async fn get(client: &ApiClient, team: &TeamId, id: &str) -> Result<Client, ApiError> {
        client.get_client(team, id).await
    }
}

impl Shape for Invoices {
    type Api = Invoice;
    type Row = InvoiceRow;
    const KIND: Kind = Kind::Invoice;
    const RESOURCE: Resource = Resource::IncomeInvoices;
    const DATASET: Dataset = Dataset::Invoices;
    /// Stamping is usually instant; a PPD balance or a cancellation waiting has no status
    /// of its own (those invoices are read by id: a payment tied to them changed, or
    /// their cancellation waits).
    const OPEN_STATUSES: &'static [&'static str] = &["pending"];
    const COUNTED: &'static [&'static str] = &["canceled"];
    fn convert(api: &Invoice, lang: Lang) -> InvoiceRow {
        InvoiceRow::from_api(api, lang)
    }
    fn facts(row: &InvoiceRow) -> Facts {
        // As `app::overview` counts them: valid income invoices only.
        let invoiced = row.status == RowStatus::Valid && row.kind() == "I";
        let owed = row
            .balance_mxn()
            .filter(|b| invoiced && row.ppd && *b > Decimal::ZERO);
        let cancel_pending = row.cancellation == RowCancellation::Pending;
        Facts {
            created: row.created,
            amount: row.total_mxn(),
            open: owed.is_some() || cancel_pending || row.status == RowStatus::Pending,
            invoiced,
            owed,
            cancel_pending,
            uncollected: false,
            paid_at: None,
            link: None,
            due: None,
        }
    }
    fn wrap(rows: Arc<Vec<InvoiceRow>>) -> Rows {
        Rows::Invoices(rows)
    }
    async fn get(client: &ApiClient, team: &TeamId, id: &str) -> Result<Invoice, ApiError> {
        client.get_invoice(team, id).await
    }
}

impl Shape for Payments {
    type Api = Payment;
    type Row = PaymentRow;
    const KIND: Kind = Kind::Payment;
    const RESOURCE: Resource = Resource::Payments;
    const DATASET: Dataset = Dataset::Payments;
    /// What `PaymentStatus::is_uncollected` means, as the API spells it (§5.7).
    const OPEN_STATUSES: &'static [&'static str] =
        &["requires_payment_method", "pending", "processing"];
    const COUNTED: &'static [&'static str] = &["refunded"];
    fn convert(api: &Payment, lang: Lang) -> PaymentRow {
        PaymentRow::from_api(api, lang)
    }
    fn facts(row: &PaymentRow) -> Facts {
        let uncollected = row.status().is_uncollected();
        Facts {
            created: row.created,
            amount: row.total_mxn(),
            open: uncollected,
            uncollected,
            paid_at: matches!(
                row.status(),
                PaymentStatus::Succeeded | PaymentStatus::Refunded
            )
            .then_some(row.succeeded_at())
            .flatten(),
            link: row.invoices().next().map(str::to_string),
            ..Facts::default()
        }
    }
    fn wrap(rows: Arc<Vec<PaymentRow>>) -> Rows {
        Rows::Payments(rows)
    }
    async fn get(client: &ApiClient, team: &TeamId, id: &str) -> Result<Payment, ApiError> {
        client.get_payment(team, id).await
    }
}

pub(crate) struct Receipts;

impl Shape for Receipts {
    type Api = crate::api::Receipt;
    type Row = crate::app::data::receipts::ReceiptRow;
    const KIND: Kind = Kind::Receipt;
    const RESOURCE: Resource = Resource::Receipts;
    const DATASET: Dataset = Dataset::Receipts;
    /// `open` is `pending` said another way (§6.4).
    const OPEN_STATUSES: &'static [&'static str] = &["pending", "open"];
    /// Made now: how long until it expires is said from this moment.
    fn convert(api: &crate::api::Receipt, lang: Lang) -> Self::Row {
        crate::app::data::receipts::ReceiptRow::from_api(
            api,
            lang,
            jiff::Timestamp::now().as_second(),
        )
    }
    fn facts(row: &Self::Row) -> Facts {
        Facts {
            created: row.created,
            // In pesos, as every amount of the store: a receipt carries no exchange rate, so
            // one in another currency counts none.
            amount: if row.in_pesos() {
                row.total
            } else {
                Decimal::ZERO
            },
            open: row.is_open(),
            // When it goes into the global invoice, while it still can.
            due: row.valid_until.filter(|_| row.is_open()),
            ..Facts::default()
        }
    }
    fn wrap(rows: Arc<Vec<Self::Row>>) -> Rows {
        Rows::Receipts(rows)
    }
    async fn get(
        client: &ApiClient,
        team: &TeamId,
        id: &str,
    ) -> Result<crate::api::Receipt, ApiError> {
        client.get_receipt(team, id).await
    }
}

/// The list a dataset is read from.
pub(super) fn resource(d: crate::app::Dataset) -> Resource {
    match d {
        crate::app::Dataset::Clients => Clients::RESOURCE,
        crate::app::Dataset::Invoices => Invoices::RESOURCE,
        crate::app::Dataset::Payments => Payments::RESOURCE,
        crate::app::Dataset::Receipts => Receipts::RESOURCE,
    }
}
