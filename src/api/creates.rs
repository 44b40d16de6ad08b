//! Creates: the bodies and calls of the dashboard's create forms — a client, a payment
//! link, a registered payment, drafts (create, list, edit, delete, stamp) and the credit
//! note. Each write goes through `ApiClient::write` with the action's idempotency key
//! (header, and the body field where §1.9 documents it); nothing of the UI.

use reqwest::Method;
use serde::Serialize;

use super::client::{ApiClient, enc};
use super::draft::Draft;
use super::error::ApiError;
use super::idempotency::IdempotencyKey;
use super::models::{Client, Invoice, TeamId};
use super::money::Amount;
use super::payment::Payment;
use super::query::{ListQuery, Resource};
use super::writes::to_json;

/// A client named by its id.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ClientId {
    pub id: String,
}

/// An item written in full (§4.3): what it is, how many, at what price, its SAT keys and
/// its taxes (an empty list is "no taxes", never the team's default).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NewItem {
    pub description: String,
    pub quantity: Amount,
    pub unit_price: Amount,
    pub product_key: String,
    pub unit_key: String,
    pub taxes: Vec<NewTax>,
    /// An amount off `quantity × unit_price`, before taxes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub discount: Option<Amount>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit_name: Option<String>,
    /// SAT ObjetoImp: `01` carries no taxes at all, `02` carries them (§10.7).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub taxability: Option<String>,
}

/// A tax of an item (§3.3).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NewTax {
    #[serde(rename = "type")]
    pub kind: String,
    pub rate: Amount,
    /// `Tasa`, `Cuota` or `Exento`.
    pub factor: String,
    pub withholding: bool,
    pub inclusive: bool,
}

/// `POST /clients` (§2.3): a client of the team with the fiscal data SAT checks.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NewClient {
    pub name: String,
    pub legal_name: String,
    /// RFC: 12 characters for a company, 13 for a person.
    pub tax_id: String,
    /// SAT régimen fiscal (§10.3), e.g. `601`.
    pub tax_system: String,
    /// The client's default CFDI use (§10.4), e.g. `G03`.
    #[serde(rename = "use")]
    pub cfdi_use: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub email: String,
    pub address: NewAddress,
}

/// Who a payment or invoice is for: a client of the team by id, or one written in the
/// form, found by its RFC or created (the `client.search` upsert, §2.3).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Customer {
    Known(ClientId),
    Upsert(Upsert),
}

impl From<ClientId> for Customer {
    fn from(c: ClientId) -> Self {
        Customer::Known(c)
    }
}

impl Customer {
    /// The client's id, or its RFC for one found or created by the upsert.
    pub fn key(&self) -> &str {
        match self {
            Customer::Known(c) => &c.id,
            Customer::Upsert(u) => &u.client.tax_id,
        }
    }
}

/// A client written in full, with the search that finds it by RFC or creates it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Upsert {
    pub search: Search,
    #[serde(flatten)]
    pub client: NewClient,
}

/// `search`: the field to match on, its value, and to create the client when none does.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Search {
    pub on_key: String,
    pub on_value: String,
    pub auto_create: bool,
}

impl Upsert {
    /// Found by RFC, created when the team has no client with it.
    pub fn by_rfc(client: NewClient) -> Self {
        Upsert {
            search: Search {
                on_key: "tax_id".into(),
                on_value: client.tax_id.clone(),
                auto_create: true,
            },
            client,
        }
    }
}

/// The part of a fiscal address CFDI 4.0 needs: the postal code.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NewAddress {
    pub zip: String,
}

/// `POST /payments/request`: a payment link for a client of the team (§5.4).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PaymentRequest {
    pub client: Customer,
    pub items: Vec<NewItem>,
    pub currency: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exchange_rate: Option<Amount>,
    pub allowed_payment_methods: Vec<String>,
    /// What gigstack does once it is paid (`none`, `pue_invoice`, …).
    pub automation_type: String,
    pub send_email: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub emails: Vec<String>,
}

/// `POST /payments/register` (§5.3): money already received, and what to stamp for it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RegisterPayment {
    pub client: Customer,
    pub items: Vec<NewItem>,
    /// The real SAT form the money came by (never `99`).
    pub payment_form: String,
    /// `pue_invoice`, `ppd_invoice_and_complement`, `receipt` or `none`.
    pub automation_type: String,
    pub currency: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exchange_rate: Option<Amount>,
    /// An existing PPD invoice this money pays: a payment complement is stamped for it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ppd_invoice_id: Option<String>,
    pub send_email: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub emails: Vec<String>,
}

/// The body of an invoice create (§4.2), shared by drafts and the credit note (egress).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NewInvoice {
    pub client: Customer,
    pub items: Vec<NewItem>,
    pub currency: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exchange_rate: Option<Amount>,
    #[serde(rename = "use")]
    pub cfdi_use: String,
    pub payment_form: String,
    /// `PUE` or `PPD` (then `payment_form` is `99`).
    pub payment_method: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub series: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related_documents: Vec<Related>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invoice_pdf_notes: Option<String>,
}

/// CFDIs this one relates to (§10.5): `01` a credit note of them, `04` their substitute…
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Related {
    pub relationship: String,
    /// The related invoices' UUIDs.
    pub documents: Vec<String>,
}

/// A create's body with the idempotency key also as the body field `idempotency_key`,
/// where §1.9 documents it (registers, requests, invoice creates): a server that reads
/// only the body still applies the action once.
fn keyed<T: Serialize>(body: &T, key: &IdempotencyKey) -> serde_json::Value {
    let mut v = to_json(body);
    if let Some(o) = v.as_object_mut() {
        o.insert(
            "idempotency_key".into(),
            serde_json::Value::String(key.0.clone()),
        );
    }
    v
}

impl ApiClient {
    /// `POST /clients`: the new client as the server stored it.
    pub async fn create_client(
        &self,
        team: &TeamId,
        req: &NewClient,
        key: &IdempotencyKey,
    ) -> Result<Client, ApiError> {
        self.write(
            Method::POST,
            team,
            "/clients".into(),
            Some(to_json(req)),
            key,
            &[Resource::Clients],
        )
        .await
    }

    /// `POST /payments/request`: a payment link; the answer carries its `short_url`.
    pub async fn request_payment(
        &self,
        team: &TeamId,
        req: &PaymentRequest,
        key: &IdempotencyKey,
    ) -> Result<Payment, ApiError> {
        self.write(
            Method::POST,
            team,
            "/payments/request".into(),
            Some(keyed(req, key)),
            key,
            &[Resource::Payments],
        )
        .await
    }

    /// `POST /payments/register`: the payment (status `succeeded`) with the invoices,
    /// complement or receipt its automation made.
    pub async fn register(
        &self,
        team: &TeamId,
        req: &RegisterPayment,
        key: &IdempotencyKey,
    ) -> Result<Payment, ApiError> {
        self.write(
            Method::POST,
            team,
            "/payments/register".into(),
            Some(keyed(req, key)),
            key,
            &[
                Resource::Payments,
                Resource::IncomeInvoices,
                Resource::Receipts,
            ],
        )
        .await
    }

    /// `POST /invoices/draft`: a draft with its figures computed, nothing stamped.
    pub async fn create_draft(
        &self,
        team: &TeamId,
        req: &NewInvoice,
        key: &IdempotencyKey,
    ) -> Result<Draft, ApiError> {
        self.write(
            Method::POST,
            team,
            "/invoices/draft".into(),
            Some(keyed(req, key)),
            key,
            &[Resource::Drafts],
        )
        .await
    }

    /// `GET /invoices/draft`, every page: the team's drafts, stamped ones included.
    pub async fn list_drafts(&self, team: &TeamId) -> Result<Vec<Draft>, ApiError> {
        use futures::StreamExt;
        let mut drafts = Vec::new();
        let mut pages = std::pin::pin!(self.list_all::<Draft>(
            team.clone(),
            Resource::Drafts,
            ListQuery::default()
        ));
        while let Some(page) = pages.next().await {
            drafts.extend(page?.items);
        }
        Ok(drafts)
    }

    /// `PUT /invoices/draft/{id}`: the draft with `req` written over it and recomputed.
    /// The update is a merge: a field left out of `req` (a `None` series, empty related
    /// documents) keeps what the draft had. A stamped draft is refused (409).
    pub async fn update_draft(
        &self,
        team: &TeamId,
        id: &str,
        req: &NewInvoice,
        key: &IdempotencyKey,
    ) -> Result<Draft, ApiError> {
        // The key goes in the header only: a merge would keep a body key in the draft.
        self.write(
            Method::PUT,
            team,
            format!("/invoices/draft/{}", enc(id)),
            Some(to_json(req)),
            key,
            &[Resource::Drafts],
        )
        .await
    }

    /// `DELETE /invoices/draft/{id}`.
    pub async fn delete_draft(
        &self,
        team: &TeamId,
        id: &str,
        key: &IdempotencyKey,
    ) -> Result<(), ApiError> {
        let _: serde_json::Value = self
            .write(
                Method::DELETE,
                team,
                format!("/invoices/draft/{}", enc(id)),
                None,
                key,
                &[Resource::Drafts],
            )
            .await?;
        Ok(())
    }

    /// `POST /invoices/draft/{id}/stamp`: the income invoice the draft became. A draft
    /// already stamped is refused (409).
    pub async fn stamp_draft(
        &self,
        team: &TeamId,
        id: &str,
        key: &IdempotencyKey,
    ) -> Result<Invoice, ApiError> {
        self.write(
            Method::POST,
            team,
            format!("/invoices/draft/{}/stamp", enc(id)),
            None,
            key,
            &[Resource::Drafts, Resource::IncomeInvoices],
        )
        .await
    }

    /// `POST /invoices/egress`: a credit note (type E), related (`01`) to what it credits.
    pub async fn create_egress(
        &self,
        team: &TeamId,
        req: &NewInvoice,
        key: &IdempotencyKey,
    ) -> Result<Invoice, ApiError> {
        self.write(
            Method::POST,
            team,
            "/invoices/egress".into(),
            Some(keyed(req, key)),
            key,
            &[Resource::EgressInvoices],
        )
        .await
    }
}
