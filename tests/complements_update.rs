//! Owed payment complements: the SAT deadline (the 5th of the next month in Mexico City,
//! December → January, midnight there), installment numbers and balances, which payments
//! count, and the `:complements` list in the app.

use gigdash::app::data::complements::{owed, sat_deadline};
use gigdash::app::data::documents::{InvoiceRow, PaymentRow};
use gigdash::i18n::Lang;
use jiff::civil::date;
use rust_decimal::Decimal;

/// Epoch seconds of a Mexico City wall-clock time.
fn mx(y: i16, m: i8, d: i8, h: i8, min: i8) -> i64 {
    date(y, m, d)
        .at(h, min, 0, 0)
        .to_zoned(gigdash::api::mexico_city().clone())
        .unwrap()
        .timestamp()
        .as_second()
}

fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}

#[test]
fn the_deadline_is_the_fifth_of_the_next_month_in_mexico_city() {
    assert_eq!(
        sat_deadline(mx(2026, 11, 10, 12, 0)),
        Some(date(2026, 12, 5))
    );
    // 23:30 on the last day of November there is already December in UTC: still November's.
    assert_eq!(
        sat_deadline(mx(2026, 11, 30, 23, 30)),
        Some(date(2026, 12, 5))
    );
    assert_eq!(sat_deadline(mx(2026, 12, 1, 0, 0)), Some(date(2027, 1, 5)));
    // December → January of the next year.
    assert_eq!(
        sat_deadline(mx(2026, 12, 31, 23, 59)),
        Some(date(2027, 1, 5))
    );
    assert_eq!(sat_deadline(mx(2027, 1, 1, 0, 0)), Some(date(2027, 2, 5)));
    // February, a short month, still points at March 5.
    assert_eq!(sat_deadline(mx(2028, 2, 29, 18, 0)), Some(date(2028, 3, 5)));
}

fn ppd(uuid: &str, total: &str, balance: &str, complements: u32, status: &str) -> InvoiceRow {
    gigdash::app::fixtures::ppd_invoice(uuid, total, balance, complements, status, Lang::En)
}

fn paid(id: &str, invoice: &str, amount: &str, at: i64, status: &str) -> PaymentRow {
    gigdash::app::fixtures::ppd_payment(id, invoice, amount, at, status, Lang::En)
}

#[test]
fn uncovered_payments_are_owed_numbered_after_the_existing_complements() {
    // $1,000 invoice: one complement already covers the first $300 (balance 700).
    let invoices = vec![
        ppd("inv-a", "1000", "700", 1, "valid"),
        // A cancelled PPD invoice takes no complement.
        ppd("inv-x", "500", "500", 0, "canceled"),
    ];
    let payments = vec![
        paid("p1", "inv-a", "300", mx(2026, 10, 10, 9, 0), "succeeded"),
        paid("p3", "inv-a", "150", mx(2026, 11, 20, 9, 0), "succeeded"),
        paid("p2", "inv-a", "200", mx(2026, 11, 10, 9, 0), "succeeded"),
        // Not collected: nothing to complement yet.
        paid("p4", "inv-a", "100", mx(2026, 11, 21, 9, 0), "pending"),
        paid("px", "inv-x", "500", mx(2026, 11, 21, 9, 0), "succeeded"),
    ];
    let now = mx(2026, 12, 6, 0, 30);
    let o = owed(&invoices, &payments, now);
    assert_eq!(o.len(), 2, "{o:#?}");
    assert_eq!(
        (o[0].payment.as_str(), o[0].installment, o[0].amount),
        ("p2", 2, dec("200"))
    );
    assert_eq!(
        (o[0].previous_balance, o[0].remaining_balance),
        (dec("700"), dec("500"))
    );
    assert_eq!((o[1].payment.as_str(), o[1].installment), ("p3", 3));
    assert_eq!(
        (o[1].previous_balance, o[1].remaining_balance),
        (dec("500"), dec("350"))
    );
    // Both paid in November: due December 5, overdue on the 6th (Mexico City).
    assert!(
        o.iter()
            .all(|x| x.deadline == date(2026, 12, 5) && x.overdue)
    );
    let on_the_fifth = owed(&invoices, &payments, mx(2026, 12, 5, 23, 59));
    assert!(on_the_fifth.iter().all(|x| !x.overdue));
}

#[test]
fn a_payment_above_the_balance_is_owed_only_up_to_the_balance_and_sorted_by_deadline() {
    let invoices = vec![
        ppd("inv-b", "1000", "100", 2, "valid"),
        ppd("inv-c", "400", "400", 0, "valid"),
    ];
    let payments = vec![
        paid("b1", "inv-b", "900", mx(2026, 8, 1, 9, 0), "succeeded"),
        paid("b2", "inv-b", "250", mx(2026, 11, 2, 9, 0), "succeeded"),
        paid("c1", "inv-c", "100", mx(2026, 10, 31, 23, 0), "succeeded"),
    ];
    let o = owed(&invoices, &payments, mx(2026, 11, 15, 12, 0));
    assert_eq!(o.len(), 2);
    // October's (due Nov 5, overdue) before November's (due Dec 5).
    assert_eq!((o[0].payment.as_str(), o[0].overdue), ("c1", true));
    assert_eq!(o[0].deadline, date(2026, 11, 5));
    assert_eq!((o[1].payment.as_str(), o[1].amount), ("b2", dec("100")));
    assert_eq!((o[1].installment, o[1].remaining_balance), (3, dec("0")));
}

#[test]
fn the_complements_command_lists_them_in_the_users_language() {
    use gigdash::app::fixtures;
    use gigdash::app::state::Popup;
    use gigdash::app::{Msg, Rows, update};
    use std::sync::Arc;
    for lang in [Lang::En, Lang::Es] {
        let mut s = fixtures::loaded_state_in((120, 40), 10, lang);
        let team = s.current.clone().unwrap();
        let inv = Arc::new(vec![ppd("inv-a", "1000", "700", 1, "valid")]);
        let pays = Arc::new(vec![
            paid("p1", "inv-a", "300", mx(2026, 10, 10, 9, 0), "succeeded"),
            paid("p2", "inv-a", "200", mx(2026, 11, 10, 9, 0), "succeeded"),
        ]);
        fixtures::deliver(&mut s, &team, Rows::Invoices(inv));
        fixtures::deliver(&mut s, &team, Rows::Payments(pays));
        update(
            &mut s,
            Msg::Key(crossterm::event::KeyEvent::from(
                crossterm::event::KeyCode::Char(':'),
            )),
        );
        let word = if lang == Lang::En {
            "complements"
        } else {
            "complementos"
        };
        for c in word.chars() {
            update(
                &mut s,
                Msg::Key(crossterm::event::KeyEvent::from(
                    crossterm::event::KeyCode::Char(c),
                )),
            );
        }
        let reqs = update(
            &mut s,
            Msg::Key(crossterm::event::KeyEvent::from(
                crossterm::event::KeyCode::Enter,
            )),
        );
        assert!(
            reqs.is_empty(),
            "the rows are held: nothing to ask {reqs:?}"
        );
        let Popup::Listing(l) = &s.popup else {
            panic!("the list opens")
        };
        let rows = l.rows.clone().unwrap().unwrap();
        assert_eq!(rows.len(), 1, "{rows:?}");
        assert_eq!(rows[0][4], "$200.00 MXN");
        assert_eq!(rows[0][5], "2");
        assert_eq!(rows[0][6], "$700.00 MXN");
        let due = if lang == Lang::En {
            "2026-12-05"
        } else {
            "05/12/2026"
        };
        assert!(rows[0][0].starts_with(due), "{}", rows[0][0]);
    }
}

mod issuing {
    use crossterm::event::{KeyCode, KeyEvent};
    use gigdash::app::dialogs::kinds::{WriteKind, WriteRequest};
    use gigdash::app::state::Popup;
    use gigdash::app::{Dataset, Msg, Request, State, Update, WriteResult, fixtures, update};
    use gigdash::i18n::Lang;

    fn press(s: &mut State, code: KeyCode) -> Vec<Request> {
        update(s, Msg::Key(KeyEvent::from(code)))
    }

    fn open_list(s: &mut State) {
        press(s, KeyCode::Char(':'));
        for c in "complements".chars() {
            press(s, KeyCode::Char(c));
        }
        press(s, KeyCode::Enter);
        assert!(matches!(s.popup, Popup::Listing(_)));
    }

    fn dialog(s: &State) -> &gigdash::app::dialogs::model::Dialog {
        match &s.popup {
            Popup::Action(d) => d,
            other => panic!("no dialog: {other:?}"),
        }
    }

    #[test]
    fn enter_on_an_owed_row_prefills_the_complement_and_confirming_sends_it_once() {
        let mut s = fixtures::complements_state((120, 40), Lang::En);
        open_list(&mut s);
        // The second row: pay_b1, $1,450.50 on inv-b (no complement yet).
        press(&mut s, KeyCode::Char('j'));
        press(&mut s, KeyCode::Enter);
        let d = dialog(&s);
        assert_eq!(d.kind(), WriteKind::IssueComplement);
        assert_eq!(d.object_text(), "inv-b");
        assert_eq!(d.amount().unwrap().value(), "1450.50");
        assert!(
            d.head.warnings[0].contains("Installment 1"),
            "{:?}",
            d.head.warnings
        );
        assert!(d.head.warnings[0].contains("$5,800.00 MXN → $4,349.50 MXN"));
        // Amount → form → date → buttons; "y", Enter.
        for _ in 0..3 {
            press(&mut s, KeyCode::Enter);
        }
        press(&mut s, KeyCode::Char('y'));
        let reqs = press(&mut s, KeyCode::Enter);
        let writes: Vec<&Request> = reqs
            .iter()
            .filter(|r| matches!(r, Request::Write { .. }))
            .collect();
        assert_eq!(writes.len(), 1, "{reqs:?}");
        let Request::Write { request, .. } = writes[0] else {
            unreachable!()
        };
        let WriteRequest::IssueComplement {
            invoice_uuid,
            amount,
            payment_form,
            ..
        } = request
        else {
            panic!("{request:?}")
        };
        assert_eq!(
            (
                invoice_uuid.as_str(),
                amount.to_string().as_str(),
                payment_form.as_str()
            ),
            ("inv-b", "1450.50", "03")
        );
        // The row is locked while it runs: a second Enter on it is refused.
        open_list(&mut s);
        press(&mut s, KeyCode::Char('j'));
        press(&mut s, KeyCode::Enter);
        assert!(!matches!(s.popup, Popup::Action(_)));

        // The answer: invoices and payments read again, the list reopens (loading).
        let p: gigdash::api::Invoice = serde_json::from_value(serde_json::json!({
            "uuid": "p-1", "invoice_type": "P", "series": "P", "folio_number": 1,
            "status": "valid",
        }))
        .unwrap();
        let team = s.current.clone().unwrap();
        let reqs = update(
            &mut s,
            Msg::Worker(Box::new(Update::WriteDone {
                team,
                request: request.clone(),
                result: Ok(WriteResult::Invoice(Box::new(p))),
            })),
        );
        let reloads: Vec<Dataset> = reqs
            .iter()
            .filter_map(|r| match r {
                Request::Load { dataset, .. } => Some(*dataset),
                _ => None,
            })
            .collect();
        assert!(reloads.contains(&Dataset::Invoices) && reloads.contains(&Dataset::Payments));
        assert!(matches!(&s.popup, Popup::Listing(l) if l.rows.is_none()));
    }

    #[test]
    fn more_than_the_balance_is_refused_in_words() {
        let mut s = fixtures::complements_state((120, 40), Lang::Es);
        open_list(&mut s);
        press(&mut s, KeyCode::Enter);
        // Select the prefilled amount and type one above the balance ($8,000.00).
        for _ in 0..10 {
            press(&mut s, KeyCode::Backspace);
        }
        for c in "9000".chars() {
            press(&mut s, KeyCode::Char(c));
        }
        for _ in 0..3 {
            press(&mut s, KeyCode::Enter);
        }
        press(&mut s, KeyCode::Char('s'));
        let reqs = press(&mut s, KeyCode::Enter);
        assert!(reqs.iter().all(|r| !matches!(r, Request::Write { .. })));
        let d = dialog(&s);
        assert_eq!(
            d.error.as_deref(),
            Some("La factura debe $8,000.00 MXN: un complemento no puede ser por más.")
        );
    }

    #[test]
    fn offline_or_read_only_no_complement_dialog_opens() {
        let mut s = fixtures::complements_state((120, 40), Lang::En);
        s.offline = true;
        open_list(&mut s);
        press(&mut s, KeyCode::Enter);
        assert!(!matches!(s.popup, Popup::Action(_)));
        let mut s = fixtures::complements_state((120, 40), Lang::En);
        s.read_only = true;
        open_list(&mut s);
        press(&mut s, KeyCode::Enter);
        assert!(!matches!(s.popup, Popup::Action(_)));
    }
}

mod stamping {
    use crossterm::event::{KeyCode, KeyEvent};
    use gigdash::app::dialogs::kinds::WriteRequest;
    use gigdash::app::state::Popup;
    use gigdash::app::{Msg, Request, State, Update, WriteResult, fixtures, update};
    use gigdash::i18n::Lang;

    fn palette(s: &mut State, line: &str) -> Vec<Request> {
        update(s, Msg::Key(KeyEvent::from(KeyCode::Char(':'))));
        for c in line.chars() {
            update(s, Msg::Key(KeyEvent::from(KeyCode::Char(c))));
        }
        update(s, Msg::Key(KeyEvent::from(KeyCode::Enter)))
    }

    fn status(s: &State) -> String {
        s.status
            .as_ref()
            .map(|t| t.text.clone())
            .unwrap_or_default()
    }

    #[test]
    fn a_clients_pending_receipts_are_stamped_once_and_the_counts_said() {
        let mut s = fixtures::loaded_state((120, 40), 20);
        // Not on a client: said where to go.
        palette(&mut s, "stamp-receipts");
        assert!(
            status(&s).contains("open the Clients tab"),
            "{}",
            status(&s)
        );
        update(&mut s, Msg::Key(KeyEvent::from(KeyCode::Char('2'))));
        palette(&mut s, "stamp-receipts");
        let Popup::Action(d) = &s.popup else {
            panic!("the dialog opens")
        };
        let client = d.object_text().clone();
        assert!(d.head.warnings[0].contains("global invoice"));
        update(&mut s, Msg::Key(KeyEvent::from(KeyCode::Char('y'))));
        let reqs = update(&mut s, Msg::Key(KeyEvent::from(KeyCode::Enter)));
        let Some(Request::Write { request, .. }) =
            reqs.iter().find(|r| matches!(r, Request::Write { .. }))
        else {
            panic!("{reqs:?}")
        };
        assert_eq!(
            request,
            &WriteRequest::StampReceipts {
                client_id: client.clone()
            }
        );
        // While it runs, a second one on that client is refused.
        palette(&mut s, "stamp-receipts");
        assert!(!matches!(s.popup, Popup::Action(_)));
        let team = s.current.clone().unwrap();
        update(
            &mut s,
            Msg::Worker(Box::new(Update::WriteDone {
                team,
                request: request.clone(),
                result: Ok(WriteResult::Receipts(gigdash::api::StampedReceipts {
                    stamped: 3,
                    failed: 1,
                    remaining: 1,
                })),
            })),
        );
        assert_eq!(
            status(&s),
            "Pending receipts in «Grupo Doña Lupe»: 3 stamped, 1 failed, 1 still pending."
        );
        // Spanish, and read-only refuses.
        let mut s = fixtures::loaded_state_in((120, 40), 20, Lang::Es);
        s.read_only = true;
        update(&mut s, Msg::Key(KeyEvent::from(KeyCode::Char('2'))));
        palette(&mut s, "timbrar-recibos");
        assert!(!matches!(s.popup, Popup::Action(_)));
        assert!(status(&s).starts_with("solo lectura"), "{}", status(&s));
    }
}

#[test]
fn a_complement_refused_because_the_invoice_was_cancelled_meanwhile_is_said_and_changes_nothing() {
    use crossterm::event::{KeyCode, KeyEvent};
    use gigdash::api::ApiError;
    use gigdash::app::{Msg, Request, Update, fixtures, update};
    let mut s = fixtures::complements_state((120, 40), Lang::En);
    update(&mut s, Msg::Key(KeyEvent::from(KeyCode::Char(':'))));
    for c in "complements".chars() {
        update(&mut s, Msg::Key(KeyEvent::from(KeyCode::Char(c))));
    }
    update(&mut s, Msg::Key(KeyEvent::from(KeyCode::Enter)));
    update(&mut s, Msg::Key(KeyEvent::from(KeyCode::Enter)));
    for _ in 0..3 {
        update(&mut s, Msg::Key(KeyEvent::from(KeyCode::Enter)));
    }
    update(&mut s, Msg::Key(KeyEvent::from(KeyCode::Char('y'))));
    let reqs = update(&mut s, Msg::Key(KeyEvent::from(KeyCode::Enter)));
    let Some(Request::Write { request, .. }) = reqs
        .into_iter()
        .find(|r| matches!(r, Request::Write { .. }))
    else {
        panic!("sent")
    };
    let before = s.current_view().unwrap().invoices.rows.len();
    let team = s.current.clone().unwrap();
    update(
        &mut s,
        Msg::Worker(Box::new(Update::WriteDone {
            team,
            request,
            result: Err(ApiError::Conflict {
                code: Some("invoice_cancelled".into()),
                message: "The invoice is cancelled: it takes no payment complement".into(),
            }),
        })),
    );
    let status = s.status.as_ref().unwrap().text.clone();
    assert!(
        status.starts_with("Issue payment complement failed in «"),
        "{status}"
    );
    assert!(status.contains("cancelled"), "{status}");
    assert_eq!(s.current_view().unwrap().invoices.rows.len(), before);
    assert!(s.writes.in_flight.is_empty(), "the row is unlocked");
}

#[test]
fn the_complement_dialog_takes_the_payments_own_form_and_never_99() {
    use gigdash::app::dialogs::model::{Dialog, Target};
    let at = mx(2026, 11, 20, 12, 0);
    let inv = ppd("inv-x", "1000", "1000", 0, "valid");
    let target = Target {
        team: gigdash::api::TeamId::new("t"),
        team_name: "T".into(),
        connect: false,
        live: false,
        lang: Lang::En,
        today: date(2026, 12, 7),
    };
    let form_of = |form: &str| {
        let p: gigdash::api::Payment = serde_json::from_value(serde_json::json!({
            "id": "pay_x", "status": "succeeded", "currency": "MXN", "total": "400",
            "payment_form": form, "invoices": ["inv-x"], "created_at": at, "succeeded_at": at,
        }))
        .unwrap();
        let pay = PaymentRow::from_api(&p, Lang::En);
        let o = owed(std::slice::from_ref(&inv), &[pay], at + 86_400);
        assert_eq!(o.len(), 1);
        assert_eq!(o[0].payment_form, form);
        let d = Dialog::for_complement(&o[0], &target, "k".into());
        d.paid().unwrap().form.code().unwrap()
    };
    // Cash stays cash; "to be defined" and nothing fall back to a transfer (03).
    assert_eq!(form_of("01"), "01");
    assert_eq!(form_of("28"), "28");
    assert_eq!(form_of("99"), "03");
    assert_eq!(form_of(""), "03");
}
