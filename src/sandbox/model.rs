//! The sandbox's own wire types. They are deliberately separate from `crate::api::models`:
//! if client and server shared structs, a misspelt field would be invisible to every test.
//! Field names follow gigstack-api.md, emitting the canonical snake_case spellings.

use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Serialize, Serializer};

/// A decimal amount written as a JSON number with its exact text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Money(pub Decimal);

impl Money {
    pub fn round2(d: Decimal) -> Money {
        Money(d.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointNearestEven))
    }
}

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let text = self.0.normalize().to_string();
        match serde_json::Number::from_str(&text) {
            Ok(n) => n.serialize(s),
            Err(_) => s.serialize_str(&text),
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct SbAddress {
    pub country: String,
    pub street: String,
    pub zip: String,
    pub city: String,
    pub state: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct SbBrand {
    pub alias: String,
    pub primary_color: String,
    pub secondary_color: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct SbSat {
    pub completed: bool,
    /// When the team's CSD (its stamping certificate) expires, epoch seconds (§7.2): none
    /// until one is uploaded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub csd_expires_at: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connected_at: Option<i64>,
}

/// A part of a team as the sandbox keeps it (`value`, what its rules read) and, when a test
/// asked for another shape (`PUT /_sandbox/teams/{id}`), what its answers send instead: a
/// date in milliseconds or as text, a string where a number goes, `null`.
#[derive(Clone, Debug)]
pub struct Shaped<T> {
    pub value: T,
    pub raw: Option<serde_json::Value>,
}

impl<T> Shaped<T> {
    pub fn new(value: T) -> Self {
        Shaped { value, raw: None }
    }
}

impl<T> std::ops::Deref for Shaped<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

impl<T> std::ops::DerefMut for Shaped<T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.value
    }
}

impl<T: Serialize> Serialize for Shaped<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match &self.raw {
            Some(raw) => raw.serialize(s),
            None => self.value.serialize(s),
        }
    }
}

/// The stamping credits of the team's billing account (§7.2 `billing`).
#[derive(Clone, Debug, Serialize)]
pub struct SbBilling {
    pub credits: i64,
}

#[derive(Clone, Debug, Serialize)]
pub struct SbTeam {
    pub id: String,
    pub name: String,
    pub legal_name: String,
    pub tax_id: String,
    pub tax_system: String,
    pub brand: SbBrand,
    pub address: SbAddress,
    pub support_email: String,
    pub sat: Shaped<SbSat>,
    pub billing: Shaped<SbBilling>,
    pub created_at: i64,
    #[serde(skip)]
    pub billing_account: String,
    #[serde(skip)]
    pub connect: bool,
    #[serde(skip)]
    pub active: bool,
    /// The team's payment integration (Stripe) is connected: `integrations.stripe`.
    #[serde(skip)]
    pub stripe_connected: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct SbEfos {
    pub is_valid: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct SbClient {
    pub id: String,
    pub name: String,
    pub legal_name: String,
    pub email: String,
    pub phone: String,
    pub tax_id: String,
    pub tax_system: String,
    #[serde(rename = "use")]
    pub cfdi_use: String,
    pub address: SbAddress,
    pub bcc: Vec<String>,
    pub metadata: serde_json::Value,
    pub is_valid: bool,
    pub efos: SbEfos,
    pub from: String,
    pub livemode: bool,
    pub owner: String,
    pub team: String,
    pub created_at: i64,
}

impl SbClient {
    pub fn summary(&self) -> SbClientRef {
        SbClientRef {
            id: self.id.clone(),
            name: self.name.clone(),
            legal_name: self.legal_name.clone(),
            email: self.email.clone(),
            tax_id: self.tax_id.clone(),
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct SbClientRef {
    pub id: String,
    pub name: String,
    pub legal_name: String,
    pub email: String,
    pub tax_id: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct SbTax {
    #[serde(rename = "type")]
    pub kind: String,
    pub rate: Money,
    pub factor: String,
    pub withholding: bool,
    pub inclusive: bool,
    /// On a document's item: the base this tax was computed on (early apidocs show
    /// `base`/`amount` as numbers on response items, §3.3). Absent on a service.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base: Option<Money>,
    /// On a document's item: the tax's amount; never on an exempt (`Exento`) tax.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount: Option<Money>,
}

impl SbTax {
    pub fn iva16() -> Self {
        SbTax {
            kind: "IVA".into(),
            rate: Money(Decimal::new(16, 2)),
            factor: "Tasa".into(),
            withholding: false,
            inclusive: false,
            base: None,
            amount: None,
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct SbService {
    pub id: String,
    pub description: String,
    pub sku: String,
    pub product_key: String,
    pub unit_key: String,
    pub unit_name: String,
    pub unit_price: Money,
    pub taxes: Vec<SbTax>,
    pub taxability: String,
    pub team: String,
    pub created_at: i64,
}

#[derive(Clone, Debug, Serialize)]
pub struct SbItem {
    pub id: String,
    pub description: String,
    pub quantity: Money,
    pub unit_price: Money,
    pub product_key: String,
    pub unit_key: String,
    pub unit_name: String,
    pub taxes: Vec<SbTax>,
    /// What was sent, kept (§4.3); absent on the seeded world's items.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub discount: Option<Money>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub taxability: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sku: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub third_party: Option<serde_json::Value>,
}

impl SbItem {
    /// An item with the seeded world's defaults: only what the old shape carried.
    pub fn plain(
        id: String,
        description: String,
        quantity: Money,
        unit_price: Money,
        taxes: Vec<SbTax>,
    ) -> Self {
        SbItem {
            id,
            description,
            quantity,
            unit_price,
            product_key: "01010101".into(),
            unit_key: "E48".into(),
            unit_name: "Servicio".into(),
            taxes,
            discount: None,
            taxability: None,
            sku: None,
            third_party: None,
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct SbStamp {
    pub stamp_at: i64,
    pub sello: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct SbRelated {
    pub relationship: String,
    pub documents: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct SbInvoice {
    pub uuid: String,
    pub client: SbClientRef,
    pub status: String,
    pub invoice_type: String,
    pub currency: String,
    pub exchange_rate: Money,
    pub subtotal: Money,
    pub taxes: Money,
    /// Σ withheld taxes (ISR, IVA retenido) of the items; `taxes` is the transferred sum.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub withholdings: Option<Money>,
    pub discount: Money,
    pub total: Money,
    pub series: String,
    pub folio_number: u64,
    pub payment_method: String,
    pub payment_form: String,
    #[serde(rename = "use")]
    pub cfdi_use: String,
    pub items: Vec<SbItem>,
    pub verification_url: String,
    pub stamp: SbStamp,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_balance: Option<Money>,
    pub payment_complements: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cancellation_status: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cancellation_receipt: Option<String>,
    pub related_documents: Vec<SbRelated>,
    pub created_at: i64,
    pub livemode: bool,
    pub owner: String,
    pub team: String,
    pub metadata: serde_json::Value,
    /// When a pending cancellation is deemed accepted (receiver silence).
    #[serde(skip)]
    pub cancel_due: Option<i64>,
}

#[derive(Clone, Debug, Serialize)]
pub struct SbRefund {
    pub id: String,
    pub amount: Money,
    pub reason: Option<String>,
    pub created_at: i64,
}

#[derive(Clone, Debug, Serialize)]
pub struct SbPayment {
    pub id: String,
    pub status: String,
    pub client: SbClientRef,
    pub items: Vec<SbItem>,
    pub currency: String,
    pub exchange_rate: Money,
    pub subtotal: Money,
    pub taxes: Money,
    /// Σ withheld taxes of the items (see `SbInvoice::withholdings`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub withholdings: Option<Money>,
    pub discount: Money,
    pub total: Money,
    pub payment_form: String,
    pub allowed_payment_methods: Vec<serde_json::Value>,
    pub emails: Vec<String>,
    pub metadata: serde_json::Value,
    pub automation_type: String,
    pub invoices: Vec<String>,
    pub receipts: Vec<String>,
    pub payments: Vec<serde_json::Value>,
    pub refunds: Vec<SbRefund>,
    pub short_url: String,
    pub payment_processor: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub idempotency_key: Option<String>,
    pub created_at: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub succeeded_at: Option<i64>,
    pub from: String,
    pub livemode: bool,
    pub team: String,
    pub owner: String,
    /// The PPD invoice this payment settles (its complement lowers `last_balance`).
    #[serde(skip)]
    pub ppd_invoice: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct SbReceipt {
    pub id: String,
    pub client: Option<SbClientRef>,
    pub status: String,
    pub subtotal: Money,
    pub taxes: Money,
    pub total: Money,
    pub currency: String,
    pub periodicity: String,
    pub payment_form: String,
    pub created: i64,
    #[serde(rename = "validUntil")]
    pub valid_until: i64,
    pub created_at: i64,
    pub url: String,
    pub livemode: bool,
    pub team: String,
    pub owner: String,
    /// The items it was created with (echoed from create, §6.2); none on seeded ones.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<SbItem>,
    /// The income invoice stamping it created (§6.2 `invoice_id`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invoice_id: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct SbUserTeam {
    pub team_id: String,
    pub team_name: String,
    pub role: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct SbUser {
    pub id: String,
    pub email: String,
    pub name: String,
    #[serde(rename = "firstName")]
    pub first_name: String,
    #[serde(rename = "lastName")]
    pub last_name: String,
    pub role: String,
    pub created_at: i64,
    pub last_login: i64,
    pub teams: Vec<SbUserTeam>,
}

/// What a demo user may do (DESIGN: viewer reads; member creates and updates; admin also
/// deletes and cancels).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    Viewer,
    Member,
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Member => "member",
            Role::Admin => "admin",
        }
    }
    pub fn allows(self, action: Action) -> bool {
        match action {
            Action::Read => true,
            Action::Create | Action::Update => self >= Role::Member,
            Action::Delete | Action::Admin => self == Role::Admin,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Read,
    Create,
    Update,
    /// Delete, cancel and refund: undoing money or tax documents.
    Delete,
    /// A team's settings and members (§7.5: team settings need an admin).
    Admin,
}

/// A demo API key and who it belongs to.
#[derive(Clone, Debug)]
pub struct DemoKey {
    pub key: String,
    pub key_id: String,
    pub user_id: String,
    pub user_name: String,
    pub team: String,
    pub team_name: String,
    pub role: Role,
    pub livemode: bool,
    pub note: String,
}
