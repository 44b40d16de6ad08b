//! The one arithmetic of every create (drafts, income/egress/transfer invoices, a draft's
//! stamp, payment requests and registers, receipts), as cfdi-rules.md "Totals of a new
//! invoice or payment" states it, in exact decimals:
//!
//! - per item `amount = quantity × unit_price`, `base = amount − discount`; with an
//!   `inclusive` tax the price already holds the transferred taxes, so
//!   `base = (quantity × unit_price − discount) ÷ (1 + Σ transferred rates)` and the item's
//!   amount is `base + discount` (what CFDI calls the pre-tax Importe, so `base = amount −
//!   discount` still holds and the document's total is what the prices said);
//! - per item and tax `tax = base × rate`, half-up to cents; `Exento` carries no amount;
//!   `taxability` 01 has no taxes at all;
//! - document `subtotal = Σ amount`, `discount = Σ discount`, `taxes` = Σ transferred,
//!   `withholdings` = Σ withheld, `total = subtotal − discount + taxes − withholdings`.
//!
//! Items keep their taxes, each with the `base` and `amount` computed here, so a stored
//! document recomputed later (a draft stamped) gives the same totals.

use rust_decimal::{Decimal, RoundingStrategy};
use serde_json::Value;

use super::error::SbError;
use super::model::{Money, SbItem, SbService, SbTax};
use super::request::{decimal_field, text_field};

/// Half-up (away from zero at the midpoint) to `dp` decimals, as SAT rounds.
pub fn half_up(d: Decimal, dp: u32) -> Decimal {
    d.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero)
}

/// A computed document: its items (with their taxes' bases and amounts) and its figures.
#[derive(Clone, Debug)]
pub struct Computed {
    pub items: Vec<SbItem>,
    pub subtotal: Money,
    pub discount: Money,
    /// Σ transferred taxes (the documents' `taxes` number, §4.4).
    pub taxes: Money,
    /// Σ withheld taxes.
    pub withholdings: Money,
    pub total: Money,
}

/// What an item that does not say takes.
pub struct Defaults<'a> {
    /// The team's services, for items that reference one by `id` or `search`.
    pub services: &'a [SbService],
    /// Taxes of an item (or service) sent without a `taxes` key: the team's settings
    /// `taxes` (`taxes_usd` for USD) and `withholding_taxes` (§7.4).
    pub taxes: Vec<SbTax>,
    /// Recomputing a stored document: an item id that is no (longer a) service is kept
    /// as the item's own id instead of refused.
    pub stored: bool,
}

/// The default taxes a team's settings give for `currency` (§7.4 `taxes`, `taxes_usd`,
/// `withholding_taxes`).
pub fn settings_taxes(settings: &Value, currency: &str) -> Result<Vec<SbTax>, SbError> {
    let transferred = match (currency, settings.get("taxes_usd")) {
        ("USD", Some(Value::Array(t))) => t.clone(),
        _ => settings
            .get("taxes")
            .and_then(|t| t.as_array())
            .cloned()
            .unwrap_or_default(),
    };
    let mut out = Vec::new();
    for t in &transferred {
        out.push(parse_tax(t, "settings.taxes")?);
    }
    if let Some(Value::Array(held)) = settings.get("withholding_taxes") {
        for t in held {
            let mut tax = parse_tax(t, "settings.withholding_taxes")?;
            tax.withholding = true;
            out.push(tax);
        }
    }
    Ok(out)
}

/// A tax object of a request (§3.3): `type`, `rate`, `factor` (Tasa, Cuota, Exento; Tasa
/// when absent), `withholding` (or the early `retained`), `inclusive`. A `base` sent is
/// ignored (its meaning is undocumented, §3.3); the computed one is answered.
pub fn parse_tax(t: &Value, at: &str) -> Result<SbTax, SbError> {
    if !t.is_object() {
        return Err(SbError::validation(format!("{at} must be a tax object")));
    }
    let kind = text_field(t, "type")?
        .filter(|k| !k.trim().is_empty())
        .ok_or_else(|| SbError::validation(format!("{at}.type is required (IVA, ISR, IEPS)")))?;
    if !["IVA", "ISR", "IEPS"].contains(&kind.to_uppercase().as_str()) {
        return Err(SbError::validation(format!(
            "{at}.type {kind:?} is not IVA, ISR or IEPS"
        )));
    }
    let factor = text_field(t, "factor")?.unwrap_or("Tasa");
    let factor = ["Tasa", "Cuota", "Exento"]
        .into_iter()
        .find(|f| f.eq_ignore_ascii_case(factor))
        .ok_or_else(|| {
            SbError::validation(format!(
                "{at}.factor {factor:?} is not Tasa, Cuota or Exento"
            ))
        })?;
    let rate = decimal_field(t, "rate")?;
    let rate = match (rate, factor) {
        (Some(r), _) if r.is_sign_negative() => {
            return Err(SbError::validation(format!(
                "{at}.rate must not be negative"
            )));
        }
        (Some(r), _) => r,
        (None, "Exento") => Decimal::ZERO,
        (None, _) => return Err(SbError::validation(format!("{at}.rate is required"))),
    };
    let flag = |k: &str| -> Result<Option<bool>, SbError> {
        match t.get(k) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(other) => Err(SbError::validation(format!(
                "{at}.{k} must be true or false, got {other}"
            ))),
        }
    };
    Ok(SbTax {
        kind: kind.to_string(),
        rate: Money(rate),
        factor: factor.to_string(),
        withholding: flag("withholding")?.or(flag("retained")?).unwrap_or(false),
        inclusive: flag("inclusive")?.unwrap_or(false),
        base: None,
        amount: None,
    })
}

fn at_most_6_decimals(d: Decimal, what: &str) -> Result<Decimal, SbError> {
    if d.normalize().scale() > 6 {
        return Err(SbError::validation(format!(
            "{what} has more than 6 decimals (CFDI amounts carry at most 6)"
        )));
    }
    Ok(d)
}

/// The service an item names: by `id`, or by its `search` block (`on_key` sku, id or
/// description; §4.3).
fn service_of<'a>(
    it: &Value,
    i: usize,
    d: &Defaults<'a>,
) -> Result<Option<&'a SbService>, SbError> {
    if let Some(s) = it.get("search").filter(|s| s.is_object()) {
        let key = text_field(s, "on_key")?.unwrap_or("sku");
        let value = match text_field(s, "on_value")? {
            Some(v) => v,
            None => text_field(it, key)?.unwrap_or(""),
        };
        let found = d.services.iter().find(|svc| match key {
            "sku" => !svc.sku.is_empty() && svc.sku == value,
            "id" => svc.id == value,
            "description" | "name" => svc.description.eq_ignore_ascii_case(value),
            "product_key" => svc.product_key == value,
            _ => false,
        });
        if found.is_some() {
            return Ok(found);
        }
        // Not found: with `auto_create` the item's own fields stand (inline); without it,
        // the item names a service that does not exist.
        let auto = s.get("auto_create").and_then(|a| a.as_bool()) == Some(true);
        if !auto && !d.stored {
            return Err(SbError::validation(format!(
                "items[{i}].search: no service with {key} {value:?} in this team and auto_create is not set"
            )));
        }
        return Ok(None);
    }
    let Some(id) = text_field(it, "id")? else {
        return Ok(None);
    };
    let found = d.services.iter().find(|s| s.id == id);
    if found.is_none() && !d.stored && id.starts_with("service_") {
        return Err(SbError::validation(format!(
            "items[{i}].id {id:?} is not a service of this team"
        )));
    }
    Ok(found)
}

/// Computes a document from its request's `items`.
pub fn compute(items: Option<&Value>, d: &Defaults<'_>) -> Result<Computed, SbError> {
    let raw = match items {
        Some(Value::Array(a)) => a,
        None | Some(Value::Null) => return Err(SbError::validation("`items` is required")),
        Some(_) => return Err(SbError::validation("`items` must be a list of items")),
    };
    if raw.is_empty() {
        return Err(SbError::validation("`items` must not be empty"));
    }
    let too_large = |i: usize| SbError::validation(format!("items[{i}]: the amount is too large"));
    let (mut subtotal, mut discount, mut transferred, mut withheld) =
        (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
    let mut out = Vec::with_capacity(raw.len());
    for (i, it) in raw.iter().enumerate() {
        if !it.is_object() {
            return Err(SbError::validation(format!("items[{i}] must be an object")));
        }
        let service = service_of(it, i, d)?;
        let q = decimal_field(it, "quantity")?.unwrap_or(Decimal::ONE);
        let q = at_most_6_decimals(q, &format!("items[{i}].quantity"))?;
        let p = match (decimal_field(it, "unit_price")?, service) {
            (Some(p), _) => p,
            (None, Some(s)) => s.unit_price.0,
            (None, None) => {
                return Err(SbError::validation(format!(
                    "items[{i}].unit_price is required"
                )));
            }
        };
        let p = at_most_6_decimals(p, &format!("items[{i}].unit_price"))?;
        if q <= Decimal::ZERO || p.is_sign_negative() {
            return Err(SbError::validation(format!(
                "items[{i}]: quantity must be above 0 and unit_price not negative"
            )));
        }
        let disc_sent = decimal_field(it, "discount")?;
        let disc = disc_sent.unwrap_or(Decimal::ZERO);
        let disc = at_most_6_decimals(disc, &format!("items[{i}].discount"))?;
        let gross = q.checked_mul(p).ok_or_else(|| too_large(i))?;
        if disc.is_sign_negative() || disc > gross {
            return Err(SbError::validation(format!(
                "items[{i}].discount must be between 0 and quantity × unit_price ({gross})"
            )));
        }
        let taxability = text_field(it, "taxability")?
            .map(str::to_string)
            .or_else(|| {
                service
                    .map(|s| s.taxability.clone())
                    .filter(|t| !t.is_empty())
            });
        if let Some(t) = &taxability
            && !(t.len() == 2 && ("01"..="08").contains(&t.as_str()))
        {
            return Err(SbError::validation(format!(
                "items[{i}].taxability {t:?} is not a SAT ObjetoImp code (01–08)"
            )));
        }
        let sent_taxes = match it.get("taxes") {
            None | Some(Value::Null) => None,
            Some(Value::Array(ts)) => Some(
                ts.iter()
                    .enumerate()
                    .map(|(j, t)| parse_tax(t, &format!("items[{i}].taxes[{j}]")))
                    .collect::<Result<Vec<_>, _>>()?,
            ),
            Some(_) => {
                return Err(SbError::validation(format!(
                    "items[{i}].taxes must be a list of taxes"
                )));
            }
        };
        let mut taxes = if taxability.as_deref() == Some("01") {
            // ObjetoImp 01: no taxes at all; SAT refuses taxes on such an item.
            if sent_taxes.as_ref().is_some_and(|t| !t.is_empty()) {
                return Err(SbError::validation(format!(
                    "items[{i}]: taxability 01 (no objeto de impuesto) carries no taxes"
                )));
            }
            vec![]
        } else {
            match (sent_taxes, service) {
                (Some(t), _) => t,
                (None, Some(s)) => s.taxes.clone(),
                (None, None) => d.taxes.clone(),
            }
        };
        let exempt = |t: &SbTax| t.factor == "Exento";
        let rates: Decimal = taxes
            .iter()
            .filter(|t| !t.withholding && !exempt(t))
            .map(|t| t.rate.0)
            .sum();
        let net = gross - disc;
        let inclusive = taxes.iter().any(|t| t.inclusive && !t.withholding);
        let (amount, base) = if inclusive {
            let base = half_up(
                net.checked_div(Decimal::ONE + rates)
                    .ok_or_else(|| too_large(i))?,
                6,
            );
            (base + disc, base)
        } else {
            (gross, net)
        };
        for t in &mut taxes {
            t.base = Some(Money(base));
            if exempt(t) {
                t.amount = None;
                continue;
            }
            let tax = half_up(base.checked_mul(t.rate.0).ok_or_else(|| too_large(i))?, 2);
            t.amount = Some(Money(tax));
            if t.withholding {
                withheld += tax;
            } else {
                transferred += tax;
            }
        }
        subtotal = subtotal.checked_add(amount).ok_or_else(|| too_large(i))?;
        discount += disc;
        let text_or = |k: &str, from_service: Option<String>, default: &str| {
            text_field(it, k).map(|v| {
                v.filter(|s| !s.trim().is_empty())
                    .map(str::to_string)
                    .or(from_service.filter(|s| !s.is_empty()))
                    .unwrap_or_else(|| default.to_string())
            })
        };
        let taxability =
            taxability.unwrap_or_else(|| if taxes.is_empty() { "01" } else { "02" }.to_string());
        out.push(SbItem {
            id: text_field(it, "id")?
                .map(str::to_string)
                .or_else(|| service.map(|s| s.id.clone()))
                .unwrap_or_else(|| format!("item_{}", i + 1)),
            description: text_or(
                "description",
                service.map(|s| s.description.clone()),
                "Servicio",
            )?,
            quantity: Money(q),
            unit_price: Money(p),
            // Keys as sent; the service's; the generic SAT keys only when nothing says.
            product_key: text_or(
                "product_key",
                service.map(|s| s.product_key.clone()),
                "01010101",
            )?,
            unit_key: text_or("unit_key", service.map(|s| s.unit_key.clone()), "E48")?,
            unit_name: text_or(
                "unit_name",
                service.map(|s| s.unit_name.clone()),
                "Servicio",
            )?,
            taxes,
            discount: disc_sent.map(|_| Money(disc)),
            taxability: Some(taxability),
            sku: text_field(it, "sku")?
                .map(str::to_string)
                .or_else(|| service.map(|s| s.sku.clone()).filter(|s| !s.is_empty())),
            third_party: it.get("third_party").filter(|v| !v.is_null()).cloned(),
        });
    }
    let subtotal = half_up(subtotal, 2);
    let discount = half_up(discount, 2);
    let total = subtotal - discount + transferred - withheld;
    Ok(Computed {
        items: out,
        subtotal: Money(subtotal),
        discount: Money(discount),
        taxes: Money(transferred),
        withholdings: Money(withheld),
        total: Money(half_up(total, 2)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(items: Value) -> Computed {
        let d = Defaults {
            services: &[],
            taxes: vec![SbTax::iva16()],
            stored: false,
        };
        compute(Some(&items), &d).unwrap()
    }

    fn n(s: &str) -> Money {
        Money(s.parse().unwrap())
    }

    #[test]
    fn iva_withholdings_exempt_inclusive_and_discount() {
        let c = run(json!([{"quantity": 1, "unit_price": 1000}]));
        assert_eq!(
            (c.subtotal, c.taxes, c.total),
            (n("1000"), n("160"), n("1160"))
        );
        let c = run(json!([{"quantity": 1, "unit_price": 10000, "taxes": [
            {"type": "IVA", "rate": 0.16, "factor": "Tasa"},
            {"type": "ISR", "rate": 0.10, "factor": "Tasa", "withholding": true},
            {"type": "IVA", "rate": 0.106667, "factor": "Tasa", "withholding": true},
        ]}]));
        assert_eq!(c.withholdings, n("2066.67"));
        assert_eq!(c.total, n("9533.33"));
        let c = run(json!([{"unit_price": 500, "taxes": [{"type": "IVA", "factor": "Exento"}]}]));
        assert_eq!((c.taxes, c.total), (n("0"), n("500")));
        assert!(c.items[0].taxes[0].amount.is_none());
        let c = run(json!([{"unit_price": 1160, "discount": 116, "taxes": [
            {"type": "IVA", "rate": 0.16, "inclusive": true}]}]));
        assert_eq!(
            (c.subtotal, c.discount, c.taxes, c.total),
            (n("1016"), n("116"), n("144"), n("1044"))
        );
        // Half-up: 0.125 → 0.13 (banker's rounding would say 0.12).
        let c = run(json!([{"unit_price": 0.78125}]));
        assert_eq!(c.taxes, n("0.13"));
    }
}
