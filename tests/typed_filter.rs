//! Typed (unbracketed) input into the `/` filter line: characters that arrive together are
//! put in at once and filter the table once per batch, not once per character (300 KB
//! typed took minutes), and the table ends as it would have key by key.

use std::collections::VecDeque;

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use gigdash::app::features::browse::takes_typing;
use gigdash::app::{Msg, State, fixtures, update};
use gigdash::dashboard::apply_events;

fn key(c: char) -> Event {
    Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

/// The invoices of a loaded team, the filter line not yet open.
fn invoices() -> State {
    let mut s = fixtures::loaded_state((120, 40), 2_000);
    update(&mut s, Msg::Key(KeyEvent::from(KeyCode::Char('3'))));
    s
}

fn shown(s: &State) -> Vec<u32> {
    s.current_view().unwrap().invoices.view.clone()
}

/// 300 KB of text that matches a few rows at first and none by the end.
fn typed_300_kb() -> String {
    let mut text = String::from("a-1");
    while text.len() < 300 * 1024 {
        text.push_str("zqxj wvkp ");
    }
    text
}

#[test]
fn typing_300_kb_into_the_filter_filters_once_per_batch_not_per_character() {
    let text = typed_300_kb();
    let mut s = invoices();
    let before = shown(&s).len();
    assert!(before > 1_000, "a table to filter");
    // `/` and the text arrive in one read: `/` opens the line, the rest goes in at once.
    let mut events: VecDeque<Event> = std::iter::once('/').chain(text.chars()).map(key).collect();
    let applied = apply_events(&mut s, &mut events);
    assert!(events.is_empty(), "every event applied");
    assert_eq!(
        applied.app_calls, 2,
        "one call for `/`, one for the typed text"
    );
    assert_eq!(
        gigdash::app::state::current_filter(&mut s).as_deref(),
        Some(text.as_str())
    );
    assert!(takes_typing(&s), "the line stays open");
    assert!(shown(&s).is_empty(), "nothing matches all of it");

    // As the event loop receives it from a terminal: batches of at most a few KB.
    let mut s = invoices();
    let mut calls = apply_events(&mut s, &mut VecDeque::from([key('/')])).app_calls;
    let chars: Vec<char> = text.chars().collect();
    let batches = chars.chunks(4096).count();
    for chunk in chars.chunks(4096) {
        let mut events: VecDeque<Event> = chunk.iter().copied().map(key).collect();
        calls += apply_events(&mut s, &mut events).app_calls;
    }
    assert_eq!(calls, 1 + batches, "one filter pass per batch");
    assert!(calls < 100, "{calls} passes for 300 KB");
}

#[test]
fn a_batch_of_typed_characters_leaves_the_table_as_key_by_key_would() {
    let text = "a-1";
    let mut by_key = invoices();
    for c in std::iter::once('/').chain(text.chars()) {
        update(&mut by_key, Msg::Key(KeyEvent::from(KeyCode::Char(c))));
    }
    let mut batched = invoices();
    let mut events: VecDeque<Event> = std::iter::once('/').chain(text.chars()).map(key).collect();
    apply_events(&mut batched, &mut events);
    assert!(!shown(&by_key).is_empty() && shown(&by_key).len() < 2_000);
    assert_eq!(shown(&batched), shown(&by_key));
    // Editing keys in the middle stay keys: Backspace, then more text, then Enter.
    let mut events: VecDeque<Event> = [
        Event::Key(KeyEvent::from(KeyCode::Backspace)),
        key('2'),
        Event::Key(KeyEvent::from(KeyCode::Enter)),
        key('j'),
    ]
    .into_iter()
    .collect();
    apply_events(&mut batched, &mut events);
    for k in [
        KeyCode::Backspace,
        KeyCode::Char('2'),
        KeyCode::Enter,
        KeyCode::Char('j'),
    ] {
        update(&mut by_key, Msg::Key(KeyEvent::from(k)));
    }
    assert_eq!(shown(&batched), shown(&by_key));
    assert!(!takes_typing(&batched), "Enter closed the line");
    assert_eq!(
        gigdash::app::state::current_filter(&mut batched),
        Some("a-2".to_string())
    );
}
