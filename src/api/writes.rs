//! Writes on what exists: mark paid, refund, cancel payment, complements, receipts, cancel
//! invoice, the fiscal check (creates are in `creates.rs`). Each carries
//! an idempotency key that stays the same for every retry of one user action; a successful
//! write invalidates what it changed in that team's cache only.

use reqwest::Method;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::client::{ApiClient, Call, enc};
use super::error::ApiError;
pub use super::idempotency::IdempotencyKey;
use super::models::{Invoice, TeamId};
use super::money::Amount;
use super::payment::Payment;
use super::query::Resource;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MarkPaid {
    pub payment_form: String,
    /// Epoch seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RefundRequest {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount: Option<Amount>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CancelInvoice {
    pub motive: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub substitution_uuid: Option<String>,
}

/// `POST /invoices/payment`: a payment complement (type P) for a PPD invoice.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NewComplement {
    pub invoice_id: String,
    pub amount: Amount,
    pub payment_form: String,
    /// When the money arrived (epoch seconds).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<i64>,
}

/// What `POST /clients/validate/{id}` said of a client's fiscal data. The answer's shape is
/// not documented: anything without a boolean `is_valid` is `Unknown`, never a guess.
#[derive(Clone, Debug, PartialEq)]
pub enum FiscalCheck {
    Valid,
    /// The fields SAT would refuse, as the API named them (`tax_id`, `zip`…), and `efos`
    /// when the RFC is on SAT's EFOS list.
    Invalid(Vec<String>),
    Unknown,
}

/// What `POST /clients/{id}/stamp-pending-receipts` did.
#[derive(Clone, Debug, Default, PartialEq, serde::Deserialize)]
pub struct StampedReceipts {
    #[serde(default)]
    pub stamped: u64,
    #[serde(default)]
    pub failed: u64,
    #[serde(default)]
    pub remaining: u64,
}

impl ApiClient {
    /// `POST /clients/{id}/stamp-pending-receipts`: every open receipt of the client turned
    /// into an invoice; some may fail (expired, bad fiscal data).
    pub async fn stamp_pending_receipts(
        &self,
        team: &TeamId,
        client_id: &str,
        key: &IdempotencyKey,
    ) -> Result<StampedReceipts, ApiError> {
        self.write(
            Method::POST,
            team,
            format!("/clients/{}/stamp-pending-receipts", enc(client_id)),
            None,
            key,
            &[Resource::Receipts, Resource::IncomeInvoices],
        )
        .await
    }

    /// `POST /receipts/{id}/stamp`: one receipt into an invoice.
    pub async fn stamp_receipt(
        &self,
        team: &TeamId,
        id: &str,
        key: &IdempotencyKey,
    ) -> Result<super::models::Receipt, ApiError> {
        self.write(
            Method::POST,
            team,
            format!("/receipts/{}/stamp", enc(id)),
            Some(serde_json::json!({})),
            key,
            &[Resource::Receipts, Resource::IncomeInvoices],
        )
        .await
    }

    /// `DELETE /receipts/{id}`: the receipt cancelled (it goes to no invoice).
    pub async fn cancel_receipt(
        &self,
        team: &TeamId,
        id: &str,
        key: &IdempotencyKey,
    ) -> Result<super::models::Receipt, ApiError> {
        self.write(
            Method::DELETE,
            team,
            format!("/receipts/{}", enc(id)),
            None,
            key,
            &[Resource::Receipts],
        )
        .await
    }

    /// `POST /clients/validate/{id}`: asks gigstack to check a client's fiscal data.
    pub async fn validate_client(&self, team: &TeamId, id: &str) -> Result<FiscalCheck, ApiError> {
        let scoped = self.team_param(team);
        let bytes = self
            .execute(Call {
                method: Method::POST,
                path: format!("/clients/validate/{}", enc(id)),
                team: scoped,
                query: vec![],
                body: None,
                idempotency: None,
                // It changes nothing but the answer's `is_valid`: asking twice is safe, so
                // a 429, a timeout or a 5xx is tried again instead of counted as a fail.
                retry_safe: true,
            })
            .await?;
        let v: serde_json::Value = self.redacted(Self::decode_one(&bytes, Some(team)))?;
        let efos_bad = v.pointer("/efos/is_valid").and_then(|b| b.as_bool()) == Some(false);
        Ok(match v.get("is_valid").and_then(|b| b.as_bool()) {
            Some(true) if !efos_bad => FiscalCheck::Valid,
            Some(_) => {
                let mut why: Vec<String> = v
                    .get("errors")
                    .and_then(|e| e.as_array())
                    .map(|a| {
                        a.iter()
                            .filter_map(|x| x.as_str().map(String::from))
                            .collect()
                    })
                    .unwrap_or_default();
                if efos_bad {
                    why.push("efos".into());
                }
                FiscalCheck::Invalid(why)
            }
            None => FiscalCheck::Unknown,
        })
    }

    /// `POST /invoices/payment`: stamps the complement; the PPD invoice's balance drops.
    pub async fn create_complement(
        &self,
        team: &TeamId,
        req: &NewComplement,
        key: &IdempotencyKey,
    ) -> Result<Invoice, ApiError> {
        self.write(
            Method::POST,
            team,
            "/invoices/payment".into(),
            Some(to_json(req)),
            key,
            &[Resource::IncomeInvoices, Resource::Payments],
        )
        .await
    }

    /// A write: refused when read-only, sent with `key` (retried with the same key on
    /// a transient failure), and on success `invalidates` dropped from this team's cache.
    pub(super) async fn write<T: DeserializeOwned>(
        &self,
        method: Method,
        team: &TeamId,
        path: String,
        body: Option<serde_json::Value>,
        key: &IdempotencyKey,
        invalidates: &[Resource],
    ) -> Result<T, ApiError> {
        if self.config.read_only {
            return Err(ApiError::ReadOnly);
        }
        let scoped = self.team_param(team);
        let bytes = self
            .execute(Call {
                method,
                path,
                team: scoped,
                query: vec![],
                body,
                idempotency: Some(key),
                retry_safe: false,
            })
            .await?;
        self.cache.invalidate(team, invalidates);
        self.redacted(Self::decode_one(&bytes, Some(team)))
    }

    /// `POST /payments/{id}/paid`.
    pub async fn mark_paid(
        &self,
        team: &TeamId,
        payment_id: &str,
        req: &MarkPaid,
        key: &IdempotencyKey,
    ) -> Result<Payment, ApiError> {
        self.write(
            Method::POST,
            team,
            format!("/payments/{}/paid", enc(payment_id)),
            Some(to_json(req)),
            key,
            &[Resource::Payments, Resource::IncomeInvoices],
        )
        .await
    }

    /// `POST /payments/{id}/refund`.
    pub async fn refund(
        &self,
        team: &TeamId,
        payment_id: &str,
        req: &RefundRequest,
        key: &IdempotencyKey,
    ) -> Result<Payment, ApiError> {
        self.write(
            Method::POST,
            team,
            format!("/payments/{}/refund", enc(payment_id)),
            Some(to_json(req)),
            key,
            &[Resource::Payments],
        )
        .await
    }

    /// `DELETE /payments/{id}`.
    pub async fn cancel_payment(
        &self,
        team: &TeamId,
        payment_id: &str,
        key: &IdempotencyKey,
    ) -> Result<Payment, ApiError> {
        self.write(
            Method::DELETE,
            team,
            format!("/payments/{}", enc(payment_id)),
            None,
            key,
            &[Resource::Payments],
        )
        .await
    }

    /// `POST /payments/register`: records money already received. The idempotency key is
    /// optional here, as in the API; without one the call is never retried. Only tests call
    /// it (the dashboard registers nothing yet), so it is built with `test-support` only.
    #[cfg(feature = "test-support")]
    pub async fn register_payment(
        &self,
        team: &TeamId,
        body: &serde_json::Value,
        key: Option<&IdempotencyKey>,
    ) -> Result<Payment, ApiError> {
        if self.config.read_only {
            return Err(ApiError::ReadOnly);
        }
        let mut body = body.clone();
        if let (Some(k), Some(obj)) = (key, body.as_object_mut()) {
            obj.insert(
                "idempotency_key".into(),
                serde_json::Value::String(k.0.clone()),
            );
        }
        let scoped = self.team_param(team);
        let bytes = self
            .execute(Call {
                method: Method::POST,
                path: "/payments/register".into(),
                team: scoped,
                query: vec![],
                body: Some(body),
                idempotency: key,
                retry_safe: false,
            })
            .await?;
        self.cache
            .invalidate(team, &[Resource::Payments, Resource::IncomeInvoices]);
        self.redacted(Self::decode_one(&bytes, Some(team)))
    }

    /// `DELETE /invoices/{uuid}` with `{motive, substitution_uuid}`.
    pub async fn cancel_invoice(
        &self,
        team: &TeamId,
        uuid: &str,
        req: &CancelInvoice,
        key: &IdempotencyKey,
    ) -> Result<Invoice, ApiError> {
        self.write(
            Method::DELETE,
            team,
            format!("/invoices/{}", enc(uuid)),
            Some(to_json(req)),
            key,
            &[Resource::IncomeInvoices, Resource::EgressInvoices],
        )
        .await
    }
}

pub(super) fn to_json<T: Serialize>(v: &T) -> serde_json::Value {
    serde_json::to_value(v).unwrap_or(serde_json::Value::Null)
}
