//! A draft invoice (pre-factura, §4.1) as the API answers it: what was sent, with the
//! items and figures the server computed. Decoded leniently like every model; knows
//! nothing of how drafts are written (`creates.rs`).

use serde::{Deserialize, Serialize};

use super::models::{ClientRef, RelatedDocuments, null_default, string_or_number};
use super::money::{self, Amount};
use super::time::{self, Instant};

/// `GET /invoices/draft` and the answers of its create, update and delete.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    pub id: String,
    /// `draft` while it can still be edited and stamped, `stamped` after.
    pub status: Option<String>,
    /// The income invoice the draft became, once stamped.
    pub invoice_uuid: Option<String>,
    pub client: Option<ClientRef>,
    #[serde(default, deserialize_with = "null_default")]
    pub items: Vec<DraftItem>,
    pub currency: Option<String>,
    #[serde(default, deserialize_with = "money::opt::deserialize")]
    pub exchange_rate: Option<Amount>,
    #[serde(rename = "use")]
    pub cfdi_use: Option<String>,
    #[serde(default, deserialize_with = "string_or_number")]
    pub payment_form: Option<String>,
    pub payment_method: Option<String>,
    #[serde(default, deserialize_with = "string_or_number")]
    pub series: Option<String>,
    #[serde(default, deserialize_with = "null_default")]
    pub related_documents: Vec<RelatedDocuments>,
    pub invoice_pdf_notes: Option<String>,
    #[serde(default, deserialize_with = "money::opt::deserialize")]
    pub subtotal: Option<Amount>,
    #[serde(default, deserialize_with = "money::opt::deserialize")]
    pub discount: Option<Amount>,
    /// Σ transferred taxes (a number, as on invoices §4.4).
    #[serde(default, deserialize_with = "money::opt::deserialize")]
    pub taxes: Option<Amount>,
    /// Σ withheld taxes (ISR, IVA retenido), when the server says.
    #[serde(default, deserialize_with = "money::opt::deserialize")]
    pub withholdings: Option<Amount>,
    #[serde(default, deserialize_with = "money::opt::deserialize")]
    pub total: Option<Amount>,
    #[serde(default, deserialize_with = "time::opt::deserialize")]
    pub created_at: Option<Instant>,
    pub team: Option<String>,
}

impl Draft {
    /// Whether stamping it may still be asked (a stamped draft is refused with 409).
    pub fn stampable(&self) -> bool {
        self.status.as_deref().is_none_or(|s| s == "draft")
    }
}

/// A line of a draft, with what the server computed of it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DraftItem {
    pub id: Option<String>,
    pub description: Option<String>,
    #[serde(default, deserialize_with = "money::opt::deserialize")]
    pub quantity: Option<Amount>,
    #[serde(default, deserialize_with = "money::opt::deserialize")]
    pub unit_price: Option<Amount>,
    #[serde(default, deserialize_with = "money::opt::deserialize")]
    pub discount: Option<Amount>,
    pub product_key: Option<String>,
    pub unit_key: Option<String>,
    pub unit_name: Option<String>,
    pub sku: Option<String>,
    /// SAT ObjetoImp (`01`–`08`), when sent.
    pub taxability: Option<String>,
    #[serde(default, deserialize_with = "null_default")]
    pub taxes: Vec<ItemTax>,
}

/// A tax of a document's item: the request's tax (§3.3) with the base it was computed on
/// and its amount (none on an exempt tax).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ItemTax {
    #[serde(rename = "type")]
    pub kind: Option<String>,
    #[serde(default, deserialize_with = "money::opt::deserialize")]
    pub rate: Option<Amount>,
    pub factor: Option<String>,
    pub withholding: Option<bool>,
    pub inclusive: Option<bool>,
    #[serde(default, deserialize_with = "money::opt::deserialize")]
    pub base: Option<Amount>,
    #[serde(default, deserialize_with = "money::opt::deserialize")]
    pub amount: Option<Amount>,
}
