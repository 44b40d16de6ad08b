//! `app::update` as the operator drives it: switching teams, stale responses, per-team
//! views, filtering, sorting, paging, streaming, errors, the switcher and the palette.

use gigdash::app::state::Asking;
use std::sync::Arc;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use gigdash::api::ApiError;
use gigdash::app::data::table::Load;
use gigdash::app::fixtures::{self, NOW, deliver, loaded_state, team_id};
use gigdash::app::state::Popup;
use gigdash::app::{Dataset, Msg, Request, Rows, State, Tab, Update, update};

fn key(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

fn code(c: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(c, KeyModifiers::NONE))
}

fn typed(s: &mut State, text: &str) {
    for c in text.chars() {
        update(s, key(c));
    }
}

fn current_name(s: &State) -> String {
    s.current_team().unwrap().name.clone()
}

fn loads(reqs: &[Request]) -> Vec<Dataset> {
    reqs.iter()
        .filter_map(|r| match r {
            Request::Load { dataset, .. } => Some(*dataset),
            _ => None,
        })
        .collect()
}

#[test]
fn first_team_list_picks_the_keys_own_team_and_loads_the_overview() {
    let mut s = State::new((120, 40));
    update(
        &mut s,
        Msg::Worker(Box::new(Update::Connected {
            own_team: Some(team_id("master")),
            live: false,
            demo: true,
            base_url: String::new(),
        })),
    );
    let reqs = update(
        &mut s,
        Msg::Worker(Box::new(Update::Teams(Ok(fixtures::teams())))),
    );
    assert_eq!(current_name(&s), "Grupo Doña Lupe");
    assert_eq!(loads(&reqs), vec![Dataset::Invoices, Dataset::Payments]);
    assert!(reqs.contains(&Request::FocusTeam {
        team: team_id("master")
    }));
    assert!(reqs.contains(&Request::RememberTeam {
        team: team_id("master")
    }));
}

#[test]
fn a_preferred_team_from_the_command_line_wins() {
    let mut s = State::new((120, 40));
    s.preferred_team = Some("juriquilla".into());
    update(
        &mut s,
        Msg::Worker(Box::new(Update::Teams(Ok(fixtures::teams())))),
    );
    assert_eq!(current_name(&s), "Doña Lupe Juriquilla");
}

#[test]
fn brackets_switch_teams_in_one_keystroke_and_wrap() {
    let mut s = loaded_state((120, 40), 50);
    let names: Vec<String> = s.teams.iter().map(|t| t.name.clone()).collect();
    let start = s.current_index().unwrap();
    let g0 = s.asked.current(Asking::Team);
    let reqs = update(&mut s, key(']'));
    assert_eq!(current_name(&s), names[(start + 1) % names.len()]);
    assert_eq!(s.asked.current(Asking::Team), g0 + 1);
    assert!(reqs.iter().any(|r| matches!(r, Request::FocusTeam { .. })));
    update(&mut s, key('['));
    update(&mut s, key('['));
    assert_eq!(
        current_name(&s),
        names[(start + names.len() - 1) % names.len()]
    );
}

#[test]
fn switching_team_never_shows_old_rows() {
    let mut s = loaded_state((120, 40), 50);
    update(&mut s, key('3'));
    let old_team = s.current.clone().unwrap();
    let old_generation = s.asked.current(Asking::Team);
    update(&mut s, key(']'));
    let new_team = s.current.clone().unwrap();
    assert_ne!(old_team, new_team);
    // The new team has nothing yet: its table is empty and loading, not the old rows.
    let v = s.current_view().unwrap();
    assert!(v.invoices.rows.is_empty());
    assert_eq!(v.invoices.load, Load::Loading);
    assert_eq!(
        v.tab,
        Tab::Invoices,
        "a new team opens on the tab the operator is on"
    );

    // A late answer for the old team (old generation) is dropped.
    update(
        &mut s,
        Msg::Worker(Box::new(Update::Page {
            team: old_team.clone(),
            generation: old_generation,
            rows: Rows::Invoices(Arc::new(fixtures::invoices("stale", 5))),
            first: true,
            done: true,
            total: None,
            now: NOW,
            cached_age: None,
        })),
    );
    assert!(s.current_view().unwrap().invoices.rows.is_empty());
    // Even one tagged with the current generation but the wrong team is dropped.
    let generation = s.asked.current(Asking::Team);
    update(
        &mut s,
        Msg::Worker(Box::new(Update::Page {
            team: old_team,
            generation,
            rows: Rows::Invoices(Arc::new(fixtures::invoices("stale", 5))),
            first: true,
            done: true,
            total: None,
            now: NOW,
            cached_age: None,
        })),
    );
    assert!(s.current_view().unwrap().invoices.rows.is_empty());
    // Its own rows do arrive.
    deliver(
        &mut s,
        &new_team,
        Rows::Invoices(Arc::new(fixtures::invoices("coyo", 7))),
    );
    let v = s.current_view().unwrap();
    assert_eq!(v.invoices.rows.len(), 7);
    assert!(
        v.invoices
            .rows
            .iter()
            .all(|r| r.client_id().starts_with("client_coyo_"))
    );
}

#[test]
fn switching_back_shows_the_teams_rows_at_once_and_keeps_its_view() {
    let mut s = loaded_state((120, 40), 80);
    let home = s.current.clone().unwrap();
    update(&mut s, key('3'));
    typed(&mut s, "/peñ");
    update(&mut s, code(KeyCode::Enter));
    update(&mut s, key('s'));
    update(&mut s, key('j'));
    let (filter, sort, selected) = {
        let t = &s.current_view().unwrap().invoices;
        (t.filter.clone(), t.sort, t.selected)
    };
    assert_eq!(filter, "peñ");
    update(&mut s, key(']'));
    update(&mut s, key('2'));
    assert_eq!(s.current_view().unwrap().tab, Tab::Clients);
    let reqs = update(&mut s, key('['));
    assert_eq!(s.current.as_ref(), Some(&home));
    let v = s.current_view().unwrap();
    assert_eq!(v.tab, Tab::Invoices);
    assert_eq!(
        v.invoices.rows.len(),
        80,
        "cached rows are there before any answer"
    );
    assert_eq!(
        (
            v.invoices.filter.clone(),
            v.invoices.sort,
            v.invoices.selected
        ),
        (filter, sort, selected)
    );
    assert_eq!(
        loads(&reqs),
        vec![Dataset::Invoices],
        "and a revalidation runs behind them"
    );
}

#[test]
fn filter_narrows_as_you_type_ignoring_accents_and_esc_clears() {
    let mut s = loaded_state((120, 40), 140);
    update(&mut s, key('3'));
    update(&mut s, key('/'));
    typed(&mut s, "nunez");
    let t = &s.current_view().unwrap().invoices;
    assert!(!t.view.is_empty());
    assert!(t.view.len() < 140);
    assert!(
        t.view
            .iter()
            .all(|i| t.rows[*i as usize].client().contains("Núñez"))
    );
    update(&mut s, code(KeyCode::Backspace));
    update(&mut s, code(KeyCode::Esc));
    let t = &s.current_view().unwrap().invoices;
    assert!(t.filter.is_empty());
    assert_eq!(t.view.len(), 140);
    assert!(s.filter_input.is_none());
}

#[test]
fn sort_cycles_columns_and_reverse_keeps_the_selection() {
    let mut s = loaded_state((120, 40), 60);
    update(&mut s, key('3'));
    assert_eq!(
        s.current_view().unwrap().invoices.sort,
        (1, true),
        "newest first"
    );
    update(&mut s, key('s'));
    update(&mut s, key('s'));
    let t = &s.current_view().unwrap().invoices;
    assert_eq!(t.sort, (3, false), "by total");
    let totals: Vec<_> = t
        .view
        .iter()
        .map(|i| t.rows[*i as usize].total_mxn())
        .collect();
    assert!(totals.windows(2).all(|w| w[0] <= w[1]));
    update(&mut s, key('j'));
    update(&mut s, key('j'));
    let before = s
        .current_view()
        .unwrap()
        .invoices
        .selected_row()
        .unwrap()
        .uuid()
        .to_string();
    update(&mut s, key('S'));
    let t = &s.current_view().unwrap().invoices;
    assert_eq!(t.sort, (3, true));
    assert_eq!(t.selected_row().unwrap().uuid(), before);
}

#[test]
fn paging_moves_by_a_screen_and_keeps_the_selection_visible() {
    let mut s = loaded_state((120, 40), 500);
    update(&mut s, key('4'));
    let h = s.table_height();
    update(&mut s, code(KeyCode::PageDown));
    let t = &s.current_view().unwrap().payments;
    assert_eq!(t.selected, h);
    assert!(t.selected >= t.offset && t.selected < t.offset + h);
    update(&mut s, key('G'));
    let t = &s.current_view().unwrap().payments;
    assert_eq!(t.selected, 499);
    assert_eq!(t.offset, 500 - h);
    update(&mut s, code(KeyCode::PageUp));
    assert_eq!(s.current_view().unwrap().payments.selected, 499 - h);
    update(&mut s, key('g'));
    let t = &s.current_view().unwrap().payments;
    assert_eq!((t.selected, t.offset), (0, 0));
    update(&mut s, key('k'));
    assert_eq!(
        s.current_view().unwrap().payments.selected,
        0,
        "no movement above the top"
    );
    update(&mut s, Msg::Resize(120, 20));
    update(&mut s, key('G'));
    let t = &s.current_view().unwrap().payments;
    assert_eq!(t.offset, 500 - s.table_height());
}

#[test]
fn pages_stream_in_and_a_refresh_keeps_old_rows_until_complete() {
    let mut s = loaded_state((120, 40), 10);
    update(&mut s, key('3'));
    let team = s.current.clone().unwrap();
    update(&mut s, key(']'));
    let other = s.current.clone().unwrap();
    let g = s.asked.current(Asking::Team);
    let page = |rows: Vec<_>, first, done| {
        Msg::Worker(Box::new(Update::Page {
            team: other.clone(),
            generation: g,
            rows: Rows::Invoices(Arc::new(rows)),
            first,
            done,
            total: Some(250),
            now: NOW,
            cached_age: None,
        }))
    };
    let all = fixtures::invoices("other", 250);
    update(&mut s, page(all[..100].to_vec(), true, false));
    assert_eq!(
        s.current_view().unwrap().invoices.rows.len(),
        100,
        "the first page shows at once"
    );
    update(&mut s, page(all[100..200].to_vec(), false, false));
    assert_eq!(s.current_view().unwrap().invoices.rows.len(), 200);
    update(&mut s, page(all.clone(), false, true));
    let t = &s.current_view().unwrap().invoices;
    assert_eq!((t.rows.len(), t.load.clone()), (250, Load::Loaded));

    // Refresh: old rows stay until the new set is complete.
    let reqs = update(&mut s, key('r'));
    assert!(reqs.iter().any(|r| matches!(
        r,
        Request::Load {
            force: true,
            dataset: Dataset::Invoices,
            ..
        }
    )));
    update(&mut s, page(fixtures::invoices("fresh", 100), true, false));
    assert_eq!(s.current_view().unwrap().invoices.rows.len(), 250);
    update(&mut s, page(fixtures::invoices("fresh", 120), false, true));
    assert_eq!(s.current_view().unwrap().invoices.rows.len(), 120);
    let _ = team;
}

#[test]
fn a_connect_refusal_is_explained_and_the_dashboard_stays_usable() {
    let mut s = loaded_state((120, 40), 10);
    update(&mut s, key(']'));
    let team = s.current.clone().unwrap();
    let generation = s.asked.current(Asking::Team);
    update(
        &mut s,
        Msg::Worker(Box::new(Update::LoadFailed {
            team: team.clone(),
            generation,
            dataset: Dataset::Invoices,
            error: ApiError::NoMatchedTeams {
                team: Some(team.clone()),
            },
        })),
    );
    let status = s.status.clone().unwrap();
    assert!(status.error);
    assert!(status.text.contains("Doña Lupe"), "{}", status.text);
    assert!(status.text.contains("billing account"), "{}", status.text);
    assert!(
        !status.text.contains(team.as_str()),
        "names the team, not its id: {}",
        status.text
    );
    assert!(s.current_view().unwrap().error.is_some());
    // r retries, ] moves on.
    let reqs = update(&mut s, key('r'));
    assert!(!loads(&reqs).is_empty());
    update(&mut s, key(']'));
    assert_ne!(s.current.as_ref(), Some(&team));
}

#[test]
fn teams_failing_to_load_says_what_to_do() {
    let mut s = State::new((120, 40));
    update(
        &mut s,
        Msg::Worker(Box::new(Update::Teams(Err(ApiError::Unauthorized {
            message: "Invalid API key".into(),
        })))),
    );
    let st = s.status.clone().unwrap();
    assert!(
        st.error && st.text.contains("GIGSTACK_API_KEY"),
        "{}",
        st.text
    );
    let reqs = update(&mut s, key('r'));
    assert_eq!(reqs, vec![Request::LoadTeams]);
}

#[test]
fn team_switcher_filters_by_name_rfc_or_id_and_enter_switches() {
    let mut s = loaded_state((120, 40), 10);
    update(&mut s, key('t'));
    assert!(matches!(s.popup, Popup::Switcher(_)));
    typed(&mut s, "juriq");
    assert_eq!(s.switcher_matches("juriq").len(), 1);
    update(&mut s, code(KeyCode::Enter));
    assert_eq!(current_name(&s), "Doña Lupe Juriquilla");
    assert!(matches!(s.popup, Popup::None));
    update(&mut s, key('t'));
    typed(&mut s, "DLC900202");
    update(&mut s, code(KeyCode::Enter));
    assert_eq!(current_name(&s), "Doña Lupe Coyoacán");
    update(&mut s, key('t'));
    typed(&mut s, "team_master");
    update(&mut s, code(KeyCode::Enter));
    assert_eq!(current_name(&s), "Grupo Doña Lupe");
    update(&mut s, key('t'));
    typed(&mut s, "zzzz");
    let g = s.asked.current(Asking::Team);
    update(&mut s, code(KeyCode::Enter));
    assert_eq!(s.asked.current(Asking::Team), g, "no match, no switch");
    update(&mut s, code(KeyCode::Esc));
    assert!(matches!(s.popup, Popup::None));
}

#[test]
fn palette_runs_team_tab_refresh_and_quit_commands() {
    let mut s = loaded_state((120, 40), 10);
    update(&mut s, key(':'));
    typed(&mut s, "team coyo");
    update(&mut s, code(KeyCode::Enter));
    assert_eq!(current_name(&s), "Doña Lupe Coyoacán");
    update(&mut s, key(':'));
    typed(&mut s, "payments");
    update(&mut s, code(KeyCode::Enter));
    assert_eq!(s.current_view().unwrap().tab, Tab::Payments);
    update(&mut s, key(':'));
    typed(&mut s, "refresh");
    let reqs = update(&mut s, code(KeyCode::Enter));
    assert!(
        reqs.iter()
            .any(|r| matches!(r, Request::Load { force: true, .. }))
    );
    update(&mut s, key(':'));
    typed(&mut s, "frobnicate");
    update(&mut s, code(KeyCode::Enter));
    assert!(s.status.as_ref().unwrap().error);
    update(&mut s, key(':'));
    typed(&mut s, "quit");
    let reqs = update(&mut s, code(KeyCode::Enter));
    assert!(s.quit && reqs.contains(&Request::Quit));
}

#[test]
fn enter_opens_the_detail_of_the_selected_row_and_esc_closes() {
    let mut s = loaded_state((120, 40), 10);
    update(&mut s, key('3'));
    update(&mut s, key('j'));
    let uuid = s
        .current_view()
        .unwrap()
        .invoices
        .selected_row()
        .unwrap()
        .uuid()
        .to_string();
    let reqs = update(&mut s, code(KeyCode::Enter));
    assert!(
        matches!(&reqs[..], [Request::Detail { dataset: Dataset::Invoices, id, .. }] if *id == uuid)
    );
    assert!(matches!(&s.popup, Popup::Detail(d) if d.result.is_none()));
    update(&mut s, code(KeyCode::Esc));
    assert!(matches!(s.popup, Popup::None));
}

#[test]
fn disabled_keys_say_why_and_quit_keys_quit() {
    let mut s = loaded_state((120, 40), 10);
    let reqs = update(&mut s, code(KeyCode::Enter));
    assert!(reqs.is_empty(), "Enter does nothing on the Overview");
    assert!(s.status.as_ref().unwrap().text.contains("only in the"));
    update(&mut s, key('?'));
    assert!(matches!(s.popup, Popup::Help { .. }));
    update(&mut s, key('?'));
    assert!(matches!(s.popup, Popup::None));
    let reqs = update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL)),
    );
    assert!(s.quit && reqs == vec![Request::Quit]);
    let mut s = loaded_state((120, 40), 10);
    update(&mut s, key('q'));
    assert!(s.quit);
}

/// Mexico City's local day of a timestamp, counted from 1970-01-01: the city keeps UTC-6
/// all year since 2022, so this needs no time-zone database.
fn mx_day(ts: i64) -> i64 {
    (ts - 6 * 3600).div_euclid(86_400)
}

/// (year, month) in Mexico City of a timestamp, as a month number.
fn mx_month(ts: i64) -> i32 {
    let d = jiff::Timestamp::from_second(ts - 6 * 3600)
        .unwrap()
        .to_zoned(jiff::tz::TimeZone::UTC)
        .date();
    d.year() as i32 * 12 + d.month() as i32 - 1
}

#[test]
fn the_overview_figures_follow_the_data() {
    use gigdash::api::PaymentStatus;
    use rust_decimal::Decimal;
    let s = loaded_state((120, 40), 300);
    let o = s.current_view().unwrap().overview.clone().unwrap();
    assert_eq!(o.month_label, "2026-11");
    assert!(o.invoices_month > 0);
    assert!(o.pending_count > 0);
    assert!(o.ppd_open > 0);
    assert_eq!(o.monthly.len(), 12);
    assert_eq!(o.daily.len(), 30);

    // The same figures recomputed from the rows loaded_state delivered (NOW is
    // 2026-11-24 in Mexico City), in pesos: the fixtures' dollars are at 18.25.
    let invoices = fixtures::invoices("master", 300);
    let payments = fixtures::payments("master", 300);
    let pesos = |amount: Decimal, currency: &str| match currency {
        "MXN" => amount,
        "USD" => amount * Decimal::new(1825, 2),
        other => panic!("no rate for {other} in the fixtures"),
    };
    let this_month = mx_month(NOW);
    assert_eq!(this_month, 2026 * 12 + 10);
    let mut invoiced_month = Decimal::ZERO;
    let mut invoices_month = 0;
    let mut monthly = vec![Decimal::ZERO; 12];
    let (mut ppd_owed, mut ppd_open) = (Decimal::ZERO, 0);
    for r in &invoices {
        // Valid, whatever its cancellation (a pending one is still valid until accepted).
        if r.status != gigdash::app::data::documents::RowStatus::Valid || r.kind() != "I" {
            continue;
        }
        let amount = pesos(r.total, r.currency());
        let month = mx_month(r.created);
        if month == this_month {
            invoiced_month += amount;
            invoices_month += 1;
        }
        if (0..12).contains(&(this_month - month)) {
            monthly[(11 - (this_month - month)) as usize] += amount;
        }
        if r.method() == "PPD"
            && let Some(b) = r.balance().filter(|b| *b > Decimal::ZERO)
        {
            ppd_owed += pesos(b, r.currency());
            ppd_open += 1;
        }
    }
    let (mut pending_count, mut pending_amount) = (0, Decimal::ZERO);
    let mut collected_month = Decimal::ZERO;
    let mut daily = vec![Decimal::ZERO; 30];
    for p in &payments {
        let amount = pesos(p.total, p.currency());
        match p.status() {
            PaymentStatus::Pending
            | PaymentStatus::RequiresPaymentMethod
            | PaymentStatus::Processing => {
                pending_count += 1;
                pending_amount += amount;
            }
            PaymentStatus::Succeeded | PaymentStatus::Refunded => {
                let at = p.succeeded_at().expect("a paid fixture has its date");
                if mx_month(at) == this_month {
                    collected_month += amount;
                }
                let days = mx_day(NOW) - mx_day(at);
                if (0..30).contains(&days) {
                    daily[(29 - days) as usize] += amount;
                }
            }
            _ => {}
        }
    }
    // Guards: each figure has rows behind it, so an equality below is not 0 == 0.
    assert!(invoiced_month > Decimal::ZERO && collected_month > Decimal::ZERO);
    assert!(pending_amount > Decimal::ZERO && ppd_owed > Decimal::ZERO);
    assert!(monthly.iter().filter(|m| !m.is_zero()).count() > 1);
    assert!(daily.iter().filter(|d| !d.is_zero()).count() > 1);

    assert_eq!(o.invoiced_month, invoiced_month);
    assert_eq!(o.invoices_month, invoices_month);
    assert_eq!(o.collected_month, collected_month);
    assert_eq!(o.pending_count, pending_count);
    assert_eq!(o.pending_amount, pending_amount);
    assert_eq!(o.ppd_owed, ppd_owed);
    assert_eq!(o.ppd_open, ppd_open);
    let labels: Vec<&str> = o.monthly.iter().map(|(l, _)| l.as_str()).collect();
    assert_eq!(labels.first(), Some(&"2025-12"));
    assert_eq!(labels.last(), Some(&"2026-11"));
    let amounts: Vec<Decimal> = o.monthly.iter().map(|(_, m)| *m).collect();
    assert_eq!(amounts, monthly);
    assert_eq!(o.daily, daily);
}

#[test]
fn e_exports_the_table_exactly_as_shown() {
    let mut s = loaded_state((120, 40), 120);
    update(&mut s, key('3'));
    update(&mut s, key('/'));
    typed(&mut s, "rio");
    update(&mut s, code(KeyCode::Enter));
    update(&mut s, key('s'));
    let reqs = update(&mut s, key('e'));
    let [Request::ExportTable { csv, name, .. }] = &reqs[..] else {
        panic!("{reqs:?}")
    };
    assert_eq!(name, "invoices");
    let t = &s.current_view().unwrap().invoices;
    let mut rdr = csv::Reader::from_reader(&csv[..]);
    let folios: Vec<String> = rdr.records().map(|r| r.unwrap()[0].to_string()).collect();
    let shown: Vec<String> = t
        .view
        .iter()
        .map(|i| t.rows[*i as usize].folio().to_string())
        .collect();
    assert_eq!(folios, shown, "same rows, same order");
    assert!(folios.len() < 120);
}

#[test]
fn mouse_wheel_moves_and_a_click_selects_the_row_under_it() {
    let mut s = loaded_state((120, 40), 200);
    update(&mut s, key('3'));
    update(&mut s, Msg::Scroll(1));
    assert_eq!(s.current_view().unwrap().invoices.selected, 3);
    update(&mut s, Msg::Click { row: 4 + 7 });
    assert_eq!(s.current_view().unwrap().invoices.selected, 7);
    update(&mut s, Msg::Click { row: 1 });
    assert_eq!(
        s.current_view().unwrap().invoices.selected,
        7,
        "a click on the tabs selects nothing"
    );
}

// ---- Spanish ------------------------------------------------------------------------

fn spanish() -> State {
    fixtures::loaded_state_in((120, 40), 60, gigdash::i18n::Lang::Es)
}

fn status(s: &State) -> String {
    s.status
        .as_ref()
        .map(|t| t.text.clone())
        .unwrap_or_default()
}

fn palette(s: &mut State, line: &str) -> Vec<Request> {
    update(s, key(':'));
    typed(s, line);
    update(s, code(KeyCode::Enter))
}

#[test]
fn spanish_palette_understands_both_languages_and_answers_in_spanish() {
    let mut s = spanish();
    palette(&mut s, "facturas");
    assert_eq!(s.current_view().unwrap().tab, Tab::Invoices);
    palette(&mut s, "payments");
    assert_eq!(s.current_view().unwrap().tab, Tab::Payments);
    palette(&mut s, "volar");
    assert_eq!(
        status(&s),
        "Comando desconocido «volar»; prueba :ayuda",
        "an unknown command is named, in Spanish"
    );
    palette(&mut s, "equipo coyo");
    assert!(current_name(&s).contains("Coyoacán"));
    assert_eq!(status(&s), format!("Equipo «{}»", current_name(&s)));
    palette(&mut s, "equipo zzzz");
    assert_eq!(status(&s), "Ningún equipo coincide con «zzzz»");
}

#[test]
fn spanish_errors_name_the_team_and_say_what_to_do() {
    let mut s = spanish();
    update(&mut s, key(']'));
    fixtures::fail_load(&mut s, Dataset::Invoices, |t| ApiError::RoleDenied {
        team: Some(t),
    });
    let name = current_name(&s);
    assert!(
        status(&s).starts_with(&format!(
            "Tu rol no permite esta acción en el equipo «{name}»"
        )),
        "{}",
        status(&s)
    );
    // A key that reaches nothing.
    let mut s = spanish();
    update(&mut s, Msg::Worker(Box::new(Update::Teams(Ok(vec![])))));
    assert!(status(&s).starts_with("Esta key no alcanza ningún equipo"));
    // A write key where it does not apply says why, in Spanish.
    let mut s = spanish();
    update(&mut s, key('p'));
    assert_eq!(status(&s), "solo en la pestaña Pagos");
}

#[test]
fn spanish_filter_matches_the_spanish_status_words() {
    let mut s = spanish();
    update(&mut s, key('3'));
    update(&mut s, key('/'));
    typed(&mut s, "cancelada");
    update(&mut s, code(KeyCode::Enter));
    let v = s.current_view().unwrap();
    let shown: Vec<_> = v
        .invoices
        .view
        .iter()
        .map(|i| &v.invoices.rows[*i as usize])
        .collect();
    assert!(!shown.is_empty());
    assert!(shown.iter().all(|r| r.status_label() == "cancelada"));
}

#[test]
fn team_lists_sort_as_a_spanish_speaker_expects() {
    let names = [
        "Sucursal Güemes",
        "Zapata",
        "ómnibus Centro",
        "Ñandú Norte",
        "Álvarez Matriz",
        "Nuevo León",
        "nogales",
    ];
    let teams: Vec<gigdash::api::Team> = names
        .iter()
        .enumerate()
        .map(|(i, n)| {
            serde_json::from_value(serde_json::json!({"id": format!("team_{i}"), "legal_name": n}))
                .unwrap()
        })
        .collect();
    let mut s = State::new((120, 40));
    update(&mut s, Msg::Worker(Box::new(Update::Teams(Ok(teams)))));
    let order: Vec<&str> = s.teams.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(
        order,
        [
            "Álvarez Matriz",
            "nogales",
            "Nuevo León",
            "Ñandú Norte",
            "ómnibus Centro",
            "Sucursal Güemes",
            "Zapata"
        ]
    );
}

// ---- The store ------------------------------------------------------------------------

#[test]
fn refresh_all_reads_the_whole_team_again_and_plain_refresh_does_not() {
    let mut s = fixtures::loaded_state((120, 40), 60);
    let team = s.current.clone().unwrap();
    let reqs = palette(&mut s, "refresh all");
    let complete: Vec<Dataset> = reqs
        .iter()
        .filter_map(|r| match r {
            Request::LoadComplete {
                team: t, dataset, ..
            } if *t == team => Some(*dataset),
            _ => None,
        })
        .collect();
    assert_eq!(
        complete,
        vec![Dataset::Clients, Dataset::Invoices, Dataset::Payments]
    );
    assert!(status(&s).contains("whole team"), "{}", status(&s));
    // In Spanish too; a plain refresh is not a complete read.
    let mut s = spanish();
    let reqs = palette(&mut s, "actualizar todo");
    assert_eq!(reqs.len(), 3);
    let reqs = palette(&mut s, "actualizar");
    assert!(
        reqs.iter()
            .all(|r| !matches!(r, Request::LoadComplete { .. }))
    );
}

#[test]
fn offline_refuses_writes_saying_why_and_clears_when_gigstack_answers() {
    let mut s = fixtures::loaded_state((120, 40), 60);
    update(&mut s, key('4'));
    update(
        &mut s,
        Msg::Worker(Box::new(Update::Offline { offline: true })),
    );
    assert!(s.offline);
    assert!(status(&s).contains("cannot be reached"), "{}", status(&s));
    let reqs = update(&mut s, key('p'));
    assert!(reqs.is_empty(), "{reqs:?}");
    assert!(matches!(s.popup, gigdash::app::state::Popup::None));
    assert!(
        status(&s).contains("nothing can be written"),
        "{}",
        status(&s)
    );
    update(
        &mut s,
        Msg::Worker(Box::new(Update::Offline { offline: false })),
    );
    assert!(!s.offline);
    assert_eq!(status(&s), "gigstack answers again.");
    update(&mut s, key('p'));
    assert!(
        !status(&s).contains("nothing can be written"),
        "online again: p is not refused for being offline ({})",
        status(&s)
    );
}

#[test]
fn stored_rows_carry_their_age_until_fresh_ones_arrive() {
    let mut s = fixtures::loaded_state((120, 40), 60);
    let team = s.current.clone().unwrap();
    update(
        &mut s,
        Msg::Worker(Box::new(Update::AsOf {
            team: team.clone(),
            at: Some(fixtures::NOW - 600),
        })),
    );
    assert_eq!(s.as_of.get(&team), Some(&(fixtures::NOW - 600)));
    update(
        &mut s,
        Msg::Worker(Box::new(Update::AsOf {
            team: team.clone(),
            at: None,
        })),
    );
    assert!(!s.as_of.contains_key(&team));
    // A store notice is said as it came.
    update(
        &mut s,
        Msg::Worker(Box::new(Update::StoreNotice(
            "The store was rebuilt.".into(),
        ))),
    );
    assert_eq!(status(&s), "The store was rebuilt.");
}
