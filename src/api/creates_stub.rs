//! TEMPORARY: the create bodies' shapes until the real `creates` module lands.
#![allow(dead_code)]
use super::money::Amount;
use super::writes::{ClientId, NewItem};
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NewClient {
    pub name: String,
    pub legal_name: String,
    pub tax_id: String,
    pub tax_system: String,
    #[serde(rename = "use")]
    pub cfdi_use: String,
    pub email: Option<String>,
    pub zip: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RegisterPayment {
    pub client: ClientId,
    pub items: Vec<NewItem>,
    pub payment_form: String,
    pub automation_type: String,
    pub currency: String,
    pub exchange_rate: Option<Amount>,
    pub ppd_invoice_id: Option<String>,
    pub send_email: bool,
    pub emails: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Related {
    pub relationship: String,
    pub documents: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NewInvoice {
    pub client: ClientId,
    pub items: Vec<NewItem>,
    pub currency: String,
    pub exchange_rate: Option<Amount>,
    #[serde(rename = "use")]
    pub cfdi_use: String,
    pub payment_form: String,
    pub payment_method: String,
    pub series: Option<String>,
    pub related_documents: Vec<Related>,
    pub invoice_pdf_notes: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, serde::Deserialize)]
pub struct Draft {
    pub id: String,
    pub status: Option<String>,
    #[serde(default, deserialize_with = "super::money::opt::deserialize")]
    pub total: Option<Amount>,
}
