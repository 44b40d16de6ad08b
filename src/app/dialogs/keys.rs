//! Text fields and the write dialog as a form: editing keys, moving between fields,
//! Enter on "Yes" turning the form into one `WriteRequest`. Shared by single and bulk
//! writes; sends nothing itself.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tui_input::Input;

pub use crate::app::form::text::edit;

use crate::app::dialogs::model::{Dialog, Field, MOTIVES, Target, WriteKind, WriteRequest};
use crate::app::state::State;
use crate::t;

/// What a key did to the write dialog.
pub enum Step {
    /// Still open (a field changed, or the form is not valid yet).
    Open(Dialog),
    /// Esc, or Enter on "No": nothing is sent; the text says so.
    Closed(String),
    /// Enter on "Yes" with a valid form.
    Confirmed(Dialog, WriteRequest),
}

/// Keys inside a write dialog. Esc always backs out; Enter on "Yes" confirms once.
pub fn on_key(mut d: Dialog, key: KeyEvent) -> Step {
    let shift_tab = key.code == KeyCode::BackTab;
    match key.code {
        KeyCode::Esc => return Step::Closed(nothing_sent(d.kind, d.lang)),
        KeyCode::Tab | KeyCode::BackTab => d.next_field(shift_tab),
        KeyCode::Enter if d.focus != Field::Buttons => d.next_field(false),
        KeyCode::Enter if !d.yes => return Step::Closed(nothing_sent(d.kind, d.lang)),
        KeyCode::Enter => match d.validate() {
            Ok(request) => return Step::Confirmed(d, request),
            Err(e) => d.error = Some(e),
        },
        _ => field_key(&mut d, &key),
    }
    Step::Open(d)
}

/// A key in a write dialog, for single and bulk writes alike: the form moves on, closes
/// saying nothing was sent, or hands a confirmed request to `submit`.
pub fn dialog_key(
    state: &mut State,
    d: Dialog,
    key: KeyEvent,
    submit: fn(&mut State, Dialog, WriteRequest) -> Vec<crate::app::msg::Request>,
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
        Step::Confirmed(d, request) => submit(state, d, request),
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

pub fn field_key(d: &mut Dialog, key: &KeyEvent) {
    let up = matches!(key.code, KeyCode::Up)
        || (key.code == KeyCode::Char('p') && key.modifiers.contains(KeyModifiers::CONTROL));
    let down = matches!(key.code, KeyCode::Down)
        || (key.code == KeyCode::Char('n') && key.modifiers.contains(KeyModifiers::CONTROL));
    d.error = None;
    match d.focus {
        Field::Buttons => match key.code {
            KeyCode::Left | KeyCode::Right | KeyCode::Char('h') | KeyCode::Char('l') => {
                d.yes = !d.yes
            }
            KeyCode::Char('y') => d.yes = true,
            // «s» for «sí» in Spanish.
            KeyCode::Char('s') if d.lang == crate::i18n::Lang::Es => d.yes = true,
            KeyCode::Char('n') => d.yes = false,
            _ => {}
        },
        Field::Form => {
            let n = d.forms().len();
            if up {
                d.form_index = d.form_index.saturating_sub(1);
            } else if down {
                d.form_index = (d.form_index + 1).min(n.saturating_sub(1));
            } else if edit(&mut d.form_filter, key) {
                d.form_index = 0;
            }
        }
        Field::Motive => match key.code {
            KeyCode::Char(c @ '1'..='4') => d.motive = c as usize - '1' as usize,
            _ if up => d.motive = d.motive.saturating_sub(1),
            _ if down => d.motive = (d.motive + 1).min(MOTIVES.len() - 1),
            _ => {}
        },
        Field::Substitution => {
            if (up || down) && !d.substitution_choices.is_empty() {
                let n = d.substitution_choices.len();
                let cur = d
                    .substitution_choices
                    .iter()
                    .position(|(u, _)| u == d.substitution.value());
                let next = match (cur, down) {
                    (None, _) => 0,
                    (Some(i), true) => (i + 1) % n,
                    (Some(i), false) => (i + n - 1) % n,
                };
                d.substitution = Input::new(d.substitution_choices[next].0.clone());
            } else {
                edit(&mut d.substitution, key);
            }
        }
        Field::Date => {
            edit(&mut d.date, key);
        }
        Field::Amount => {
            edit(&mut d.amount, key);
        }
        Field::Reason => {
            edit(&mut d.reason, key);
        }
        Field::Word => {
            edit(&mut d.word, key);
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
