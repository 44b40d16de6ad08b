//! The typed gigstack objects the dashboard reads: teams, clients, services, invoices,
//! receipts and users (payments: `payment.rs`). Every decoder is tolerant of the documented variants
//! (gigstack-api.md §12): aliases kept as separate fields and merged by accessors, unknown
//! statuses kept as `Other`, unknown fields ignored, `null` treated as absent.

use std::fmt;

use serde::de::Deserializer;
use serde::{Deserialize, Serialize};

use super::money::{self, Amount};
pub use super::status::{CancellationStatus, InvoiceStatus, PaymentStatus, ReceiptStatus};
use super::time::{self, Instant};

/// A gigstack team id (`team_…`).
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TeamId(pub String);

impl TeamId {
    pub fn new(s: impl Into<String>) -> Self {
        TeamId(s.into())
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for TeamId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// `null` or absent both become the default (an empty list, say).
pub(crate) fn null_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// A string that some sources send as a number (`folio_number`, codes): the number's exact
/// text, as money reads it.
pub(crate) fn string_or_number<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<String>, D::Error> {
    d.deserialize_any(money::NumberText)
}

/// A list that may contain `null` entries (seen in receipts/payments/invoices); they are dropped.
pub(crate) fn drop_nulls<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    let v: Option<Vec<Option<T>>> = Option::deserialize(d)?;
    Ok(v.unwrap_or_default().into_iter().flatten().collect())
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Address {
    pub country: Option<String>,
    pub street: Option<String>,
    pub exterior: Option<String>,
    pub interior: Option<String>,
    pub neighborhood: Option<String>,
    pub municipality: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    #[serde(default, deserialize_with = "string_or_number")]
    pub zip: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Brand {
    pub alias: Option<String>,
    pub primary_color: Option<String>,
    pub secondary_color: Option<String>,
    pub logo: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Team {
    pub id: TeamId,
    pub name: Option<String>,
    pub legal_name: Option<String>,
    #[serde(rename = "legalName")]
    pub legal_name_camel: Option<String>,
    pub tax_id: Option<String>,
    #[serde(rename = "taxId")]
    pub tax_id_camel: Option<String>,
    pub tax_system: Option<String>,
    pub brand: Option<Brand>,
    pub address: Option<Address>,
    pub support_email: Option<String>,
    #[serde(default, deserialize_with = "time::opt::deserialize")]
    pub created_at: Option<Instant>,
    #[serde(
        rename = "createdAt",
        default,
        deserialize_with = "time::opt::deserialize"
    )]
    pub created_at_camel: Option<Instant>,
    /// `{completed, csd_expires_at, connected_at}` (§7.2) as sent: read through `csd()`,
    /// never trusted to have that shape (a team without it, or with another, is "unknown",
    /// never "ok").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sat: Option<serde_json::Value>,
    /// `{credits}` (§7.2) as sent: read through `credits()`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billing: Option<serde_json::Value>,
}

/// What a team says of its stamping certificate (CSD).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Csd {
    /// `sat` missing, of another shape, or its date unreadable.
    Unknown,
    /// `sat.completed` is false or no date: no certificate uploaded.
    None,
    /// It expires (or expired) then.
    Expires(Instant),
}

impl Team {
    /// The CSD's expiry: epoch seconds or milliseconds, or a date as text, all read; anything
    /// else is `Unknown`.
    pub fn csd(&self) -> Csd {
        Csd::read(self.sat.as_ref())
    }

    /// The stamping credits left (`billing.credits`), when the team says them as a number
    /// (or a number in text); `None` is "unknown".
    pub fn credits(&self) -> Option<rust_decimal::Decimal> {
        credits_in(self.billing.as_ref())
    }
}

/// The credits a team's `billing` says (see `Team::credits`).
pub fn credits_in(billing: Option<&serde_json::Value>) -> Option<rust_decimal::Decimal> {
    let c = billing?.as_object()?.get("credits")?;
    match c {
        serde_json::Value::Number(n) => n.to_string().parse().ok(),
        serde_json::Value::String(t) => t.trim().parse().ok(),
        _ => None,
    }
}

impl Csd {
    /// What a team's `sat` says of its CSD (see `Team::csd`).
    pub fn read(sat: Option<&serde_json::Value>) -> Csd {
        let Some(sat) = sat.and_then(|s| s.as_object()) else {
            return Csd::Unknown;
        };
        let at = sat
            .get("csd_expires_at")
            .or_else(|| sat.get("csdExpiresAt"));
        match at {
            // No date: none uploaded when the team says so; otherwise not known.
            None | Some(serde_json::Value::Null) => match sat.get("completed") {
                Some(serde_json::Value::Bool(false)) => Csd::None,
                _ => Csd::Unknown,
            },
            Some(serde_json::Value::Number(n)) => n
                .as_i64()
                .or_else(|| n.as_f64().map(|f| f as i64))
                .and_then(Instant::from_epoch_any)
                .map_or(Csd::Unknown, Csd::Expires),
            Some(serde_json::Value::String(t)) => {
                Instant::parse(t).map_or(Csd::Unknown, Csd::Expires)
            }
            Some(_) => Csd::Unknown,
        }
    }
}

impl Team {
    pub fn created(&self) -> Option<Instant> {
        self.created_at.or(self.created_at_camel)
    }
    /// What a person calls the team: brand alias, name, legal name, then id.
    pub fn display_name(&self) -> &str {
        self.brand
            .as_ref()
            .and_then(|b| b.alias.as_deref())
            .or(self.name.as_deref())
            .or(self.legal_name.as_deref())
            .or(self.legal_name_camel.as_deref())
            .unwrap_or(&self.id.0)
    }
    pub fn rfc(&self) -> &str {
        self.tax_id
            .as_deref()
            .or(self.tax_id_camel.as_deref())
            .unwrap_or("")
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Efos {
    pub is_valid: Option<bool>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Client {
    pub id: String,
    pub name: Option<String>,
    pub legal_name: Option<String>,
    pub email: Option<String>,
    pub company: Option<String>,
    pub phone: Option<String>,
    pub tax_id: Option<String>,
    pub rfc: Option<String>,
    pub tax_system: Option<String>,
    #[serde(rename = "use")]
    pub cfdi_use: Option<String>,
    pub address: Option<Address>,
    #[serde(default, deserialize_with = "null_default")]
    pub bcc: Vec<String>,
    #[serde(default)]
    pub metadata: serde_json::Value,
    pub is_valid: Option<bool>,
    pub efos: Option<Efos>,
    pub livemode: Option<bool>,
    pub team: Option<String>,
    pub owner: Option<String>,
    pub from: Option<String>,
    #[serde(default, deserialize_with = "time::opt::deserialize")]
    pub created_at: Option<Instant>,
    #[serde(default, deserialize_with = "time::opt::deserialize")]
    pub timestamp: Option<Instant>,
}

impl Client {
    pub fn display_name(&self) -> &str {
        self.name
            .as_deref()
            .or(self.legal_name.as_deref())
            .unwrap_or(&self.id)
    }
    pub fn rfc(&self) -> &str {
        self.tax_id.as_deref().or(self.rfc.as_deref()).unwrap_or("")
    }
    pub fn created(&self) -> Option<Instant> {
        self.created_at.or(self.timestamp)
    }
}

/// The client summary embedded in invoices, payments and receipts.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ClientRef {
    pub id: Option<String>,
    pub name: Option<String>,
    pub legal_name: Option<String>,
    pub email: Option<String>,
    pub tax_id: Option<String>,
}

impl ClientRef {
    pub fn display_name(&self) -> &str {
        self.name
            .as_deref()
            .or(self.legal_name.as_deref())
            .or(self.id.as_deref())
            .unwrap_or("")
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Tax {
    #[serde(rename = "type")]
    pub kind: Option<String>,
    #[serde(default, deserialize_with = "money::opt::deserialize")]
    pub rate: Option<Amount>,
    pub factor: Option<String>,
    pub inclusive: Option<bool>,
    pub withholding: Option<bool>,
    pub retained: Option<bool>,
}

/// A team's invoicing settings (§7.4), as far as a new item needs them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TeamSettings {
    #[serde(default, deserialize_with = "null_default")]
    pub taxes: Vec<Tax>,
    pub product_key: Option<String>,
    pub unit_key: Option<String>,
    #[serde(rename = "use")]
    pub cfdi_use: Option<String>,
}

/// An invoice series of a team (§7.5).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Series {
    pub series: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Service {
    pub id: String,
    pub description: Option<String>,
    pub name: Option<String>,
    pub sku: Option<String>,
    pub product_key: Option<String>,
    pub unit_key: Option<String>,
    pub unit_name: Option<String>,
    #[serde(default, deserialize_with = "money::opt::deserialize")]
    pub unit_price: Option<Amount>,
    #[serde(default, deserialize_with = "money::opt::deserialize")]
    pub price: Option<Amount>,
    #[serde(default, deserialize_with = "null_default")]
    pub taxes: Vec<Tax>,
    pub taxability: Option<String>,
    pub team: Option<String>,
    #[serde(default, deserialize_with = "time::opt::deserialize")]
    pub created_at: Option<Instant>,
}

impl Service {
    pub fn display_name(&self) -> &str {
        self.description
            .as_deref()
            .or(self.name.as_deref())
            .unwrap_or(&self.id)
    }
    pub fn price(&self) -> Option<Amount> {
        self.unit_price.or(self.price)
    }
}

/// A line of an invoice or payment.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Item {
    pub id: Option<String>,
    pub description: Option<String>,
    pub name: Option<String>,
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
    #[serde(default, deserialize_with = "null_default")]
    pub taxes: Vec<Tax>,
}

impl Item {
    pub fn label(&self) -> &str {
        self.description
            .as_deref()
            .or(self.name.as_deref())
            .or(self.id.as_deref())
            .unwrap_or("")
    }
    /// quantity × unit price − discount.
    pub fn line_total(&self) -> Amount {
        let q = self.quantity.unwrap_or(Amount(rust_decimal::Decimal::ONE));
        let p = self.unit_price.unwrap_or_default();
        Amount(money::mul(q.0, p.0)) - self.discount.unwrap_or_default()
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Stamp {
    #[serde(default, deserialize_with = "time::opt::deserialize")]
    pub stamp_at: Option<Instant>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RelatedDocuments {
    #[serde(default, deserialize_with = "string_or_number")]
    pub relationship: Option<String>,
    #[serde(default, deserialize_with = "null_default")]
    pub documents: Vec<String>,
}

/// An income (I) or egress (E) CFDI.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Invoice {
    pub uuid: Option<String>,
    pub id: Option<String>,
    pub client: Option<ClientRef>,
    pub status: Option<InvoiceStatus>,
    pub invoice_type: Option<String>,
    pub currency: Option<String>,
    #[serde(default, deserialize_with = "money::opt::deserialize")]
    pub exchange_rate: Option<Amount>,
    #[serde(default, deserialize_with = "money::opt::deserialize")]
    pub subtotal: Option<Amount>,
    #[serde(default, deserialize_with = "money::opt::deserialize")]
    pub taxes: Option<Amount>,
    #[serde(default, deserialize_with = "money::opt::deserialize")]
    pub discount: Option<Amount>,
    #[serde(default, deserialize_with = "money::opt::deserialize")]
    pub total: Option<Amount>,
    #[serde(default, deserialize_with = "string_or_number")]
    pub series: Option<String>,
    #[serde(default, deserialize_with = "string_or_number")]
    pub folio_number: Option<String>,
    pub payment_method: Option<String>,
    #[serde(default, deserialize_with = "string_or_number")]
    pub payment_form: Option<String>,
    #[serde(rename = "use")]
    pub cfdi_use: Option<String>,
    #[serde(default, deserialize_with = "drop_nulls")]
    pub items: Vec<Item>,
    pub verification_url: Option<String>,
    pub stamp: Option<Stamp>,
    #[serde(default, deserialize_with = "money::opt::deserialize")]
    pub last_balance: Option<Amount>,
    pub payment_complements: Option<u32>,
    pub cancellation_status: Option<CancellationStatus>,
    pub cancellation_receipt: Option<String>,
    #[serde(default, deserialize_with = "drop_nulls")]
    pub related_documents: Vec<RelatedDocuments>,
    #[serde(default, deserialize_with = "time::opt::deserialize")]
    pub created_at: Option<Instant>,
    pub livemode: Option<bool>,
    pub owner: Option<String>,
    pub team: Option<String>,
    #[serde(default)]
    pub metadata: serde_json::Value,
    /// Money fields the API sent in a shape that is not an amount; they read as absent
    /// and the row says so (set by the page decoder, never by the API).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unreadable: Vec<String>,
}

impl Invoice {
    /// The SAT folio fiscal, or the `id` some sources send instead.
    pub fn uuid(&self) -> &str {
        self.uuid.as_deref().or(self.id.as_deref()).unwrap_or("")
    }
    pub fn status(&self) -> InvoiceStatus {
        self.status
            .clone()
            .unwrap_or_else(|| InvoiceStatus::Other(String::new()))
    }
    pub fn currency(&self) -> &str {
        self.currency.as_deref().unwrap_or("MXN")
    }
    pub fn total(&self) -> Amount {
        self.total
            .or_else(|| Some(self.subtotal? + self.taxes.unwrap_or_default()))
            .unwrap_or_default()
    }
    pub fn folio(&self) -> String {
        match (&self.series, &self.folio_number) {
            (Some(s), Some(f)) => format!("{s}-{f}"),
            (None, Some(f)) => f.clone(),
            (Some(s), None) => s.clone(),
            (None, None) => String::new(),
        }
    }
    pub fn is_ppd(&self) -> bool {
        self.payment_method.as_deref() == Some("PPD")
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Receipt {
    pub id: String,
    pub client: Option<ClientRef>,
    pub status: Option<ReceiptStatus>,
    #[serde(default, deserialize_with = "money::opt::deserialize")]
    pub subtotal: Option<Amount>,
    #[serde(default, deserialize_with = "money::opt::deserialize")]
    pub taxes: Option<Amount>,
    #[serde(default, deserialize_with = "money::opt::deserialize")]
    pub total: Option<Amount>,
    pub currency: Option<String>,
    pub periodicity: Option<String>,
    #[serde(default, deserialize_with = "string_or_number")]
    pub payment_form: Option<String>,
    #[serde(default, deserialize_with = "time::opt::deserialize")]
    pub created: Option<Instant>,
    #[serde(default, deserialize_with = "time::opt::deserialize")]
    pub created_at: Option<Instant>,
    #[serde(
        rename = "validUntil",
        default,
        deserialize_with = "time::opt::deserialize"
    )]
    pub valid_until: Option<Instant>,
    pub url: Option<String>,
    pub invoice_id: Option<String>,
    pub livemode: Option<bool>,
    pub team: Option<String>,
}

impl Receipt {
    pub fn created(&self) -> Option<Instant> {
        self.created.or(self.created_at)
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct UserTeam {
    pub team_id: Option<String>,
    pub team_name: Option<String>,
    pub role: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct User {
    pub id: String,
    pub email: Option<String>,
    pub name: Option<String>,
    #[serde(rename = "firstName")]
    pub first_name: Option<String>,
    #[serde(rename = "lastName")]
    pub last_name: Option<String>,
    pub role: Option<String>,
    #[serde(default, deserialize_with = "time::opt::deserialize")]
    pub created_at: Option<Instant>,
    #[serde(default, deserialize_with = "time::opt::deserialize")]
    pub last_login: Option<Instant>,
    #[serde(default, deserialize_with = "drop_nulls")]
    pub teams: Vec<UserTeam>,
}

/// `GET /invoices/{uuid}/files`: download URLs (or the `*_url` variants).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct InvoiceFiles {
    pub pdf: Option<String>,
    pub xml: Option<String>,
    pub pdf_url: Option<String>,
    pub xml_url: Option<String>,
}

impl InvoiceFiles {
    pub fn pdf(&self) -> Option<&str> {
        self.pdf.as_deref().or(self.pdf_url.as_deref())
    }
    pub fn xml(&self) -> Option<&str> {
        self.xml.as_deref().or(self.xml_url.as_deref())
    }
}
