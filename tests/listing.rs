//! `:users` and `:services` (issue #14's read-only views): the palette asks the worker for
//! the current team's list; the worker reads it from gigstack (users with their role in that
//! team, services with SAT keys); the popup shows it.

mod common;

use common::*;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use gigdash::api::TeamId;
use gigdash::app::data::account::ListingKind;
use gigdash::app::fixtures::{loaded_state, team_id};
use gigdash::app::state::Popup;
use gigdash::app::{Msg, Request, Update, update};

#[test]
fn users_ask_for_the_current_teams_list_and_show_it() {
    let mut s = loaded_state((120, 40), 5);
    let reqs = gigdash::app::update::run_command(&mut s, ":usuarios");
    assert_eq!(
        reqs,
        vec![Request::LoadListing {
            team: team_id("master"),
            kind: ListingKind::Users
        }]
    );
    assert!(s.is_loading(), "the spinner runs while it loads");
    update(
        &mut s,
        Msg::Worker(Box::new(Update::Listing {
            team: team_id("master"),
            kind: ListingKind::Users,
            result: Ok(vec![vec![
                "Ana López".into(),
                "ana@ejemplo.mx".into(),
                "admin".into(),
                String::new(),
            ]]),
        })),
    );
    let Popup::Listing(l) = &s.popup else {
        panic!()
    };
    assert_eq!(l.rows.as_ref().unwrap().as_ref().unwrap().len(), 1);
    // Another team's answer (a switch happened since) does not land here.
    update(
        &mut s,
        Msg::Worker(Box::new(Update::Listing {
            team: team_id("coyoacan"),
            kind: ListingKind::Users,
            result: Ok(vec![]),
        })),
    );
    let Popup::Listing(l) = &s.popup else {
        panic!()
    };
    assert_eq!(l.rows.as_ref().unwrap().as_ref().unwrap().len(), 1);
    update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE)),
    );
    assert!(matches!(s.popup, Popup::None));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_worker_lists_users_with_roles_and_services_with_sat_keys() {
    let sb = sandbox().await;
    let client = client(&sb, sb.admin_key());
    let team = TeamId::new(sb.keys[0].team.clone());
    let (req_tx, mut rx) = spawn_worker(client, |w| w);
    for kind in [
        ListingKind::Users,
        ListingKind::Services,
        ListingKind::Month,
    ] {
        req_tx
            .send(Request::LoadListing {
                team: team.clone(),
                kind,
            })
            .unwrap();
        let rows = recv_within(&mut rx, &format!("the {kind:?} listing"), |u| match u {
            Update::Listing {
                result, kind: k, ..
            } if k == kind => Some(result.unwrap()),
            _ => None,
        })
        .await;
        assert!(!rows.is_empty(), "{kind:?}");
        match kind {
            ListingKind::Users => {
                let api = walk(&sb, sb.admin_key(), "/users", 100).await;
                assert_eq!(rows.len(), api.len());
                assert!(
                    rows.iter()
                        .all(|r| ["admin", "member", "viewer", "editor"].contains(&r[2].as_str())),
                    "{rows:?}"
                );
            }
            ListingKind::Services => {
                assert!(
                    rows.iter()
                        .all(|r| r[2].len() == 8 && r[2].bytes().all(|b| b.is_ascii_digit())),
                    "{rows:?}"
                );
            }
            ListingKind::Complements | ListingKind::Fiscal => {
                unreachable!("computed by the app, never fetched")
            }
            ListingKind::Month => {
                // Every team, then the totals.
                let teams = walk(&sb, sb.admin_key(), "/teams", 100).await;
                assert_eq!(rows.len(), teams.len() + 1, "{rows:?}");
                assert_eq!(rows.last().unwrap()[0], "Total");
                assert!(rows.iter().all(|r| r.len() == 7));
            }
        }
    }
}
