//! A create form's items: each a line picked from the team's services or written freely
//! (description, quantity, unit price, SAT product and unit keys, a tax preset), read into
//! what the totals preview computes and what the API is sent — from the same fields, so
//! the two never disagree.

use rust_decimal::Decimal;
use tui_input::Input;

use crate::api::{Amount, NewItem, NewTax};
use crate::app::data::totals::{self, ItemLine, PRESETS, TaxLine};
use crate::app::form::amount::AmountField;
use crate::app::form::choice::Choice;
use crate::i18n::Lang;
use crate::t;

/// A service of the team, as an item starts from it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ServiceOpt {
    pub id: String,
    pub description: String,
    pub price: Decimal,
    pub product_key: String,
    pub unit_key: String,
    /// The preset its taxes read as (`IVA 16%`…).
    pub preset: &'static str,
}

/// The part of an item the cursor is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    Service,
    Description,
    Quantity,
    Price,
    Taxes,
    ProductKey,
    UnitKey,
}

impl Part {
    pub const ALL: [Part; 7] = [
        Part::Service,
        Part::Description,
        Part::Quantity,
        Part::Price,
        Part::Taxes,
        Part::ProductKey,
        Part::UnitKey,
    ];

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Part::Service => lang.pick("From service", "Del servicio"),
            Part::Description => lang.pick("Description", "Descripción"),
            Part::Quantity => lang.pick("Quantity", "Cantidad"),
            Part::Price => lang.pick("Unit price", "Precio unitario"),
            Part::Taxes => lang.pick("Taxes", "Impuestos"),
            Part::ProductKey => lang.pick("SAT product key", "Clave SAT producto"),
            Part::UnitKey => lang.pick("SAT unit key", "Clave SAT unidad"),
        }
    }
}

/// The id of the "no service" option of the service picker.
pub const FREE_LINE: &str = "";

/// One item of the form.
#[derive(Clone, Debug)]
pub struct ItemRow {
    /// Picker over the team's services; the first option is a free line.
    pub service: Choice,
    /// The service the fields were last filled from (checked again before sending).
    pub from_service: Option<String>,
    pub description: Input,
    pub quantity: Input,
    pub price: AmountField,
    pub taxes: Choice,
    pub product_key: Input,
    pub unit_key: Input,
}

/// What a new item starts with: the team's settings (tax preset, product and unit key).
#[derive(Clone, Debug)]
pub struct ItemDefaults {
    pub preset: &'static str,
    pub product_key: String,
    pub unit_key: String,
}

impl Default for ItemDefaults {
    fn default() -> Self {
        ItemDefaults {
            preset: "IVA 16%",
            product_key: "01010101".into(),
            unit_key: "E48".into(),
        }
    }
}

impl ItemRow {
    pub fn new(services: &[ServiceOpt], d: &ItemDefaults, lang: Lang) -> Self {
        ItemRow {
            service: service_choice(services, lang),
            from_service: None,
            description: Input::default(),
            quantity: Input::new("1".into()),
            price: AmountField::default(),
            taxes: Choice::catalog(PRESETS, d.preset),
            product_key: Input::new(d.product_key.clone()),
            unit_key: Input::new(d.unit_key.clone()),
        }
    }

    /// Fills the line from the service highlighted in the picker, when it is one and not
    /// the one already used.
    pub fn follow_service(&mut self, services: &[ServiceOpt]) {
        let Some(id) = self.service.code().filter(|c| c != FREE_LINE) else {
            // Back to a free line: nothing of a service is checked when sending.
            self.from_service = None;
            return;
        };
        if self.from_service.as_deref() == Some(id.as_str()) {
            return;
        }
        let Some(s) = services.iter().find(|s| s.id == id) else {
            return;
        };
        self.description = Input::new(s.description.clone());
        self.price = AmountField::new(s.price);
        self.product_key = Input::new(s.product_key.clone());
        self.unit_key = Input::new(s.unit_key.clone());
        self.taxes = Choice::catalog(PRESETS, s.preset);
        self.from_service = Some(id);
    }

    fn preset(&self) -> &'static str {
        let name = self.taxes.code().unwrap_or_default();
        PRESETS
            .iter()
            .map(|(n, _)| *n)
            .find(|n| *n == name)
            .unwrap_or("IVA 16%")
    }

    /// One line as the form lists it: `2 × $500.00  Consultoría  IVA 16%`.
    pub fn summary(&self) -> String {
        let desc = self.description.value();
        format!(
            "{} × {}  {}  {}",
            self.quantity.value(),
            self.price.value(),
            if desc.is_empty() { "—" } else { desc },
            self.preset()
        )
    }
}

/// The service picker: a free line first, then every service by its description.
pub fn service_choice(services: &[ServiceOpt], lang: Lang) -> Choice {
    let mut options = vec![(
        FREE_LINE.to_string(),
        lang.pick("— free line —", "— línea libre —").to_string(),
    )];
    options.extend(services.iter().map(|s| {
        (
            s.id.clone(),
            format!("{} · {}", s.description, Amount(s.price).display("MXN")),
        )
    }));
    Choice::over(options)
}

/// The preset a service's taxes read as: IVA at 16, 8 or 0 %, exempt, the withholdings
/// between a company and an individual, or none; anything else reads as IVA 16 %.
pub fn preset_of(taxes: &[crate::api::Tax]) -> &'static str {
    let rate = |t: &crate::api::Tax| t.rate.map(|a| a.0).unwrap_or_default();
    let withheld = |t: &crate::api::Tax| t.withholding.or(t.retained).unwrap_or(false);
    let exempt = |t: &crate::api::Tax| t.factor.as_deref() == Some("Exento");
    if taxes.is_empty() {
        return "Sin impuestos";
    }
    if taxes.iter().any(withheld) {
        return "IVA 16% − ret. ISR 10% e IVA 2/3";
    }
    match taxes.first() {
        Some(t) if exempt(t) => "Exento",
        Some(t) if rate(t) == Decimal::new(8, 2) => "IVA 8%",
        Some(t) if rate(t).is_zero() => "IVA 0%",
        _ => "IVA 16%",
    }
}

/// What is wrong with one part of one item (the row's number, from 1).
#[derive(Clone, Debug, PartialEq)]
pub struct ItemError {
    pub row: usize,
    pub part: Part,
    pub text: String,
}

/// An item read from its fields: for the preview and for the request.
#[derive(Clone, Debug, PartialEq)]
pub struct ReadItem {
    pub line: ItemLine,
    pub item: NewItem,
}

/// Reads every item, or says what is wrong with the first one that is not an item.
pub fn read_all(rows: &[ItemRow], lang: Lang) -> Result<Vec<ReadItem>, ItemError> {
    rows.iter()
        .enumerate()
        .map(|(i, r)| {
            read(r, lang).map_err(|(part, text)| ItemError {
                row: i + 1,
                part,
                text,
            })
        })
        .collect()
}

fn read(r: &ItemRow, lang: Lang) -> Result<ReadItem, (Part, String)> {
    let description = crate::text::printable(r.description.value().trim());
    if description.is_empty() {
        return Err((
            Part::Description,
            lang.pick(
                "An item needs a description (what the customer reads on the invoice).",
                "Cada concepto necesita una descripción (lo que el cliente lee en la factura).",
            )
            .into(),
        ));
    }
    let quantity = quantity(r.quantity.value(), lang).map_err(|e| (Part::Quantity, e))?;
    let unit_price = r.price.read_cents(lang).map_err(|e| (Part::Price, e))?;
    let product_key = r.product_key.value().trim().to_string();
    if product_key.len() != 8 || !product_key.bytes().all(|b| b.is_ascii_digit()) {
        return Err((
            Part::ProductKey,
            t!(
                lang,
                "«{product_key}» is not a SAT product key (8 digits, e.g. 01010101).",
                "«{product_key}» no es una clave SAT de producto (8 dígitos, p. ej. 01010101)."
            ),
        ));
    }
    let unit_key = r.unit_key.value().trim().to_uppercase();
    if !(1..=3).contains(&unit_key.len()) || !unit_key.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err((
            Part::UnitKey,
            t!(
                lang,
                "«{unit_key}» is not a SAT unit key (E48, H87, ACT…).",
                "«{unit_key}» no es una clave SAT de unidad (E48, H87, ACT…)."
            ),
        ));
    }
    let preset = r.preset();
    let taxes: Vec<TaxLine> = totals::preset(preset).unwrap_or_default();
    let line = ItemLine {
        quantity,
        unit_price,
        discount: Decimal::ZERO,
        inclusive: false,
        taxes: taxes.clone(),
    };
    let item = NewItem {
        description,
        quantity: Amount(quantity),
        unit_price: Amount(unit_price),
        product_key,
        unit_key,
        taxes: taxes.iter().map(new_tax).collect(),
        discount: None,
        unit_name: None,
        // SAT's ObjetoImp: 01 for an item without taxes, 02 with them.
        taxability: Some(if taxes.is_empty() { "01" } else { "02" }.to_string()),
    };
    Ok(ReadItem { line, item })
}

/// The tax of the API (§3.3) for a tax line of the form.
pub fn new_tax(t: &TaxLine) -> NewTax {
    NewTax {
        kind: t.kind.to_string(),
        rate: Amount(t.rate),
        factor: if t.exempt { "Exento" } else { "Tasa" }.to_string(),
        withholding: t.withholding,
        inclusive: false,
    }
}

/// A quantity: more than zero, at most six decimals (SAT's precision).
pub fn quantity(text: &str, lang: Lang) -> Result<Decimal, String> {
    let q: Decimal = text.trim().replace(',', "").parse().map_err(|_| {
        t!(
            lang,
            "«{text}» is not a quantity.",
            "«{text}» no es una cantidad."
        )
    })?;
    if q <= Decimal::ZERO {
        return Err(lang
            .pick(
                "The quantity must be more than zero.",
                "La cantidad debe ser mayor que cero.",
            )
            .into());
    }
    if q.normalize().scale() > 6 {
        return Err(t!(
            lang,
            "«{text}» has more than six decimals.",
            "«{text}» tiene más de seis decimales."
        ));
    }
    Ok(q)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(q: &str, p: &str, preset: &'static str) -> ItemRow {
        let mut r = ItemRow::new(
            &[],
            &ItemDefaults {
                preset,
                ..Default::default()
            },
            Lang::En,
        );
        r.description = Input::new("Consultoría".into());
        r.quantity = Input::new(q.into());
        r.price = AmountField {
            input: Input::new(p.into()),
        };
        r
    }

    #[test]
    fn the_preview_and_the_request_read_the_same_fields() {
        let items = read_all(
            &[row("2", "500", "IVA 16%"), row("1", "300", "Exento")],
            Lang::En,
        )
        .unwrap();
        let t = totals::compute(&items.iter().map(|i| i.line.clone()).collect::<Vec<_>>()).unwrap();
        assert_eq!(t.total, Decimal::new(146000, 2));
        assert_eq!(items[1].item.taxes[0].factor, "Exento");
        assert_eq!(items[0].item.unit_price, Amount(Decimal::new(500, 0)));
    }

    #[test]
    fn a_bad_item_names_its_row_and_part() {
        let e = read_all(
            &[row("1", "10", "IVA 16%"), row("0", "10", "IVA 16%")],
            Lang::En,
        )
        .unwrap_err();
        assert_eq!((e.row, e.part), (2, Part::Quantity));
        let e = read_all(&[row("1", "10.001", "IVA 16%")], Lang::En).unwrap_err();
        assert_eq!(e.part, Part::Price);
        let e = read_all(&[row("1", "-5", "IVA 16%")], Lang::En).unwrap_err();
        assert_eq!(e.part, Part::Price);
    }

    #[test]
    fn picking_a_service_fills_the_line() {
        let services = vec![ServiceOpt {
            id: "service_1".into(),
            description: "Corte de cabello".into(),
            price: Decimal::new(25000, 2),
            product_key: "86101700".into(),
            unit_key: "ACT".into(),
            preset: "Exento",
        }];
        let mut r = ItemRow::new(&services, &ItemDefaults::default(), Lang::Es);
        r.service.key(&crossterm::event::KeyEvent::from(
            crossterm::event::KeyCode::Down,
        ));
        r.follow_service(&services);
        assert_eq!(r.description.value(), "Corte de cabello");
        assert_eq!(r.price.value(), "250.00");
        assert_eq!(r.taxes.code().as_deref(), Some("Exento"));
    }
}
