//! Owed payment complements: the SAT deadline (the 5th of the next month in Mexico City,
//! December → January, midnight there), installment numbers and balances, which payments
//! count, and the `:complements` list in the app.

use gigdash::app::complements::{owed, sat_deadline};
use gigdash::app::rows::{InvoiceRow, PaymentRow};
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
