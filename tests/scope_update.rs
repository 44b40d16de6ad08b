//! The all-teams scope (`a`) through `update()`: every team asked for its own rows, a Team
//! column, filter and sort across teams, detail and downloads of the row's own team, marks
//! that bulk-write one request per row tagged with its team, and the ways back.

use gigdash::app::state::Asking;
use std::sync::Arc;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use gigdash::app::data::documents::Row;
use gigdash::app::dialogs::kinds::WriteRequest;
use gigdash::app::fixtures::{self, loaded_state, team_id};
use gigdash::app::state::Popup;
use gigdash::app::{Dataset, Msg, Request, Rows, State, Update, update};

fn key(s: &mut State, c: char) -> Vec<Request> {
    update(
        s,
        Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)),
    )
}

fn code(s: &mut State, c: KeyCode) -> Vec<Request> {
    update(s, Msg::Key(KeyEvent::new(c, KeyModifiers::NONE)))
}

/// A complete dataset for any team, as the worker answers a scoped load.
fn page(s: &mut State, tag: &str, rows: Rows) {
    let generation = s.asked.current(Asking::Team);
    update(
        s,
        Msg::Worker(Box::new(Update::Page {
            team: team_id(tag),
            generation,
            rows,
            first: true,
            done: true,
            total: None,
            now: fixtures::NOW,
            cached_age: Some(3),
        })),
    );
}

/// Payments of the three fixture teams, in the all-teams scope.
fn all_payments() -> State {
    let mut s = loaded_state((120, 40), 12);
    key(&mut s, '4');
    let reqs = key(&mut s, 'a');
    assert!(s.scope.on);
    let asked: Vec<String> = reqs
        .iter()
        .filter_map(|r| match r {
            Request::Load {
                team,
                dataset: Dataset::Payments,
                ..
            } => Some(team.to_string()),
            _ => None,
        })
        .collect();
    assert_eq!(asked, ["team_coyoacan", "team_juriquilla", "team_master"]);
    for tag in ["master", "coyoacan", "juriquilla"] {
        page(
            &mut s,
            tag,
            Rows::Payments(Arc::new(fixtures::payments(tag, 12))),
        );
    }
    s
}

#[test]
fn every_team_is_asked_for_its_own_rows_and_they_share_one_table_with_a_team_column() {
    let s = all_payments();
    let t = &s.scope.payments;
    assert_eq!(t.rows.len(), 36);
    let teams: std::collections::BTreeSet<&str> = t.rows.iter().map(|r| r.team.as_str()).collect();
    assert_eq!(teams.len(), 3);
    assert_eq!(
        t.selected_row().unwrap().cell(0),
        &*t.selected_row().unwrap().team_name
    );
    assert_eq!(gigdash::app::features::scope::progress(&s), Some((3, 3)));
}

#[test]
fn the_filter_and_sort_work_across_teams() {
    let mut s = all_payments();
    key(&mut s, '/');
    for c in "juriquilla".chars() {
        key(&mut s, c);
    }
    code(&mut s, KeyCode::Enter);
    let t = &s.scope.payments;
    assert_eq!(t.view.len(), 12, "the team's name is searchable");
    assert!(
        t.view
            .iter()
            .all(|i| t.rows[*i as usize].team.as_str() == "team_juriquilla")
    );
    code(&mut s, KeyCode::Esc);
    // Sort by the Team column: teams together.
    for _ in 0..6 {
        key(&mut s, 's');
    }
    let t = &s.scope.payments;
    assert_eq!(t.sort.0, 0, "{:?}", t.sort);
    let order: Vec<&str> = t
        .view
        .iter()
        .map(|i| t.rows[*i as usize].team.as_str())
        .collect();
    let mut runs = order.clone();
    runs.dedup();
    assert_eq!(runs.len(), 3, "one run per team: {runs:?}");
}

#[test]
fn detail_and_download_use_the_rows_own_team() {
    let mut s = all_payments();
    // Enter on a row of a team other than the current one: only then does asking the
    // row's team differ from asking the current team.
    let current = s.current.clone().unwrap();
    let t = &s.scope.payments;
    let pos = t
        .view
        .iter()
        .position(|i| t.rows[*i as usize].team != current)
        .expect("a payment of another team");
    s.scope.payments.selected = pos;
    let row = s.scope.payments.selected_row().unwrap();
    let (team, id) = (row.team.clone(), row.id().to_string());
    assert_ne!(team, current);
    let reqs = code(&mut s, KeyCode::Enter);
    assert!(
        reqs.iter()
            .any(|r| matches!(r, Request::Detail { team: t, dataset: Dataset::Payments, .. } if *t == team)),
        "{reqs:?}"
    );
    let details: Vec<_> = reqs
        .iter()
        .filter_map(|r| match r {
            Request::Detail { team, id, .. } => Some((team.clone(), id.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(
        details,
        [(team.clone(), id)],
        "one detail, of the row's own team: {reqs:?}"
    );
    let generation = s.asked.current(Asking::Team);
    update(
        &mut s,
        Msg::Worker(Box::new(Update::Detail {
            team: team.clone(),
            generation,
            result: Err(gigdash::api::ApiError::Timeout),
        })),
    );
    let Popup::Detail(d) = &s.popup else { panic!() };
    assert!(
        d.result.is_some(),
        "another team's detail is shown in the scope"
    );
    code(&mut s, KeyCode::Esc);

    // `d` on the Invoices tab: a row of a team other than the current one downloads from,
    // and into the folder of, that row's team.
    let reqs = key(&mut s, '3');
    assert!(s.scope.on, "the scope stays on all teams");
    let asked: Vec<String> = reqs
        .iter()
        .filter_map(|r| match r {
            Request::Load {
                team,
                dataset: Dataset::Invoices,
                ..
            } => Some(team.to_string()),
            _ => None,
        })
        .collect();
    assert_eq!(asked, ["team_coyoacan", "team_juriquilla", "team_master"]);
    for tag in ["master", "coyoacan", "juriquilla"] {
        page(
            &mut s,
            tag,
            Rows::Invoices(Arc::new(fixtures::invoices(tag, 12))),
        );
    }
    let current = s.current.clone().unwrap();
    let t = &s.scope.invoices;
    assert_eq!(t.rows.len(), 36);
    let pos = t
        .view
        .iter()
        .position(|i| t.rows[*i as usize].team != current)
        .expect("an invoice of another team");
    s.scope.invoices.selected = pos;
    let row = s.scope.invoices.selected_row().unwrap();
    let (team, team_name, uuid) = (
        row.team.clone(),
        row.team_name.to_string(),
        row.row.uuid().to_string(),
    );
    assert_ne!(team, current);
    let own_name = fixtures::teams()
        .into_iter()
        .find(|t| t.id == team)
        .unwrap()
        .display_name()
        .to_string();
    assert_eq!(team_name, own_name, "the row carries its team's name");
    let reqs = key(&mut s, 'd');
    let downloads: Vec<_> = reqs
        .iter()
        .filter_map(|r| match r {
            Request::Download {
                team,
                team_name,
                uuid,
                ..
            } => Some((team.clone(), team_name.clone(), uuid.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(
        downloads,
        [(team, team_name, uuid)],
        "one download, of the row's own team: {reqs:?}"
    );
}

#[test]
fn marks_in_three_teams_bulk_write_one_request_per_payment_each_tagged_with_its_team() {
    let mut s = all_payments();
    // Pending payments of every team, from the all-teams table.
    let t = &s.scope.payments;
    let mut picks: Vec<usize> = Vec::new();
    for tag in ["team_master", "team_coyoacan", "team_juriquilla"] {
        let pos = t
            .view
            .iter()
            .position(|i| {
                let r = &t.rows[*i as usize];
                r.team.as_str() == tag && r.row.status().is_uncollected()
            })
            .expect("a pending payment in each team");
        picks.push(pos);
    }
    let mut expected = Vec::new();
    for pos in picks {
        s.scope.payments.selected = pos;
        let r = s.scope.payments.selected_row().unwrap();
        expected.push((r.team.clone(), r.id().to_string()));
        key(&mut s, ' ');
    }
    key(&mut s, 'p');
    let Popup::Action(d) = &s.popup else {
        panic!("a bulk dialog: {:?}", s.status)
    };
    assert_eq!(d.bulk().unwrap().items.len(), 3);
    // Confirm: Tab to the buttons, Yes, Enter.
    code(&mut s, KeyCode::Tab);
    code(&mut s, KeyCode::Tab);
    key(&mut s, 'y');
    let reqs = code(&mut s, KeyCode::Enter);
    let mut sent: Vec<(gigdash::api::TeamId, String)> = reqs
        .iter()
        .filter_map(|r| match r {
            Request::Write {
                team,
                request: WriteRequest::MarkPaid { payment_id, .. },
                ..
            } => Some((team.clone(), payment_id.clone())),
            _ => None,
        })
        .collect();
    sent.sort();
    expected.sort();
    assert_eq!(
        sent, expected,
        "one write per payment, each to its own team"
    );
}

/// Defect (issue 19): after a bulk mark-paid in the all-teams scope the rows stayed marked
/// and the paid ones still said `pending` — the all-teams table's marks and rows were never
/// updated. The teams' tables are the one source of marks; answers replace rows in both.
#[test]
fn a_bulk_mark_paid_across_teams_shows_the_new_status_and_leaves_nothing_marked() {
    let mut s = all_payments();
    let mut ids = Vec::new();
    for tag in ["team_master", "team_coyoacan", "team_juriquilla"] {
        let t = &s.scope.payments;
        let pos = t
            .view
            .iter()
            .position(|i| {
                let r = &t.rows[*i as usize];
                r.team.as_str() == tag && r.row.status().is_uncollected()
            })
            .expect("a pending payment in each team");
        s.scope.payments.selected = pos;
        ids.push(s.scope.payments.selected_row().unwrap().id().to_string());
        key(&mut s, ' ');
    }
    assert_eq!(s.scope.payments.marked.len(), 3, "three marks shown");
    key(&mut s, 'p');
    code(&mut s, KeyCode::Tab);
    code(&mut s, KeyCode::Tab);
    key(&mut s, 'y');
    let reqs = code(&mut s, KeyCode::Enter);
    assert!(
        s.scope.payments.marked.is_empty(),
        "sent rows are unmarked at once"
    );
    assert!(s.views.values().all(|v| v.payments.marked.is_empty()));
    let mut answered = 0;
    for r in reqs {
        let Request::Write {
            team,
            request: request @ WriteRequest::MarkPaid { .. },
            ..
        } = r
        else {
            continue;
        };
        let id = request.object_id().to_string();
        let p: gigdash::api::Payment = serde_json::from_value(serde_json::json!({
            "id": id, "status": "succeeded", "currency": "MXN", "total": "10.00",
        }))
        .unwrap();
        update(
            &mut s,
            Msg::Worker(Box::new(Update::WriteDone {
                team,
                request,
                result: Ok(gigdash::app::WriteResult::Payment(Box::new(p))),
            })),
        );
        answered += 1;
    }
    assert_eq!(answered, 3);
    for id in &ids {
        let row = s
            .scope
            .payments
            .rows
            .iter()
            .find(|r| r.id() == id.as_str())
            .expect("the row stays in the all-teams table");
        assert_eq!(
            row.row.status(),
            gigdash::api::PaymentStatus::Succeeded,
            "{id} shows its new status in the all-teams table"
        );
    }
    assert!(s.scope.payments.marked.is_empty(), "nothing stays marked");
}

#[test]
fn single_writes_and_refunds_point_to_marks_or_the_team() {
    let mut s = all_payments();
    key(&mut s, 'p');
    let st = s.status.clone().unwrap();
    assert!(st.error && st.text.contains("Space"), "{}", st.text);
    key(&mut s, 'R');
    assert!(s.status.clone().unwrap().text.contains("Enter opens"));
}

#[test]
fn a_again_or_a_team_switch_goes_back_to_one_team() {
    let mut s = all_payments();
    key(&mut s, 'a');
    assert!(!s.scope.on);
    key(&mut s, 'a');
    assert!(s.scope.on);
    key(&mut s, ']');
    assert!(!s.scope.on);
    // Rows of other teams arriving outside the scope are not taken.
    let before = s.scope.payments.rows.len();
    page(
        &mut s,
        "juriquilla",
        Rows::Payments(Arc::new(fixtures::payments("x", 3))),
    );
    assert_eq!(s.scope.payments.rows.len(), before);
}

/// Marks one pending payment in each of the three teams from the all-teams table.
fn mark_one_per_team(s: &mut State) -> Vec<(gigdash::api::TeamId, String)> {
    let mut marked = Vec::new();
    for tag in ["team_master", "team_coyoacan", "team_juriquilla"] {
        let t = &s.scope.payments;
        let pos = t
            .view
            .iter()
            .position(|i| {
                let r = &t.rows[*i as usize];
                r.team.as_str() == tag && r.row.status().is_uncollected()
            })
            .unwrap();
        s.scope.payments.selected = pos;
        let r = s.scope.payments.selected_row().unwrap();
        marked.push((r.team.clone(), r.id().to_string()));
        key(s, ' ');
    }
    marked
}

fn confirm(s: &mut State) -> Vec<Request> {
    code(s, KeyCode::Tab);
    code(s, KeyCode::Tab);
    key(s, 'y');
    code(s, KeyCode::Enter)
}

#[test]
fn a_read_only_team_is_refused_by_name_and_left_out() {
    let mut s = all_payments();
    s.read_only_teams.insert(team_id("coyoacan"));
    mark_one_per_team(&mut s);
    key(&mut s, 'p');
    let Popup::Action(d) = &s.popup else {
        panic!("{:?}", s.status)
    };
    assert_eq!(d.bulk().unwrap().items.len(), 2);
    assert!(
        d.head
            .warnings
            .iter()
            .any(|w| w.contains("Doña Lupe Coyoacán") && w.contains("read-only")),
        "{:?}",
        d.head.warnings
    );
}

#[test]
fn the_summary_goes_team_by_team_and_retry_resends_only_the_failed_with_their_keys() {
    let mut s = all_payments();
    mark_one_per_team(&mut s);
    key(&mut s, 'p');
    let reqs = confirm(&mut s);
    let writes: Vec<(gigdash::api::TeamId, WriteRequest, String)> = reqs
        .into_iter()
        .filter_map(|r| match r {
            Request::Write {
                team,
                request,
                idempotency_key,
                ..
            } => Some((team, request, idempotency_key)),
            _ => None,
        })
        .collect();
    assert_eq!(writes.len(), 3);
    // Two succeed, one fails on the way.
    for (i, (team, request, _)) in writes.iter().enumerate() {
        let result = if i == 1 {
            Err(gigdash::api::ApiError::Server {
                status: 502,
                message: "Bad Gateway".into(),
            })
        } else {
            let WriteRequest::MarkPaid { payment_id, .. } = request else {
                panic!()
            };
            let p: gigdash::api::Payment = serde_json::from_value(
                serde_json::json!({"id": payment_id, "status": "succeeded", "total": 1}),
            )
            .unwrap();
            Ok(gigdash::app::WriteResult::Payment(Box::new(p)))
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
    for name in [
        "Grupo Doña Lupe",
        "Doña Lupe Coyoacán",
        "Doña Lupe Juriquilla",
    ] {
        assert!(
            status.text.contains(&format!("«{name}»")),
            "{}",
            status.text
        );
    }
    assert!(
        status.text.contains("1 failed") && status.text.contains(":retry"),
        "{}",
        status.text
    );
    let again = gigdash::app::update::run_command(&mut s, ":retry");
    let resent: Vec<(String, String)> = again
        .iter()
        .filter_map(|r| match r {
            Request::Write {
                team,
                idempotency_key,
                ..
            } => Some((team.to_string(), idempotency_key.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(
        resent,
        vec![(writes[1].0.to_string(), writes[1].2.clone())],
        "only the failed row, with its own key"
    );
}

#[test]
fn the_role_is_checked_once_per_team_before_anything_is_sent() {
    let mut s = all_payments();
    mark_one_per_team(&mut s);
    let reqs = key(&mut s, 'p');
    let (generation, teams) = match &reqs[..] {
        [Request::CheckRoles { generation, teams }] => (*generation, teams.clone()),
        other => panic!("{other:?}"),
    };
    assert_eq!(teams.len(), 3, "once per team");
    // A viewer in one branch: that branch leaves the confirmation, named; nothing sent yet.
    let roles = vec![
        (team_id("master"), Ok("admin".to_string())),
        (team_id("coyoacan"), Ok("viewer".to_string())),
        (team_id("juriquilla"), Err(gigdash::api::ApiError::Timeout)),
    ];
    let reqs = update(
        &mut s,
        Msg::Worker(Box::new(Update::Roles { generation, roles })),
    );
    assert!(reqs.is_empty());
    let Popup::Action(d) = &s.popup else { panic!() };
    assert_eq!(d.bulk().unwrap().items.len(), 2);
    assert!(
        !d.head.team_name.contains("Coyoacán"),
        "{}",
        d.head.team_name
    );
    assert!(
        d.head
            .warnings
            .iter()
            .any(|w| w.contains("Coyoacán") && w.contains("viewer")),
        "{:?}",
        d.head.warnings
    );
    assert!(
        d.head
            .warnings
            .iter()
            .any(|w| w.contains("Juriquilla") && w.contains("could not be checked"))
    );
    let sent = confirm(&mut s)
        .iter()
        .filter(|r| matches!(r, Request::Write { .. }))
        .count();
    assert_eq!(sent, 2);
}

#[test]
fn a_member_may_mark_paid_but_not_cancel() {
    use gigdash::app::dialogs::kinds::WriteKind;
    use gigdash::app::features::bulk::role_allows;
    assert!(role_allows("member", WriteKind::MarkPaid));
    assert!(!role_allows("member", WriteKind::CancelInvoice));
    assert!(!role_allows("viewer", WriteKind::MarkPaid));
    assert!(role_allows("admin", WriteKind::CancelPayment));
}

#[test]
fn the_selection_stays_on_its_row_as_teams_arrive_and_the_scope_toggles() {
    let mut s = all_payments();
    for _ in 0..7 {
        key(&mut s, 'j');
    }
    let before = s
        .scope
        .payments
        .selected_row()
        .map(|r| (r.team.clone(), r.id().to_string()));
    // A team's newer set arrives (a refresh): the cursor keeps its row.
    page(
        &mut s,
        "coyoacan",
        Rows::Payments(Arc::new(fixtures::payments("coyoacan", 12))),
    );
    let after = s
        .scope
        .payments
        .selected_row()
        .map(|r| (r.team.clone(), r.id().to_string()));
    assert_eq!(before, after);
    // Toggling the scope keeps both tables' cursors within their rows.
    key(&mut s, 'a');
    let v = s.current_view().unwrap();
    assert!(v.payments.selected < v.payments.view.len().max(1));
    key(&mut s, 'a');
    let t = &s.scope.payments;
    assert!(t.selected < t.view.len());
}

#[test]
fn r_in_the_scope_asks_every_team_again_past_the_cache() {
    let mut s = all_payments();
    let reqs = key(&mut s, 'r');
    let forced = reqs
        .iter()
        .filter(|r| {
            matches!(
                r,
                Request::Load {
                    force: true,
                    dataset: Dataset::Payments,
                    ..
                }
            )
        })
        .count();
    assert_eq!(forced, 3);
}

#[test]
fn the_table_on_screen_is_the_tabs_own_and_none_in_the_all_teams_scope_or_overview() {
    let mut s = loaded_state((120, 40), 12);
    let team = s.current.clone().expect("a team open");
    key(&mut s, '1');
    assert_eq!(
        s.shown_list(),
        None,
        "the Overview reads both, neither first"
    );
    key(&mut s, '3');
    assert_eq!(s.shown_list(), Some((team.clone(), Dataset::Invoices)));
    key(&mut s, '4');
    assert_eq!(s.shown_list(), Some((team, Dataset::Payments)));
    key(&mut s, 'a');
    assert!(s.scope.on);
    assert_eq!(
        s.shown_list(),
        None,
        "every team's payments: none goes first"
    );
}
