//! The create forms through `app::update`: opening (and the refusals, with their reasons),
//! the team's lists and the key's role arriving, the client picker, items, every check
//! made before sending (each asserting the field it names and that nothing is written),
//! sending once, Esc halfway, what an answer does to the form, the team asked first from
//! the Group tab and all teams, and the payment link's popup.

mod forms_kit;

use crossterm::event::KeyCode;
use forms_kit::*;
use gigdash::api::{Amount, ApiError, Payment};
use gigdash::app::create::items::Part;
use gigdash::app::create::model::Key;
use gigdash::app::dialogs::kinds::{CreateBody, WriteKind, WriteRequest};
use gigdash::app::fixtures::{loaded_state_in, team_id};
use gigdash::app::state::Popup;
use gigdash::app::{Msg, Request, State, Update, WriteResult, update};
use gigdash::i18n::Lang;
use rust_decimal::Decimal;
use serde_json::json;

fn state() -> State {
    loaded_state_in((120, 40), 30, Lang::En)
}

/// `n` on the Payments tab, the lists answered for an admin.
fn request_form() -> State {
    let mut s = state();
    key(&mut s, '4');
    key(&mut s, 'n');
    answer(&mut s);
    s
}

/// A payment link for Peñasco of one free line, ready to confirm.
fn filled_request() -> State {
    let mut s = request_form();
    pick_client(&mut s, "penasco");
    free_line(&mut s, "Consultoría", "2", "500");
    s
}

/// `n` on the Clients tab, filled with `rfc` and everything else right.
fn filled_client(rfc: &str) -> State {
    let mut s = state();
    key(&mut s, '2');
    key(&mut s, 'n');
    answer(&mut s);
    goto(&mut s, Key::Name);
    typed(&mut s, "Abarrotes Olmeca");
    goto(&mut s, Key::LegalName);
    typed(&mut s, "Abarrotes Olmeca");
    goto(&mut s, Key::Rfc);
    typed(&mut s, rfc);
    goto(&mut s, Key::Zip);
    typed(&mut s, "06600");
    s
}

/// Enter on "Yes" must be refused at `field`, sending nothing.
fn refused_at(s: &mut State, field: Key) -> String {
    let reqs = confirm(s);
    assert!(writes(&reqs).is_empty(), "nothing is sent: {reqs:?}");
    let f = form(s);
    let e = f.error.as_ref().expect("the form says what is wrong");
    assert_eq!(e.field, Some(field), "the error's field: {}", e.text);
    assert_eq!(f.focus, field, "the cursor goes to the field at fault");
    e.text.clone()
}

/// The write among `reqs`: its team, request and idempotency key.
fn the_write(reqs: &[Request]) -> (gigdash::api::TeamId, WriteRequest, String) {
    let w = writes(reqs);
    assert_eq!(w.len(), 1, "one write: {reqs:?}");
    match w[0] {
        Request::Write {
            team,
            request,
            idempotency_key,
            ..
        } => (team.clone(), request.clone(), idempotency_key.clone()),
        _ => unreachable!(),
    }
}

fn done(
    s: &mut State,
    team: gigdash::api::TeamId,
    request: WriteRequest,
    result: Result<WriteResult, ApiError>,
) -> Vec<Request> {
    update(
        s,
        Msg::Worker(Box::new(Update::WriteDone {
            team,
            request,
            result,
        })),
    )
}

// Opening, and why it cannot.

#[test]
fn n_on_payments_opens_a_payment_link_form_naming_the_team() {
    let mut s = state();
    key(&mut s, '4');
    let reqs = key(&mut s, 'n');
    let f = form(&s);
    assert_eq!(f.kind, WriteKind::RequestPayment);
    assert_eq!(f.head.team, team_id("master"));
    assert_eq!(f.head.team_name, "Grupo Doña Lupe");
    assert!(!f.head.connect, "the key's own team is not via Connect");
    assert!(f.data.loading, "the lists are still to come");
    assert_eq!(f.focus, Key::Client);
    assert_eq!(form_data_teams(&reqs), vec![team_id("master")]);
}

#[test]
fn n_on_the_overview_is_refused_saying_where_it_works() {
    let mut s = state();
    key(&mut s, '1');
    let reqs = key(&mut s, 'n');
    assert!(matches!(s.popup, Popup::None));
    assert!(form_data_teams(&reqs).is_empty());
    assert!(status(&s).contains("Payments"), "{}", status(&s));
}

#[test]
fn offline_refuses_saying_gigstack_cannot_be_reached() {
    let mut s = state();
    key(&mut s, '4');
    s.offline = true;
    let reqs = key(&mut s, 'n');
    assert!(matches!(s.popup, Popup::None));
    assert!(reqs.is_empty(), "{reqs:?}");
    assert!(status(&s).contains("offline"), "{}", status(&s));
}

#[test]
fn a_read_only_session_refuses_saying_so() {
    let mut s = state();
    key(&mut s, '4');
    s.read_only = true;
    let reqs = key(&mut s, 'n');
    assert!(matches!(s.popup, Popup::None));
    assert!(reqs.is_empty(), "{reqs:?}");
    assert!(status(&s).contains("read-only"), "{}", status(&s));
}

#[test]
fn a_read_only_team_refuses_saying_so() {
    let mut s = state();
    key(&mut s, '4');
    s.read_only_teams.insert(team_id("master"));
    let reqs = key(&mut s, 'n');
    assert!(matches!(s.popup, Popup::None));
    assert!(reqs.is_empty(), "{reqs:?}");
    assert!(status(&s).contains("read-only"), "{}", status(&s));
}

// The lists and the role.

#[test]
fn a_viewer_role_closes_the_form_saying_it_only_reads() {
    let mut s = state();
    key(&mut s, '4');
    key(&mut s, 'n');
    answer_with(&mut s, "viewer", data(), None);
    assert!(matches!(s.popup, Popup::None), "the form is closed");
    let st = status(&s);
    assert!(st.contains("viewer") && st.contains("only reads"), "{st}");
}

#[test]
fn an_admin_gets_the_teams_clients_and_services_in_the_pickers() {
    let s = request_form();
    let f = form(&s);
    assert!(!f.data.loading);
    let clients: Vec<String> = f.f.client.options().into_iter().map(|(id, _)| id).collect();
    assert_eq!(
        clients,
        ["client_penasco", "client_nunez", "client_rio", "+new"],
        "every client is offered, then a new one typed inline"
    );
    let services: Vec<String> = f.f.items.rows[0]
        .service
        .options()
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    assert_eq!(services, ["", "service_consulting", "service_haircut"]);
}

// The client picker.

#[test]
fn the_client_picker_filters_ignoring_accents_and_case() {
    let mut s = request_form();
    pick_client(&mut s, "NUNEZ");
    let f = form(&s);
    let matches: Vec<&str> = f.f.client.matches().iter().map(|(id, _)| *id).collect();
    assert_eq!(matches, ["client_nunez"], "«NUNEZ» finds Núñez only");
    ctrl(&mut s, 'u');
    typed(&mut s, "río");
    assert_eq!(form(&s).f.client.code().as_deref(), Some("client_rio"));
}

#[test]
fn arrows_choose_the_client_and_the_chosen_one_is_sent() {
    let mut s = request_form();
    goto(&mut s, Key::Client);
    code(&mut s, KeyCode::Down);
    code(&mut s, KeyCode::Down);
    code(&mut s, KeyCode::Up);
    assert_eq!(form(&s).f.client.code().as_deref(), Some("client_nunez"));
    free_line(&mut s, "Consultoría", "1", "100");
    let reqs = confirm(&mut s);
    match sent_body(&reqs) {
        CreateBody::RequestPayment(p) => assert_eq!(p.client.key(), "client_nunez"),
        other => panic!("{other:?}"),
    }
}

// Items.

#[test]
fn plus_adds_an_item_after_the_current_and_minus_never_leaves_none() {
    let mut s = request_form();
    free_line(&mut s, "Primero", "1", "100");
    goto(&mut s, Key::Items);
    key(&mut s, '+');
    key(&mut s, '+');
    let f = form(&s);
    assert_eq!(f.f.items.rows.len(), 3);
    assert_eq!(f.f.items.current, 2);
    // Back on the first, + inserts right after it.
    code(&mut s, KeyCode::Up);
    code(&mut s, KeyCode::Up);
    key(&mut s, '+');
    let f = form(&s);
    assert_eq!(f.f.items.current, 1);
    assert_eq!(f.f.items.rows[0].description.value(), "Primero");
    assert_eq!(
        f.f.items.rows[1].description.value(),
        "",
        "the new row is second"
    );
    for _ in 0..5 {
        key(&mut s, '-');
    }
    let f = form(&s);
    assert_eq!(f.f.items.rows.len(), 1, "never below one item");
    assert!(f.f.items.current < f.f.items.rows.len());
}

#[test]
fn tab_runs_through_an_items_parts_then_the_next_items() {
    let mut s = request_form();
    goto(&mut s, Key::Items);
    key(&mut s, '+');
    code(&mut s, KeyCode::Up);
    assert_eq!(form(&s).f.items.current, 0);
    let mut seen = Vec::new();
    for _ in 0..(2 * Part::ALL.len() + 1) {
        code(&mut s, KeyCode::Tab);
        let f = form(&s);
        seen.push((f.focus, f.f.items.current));
    }
    let mut want: Vec<(Key, usize)> = Vec::new();
    for row in 0..2 {
        want.extend(Part::ALL.iter().map(|p| (Key::Item(*p), row)));
    }
    want.push((Key::Currency, 1));
    assert_eq!(seen, want);
    // Shift-Tab from the second item's first part goes back to the first item's last.
    goto(&mut s, Key::Items);
    code(&mut s, KeyCode::Down);
    code(&mut s, KeyCode::Tab);
    assert_eq!(
        (form(&s).focus, form(&s).f.items.current),
        (Key::Item(Part::Service), 1)
    );
    code(&mut s, KeyCode::BackTab);
    assert_eq!(
        (form(&s).focus, form(&s).f.items.current),
        (Key::Item(Part::UnitKey), 0)
    );
}

#[test]
fn picking_a_service_fills_description_price_keys_and_taxes() {
    let mut s = request_form();
    goto(&mut s, Key::Item(Part::Service));
    code(&mut s, KeyCode::Down);
    code(&mut s, KeyCode::Down);
    let row = &form(&s).f.items.rows[0];
    assert_eq!(row.description.value(), "Corte de cabello");
    assert_eq!(row.price.value(), "300.00");
    assert_eq!(row.product_key.value(), "86101700");
    assert_eq!(row.unit_key.value(), "ACT");
    assert_eq!(row.taxes.code().as_deref(), Some("Exento"));
}

// Checks before anything is sent.

#[test]
fn a_zero_unit_price_is_refused_at_the_price() {
    let mut s = filled_request();
    goto(&mut s, Key::Item(Part::Price));
    replace(&mut s, "0");
    let e = refused_at(&mut s, Key::Item(Part::Price));
    assert!(e.contains("Item 1") && e.contains("more than zero"), "{e}");
}

#[test]
fn a_negative_unit_price_is_refused_at_the_price() {
    let mut s = filled_request();
    goto(&mut s, Key::Item(Part::Price));
    replace(&mut s, "-500");
    let e = refused_at(&mut s, Key::Item(Part::Price));
    assert!(e.contains("more than zero"), "{e}");
}

#[test]
fn a_unit_price_with_three_decimals_is_refused_at_the_price() {
    let mut s = filled_request();
    goto(&mut s, Key::Item(Part::Price));
    replace(&mut s, "10.005");
    let e = refused_at(&mut s, Key::Item(Part::Price));
    assert!(e.contains("two decimals"), "{e}");
}

#[test]
fn a_zero_quantity_is_refused_at_the_quantity_of_its_row() {
    let mut s = filled_request();
    goto(&mut s, Key::Items);
    key(&mut s, '+');
    free_line(&mut s, "Segundo", "0", "100");
    // The cursor elsewhere: the error brings the second row back.
    goto(&mut s, Key::Items);
    code(&mut s, KeyCode::Up);
    let e = refused_at(&mut s, Key::Item(Part::Quantity));
    assert!(e.contains("Item 2"), "{e}");
    assert_eq!(form(&s).f.items.current, 1, "the row at fault is current");
}

#[test]
fn an_rfc_of_the_wrong_length_is_refused_at_the_rfc() {
    let mut s = filled_client("EKU9003173C");
    let e = refused_at(&mut s, Key::Rfc);
    assert!(
        e.contains("12") && e.contains("11"),
        "says the lengths: {e}"
    );
}

#[test]
fn an_rfc_with_a_wrong_check_digit_is_refused_at_the_rfc() {
    let mut s = filled_client("EKU9003173C8");
    let e = refused_at(&mut s, Key::Rfc);
    assert!(
        e.to_lowercase().contains("check digit") || e.contains("dígito"),
        "{e}"
    );
}

#[test]
fn regime_601_with_use_d01_is_refused_at_the_use() {
    let mut s = filled_client("XIA190128J61");
    assert_eq!(form(&s).f.regime.code().as_deref(), Some("601"));
    goto(&mut s, Key::Use);
    typed(&mut s, "D01");
    assert_eq!(form(&s).f.cfdi_use.code().as_deref(), Some("D01"));
    let e = refused_at(&mut s, Key::Use);
    assert!(e.contains("D01") && e.contains("601"), "{e}");
}

#[test]
fn a_ppd_invoice_sends_payment_form_99_whatever_form_was_chosen() {
    let mut s = state();
    key(&mut s, '3');
    key(&mut s, 'n');
    answer(&mut s);
    assert_eq!(form(&s).kind, WriteKind::DraftInvoice);
    pick_client(&mut s, "bravo");
    free_line(&mut s, "Consultoría", "1", "1000");
    goto(&mut s, Key::Form);
    typed(&mut s, "03");
    assert_eq!(form(&s).f.form.code().as_deref(), Some("03"));
    goto(&mut s, Key::Method);
    code(&mut s, KeyCode::Down);
    assert_eq!(form(&s).f.method.code().as_deref(), Some("PPD"));
    assert!(
        !form(&s).order().contains(&Key::Form),
        "the payment form is not asked on a PPD invoice"
    );
    let reqs = confirm(&mut s);
    match sent_body(&reqs) {
        CreateBody::DraftInvoice { invoice, id } => {
            assert_eq!(id, None);
            assert_eq!(invoice.payment_method, "PPD");
            assert_eq!(invoice.payment_form, "99");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_usd_link_without_exchange_rate_is_refused_at_the_rate() {
    let mut s = filled_request();
    assert!(!form(&s).order().contains(&Key::Rate));
    goto(&mut s, Key::Currency);
    code(&mut s, KeyCode::Down);
    assert_eq!(form(&s).f.currency.code().as_deref(), Some("USD"));
    assert!(form(&s).order().contains(&Key::Rate), "USD asks its rate");
    let e = refused_at(&mut s, Key::Rate);
    assert!(e.contains("USD") && e.contains("exchange rate"), "{e}");
}

#[test]
fn a_credit_note_above_what_is_left_is_refused_naming_the_figures() {
    let mut s = state();
    key(&mut s, '3');
    key(&mut s, 'g');
    gigdash::app::update::run_command(&mut s, ":credit-note");
    let total = form(&s)
        .credited
        .as_ref()
        .expect("an invoice credited")
        .total;
    assert!(
        total > Decimal::new(200, 0),
        "the fixture invoice is worth more"
    );
    answer_with(&mut s, "admin", data(), Some(Decimal::new(200, 0)));
    let room = total - Decimal::new(200, 0);
    assert_eq!(
        form(&s).f.amount.read(Lang::En).ok(),
        Some(room),
        "the amount starts at what is left"
    );
    goto(&mut s, Key::Amount);
    replace(&mut s, &(room + Decimal::ONE).to_string());
    let e = refused_at(&mut s, Key::Amount);
    for figure in [room, total, Decimal::new(200, 0)] {
        let shown = Amount(figure).display("MXN");
        assert!(e.contains(&shown), "«{shown}» in: {e}");
    }
}

#[test]
fn a_client_whose_rfc_the_team_has_is_offered_instead_and_nothing_is_sent() {
    let mut s = filled_client(RFC_OK);
    let reqs = confirm(&mut s);
    assert!(writes(&reqs).is_empty(), "{reqs:?}");
    assert!(!matches!(s.popup, Popup::Create(_)), "the form closes");
    let st = status(&s);
    assert!(
        st.contains("Distribuidora Peñasco") && st.contains(RFC_OK),
        "says which client has the RFC: {st}"
    );
    assert_eq!(
        s.jump.as_ref().map(|(_, _, id)| id.as_str()),
        Some("client_penasco"),
        "the existing client is selected"
    );
}

// Sending once.

#[test]
fn enter_on_yes_sends_exactly_once() {
    let mut s = filled_request();
    let reqs = confirm(&mut s);
    match sent_body(&reqs) {
        CreateBody::RequestPayment(p) => {
            assert_eq!(p.client.key(), "client_penasco");
            assert_eq!(p.items.len(), 1);
            assert_eq!(p.items[0].quantity, Amount(Decimal::new(2, 0)));
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(s.popup, Popup::None));
    let again = code(&mut s, KeyCode::Enter);
    assert!(writes(&again).is_empty(), "a second Enter sends nothing");
}

#[test]
fn the_same_client_again_while_in_flight_is_refused() {
    let mut s = filled_request();
    let first = confirm(&mut s);
    let (_, _, key1) = the_write(&first);
    key(&mut s, 'n');
    answer(&mut s);
    assert_ne!(form(&s).head.idempotency_key, key1, "a new form, a new key");
    pick_client(&mut s, "penasco");
    free_line(&mut s, "Consultoría", "2", "500");
    let reqs = confirm(&mut s);
    assert!(writes(&reqs).is_empty(), "{reqs:?}");
    assert!(matches!(s.popup, Popup::Create(_)), "the form stays");
    assert!(status(&s).contains("already being sent"), "{}", status(&s));
}

// Esc.

#[test]
fn esc_on_a_touched_form_warns_and_keeps_it_then_closes() {
    let mut s = filled_request();
    code(&mut s, KeyCode::Esc);
    let f = form(&s);
    assert!(f.error.as_ref().unwrap().text.contains("Esc again"));
    assert_eq!(f.f.client.code().as_deref(), Some("client_penasco"));
    assert_eq!(f.f.items.rows[0].description.value(), "Consultoría");
    assert_eq!(f.f.items.rows[0].price.value(), "500");
    code(&mut s, KeyCode::Esc);
    assert!(matches!(s.popup, Popup::None));
    assert!(status(&s).contains("nothing was sent"), "{}", status(&s));
}

#[test]
fn a_key_between_two_escs_takes_the_warning_back() {
    let mut s = filled_request();
    code(&mut s, KeyCode::Esc);
    code(&mut s, KeyCode::Tab);
    code(&mut s, KeyCode::Esc);
    assert!(
        matches!(s.popup, Popup::Create(_)),
        "warned again, not closed"
    );
}

#[test]
fn esc_on_an_untouched_form_closes_at_once() {
    let mut s = request_form();
    code(&mut s, KeyCode::Tab);
    code(&mut s, KeyCode::Esc);
    assert!(matches!(s.popup, Popup::None));
    assert!(status(&s).contains("nothing was sent"), "{}", status(&s));
}

// Answers.

#[test]
fn a_422_naming_tax_id_reopens_the_form_at_the_rfc_on_a_new_key() {
    let mut s = filled_client("XIA190128J61");
    let reqs = confirm(&mut s);
    let (team, request, key1) = the_write(&reqs);
    assert!(
        matches!(s.popup, Popup::None),
        "the form waits for the answer"
    );
    done(
        &mut s,
        team,
        request,
        Err(ApiError::Validation {
            status: 422,
            message: "Invalid fiscal data".into(),
            details: vec!["tax_id: the RFC is not registered with SAT".into()],
        }),
    );
    let f = form(&s);
    assert_eq!(f.error.as_ref().and_then(|e| e.field), Some(Key::Rfc));
    assert_eq!(f.focus, Key::Rfc);
    assert_eq!(f.f.rfc.value(), "XIA190128J61", "what was typed is kept");
    assert!(!f.confirm.yes, "back on No");
    assert_ne!(
        f.head.idempotency_key, key1,
        "a refused request gets a new key"
    );
    let again = confirm(&mut s);
    let (_, _, key2) = the_write(&again);
    assert_ne!(key2, key1);
}

#[test]
fn a_network_error_keeps_the_form_for_n_with_the_same_key() {
    let mut s = filled_client("XIA190128J61");
    let reqs = confirm(&mut s);
    let (team, request, key1) = the_write(&reqs);
    let looked_up = done(
        &mut s,
        team,
        request,
        Err(ApiError::Network {
            message: "connection reset".into(),
        }),
    );
    assert!(!matches!(s.popup, Popup::Create(_)));
    assert!(status(&s).contains("outcome unknown"), "{}", status(&s));
    assert!(
        looked_up.iter().any(|r| matches!(
            r,
            Request::Load {
                dataset: gigdash::app::Dataset::Clients,
                ..
            }
        )),
        "the clients are read again to see whether it was created: {looked_up:?}"
    );
    let reqs = key(&mut s, 'n');
    assert!(
        form_data_teams(&reqs).is_empty(),
        "its lists are not read again: the body stays what was sent"
    );
    // Frozen: a key in a field changes nothing.
    goto(&mut s, Key::Name);
    typed(&mut s, "X");
    assert_eq!(form(&s).f.name.value(), "Abarrotes Olmeca");
    let f = form(&s);
    assert_eq!(
        f.head.idempotency_key, key1,
        "the same key: it cannot create twice"
    );
    assert_eq!(f.f.rfc.value(), "XIA190128J61");
    assert_eq!(f.f.name.value(), "Abarrotes Olmeca");
    let again = confirm(&mut s);
    let (_, _, key2) = the_write(&again);
    assert_eq!(key2, key1);
}

#[test]
fn a_timeout_keeps_the_form_too() {
    let mut s = filled_request();
    let (team, request, key1) = the_write(&confirm(&mut s));
    done(&mut s, team, request, Err(ApiError::Timeout));
    key(&mut s, 'n');
    let f = form(&s);
    assert_eq!(f.head.idempotency_key, key1);
    assert_eq!(f.f.client.code().as_deref(), Some("client_penasco"));
}

// The team asked first.

#[test]
fn from_the_group_tab_n_asks_the_team_first_leaving_read_only_ones_out() {
    let mut s = state();
    s.group.open = true;
    s.read_only_teams.insert(team_id("coyoacan"));
    let reqs = key(&mut s, 'n');
    assert!(form_data_teams(&reqs).is_empty(), "no lists before a team");
    let f = form(&s);
    assert!(f.choosing_team);
    assert_eq!(f.order(), vec![Key::Team]);
    let offered: Vec<String> = f.f.team.options().into_iter().map(|(_, n)| n).collect();
    assert_eq!(offered, ["Doña Lupe Juriquilla", "Grupo Doña Lupe"]);
    typed(&mut s, "JURI");
    let reqs = code(&mut s, KeyCode::Enter);
    assert_eq!(form_data_teams(&reqs), vec![team_id("juriquilla")]);
    let f = form(&s);
    assert!(!f.choosing_team);
    assert_eq!(f.head.team_name, "Doña Lupe Juriquilla");
    assert!(f.head.connect, "another team than the key's: via Connect");
    assert_eq!(f.focus, Key::Client);
    answer(&mut s);
    assert_eq!(
        form(&s).f.client.options().len(),
        4,
        "its lists arrive (3 clients and the new-client option)"
    );
}

#[test]
fn in_the_all_teams_scope_n_asks_the_team_first() {
    let mut s = state();
    key(&mut s, '4');
    s.scope.on = true;
    let reqs = key(&mut s, 'n');
    assert!(form_data_teams(&reqs).is_empty());
    assert!(form(&s).choosing_team);
    typed(&mut s, "grupo");
    let reqs = code(&mut s, KeyCode::Enter);
    assert_eq!(form_data_teams(&reqs), vec![team_id("master")]);
    assert!(!form(&s).head.connect, "the key's own team");
}

#[test]
fn lists_for_the_team_being_chosen_are_not_taken() {
    let mut s = state();
    s.group.open = true;
    key(&mut s, 'n');
    answer(&mut s);
    assert!(form(&s).choosing_team, "still choosing");
    let ids: Vec<String> = form(&s)
        .f
        .client
        .options()
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    assert_eq!(ids, ["+new"], "no team's clients before the team is chosen");
}

// What was made.

#[test]
fn a_payment_link_answer_opens_its_popup_and_y_copies_the_link() {
    let mut s = filled_request();
    let (team, request, _) = the_write(&confirm(&mut s));
    let link = "https://gigstack.link/p/Xk29Lm";
    let pay: Payment = serde_json::from_value(json!({
        "id": "payment_new", "status": "requires_payment_method", "currency": "MXN",
        "total": "1160.00", "short_url": link,
    }))
    .unwrap();
    done(
        &mut s,
        team,
        request,
        Ok(WriteResult::Payment(Box::new(pay))),
    );
    match &s.popup {
        Popup::Created(c) => {
            assert_eq!(c.link.as_deref(), Some(link));
            assert!(!c.mismatch, "the total is the preview's");
        }
        other => panic!("no link popup: {other:?}"),
    }
    let reqs = key(&mut s, 'y');
    assert_eq!(
        reqs,
        vec![Request::Copy {
            text: link.to_string()
        }]
    );
    assert!(matches!(s.popup, Popup::Created(_)), "the popup stays");
}

#[test]
fn a_client_typed_inline_is_sent_as_an_upsert_by_rfc() {
    use gigdash::api::Customer;
    let mut s = request_form();
    pick_client(&mut s, "nuevo");
    pick_client(&mut s, "");
    ctrl(&mut s, 'u');
    typed(&mut s, "new client");
    assert!(
        form(&s).order().contains(&Key::Rfc),
        "the new client's fields are asked inline: {:?}",
        form(&s).order()
    );
    goto(&mut s, Key::Name);
    typed(&mut s, "Taquería El Pastor");
    goto(&mut s, Key::LegalName);
    typed(&mut s, "Taqueria El Pastor");
    goto(&mut s, Key::Rfc);
    typed(&mut s, RFC_OK);
    goto(&mut s, Key::Zip);
    typed(&mut s, "06600");
    free_line(&mut s, "Tacos", "10", "25");
    let reqs = confirm(&mut s);
    let CreateBody::RequestPayment(p) = sent_body(&reqs) else {
        panic!("a payment request");
    };
    match p.client {
        Customer::Upsert(u) => {
            assert_eq!(u.search.on_key, "tax_id");
            assert_eq!(u.search.on_value, RFC_OK);
            assert!(u.search.auto_create);
            assert_eq!(u.client.legal_name, "TAQUERIA EL PASTOR");
            assert_eq!(u.client.cfdi_use, "G03", "601's usual use");
        }
        other => panic!("an upsert, not {other:?}"),
    }
}

#[test]
fn a_refusal_naming_the_second_items_price_returns_there() {
    use gigdash::app::create::items::Part;
    let mut s = request_form();
    pick_client(&mut s, "penasco");
    free_line(&mut s, "Consultoría", "1", "100");
    goto(&mut s, Key::Items);
    key(&mut s, '+');
    free_line(&mut s, "Soporte", "1", "50");
    let (team, request, _) = the_write(&confirm(&mut s));
    done(
        &mut s,
        team,
        request,
        Err(ApiError::Validation {
            status: 422,
            message: "items[1].unit_price must be positive".into(),
            details: vec!["items[1].unit_price must be positive".into()],
        }),
    );
    let f = form(&s);
    assert_eq!(f.focus, Key::Item(Part::Price));
    assert_eq!(f.f.items.current, 1, "the second item's row");
    assert_eq!(
        f.error.as_ref().and_then(|e| e.field),
        Some(Key::Item(Part::Price))
    );
}

#[test]
fn a_credit_note_of_zero_negative_or_three_decimals_is_refused_at_the_amount() {
    for amount in ["0", "-10", "10.005"] {
        let mut s = state();
        key(&mut s, '3');
        let reqs = gigdash::app::update::run_command(&mut s, ":credit-note");
        let _ = reqs;
        answer_with(&mut s, "admin", data(), Some(Decimal::ZERO));
        goto(&mut s, Key::Amount);
        replace(&mut s, amount);
        goto(&mut s, Key::Buttons);
        key(&mut s, 'y');
        let reqs = code(&mut s, KeyCode::Enter);
        assert!(writes(&reqs).is_empty(), "{amount}: nothing sent");
        assert_eq!(
            form(&s).error.as_ref().and_then(|e| e.field),
            Some(Key::Amount),
            "{amount}"
        );
    }
}

#[test]
fn a_registered_payment_can_pay_a_ppd_invoice_the_team_owes() {
    let mut s = gigdash::app::fixtures::complements_state((120, 40), Lang::En);
    gigdash::app::update::run_command(&mut s, ":register");
    answer(&mut s);
    let offered: Vec<String> = form(&s)
        .f
        .ppd
        .options()
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    assert!(
        offered.contains(&"inv-a".to_string()) && offered.contains(&"inv-b".to_string()),
        "the PPD invoices that still owe, after the team's lists arrived: {offered:?}"
    );
    assert!(
        !offered.contains(&"inv-c".to_string()),
        "a paid one is not offered"
    );
    pick_client(&mut s, "penasco");
    free_line(&mut s, "Abono", "1", "4000");
    goto(&mut s, Key::Ppd);
    typed(&mut s, "inv-a");
    let f = form(&s);
    let chosen = f.f.ppd.code();
    let reqs = confirm(&mut s);
    let CreateBody::RegisterPayment(r) = sent_body(&reqs) else {
        panic!("a registered payment");
    };
    assert_eq!(r.ppd_invoice_id, chosen);
    assert_eq!(r.ppd_invoice_id.as_deref(), Some("inv-a"));
}

#[test]
fn an_invoice_for_a_company_client_refuses_a_use_its_regime_does_not_allow() {
    let mut s = state();
    key(&mut s, '3');
    key(&mut s, 'n');
    answer(&mut s);
    pick_client(&mut s, "penasco");
    free_line(&mut s, "Consultoría", "1", "1000");
    goto(&mut s, Key::Use);
    typed(&mut s, "D01");
    goto(&mut s, Key::Buttons);
    key(&mut s, 'y');
    let reqs = code(&mut s, KeyCode::Enter);
    assert!(writes(&reqs).is_empty(), "nothing sent");
    let e = form(&s).error.clone().expect("refused");
    assert_eq!(e.field, Some(Key::Use));
    assert!(
        e.text.contains("D01") && e.text.contains("601"),
        "{}",
        e.text
    );
}

#[test]
fn an_item_from_a_service_is_checked_again_before_sending() {
    use gigdash::app::create::items::Part;
    let mut s = request_form();
    pick_client(&mut s, "penasco");
    goto(&mut s, Key::Item(Part::Service));
    typed(&mut s, "corte");
    assert_eq!(
        form(&s).f.items.rows[0].description.value(),
        "Corte de cabello"
    );
    let reqs = confirm(&mut s);
    let (_, request, _) = the_write(&reqs);
    let WriteRequest::Create(c) = request else {
        panic!("a create");
    };
    assert_eq!(
        c.services,
        vec![(
            1,
            "service_haircut".to_string(),
            "Corte de cabello".to_string()
        )],
        "the worker looks the service up again right before sending"
    );
}
