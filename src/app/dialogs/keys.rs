//! A write dialog's keys: editing its fields, moving between them (Tab, Shift-Tab, Enter),
//! and Enter on "Yes" turning the form into what to send. Shared by single and bulk
//! writes; sends nothing itself.

use crossterm::event::{KeyCode, KeyEvent};
use tui_input::Input;

use super::check::Submit;
use super::kinds::WriteKind;
use super::model::{Body, Bulk, BulkWrite, Dialog, Field, Target};
use crate::app::form::catalogs::MOTIVES;
use crate::app::form::text::edit;
use crate::app::form::up_down;
use crate::app::state::State;
use crate::t;

/// What a key did to the write dialog.
pub enum Step {
    /// Still open (a field changed, or the form is not valid yet).
    Open(Dialog),
    /// Esc, or Enter on "No": nothing is sent; the text says so.
    Closed(String),
    /// Enter on "Yes" with a valid form.
    Confirmed(Dialog, Submit),
}

/// Keys inside a write dialog. Esc always backs out; Enter on "Yes" confirms once.
pub fn on_key(mut d: Dialog, key: KeyEvent) -> Step {
    let (kind, lang) = (d.kind(), d.lang());
    match key.code {
        KeyCode::Esc => return Step::Closed(nothing_sent(kind, lang)),
        KeyCode::Tab | KeyCode::BackTab => d.next_field(key.code == KeyCode::BackTab),
        KeyCode::Enter if d.focus != Field::Buttons => d.next_field(false),
        KeyCode::Enter if !d.confirm.yes => return Step::Closed(nothing_sent(kind, lang)),
        KeyCode::Enter => match d.validate() {
            Ok(submit) => return Step::Confirmed(d, submit),
            Err(e) => d.error = Some(e),
        },
        _ => field_key(&mut d, &key),
    }
    Step::Open(d)
}

/// A key in a write dialog, for single and bulk writes alike: the form moves on, closes
/// saying nothing was sent, or hands what to send to `submit`.
pub fn dialog_key(
    state: &mut State,
    d: Dialog,
    key: KeyEvent,
    submit: fn(&mut State, Dialog, Submit) -> Vec<crate::app::msg::Request>,
) -> Vec<crate::app::msg::Request> {
    match on_key(d, key) {
        Step::Open(d) => {
            state.popup = crate::app::state::Popup::Action(Box::new(d));
            vec![]
        }
        Step::Closed(text) => {
            crate::app::state::say(state, text);
            vec![]
        }
        Step::Confirmed(d, what) => submit(state, d, what),
    }
}

/// Who and where a dialog acts on: the current team, as the header shows it.
pub fn target(state: &State) -> Option<Target> {
    let team = state.current.clone()?;
    Some(Target {
        team,
        team_name: state
            .current_team()
            .map(|t| t.name.clone())
            .unwrap_or_default(),
        connect: state.is_connect_team(),
        live: state.live.unwrap_or(true),
        lang: state.lang,
        today: today_of(state),
    })
}

pub fn today_of(state: &State) -> jiff::civil::Date {
    let now = state
        .current_view()
        .map(|v| v.now)
        .filter(|n| *n > 0)
        .unwrap_or(0);
    jiff::Timestamp::from_second(now)
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
        .to_zoned(crate::api::time::mexico_city().clone())
        .date()
}

pub fn lock_key(kind: WriteKind, id: &str) -> String {
    format!("{}:{id}", kind.slug())
}

/// A key on the focused field (not Tab, Enter or Esc).
pub fn field_key(d: &mut Dialog, key: &KeyEvent) {
    let lang = d.lang();
    let updown = up_down(key);
    d.error = None;
    match d.focus {
        Field::Buttons => d.confirm.key(key, lang),
        Field::Word => d.confirm.type_key(key),
        Field::Form => {
            if let Some(paid) = d.paid_mut() {
                paid.form.key(key);
            }
        }
        Field::Date => {
            if let Some(paid) = d.paid_mut() {
                edit(&mut paid.date.input, key);
            }
        }
        Field::Amount => {
            if let Body::Refund { amount, .. } | Body::IssueComplement { amount, .. } = &mut d.body
            {
                edit(&mut amount.input, key);
            }
        }
        Field::Reason => {
            if let Body::Refund { reason, .. } = &mut d.body {
                edit(reason, key);
            }
        }
        Field::Motive => {
            if let Body::CancelInvoice { motive, .. }
            | Body::Bulk(Bulk {
                write: BulkWrite::CancelInvoice { motive },
                ..
            }) = &mut d.body
            {
                match (key.code, updown) {
                    (KeyCode::Char(c @ '1'..='4'), _) => *motive = c as usize - '1' as usize,
                    (_, Some(false)) => *motive = motive.saturating_sub(1),
                    (_, Some(true)) => *motive = (*motive + 1).min(MOTIVES.len() - 1),
                    _ => {}
                }
            }
        }
        Field::Substitution => {
            if let Body::CancelInvoice {
                substitution,
                choices,
                ..
            } = &mut d.body
            {
                match updown {
                    Some(down) if !choices.is_empty() => {
                        let n = choices.len();
                        let cur = choices.iter().position(|(u, _)| u == substitution.value());
                        let next = match (cur, down) {
                            (None, _) => 0,
                            (Some(i), true) => (i + 1) % n,
                            (Some(i), false) => (i + n - 1) % n,
                        };
                        *substitution = Input::new(choices[next].0.clone());
                    }
                    _ => {
                        edit(substitution, key);
                    }
                }
            }
        }
    }
}

pub fn nothing_sent(kind: WriteKind, lang: crate::i18n::Lang) -> String {
    let what = kind.title(lang);
    t!(
        lang,
        "{what}: nothing was sent.",
        "{what}: no se envió nada."
    )
}
