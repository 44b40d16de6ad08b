//! The main view's own actions on the current team's tables: tabs, moving, the filter line,
//! sorting, marks, details, copying, downloading, exporting and refreshing.

use crate::app::state::Asking;
use tui_input::Input;

use crate::api::TeamId;
use crate::app::common::load::{LoadMode, load_tab};
use crate::app::data::documents::Row;
use crate::app::msg::{Dataset, Request};
use crate::app::state::{
    DetailView, Popup, State, Tab, complain, current_filter, move_table, say, with_shown,
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
        with_shown(state, |t| t.set_filter(""));
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

/// Plain characters typed into the table's open filter line that arrived together (the
/// event loop drains them): inserted at once and filtered once, not once per character.
pub fn type_into_filter(state: &mut State, text: &str) {
    if !takes_typing(state) {
        return;
    }
    let Some(input) = state.filter_input.take() else {
        return;
    };
    let (value, cursor) = (input.value(), input.cursor());
    let at = value
        .char_indices()
        .nth(cursor)
        .map_or(value.len(), |(b, _)| b);
    let next = [&value[..at], text, &value[at..]].concat();
    let cursor = cursor + text.chars().count();
    state.filter_input = Some(Input::new(next.clone()).with_cursor(cursor));
    let height = state.table_height();
    with_shown(state, |t| t.set_filter(&next));
    move_table(state, |t| t.move_by(0), height);
}

/// The table's filter line is open (not the Group or Branches tab's, whose filters take
/// keys one at a time): typed characters go there.
pub fn takes_typing(state: &State) -> bool {
    state.filter_input.is_some() && !state.group.open && !state.branches.open
}

/// `s` cycles the sort column; `S` reverses it.
pub fn sort(state: &mut State, reverse: bool) -> Vec<Request> {
    let height = state.table_height();
    if reverse {
        with_shown(state, |t| t.reverse_sort());
    } else {
        with_shown(state, |t| t.cycle_sort());
    }
    move_table(state, |_| {}, height)
}

/// Space: marks the row (invoices and payments) and moves down.
pub fn mark(state: &mut State) -> Vec<Request> {
    let height = state.table_height();
    let tab = state.current_view().map(|v| v.tab);
    if !matches!(tab, Some(Tab::Invoices | Tab::Payments)) {
        return vec![];
    }
    if state.scope.on {
        // A mark belongs to the row's own team (bulk writes group by team from there); the
        // all-teams table shows it too.
        let target = match tab {
            Some(Tab::Invoices) => state
                .scope
                .invoices
                .selected_row()
                .map(|r| (r.team.clone(), r.id().to_string())),
            _ => state
                .scope
                .payments
                .selected_row()
                .map(|r| (r.team.clone(), r.id().to_string())),
        };
        let Some((team, id)) = target else {
            return vec![];
        };
        let id: Box<str> = id.into();
        let (all, own) = match tab {
            Some(Tab::Invoices) => (
                &mut state.scope.invoices.marked,
                state.views.get_mut(&team).map(|v| &mut v.invoices.marked),
            ),
            _ => (
                &mut state.scope.payments.marked,
                state.views.get_mut(&team).map(|v| &mut v.payments.marked),
            ),
        };
        let on = !all.remove(&id);
        if on {
            all.insert(id.clone());
        }
        if let Some(own) = own {
            if on {
                own.insert(id);
            } else {
                own.remove(&id);
            }
        }
    } else {
        with_shown(state, |t| t.toggle_mark());
    }
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

/// `:refresh all`: the team's clients, invoices and payments read completely, so what
/// the server deleted leaves the table (and the store).
pub fn refresh_all(state: &mut State) -> Vec<Request> {
    if state.current.is_none() {
        return refresh(state);
    }
    let msg = state.lang.pick(
        "Reading the whole team again…",
        "Leyendo de nuevo todo el equipo…",
    );
    say(state, msg);
    crate::app::common::load::reload(
        state,
        &[Dataset::Clients, Dataset::Invoices, Dataset::Payments],
    )
    .into_iter()
    .map(|r| match r {
        Request::Load {
            team,
            generation,
            dataset,
            ..
        } => Request::LoadComplete {
            team,
            generation,
            dataset,
        },
        other => other,
    })
    .collect()
}

/// `e`: the table as shown (filtered, sorted) to CSV.
pub fn export(state: &mut State) -> Vec<Request> {
    let Some(v) = state.current_view() else {
        return vec![];
    };
    let lang = state.lang;
    if v.tab == Tab::Overview {
        return vec![];
    }
    let mut name = v.tab.title(lang).to_lowercase();
    let mut out = None;
    with_shown(state, |t| out = Some((t.to_csv(lang), t.shown())));
    let Some((csv, rows)) = out else {
        return vec![];
    };
    // The all-teams table (with its Team column) goes to a folder of its own.
    let team_name = if state.scope.on {
        name.push_str(lang.pick("-all-teams", "-todos-los-equipos"));
        lang.pick("all-teams", "todos-los-equipos").to_string()
    } else {
        state
            .current_team()
            .map(|t| t.name.clone())
            .unwrap_or_default()
    };
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
    let id = match (state.scope.on, v.tab) {
        (true, Tab::Clients) => state
            .scope
            .clients
            .selected_row()
            .map(|r| r.id().to_string()),
        (true, Tab::Invoices) => state
            .scope
            .invoices
            .selected_row()
            .map(|r| r.id().to_string()),
        (true, Tab::Payments) => state
            .scope
            .payments
            .selected_row()
            .map(|r| r.id().to_string()),
        (_, Tab::Clients) => v.clients.selected_row().map(|r| r.id().to_string()),
        (_, Tab::Invoices) => v.invoices.selected_row().map(|r| r.id().to_string()),
        (_, Tab::Payments) => v.payments.selected_row().map(|r| r.id().to_string()),
        // A receipt: its self-invoice link, what the customer needs.
        (true, Tab::Receipts) => state
            .scope
            .receipts
            .selected_row()
            .map(|r| r.row.link().to_string()),
        (_, Tab::Receipts) => v.receipts.selected_row().map(|r| r.link().to_string()),
        (_, Tab::Overview) => None,
    };
    match id {
        Some(id) => crate::app::common::clipboard::copy(state, &id),
        None => vec![],
    }
}

/// `d`: the selected invoice's PDF and XML.
pub fn download(state: &mut State) -> Vec<Request> {
    let (Some(current), Some(v)) = (state.current.clone(), state.current_view()) else {
        return vec![];
    };
    // In the all-teams scope the file goes to the row's own team's folder.
    let (team, team_name, uuid, folio) = if state.scope.on {
        let Some(r) = state.scope.invoices.selected_row() else {
            return vec![];
        };
        (
            r.team.clone(),
            r.team_name.to_string(),
            r.row.uuid().to_string(),
            r.row.folio().to_string(),
        )
    } else {
        let Some(row) = v.invoices.selected_row() else {
            return vec![];
        };
        let name = state
            .current_team()
            .map(|t| t.name.clone())
            .unwrap_or_default();
        (
            current,
            name,
            row.uuid().to_string(),
            row.folio().to_string(),
        )
    };
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
    let Some(dataset) = v.tab.dataset() else {
        return vec![];
    };
    let picked = if state.scope.on {
        let own = |team: &TeamId, id: &str| (team.clone(), id.to_string());
        match dataset {
            Dataset::Clients => state
                .scope
                .clients
                .selected_row()
                .map(|r| own(&r.team, r.id())),
            Dataset::Invoices => state
                .scope
                .invoices
                .selected_row()
                .map(|r| own(&r.team, r.id())),
            Dataset::Payments => state
                .scope
                .payments
                .selected_row()
                .map(|r| own(&r.team, r.id())),
            Dataset::Receipts => state
                .scope
                .receipts
                .selected_row()
                .map(|r| own(&r.team, r.id())),
        }
    } else {
        let id = match dataset {
            Dataset::Clients => v.clients.selected_row().map(|r| r.id().to_string()),
            Dataset::Invoices => v.invoices.selected_row().map(|r| r.id().to_string()),
            Dataset::Payments => v.payments.selected_row().map(|r| r.id().to_string()),
            Dataset::Receipts => v.receipts.selected_row().map(|r| r.id().to_string()),
        };
        id.zip(state.current.clone()).map(|(id, team)| (team, id))
    };
    let Some((team, id)) = picked else {
        let msg = state.lang.pick("Nothing selected", "Nada seleccionado");
        complain(state, msg);
        return vec![];
    };
    state.popup = Popup::Detail(DetailView {
        dataset,
        id: id.clone(),
        result: None,
        scroll: 0,
        owed: Vec::new(),
    });
    vec![Request::Detail {
        team,
        generation: state.asked.current(Asking::Team),
        dataset,
        id,
    }]
}
