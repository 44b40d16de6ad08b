//! A team's invoice drafts (`:drafts`): the list as gigstack keeps it, each draft read as
//! its PDF would (every line, tax and total, from gigstack's own figures), and a draft
//! turned back into the invoice form to edit it.

use tui_input::Input;

use super::items::{ItemRow, preset_of};
use super::model::{CreateForm, FormData, Head};
use crate::api::{Amount, Draft, Tax};
use crate::app::dialogs::kinds::WriteKind;
use crate::app::form::amount::AmountField;
use crate::app::form::choice::Choice;
use crate::app::form::repeat::Repeat;
use crate::i18n::Lang;
use crate::t;
use crate::text::printable;

/// The `:drafts` popup.
#[derive(Clone, Debug)]
pub struct DraftsView {
    pub team: crate::api::TeamId,
    pub team_name: String,
    /// `None` while they are read.
    pub drafts: Option<Vec<Draft>>,
    pub error: Option<String>,
    pub selected: usize,
}

impl DraftsView {
    /// Drafts still to stamp (a stamped one stays listed by gigstack, as its history).
    pub fn open_ones(&self) -> Vec<&Draft> {
        self.drafts
            .iter()
            .flatten()
            .filter(|d| d.stampable())
            .collect()
    }

    pub fn chosen(&self) -> Option<&Draft> {
        let open = self.open_ones();
        open.get(self.selected.min(open.len().saturating_sub(1)))
            .copied()
    }
}

/// One line of the list: client, total, date, id.
pub fn summary(d: &Draft, lang: Lang) -> String {
    let cur = printable(d.currency.as_deref().unwrap_or("MXN"));
    let cur = cur.as_str();
    let client = d
        .client
        .as_ref()
        .map(|c| printable(c.display_name()))
        .unwrap_or_default();
    let total = d.total.map(|t| t.display(cur)).unwrap_or_default();
    let when = d.created_at.map(|i| lang.datetime(i)).unwrap_or_default();
    format!("{when}  {client}  {total}  {}", printable(&d.id))
}

/// The draft as its PDF would read: each line with its taxes, then the document's sums,
/// all as gigstack computed them.
pub fn lines(d: &Draft, lang: Lang) -> Vec<String> {
    let cur = printable(d.currency.as_deref().unwrap_or("MXN"));
    let m = |a: Option<Amount>| a.map(|a| a.display(&cur)).unwrap_or_else(|| "—".into());
    let mut out = Vec::new();
    if let Some(c) = &d.client {
        out.push(t!(
            lang,
            "Client: {} {}",
            "Cliente: {} {}",
            printable(c.display_name()),
            printable(c.tax_id.as_deref().unwrap_or(""))
        ));
    }
    for (i, it) in d.items.iter().enumerate() {
        let q = it
            .quantity
            .map(|q| q.0.normalize().to_string())
            .unwrap_or_default();
        let amount = match (it.quantity, it.unit_price) {
            (Some(q), Some(p)) => Some(Amount(q.0 * p.0)),
            _ => None,
        };
        out.push(format!(
            "{:>3}. {q} × {}  {}  {}",
            i + 1,
            m(it.unit_price),
            printable(it.description.as_deref().unwrap_or("")),
            m(amount)
        ));
        for tax in &it.taxes {
            let kind = printable(tax.kind.as_deref().unwrap_or(""));
            let rate = tax
                .rate
                .map(|r| {
                    (r.0 * rust_decimal::Decimal::ONE_HUNDRED)
                        .normalize()
                        .to_string()
                })
                .unwrap_or_default();
            let label = match (tax.factor.as_deref(), tax.withholding.unwrap_or(false)) {
                (Some("Exento"), _) => t!(lang, "{kind} exempt", "{kind} exento"),
                (_, true) => t!(lang, "{kind} {rate}% withheld", "{kind} {rate}% retenido"),
                _ => format!("{kind} {rate}%"),
            };
            out.push(format!("       {label}  {}", m(tax.amount)));
        }
    }
    out.push(format!("{:>44}  {}", "Subtotal", m(d.subtotal)));
    out.push(format!(
        "{:>44}  {}",
        lang.pick("Taxes transferred", "Impuestos trasladados"),
        m(d.taxes)
    ));
    if d.withholdings.is_some_and(|w| !w.0.is_zero()) {
        out.push(format!(
            "{:>44}  −{}",
            lang.pick("Withheld", "Retenciones"),
            m(d.withholdings)
        ));
    }
    out.push(format!("{:>44}  {}", "Total", m(d.total)));
    out
}

/// The invoice form filled from a draft, to edit it (Yes sends the change).
pub fn form(d: &Draft, head: Head, data: FormData) -> CreateForm {
    let lang = head.lang;
    let mut f = CreateForm::new(WriteKind::DraftInvoice, head, data);
    f.draft = Some(d.id.clone());
    if let Some(id) = d.client.as_ref().and_then(|c| c.id.as_deref()) {
        f.pending_client = Some(id.to_string());
        f.f.client.select(id);
    }
    let rows: Vec<ItemRow> = d
        .items
        .iter()
        .map(|it| {
            let mut r = ItemRow::new(&f.data.services, &f.data.defaults, lang);
            r.description = Input::new(printable(it.description.as_deref().unwrap_or("")));
            if let Some(q) = it.quantity {
                r.quantity = Input::new(q.0.normalize().to_string());
            }
            if let Some(p) = it.unit_price {
                r.price = AmountField::new(p.0);
            }
            if let Some(k) = &it.product_key {
                r.product_key = Input::new(printable(k));
            }
            if let Some(k) = &it.unit_key {
                r.unit_key = Input::new(printable(k));
            }
            let taxes: Vec<Tax> = it
                .taxes
                .iter()
                .map(|t| Tax {
                    kind: t.kind.clone(),
                    rate: t.rate,
                    factor: t.factor.clone(),
                    inclusive: t.inclusive,
                    withholding: t.withholding,
                    retained: None,
                })
                .collect();
            r.taxes = Choice::catalog(crate::app::data::totals::PRESETS, preset_of(&taxes));
            r
        })
        .collect();
    if !rows.is_empty() {
        f.f.items = Repeat { rows, current: 0 };
    }
    let pick = |c: &mut Choice, v: &Option<String>| {
        if let Some(v) = v {
            c.select(v);
        }
    };
    pick(&mut f.f.cfdi_use, &d.cfdi_use);
    pick(&mut f.f.method, &d.payment_method);
    if d.payment_form.as_deref() != Some("99") {
        pick(&mut f.f.form, &d.payment_form);
    }
    pick(&mut f.f.currency, &d.currency);
    f.pending_series = d.series.clone().filter(|s| !s.is_empty());
    if let Some(r) = d.exchange_rate {
        f.f.rate = AmountField::new(r.0);
    }
    if let Some(n) = &d.invoice_pdf_notes {
        f.f.notes = Input::new(printable(n));
    }
    f.touched = true;
    f
}
