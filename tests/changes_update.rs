//! "Since you last looked" through `update()`: `c` asks for the changes and shows them, the
//! answer fills the cells and the header, an older answer is dropped, ←/→ move the column,
//! Enter lists the documents behind the cell and Enter on one goes to it, `:since`, and
//! the filter typed again after Esc starts empty.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use gigdash::api::{Team, TeamId};
use gigdash::app::data::changes::{ChangeItem, Changes, Column};
use gigdash::app::state::{Asking, Popup};
use gigdash::app::{Dataset, Msg, Request, State, Update, update};
use rust_decimal::Decimal;
use serde_json::json;

fn teams(n: usize) -> Vec<Team> {
    (0..n)
        .map(|i| {
            serde_json::from_value(json!({
                "id": format!("team_{i:02}"),
                "legal_name": format!("Sucursal {i:02}"),
                "tax_id": format!("SUC0101{i:02}AB1"),
            }))
            .unwrap()
        })
        .collect()
}

fn key(s: &mut State, code: KeyCode) -> Vec<Request> {
    update(s, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn typed(s: &mut State, text: &str) {
    for c in text.chars() {
        key(s, KeyCode::Char(c));
    }
}

fn started(n: usize) -> State {
    let mut s = State::new((120, 40));
    update(&mut s, Msg::Worker(Box::new(Update::Teams(Ok(teams(n))))));
    s
}

fn item(team: &str, column: Column, id: &str, pesos: i64, seen: i64) -> ChangeItem {
    ChangeItem {
        team: TeamId::new(team),
        column,
        dataset: match column {
            Column::NewInvoices | Column::Cancelled => Dataset::Invoices,
            Column::ClientsFailing => Dataset::Clients,
            _ => Dataset::Payments,
        },
        id: id.into(),
        amount: Decimal::new(pesos, 0),
        seen,
        label: format!("label of {id}"),
    }
}

fn answer(s: &mut State, items: Vec<ChangeItem>, last_session: bool) {
    let generation = s.asked.current(Asking::Changes);
    update(
        s,
        Msg::Worker(Box::new(Update::Changes {
            generation,
            result: Ok(Changes {
                since: 1_796_600_000,
                now: 1_796_650_000,
                last_session,
                items,
                capped: false,
            }),
        })),
    );
}

fn asked_since(reqs: &[Request]) -> Option<Option<String>> {
    reqs.iter().find_map(|r| match r {
        Request::LoadChanges { since, .. } => Some(since.clone()),
        _ => None,
    })
}

#[test]
fn the_first_team_list_asks_what_changed_since_the_last_session() {
    let mut s = State::new((120, 40));
    let reqs = update(&mut s, Msg::Worker(Box::new(Update::Teams(Ok(teams(3))))));
    assert_eq!(asked_since(&reqs), Some(None), "{reqs:?}");
    // The answer names how many teams changed, for the header.
    answer(
        &mut s,
        vec![
            item("team_00", Column::Collected, "pay_1", 100, 1_796_640_000),
            item("team_02", Column::Failed, "pay_2", 50, 1_796_640_100),
            item("team_02", Column::Collected, "pay_3", 70, 1_796_640_200),
        ],
        true,
    );
    assert_eq!(
        s.group.changes.header,
        Some((2, 1_796_600_000, 1_796_650_000))
    );
    // The view stays on the month until `c`.
    assert!(!s.group.changes.on);
}

#[test]
fn c_shows_the_changes_per_team_and_c_again_the_month() {
    let mut s = started(3);
    assert!(s.group.open);
    let reqs = key(&mut s, KeyCode::Char('c'));
    assert!(s.group.changes.on);
    assert_eq!(asked_since(&reqs), Some(None));
    assert!(s.group.changes.loading);
    answer(
        &mut s,
        vec![
            item("team_01", Column::Collected, "pay_1", 100, 1_796_640_000),
            item("team_01", Column::Collected, "pay_2", 250, 1_796_640_100),
            item("team_01", Column::Cancelled, "inv_1", 40, 1_796_640_200),
        ],
        true,
    );
    let cells = &s.group.changes.cells[&TeamId::new("team_01")];
    assert_eq!(cells[Column::Collected.index()].count, 2);
    assert_eq!(
        cells[Column::Collected.index()].amount,
        Decimal::new(350, 0)
    );
    assert_eq!(cells[Column::Cancelled.index()].count, 1);
    assert!(!s.group.changes.cells.contains_key(&TeamId::new("team_00")));
    assert!(!s.group.changes.loading);
    let reqs = key(&mut s, KeyCode::Char('c'));
    assert!(!s.group.changes.on);
    assert_eq!(asked_since(&reqs), None, "the month needs no request");
}

#[test]
fn an_older_answer_is_dropped() {
    let mut s = started(3);
    key(&mut s, KeyCode::Char('c'));
    let old = s.asked.current(Asking::Changes);
    update(
        &mut s,
        gigdash::app::Msg::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::NONE)),
    );
    key(&mut s, KeyCode::Char('c'));
    assert!(s.asked.current(Asking::Changes) > old);
    update(
        &mut s,
        Msg::Worker(Box::new(Update::Changes {
            generation: old,
            result: Ok(Changes {
                since: 1,
                now: 2,
                last_session: false,
                items: vec![item("team_00", Column::Failed, "pay_9", 1, 1)],
                capped: false,
            }),
        })),
    );
    assert!(
        s.group.changes.shown.is_none(),
        "an old answer is not shown"
    );
}

#[test]
fn enter_on_a_cell_lists_its_documents_newest_first_and_enter_goes_to_one() {
    let mut s = started(3);
    key(&mut s, KeyCode::Char('c'));
    answer(
        &mut s,
        vec![
            item("team_00", Column::Collected, "pay_old", 100, 1_796_640_000),
            item("team_00", Column::Failed, "pay_failed", 20, 1_796_640_050),
            item("team_00", Column::Collected, "pay_new", 200, 1_796_640_100),
            item(
                "team_01",
                Column::Collected,
                "pay_other",
                300,
                1_796_640_100,
            ),
        ],
        true,
    );
    // The first row is team_00 (sorted by name); → to Collected.
    key(&mut s, KeyCode::Right);
    assert_eq!(s.group.changes.column, 1);
    key(&mut s, KeyCode::Enter);
    let Popup::Changes(list) = &s.popup else {
        panic!("a list: {:?}", s.popup)
    };
    let ids: Vec<&str> = list.items.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(ids, ["pay_new", "pay_old"]);
    assert!(list.title.contains("Collected since"), "{}", list.title);
    // ↓ then Enter: the older payment, in its team's Payments tab.
    key(&mut s, KeyCode::Down);
    key(&mut s, KeyCode::Enter);
    assert!(matches!(s.popup, Popup::None));
    assert!(!s.group.open, "the Group tab was left for the team");
    assert_eq!(s.current, Some(TeamId::new("team_00")));
    assert_eq!(
        s.jump,
        Some((TeamId::new("team_00"), Dataset::Payments, "pay_old".into()))
    );
}

#[test]
fn on_the_team_column_enter_lists_every_change_of_the_team_and_left_stops_there() {
    let mut s = started(3);
    key(&mut s, KeyCode::Char('c'));
    answer(
        &mut s,
        vec![
            item("team_00", Column::Collected, "pay_1", 100, 1_796_640_000),
            item("team_00", Column::Cancelled, "inv_1", 20, 1_796_640_050),
        ],
        true,
    );
    key(&mut s, KeyCode::Left);
    assert_eq!(s.group.changes.column, 0);
    key(&mut s, KeyCode::Enter);
    let Popup::Changes(list) = &s.popup else {
        panic!("a list")
    };
    assert_eq!(list.items.len(), 2);
    key(&mut s, KeyCode::Esc);
    // Past the last column the cursor stays on it.
    for _ in 0..20 {
        key(&mut s, KeyCode::Right);
    }
    assert_eq!(s.group.changes.column, Column::ALL.len());
}

#[test]
fn an_empty_cell_says_so_and_opens_nothing() {
    let mut s = started(3);
    key(&mut s, KeyCode::Char('c'));
    answer(&mut s, vec![], true);
    key(&mut s, KeyCode::Right);
    key(&mut s, KeyCode::Enter);
    assert!(matches!(s.popup, Popup::None));
    let status = s.status.as_ref().unwrap().text.clone();
    assert!(status.contains("nothing in Collected"), "{status}");
}

#[test]
fn columns_move_only_in_the_changes() {
    let mut s = started(3);
    key(&mut s, KeyCode::Right);
    assert_eq!(s.group.changes.column, 0);
    let status = s.status.as_ref().unwrap().text.clone();
    assert!(status.contains("c shows them"), "{status}");
}

#[test]
fn since_asks_for_that_moment_and_a_refusal_is_said() {
    let mut s = started(3);
    let reqs = gigdash::app::update::run_command(&mut s, ":since lunes");
    assert_eq!(asked_since(&reqs), Some(Some("lunes".into())));
    assert!(s.group.changes.on);
    let generation = s.asked.current(Asking::Changes);
    update(
        &mut s,
        Msg::Worker(Box::new(Update::Changes {
            generation,
            result: Err("«mañanita» is not a moment".into()),
        })),
    );
    assert!(s.status.as_ref().unwrap().error);
    assert!(s.group.changes.error.is_some());
    let reqs = gigdash::app::update::run_command(&mut s, ":since");
    assert_eq!(
        asked_since(&reqs),
        Some(None),
        "alone: the last session again"
    );
}

#[test]
fn from_a_team_c_opens_the_group_tab_on_the_changes() {
    let mut s = started(3);
    update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::Char('1'), KeyModifiers::NONE)),
    );
    assert!(!s.group.open);
    let reqs = key(&mut s, KeyCode::Char('c'));
    assert!(s.group.open && s.group.changes.on);
    assert!(asked_since(&reqs).is_some());
}

#[test]
fn a_filter_typed_again_after_esc_starts_empty() {
    let mut s = started(3);
    key(&mut s, KeyCode::Char('c'));
    key(&mut s, KeyCode::Char('/'));
    typed(&mut s, "Sucursal 01");
    key(&mut s, KeyCode::Enter);
    assert_eq!(s.group.filter, "Sucursal 01");
    key(&mut s, KeyCode::Esc);
    assert_eq!(s.group.filter, "");
    key(&mut s, KeyCode::Char('/'));
    typed(&mut s, "Sucursal 02");
    key(&mut s, KeyCode::Enter);
    assert_eq!(s.group.filter, "Sucursal 02");
}

/// The table needs no document: the answer's items come unlabelled, Enter on a cell asks
/// the worker for the labels of that cell's items only, and their arrival fills the list
/// (and the answer kept: the list opened again asks nothing). A late answer, after the
/// list was opened again and asked anew, is dropped.
#[test]
fn a_lists_labels_are_asked_when_it_opens_and_fill_it_when_they_come() {
    let mut s = started(3);
    key(&mut s, KeyCode::Char('c'));
    let bare = |mut i: ChangeItem| {
        i.label.clear();
        i
    };
    answer(
        &mut s,
        vec![
            bare(item(
                "team_00",
                Column::Collected,
                "pay_1",
                100,
                1_796_640_000,
            )),
            bare(item(
                "team_00",
                Column::Cancelled,
                "inv_1",
                20,
                1_796_640_050,
            )),
            bare(item(
                "team_01",
                Column::Collected,
                "pay_2",
                30,
                1_796_640_060,
            )),
        ],
        true,
    );
    key(&mut s, KeyCode::Right);
    let reqs = key(&mut s, KeyCode::Enter);
    let [Request::LabelChanges { generation, items }] = reqs.as_slice() else {
        panic!("the labels asked: {reqs:?}")
    };
    let asked: Vec<&str> = items.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(asked, ["pay_1"], "the cell's items only");
    let (first, mut labelled) = (*generation, items.clone());
    // Opened again before the answer: asked anew, the first answer is no longer wanted.
    key(&mut s, KeyCode::Esc);
    let again = key(&mut s, KeyCode::Enter);
    let [Request::LabelChanges { generation, .. }] = again.as_slice() else {
        panic!("asked again: {again:?}")
    };
    let second = *generation;
    labelled[0].label = "payment_1 · Ferretería Núñez".into();
    update(
        &mut s,
        Msg::Worker(Box::new(Update::ChangeLabels {
            generation: first,
            items: labelled.clone(),
        })),
    );
    let Popup::Changes(list) = &s.popup else {
        panic!("a list")
    };
    assert_eq!(list.items[0].label, "", "a late answer is dropped");
    update(
        &mut s,
        Msg::Worker(Box::new(Update::ChangeLabels {
            generation: second,
            items: labelled,
        })),
    );
    let Popup::Changes(list) = &s.popup else {
        panic!("a list")
    };
    assert_eq!(list.items[0].label, "payment_1 · Ferretería Núñez");
    // Kept with the answer: opened again, nothing to ask.
    key(&mut s, KeyCode::Esc);
    let reqs = key(&mut s, KeyCode::Enter);
    assert!(
        !reqs
            .iter()
            .any(|r| matches!(r, Request::LabelChanges { .. })),
        "{reqs:?}"
    );
    let Popup::Changes(list) = &s.popup else {
        panic!("a list")
    };
    assert_eq!(list.items[0].label, "payment_1 · Ferretería Núñez");
}
