//! The Branches tab through `update()`: `6` asks for every team's configuration, rows fill
//! in as they come, the counts and the State words follow what each team says (a missing
//! or odd part is "unknown", never "ok"), `R` and `:drift` compare with a reference,
//! answers of an older load are dropped, and the keys of a team's tables are refused here.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use gigdash::api::{ApiError, TeamId};
use gigdash::app::data::branches::{Area, Branch, BranchState, CsdState, counts, drift};
use gigdash::app::features::branches;
use gigdash::app::fixtures::{BRANCHES_NOW, branch_config, branches_state};
use gigdash::app::state::{Asking, Popup};
use gigdash::app::{Msg, Request, State, Update, update};
use gigdash::i18n::Lang;
use rust_decimal::Decimal;
use serde_json::json;

fn key(s: &mut State, code: KeyCode) -> Vec<Request> {
    update(s, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn command(s: &mut State, line: &str) -> Vec<Request> {
    gigdash::app::update::run_command(s, line)
}

fn read(c: &gigdash::api::TeamConfig) -> Branch {
    Branch::read(c, BRANCHES_NOW, Decimal::from(100))
}

fn select(s: &mut State, id: &str) {
    let pos = branches::visible(s)
        .iter()
        .position(|t| t.as_str() == id)
        .unwrap_or_else(|| panic!("{id} shown"));
    key(s, KeyCode::Home);
    for _ in 0..pos {
        key(s, KeyCode::Down);
    }
    assert_eq!(branches::visible(s)[s.branches.selected].as_str(), id);
}

#[test]
fn six_opens_the_tab_and_asks_once_for_every_team() {
    let mut s = branches_state((120, 40), Lang::En, 8, 0, |_, _| {});
    assert!(s.branches.open && !s.group.open);
    assert_eq!(s.branches.rows.len(), 8);
    assert!(
        s.branches
            .rows
            .values()
            .all(|r| r.state == BranchState::Loading)
    );
    // Leaving mid-load stops it; coming back asks again.
    let reqs = key(&mut s, KeyCode::Char('1'));
    assert!(reqs.contains(&Request::StopBranches), "{reqs:?}");
    assert!(!s.branches.open);
    let reqs = key(&mut s, KeyCode::Char('6'));
    let asked: Vec<_> = reqs
        .iter()
        .filter(|r| matches!(r, Request::LoadBranches { .. }))
        .collect();
    assert_eq!(asked.len(), 1, "asked once: {reqs:?}");
    assert_eq!(branches::loaded(&s), 0);
    assert_eq!(s.branches.rows.len(), 8, "a row waits for every team");
}

#[test]
fn counts_and_words_follow_what_each_team_says() {
    let s = branches_state((120, 40), Lang::En, 16, 16, |_, _| {});
    let c = counts(s.branches.branches());
    // Per eight: one expired (-12 d), two within 30 d (21, 5), one without credits, one
    // at 40 (under 100); Stripe off on branch 7.
    assert_eq!(c.csd_expired, 2);
    assert_eq!(c.csd_soon, 4);
    assert_eq!(c.cannot_invoice, 4, "expired CSD or no credits");
    assert_eq!(c.low_credits, 4);
    let words = |i: usize| {
        s.branches.rows[&TeamId::new(format!("team_b{i:02}"))]
            .branch
            .as_ref()
            .unwrap()
            .state_words(Lang::En)
    };
    assert_eq!(words(0), "ok");
    assert_eq!(words(2), "CSD expired 12 d ago");
    assert_eq!(words(3), "CSD expires in 21 d · 40 credits left");
    assert_eq!(words(5), "no credits");
    assert_eq!(words(7), "stripe disconnected");
    // Worst first: the rows that cannot invoice lead the table.
    let shown = branches::visible(&s);
    let first: Vec<&str> = shown[..4].iter().map(|t| t.as_str()).collect();
    for id in first {
        assert!(
            s.branches.rows[&TeamId::new(id)]
                .branch
                .as_ref()
                .unwrap()
                .cannot_invoice(),
            "{id}"
        );
    }
}

#[test]
fn a_missing_or_odd_part_is_unknown_never_ok() {
    // No `sat` at all, `billing` of another shape, series not a list, members failed.
    let mut c = branch_config(0);
    c.team.as_object_mut().unwrap().remove("sat");
    c.team["billing"] = json!("plenty");
    c.series = Ok(json!({"series": "A"}));
    c.members = Err("403: not allowed".into());
    let b = read(&c);
    assert_eq!(b.csd, CsdState::Unknown);
    assert_eq!(b.credits, None);
    assert!(b.cannot_tell() && !b.cannot_invoice());
    assert_eq!(b.severity(), 1);
    let words = b.state_words(Lang::En);
    for w in [
        "CSD unknown",
        "credits unknown",
        "series unknown",
        "members unknown",
    ] {
        assert!(words.contains(w), "{words}");
    }
    assert_eq!(
        b.missing,
        vec![("members".into(), "403: not allowed".into())]
    );
    // A CSD date in milliseconds, and as text.
    let mut c = branch_config(0);
    c.team["sat"]["csd_expires_at"] = json!((BRANCHES_NOW + 10 * 86_400 - 60) * 1000);
    assert_eq!(read(&c).csd, CsdState::Valid { days_left: 10 });
    c.team["sat"]["csd_expires_at"] = json!("2025-11-20T00:00:00Z");
    assert!(matches!(read(&c).csd, CsdState::Expired { days_ago: 4 }));
    c.team["sat"]["csd_expires_at"] = json!("next year");
    assert_eq!(read(&c).csd, CsdState::Unknown);
    // Not uploaded: no CSD, cannot invoice.
    c.team["sat"] = json!({"completed": false});
    let b = read(&c);
    assert_eq!(b.csd, CsdState::None);
    assert!(b.cannot_invoice());
    // Credits as text are read; an empty series list is "no series".
    let mut c = branch_config(0);
    c.team["billing"] = json!({"credits": "75"});
    c.series = Ok(json!([]));
    let b = read(&c);
    assert_eq!(b.credits, Some(Decimal::from(75)));
    assert!(b.state_words(Lang::En).contains("no series"));
    // Text from the API reaches the screen printable only.
    let mut c = branch_config(0);
    c.team["brand"]["alias"] = json!("Evil\u{1b}[2J\u{202e}Name");
    let b = read(&c);
    assert!(
        !b.name.contains('\u{1b}') && !b.name.contains('\u{202e}'),
        "{:?}",
        b.name
    );
}

#[test]
fn drift_lists_settings_series_admins_and_regime() {
    let reference = read(&branch_config(0));
    let mut c = branch_config(1);
    c.settings.as_mut().unwrap()["unit_key"] = json!("H87");
    c.settings.as_mut().unwrap()["taxes"] = json!([]);
    c.members = Ok(json!([{"id": "user_x", "email": "x@donalupe.mx", "role": "admin"}]));
    c.team["tax_system"] = json!("626");
    let d = drift(&reference, &read(&c), Lang::En);
    let whats: Vec<&str> = d.iter().map(|d| d.what.as_str()).collect();
    assert_eq!(
        whats,
        vec![
            "settings.taxes",
            "settings.unit_key",
            "series",
            "admins missing",
            "regime"
        ]
    );
    let unit = &d[1];
    assert_eq!(
        (unit.reference.as_str(), unit.here.as_str()),
        ("E48", "H87")
    );
    assert_eq!(d[2].reference, "A, B");
    assert_eq!(d[2].here, "A");
    assert_eq!(d[3].reference, "dueno@donalupe.mx");
    assert_eq!(d[4].area, Area::Regime);
    // The same configuration: nothing.
    assert!(drift(&reference, &read(&branch_config(3)), Lang::En).is_empty());
    // A part unknown on one side is one difference saying so.
    let mut c = branch_config(3);
    c.settings = Err("timeout".into());
    let d = drift(&reference, &read(&c), Lang::En);
    assert_eq!(d.len(), 1);
    assert_eq!(
        (d[0].what.as_str(), d[0].here.as_str()),
        ("settings", "unknown")
    );
}

#[test]
fn r_sets_the_reference_and_drift_lists_each_team_that_differs() {
    let mut s = branches_state((120, 40), Lang::En, 6, 6, |i, c| {
        if i == 4 {
            c.settings.as_mut().unwrap()["unit_key"] = json!("H87");
        }
    });
    // No reference yet: `:drift` says how to set one.
    command(&mut s, "drift");
    assert!(matches!(s.popup, Popup::None));
    assert!(s.status.as_ref().unwrap().text.contains("R on a team"));
    select(&mut s, "team_b03");
    key(&mut s, KeyCode::Char('R'));
    assert_eq!(s.branches.reference, Some(TeamId::new("team_b03")));
    assert!(
        s.status
            .as_ref()
            .unwrap()
            .text
            .contains("Reference: Doña Lupe Coyoacán")
    );
    command(&mut s, "drift");
    let Popup::Text(v) = &s.popup else {
        panic!("the drift list: {:?}", s.popup)
    };
    let text: Vec<&str> = v.lines.iter().map(|(t, _)| t.as_str()).collect();
    // b00 has series B like b03 (i % 3 == 0); b04 has another unit key and no B.
    assert_eq!(
        text[0],
        "4 teams differ from Doña Lupe Coyoacán; 1 matches it."
    );
    let b04 = text
        .iter()
        .position(|t| t.starts_with("Doña Lupe Satélite"))
        .expect("b04 listed");
    assert_eq!(text[b04], "Doña Lupe Satélite (2 differences)");
    assert_eq!(
        text[b04 + 1],
        "  settings.unit_key: «H87» here, «E48» in the reference"
    );
    assert!(
        !text.iter().any(|t| t.starts_with("Doña Lupe Matriz")),
        "b00 matches"
    );
    // Esc closes; R again on the reference clears it.
    key(&mut s, KeyCode::Esc);
    assert!(matches!(s.popup, Popup::None));
    select(&mut s, "team_b03");
    key(&mut s, KeyCode::Char('R'));
    assert_eq!(s.branches.reference, None);
}

#[test]
fn a_team_not_loaded_cannot_be_the_reference() {
    let mut s = branches_state((120, 40), Lang::En, 4, 2, |_, _| {});
    select(&mut s, "team_b03");
    key(&mut s, KeyCode::Char('R'));
    assert_eq!(s.branches.reference, None);
    assert!(s.status.as_ref().unwrap().error);
}

#[test]
fn answers_of_an_older_load_are_dropped_and_a_failed_list_says_why() {
    let mut s = branches_state((120, 40), Lang::En, 3, 0, |_, _| {});
    let old = s.asked.current(Asking::Branches);
    key(&mut s, KeyCode::Char('r'));
    assert_ne!(s.asked.current(Asking::Branches), old);
    update(
        &mut s,
        Msg::Worker(Box::new(Update::Branch {
            generation: old,
            config: Box::new(branch_config(0)),
            now: BRANCHES_NOW,
        })),
    );
    assert_eq!(branches::loaded(&s), 0, "an older load's answer is dropped");
    let generation = s.asked.current(Asking::Branches);
    // The list says one team is gone: its row goes.
    update(
        &mut s,
        Msg::Worker(Box::new(Update::BranchesListed {
            generation,
            result: Ok(vec![TeamId::new("team_b00"), TeamId::new("team_b01")]),
        })),
    );
    assert_eq!(s.branches.rows.len(), 2);
    update(
        &mut s,
        Msg::Worker(Box::new(Update::BranchesListed {
            generation,
            result: Err(ApiError::Network {
                message: "connection refused".into(),
            }),
        })),
    );
    assert!(
        s.branches
            .rows
            .values()
            .all(|r| matches!(r.state, BranchState::Failed(_)))
    );
    let st = s.status.as_ref().unwrap();
    assert!(
        st.error && st.text.contains("connection refused"),
        "{}",
        st.text
    );
}

#[test]
fn enter_shows_the_whole_configuration_and_table_keys_are_refused() {
    let mut s = branches_state((120, 40), Lang::En, 4, 4, |_, _| {});
    select(&mut s, "team_b02");
    key(&mut s, KeyCode::Enter);
    let Popup::Text(v) = &s.popup else {
        panic!("the configuration: {:?}", s.popup)
    };
    let text: Vec<&str> = v.lines.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(text[0], "State: CSD expired 12 d ago");
    assert!(text.contains(&"  unit_key = E48"), "{text:?}");
    assert!(
        text.contains(&"  admin  dueno@donalupe.mx  (user_owner)"),
        "{text:?}"
    );
    assert!(text.contains(&"  A  0 / 102"), "{text:?}");
    key(&mut s, KeyCode::Esc);
    // y copies the team's id.
    let reqs = key(&mut s, KeyCode::Char('y'));
    assert_eq!(
        reqs,
        vec![Request::Copy {
            text: "team_b02".into()
        }]
    );
    for k in ['p', 'x', 'd', 'e', 'a', 'n'] {
        s.status = None;
        key(&mut s, KeyCode::Char(k));
        let st = s.status.as_ref().unwrap_or_else(|| panic!("{k} says why"));
        assert!(st.error && st.text.contains("Branches"), "{k}: {}", st.text);
    }
    // The filter narrows by words of the state too.
    key(&mut s, KeyCode::Char('/'));
    for c in "expired".chars() {
        key(&mut s, KeyCode::Char(c));
    }
    key(&mut s, KeyCode::Enter);
    let shown = branches::visible(&s);
    assert_eq!(shown, vec![TeamId::new("team_b02")]);
}

#[test]
fn the_filter_finds_a_team_by_its_id() {
    let mut s = branches_state((120, 40), Lang::En, 4, 4, |_, _| {});
    key(&mut s, KeyCode::Char('/'));
    for c in "team_b02".chars() {
        key(&mut s, KeyCode::Char(c));
    }
    key(&mut s, KeyCode::Enter);
    assert_eq!(branches::visible(&s), vec![TeamId::new("team_b02")]);
}

// ---------------------------------------------------------------- bulk changes to teams

use gigdash::app::dialogs::kinds::{TeamWrite, WriteRequest};

/// Marks the teams with these ids (Space on each).
fn mark(s: &mut State, ids: &[&str]) {
    for id in ids {
        select(s, id);
        key(s, KeyCode::Char(' '));
    }
    assert_eq!(s.branches.marked.len(), ids.len());
}

/// The roles the key has, answered for the teams asked.
fn roles(s: &mut State, reqs: &[Request], role: impl Fn(&str) -> &'static str) {
    let (generation, teams) = reqs
        .iter()
        .find_map(|r| match r {
            Request::CheckRoles { generation, teams } => Some((*generation, teams.clone())),
            _ => None,
        })
        .expect("the roles asked before anything is sent");
    let roles = teams
        .into_iter()
        .map(|t| {
            let r = role(t.as_str()).to_string();
            (t, Ok(r))
        })
        .collect();
    update(
        s,
        Msg::Worker(Box::new(Update::Roles { generation, roles })),
    );
}

/// Yes on the confirmation: the writes it sends (team, request, idempotency key).
fn confirm(s: &mut State) -> Vec<(String, WriteRequest, String)> {
    key(s, KeyCode::Char('y'));
    key(s, KeyCode::Enter)
        .into_iter()
        .filter_map(|r| match r {
            Request::Write {
                team,
                request,
                idempotency_key,
                ..
            } => Some((team.to_string(), request, idempotency_key)),
            _ => None,
        })
        .collect()
}

fn warnings(s: &State) -> Vec<String> {
    match &s.popup {
        Popup::Action(d) => d.head.warnings.clone(),
        other => panic!("the confirmation: {other:?} ({:?})", s.status),
    }
}

#[test]
fn adding_a_member_to_marked_teams_sends_one_write_per_team_it_applies_to_with_its_own_key() {
    let mut s = branches_state((120, 40), Lang::En, 6, 6, |i, c| {
        if i == 4 {
            // Already there, as gerente04's colleague.
            let mut m = c.members.clone().unwrap();
            m.as_array_mut()
                .unwrap()
                .push(json!({"id": "user_new", "email": "nuevo@donalupe.mx", "role": "viewer"}));
            c.members = Ok(m);
        }
    });
    mark(&mut s, &["team_b01", "team_b03", "team_b04", "team_b05"]);
    let reqs = command(&mut s, "add-member user_new editor");
    let w = warnings(&s);
    assert!(
        w.iter()
            .any(|w| w.contains("Doña Lupe Satélite") && w.contains("already a member (viewer)")),
        "{w:?}"
    );
    let Popup::Action(d) = &s.popup else { panic!() };
    assert_eq!(d.bulk().unwrap().items.len(), 3);
    assert_eq!(d.head.client, "add user_new as editor");
    // The key is a viewer in b05: that team leaves the confirmation, named.
    roles(&mut s, &reqs, |t| {
        if t == "team_b05" { "viewer" } else { "admin" }
    });
    let w = warnings(&s);
    assert!(
        w.iter()
            .any(|w| w.contains("Doña Lupe Peñasco") && w.contains("(viewer) cannot add a member")),
        "{w:?}"
    );
    let sent = confirm(&mut s);
    let mut teams: Vec<&str> = sent.iter().map(|(t, _, _)| t.as_str()).collect();
    teams.sort();
    assert_eq!(teams, vec!["team_b01", "team_b03"]);
    for (team, r, _) in &sent {
        assert_eq!(
            r,
            &WriteRequest::Team {
                lock: format!("{team}:add_member:user_new"),
                write: TeamWrite::AddMember {
                    user: "user_new".into(),
                    role: "editor".into()
                }
            }
        );
    }
    let keys: std::collections::BTreeSet<&str> = sent.iter().map(|(_, _, k)| k.as_str()).collect();
    assert_eq!(keys.len(), 2, "each team its own idempotency key");
    let still: Vec<&str> = s.branches.marked.iter().map(|t| t.as_str()).collect();
    assert_eq!(
        still,
        vec!["team_b04", "team_b05"],
        "the sent teams are unmarked"
    );
    // Each answer reads that team again; the run says team by team.
    for (team, request, _) in sent {
        let reqs = update(
            &mut s,
            Msg::Worker(Box::new(Update::WriteDone {
                team: TeamId::new(&team),
                request,
                result: Ok(gigdash::app::WriteResult::Team(Box::new(json!({})))),
            })),
        );
        assert!(
            reqs.iter().any(|r| matches!(r, Request::LoadBranchesOf { teams, .. } if teams == &vec![TeamId::new(&team)])),
            "{reqs:?}"
        );
    }
    let st = s.status.as_ref().unwrap();
    assert!(st.text.contains("Add a member: 2 of 2 done"), "{}", st.text);
}

#[test]
fn bad_team_changes_are_refused_before_anything_is_sent() {
    let mut s = branches_state((120, 40), Lang::En, 6, 6, |i, c| {
        if i == 2 {
            let mut series = c.series.clone().unwrap();
            series
                .as_array_mut()
                .unwrap()
                .push(json!({"series": "F", "live": 0, "test": 0}));
            c.series = Ok(series);
        }
    });
    // A role the API does not know.
    select(&mut s, "team_b01");
    let reqs = command(&mut s, "add-member user_new boss");
    assert!(reqs.is_empty() && matches!(s.popup, Popup::None));
    assert!(
        s.status
            .as_ref()
            .unwrap()
            .text
            .contains("«boss» is not a role")
    );
    // The last admin of a team.
    let reqs = command(&mut s, "remove-member user_owner");
    assert!(reqs.is_empty() && matches!(s.popup, Popup::None));
    let st = s.status.as_ref().unwrap();
    assert!(
        st.error && st.text.contains("its last admin"),
        "{}",
        st.text
    );
    // A series that exists on one marked team: that one says so, the others go on.
    mark(&mut s, &["team_b01", "team_b02", "team_b03"]);
    let reqs = command(&mut s, "add-series f");
    let w = warnings(&s);
    assert!(
        w.iter()
            .any(|w| w.contains("Doña Lupe Polanco") && w.contains("already has series F")),
        "{w:?}"
    );
    roles(&mut s, &reqs, |_| "member");
    let sent = confirm(&mut s);
    assert_eq!(sent.len(), 2, "a member may create series");
    // Removing someone who is not a member anywhere marked: nothing to do.
    s.popup = Popup::None;
    s.branches.marked.clear();
    mark(&mut s, &["team_b04"]);
    command(&mut s, "remove-member user_ghost");
    assert!(matches!(s.popup, Popup::None));
    assert!(s.status.as_ref().unwrap().text.contains("not a member"));
    // Outside the Branches tab, it says where.
    key(&mut s, KeyCode::Char('1'));
    command(&mut s, "add-member user_new");
    assert!(s.status.as_ref().unwrap().text.contains("Branches tab (6)"));
}

#[test]
fn a_setting_is_applied_from_the_reference_where_it_differs() {
    let mut s = branches_state((120, 40), Lang::En, 4, 4, |i, c| {
        if i == 0 {
            c.settings.as_mut().unwrap()["unit_key"] = json!("H87");
            c.settings.as_mut().unwrap()["emails"] = json!({"invoices_bcc": ["conta@donalupe.mx"]});
        }
        if i == 2 {
            c.settings.as_mut().unwrap()["unit_key"] = json!("H87");
        }
    });
    // No reference yet.
    command(&mut s, "apply-setting unit_key");
    assert!(
        s.status
            .as_ref()
            .unwrap()
            .text
            .contains("No reference team")
    );
    select(&mut s, "team_b00");
    key(&mut s, KeyCode::Char('R'));
    mark(&mut s, &["team_b00", "team_b01", "team_b02", "team_b03"]);
    let reqs = command(&mut s, "apply-setting unit_key");
    let w = warnings(&s);
    assert!(
        w.iter()
            .any(|w| w.contains("Matriz") && w.contains("the reference")),
        "{w:?}"
    );
    assert!(
        w.iter()
            .any(|w| w.contains("Polanco") && w.contains("already the reference's")),
        "{w:?}"
    );
    roles(&mut s, &reqs, |_| "admin");
    let sent = confirm(&mut s);
    assert_eq!(sent.len(), 2);
    assert_eq!(
        sent[0].1,
        WriteRequest::Team {
            lock: format!("{}:apply_setting:unit_key", sent[0].0),
            write: TeamWrite::ApplySetting {
                key: "unit_key".into(),
                patch: json!({"unit_key": "H87"})
            }
        }
    );
    // The teams left out stay marked; the ones sent do not.
    let still: Vec<&str> = s.branches.marked.iter().map(|t| t.as_str()).collect();
    assert_eq!(still, vec!["team_b00", "team_b02"]);
    // A nested key is sent nested.
    s.popup = Popup::None;
    s.branches.marked.clear();
    mark(&mut s, &["team_b01"]);
    let reqs = command(&mut s, "apply-setting emails.invoices_bcc");
    roles(&mut s, &reqs, |_| "admin");
    let sent = confirm(&mut s);
    let WriteRequest::Team {
        write: TeamWrite::ApplySetting { patch, .. },
        ..
    } = &sent[0].1
    else {
        panic!("{sent:?}")
    };
    assert_eq!(
        patch,
        &json!({"emails": {"invoices_bcc": ["conta@donalupe.mx"]}})
    );
    // A key the reference does not have.
    command(&mut s, "apply-setting nothing_here");
    assert!(
        s.status
            .as_ref()
            .unwrap()
            .text
            .contains("has no setting «nothing_here»")
    );
}

// ---------------------------------------------------------------- a new branch

use gigdash::app::dialogs::kinds::{BranchMade, BranchStep, CreateBody};

fn type_text(s: &mut State, text: &str) {
    for c in text.chars() {
        key(s, KeyCode::Char(c));
    }
}

/// The new-branch form filled (name, legal name, RFC, regime as it is, postal code) and
/// confirmed: what it sends.
fn fill_new_branch(s: &mut State, rfc: &str) -> Vec<Request> {
    type_text(s, "Doña Lupe Nueva");
    key(s, KeyCode::Enter);
    type_text(s, "Doña Lupe Nueva SA de CV");
    key(s, KeyCode::Enter);
    type_text(s, rfc);
    key(s, KeyCode::Enter);
    key(s, KeyCode::Enter);
    type_text(s, "06700");
    key(s, KeyCode::Enter);
    key(s, KeyCode::Char('y'));
    key(s, KeyCode::Enter)
}

#[test]
fn a_new_branch_copies_the_reference_and_what_fails_is_finished_by_retry() {
    let mut s = branches_state((120, 40), Lang::En, 4, 4, |_, _| {});
    select(&mut s, "team_b03");
    key(&mut s, KeyCode::Char('R'));
    command(&mut s, "new-branch");
    let Popup::Create(f) = &s.popup else {
        panic!("the form: {:?} {:?}", s.popup, s.status)
    };
    assert!(
        f.shown[0].contains("from «Doña Lupe Coyoacán»"),
        "{:?}",
        f.shown
    );
    let plan = &f.branch.as_ref().unwrap().steps;
    assert!(matches!(&plan[0], BranchStep::Settings { from, .. } if from == "Doña Lupe Coyoacán"));
    assert_eq!(plan[1], BranchStep::Series("A".into()));
    assert_eq!(plan[2], BranchStep::Series("B".into()));
    assert_eq!(
        plan[3],
        BranchStep::Member {
            user: "user_owner".into(),
            role: "admin".into()
        }
    );
    assert_eq!(plan[4], BranchStep::Onboarding);
    // An RFC that is already a team of the account: said at the RFC, nothing sent.
    let taken = s.branches.rows[&TeamId::new("team_b02")]
        .branch
        .as_ref()
        .unwrap()
        .rfc
        .clone();
    let reqs = fill_new_branch(&mut s, &taken);
    assert!(
        !reqs.iter().any(|r| matches!(r, Request::Write { .. })),
        "{reqs:?}"
    );
    let Popup::Create(f) = &s.popup else { panic!() };
    let e = f.error.as_ref().unwrap();
    assert!(e.text.contains("already «Doña Lupe Polanco»"), "{}", e.text);
    // Another RFC: sent once, on the key's own team.
    s.popup = Popup::None;
    command(&mut s, "new-branch");
    let rfc = gigdash::app::form::rfc::with_check_digit("DLN010101AB");
    let reqs = fill_new_branch(&mut s, &rfc);
    let (team, request, key0) = reqs
        .iter()
        .find_map(|r| match r {
            Request::Write {
                team,
                request,
                idempotency_key,
                ..
            } => Some((team.clone(), request.clone(), idempotency_key.clone())),
            _ => None,
        })
        .expect("the new branch sent");
    assert_eq!(team.as_str(), "team_b00", "created from the key's own team");
    let WriteRequest::Create(c) = &request else {
        panic!()
    };
    let CreateBody::NewBranch(b) = &c.body else {
        panic!()
    };
    assert_eq!((b.rfc.as_str(), b.zip.as_str()), (rfc.as_str(), "06700"));
    assert_eq!(b.steps.len(), 5);
    // Series B failed: the popup says so, the link is shown, `:retry` sends what is left.
    let made = BranchMade {
        team: TeamId::new("team_new"),
        name: "Doña Lupe Nueva".into(),
        steps: b
            .steps
            .iter()
            .map(|st| {
                let r = if *st == BranchStep::Series("B".into()) {
                    Err(ApiError::Timeout)
                } else {
                    Ok(())
                };
                (st.clone(), r)
            })
            .collect(),
        url: Some("http://127.0.0.1:9/onboarding?team=team_new".into()),
    };
    let reqs = update(
        &mut s,
        Msg::Worker(Box::new(Update::WriteDone {
            team,
            request,
            result: Ok(gigdash::app::WriteResult::Branch(Box::new(made))),
        })),
    );
    assert!(reqs.contains(&Request::LoadTeams), "{reqs:?}");
    assert!(reqs.iter().any(
        |r| matches!(r, Request::LoadBranchesOf { teams, .. } if teams[0].as_str() == "team_new")
    ));
    let Popup::Created(c) = &s.popup else {
        panic!("{:?}", s.popup)
    };
    assert_eq!(
        c.link.as_deref(),
        Some("http://127.0.0.1:9/onboarding?team=team_new")
    );
    assert!(
        c.lines.iter().any(|l| l.starts_with("  ✗ series B:")),
        "{:?}",
        c.lines
    );
    assert!(
        c.lines.iter().any(|l| l.contains("1 step left: :retry")),
        "{:?}",
        c.lines
    );
    s.popup = Popup::None;
    let reqs = command(&mut s, "retry");
    let (request, key1) = reqs
        .iter()
        .find_map(|r| match r {
            Request::Write {
                request,
                idempotency_key,
                ..
            } => Some((request.clone(), idempotency_key.clone())),
            _ => None,
        })
        .expect("what is left sent");
    assert_eq!(key1, key0, "the steps' keys come from the same one");
    let WriteRequest::Create(c) = &request else {
        panic!()
    };
    assert_eq!(
        c.body,
        CreateBody::FinishBranch {
            team: TeamId::new("team_new"),
            name: "Doña Lupe Nueva".into(),
            steps: vec![BranchStep::Series("B".into())],
        }
    );
}

#[test]
fn team_settings_and_members_need_an_admin_and_teams_not_read_or_read_only_are_left_out() {
    let mut s = branches_state((120, 40), Lang::En, 5, 4, |i, c| {
        if i == 1 {
            c.settings.as_mut().unwrap()["unit_key"] = json!("H87");
        }
    });
    s.read_only_teams.insert(TeamId::new("team_b02"));
    select(&mut s, "team_b01");
    key(&mut s, KeyCode::Char('R'));
    // b04 was never read; b02 is read-only by config.
    mark(&mut s, &["team_b00", "team_b02", "team_b03", "team_b04"]);
    let reqs = command(&mut s, "apply-setting unit_key");
    let w = warnings(&s);
    assert!(w.iter().any(|w| w.contains("has not been read")), "{w:?}");
    assert!(
        w.iter()
            .any(|w| w.contains("Polanco") && w.contains("read-only")),
        "{w:?}"
    );
    // A member (or editor) key: settings are an admin's, so those teams leave too.
    roles(&mut s, &reqs, |t| {
        if t == "team_b03" { "member" } else { "admin" }
    });
    let w = warnings(&s);
    assert!(
        w.iter().any(|w| w.contains("Coyoacán")
            && w.contains("(member) cannot apply the reference's setting; left out")),
        "{w:?}"
    );
    let Popup::Action(d) = &s.popup else { panic!() };
    assert_eq!(d.object_text(), "1 of the 4 teams (3 left out: see below)");
    let sent = confirm(&mut s);
    let teams: Vec<&str> = sent.iter().map(|(t, _, _)| t.as_str()).collect();
    assert_eq!(teams, vec!["team_b00"]);
    // An editor cannot add or remove members either.
    s.branches.marked.clear();
    select(&mut s, "team_b00");
    let reqs = command(&mut s, "add-member user_new viewer");
    roles(&mut s, &reqs, |_| "editor");
    assert!(matches!(s.popup, Popup::None), "nothing left to send");
    let st = s.status.as_ref().unwrap();
    assert!(
        st.error && st.text.contains("your role refuses it"),
        "{}",
        st.text
    );
}
