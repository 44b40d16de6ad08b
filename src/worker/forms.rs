//! What a create form picks from, read for one team: its clients, services, invoice
//! series and settings (the defaults of a new item), the key's role there, and for a
//! credit note what earlier credit notes of the invoice add up to. Every text from the API
//! is made printable before it reaches the form.

use futures::StreamExt;
use rust_decimal::Decimal;

use crate::api::{ApiClient, ApiError, Client, Invoice, ListQuery, Resource, Service, TeamId};
use crate::app::create::items::{ItemDefaults, ServiceOpt, preset_of};
use crate::app::create::model::{ClientOpt, CreditFacts, FormData};
use crate::i18n::Lang;
use crate::text::printable;

/// Every item of a list: the cache's when it holds the whole list, else read page by page.
async fn all<T>(client: &ApiClient, team: &TeamId, resource: Resource) -> Result<Vec<T>, ApiError>
where
    T: serde::de::DeserializeOwned + Clone + Send + Sync + 'static,
{
    let q = ListQuery::default();
    if let Some(c) = client.cached::<T>(team, resource, &q) {
        return Ok(c.value.as_ref().clone());
    }
    let mut out = Vec::new();
    let mut pages = std::pin::pin!(client.list_all::<T>(team.clone(), resource, q));
    while let Some(page) = pages.next().await {
        out.extend(page?.items);
    }
    Ok(out)
}

/// The role, the lists, and what the invoice `credit_for` was already credited.
pub(super) async fn read(
    client: &ApiClient,
    team: &TeamId,
    credit_for: Option<&str>,
    lang: Lang,
) -> (
    Result<String, ApiError>,
    Result<FormData, String>,
    Option<Result<CreditFacts, String>>,
) {
    let role = client.my_role(team).await;
    let data = lists(client, team).await.map_err(|e| e.describe(lang));
    let credited = match credit_for {
        Some(uuid) => Some(
            credited(client, team, uuid)
                .await
                .map_err(|e| e.describe(lang)),
        ),
        None => None,
    };
    (role, data, credited)
}

async fn lists(client: &ApiClient, team: &TeamId) -> Result<FormData, ApiError> {
    let clients: Vec<Client> = all(client, team, Resource::Clients).await?;
    let services: Vec<Service> = all(client, team, Resource::Services).await?;
    // Settings and series only refine the defaults: a team without them still creates.
    let settings = client.team_settings(team).await.ok();
    let series = client.team_series(team).await.unwrap_or_default();
    let mut clients: Vec<ClientOpt> = clients
        .iter()
        .map(|c| ClientOpt {
            id: c.id.clone(),
            name: printable(c.display_name()),
            rfc: printable(c.rfc()),
            regime: printable(c.tax_system.as_deref().unwrap_or("")),
            cfdi_use: printable(c.cfdi_use.as_deref().unwrap_or("")),
            email: printable(c.email.as_deref().unwrap_or("")),
        })
        .collect();
    clients.sort_by_cached_key(|c| crate::i18n::sort_key(&c.name));
    let services = services
        .iter()
        .map(|s| ServiceOpt {
            id: s.id.clone(),
            description: printable(s.display_name()),
            price: s.price().map(|p| p.0).unwrap_or_default(),
            product_key: printable(s.product_key.as_deref().unwrap_or("01010101")),
            unit_key: printable(s.unit_key.as_deref().unwrap_or("E48")),
            preset: preset_of(&s.taxes),
        })
        .collect();
    let mut defaults = ItemDefaults::default();
    let mut cfdi_use = None;
    if let Some(s) = settings {
        if !s.taxes.is_empty() {
            defaults.preset = preset_of(&s.taxes);
        }
        if let Some(k) = s.product_key.filter(|k| !k.is_empty()) {
            defaults.product_key = printable(&k);
        }
        if let Some(k) = s.unit_key.filter(|k| !k.is_empty()) {
            defaults.unit_key = printable(&k);
        }
        cfdi_use = s.cfdi_use.filter(|u| !u.is_empty()).map(|u| printable(&u));
    }
    Ok(FormData {
        clients,
        services,
        series: series
            .iter()
            .filter_map(|s| s.series.as_deref().map(printable))
            .filter(|s| !s.is_empty())
            .collect(),
        ppd: Vec::new(),
        defaults,
        cfdi_use,
        loading: false,
        error: None,
    })
}

/// The totals of the team's valid egress invoices related 01 to `uuid`.
async fn credited(client: &ApiClient, team: &TeamId, uuid: &str) -> Result<CreditFacts, ApiError> {
    let invoice = client.get_invoice(team, uuid).await?;
    // The invoice's taxes over its subtotal: 8 % (border), 16 %, or none.
    let preset = match (invoice.taxes, invoice.subtotal) {
        (Some(t), Some(s)) if !s.0.is_zero() && !t.0.is_zero() => {
            if (t.0 / s.0 - Decimal::new(8, 2)).abs() < Decimal::new(1, 3) {
                "IVA 8%"
            } else {
                "IVA 16%"
            }
        }
        _ => "Sin impuestos",
    };
    let egress: Vec<Invoice> = all(client, team, Resource::EgressInvoices).await?;
    let before = egress
        .iter()
        .filter(|e| !e.status().to_string().to_lowercase().contains("cancel"))
        .filter(|e| {
            e.related_documents.iter().any(|r| {
                r.relationship.as_deref() == Some("01") && r.documents.iter().any(|d| d == uuid)
            })
        })
        .filter_map(|e| e.total.map(|t| t.0))
        .sum();
    Ok(CreditFacts { before, preset })
}
