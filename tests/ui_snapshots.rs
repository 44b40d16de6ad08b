//! Snapshots of every panel and popup at 80×24 and 120×40 on ratatui's TestBackend,
//! including the loading, empty, error, too-small and NO_COLOR states.

use gigdash::app::state::Asking;
use std::sync::Arc;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use gigdash::api::{ApiError, Invoice};
use gigdash::app::data::columns::Row;
use gigdash::app::fixtures::{self, connected_state, deliver, loaded_state, team_id};
use gigdash::app::state::Popup;
use gigdash::app::{Dataset, Detail, Msg, Rows, State, Update, update};
use gigdash::i18n::Lang;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::Color;

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

fn draw(state: &State) -> Buffer {
    let (w, h) = state.size;
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| gigdash::ui::draw(state, f)).unwrap();
    t.backend().buffer().clone()
}

fn text(buf: &Buffer) -> String {
    let area = buf.area;
    let mut out = String::new();
    for y in 0..area.height {
        let mut line = String::new();
        for x in 0..area.width {
            line.push_str(buf[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn snap(name: &str, build: impl Fn((u16, u16)) -> State) {
    for size in SIZES {
        let state = build(size);
        let buf = draw(&state);
        insta::assert_snapshot!(format!("{name}_{}x{}", size.0, size.1), text(&buf));
    }
}

fn key(s: &mut State, c: char) {
    update(
        s,
        Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)),
    );
}

fn keys(s: &mut State, text: &str) {
    for c in text.chars() {
        key(s, c);
    }
}

/// A loaded state read in `lang`.
fn state(size: (u16, u16), n: usize, lang: Lang) -> State {
    gigdash::app::fixtures::loaded_state_in(size, n, lang)
}

/// `name` in English, and as `es_name` in Spanish (checked for English left on screen).
fn snap_both(name: &str, build: impl Fn((u16, u16), Lang) -> State) {
    snap(name, |size| build(size, Lang::En));
    snap_es(name, |size| build(size, Lang::Es));
}

#[test]
fn overview() {
    snap_both("overview", |size, l| state(size, 400, l));
}

#[test]
fn clients() {
    snap_both("clients", |size, l| {
        let mut s = state(size, 60, l);
        key(&mut s, '2');
        s
    });
}

#[test]
fn invoices() {
    snap_both("invoices", |size, l| {
        let mut s = state(size, 400, l);
        key(&mut s, '3');
        keys(&mut s, "jjj");
        s
    });
}

#[test]
fn payments() {
    snap_both("payments", |size, l| {
        let mut s = state(size, 400, l);
        key(&mut s, '4');
        s
    });
    // The filter matches the status word as shown, in either language.
    snap_both("filtered_payments", |size, l| {
        let mut s = state(size, 400, l);
        key(&mut s, '4');
        key(&mut s, '/');
        keys(&mut s, l.pick("succeeded", "pagado"));
        update(
            &mut s,
            Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
        );
        s
    });
}

#[test]
fn connecting_before_any_data() {
    snap_both("connecting", |size, l| {
        let mut s = State::new(size);
        s.lang = l;
        s
    });
}

#[test]
fn table_loading_after_a_switch() {
    snap_both("loading", |size, l| {
        let mut s = state(size, 50, l);
        key(&mut s, '3');
        key(&mut s, ']');
        s
    });
}

#[test]
fn empty_table() {
    snap_both("empty", |size, l| {
        let mut s = state(size, 50, l);
        key(&mut s, '3');
        key(&mut s, ']');
        let team = s.current.clone().unwrap();
        deliver(&mut s, &team, Rows::Invoices(Arc::new(vec![])));
        s
    });
}

#[test]
fn filter_typing_and_no_match() {
    snap_both("filter_typing", |size, l| {
        let mut s = state(size, 200, l);
        key(&mut s, '3');
        keys(&mut s, "/peñ");
        s
    });
    snap_both("filter_no_match", |size, l| {
        let mut s = state(size, 200, l);
        key(&mut s, '3');
        keys(&mut s, "/zzzzqqq");
        update(
            &mut s,
            Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
        );
        s
    });
}

#[test]
fn connect_error() {
    snap_both("connect_error", |size, l| {
        let mut s = state(size, 50, l);
        key(&mut s, ']');
        fixtures::fail_load(&mut s, Dataset::Invoices, |t| ApiError::RoleDenied {
            team: Some(t),
        });
        s
    });
}

#[test]
fn team_switcher_popup() {
    snap_both("switcher", |size, l| {
        let mut s = state(size, 50, l);
        key(&mut s, 't');
        keys(&mut s, "doña");
        s
    });
}

#[test]
fn help_popup() {
    snap_both("help", |size, l| {
        let mut s = state(size, 50, l);
        key(&mut s, '?');
        s
    });
}

#[test]
fn palette_popup() {
    snap_both("palette", |size, l| {
        let mut s = state(size, 50, l);
        key(&mut s, '3');
        keys(&mut s, l.pick(":te", ":eq"));
        s
    });
}

/// A fixture from tests/fixtures/, decoded as the client's model.
fn fixture<T: serde::de::DeserializeOwned>(name: &str) -> T {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The detail popup opened with Enter on `tab`, answered with `detail`.
fn with_detail(size: (u16, u16), lang: Lang, tab: char, detail: Detail) -> State {
    let mut s = gigdash::app::fixtures::loaded_state_in(size, 50, lang);
    key(&mut s, tab);
    update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
    );
    let generation = s.asked.current(Asking::Team);
    update(
        &mut s,
        Msg::Worker(Box::new(Update::Detail {
            team: team_id("master"),
            generation,
            result: Ok(detail),
        })),
    );
    assert!(matches!(&s.popup, Popup::Detail(d) if d.result.is_some()));
    s
}

fn details() -> [(&'static str, char, Detail); 3] {
    let invoice: Invoice = fixture("invoice.json");
    let payment: gigdash::api::Payment = fixture("payment.json");
    let client: gigdash::api::Client = fixture("client.json");
    [
        ("detail", '3', Detail::Invoice(Box::new(invoice))),
        ("detail_payment", '4', Detail::Payment(Box::new(payment))),
        ("detail_client", '2', Detail::Client(Box::new(client))),
    ]
}

#[test]
fn detail_popup() {
    for (name, tab, detail) in details() {
        snap_both(name, |size, l| with_detail(size, l, tab, detail.clone()));
    }
    snap("detail_loading", |size| {
        let mut s = loaded_state(size, 50);
        key(&mut s, '4');
        update(
            &mut s,
            Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
        );
        s
    });
}

#[test]
fn terminal_too_small() {
    for size in [(79, 24), (120, 23), (40, 10)] {
        let s = loaded_state(size, 10);
        let t = text(&draw(&s));
        assert!(t.contains("Terminal too small"), "{size:?}:\n{t}");
    }
    insta::assert_snapshot!("too_small_70x20", text(&draw(&loaded_state((70, 20), 10))));
    let es = text(&draw(&state((70, 20), 10, Lang::Es)));
    assert!(es.contains("Terminal demasiado pequeña"), "{es}");
}

#[test]
fn no_color_keeps_state_visible_without_any_colour() {
    snap_both("no_color_invoices", |size, l| {
        let mut s = state(size, 100, l);
        s.no_color = true;
        key(&mut s, '3');
        s
    });
    for size in SIZES {
        let mut s = loaded_state(size, 100);
        s.no_color = true;
        key(&mut s, '3');
        let buf = draw(&s);
        let mut reversed = 0;
        for cell in buf.content() {
            assert!(
                matches!(cell.fg, Color::Reset) && matches!(cell.bg, Color::Reset),
                "a coloured cell under NO_COLOR: {cell:?}"
            );
            if cell.modifier.contains(ratatui::style::Modifier::REVERSED) {
                reversed += 1;
            }
        }
        assert!(
            reversed > size.0 as usize,
            "the selection and header stay visible in reverse video"
        );
    }
}

#[test]
fn accented_names_take_their_display_width() {
    let s = {
        let mut s = loaded_state((120, 40), 50);
        key(&mut s, '3');
        s
    };
    let t = text(&draw(&s));
    // Every table line is exactly as wide as the screen once padded: no shifted columns.
    let line = t
        .lines()
        .find(|l| l.contains("Núñez"))
        .expect("an accented row");
    let total_col = line.find("MXN").or_else(|| line.find("USD")).unwrap();
    let plain = t.lines().find(|l| l.contains("Eventos Río Bravo")).unwrap();
    let plain_col = plain.find("MXN").or_else(|| plain.find("USD")).unwrap();
    // Byte offsets differ by the accents' extra bytes, char offsets must agree.
    assert_eq!(
        line[..total_col].chars().count(),
        plain[..plain_col].chars().count()
    );
}

/// Opens the dialog for `kind` on the first row it applies to, as test/own or live/Connect.
fn with_dialog(
    size: (u16, u16),
    kind: char,
    tab: char,
    live: bool,
    connect: bool,
    setup: &str,
) -> State {
    with_dialog_in(size, (kind, tab), live, connect, setup, Lang::En)
}

fn with_dialog_in(
    size: (u16, u16),
    (kind, tab): (char, char),
    live: bool,
    connect: bool,
    setup: &str,
    lang: Lang,
) -> State {
    let mut s = gigdash::app::fixtures::loaded_state_in(size, 60, lang);
    s.live = Some(live);
    if connect {
        key(&mut s, ']');
        let team = s.current.clone().unwrap();
        deliver(
            &mut s,
            &team,
            Rows::Invoices(Arc::new(gigdash::app::fixtures::invoices_in(
                "coyo", 60, lang,
            ))),
        );
        deliver(
            &mut s,
            &team,
            Rows::Payments(Arc::new(gigdash::app::fixtures::payments_in(
                "coyo", 60, lang,
            ))),
        );
    }
    key(&mut s, tab);
    key(&mut s, 'g');
    for _ in 0..60 {
        key(&mut s, kind);
        if matches!(s.popup, Popup::Action(_)) {
            break;
        }
        key(&mut s, 'j');
    }
    assert!(matches!(s.popup, Popup::Action(_)), "a dialog opened");
    keys(&mut s, setup);
    s
}

#[test]
fn write_dialogs() {
    for (name, kind, tab, setup) in [
        ("mark_paid", 'p', '4', "tarj"),
        ("refund", 'R', '4', ""),
        ("cancel_payment", 'x', '4', ""),
        ("cancel_invoice", 'x', '3', "1"),
    ] {
        for (live, connect) in [(false, false), (true, true), (true, false), (false, true)] {
            let label = format!(
                "dialog_{name}_{}_{}",
                if live { "live" } else { "test" },
                if connect { "connect" } else { "own" }
            );
            snap(&label, |size| {
                with_dialog(size, kind, tab, live, connect, setup)
            });
        }
    }
}

// ---- Spanish ------------------------------------------------------------------------

/// English words of the interface that must not show through on a Spanish screen (the
/// data itself is Spanish, so none of these can come from it).
const ENGLISH: &[&str] = &[
    "Overview",
    "Invoices",
    "Payments",
    "Clients",
    "Status",
    "Date",
    "sorted by",
    "switch team",
    "refresh",
    "details",
    "quit",
    "filter",
    " of ",
    "Team",
    "Amount",
    "Yes,",
    "Type ",
    "valid",
    "pending",
    "canceled",
    "succeeded",
    "Loading",
    "loading",
    "Press",
    "Invoiced",
    "Collected",
    "Mexico City",
    "Key",
    "LIVE",
    "TEST",
    "Cancel",
    "Refund",
    "Mark",
    "search",
    "Help",
    "keys",
    "Command",
    "no team",
    "this team",
];

/// `word` as a whole word (so «Cancel» is not found in «Cancelar»).
fn has_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        let edge = |c: Option<char>| !c.is_some_and(char::is_alphabetic);
        (edge(before) || !word.starts_with(char::is_alphabetic))
            && (edge(after) || !word.ends_with(char::is_alphabetic))
    })
}

#[test]
fn the_leak_check_sees_whole_words_only() {
    assert!(has_word("x Cancel y", "Cancel"));
    assert!(!has_word("Cancelar pago", "Cancel"));
    assert!(has_word("2 of 3", " of "));
    assert!(!has_word("inválida", "valid"));
}

/// Snapshots a Spanish screen at both sizes and checks no English word of the UI is left.
fn snap_es(name: &str, build: impl Fn((u16, u16)) -> State) {
    for size in SIZES {
        let state = build(size);
        assert_eq!(state.lang, Lang::Es);
        let shown = text(&draw(&state));
        for word in ENGLISH {
            assert!(
                !has_word(&shown, word),
                "English «{word}» on the Spanish {name} screen at {size:?}:\n{shown}"
            );
        }
        insta::assert_snapshot!(format!("es_{name}_{}x{}", size.0, size.1), shown);
    }
}

#[test]
fn spanish_write_dialogs() {
    for (name, kind, tab, setup, live, connect) in [
        ("mark_paid", 'p', '4', "tarj", false, false),
        ("refund", 'R', '4', "", true, false),
        ("cancel_payment", 'x', '4', "", false, true),
        ("cancel_invoice", 'x', '3', "1", true, true),
    ] {
        snap_es(&format!("dialog_{name}"), |size| {
            with_dialog_in(size, (kind, tab), live, connect, setup, Lang::Es)
        });
    }
}

#[test]
fn the_header_never_cuts_a_badge() {
    for lang in [Lang::En, Lang::Es] {
        let mut s = gigdash::app::fixtures::loaded_state_in((80, 24), 50, lang);
        key(&mut s, ']');
        s.live = Some(true);
        s.profile = Some("produccion-norte".into());
        s.read_only = true;
        let badges = match lang {
            Lang::En => [
                "LIVE",
                "DEMO",
                "produccion-norte",
                "READ-ONLY",
                "via Connect",
            ],
            Lang::Es => [
                "PRODUCCIÓN",
                "DEMO",
                "produccion-norte",
                "SOLO LECTURA",
                "vía Connect",
            ],
        };
        let header = text(&draw(&s)).lines().next().unwrap().to_string();
        for b in badges {
            assert!(header.contains(b), "{b} in «{header}»");
        }
        assert!(
            !header.contains("RFC"),
            "the RFC gives way first: «{header}»"
        );
        assert!(
            header.starts_with(" Doña Lu"),
            "the team stays named, shortened if it must: «{header}»"
        );
        insta::assert_snapshot!(format!("header_all_badges_{}", lang.code()), header);
    }
}

#[test]
fn a_bidi_override_in_a_client_name_never_reaches_the_screen() {
    use gigdash::app::data::documents::ClientRow;
    let hostile: gigdash::api::Client = serde_json::from_value(serde_json::json!({
        "id": "client_rtl",
        "name": "Ana \u{202e}00.005,1$\u{202c} López \u{2066}x\u{2069}\u{1b}[2J",
        "tax_id": "AAAA010101AAA",
    }))
    .unwrap();
    let mut s = state((120, 40), 5, Lang::En);
    let team = team_id("master");
    deliver(
        &mut s,
        &team,
        Rows::Clients(Arc::new(vec![ClientRow::from_api(&hostile, Lang::En)])),
    );
    key(&mut s, '2');
    let screen = text(&draw(&s));
    assert!(screen.contains("Ana 00.005,1$ López x[2J"), "{screen}");
    assert!(
        !screen
            .chars()
            .any(|c| c != '\n' && gigdash::text::is_unsafe(c)),
        "no control or bidi character on screen"
    );
}

/// A key reaching `n` branches, whose Group tab has `loaded` of them in (one failed, one
/// read-only by config), at 13:05 Mexico City.
fn group_state(size: (u16, u16), lang: Lang, n: usize, loaded: usize) -> State {
    use gigdash::app::data::group_figures::TeamFigures;
    use rust_decimal::Decimal;
    let mut s = connected_state(size, lang, "b00");
    // The first eight places, as the branch fixtures name them.
    const PLACES: &[&str] = gigdash::app::fixtures::PLACES.split_at(8).0;
    let teams: Vec<gigdash::api::Team> = (0..n)
        .map(|i| {
            serde_json::from_value(serde_json::json!({
                "id": format!("team_b{i:02}"),
                "legal_name": format!("Doña Lupe {}", PLACES[i % PLACES.len()]),
                "tax_id": format!("DLU0101{i:02}AB1"),
            }))
            .unwrap()
        })
        .collect();
    s.read_only_teams.insert(team_id("b02"));
    update(&mut s, Msg::Worker(Box::new(Update::Teams(Ok(teams)))));
    let generation = s.asked.current(Asking::Group);
    for i in 0..loaded {
        let team = team_id(&format!("b{i:02}"));
        let result = if i == 1 {
            Err(ApiError::TeamNotFound {
                team: Some(team.clone()),
            })
        } else {
            let k = (i as i64 + 1) * 7919 % 1000;
            Ok(Box::new(TeamFigures {
                invoiced_month: Decimal::new(k * 1_234_567, 2),
                collected_month: Decimal::new(k * 987_654, 2),
                to_collect: (k % 13) as usize,
                to_collect_amount: Decimal::new(k * 45_678, 2),
                overdue_amount: Decimal::new(k * 1_234, 2),
                ppd_owed: Decimal::new(k * 5_555, 2),
                cancellations_waiting: (k % 3) as usize,
                invoices: 100,
                payments: 50,
                complements_owed: (k % 5) as usize,
                complements_late: (k % 2) as usize,
                complements_unknown: false,
            }))
        };
        update(
            &mut s,
            Msg::Worker(Box::new(Update::GroupRow {
                generation,
                team,
                result,
                // 2026-11-24 13:05 in Mexico City.
                now: 1_764_011_100,
            })),
        );
    }
    s.status = None;
    s
}

#[test]
fn group_tab_loading() {
    snap_both("group_loading", |size, l| group_state(size, l, 6, 0));
}

#[test]
fn group_tab_partly_loaded_with_an_error_row_and_totals() {
    snap_both("group_partly_loaded", |size, l| group_state(size, l, 8, 5));
}

#[test]
fn group_tab_complete_sorted_by_what_is_to_collect() {
    snap_both("group_sorted", |size, l| {
        let mut s = group_state(size, l, 8, 8);
        for _ in 0..4 {
            key(&mut s, 's');
        }
        s
    });
}

/// `state` with `n` rows, on the Payments tab in the all-teams scope, every fixture team's
/// `per_team` payments in.
fn all_teams_payments(size: (u16, u16), l: Lang, n: usize, per_team: usize) -> State {
    let mut s = state(size, n, l);
    key(&mut s, '4');
    key(&mut s, 'a');
    for tag in ["master", "coyoacan", "juriquilla"] {
        let rows = fixtures::payments_in(tag, per_team, l);
        deliver(&mut s, &team_id(tag), Rows::Payments(Arc::new(rows)));
    }
    s
}

#[test]
fn all_teams_payments_with_their_team_column() {
    snap_both("all_teams_payments", |size, l| {
        let mut s = all_teams_payments(size, l, 10, 6);
        s.status = None;
        s
    });
}

#[test]
fn bulk_confirmation_lists_each_team_with_its_rows_and_total() {
    snap_both("bulk_by_team", |size, l| {
        let mut s = all_teams_payments(size, l, 12, 12);
        // Every pending row of the table, then p.
        let pending: Vec<usize> = {
            let t = &s.scope.payments;
            (0..t.view.len())
                .filter(|p| t.rows[t.view[*p] as usize].row.status().is_uncollected())
                .collect()
        };
        for p in pending {
            s.scope.payments.selected = p;
            key(&mut s, ' ');
        }
        key(&mut s, 'p');
        // The key's roles: a viewer in one branch, so that branch is left out, named.
        let generation = s.asked.current(Asking::Roles);
        let roles = vec![
            (team_id("master"), Ok("admin".to_string())),
            (team_id("coyoacan"), Ok("viewer".to_string())),
            (team_id("juriquilla"), Ok("member".to_string())),
        ];
        update(
            &mut s,
            Msg::Worker(Box::new(Update::Roles { generation, roles })),
        );
        s.status = None;
        s
    });
}

#[test]
fn two_teams_of_the_same_name_are_told_apart_by_rfc() {
    let mut s = group_state((120, 30), Lang::En, 9, 9);
    // Teams 0 and 8 are both «Doña Lupe Matriz».
    let text = text(&draw(&s));
    // The brand in the title, each twin by its RFC.
    assert!(text.contains("Matriz (DLU010100AB1)"), "{text}");
    assert!(text.contains("Matriz (DLU010108AB1)"), "{text}");
    key(&mut s, '/');
    for c in "matriz".chars() {
        key(&mut s, c);
    }
    assert_eq!(gigdash::app::features::group::visible(&s).len(), 2);
}

#[test]
fn bulk_result_summary_team_by_team() {
    snap_both("bulk_result", |size, l| {
        let mut s = all_teams_payments(size, l, 12, 12);
        let pending: Vec<usize> = {
            let t = &s.scope.payments;
            (0..t.view.len())
                .filter(|p| t.rows[t.view[*p] as usize].row.status().is_uncollected())
                .take(3)
                .collect()
        };
        for p in pending {
            s.scope.payments.selected = p;
            key(&mut s, ' ');
        }
        key(&mut s, 'p');
        let generation = s.asked.current(Asking::Roles);
        let roles = ["master", "coyoacan", "juriquilla"]
            .iter()
            .map(|t| (team_id(t), Ok("admin".to_string())))
            .collect();
        update(
            &mut s,
            Msg::Worker(Box::new(Update::Roles { generation, roles })),
        );
        for k in [KeyCode::Tab, KeyCode::Tab] {
            update(&mut s, Msg::Key(KeyEvent::new(k, KeyModifiers::NONE)));
        }
        key(&mut s, 'y');
        let reqs = update(
            &mut s,
            Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
        );
        for (n, r) in reqs.into_iter().enumerate() {
            let gigdash::app::Request::Write { team, request, .. } = r else {
                continue;
            };
            let result = if n == 1 {
                Err(ApiError::RoleDenied {
                    team: Some(team.clone()),
                })
            } else {
                let gigdash::app::dialogs::kinds::WriteRequest::MarkPaid { payment_id, .. } =
                    &request
                else {
                    continue;
                };
                // The server's answer: the same payment, now collected by transfer.
                let row = s
                    .scope
                    .payments
                    .rows
                    .iter()
                    .find(|r| r.row.id() == payment_id)
                    .map(|r| r.row.clone())
                    .expect("the marked row");
                let p: gigdash::api::Payment = serde_json::from_value(serde_json::json!({
                    "id": payment_id, "status": "succeeded", "currency": "MXN",
                    "total": row.total.to_string(), "payment_form": "03",
                    "client": {"name": row.client()}, "invoices": [],
                    "created_at": row.created, "succeeded_at": row.created + 60,
                }))
                .unwrap();
                Ok(gigdash::app::WriteResult::Payment(Box::new(p)))
            };
            update(
                &mut s,
                Msg::Worker(Box::new(Update::WriteDone {
                    team,
                    request,
                    result,
                })),
            );
        }
        s
    });
}

#[test]
fn users_popup() {
    snap_both("users_popup", |size, l| {
        let mut s = state(size, 5, l);
        gigdash::app::update::run_command(&mut s, ":users");
        update(
            &mut s,
            Msg::Worker(Box::new(Update::Listing {
                team: team_id("master"),
                kind: gigdash::app::data::account::ListingKind::Users,
                result: Ok(vec![
                    vec![
                        "Ana López".into(),
                        "ana@donalupe.mx".into(),
                        "admin".into(),
                        String::new(),
                    ],
                    vec![
                        "Beto Ruiz".into(),
                        "beto@donalupe.mx".into(),
                        "member".into(),
                        String::new(),
                    ],
                    vec![
                        "Carla Núñez".into(),
                        "carla@donalupe.mx".into(),
                        "viewer".into(),
                        String::new(),
                    ],
                ]),
            })),
        );
        s.status = None;
        s
    });
}

#[test]
fn offline_from_the_store_with_its_age() {
    snap_both("offline_store", |size, lang| {
        let mut s = state(size, 30, lang);
        let team = s.current.clone().unwrap();
        update(
            &mut s,
            Msg::Worker(Box::new(Update::Offline { offline: true })),
        );
        update(
            &mut s,
            Msg::Worker(Box::new(Update::AsOf {
                team,
                at: Some(fixtures::NOW - 3600),
            })),
        );
        key(&mut s, '4');
        s
    });
}

#[test]
fn complements_owed() {
    snap_both("complements", |size, lang| {
        let mut s = fixtures::complements_state(size, lang);
        keys(
            &mut s,
            &format!(":{}", lang.pick("complements", "complementos")),
        );
        update(
            &mut s,
            Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
        );
        s
    });
}

#[test]
fn complement_dialog() {
    snap_both("complement_dialog", |size, lang| {
        let mut s = fixtures::complements_state(size, lang);
        keys(
            &mut s,
            &format!(":{}", lang.pick("complements", "complementos")),
        );
        for _ in 0..2 {
            update(
                &mut s,
                Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
            );
        }
        s
    });
}

#[test]
fn month_summary() {
    snap_both("month", |size, lang| {
        let mut s = state(size, 30, lang);
        keys(&mut s, &format!(":{}", lang.pick("month", "mes")));
        update(
            &mut s,
            Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
        );
        let d = |t: &str| t.parse::<rust_decimal::Decimal>().unwrap();
        let teams = [
            gigdash::report::TeamMonth {
                team: "team_a".into(),
                name: "Doña Lupe Polanco".into(),
                invoiced: d("2186549.65"),
                invoices: 412,
                collected: d("2151308.08"),
                payments: 380,
                cancelled: d("12400.00"),
                cancelled_invoices: 3,
                receipts_pending: 14,
                receipts_pending_amount: d("8120.40"),
                complements_owed: 6,
                complements_overdue: 1,
                clients_failing: Some(2),
                error: None,
            },
            gigdash::report::TeamMonth {
                team: "team_b".into(),
                name: "Doña Lupe Mérida Norte (nueva)".into(),
                ..Default::default()
            },
        ];
        let mut total = teams[0].clone();
        total.name = "Total".into();
        let rows = teams
            .iter()
            .chain(std::iter::once(&total))
            .map(|t| gigdash::report::short_cells(t, lang))
            .collect();
        let team = s.current.clone().unwrap();
        update(
            &mut s,
            Msg::Worker(Box::new(Update::Listing {
                team,
                kind: gigdash::app::data::account::ListingKind::Month,
                result: Ok(rows),
            })),
        );
        s
    });
}

#[test]
fn fiscal_check() {
    snap_both("fiscal", fixtures::fiscal_checked_state);
}

#[test]
fn invoice_detail_with_complements_owed() {
    snap_both("detail_complements_owed", |size, lang| {
        let mut s = fixtures::complements_state(size, lang);
        key(&mut s, '3');
        update(
            &mut s,
            Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
        );
        let invoice: Invoice = serde_json::from_value(serde_json::json!({
            "uuid": "inv-a", "status": "valid", "invoice_type": "I", "payment_method": "PPD",
            "payment_form": "99", "currency": "MXN", "total": "12000", "last_balance": "8000",
            "payment_complements": 1, "series": "B", "folio_number": 7,
            "client": {"name": "Abarrotes Olmeca"}, "created_at": fixtures::NOW - 90 * 86_400,
        }))
        .unwrap();
        let generation = s.asked.current(Asking::Team);
        update(
            &mut s,
            Msg::Worker(Box::new(Update::Detail {
                team: team_id("master"),
                generation,
                result: Ok(Detail::Invoice(Box::new(invoice))),
            })),
        );
        s
    });
}

#[test]
fn clients_with_the_fiscal_column() {
    snap_both("clients_fiscal", |size, lang| {
        let mut s = fixtures::fiscal_checked_state(size, lang);
        update(
            &mut s,
            Msg::Key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE)),
        );
        key(&mut s, '2');
        s
    });
}

#[test]
fn group_wide_shows_every_column() {
    for lang in [Lang::En, Lang::Es] {
        let s = group_state((170, 24), lang, 9, 9);
        let name = if lang == Lang::En {
            "group_wide"
        } else {
            "es_group_wide"
        };
        insta::assert_snapshot!(format!("{name}_170x24"), text(&draw(&s)));
    }
}

#[test]
fn stamp_receipts_dialog() {
    snap_both("stamp_receipts_dialog", |size, lang| {
        let mut s = state(size, 30, lang);
        key(&mut s, '2');
        keys(
            &mut s,
            &format!(":{}", lang.pick("stamp-receipts", "timbrar-recibos")),
        );
        update(
            &mut s,
            Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
        );
        s
    });
}

#[test]
fn receipts_tab() {
    snap_both("receipts", |size, lang| {
        let mut s = state(size, 30, lang);
        key(&mut s, '5');
        let team = s.current.clone().unwrap();
        deliver(
            &mut s,
            &team,
            Rows::Receipts(Arc::new(fixtures::receipts_in("master", 14, lang))),
        );
        s
    });
}

/// A field's error is drawn under the field it names (the form toolkit's `FieldError`),
/// not at the end of the dialog.
#[test]
fn a_field_error_shows_under_its_field() {
    let mut s = with_dialog((120, 40), 'p', '4', false, false, "");
    let code = |s: &mut State, c: KeyCode| {
        update(s, Msg::Key(KeyEvent::new(c, KeyModifiers::NONE)));
    };
    code(&mut s, KeyCode::Tab); // to the date
    update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL)),
    );
    keys(&mut s, "mañana");
    code(&mut s, KeyCode::Tab); // to the buttons
    key(&mut s, 'y');
    code(&mut s, KeyCode::Enter);
    assert!(matches!(s.popup, Popup::Action(_)), "the dialog stays open");
    let shown = text(&draw(&s));
    let lines: Vec<&str> = shown.lines().collect();
    let date = lines
        .iter()
        .position(|l| l.contains("Date (Mexico City)"))
        .expect("the date field");
    assert!(
        lines[date + 1].contains("✗ «mañana» is not a date"),
        "the error sits under the date:\n{shown}"
    );
    assert_eq!(
        shown.matches("✗ «mañana»").count(),
        1,
        "said once:\n{shown}"
    );
}

#[test]
fn month_amounts_stay_whole_at_80_columns() {
    for lang in [Lang::En, Lang::Es] {
        let mut s = state((80, 24), 30, lang);
        keys(&mut s, &format!(":{}", lang.pick("month", "mes")));
        update(
            &mut s,
            Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
        );
        let d = |t: &str| t.parse::<rust_decimal::Decimal>().unwrap();
        let big = gigdash::report::TeamMonth {
            team: "team_a".into(),
            name: "Doña Lupe Polanco Centro Histórico".into(),
            invoiced: d("13580246791.00"),
            invoices: 412_000,
            collected: d("12151308008.08"),
            payments: 380_000,
            cancelled: d("1240000.00"),
            cancelled_invoices: 3,
            receipts_pending: 14_000,
            receipts_pending_amount: d("8120.40"),
            complements_owed: 6_000,
            complements_overdue: 1_000,
            clients_failing: Some(2),
            error: None,
        };
        let rows = vec![gigdash::report::short_cells(&big, lang)];
        let team = s.current.clone().unwrap();
        update(
            &mut s,
            Msg::Worker(Box::new(Update::Listing {
                team,
                kind: gigdash::app::data::account::ListingKind::Month,
                result: Ok(rows),
            })),
        );
        let screen = text(&draw(&s));
        for amount in ["$13,580,246,791.00", "$12,151,308,008.08", "$1,240,000.00"] {
            assert!(screen.contains(amount), "{amount} whole:\n{screen}");
        }
    }
}

#[test]
fn the_header_says_when_the_keys_limit_is_shared_with_other_gigdash() {
    snap("header_limit_shared", |size| {
        let mut s = loaded_state(size, 12);
        update(&mut s, Msg::Worker(Box::new(Update::Sharing(2))));
        s
    });
    let mut s = loaded_state((120, 40), 12);
    update(&mut s, Msg::Worker(Box::new(Update::Sharing(2))));
    let shown = text(&draw(&s));
    let first = shown.lines().next().unwrap();
    assert!(
        first.contains("limit shared by 3"),
        "two others and this one: {first}"
    );
    update(&mut s, Msg::Worker(Box::new(Update::Sharing(0))));
    let first = text(&draw(&s)).lines().next().unwrap().to_string();
    assert!(!first.contains("shared"), "alone again: {first}");
}

/// The Group tab of 8 branches on its changes (`c`), answered: collected in two teams, a
/// failed payment, a new link, a cancelled invoice, a late complement, a client failing.
fn changes_state(size: (u16, u16), lang: Lang) -> State {
    use gigdash::app::data::changes::{ChangeItem, Changes, Column};
    use rust_decimal::Decimal;
    let mut s = group_state(size, lang, 8, 8);
    key(&mut s, 'c');
    let at = 1_796_640_000; // 2026-12-07 04:40 in Mexico City
    let item = |team: &str, column, dataset, id: &str, pesos: i64, label: &str| ChangeItem {
        team: team_id(team),
        column,
        dataset,
        id: id.into(),
        amount: Decimal::new(pesos, 2),
        seen: at,
        label: label.into(),
    };
    let items = vec![
        item(
            "b00",
            Column::Collected,
            Dataset::Payments,
            "payment_a1",
            116_000,
            "payment_a1 · Ferretería Núñez",
        ),
        item(
            "b00",
            Column::Collected,
            Dataset::Payments,
            "payment_a2",
            4_060_050,
            "payment_a2 · Público en General",
        ),
        item(
            "b00",
            Column::Failed,
            Dataset::Payments,
            "payment_a3",
            99_900,
            "payment_a3 · Abarrotes Zapoteca",
        ),
        item(
            "b03",
            Column::NewLinks,
            Dataset::Payments,
            "payment_b1",
            1_234_567,
            "payment_b1 · Constructora La Montaña",
        ),
        item(
            "b03",
            Column::Cancelled,
            Dataset::Invoices,
            "inv_b2",
            58_000,
            "F-1042 · María Hernández Castañeda",
        ),
        item(
            "b05",
            Column::LateComplements,
            Dataset::Payments,
            "payment_c1",
            25_000_000,
            "F-0988 · Turismo Extranjero · 2026-12-05",
        ),
        item(
            "b05",
            Column::ClientsFailing,
            Dataset::Clients,
            "client_c2",
            0,
            "Sofía Castañeda Peña · CAPS800101AB1",
        ),
        item(
            "b05",
            Column::Collected,
            Dataset::Payments,
            "payment_c3",
            1_999_999,
            "payment_c3 · Distribuidora Pacífico",
        ),
        // A team with only a receipt about to expire: a row, not a team that changed.
        item(
            "b06",
            Column::ExpiringReceipts,
            Dataset::Receipts,
            "receipt_r1",
            58_000,
            "Público en general · 2026-12-10 08:11",
        ),
    ];
    let generation = s.asked.current(Asking::Changes);
    update(
        &mut s,
        Msg::Worker(Box::new(Update::Changes {
            generation,
            result: Ok(Changes {
                since: 1_796_605_800, // 2026-12-06 19:10
                now: 1_796_650_000,
                last_session: true,
                items,
                capped: false,
            }),
        })),
    );
    s
}

#[test]
fn group_changes_since_the_last_session() {
    snap_both("group_changes", changes_state);
}

#[test]
fn group_changes_a_cells_documents() {
    snap_both("group_changes_list", |size, l| {
        let mut s = changes_state(size, l);
        // The third row by name (Centro, Coyoacán, Matriz) on the Collected column; Enter.
        keys(&mut s, "jj");
        update(
            &mut s,
            Msg::Key(KeyEvent::new(KeyCode::Right, KeyModifiers::NONE)),
        );
        update(
            &mut s,
            Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
        );
        assert!(matches!(s.popup, Popup::Changes(_)));
        s
    });
}

#[test]
fn group_changes_before_the_answer_and_when_the_store_has_none() {
    snap_both("group_changes_reading", |size, l| {
        let mut s = group_state(size, l, 8, 8);
        key(&mut s, 'c');
        s
    });
    snap_both("group_changes_no_store", |size, l| {
        let mut s = group_state(size, l, 8, 8);
        key(&mut s, 'c');
        let generation = s.asked.current(Asking::Changes);
        let why = l.pick(
            "What changed is kept by the store, and this run has none (store = false, or the built-in sandbox).",
            "Lo que cambió lo guarda el almacén, y esta ejecución no tiene (store = false, o el sandbox integrado).",
        );
        update(
            &mut s,
            Msg::Worker(Box::new(Update::Changes {
                generation,
                result: Err(why.into()),
            })),
        );
        s
    });
}

#[test]
fn a_client_without_an_rfc_shows_its_name_never_empty_parentheses() {
    let mut payment: gigdash::api::Payment = fixture("payment.json");
    if let Some(c) = payment.client.as_mut() {
        c.tax_id = None;
    }
    for size in SIZES {
        for l in [Lang::En, Lang::Es] {
            let s = with_detail(size, l, '4', Detail::Payment(Box::new(payment.clone())));
            let shown = text(&draw(&s));
            let line = shown
                .lines()
                .find(|x| x.contains(l.pick("Client", "Cliente")))
                .unwrap_or_else(|| panic!("a client line:\n{shown}"));
            assert!(!line.contains("()"), "{line}");
        }
    }
}

#[test]
fn twin_branch_names_without_an_rfc_are_told_apart_by_their_id() {
    let mut s = connected_state((120, 40), Lang::En, "b00");
    let teams: Vec<gigdash::api::Team> = ["team_x1", "team_x2", "team_x3"]
        .iter()
        .map(|id| {
            serde_json::from_value(serde_json::json!({
                "id": id,
                "legal_name": if *id == "team_x3" { "Otra" } else { "Doña Lupe Centro" },
            }))
            .unwrap()
        })
        .collect();
    update(&mut s, Msg::Worker(Box::new(Update::Teams(Ok(teams)))));
    assert!(s.group.open);
    let shown = text(&draw(&s));
    assert!(!shown.contains("()"), "{shown}");
    assert!(shown.contains("Centro (team_x1)"), "{shown}");
    assert!(shown.contains("Centro (team_x2)"), "{shown}");
}

#[test]
fn group_tab_and_its_changes_at_160_columns() {
    for l in [Lang::En, Lang::Es] {
        let tag = l.pick("en", "es");
        let s = group_state((160, 50), l, 8, 8);
        let shown = text(&draw(&s));
        // Nothing of the State column is cut: "loaded 13:05" whole on every loaded row.
        assert!(!shown.contains("loaded 13:0\n") && !shown.contains("cargado 13:0\n"));
        insta::assert_snapshot!(format!("group_160x50_{tag}"), shown);
        let s = changes_state((160, 50), l);
        insta::assert_snapshot!(format!("group_changes_160x50_{tag}"), text(&draw(&s)));
    }
}

/// `name` at 160×50 in English and (checked for English left on screen) in Spanish.
fn snap_160(name: &str, build: impl Fn((u16, u16), Lang) -> State) {
    let size = (160, 50);
    let en = build(size, Lang::En);
    insta::assert_snapshot!(format!("{name}_160x50"), text(&draw(&en)));
    let es = build(size, Lang::Es);
    let shown = text(&draw(&es));
    for word in ENGLISH {
        assert!(
            !has_word(&shown, word),
            "English «{word}» on the Spanish {name} screen at 160×50:\n{shown}"
        );
    }
    insta::assert_snapshot!(format!("es_{name}_160x50"), shown);
}

#[test]
fn the_screens_of_issue_22_at_160_columns() {
    snap_160("all_teams_payments", |size, l| {
        all_teams_payments(size, l, 10, 6)
    });
    snap_160("receipts", |size, l| {
        let mut s = state(size, 30, l);
        key(&mut s, '5');
        let team = s.current.clone().unwrap();
        deliver(
            &mut s,
            &team,
            Rows::Receipts(Arc::new(fixtures::receipts_in("master", 14, l))),
        );
        s
    });
    snap_160("complement_dialog", |size, l| {
        let mut s = fixtures::complements_state(size, l);
        keys(
            &mut s,
            &format!(":{}", l.pick("complements", "complementos")),
        );
        for _ in 0..2 {
            update(
                &mut s,
                Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
            );
        }
        s
    });
    let (_, tab, invoice) = details()[0].clone();
    snap_160("detail", |size, l| {
        with_detail(size, l, tab, invoice.clone())
    });
}

/// A window with more changes than one read takes: the title says only the newest are
/// counted, at every width and in both languages.
#[test]
fn group_changes_cut_to_the_newest_say_so() {
    for (lang, words) in [
        (Lang::En, "the newest 50,000 only"),
        (Lang::Es, "solo los 50,000 más recientes"),
    ] {
        for size in [(80, 24), (120, 40), (160, 50)] {
            let mut s = changes_state(size, lang);
            if let Some(shown) = s.group.changes.shown.as_mut() {
                shown.capped = true;
            }
            let screen = text(&draw(&s));
            let title = screen.lines().nth(2).unwrap();
            assert!(title.contains(words), "{size:?}: {title}");
        }
    }
}

/// Twelve branches read (the sandbox's spread of CSDs, credits and integrations), branch 4
/// with another unit key and a member key's failure on branch 9's members.
fn branches_tab(size: (u16, u16), lang: Lang) -> State {
    gigdash::app::fixtures::branches_state(size, lang, 12, 12, |i, c| {
        if i == 4 {
            c.settings.as_mut().unwrap()["unit_key"] = serde_json::json!("H87");
        }
        if i == 9 {
            c.members = Err("403: Your role does not allow this action".into());
        }
    })
}

/// `branches_tab` with branch 3 the reference (`R` on it).
fn branches_with_reference(size: (u16, u16), lang: Lang) -> State {
    let mut s = branches_tab(size, lang);
    let pos = gigdash::app::features::branches::visible(&s)
        .iter()
        .position(|t| t.as_str() == "team_b03")
        .unwrap();
    for _ in 0..pos {
        update(
            &mut s,
            Msg::Key(KeyEvent::new(KeyCode::Down, KeyModifiers::NONE)),
        );
    }
    key(&mut s, 'R');
    s
}

#[test]
fn branches_tab_loading_and_read() {
    snap_both("branches_loading", |size, l| {
        gigdash::app::fixtures::branches_state(size, l, 6, 2, |_, _| {})
    });
    snap_both("branches", branches_tab);
}

#[test]
fn branches_reference_marks_cells_and_drift_lists_them() {
    snap_both("branches_reference", branches_with_reference);
    snap_both("branches_drift", |size, l| {
        let mut s = branches_with_reference(size, l);
        gigdash::app::update::run_command(&mut s, "drift");
        s
    });
}

#[test]
fn branches_enter_shows_a_teams_whole_configuration() {
    snap_both("branches_config", |size, l| {
        let mut s = branches_tab(size, l);
        update(
            &mut s,
            Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
        );
        s
    });
}

/// `branches_tab` with three teams marked and `:add-member` asked (branch 6 already has
/// the user), the roles not answered yet.
fn branches_add_member(size: (u16, u16), lang: Lang) -> State {
    let mut s = gigdash::app::fixtures::branches_state(size, lang, 12, 12, |i, c| {
        if i == 6 {
            let mut m = c.members.clone().unwrap();
            m.as_array_mut().unwrap().push(
                serde_json::json!({"id": "user_ana", "email": "ana@donalupe.mx", "role": "viewer"}),
            );
            c.members = Ok(m);
        }
    });
    for id in ["team_b01", "team_b04", "team_b06", "team_b09"] {
        let pos = gigdash::app::features::branches::visible(&s)
            .iter()
            .position(|t| t.as_str() == id)
            .unwrap();
        s.branches.selected = pos;
        key(&mut s, ' ');
    }
    gigdash::app::update::run_command(&mut s, "add-member user_ana editor");
    s
}

#[test]
fn branches_marked_teams_and_the_confirmation_of_a_change_to_them() {
    snap_both("branches_marked", |size, l| {
        let mut s = branches_add_member(size, l);
        s.popup = gigdash::app::state::Popup::None;
        s.status = None;
        s
    });
    snap_both("branches_add_member", branches_add_member);
}

/// `branches_tab` with branch 3 the reference and `:new-branch` typed in part.
fn new_branch_form(size: (u16, u16), lang: Lang) -> State {
    let mut s = branches_with_reference(size, lang);
    s.status = None;
    gigdash::app::update::run_command(&mut s, "new-branch");
    keys(&mut s, "Doña Lupe Nueva");
    update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
    );
    keys(&mut s, "Doña Lupe Nueva SA de CV");
    s
}

/// The new-branch form filled and sent from the key's own team: what `update()` makes of
/// the answer (one step failed, the onboarding link and its QR code).
fn new_branch_made(size: (u16, u16), lang: Lang) -> State {
    use gigdash::app::dialogs::kinds::{BranchMade, CreateBody, WriteRequest};
    let mut s = branches_with_reference(size, lang);
    s.status = None;
    gigdash::app::update::run_command(&mut s, "new-branch");
    let enter = |s: &mut State| {
        update(
            s,
            Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
        )
    };
    keys(&mut s, "Doña Lupe Nueva");
    enter(&mut s);
    keys(&mut s, "Doña Lupe Nueva SA de CV");
    enter(&mut s);
    keys(
        &mut s,
        &gigdash::app::form::rfc::with_check_digit("DLN010101AB"),
    );
    enter(&mut s);
    enter(&mut s);
    keys(&mut s, "06700");
    enter(&mut s);
    key(&mut s, 'y');
    let reqs = enter(&mut s);
    let (team, request) = reqs
        .into_iter()
        .find_map(|r| match r {
            gigdash::app::Request::Write { team, request, .. } => Some((team, request)),
            _ => None,
        })
        .expect("the new branch sent");
    let WriteRequest::Create(c) = &request else {
        panic!("{request:?}")
    };
    let CreateBody::NewBranch(b) = &c.body else {
        panic!("{c:?}")
    };
    let made = BranchMade {
        team: gigdash::api::TeamId::new("team_nueva"),
        name: b.name.clone(),
        steps: b
            .steps
            .iter()
            .map(|st| {
                let r = if *st == gigdash::app::dialogs::kinds::BranchStep::Series("B".into()) {
                    Err(ApiError::Timeout)
                } else {
                    Ok(())
                };
                (st.clone(), r)
            })
            .collect(),
        url: Some("https://app.gigstack.pro/onboarding?team=team_nueva".into()),
    };
    update(
        &mut s,
        Msg::Worker(Box::new(Update::WriteDone {
            team,
            request,
            result: Ok(gigdash::app::WriteResult::Branch(Box::new(made))),
        })),
    );
    s
}

/// `:apply-setting` on four marked teams, one not read and one where the key is a member:
/// the confirmation once the roles are in.
fn apply_setting_confirmation(size: (u16, u16), lang: Lang) -> State {
    let mut s = gigdash::app::fixtures::branches_state(size, lang, 8, 7, |i, c| {
        if i == 3 {
            c.settings.as_mut().unwrap()["unit_key"] = serde_json::json!("H87");
        }
    });
    let select = |s: &mut State, id: &str| {
        s.branches.selected = gigdash::app::features::branches::visible(s)
            .iter()
            .position(|t| t.as_str() == id)
            .unwrap();
    };
    select(&mut s, "team_b03");
    key(&mut s, 'R');
    for id in ["team_b00", "team_b01", "team_b05", "team_b07"] {
        select(&mut s, id);
        key(&mut s, ' ');
    }
    let reqs = gigdash::app::update::run_command(&mut s, "apply-setting unit_key");
    let (generation, teams) = reqs
        .iter()
        .find_map(|r| match r {
            gigdash::app::Request::CheckRoles { generation, teams } => {
                Some((*generation, teams.clone()))
            }
            _ => None,
        })
        .unwrap();
    let roles = teams
        .into_iter()
        .map(|t| {
            let role = if t.as_str() == "team_b05" {
                "member"
            } else {
                "admin"
            };
            (t, Ok(role.to_string()))
        })
        .collect();
    update(
        &mut s,
        Msg::Worker(Box::new(Update::Roles { generation, roles })),
    );
    s
}

#[test]
fn a_new_branch_form_and_what_it_made() {
    snap_both("new_branch_form", new_branch_form);
    snap_both("new_branch_made", new_branch_made);
    // An RFC that is already a team of the account: said under the field.
    snap_both("new_branch_rfc_taken", |size, l| {
        let mut s = new_branch_form(size, l);
        let taken = s.teams[2].rfc.clone();
        update(
            &mut s,
            Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
        );
        keys(&mut s, &taken);
        // Past the RFC and the regime, to the postal code.
        for _ in 0..2 {
            update(
                &mut s,
                Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
            );
        }
        keys(&mut s, "06700");
        update(
            &mut s,
            Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
        );
        key(&mut s, 'y');
        update(
            &mut s,
            Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
        );
        s
    });
}

#[test]
fn branches_apply_setting_confirmation_once_the_roles_are_in() {
    snap_both("branches_apply_setting", apply_setting_confirmation);
}
