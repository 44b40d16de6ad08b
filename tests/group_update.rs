//! The Group tab through `update()`: rows fill in as teams arrive in any order, totals are
//! the sum of the rows, a failing team leaves the others intact, older answers are dropped,
//! sort, filter, Enter, and keys that belong to a team's tabs.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use gigdash::api::{ApiError, Team, TeamId};
use gigdash::app::data::group_figures::GroupState;
use gigdash::app::data::group_figures::TeamFigures;
use gigdash::app::features::group;
use gigdash::app::state::Asking;
use gigdash::app::{Msg, Request, State, Update, update};
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

fn figures(collect: i64) -> Box<TeamFigures> {
    Box::new(TeamFigures {
        invoiced_month: Decimal::new(collect * 3, 0),
        collected_month: Decimal::new(collect * 2, 0),
        to_collect: collect as usize,
        to_collect_amount: Decimal::new(collect * 100, 2),
        overdue_amount: Decimal::new(collect, 0),
        ppd_owed: Decimal::new(collect * 7, 1),
        cancellations_waiting: 1,
        invoices: 10,
        payments: 5,
        complements_owed: collect as usize % 4,
        complements_late: collect as usize % 2,
        complements_unknown: false,
    })
}

/// A state whose team list just arrived: the Group tab opened and asked for every team.
fn started(n: usize) -> (State, Vec<Request>) {
    let mut s = State::new((120, 40));
    let reqs = update(&mut s, Msg::Worker(Box::new(Update::Teams(Ok(teams(n))))));
    (s, reqs)
}

fn row(s: &mut State, team: &str, result: Result<Box<TeamFigures>, ApiError>) {
    let generation = s.asked.current(Asking::Group);
    update(
        s,
        Msg::Worker(Box::new(Update::GroupRow {
            generation,
            team: TeamId::new(team),
            result,
            now: 1_790_000_000,
        })),
    );
}

#[test]
fn more_than_one_team_opens_the_group_tab_and_asks_for_every_team() {
    let (s, reqs) = started(5);
    assert!(s.group.open);
    let asked = reqs.iter().find_map(|r| match r {
        Request::LoadGroup { teams, .. } => Some(teams.len()),
        _ => None,
    });
    assert_eq!(asked, Some(5));
    assert_eq!(group::loaded(&s), 0);
}

#[test]
fn a_team_named_with_dash_dash_team_starts_on_it_and_loads_no_group() {
    let mut s = State::new((120, 40));
    let names = teams(5);
    s.preferred_team = Some(names[3].id.to_string());
    s.team_asked = true;
    let reqs = update(
        &mut s,
        Msg::Worker(Box::new(Update::Teams(Ok(names.clone())))),
    );
    assert!(!s.group.open, "DESIGN: --team starts on that team");
    assert_eq!(s.current.as_ref(), Some(&names[3].id));
    assert!(
        !reqs.iter().any(|r| matches!(r, Request::LoadGroup { .. })),
        "no team but the one asked for is read: {reqs:?}"
    );
}

#[test]
fn one_team_never_opens_the_group_tab() {
    let (mut s, reqs) = started(1);
    assert!(!s.group.open);
    assert!(!reqs.iter().any(|r| matches!(r, Request::LoadGroup { .. })));
    key(&mut s, KeyCode::Char('0'));
    assert!(!s.group.open);
    assert!(s.status.unwrap().error, "0 says why");
}

#[test]
fn rows_fill_in_any_order_and_totals_are_their_sum() {
    let (mut s, _) = started(4);
    for (t, c) in [("team_03", 3), ("team_00", 5), ("team_02", 1)] {
        row(&mut s, t, Ok(figures(c)));
    }
    assert_eq!(group::loaded(&s), 3);
    assert_eq!(
        s.group.rows[&TeamId::new("team_01")].state,
        GroupState::Loading
    );
    let shown = group::visible(&s);
    let total = group::totals(&s, &shown);
    assert_eq!(total.to_collect, 9);
    assert_eq!(total.to_collect_amount, Decimal::new(900, 2));
    assert_eq!(total.invoiced_month, Decimal::new(27, 0));
    assert_eq!(total.cancellations_waiting, 3);
    // The last team arrives: every row loaded.
    row(&mut s, "team_01", Ok(figures(2)));
    assert_eq!(group::loaded(&s), 4);
    assert_eq!(group::totals(&s, &group::visible(&s)).to_collect, 11);
}

#[test]
fn a_failing_team_says_why_on_its_row_and_the_others_stay() {
    let (mut s, _) = started(3);
    row(&mut s, "team_00", Ok(figures(4)));
    row(
        &mut s,
        "team_01",
        Err(ApiError::TeamNotFound {
            team: Some(TeamId::new("team_01")),
        }),
    );
    row(&mut s, "team_02", Ok(figures(1)));
    let GroupState::Failed(why) = &s.group.rows[&TeamId::new("team_01")].state else {
        panic!()
    };
    assert_eq!(why, "Team not found");
    assert_eq!(group::totals(&s, &group::visible(&s)).to_collect, 5);
    assert!(matches!(
        s.group.rows[&TeamId::new("team_00")].state,
        GroupState::Loaded(_)
    ));
}

#[test]
fn answers_of_an_older_load_are_dropped() {
    let (mut s, _) = started(2);
    let old = s.asked.current(Asking::Group);
    let reqs = key(&mut s, KeyCode::Char('r'));
    assert_eq!(
        s.asked.current(Asking::Group),
        old + 1,
        "r reloads the group"
    );
    assert!(
        reqs.iter()
            .any(|r| matches!(r, Request::LoadGroup { force: true, .. })),
        "past the cache: {reqs:?}"
    );
    update(
        &mut s,
        Msg::Worker(Box::new(Update::GroupRow {
            generation: old,
            team: TeamId::new("team_00"),
            result: Ok(figures(9)),
            now: 0,
        })),
    );
    assert_eq!(
        s.group.rows[&TeamId::new("team_00")].state,
        GroupState::Loading
    );
}

#[test]
fn sort_by_a_money_column_puts_the_largest_first_and_s_reverses() {
    let (mut s, _) = started(3);
    for (t, c) in [("team_00", 1), ("team_01", 9), ("team_02", 4)] {
        row(&mut s, t, Ok(figures(c)));
    }
    let names = |s: &State| {
        group::visible(s)
            .iter()
            .map(|i| s.teams[*i].id.to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(names(&s), ["team_00", "team_01", "team_02"]);
    key(&mut s, KeyCode::Char('s')); // RFC
    key(&mut s, KeyCode::Char('s')); // invoiced this month
    assert_eq!(names(&s), ["team_01", "team_02", "team_00"]);
    key(&mut s, KeyCode::Char('S'));
    assert_eq!(names(&s), ["team_00", "team_02", "team_01"]);
}

#[test]
fn the_filter_narrows_the_rows_and_the_totals() {
    let (mut s, _) = started(12);
    for i in 0..12 {
        row(&mut s, &format!("team_{i:02}"), Ok(figures(1)));
    }
    key(&mut s, KeyCode::Char('/'));
    for c in "sucursal 07".chars() {
        key(&mut s, KeyCode::Char(c));
    }
    key(&mut s, KeyCode::Enter);
    let shown = group::visible(&s);
    assert_eq!(shown.len(), 1);
    assert_eq!(s.teams[shown[0]].id.as_str(), "team_07");
    assert_eq!(group::totals(&s, &shown).to_collect, 1);
    key(&mut s, KeyCode::Esc);
    assert_eq!(group::visible(&s).len(), 12);
}

#[test]
fn enter_opens_the_team_on_its_tab_and_stops_the_rest_of_the_load() {
    let (mut s, _) = started(3);
    row(&mut s, "team_00", Ok(figures(1)));
    key(&mut s, KeyCode::Char('j'));
    let reqs = key(&mut s, KeyCode::Enter);
    assert!(!s.group.open);
    assert_eq!(s.current, Some(TeamId::new("team_01")));
    assert!(reqs.contains(&Request::StopGroup), "{reqs:?}");
    assert!(
        reqs.iter()
            .any(|r| matches!(r, Request::Load { team, .. } if team.as_str() == "team_01"))
    );
    // 0 comes back to the table as it was.
    key(&mut s, KeyCode::Char('0'));
    assert!(s.group.open);
    assert_eq!(s.group.selected, 1);
}

#[test]
fn team_keys_leave_the_tab_and_writes_say_where_to_go() {
    let (mut s, _) = started(3);
    key(&mut s, KeyCode::Char('p'));
    let status = s.status.clone().unwrap();
    assert!(
        status.error && status.text.contains("Group tab"),
        "{}",
        status.text
    );
    assert!(s.group.open);
    key(&mut s, KeyCode::Char('3'));
    assert!(!s.group.open);
    assert_eq!(s.current_view().unwrap().tab, gigdash::app::Tab::Invoices);
}

#[test]
fn coming_back_to_a_load_that_was_left_midway_asks_again() {
    let (mut s, _) = started(3);
    row(&mut s, "team_00", Ok(figures(1)));
    let reqs = key(&mut s, KeyCode::Char('1'));
    assert!(reqs.contains(&Request::StopGroup), "{reqs:?}");
    let reqs = key(&mut s, KeyCode::Char('0'));
    assert!(
        reqs.iter()
            .any(|r| matches!(r, Request::LoadGroup { force: false, .. })),
        "the stopped teams are asked again: {reqs:?}"
    );
    // Once every row is in, coming back asks nothing.
    for t in ["team_00", "team_01", "team_02"] {
        row(&mut s, t, Ok(figures(1)));
    }
    key(&mut s, KeyCode::Char('1'));
    assert!(key(&mut s, KeyCode::Char('0')).is_empty());
}
