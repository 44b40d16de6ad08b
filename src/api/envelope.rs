//! The success envelopes: a single object, and a list page with its cursor, in every
//! spelling the API uses (`has_more`/`hasMore`, `next`/`next_cursor`, …).

use serde::Deserialize;

use super::models::drop_nulls;

/// One page of a list.
#[derive(Clone, Debug, PartialEq)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Cursor for the following page; `None` when this was the last.
    pub next: Option<String>,
    pub has_more: bool,
    pub total_results: Option<u64>,
}

#[derive(Deserialize)]
#[serde(bound = "T: Deserialize<'de>")]
pub(crate) struct ListWire<T> {
    pub success: Option<bool>,
    #[serde(default, deserialize_with = "drop_nulls")]
    pub data: Vec<T>,
    pub next: Option<String>,
    pub next_cursor: Option<String>,
    pub has_more: Option<bool>,
    #[serde(rename = "hasMore")]
    pub has_more_camel: Option<bool>,
    pub total_results: Option<u64>,
    #[serde(rename = "totalResults")]
    pub total_results_camel: Option<u64>,
}

impl<T> ListWire<T> {
    pub fn into_page(self) -> Page<T> {
        let next = self.next.or(self.next_cursor).filter(|n| !n.is_empty());
        let has_more = self.has_more.or(self.has_more_camel).unwrap_or(false) && next.is_some();
        Page {
            items: self.data,
            next: if has_more { next } else { None },
            has_more,
            total_results: self.total_results.or(self.total_results_camel),
        }
    }
}

#[derive(Deserialize)]
#[serde(bound = "T: Deserialize<'de>")]
pub(crate) struct OneWire<T> {
    pub success: Option<bool>,
    pub data: Option<T>,
}

/// The fields that carry money, in every resource.
const MONEY_FIELDS: &[&str] = &[
    "total",
    "subtotal",
    "taxes",
    "discount",
    "exchange_rate",
    "last_balance",
    "amount",
    "unit_price",
    "quantity",
];

/// An item whose amount is unreadable (`"total": "N/A"`, `true`, `{}`) costs that field,
/// not the whole page: such fields become absent and are listed in `unreadable`, so the
/// row is kept and says which figure it could not read.
pub(crate) fn repair_money(item: &mut serde_json::Value) -> Vec<String> {
    let Some(obj) = item.as_object_mut() else {
        return vec![];
    };
    let mut bad = Vec::new();
    for key in MONEY_FIELDS {
        let readable = match obj.get(*key) {
            None | Some(serde_json::Value::Null) | Some(serde_json::Value::Number(_)) => true,
            Some(serde_json::Value::String(s)) => {
                s.trim().is_empty() || super::money::Amount::parse(s).is_ok()
            }
            Some(_) => false,
        };
        if !readable {
            obj.insert((*key).to_string(), serde_json::Value::Null);
            bad.push((*key).to_string());
        }
    }
    if !bad.is_empty() {
        obj.insert("unreadable".into(), serde_json::json!(bad));
    }
    bad
}
