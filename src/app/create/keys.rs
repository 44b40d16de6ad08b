//! A create form's keys: editing the focused field (text, choice, an item's parts, the
//! link's payment methods), Tab order, the team choice first when asked, Esc that warns
//! once before throwing typed text away, and Enter on "Yes" turning the form into what to
//! send. Sends nothing itself.

use crossterm::event::{KeyCode, KeyEvent};

use super::check::Outcome;
use super::items::Part;
use super::model::{CreateForm, Key};
use crate::app::form::text::edit;
use crate::t;

/// What a key did to a create form.
// One per key, moved straight into the popup: boxing the form here would only add a move.
#[allow(clippy::large_enum_variant)]
pub enum Step {
    Open(CreateForm),
    /// Closed; nothing was sent (the text says so).
    Closed(String),
    /// Enter on "Yes" with a valid form.
    Confirmed(CreateForm, Outcome),
    /// The team was chosen (from the Group tab or all teams): its lists are to be read.
    TeamChosen(CreateForm),
}

pub fn on_key(mut f: CreateForm, key: KeyEvent) -> Step {
    let lang = f.lang();
    let what = f.kind.title(lang);
    if key.code != KeyCode::Esc {
        f.warned = false;
    }
    match key.code {
        KeyCode::Esc if f.touched && !f.warned => {
            f.warned = true;
            f.error = Some(crate::app::form::FieldError {
                field: None,
                text: lang
                    .pick(
                        "Esc again closes the form and throws away what was typed; any other key goes on.",
                        "Esc otra vez cierra el formulario y descarta lo escrito; cualquier otra tecla sigue.",
                    )
                    .into(),
            });
        }
        KeyCode::Esc => {
            return Step::Closed(t!(
                lang,
                "{what}: nothing was sent.",
                "{what}: no se envió nada."
            ));
        }
        KeyCode::Enter if f.focus == Key::Team => {
            let Some(team) = f.f.team.code() else {
                f.error = Some(crate::app::form::FieldError::at(
                    Key::Team,
                    lang.pick("No team matches.", "Ningún equipo coincide."),
                ));
                return Step::Open(f);
            };
            let name =
                f.f.team
                    .chosen()
                    .map(|(_, n)| n.to_string())
                    .unwrap_or_default();
            f.head.team = crate::api::TeamId(team);
            f.head.team_name = name;
            f.choosing_team = false;
            f.focus = f.order()[0];
            return Step::TeamChosen(f);
        }
        KeyCode::Tab | KeyCode::BackTab => f.next_field(key.code == KeyCode::BackTab),
        KeyCode::Enter if f.focus != Key::Buttons => f.next_field(false),
        KeyCode::Enter if !f.confirm.yes => {
            return Step::Closed(t!(
                lang,
                "{what}: nothing was sent.",
                "{what}: no se envió nada."
            ));
        }
        KeyCode::Enter => match f.validate() {
            Ok(outcome) => return Step::Confirmed(f, outcome),
            Err(e) => {
                // An item at fault: its row becomes current so its parts show.
                if let Some(row) = item_row(&e.text) {
                    f.f.items.current = row.min(f.f.items.rows.len()).saturating_sub(1);
                }
                if let Some(k) = e.field {
                    f.focus = k;
                }
                f.error = Some(e);
            }
        },
        _ => field_key(&mut f, &key),
    }
    Step::Open(f)
}

/// The row an item error names (`Item 2: …`, `Concepto 2: …`).
fn item_row(text: &str) -> Option<usize> {
    let rest = text
        .strip_prefix("Item ")
        .or_else(|| text.strip_prefix("Concepto "))?;
    rest.split(':').next()?.parse().ok()
}

/// A key on the focused field.
pub fn field_key(f: &mut CreateForm, key: &KeyEvent) {
    f.error = None;
    if f.frozen && !matches!(f.focus, Key::Buttons | Key::Word) {
        f.error = Some(crate::app::form::FieldError {
            field: None,
            text: f
                .lang()
                .pick(
                    "This form was sent once with no answer: it is sent again only as it was. Esc drops it to start over.",
                    "Este formulario se envió una vez sin respuesta: solo se reenvía tal como estaba. Esc lo descarta para empezar de nuevo.",
                )
                .into(),
        });
        return;
    }
    let before = f.focus;
    let fl = &mut f.f;
    let changed = match f.focus {
        Key::Buttons => {
            f.confirm.key(key, f.head.lang);
            false
        }
        Key::Word => {
            f.confirm.type_key(key);
            true
        }
        Key::Team => {
            fl.team.key(key);
            false
        }
        Key::Client => {
            fl.client.key(key);
            true
        }
        Key::Items => {
            let (services, defaults, lang) = (&f.data.services, &f.data.defaults, f.head.lang);
            fl.items
                .key_with(key, || super::items::ItemRow::new(services, defaults, lang))
        }
        Key::Item(part) => {
            let services = &f.data.services;
            let row = fl.items.current_mut();
            match part {
                Part::Service => {
                    row.service.key(key);
                    row.follow_service(services);
                    true
                }
                Part::Description => edit(&mut row.description, key),
                Part::Quantity => edit(&mut row.quantity, key),
                Part::Price => edit(&mut row.price.input, key),
                Part::Taxes => {
                    row.taxes.key(key);
                    true
                }
                Part::ProductKey => edit(&mut row.product_key, key),
                Part::UnitKey => edit(&mut row.unit_key, key),
            }
        }
        Key::Currency => {
            fl.currency.key(key);
            true
        }
        Key::Rate => edit(&mut fl.rate.input, key),
        Key::Methods => {
            let n = fl.methods.len();
            match key.code {
                KeyCode::Left | KeyCode::Char('h') => fl.method_at = fl.method_at.saturating_sub(1),
                KeyCode::Right | KeyCode::Char('l') => {
                    fl.method_at = (fl.method_at + 1).min(n.saturating_sub(1))
                }
                KeyCode::Char(' ') | KeyCode::Char('x') => {
                    if let Some(on) = fl.methods.get_mut(fl.method_at) {
                        *on = !*on;
                    }
                }
                _ => return,
            }
            true
        }
        Key::Automation => {
            fl.automation.key(key);
            true
        }
        Key::Ppd => {
            fl.ppd.key(key);
            true
        }
        Key::Form => {
            fl.form.key(key);
            true
        }
        Key::Use => {
            fl.cfdi_use.key(key);
            true
        }
        Key::Method => {
            fl.method.key(key);
            true
        }
        Key::Series => {
            fl.series.key(key);
            true
        }
        Key::Regime => {
            fl.regime.key(key);
            true
        }
        Key::Emails => edit(&mut fl.emails, key),
        Key::Notes => edit(&mut fl.notes, key),
        Key::Amount => edit(&mut fl.amount.input, key),
        Key::Name => edit(&mut fl.name, key),
        Key::LegalName => edit(&mut fl.legal_name, key),
        Key::Rfc => edit(&mut fl.rfc, key),
        Key::Zip => edit(&mut fl.zip, key),
        Key::Email => edit(&mut fl.email, key),
    };
    if changed {
        f.touched = true;
    }
    // A field that went away (the currency back to MXN, PPD chosen) leaves the cursor on
    // what follows it.
    if !f.order().contains(&before) {
        f.focus = f.order()[0];
    }
}
