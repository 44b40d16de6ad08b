//! Frame cost of the invoices table at 200×50 with 100 and 100,000 rows (only the visible
//! window is built, so both should cost the same), one filter keystroke over 100,000, and
//! one Group tab frame with 500 teams (every row's figures in).

use gigdash::app::state::Asking;
use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use gigdash::app::fixtures::{self, deliver, loaded_state, team_id};
use gigdash::app::{Msg, Rows, State, update};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// The first `n` rows of one 100,000-row set, so 100 and 100k rows show the same content.
fn state_with(n: usize) -> State {
    let mut s = loaded_state((200, 50), 10);
    let mut rows = fixtures::invoices("master", 100_000);
    rows.truncate(n);
    deliver(&mut s, &team_id("master"), Rows::Invoices(Arc::new(rows)));
    update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::Char('3'), KeyModifiers::NONE)),
    );
    s
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("frame_200x50");
    for n in [100usize, 100_000] {
        let s = state_with(n);
        let mut term = Terminal::new(TestBackend::new(200, 50)).unwrap();
        g.bench_function(format!("invoices_{n}"), |b| {
            b.iter(|| {
                term.draw(|f| gigdash::ui::draw(&s, f)).unwrap();
            })
        });
    }
    g.finish();

    // A switch to a team whose rows are already held, and the frame that shows them.
    let mut g = c.benchmark_group("team_switch_cached");
    let mut s = state_with(100_000);
    let here = s.current.clone().unwrap();
    update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::Char(']'), KeyModifiers::NONE)),
    );
    let there = s.current.clone().unwrap();
    deliver(
        &mut s,
        &there,
        Rows::Invoices(Arc::new(fixtures::invoices("other", 100_000))),
    );
    let mut term = Terminal::new(TestBackend::new(200, 50)).unwrap();
    g.bench_function("switch_and_draw_100k", |b| {
        b.iter(|| {
            let key = if s.current.as_ref() == Some(&here) {
                ']'
            } else {
                '['
            };
            update(
                &mut s,
                Msg::Key(KeyEvent::new(KeyCode::Char(key), KeyModifiers::NONE)),
            );
            term.draw(|f| gigdash::ui::draw(&s, f)).unwrap();
        })
    });
    g.finish();

    let mut g = c.benchmark_group("filter_100k");
    let s = state_with(100_000);
    let base = s.current_view().unwrap().invoices.clone();
    g.bench_function("first_keystroke_full_scan", |b| {
        b.iter_batched(
            || base.clone(),
            |mut t| {
                t.set_filter("p");
                t.view.len()
            },
            criterion::BatchSize::LargeInput,
        )
    });
    let mut narrowed = base.clone();
    narrowed.set_filter("pe");
    g.bench_function("next_keystroke_narrowing", |b| {
        b.iter_batched(
            || narrowed.clone(),
            |mut t| {
                t.set_filter("peñ");
                t.view.len()
            },
            criterion::BatchSize::LargeInput,
        )
    });
    g.bench_function("sort_by_total", |b| {
        b.iter_batched(
            || base.clone(),
            |mut t| {
                t.sort = (3, true);
                t.rebuild_view(None);
                t.view.len()
            },
            criterion::BatchSize::LargeInput,
        )
    });
    g.finish();
}

/// A key reaching 500 teams, every one's figures in, on the Group tab.
fn group_of(n: usize) -> State {
    use gigdash::app::data::group_figures::TeamFigures;
    use rust_decimal::Decimal;
    let mut s = State::new((200, 50));
    let teams: Vec<gigdash::api::Team> = (0..n)
        .map(|i| {
            serde_json::from_value(serde_json::json!({
                "id": format!("team_{i:04}"),
                "legal_name": format!("Sucursal {i:04}"),
                "tax_id": "SUC010101AB1",
            }))
            .unwrap()
        })
        .collect();
    update(
        &mut s,
        Msg::Worker(Box::new(gigdash::app::Update::Teams(Ok(teams)))),
    );
    let generation = s.asked.current(Asking::Group);
    for i in 0..n {
        let k = (i as i64 * 7919) % 100_000;
        update(
            &mut s,
            Msg::Worker(Box::new(gigdash::app::Update::GroupRow {
                generation,
                team: gigdash::api::TeamId::new(format!("team_{i:04}")),
                result: Ok(Box::new(TeamFigures {
                    invoiced_month: Decimal::new(k * 123, 2),
                    collected_month: Decimal::new(k * 99, 2),
                    to_collect: (k % 40) as usize,
                    to_collect_amount: Decimal::new(k * 57, 2),
                    overdue_amount: Decimal::new(k * 3, 2),
                    ppd_owed: Decimal::new(k * 11, 2),
                    cancellations_waiting: (k % 3) as usize,
                    invoices: 1000,
                    payments: 500,
                    complements_owed: (k % 6) as usize,
                    complements_late: (k % 2) as usize,
                    complements_unknown: false,
                })),
                now: 1_764_011_100,
            })),
        );
    }
    s
}

fn bench_group(c: &mut Criterion) {
    let mut g = c.benchmark_group("group_200x50");
    let s = group_of(500);
    let mut term = Terminal::new(TestBackend::new(200, 50)).unwrap();
    g.bench_function("frame_500_teams", |b| {
        b.iter(|| {
            term.draw(|f| gigdash::ui::draw(&s, f)).unwrap();
        })
    });
    let mut sorted = group_of(500);
    for _ in 0..4 {
        update(
            &mut sorted,
            Msg::Key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::NONE)),
        );
    }
    g.bench_function("frame_500_teams_sorted_by_to_collect", |b| {
        b.iter(|| {
            term.draw(|f| gigdash::ui::draw(&sorted, f)).unwrap();
        })
    });
    g.finish();
}

/// The all-teams invoices table with `per_team` rows from each of `teams` teams.
fn all_teams(teams: usize, per_team: usize) -> State {
    let mut s = loaded_state((200, 50), 10);
    update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::Char('3'), KeyModifiers::NONE)),
    );
    s.scope.on = true;
    for t in 0..teams {
        let team = gigdash::api::TeamId::new(format!("team_{t:02}"));
        let rows = fixtures::invoices(&format!("t{t:02}"), per_team);
        s.scope.put(
            &team,
            &format!("Sucursal {t:02}"),
            &Rows::Invoices(Arc::new(rows)),
        );
    }
    s
}

fn bench_all_teams(c: &mut Criterion) {
    let mut g = c.benchmark_group("all_teams_200k");
    g.sample_size(20);
    let s = all_teams(48, 4_167);
    assert!(s.scope.invoices.rows.len() >= 200_000);
    let mut term = Terminal::new(TestBackend::new(200, 50)).unwrap();
    g.bench_function("frame_invoices_48_teams", |b| {
        b.iter(|| {
            term.draw(|f| gigdash::ui::draw(&s, f)).unwrap();
        })
    });
    let base = s.scope.invoices.clone();
    g.bench_function("filter_first_keystroke", |b| {
        b.iter_batched(
            || base.clone(),
            |mut t| {
                t.set_filter("p");
                t.view.len()
            },
            criterion::BatchSize::LargeInput,
        )
    });
    g.finish();
}

/// The Branches tab of 500 teams, every one read (the sandbox's spread), drawn at 200×50:
/// as it opens (worst first), and with a reference set (each row's drift found).
fn bench_branches(c: &mut Criterion) {
    let mut g = c.benchmark_group("branches_200x50");
    let s = fixtures::branches_state((200, 50), gigdash::i18n::Lang::En, 500, 500, |i, c| {
        if i % 7 == 0 {
            c.settings.as_mut().unwrap()["unit_key"] = serde_json::json!("H87");
        }
    });
    assert_eq!(gigdash::app::features::branches::loaded(&s), 500);
    let mut term = Terminal::new(TestBackend::new(200, 50)).unwrap();
    g.bench_function("frame_500_teams", |b| {
        b.iter(|| {
            term.draw(|f| gigdash::ui::draw(&s, f)).unwrap();
        })
    });
    let mut r = s.clone();
    update(
        &mut r,
        Msg::Key(KeyEvent::new(KeyCode::Char('R'), KeyModifiers::NONE)),
    );
    assert!(r.branches.reference.is_some());
    g.bench_function("frame_500_teams_with_reference", |b| {
        b.iter(|| {
            term.draw(|f| gigdash::ui::draw(&r, f)).unwrap();
        })
    });
    g.finish();
}

criterion_group!(benches, bench, bench_group, bench_all_teams, bench_branches);
criterion_main!(benches);
