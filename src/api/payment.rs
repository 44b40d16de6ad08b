//! A payment as the API sends it, in every shape: its total from `total`, subtotal plus
//! taxes, cents or the items (and where it came from), its links to invoices, its refunds.

use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize};

use super::models::{ClientRef, Item, drop_nulls, string_or_number};
use super::money::{self, Amount};
use super::status::PaymentStatus;
use super::time::{self, Instant};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Refund {
    pub id: Option<String>,
    #[serde(default, deserialize_with = "money::opt::deserialize")]
    pub amount: Option<Amount>,
    pub reason: Option<String>,
    #[serde(default, deserialize_with = "time::opt::deserialize")]
    pub created_at: Option<Instant>,
}

/// A related invoice in a payment: a uuid string, or an object carrying one.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct InvoiceLink(pub String);

impl<'de> Deserialize<'de> for InvoiceLink {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = serde_json::Value::deserialize(d)?;
        match &v {
            serde_json::Value::String(s) => Ok(InvoiceLink(s.clone())),
            serde_json::Value::Object(o) => o
                .get("uuid")
                .or_else(|| o.get("id"))
                .and_then(|x| x.as_str())
                .map(|s| InvoiceLink(s.to_string()))
                .ok_or_else(|| de::Error::custom("invoice reference without uuid or id")),
            other => Err(de::Error::custom(format!(
                "unexpected invoice reference {other}"
            ))),
        }
    }
}

/// What the API sent for a payment; `Payment` computes the total when it is missing.
#[derive(Clone, Debug, Default, Deserialize)]
struct PaymentWire {
    id: String,
    status: Option<PaymentStatus>,
    client: Option<ClientRef>,
    #[serde(default, deserialize_with = "drop_nulls")]
    items: Vec<Item>,
    currency: Option<String>,
    #[serde(default, deserialize_with = "money::opt::deserialize")]
    exchange_rate: Option<Amount>,
    #[serde(default, deserialize_with = "money::opt::deserialize")]
    subtotal: Option<Amount>,
    #[serde(default, deserialize_with = "money::opt::deserialize")]
    taxes: Option<Amount>,
    #[serde(default, deserialize_with = "money::opt::deserialize")]
    discount: Option<Amount>,
    #[serde(default, deserialize_with = "money::opt::deserialize")]
    total: Option<Amount>,
    #[serde(default, deserialize_with = "money::opt::deserialize")]
    amount: Option<Amount>,
    #[serde(default, deserialize_with = "string_or_number")]
    payment_form: Option<String>,
    #[serde(default, deserialize_with = "drop_nulls")]
    invoices: Vec<InvoiceLink>,
    #[serde(default, deserialize_with = "drop_nulls")]
    refunds: Vec<Refund>,
    short_url: Option<String>,
    payment_processor: Option<String>,
    processor: Option<String>,
    idempotency_key: Option<String>,
    automation_type: Option<String>,
    #[serde(default, deserialize_with = "time::opt::deserialize")]
    created_at: Option<Instant>,
    #[serde(default, deserialize_with = "time::opt::deserialize")]
    succeeded_at: Option<Instant>,
    livemode: Option<bool>,
    team: Option<String>,
    owner: Option<String>,
    #[serde(default)]
    metadata: serde_json::Value,
    #[serde(default)]
    unreadable: Vec<String>,
}

/// Where a payment's total came from (gigstack-api.md §12 #21).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub enum TotalSource {
    #[default]
    Total,
    SubtotalPlusTaxes,
    AmountInCents,
    SumOfItems,
    Unknown,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(from = "PaymentWire")]
pub struct Payment {
    pub id: String,
    pub status: Option<PaymentStatus>,
    pub client: Option<ClientRef>,
    pub items: Vec<Item>,
    pub currency: Option<String>,
    pub exchange_rate: Option<Amount>,
    pub subtotal: Option<Amount>,
    pub taxes: Option<Amount>,
    pub discount: Option<Amount>,
    pub total: Amount,
    pub total_source: TotalSource,
    pub payment_form: Option<String>,
    pub invoices: Vec<InvoiceLink>,
    pub refunds: Vec<Refund>,
    pub short_url: Option<String>,
    pub payment_processor: Option<String>,
    pub idempotency_key: Option<String>,
    pub automation_type: Option<String>,
    pub created_at: Option<Instant>,
    pub succeeded_at: Option<Instant>,
    pub livemode: Option<bool>,
    pub team: Option<String>,
    pub owner: Option<String>,
    pub metadata: serde_json::Value,
    /// Money fields that were not an amount (see `Invoice::unreadable`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unreadable: Vec<String>,
}

impl From<PaymentWire> for Payment {
    fn from(w: PaymentWire) -> Self {
        let hundred = Amount(rust_decimal::Decimal::ONE_HUNDRED);
        let (total, total_source) = if let Some(t) = w.total {
            (t, TotalSource::Total)
        } else if let (Some(s), Some(t)) = (w.subtotal, w.taxes) {
            (
                s + t - w.discount.unwrap_or_default(),
                TotalSource::SubtotalPlusTaxes,
            )
        } else if let Some(a) = w.amount {
            (
                Amount(a.0.checked_div(hundred.0).unwrap_or_default()),
                TotalSource::AmountInCents,
            )
        } else if !w.items.is_empty() {
            (
                w.items.iter().map(Item::line_total).sum(),
                TotalSource::SumOfItems,
            )
        } else {
            (Amount::ZERO, TotalSource::Unknown)
        };
        Payment {
            id: w.id,
            status: w.status,
            client: w.client,
            items: w.items,
            currency: w.currency,
            exchange_rate: w.exchange_rate,
            subtotal: w.subtotal,
            taxes: w.taxes,
            discount: w.discount,
            total,
            total_source,
            payment_form: w.payment_form,
            invoices: w.invoices,
            refunds: w.refunds,
            short_url: w.short_url,
            payment_processor: w.payment_processor.or(w.processor),
            idempotency_key: w.idempotency_key,
            automation_type: w.automation_type,
            created_at: w.created_at,
            succeeded_at: w.succeeded_at,
            livemode: w.livemode,
            team: w.team,
            owner: w.owner,
            metadata: w.metadata,
            unreadable: w.unreadable,
        }
    }
}

impl Payment {
    pub fn status(&self) -> PaymentStatus {
        self.status
            .clone()
            .unwrap_or_else(|| PaymentStatus::Other(String::new()))
    }
    pub fn currency(&self) -> &str {
        self.currency.as_deref().unwrap_or("MXN")
    }
    pub fn refunded(&self) -> Amount {
        self.refunds.iter().filter_map(|r| r.amount).sum()
    }
    /// What can still be refunded: paid minus earlier refunds (cfdi-rules.md).
    pub fn refundable(&self) -> Amount {
        let r = self.total - self.refunded();
        if r.0.is_sign_negative() {
            Amount::ZERO
        } else {
            r
        }
    }
}
