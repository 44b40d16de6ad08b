//! The main view's own actions on the current team's tables: tabs, moving, the filter line,
//! sorting, marks, details, copying, downloading, exporting and refreshing.

use tui_input::Input;

use super::load::{LoadMode, load_tab};
use super::msg::{Dataset, Request};
use super::rows::Row;
use super::state::{
    DetailView, Popup, State, Tab, complain, current_filter, move_table, say, with_table,
};
use crate::t;

/// The tab cycle's length (Tab, Shift-Tab).
const TABS: usize = Tab::ALL.len();

pub fn resize(state: &mut State, w: u16, h: u16) -> Vec<Request> {
    state.size = (w, h);
    let height = state.table_height();
    if let Some(v) = state.current_view_mut() {
        v.clients.scroll_into_view(height);
        v.invoices.scroll_into_view(height);
        v.payments.scroll_into_view(height);
    }
    vec![]
}

/// The mouse wheel: three rows a step.
pub fn scroll(state: &mut State, steps: i8) -> Vec<Request> {
    let height = state.table_height();
    move_table(state, |t| t.move_by(steps as isize * 3), height)
}

/// A click on a screen row selects the table row drawn there.
pub fn click(state: &mut State, row: u16) -> Vec<Request> {
    // Table rows start below the header, the tabs, the top border and the titles.
    const FIRST_ROW: u16 = 4;
    let height = state.table_height();
    if row >= FIRST_ROW && ((row - FIRST_ROW) as usize) < height {
        let target = (row - FIRST_ROW) as usize;
        move_table(state, |t| t.click(target), height);
    }
    vec![]
}

/// Esc in the main view clears a filter that is still applied.
pub fn clear_filter(state: &mut State) -> Vec<Request> {
    if let Some(filter) = current_filter(state)
        && !filter.is_empty()
    {
        with_table(
            state,
            |t| t.set_filter(""),
            |t| t.set_filter(""),
            |t| t.set_filter(""),
        );
        let msg = state.lang.pick("Filter cleared", "Filtro borrado");
        say(state, msg);
    }
    vec![]
}

pub fn go_tab(state: &mut State, tab: Tab) -> Vec<Request> {
    let Some(view) = state.current_view_mut() else {
        return vec![];
    };
    view.tab = tab;
    load_tab(state, LoadMode::Missing)
}

/// Tab and Shift-Tab.
pub fn cycle_tab(state: &mut State, forward: bool) -> Vec<Request> {
    let cur = state
        .current_view()
        .map(|v| v.tab)
        .unwrap_or_default()
        .index();
    let next = if forward {
        (cur + 1) % TABS
    } else {
        (cur + TABS - 1) % TABS
    };
    go_tab(state, Tab::ALL[next])
}

/// Down, Up, PageDown, PageUp, Top, Bottom.
pub fn step(state: &mut State, how: Move) -> Vec<Request> {
    let height = state.table_height();
    let page = height.max(1) as isize;
    match how {
        Move::By(d) => move_table(state, |t| t.move_by(d), height),
        Move::Page(d) => move_table(state, |t| t.move_by(d * page), height),
        Move::Top => move_table(state, |t| t.top(), height),
        Move::Bottom => move_table(state, |t| t.bottom(), height),
    }
}

/// How the selection moves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Move {
    By(isize),
    Page(isize),
    Top,
    Bottom,
}

/// `/`: the filter line opens on the table's current filter.
pub fn start_filter(state: &mut State) -> Vec<Request> {
    let f = current_filter(state).unwrap_or_default();
    state.filter_input = Some(Input::new(f));
    vec![]
}

/// `s` cycles the sort column; `S` reverses it.
pub fn sort(state: &mut State, reverse: bool) -> Vec<Request> {
    let height = state.table_height();
    if reverse {
        with_table(
            state,
            |t| t.reverse_sort(),
            |t| t.reverse_sort(),
            |t| t.reverse_sort(),
        );
    } else {
        with_table(
            state,
            |t| t.cycle_sort(),
            |t| t.cycle_sort(),
            |t| t.cycle_sort(),
        );
    }
    move_table(state, |_| {}, height)
}

/// Space: marks the row (invoices and payments) and moves down.
pub fn mark(state: &mut State) -> Vec<Request> {
    let height = state.table_height();
    with_table(state, |_| {}, |t| t.toggle_mark(), |t| t.toggle_mark());
    move_table(state, |t| t.move_by(1), height)
}

/// `r`: the team list when no team is open, else this tab's data, bypassing the cache.
pub fn refresh(state: &mut State) -> Vec<Request> {
    if state.current.is_none() {
        state.teams_loading = true;
        return vec![Request::LoadTeams];
    }
    let msg = state.lang.pick("Refreshing…", "Actualizando…");
    say(state, msg);
    load_tab(state, LoadMode::Force)
}

/// `e`: the table as shown (filtered, sorted) to CSV.
pub fn export(state: &mut State) -> Vec<Request> {
    let Some(v) = state.current_view() else {
        return vec![];
    };
    let lang = state.lang;
    let (csv, rows) = match v.tab {
        Tab::Clients => (v.clients.to_csv(lang), v.clients.view.len()),
        Tab::Invoices => (v.invoices.to_csv(lang), v.invoices.view.len()),
        Tab::Payments => (v.payments.to_csv(lang), v.payments.view.len()),
        Tab::Overview => return vec![],
    };
    let name = v.tab.title(lang).to_lowercase();
    let team_name = state
        .current_team()
        .map(|t| t.name.clone())
        .unwrap_or_default();
    let msg = t!(
        lang,
        "Exporting {rows} {name} as shown…",
        "Exportando {rows} {name} como se ven…"
    );
    say(state, msg);
    vec![Request::ExportTable {
        team_name,
        name,
        csv,
    }]
}

/// `y`: the selected row's id to the clipboard.
pub fn copy(state: &mut State) -> Vec<Request> {
    let Some(v) = state.current_view() else {
        return vec![];
    };
    let id = match v.tab {
        Tab::Clients => v.clients.selected_row().map(|r| r.id().to_string()),
        Tab::Invoices => v.invoices.selected_row().map(|r| r.id().to_string()),
        Tab::Payments => v.payments.selected_row().map(|r| r.id().to_string()),
        Tab::Overview => None,
    };
    // Only the printable id: a hostile id must not put a newline or an escape sequence
    // on the clipboard (and from there into a shell).
    match id.map(|i| crate::text::token(&i)).filter(|i| !i.is_empty()) {
        Some(text) => {
            let msg = t!(
                state.lang,
                "Copied {text} to the clipboard (OSC 52)",
                "Se copió {text} al portapapeles (OSC 52)"
            );
            say(state, msg);
            vec![Request::Copy { text }]
        }
        None => vec![],
    }
}

/// `d`: the selected invoice's PDF and XML.
pub fn download(state: &mut State) -> Vec<Request> {
    let (Some(team), Some(v)) = (state.current.clone(), state.current_view()) else {
        return vec![];
    };
    let Some(row) = v.invoices.selected_row() else {
        return vec![];
    };
    let (uuid, folio) = (row.uuid().to_string(), row.folio().to_string());
    let team_name = state
        .current_team()
        .map(|t| t.name.clone())
        .unwrap_or_default();
    let msg = t!(
        state.lang,
        "Downloading the PDF and XML of {folio}…",
        "Descargando el PDF y el XML de {folio}…"
    );
    say(state, msg);
    vec![Request::Download {
        team,
        team_name,
        uuid,
        folio,
    }]
}

/// Enter: the detail popup of the selected row, while its full object loads.
pub fn open_detail(state: &mut State) -> Vec<Request> {
    let Some(v) = state.current_view() else {
        return vec![];
    };
    let (dataset, id) = match v.tab {
        Tab::Clients => (
            Dataset::Clients,
            v.clients.selected_row().map(|r| r.id().to_string()),
        ),
        Tab::Invoices => (
            Dataset::Invoices,
            v.invoices.selected_row().map(|r| r.id().to_string()),
        ),
        Tab::Payments => (
            Dataset::Payments,
            v.payments.selected_row().map(|r| r.id().to_string()),
        ),
        Tab::Overview => return vec![],
    };
    let Some(id) = id else {
        let msg = state.lang.pick("Nothing selected", "Nada seleccionado");
        complain(state, msg);
        return vec![];
    };
    let Some(team) = state.current.clone() else {
        return vec![];
    };
    state.popup = Popup::Detail(DetailView {
        dataset,
        id: id.clone(),
        result: None,
        scroll: 0,
    });
    vec![Request::Detail {
        team,
        generation: state.generation,
        dataset,
        id,
    }]
}
