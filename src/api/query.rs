//! What a list call asks for: the resource (its path, and the cache's name for it) and the
//! filters, sent as the API spells them.

use serde::Serialize;

/// The list endpoints the dashboard reads, and the cache's resource names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum Resource {
    Teams,
    Clients,
    Services,
    IncomeInvoices,
    EgressInvoices,
    /// Draft invoices (pre-facturas), stamped ones included.
    Drafts,
    Payments,
    Receipts,
    Users,
}

impl Resource {
    pub fn path(self) -> &'static str {
        match self {
            Resource::Teams => "/teams",
            Resource::Clients => "/clients",
            Resource::Services => "/services",
            Resource::IncomeInvoices => "/invoices/income",
            Resource::EgressInvoices => "/invoices/egress",
            Resource::Drafts => "/invoices/draft",
            Resource::Payments => "/payments",
            Resource::Receipts => "/receipts",
            Resource::Users => "/users",
        }
    }
}

/// List filters (gigstack-api.md §1.7). Dates go out as `created[gte]`/`created[lte]` seconds.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct ListQuery {
    pub limit: Option<u32>,
    pub next: Option<String>,
    pub status: Option<String>,
    pub client_id: Option<String>,
    pub created_gte: Option<i64>,
    pub created_lte: Option<i64>,
}

impl ListQuery {
    pub(super) fn pairs(&self) -> Vec<(String, String)> {
        let mut p = Vec::new();
        if let Some(l) = self.limit {
            p.push(("limit".into(), l.to_string()));
        }
        if let Some(n) = &self.next {
            p.push(("next".into(), n.clone()));
        }
        if let Some(s) = &self.status {
            p.push(("status".into(), s.clone()));
        }
        if let Some(c) = &self.client_id {
            p.push(("client_id".into(), c.clone()));
        }
        if let Some(g) = self.created_gte {
            p.push(("created[gte]".into(), g.to_string()));
        }
        if let Some(l) = self.created_lte {
            p.push(("created[lte]".into(), l.to_string()));
        }
        p
    }

    /// The cache key part: the filters, without paging.
    pub fn cache_key(&self) -> String {
        let mut q = self.clone();
        q.next = None;
        q.limit = None;
        q.pairs()
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("&")
    }
}
