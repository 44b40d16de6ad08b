//! The write dialogs through `app::update`: defaults, validation (form 99, refund above the
//! remainder, motive 01 without a replacement), Esc, double Enter, read-only, live-key
//! confirmation words, and what an answer does to the table.

use std::sync::Arc;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use gigdash::api::{ApiError, Payment};
use gigdash::app::data::documents::Row;
use gigdash::app::dialogs::kinds::{WriteKind, WriteRequest};
use gigdash::app::dialogs::model::Field;
use gigdash::app::fixtures::{self, deliver, loaded_state, team_id};
use gigdash::app::state::Popup;
use gigdash::app::{Msg, Request, Rows, State, Update, WriteResult, update};
use serde_json::json;

fn key(s: &mut State, c: char) -> Vec<Request> {
    update(
        s,
        Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)),
    )
}

fn code(s: &mut State, c: KeyCode) -> Vec<Request> {
    update(s, Msg::Key(KeyEvent::new(c, KeyModifiers::NONE)))
}

fn typed(s: &mut State, text: &str) {
    for c in text.chars() {
        key(s, c);
    }
}

fn dialog(s: &State) -> &gigdash::app::dialogs::model::Dialog {
    match &s.popup {
        Popup::Action(d) => d,
        other => panic!("no dialog: {other:?}"),
    }
}

/// Presses `j` until `found` holds for the selection, at most once per row of the table
/// (`rows`); a table without such a row fails the test naming `what` instead of looping.
fn hunt(s: &mut State, rows: usize, what: &str, found: impl Fn(&State) -> bool) {
    for _ in 0..rows {
        if found(s) {
            return;
        }
        key(s, 'j');
    }
    panic!("no {what} among the table's {rows} rows");
}

fn selected_payment(s: &State) -> gigdash::app::data::documents::PaymentRow {
    let v = s.current_view().unwrap();
    v.payments.selected_row().unwrap().clone()
}

fn selected_invoice(s: &State) -> gigdash::app::data::documents::InvoiceRow {
    let v = s.current_view().unwrap();
    v.invoices.selected_row().unwrap().clone()
}

/// Selects the first payments row whose status label is `label`.
fn select_payment(s: &mut State, label: &str) -> String {
    key(s, '4');
    key(s, 'g');
    let rows = s.current_view().unwrap().payments.view.len();
    hunt(s, rows, &format!("payment «{label}»"), |s| {
        selected_payment(s).status_label() == label
    });
    selected_payment(s).id().to_string()
}

fn select_valid_invoice(s: &mut State) -> String {
    key(s, '3');
    key(s, 'g');
    let rows = s.current_view().unwrap().invoices.view.len();
    hunt(s, rows, "valid PUE invoice", |s| {
        let row = selected_invoice(s);
        row.status_label() == "valid" && row.method() == "PUE"
    });
    selected_invoice(s).uuid().to_string()
}

/// Moves the dialog's focus with `step` (Tab or BackTab) onto `field`, in at most one
/// round of its fields; a dialog without that field fails the test instead of looping.
fn focus_on(s: &mut State, field: Field, step: KeyCode) {
    let fields = dialog(s).fields().len() + 1;
    for _ in 0..fields {
        if dialog(s).focus == field {
            return;
        }
        code(s, step);
    }
    assert_eq!(dialog(s).focus, field, "the dialog never focused {field:?}");
}

fn submit(s: &mut State) -> Vec<Request> {
    focus_on(s, Field::Buttons, KeyCode::Tab);
    key(s, 'y');
    code(s, KeyCode::Enter)
}

#[test]
fn mark_paid_defaults_to_today_and_a_real_form_and_starts_on_no() {
    let mut s = loaded_state((120, 40), 60);
    let id = select_payment(&mut s, "pending");
    key(&mut s, 'p');
    let d = dialog(&s);
    assert_eq!(
        d.paid().unwrap().date.value(),
        "2026-11-24",
        "today in Mexico City"
    );
    assert!(!d.confirm.yes, "starts on No");
    assert!(
        d.paid()
            .unwrap()
            .form
            .matches()
            .iter()
            .all(|(c, _)| *c != "99"),
        "99 is never offered"
    );
    assert_eq!(d.paid().unwrap().form.code().unwrap(), "03");
    assert_eq!(d.head.team_name, "Grupo Doña Lupe");
    assert!(!d.head.connect);
    // Enter on "No" backs out without a request.
    focus_on(&mut s, Field::Buttons, KeyCode::Tab);
    assert!(code(&mut s, KeyCode::Enter).is_empty());
    assert!(matches!(s.popup, Popup::None));

    key(&mut s, 'p');
    typed(&mut s, "99");
    assert!(
        dialog(&s).paid().unwrap().form.matches().is_empty(),
        "typing 99 finds nothing"
    );
    assert!(submit(&mut s).is_empty());
    assert!(dialog(&s).error.as_ref().unwrap().contains("99"));
    code(&mut s, KeyCode::Esc);
    assert!(matches!(s.popup, Popup::None), "Esc backs out");

    key(&mut s, 'p');
    typed(&mut s, "efec");
    let reqs = submit(&mut s);
    match &reqs[..] {
        [
            Request::Write {
                request:
                    WriteRequest::MarkPaid {
                        payment_id,
                        payment_form,
                        date,
                    },
                idempotency_key,
                team,
                ..
            },
        ] => {
            assert_eq!(payment_id, &id);
            assert_eq!(payment_form, "01");
            assert_eq!(*date, 1_795_543_200, "noon of that day in Mexico City");
            assert!(idempotency_key.starts_with("gigdash_test_mark_paid_"));
            assert_eq!(team, &team_id("master"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_bad_date_is_refused_in_words() {
    let mut s = loaded_state((120, 40), 60);
    select_payment(&mut s, "pending");
    key(&mut s, 'p');
    code(&mut s, KeyCode::Tab);
    assert_eq!(dialog(&s).focus, Field::Date);
    update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL)),
    );
    typed(&mut s, "31/02/2026");
    assert!(submit(&mut s).is_empty());
    assert!(dialog(&s).error.as_ref().unwrap().contains("YYYY-MM-DD"));
}

#[test]
fn spanish_dialogs_read_and_prefill_day_month_year() {
    use gigdash::i18n::Lang;
    let mut s = fixtures::loaded_state_in((120, 40), 60, Lang::Es);
    select_payment(&mut s, "pendiente");
    key(&mut s, 'p');
    code(&mut s, KeyCode::Tab);
    assert_eq!(dialog(&s).focus, Field::Date);
    let prefilled = dialog(&s).paid().unwrap().date.value().to_string();
    assert!(
        prefilled.len() == 10 && &prefilled[2..3] == "/" && &prefilled[5..6] == "/",
        "{prefilled}"
    );
    update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL)),
    );
    typed(&mut s, "mañana");
    assert!(submit(&mut s).is_empty());
    let error = dialog(&s).error.clone().unwrap();
    assert!(
        error.contains("no es una fecha") && error.contains("DD/MM/AAAA"),
        "{error}"
    );
    focus_on(&mut s, Field::Date, KeyCode::BackTab);
    update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL)),
    );
    typed(&mut s, "28/11/2026");
    let sent = submit(&mut s);
    let noon_28_nov = 1_795_888_800; // 2026-11-28 12:00 in Mexico City (UTC-6)
    assert!(
        sent.iter().any(|r| matches!(r, Request::Write { request: WriteRequest::MarkPaid { date, .. }, .. } if *date == noon_28_nov)),
        "{sent:?}"
    );
}

#[test]
fn double_enter_sends_one_request_and_locks_the_row() {
    let mut s = loaded_state((120, 40), 60);
    select_payment(&mut s, "pending");
    key(&mut s, 'p');
    let first = submit(&mut s);
    assert_eq!(first.len(), 1);
    // The dialog closed on the first Enter: a second Enter opens the detail, not a write.
    let second = code(&mut s, KeyCode::Enter);
    assert!(second.iter().all(|r| !matches!(r, Request::Write { .. })));
    code(&mut s, KeyCode::Esc);
    // And the row is locked until the answer comes.
    assert!(key(&mut s, 'p').is_empty());
    assert!(matches!(s.popup, Popup::None));
    assert!(s.status.as_ref().unwrap().text.contains("in progress"));
}

#[test]
fn refund_defaults_to_the_remainder_and_never_more() {
    let mut s = loaded_state((120, 40), 60);
    let id = select_payment(&mut s, "succeeded");
    key(&mut s, 'R');
    let d = dialog(&s);
    let total = s
        .current_view()
        .unwrap()
        .payments
        .selected_row()
        .unwrap()
        .total;
    assert_eq!(d.amount().unwrap().value(), total.normalize().to_string());
    update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL)),
    );
    typed(&mut s, &(total + rust_decimal::Decimal::ONE).to_string());
    assert!(submit(&mut s).is_empty());
    assert!(dialog(&s).error.as_ref().unwrap().contains("At most"));
    focus_on(
        &mut s,
        gigdash::app::dialogs::model::Field::Amount,
        KeyCode::Tab,
    );
    update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL)),
    );
    typed(&mut s, "10.50");
    code(&mut s, KeyCode::Tab);
    typed(&mut s, "Producto incompleto");
    let reqs = submit(&mut s);
    assert!(
        matches!(&reqs[..], [Request::Write { request: WriteRequest::Refund { payment_id, amount, reason }, .. }]
        if *payment_id == id && amount.to_string() == "10.50" && reason.as_deref() == Some("Producto incompleto"))
    );
}

#[test]
fn keys_are_refused_on_rows_where_the_rules_forbid_them() {
    let mut s = loaded_state((120, 40), 60);
    select_payment(&mut s, "succeeded");
    key(&mut s, 'p');
    assert!(matches!(s.popup, Popup::None));
    assert!(
        s.status
            .as_ref()
            .unwrap()
            .text
            .contains("only a pending payment")
    );
    key(&mut s, 'x');
    assert!(s.status.as_ref().unwrap().text.contains("needs a refund"));
    select_payment(&mut s, "failed");
    key(&mut s, 'R');
    assert!(
        s.status
            .as_ref()
            .unwrap()
            .text
            .contains("only a succeeded payment")
    );
    key(&mut s, '1');
    key(&mut s, 'p');
    assert!(s.status.as_ref().unwrap().text.contains("Payments tab"));
}

#[test]
fn cancel_invoice_motive_01_requires_substitution() {
    let mut s = loaded_state((120, 40), 60);
    let uuid = select_valid_invoice(&mut s);
    key(&mut s, 'x');
    assert_eq!(dialog(&s).motive().unwrap(), 1, "02 by default");
    key(&mut s, '1');
    assert!(dialog(&s).fields().contains(&Field::Substitution));
    assert!(submit(&mut s).is_empty());
    assert!(dialog(&s).error.as_ref().unwrap().contains("Motive 01"));
    // Pick a replacement of the same client from the list.
    focus_on(&mut s, Field::Substitution, KeyCode::Tab);
    code(&mut s, KeyCode::Down);
    let replacement = dialog(&s).substitution().unwrap().value().to_string();
    assert!(!replacement.is_empty() && replacement != uuid);
    let reqs = submit(&mut s);
    assert!(
        matches!(&reqs[..], [Request::Write { request: WriteRequest::CancelInvoice { uuid: u, motive, substitution }, .. }]
        if *u == uuid && motive == "01" && substitution.as_deref() == Some(replacement.as_str()))
    );
}

#[test]
fn cancel_invoice_warns_about_acceptance_and_the_deadline() {
    let mut s = loaded_state((120, 40), 400);
    key(&mut s, '3');
    key(&mut s, 'g');
    let rows = s.current_view().unwrap().invoices.view.len();
    hunt(
        &mut s,
        rows,
        "valid PUE invoice above $1,000 to a named receiver",
        |s| {
            let row = selected_invoice(s);
            row.status_label() == "valid"
                && row.client_rfc() != "XAXX010101000"
                && row.total_mxn() > rust_decimal::Decimal::from(1000)
                && row.method() == "PUE"
        },
    );
    key(&mut s, 'x');
    let warnings = dialog(&s).head.warnings.join(" ");
    assert!(warnings.contains("receiver must accept"), "{warnings}");
    let d = gigdash::app::dialogs::rules::deadline_warning(
        1_700_000_000,
        "AAA010101AAA",
        jiff::civil::date(2024, 4, 2),
        gigdash::i18n::Lang::En,
    );
    assert!(d.unwrap().contains("2023"));
    assert!(
        gigdash::app::dialogs::rules::deadline_warning(
            1_700_000_000,
            "AAAA010101AAA",
            jiff::civil::date(2024, 4, 2),
            gigdash::i18n::Lang::En,
        )
        .is_none(),
        "individuals have until 30 April"
    );
}

#[test]
fn live_keys_must_type_the_confirmation_word_and_connect_teams_are_named() {
    let mut s = loaded_state((120, 40), 60);
    s.live = Some(true);
    key(&mut s, ']');
    let team = s.current.clone().unwrap();
    deliver(
        &mut s,
        &team,
        Rows::Invoices(Arc::new(fixtures::invoices("coyo", 30))),
    );
    select_valid_invoice(&mut s);
    key(&mut s, 'x');
    let d = dialog(&s);
    assert!(d.head.connect && d.head.live && d.needs_word());
    assert!(submit(&mut s).is_empty());
    assert!(dialog(&s).error.as_ref().unwrap().contains("CANCELAR"));
    focus_on(&mut s, Field::Word, KeyCode::Tab);
    typed(&mut s, "CANCELAR");
    assert_eq!(submit(&mut s).len(), 1);
}

#[test]
fn read_only_removes_the_write_keys_and_says_why() {
    let mut s = loaded_state((120, 40), 60);
    s.read_only = true;
    select_payment(&mut s, "pending");
    assert!(key(&mut s, 'p').is_empty());
    assert!(matches!(s.popup, Popup::None));
    assert!(s.status.as_ref().unwrap().text.contains("read-only"));
    assert!(
        gigdash::app::input::bindings::enabled(&s, gigdash::app::input::bindings::Action::Cancel)
            .is_err()
    );
}

fn payment_json(id: &str, status: &str) -> Payment {
    serde_json::from_value(json!({"id": id, "status": status, "total": 100, "currency": "MXN", "client": {"name": "X"}})).unwrap()
}

#[test]
fn success_updates_the_row_and_refreshes_failure_changes_nothing() {
    let mut s = loaded_state((120, 40), 60);
    let id = select_payment(&mut s, "pending");
    key(&mut s, 'p');
    let req = match &submit(&mut s)[..] {
        [Request::Write { request, .. }] => request.clone(),
        other => panic!("{other:?}"),
    };
    let before: Vec<String> = s
        .current_view()
        .unwrap()
        .payments
        .rows
        .iter()
        .map(|r| r.status_label().to_string())
        .collect();
    let reqs = update(
        &mut s,
        Msg::Worker(Box::new(Update::WriteDone {
            team: team_id("master"),
            request: req.clone(),
            result: Err(ApiError::Conflict {
                code: Some("payment_not_pending".into()),
                message: "Payment is succeeded".into(),
            }),
        })),
    );
    assert!(reqs.is_empty());
    let after: Vec<String> = s
        .current_view()
        .unwrap()
        .payments
        .rows
        .iter()
        .map(|r| r.status_label().to_string())
        .collect();
    assert_eq!(before, after, "a 409 leaves the table unchanged");
    assert!(s.status.as_ref().unwrap().error);
    assert!(!s.writes.in_flight.contains(&id), "the lock is released");

    key(&mut s, 'p');
    let req = match &submit(&mut s)[..] {
        [Request::Write { request, .. }] => request.clone(),
        other => panic!("{other:?}"),
    };
    let reqs = update(
        &mut s,
        Msg::Worker(Box::new(Update::WriteDone {
            team: team_id("master"),
            request: req,
            result: Ok(WriteResult::Payment(Box::new(payment_json(
                &id,
                "succeeded",
            )))),
        })),
    );
    let row = s
        .current_view()
        .unwrap()
        .payments
        .rows
        .iter()
        .find(|r| r.id() == id)
        .unwrap()
        .clone();
    assert_eq!(row.status_label(), "succeeded");
    assert!(
        reqs.iter()
            .any(|r| matches!(r, Request::Load { force: true, .. })),
        "affected views refresh"
    );
}

#[test]
fn a_transient_failure_keeps_the_idempotency_key_for_the_retry() {
    let mut s = loaded_state((120, 40), 60);
    select_payment(&mut s, "pending");
    key(&mut s, 'p');
    let (req, k1) = match &submit(&mut s)[..] {
        [
            Request::Write {
                request,
                idempotency_key,
                ..
            },
        ] => (request.clone(), idempotency_key.clone()),
        other => panic!("{other:?}"),
    };
    update(
        &mut s,
        Msg::Worker(Box::new(Update::WriteDone {
            team: team_id("master"),
            request: req,
            result: Err(ApiError::Timeout),
        })),
    );
    assert!(s.status.as_ref().unwrap().text.contains("same request key"));
    key(&mut s, 'p');
    let k2 = match &submit(&mut s)[..] {
        [
            Request::Write {
                idempotency_key, ..
            },
        ] => idempotency_key.clone(),
        other => panic!("{other:?}"),
    };
    assert_eq!(k1, k2);
    let _ = WriteKind::MarkPaid;
}

#[test]
fn bulk_marks_across_teams_confirm_once_and_report_each_outcome() {
    let mut s = loaded_state((120, 40), 60);
    // Two pending payments in the master team…
    select_payment(&mut s, "pending");
    key(&mut s, ' ');
    let first = s
        .current_view()
        .unwrap()
        .payments
        .marked
        .iter()
        .next()
        .unwrap()
        .to_string();
    select_payment(&mut s, "awaiting payment");
    key(&mut s, ' ');
    // …a succeeded one (skipped: not pending)…
    select_payment(&mut s, "succeeded");
    key(&mut s, ' ');
    // …and one in another team.
    key(&mut s, ']');
    let other = s.current.clone().unwrap();
    deliver(
        &mut s,
        &other,
        Rows::Payments(Arc::new(fixtures::payments("coyo", 20))),
    );
    select_payment(&mut s, "pending");
    key(&mut s, ' ');
    key(&mut s, 'p');
    let d = dialog(&s);
    assert_eq!(d.bulk().unwrap().items.len(), 3);
    assert!(
        d.object_text().contains("3 marked rows") && d.object_text().contains("1 skipped"),
        "{}",
        d.object_text()
    );
    assert!(
        d.head.team_name.contains("Grupo Doña Lupe") && d.head.team_name.contains("Coyoacán"),
        "{}",
        d.head.team_name
    );
    assert!(d.head.amount_text.contains("MXN in total"));
    assert!(!d.confirm.yes, "starts on No");
    let reqs = submit(&mut s);
    assert_eq!(reqs.len(), 3, "one write per qualifying row");
    let keys: std::collections::BTreeSet<_> = reqs
        .iter()
        .map(|r| match r {
            Request::Write {
                idempotency_key, ..
            } => idempotency_key.clone(),
            _ => panic!(),
        })
        .collect();
    assert_eq!(keys.len(), 3, "each write has its own key");
    assert!(
        s.views.values().all(|v| v.payments.marked.len() <= 1),
        "sent rows are unmarked"
    );

    for r in &reqs {
        let Request::Write { team, request, .. } = r else {
            unreachable!()
        };
        let result = if request.object_id() == first {
            Err(ApiError::Conflict {
                code: None,
                message: "Payment is succeeded".into(),
            })
        } else {
            Ok(WriteResult::Payment(Box::new(payment_json(
                request.object_id(),
                "succeeded",
            ))))
        };
        update(
            &mut s,
            Msg::Worker(Box::new(Update::WriteDone {
                team: team.clone(),
                request: request.clone(),
                result,
            })),
        );
    }
    let status = s.status.clone().unwrap();
    assert!(status.error);
    assert!(
        status.text.contains("2 of 3 done, 1 failed"),
        "{}",
        status.text
    );
    assert!(status.text.contains(&first), "{}", status.text);
    assert!(s.writes.bulk.is_none());
    assert!(s.writes.in_flight.is_empty());
}

#[test]
fn a_team_read_only_in_the_config_refuses_writes_and_others_do_not() {
    let mut s = loaded_state((120, 40), 60);
    s.read_only_teams.insert(team_id("master"));
    select_payment(&mut s, "pending");
    assert!(key(&mut s, 'p').is_empty());
    assert!(s.status.as_ref().unwrap().text.contains("read-only"));
    assert!(s.writes_off());
    key(&mut s, ']');
    let team = s.current.clone().unwrap();
    deliver(
        &mut s,
        &team,
        Rows::Payments(Arc::new(fixtures::payments("coyo", 20))),
    );
    assert!(!s.writes_off());
    select_payment(&mut s, "pending");
    key(&mut s, 'p');
    assert!(matches!(s.popup, Popup::Action(_)));
}

#[test]
fn s_for_si_chooses_yes_in_spanish_only() {
    use gigdash::i18n::Lang;
    for (lang, label, sends) in [(Lang::Es, "pendiente", true), (Lang::En, "pending", false)] {
        let mut s = fixtures::loaded_state_in((120, 40), 60, lang);
        select_payment(&mut s, label);
        key(&mut s, 'p');
        focus_on(&mut s, Field::Buttons, KeyCode::Tab);
        key(&mut s, 's');
        let sent = code(&mut s, KeyCode::Enter);
        assert_eq!(
            sent.iter().any(|r| matches!(r, Request::Write { .. })),
            sends,
            "{lang:?}"
        );
    }
}

/// Defect (issue 19): every write-dialog snapshot showed «✗ Mark payment paid: only a
/// pending payment can be marked paid» under an open mark-paid dialog — the refusal of a
/// row tried before stayed on the status line. Opening a dialog clears a stale refusal.
#[test]
fn opening_a_dialog_clears_the_refusal_of_the_row_tried_before() {
    let mut s = loaded_state((120, 40), 60);
    select_payment(&mut s, "succeeded");
    key(&mut s, 'p');
    let refusal = s.status.clone().expect("a paid row refuses p");
    assert!(refusal.error && refusal.text.contains("only a pending payment"));
    select_payment(&mut s, "pending");
    key(&mut s, 'p');
    assert!(matches!(s.popup, Popup::Action(_)), "the dialog opened");
    assert!(
        s.status.as_ref().is_none_or(|st| !st.error),
        "the stale refusal is gone: {:?}",
        s.status
    );
}

#[test]
#[should_panic(expected = "no payment «paid twice» among the table's 60 rows")]
fn a_hunt_for_a_row_that_is_not_there_fails_naming_it() {
    let mut s = loaded_state((120, 40), 60);
    select_payment(&mut s, "paid twice");
}
