//! The gigstack v2 API layer: typed models, money and time decoding, the HTTP client with
//! Connect scoping, retries and rate limiting, and the per-team cache. Nothing of the UI.

mod budget;
pub mod cache;
pub mod client;
pub mod config;
pub mod creates;
pub mod draft;
pub mod envelope;
pub mod error;
pub mod idempotency;
pub mod key;
mod limiter;
pub mod models;
pub mod money;
pub mod payment;
pub mod query;
pub mod reads;
mod sharing;
pub mod status;
pub mod time;
mod turns;
pub mod writes;

pub use client::{ApiClient, ClientConfig, DEFAULT_BASE_URL};
pub use config::TeamConfig;
pub use creates::{
    ClientId, Customer, NewAddress, NewClient, NewInvoice, NewItem, NewTax, PaymentRequest,
    RegisterPayment, Related, Search, Upsert,
};
pub use draft::{Draft, DraftItem, ItemTax};
pub use envelope::Page;
pub use error::ApiError;
pub use idempotency::IdempotencyKey;
pub use key::{ApiKey, KeyInfo};
pub use models::*;
pub use money::Amount;
pub use payment::*;
pub use query::{ListQuery, Resource};
pub use time::{Instant, mexico_city};
pub use writes::{
    CancelInvoice, FiscalCheck, MarkPaid, NewComplement, RefundRequest, StampedReceipts,
};

/// Decodes a list page body exactly as the client does (for tests and benchmarks).
pub fn decode_page<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<Page<T>, ApiError> {
    client::decode_page_public(body)
}
