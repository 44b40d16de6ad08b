//! "Since you last looked" in the Group tab: `c` switches its figures to what changed
//! since the end of the last session (or `:since 24h|lunes|2026-12-01`), ←/→ choose a
//! column, Enter (or `:changes`) lists the documents behind the cell, and Enter on one
//! jumps to it in its team. The header's "3 teams changed since 19:40" comes from the same
//! answer, asked at start and again whenever the Group load ends.

use crossterm::event::{KeyCode, KeyEvent};

use crate::app::common::jump::jump_to;
use crate::app::data::changes::{
    CellTexts, ChangeItem, Changes, ChangesList, Column, per_team, since_label, teams_changed,
};
use crate::app::msg::Request;
use crate::app::state::{Asking, Intent, Popup, State, complain, say};

use crate::t;

/// Asks the worker for the changes of the window the view wants (also when the Group load
/// ends: the header and the view then count what it saw).
pub fn ask(state: &mut State) -> Vec<Request> {
    let generation = state.asked.again(Asking::Changes);
    state.group.changes.loading = true;
    vec![Request::LoadChanges {
        generation,
        since: state.group.changes.asked.clone(),
    }]
}

/// `c`: the Group tab shows the changes, or the month's figures again. Outside the tab it
/// opens the tab on the changes.
pub fn toggle(state: &mut State) -> Vec<Request> {
    if !state.group.open {
        state.group.changes.on = true;
        state.intents.push(Intent::OpenGroup);
        return ask(state);
    }
    let c = &mut state.group.changes;
    c.on = !c.on;
    c.column = c.column.min(Column::ALL.len());
    if c.on { ask(state) } else { vec![] }
}

/// `:since <when>`: the changes since that moment (the worker reads the words; a moment it
/// cannot read is said and the view keeps what it had). `:since` alone: since the last
/// session again.
pub fn since(state: &mut State, text: &str) -> Vec<Request> {
    let text = text.trim();
    state.group.changes.asked = (!text.is_empty()).then(|| text.to_string());
    state.group.changes.on = true;
    if !state.group.open {
        state.intents.push(Intent::OpenGroup);
    }
    ask(state)
}

/// The answer arrived (dropped when a newer one was asked).
pub fn on_changes(
    state: &mut State,
    generation: u64,
    result: Result<Changes, String>,
) -> Vec<Request> {
    if !state.asked.wanted(Asking::Changes, generation) {
        return vec![];
    }
    let c = &mut state.group.changes;
    c.loading = false;
    match result {
        Ok(answer) => {
            c.error = None;
            c.kept_asked = c.asked.clone();
            let cells = per_team(&answer.items);
            if answer.last_session {
                c.header = Some((teams_changed(&cells), answer.since, answer.now));
            }
            c.texts = cells
                .iter()
                .map(|(t, cells)| (t.clone(), CellTexts::of(cells)))
                .collect();
            c.cells = cells;
            c.shown = Some(answer);
        }
        Err(why) => {
            // A `:since` the worker could not read: said, and the view keeps the window it
            // shows (the one asked before it).
            if c.shown.is_some() {
                c.asked = c.kept_asked.clone();
            }
            c.error = Some(why.clone());
            complain(state, why);
        }
    }
    vec![]
}

/// ←/→ in the Group tab's changes: the column the cursor is on.
pub fn step_column(state: &mut State, delta: isize) -> Vec<Request> {
    let c = &mut state.group.changes;
    if !c.on {
        let msg = t!(
            state.lang,
            "Columns move in the changes: c shows them.",
            "Las columnas se mueven en los cambios: c los muestra."
        );
        complain(state, msg);
        return vec![];
    }
    c.column = (c.column as isize + delta).clamp(0, Column::ALL.len() as isize) as usize;
    vec![]
}

/// The documents behind the cell under the cursor (every change of the team on its name).
pub fn items_of_cell(state: &State, team: &crate::api::TeamId) -> Vec<ChangeItem> {
    let c = &state.group.changes;
    let column = c.column.checked_sub(1).map(|i| Column::ALL[i]);
    c.shown
        .iter()
        .flat_map(|s| s.items.iter())
        .filter(|i| &i.team == team && column.is_none_or(|col| i.column == col))
        .cloned()
        .collect()
}

/// Enter on a cell, or `:changes`: the documents behind it in a popup.
pub fn open_cell(state: &mut State) -> Vec<Request> {
    let lang = state.lang;
    if !state.group.changes.on || state.group.changes.shown.is_none() {
        let msg = t!(
            lang,
            "No changes shown yet: c in the Group tab shows them.",
            "Aún no se muestran cambios: c en la pestaña Grupo los muestra."
        );
        complain(state, msg);
        return vec![];
    }
    let shown = super::visible(state);
    let Some(i) = shown.get(state.group.selected) else {
        let msg = lang.pick("No team selected", "Ningún equipo seleccionado");
        complain(state, msg);
        return vec![];
    };
    let team = state.teams[*i].clone();
    let mut items = items_of_cell(state, &team.id);
    // Newest first: what happened last is what the operator asks about.
    items.reverse();
    let what = match state.group.changes.column.checked_sub(1) {
        Some(c) => Column::ALL[c].title().get(lang).to_string(),
        None => lang.pick("every change", "todos los cambios").to_string(),
    };
    if items.is_empty() {
        let msg = t!(
            lang,
            "«{}»: nothing in {what}.",
            "«{}»: nada en {what}.",
            team.name
        );
        say(state, msg);
        return vec![];
    }
    let since = state
        .group
        .changes
        .shown
        .as_ref()
        .map(|s| since_label(s.since, s.now, lang))
        .unwrap_or_default();
    // The documents' labels are read now, for these items only (the table needed none).
    let reqs = if items.iter().any(|i| i.label.is_empty()) {
        vec![Request::LabelChanges {
            generation: state.asked.again(Asking::ChangeLabels),
            items: items.clone(),
        }]
    } else {
        vec![]
    };
    state.popup = Popup::Changes(ChangesList {
        title: t!(
            lang,
            "{} — {what} since {since}",
            "{} — {what} desde {since}",
            team.name
        ),
        items,
        selected: 0,
    });
    reqs
}

/// The labels of the list arrived: written into the list if it is still the one asked for,
/// and kept with the answer shown (the list opened again has them at once).
pub fn on_labels(state: &mut State, generation: u64, items: Vec<ChangeItem>) -> Vec<Request> {
    if !state.asked.wanted(Asking::ChangeLabels, generation) {
        return vec![];
    }
    // By what tells a change apart: its team, document, kind and moment.
    let labels: std::collections::HashMap<(&crate::api::TeamId, &str, Column, i64), &str> = items
        .iter()
        .map(|i| ((&i.team, i.id.as_str(), i.column, i.seen), i.label.as_str()))
        .collect();
    let label_of = |i: &ChangeItem| {
        labels
            .get(&(&i.team, i.id.as_str(), i.column, i.seen))
            .map(|l| l.to_string())
    };
    if let Some(shown) = state.group.changes.shown.as_mut() {
        for kept in shown.items.iter_mut().filter(|i| i.label.is_empty()) {
            if let Some(l) = label_of(kept) {
                kept.label = l;
            }
        }
    }
    if let Popup::Changes(list) = &mut state.popup {
        for item in list.items.iter_mut() {
            if let Some(l) = label_of(item) {
                item.label = l;
            }
        }
    }
    vec![]
}

/// `:changes`: on a cell of the changes shown, its documents; otherwise the changes are
/// shown first (Enter on a cell then lists them).
pub fn command(state: &mut State) -> Vec<Request> {
    let c = &state.group.changes;
    let (on, shown) = (c.on, c.shown.is_some());
    if state.group.open && on && shown {
        return open_cell(state);
    }
    let msg = t!(
        state.lang,
        "What changed since your last session: ←/→ choose a column, Enter lists its documents.",
        "Qué cambió desde tu última sesión: ←/→ eligen columna, Enter lista sus documentos."
    );
    say(state, msg);
    let mut reqs = vec![];
    if !state.group.open {
        state.intents.push(Intent::OpenGroup);
    }
    if !on || !shown {
        state.group.changes.on = true;
        reqs = ask(state);
    }
    reqs
}

/// Keys in the list: move, Enter jumps to the document in its team, Esc closes.
pub fn on_key(state: &mut State, mut list: ChangesList, key: KeyEvent) -> Vec<Request> {
    let last = list.items.len().saturating_sub(1);
    match key.code {
        KeyCode::Esc | KeyCode::Char('q') => return vec![],
        KeyCode::Down | KeyCode::Char('j') => list.selected = (list.selected + 1).min(last),
        KeyCode::Up | KeyCode::Char('k') => list.selected = list.selected.saturating_sub(1),
        KeyCode::Home | KeyCode::Char('g') => list.selected = 0,
        KeyCode::End | KeyCode::Char('G') => list.selected = last,
        KeyCode::Enter => {
            if let Some(item) = list.items.get(list.selected).cloned() {
                // Out of the Group tab (the switch leaves it), into the document's team
                // and tab.
                return jump_to(state, item.team, item.dataset, item.id);
            }
        }
        _ => {}
    }
    state.popup = Popup::Changes(list);
    vec![]
}
