//! Every create form and what it made, drawn whole (`ui::draw`) at 80×24 and 120×40 in
//! English and Spanish, from forms filled by keys through `app::update`: a payment link of
//! two items with the client picker open, a registered payment, a PPD invoice, the saved
//! draft's preview and its stamp on a live key, a credit note, a new client refused at its
//! RFC, the team asked first, the payment link with its QR code. Each screen also checks
//! what must be on it, so a snapshot accepted by mistake still fails.

mod forms_kit;

use crossterm::event::KeyCode;
use forms_kit::*;
use gigdash::api::{Draft, Payment};
use gigdash::app::create::items::Part;
use gigdash::app::create::model::Key;
use gigdash::app::dialogs::kinds::WriteRequest;
use gigdash::app::fixtures::{loaded_state_in, team_id};
use gigdash::app::state::Popup;
use gigdash::app::{Msg, Request, State, Update, WriteResult, update};
use gigdash::i18n::Lang;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use rust_decimal::Decimal;
use serde_json::json;

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];
const LINK: &str = "https://gigstack.link/p/Xk29Lm";

fn screen(state: &State) -> String {
    let (w, h) = state.size;
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| gigdash::ui::draw(state, f)).unwrap();
    let buf = t.backend().buffer();
    let mut out = String::new();
    for y in 0..buf.area.height {
        let mut line = String::new();
        for x in 0..buf.area.width {
            line.push_str(buf[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// Snapshots `name` at both sizes in both languages; `check` says what must be on screen.
fn snap(
    name: &str,
    build: impl Fn((u16, u16), Lang) -> State,
    check: impl Fn(&str, (u16, u16), Lang),
) {
    for lang in [Lang::En, Lang::Es] {
        for size in SIZES {
            let state = build(size, lang);
            let shown = screen(&state);
            check(&shown, size, lang);
            let l = if lang == Lang::Es { "es" } else { "en" };
            insta::assert_snapshot!(format!("create_{name}_{l}_{}x{}", size.0, size.1), shown);
        }
    }
}

fn has(shown: &str, text: &str) {
    assert!(shown.contains(text), "«{text}» on screen:\n{shown}");
}

fn lacks(shown: &str, text: &str) {
    assert!(
        !shown.contains(text),
        "«{text}» must not be on screen:\n{shown}"
    );
}

fn state(size: (u16, u16), lang: Lang) -> State {
    loaded_state_in(size, 30, lang)
}

/// The current item's service picker on the `nth` service.
fn service(s: &mut State, nth: usize) {
    goto(s, Key::Item(Part::Service));
    for _ in 0..nth {
        code(s, KeyCode::Down);
    }
}

/// Two items: consulting 2 × $500 with IVA 16 %, a haircut 1 × $300 exempt.
fn two_items(s: &mut State) {
    service(s, 1);
    goto(s, Key::Item(Part::Quantity));
    replace(s, "2");
    goto(s, Key::Items);
    key(s, '+');
    service(s, 2);
}

/// `:command`, then the team's lists arrive.
fn command(s: &mut State, line: &str) {
    gigdash::app::update::run_command(s, line);
    answer(s);
}

fn request_payment(size: (u16, u16), lang: Lang) -> State {
    let mut s = state(size, lang);
    key(&mut s, '4');
    key(&mut s, 'n');
    answer(&mut s);
    pick_client(&mut s, "");
    two_items(&mut s);
    goto(&mut s, Key::Client);
    s
}

#[test]
fn request_payment_with_two_items_and_the_client_picker_open() {
    snap("request_payment", request_payment, |shown, size, lang| {
        has(shown, "Distribuidora Peñasco · EKU9003173C9");
        has(shown, "José Ángel Núñez Ibáñez");
        has(shown, "2 × 500.00  Consultoría fiscal  IVA 16%");
        has(shown, "1 × 300.00  Corte de cabello  Exento");
        lacks(shown, "⚠");
        if size.1 >= 40 {
            has(shown, "Subtotal $1,300.00");
            has(shown, lang.pick("taxes $160.00", "impuestos $160.00"));
            has(shown, "Total $1,460.00");
        }
    });
}

#[test]
fn register_payment() {
    snap(
        "register_payment",
        |size, lang| {
            let mut s = state(size, lang);
            key(&mut s, '4');
            command(&mut s, ":register");
            pick_client(&mut s, "rio");
            free_line(&mut s, "Anticipo evento", "1", "2500");
            goto(&mut s, Key::Form);
            s
        },
        |shown, size, lang| {
            has(shown, "Eventos Río Bravo");
            has(shown, "Anticipo evento");
            has(shown, "01");
            if size.1 >= 40 {
                has(shown, "Total $2,900.00");
                has(shown, lang.pick("Register a payment", "Registrar un pago"));
            }
        },
    );
}

/// An invoice of the two items for Río Bravo, on PPD.
fn ppd_invoice(size: (u16, u16), lang: Lang) -> State {
    let mut s = state(size, lang);
    key(&mut s, '3');
    key(&mut s, 'n');
    answer(&mut s);
    pick_client(&mut s, "rio");
    two_items(&mut s);
    goto(&mut s, Key::Method);
    code(&mut s, KeyCode::Down);
    s
}

#[test]
fn invoice_on_ppd_says_form_99() {
    snap("invoice_ppd", ppd_invoice, |shown, _, lang| {
        has(shown, "PPD");
        has(shown, lang.pick("payment form 99", "forma de pago 99"));
        lacks(shown, lang.pick("Payment form ", "Forma de pago "));
    });
}

/// The PPD invoice sent and gigstack's draft back: the preview popup.
fn draft_preview(size: (u16, u16), lang: Lang) -> State {
    let mut s = ppd_invoice(size, lang);
    let reqs = confirm(&mut s);
    let (team, request) = match &writes(&reqs)[..] {
        [Request::Write { team, request, .. }] => (team.clone(), request.clone()),
        other => panic!("one write: {other:?}"),
    };
    let draft: Draft = serde_json::from_value(json!({
        "id": "draft_7Hq2", "status": "draft", "total": "1460.00", "currency": "MXN",
    }))
    .unwrap();
    done(
        &mut s,
        team,
        request,
        Ok(WriteResult::Draft(Box::new(draft))),
    );
    assert!(matches!(s.popup, Popup::Created(_)), "{:?}", s.status);
    s
}

fn done(
    s: &mut State,
    team: gigdash::api::TeamId,
    request: WriteRequest,
    result: Result<WriteResult, gigdash::api::ApiError>,
) {
    update(
        s,
        Msg::Worker(Box::new(Update::WriteDone {
            team,
            request,
            result,
        })),
    );
}

#[test]
fn draft_preview_reads_every_line_tax_and_total() {
    snap("draft_preview", draft_preview, |shown, _, lang| {
        has(
            shown,
            "1. 2 × $500.00 MXN  Consultoría fiscal  $1,000.00 MXN",
        );
        has(shown, "IVA 16%  $160.00 MXN");
        has(shown, "2. 1 × $300.00 MXN  Corte de cabello  $300.00 MXN");
        has(shown, lang.pick("IVA exempt", "IVA exento"));
        has(shown, "Subtotal  $1,300.00 MXN");
        has(shown, "Total  $1,460.00 MXN");
        lacks(shown, lang.pick("sending", "enviando"));
        lacks(shown, lang.pick("copy link", "copiar enlace"));
        has(shown, "draft_7Hq2");
        lacks(shown, "⚠");
    });
}

#[test]
fn stamping_the_draft_on_a_live_key_asks_for_emitir() {
    snap(
        "stamp_draft_live",
        |size, lang| {
            let mut s = draft_preview(size, lang);
            s.live = Some(true);
            key(&mut s, 's');
            assert_eq!(form(&s).focus, Key::Word);
            typed(&mut s, "EMITIR");
            s
        },
        |shown, _, lang| {
            has(shown, "EMITIR");
            has(shown, lang.pick("LIVE", "PRODUCCIÓN"));
            has(shown, "Total  $1,460.00 MXN");
        },
    );
}

#[test]
fn credit_note() {
    snap(
        "credit_note",
        |size, lang| {
            let mut s = state(size, lang);
            key(&mut s, '3');
            key(&mut s, 'g');
            gigdash::app::update::run_command(&mut s, ":credit-note");
            answer_with(&mut s, "admin", data(), Some(Decimal::new(200, 0)));
            goto(&mut s, Key::Notes);
            typed(&mut s, "Descuento por pronto pago");
            s
        },
        |shown, _, lang| {
            has(shown, lang.pick("Credited before", "Acreditado antes"));
            has(shown, "$200.00");
            has(shown, "Descuento por pronto pago▏");
        },
    );
}

#[test]
fn new_client_with_its_rfc_refused_under_the_field() {
    snap(
        "new_client_rfc_error",
        |size, lang| {
            let mut s = state(size, lang);
            key(&mut s, '2');
            key(&mut s, 'n');
            answer(&mut s);
            typed(&mut s, "Abarrotes Olmeca");
            goto(&mut s, Key::LegalName);
            typed(&mut s, "Abarrotes Olmeca SA de CV");
            goto(&mut s, Key::Rfc);
            typed(&mut s, "EKU9003173C8");
            goto(&mut s, Key::Zip);
            typed(&mut s, "06600");
            let reqs = confirm(&mut s);
            assert!(writes(&reqs).is_empty());
            s
        },
        |shown, _, _| {
            let lines: Vec<&str> = shown.lines().collect();
            let at = lines
                .iter()
                .position(|l| l.contains("RFC") && l.contains("EKU9003173C8"))
                .expect("the RFC field on screen");
            assert!(
                lines[at + 1].contains('✗') && lines[at + 1].contains("RFC"),
                "the error right under the RFC:\n{shown}"
            );
            // Read whole: its last words are on screen, within the box.
            assert!(
                shown.contains("9;") || shown.contains("9,") || shown.contains(" 9"),
                "the check digit SAT expects:\n{shown}"
            );
        },
    );
}

#[test]
fn the_team_is_asked_first_from_the_group_tab() {
    snap(
        "team_choice",
        |size, lang| {
            let mut s = state(size, lang);
            s.group.open = true;
            s.read_only_teams.insert(team_id("coyoacan"));
            key(&mut s, 'n');
            typed(&mut s, "lupe");
            s
        },
        |shown, _, lang| {
            has(shown, lang.pick("in which team?", "¿en qué equipo?"));
            let lines: Vec<&str> = shown.lines().collect();
            let at = lines
                .iter()
                .position(|l| l.contains("› ") && l.contains("lupe▏"))
                .expect("the team picker");
            assert!(lines[at + 1].contains("Doña Lupe Juriquilla"), "{shown}");
            assert!(lines[at + 2].contains("Grupo Doña Lupe"), "{shown}");
            assert!(
                !lines[at + 3].contains("Coyoacán"),
                "a read-only team is not offered:\n{shown}"
            );
        },
    );
    snap(
        "team_chosen",
        |size, lang| {
            let mut s = state(size, lang);
            s.group.open = true;
            key(&mut s, 'n');
            typed(&mut s, "juri");
            code(&mut s, KeyCode::Enter);
            answer(&mut s);
            s
        },
        |shown, _, lang| {
            has(
                shown,
                lang.pick(
                    "in «Doña Lupe Juriquilla» (via Connect)",
                    "en «Doña Lupe Juriquilla» (vía Connect)",
                ),
            );
        },
    );
}

#[test]
fn the_payment_link_with_its_whole_qr_code() {
    let qr = gigdash::ui::qr::lines(LINK).expect("a QR code");
    snap(
        "payment_link",
        |size, lang| {
            let mut s = request_payment(size, lang);
            let reqs = confirm(&mut s);
            let (team, request) = match &writes(&reqs)[..] {
                [Request::Write { team, request, .. }] => (team.clone(), request.clone()),
                other => panic!("one write: {other:?}"),
            };
            let pay: Payment = serde_json::from_value(json!({
                "id": "payment_new", "status": "requires_payment_method",
                "currency": "MXN", "total": "1460.00", "short_url": LINK,
            }))
            .unwrap();
            done(
                &mut s,
                team,
                request,
                Ok(WriteResult::Payment(Box::new(pay))),
            );
            s
        },
        |shown, _, lang| {
            has(shown, LINK);
            has(shown, lang.pick("y copies it", "y lo copia"));
            let lines: Vec<&str> = shown.lines().collect();
            let first = lines
                .iter()
                .position(|l| l.contains(qr[0].as_str()))
                .expect("the QR code's first row on screen");
            for (i, row) in qr.iter().enumerate() {
                assert!(
                    lines
                        .get(first + i)
                        .is_some_and(|l| l.contains(row.as_str())),
                    "QR row {i} of {} whole on screen:\n{shown}",
                    qr.len()
                );
            }
        },
    );
}

/// On a screen of 80×24 the form is longer than the box: every field the cursor reaches is
/// on screen, marked.
#[test]
fn the_focused_field_stays_on_screen_at_80x24() {
    let mut s = request_payment((80, 24), Lang::En);
    goto(&mut s, Key::Items);
    key(&mut s, '+');
    key(&mut s, '+');
    for _ in 0..3 {
        code(&mut s, KeyCode::Up);
    }
    code(&mut s, KeyCode::BackTab);
    assert_eq!((form(&s).focus, form(&s).f.items.current), (Key::Client, 0));
    let top = screen(&s);
    lacks(&top, "Yes, create the link");
    let mut visited = 0;
    for _ in 0..60 {
        let f = form(&s);
        let name = match f.focus {
            Key::Client => "Client",
            Key::Items => "Items",
            Key::Item(p) => &format!("  {}", p.label(Lang::En)),
            Key::Currency => "Currency",
            Key::Methods => "May pay by",
            Key::Automation => "Once paid",
            Key::Emails => "Send to (e-mail)",
            Key::Buttons => break,
            other => panic!("unexpected field {other:?}"),
        };
        has(&screen(&s), &format!("› {name}"));
        visited += 1;
        code(&mut s, KeyCode::Tab);
    }
    // Client, Items, 4 items of 7 parts, Currency, May pay by, Once paid, Send to.
    assert_eq!(visited, 34, "the walk went through the whole form");
    assert_eq!(form(&s).focus, Key::Buttons);
    let bottom = screen(&s);
    has(&bottom, "›  No     Yes, create the link");
}

/// `:drafts` on a team with two drafts to stamp and one stamped (not listed), the second
/// chosen: its lines below the list, its keys in the footer.
fn drafts_list(size: (u16, u16), lang: Lang) -> State {
    let mut s = state(size, lang);
    key(&mut s, '3');
    let reqs = gigdash::app::update::run_command(&mut s, "drafts");
    let team = match &reqs[..] {
        [Request::LoadDrafts { team }] => team.clone(),
        other => panic!("the drafts asked: {other:?}"),
    };
    let drafts: Vec<Draft> = serde_json::from_value(json!([
        {"id": "draft_a1", "status": "draft", "total": "580.00", "currency": "MXN",
         "created_at": 1_790_000_000,
         "client": {"name": "Peñasco Ramírez", "tax_id": "PERA800101AB1"},
         "items": [{"description": "Corte de cabello", "quantity": 1, "unit_price": "500.00",
                    "taxes": [{"type": "IVA", "rate": 0.16, "factor": "Tasa", "base": "500.00", "amount": "80.00"}]}],
         "subtotal": "500.00", "taxes": "80.00"},
        {"id": "draft_b2", "status": "draft", "total": "1160.00", "currency": "MXN",
         "created_at": 1_790_086_400,
         "client": {"name": "Ferretería Núñez", "tax_id": "FNU010101AA1"},
         "items": [{"description": "Consultoría fiscal", "quantity": 2, "unit_price": "500.00",
                    "taxes": [{"type": "IVA", "rate": 0.16, "factor": "Tasa", "base": "1000.00", "amount": "160.00"}]}],
         "subtotal": "1000.00", "taxes": "160.00"},
        {"id": "draft_done", "status": "stamped", "total": "99.00", "currency": "MXN"}
    ]))
    .unwrap();
    update(
        &mut s,
        Msg::Worker(Box::new(Update::Drafts {
            team,
            result: Ok(drafts),
        })),
    );
    code(&mut s, KeyCode::Down);
    s
}

#[test]
fn the_drafts_list_shows_the_chosen_drafts_lines_and_its_keys() {
    snap("drafts_list", drafts_list, |shown, _, lang| {
        has(shown, "Peñasco Ramírez  $580.00 MXN  draft_a1");
        has(shown, "Ferretería Núñez  $1,160.00 MXN  draft_b2");
        lacks(shown, "draft_done");
        has(shown, "2 × $500.00 MXN  Consultoría fiscal  $1,000.00 MXN");
        lacks(shown, "Corte de cabello");
        has(shown, lang.pick("Enter stamp", "Enter timbrar"));
        has(shown, lang.pick("r read again", "r leer de nuevo"));
    });
}
