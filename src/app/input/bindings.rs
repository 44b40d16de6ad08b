//! Key bindings as data: key, action, description, and when an action is enabled (with the
//! reason when it is not). The same table drives the footer, `?` help and the palette.

use crossterm::event::KeyEvent;

pub use crate::app::input::action::Action;
use crate::app::state::{State, Tab};
use crate::i18n::{Lang, Tr, tr};

pub struct Binding {
    pub action: Action,
    /// Actions shown on the same line (`[ ]` previous / next team).
    pub also: &'static [Action],
    pub description: Tr,
    /// Shown in the footer when enabled.
    pub footer: bool,
}

const fn b(also: &'static [Action], action: Action, description: Tr, footer: bool) -> Binding {
    Binding {
        also,
        action,
        description,
        footer,
    }
}

pub const BINDINGS: &[Binding] = &[
    b(
        &[],
        Action::TeamSwitcher,
        tr("switch team", "cambiar equipo"),
        true,
    ),
    b(
        &[Action::NextTeam],
        Action::PrevTeam,
        tr("previous / next team", "equipo anterior / siguiente"),
        true,
    ),
    b(
        &[
            Action::GoTab(Tab::Clients),
            Action::GoTab(Tab::Invoices),
            Action::GoTab(Tab::Payments),
            Action::GoTab(Tab::Receipts),
            Action::NextTab,
            Action::PrevTab,
        ],
        Action::GoTab(Tab::Overview),
        tr("choose / cycle tab", "elegir / rotar pestaña"),
        false,
    ),
    b(
        &[],
        Action::Group,
        tr(
            "Group: every team at once",
            "Grupo: todos los equipos a la vez",
        ),
        false,
    ),
    b(
        &[],
        Action::Branches,
        tr(
            "Branches: every team's health and settings",
            "Sucursales: salud y configuración de cada equipo",
        ),
        false,
    ),
    b(
        &[],
        Action::Changes,
        tr(
            "Group: what changed since your last session",
            "Grupo: qué cambió desde tu última sesión",
        ),
        false,
    ),
    b(
        &[Action::Right],
        Action::Left,
        tr(
            "Group changes: column left / right",
            "Cambios del Grupo: columna izquierda / derecha",
        ),
        false,
    ),
    b(
        &[],
        Action::Find,
        tr("find in every team", "buscar en todos los equipos"),
        false,
    ),
    b(
        &[],
        Action::Scope,
        tr("this team / all teams", "este equipo / todos los equipos"),
        false,
    ),
    b(&[Action::Up], Action::Down, tr("move", "mover"), false),
    b(
        &[Action::PageUp],
        Action::PageDown,
        tr("page", "página"),
        false,
    ),
    b(
        &[Action::Bottom],
        Action::Top,
        tr("first / last row", "primera / última fila"),
        false,
    ),
    b(&[], Action::Open, tr("details", "detalle"), true),
    b(&[], Action::Filter, tr("filter", "filtrar"), true),
    b(
        &[Action::SortReverse],
        Action::Sort,
        tr("sort column / reverse", "ordenar columna / invertir"),
        true,
    ),
    b(&[], Action::Refresh, tr("refresh", "actualizar"), true),
    b(
        &[],
        Action::MarkPaid,
        tr("mark paid", "marcar pagado"),
        true,
    ),
    b(&[], Action::Refund, tr("refund", "reembolsar"), true),
    b(&[], Action::Cancel, tr("cancel", "cancelar"), true),
    b(&[], Action::Download, tr("PDF + XML", "PDF + XML"), true),
    b(&[], Action::Copy, tr("copy id", "copiar id"), true),
    b(
        &[],
        Action::Mark,
        tr("mark for bulk", "marcar para lote"),
        false,
    ),
    b(&[], Action::Export, tr("export CSV", "exportar CSV"), false),
    b(&[], Action::New, tr("new", "nuevo"), true),
    b(&[], Action::Palette, tr("commands", "comandos"), true),
    b(&[], Action::Help, tr("help", "ayuda"), true),
    b(&[], Action::Quit, tr("quit", "salir"), true),
];

/// Which action a key press means in the main view (the state's key map).
pub fn action_for(state: &State, key: &KeyEvent) -> Option<Action> {
    state.keymap.action_for(key)
}

/// The keys shown for a binding: its action's keys and those of its partners, named as
/// the keyboard of the user's language labels them.
pub fn keys_label(state: &State, b: &Binding) -> String {
    let mut out = String::from(state.keymap.keys_for(b.action));
    for a in b.also {
        let k = state.keymap.keys_for(*a);
        if !k.is_empty() {
            out.push(' ');
            out.push_str(k);
        }
    }
    match state.lang {
        Lang::En => out,
        Lang::Es => out
            .split(' ')
            .map(|k| match k {
                "Space" => "Espacio",
                "Home" => "Inicio",
                "End" => "Fin",
                "PgDn" => "AvPág",
                "PgUp" => "RePág",
                "Shift-Tab" => "Mayús-Tab",
                other => other,
            })
            .collect::<Vec<_>>()
            .join(" "),
    }
}

/// `Ok` when the action can run now, or the reason it cannot.
pub fn enabled(state: &State, action: Action) -> Result<(), Tr> {
    if state.branches.open {
        return match action {
            Action::MarkPaid
            | Action::Cancel
            | Action::Download
            | Action::Export
            | Action::New
            | Action::Scope
            | Action::Changes
            | Action::Left
            | Action::Right => Err(tr(
                "not in the Branches tab: 1–5 open the current team's tabs",
                "no en la pestaña Sucursales: 1–5 abren las pestañas del equipo",
            )),
            _ => Ok(()),
        };
    }
    if state.group.open {
        return match action {
            Action::MarkPaid
            | Action::Refund
            | Action::Cancel
            | Action::Download
            | Action::Copy
            | Action::Mark
            | Action::Export => Err(tr(
                "not in the Group tab: Enter opens the selected team",
                "no en la pestaña Grupo: Enter abre el equipo seleccionado",
            )),
            _ => Ok(()),
        };
    }
    let on_table = state.current_view().is_some_and(|v| v.tab != Tab::Overview);
    let tab = state.current_view().map(|v| v.tab);
    match action {
        Action::New if state.read_only => Err(tr(
            "read-only mode: writes are off for this session",
            "modo solo lectura: las escrituras están desactivadas en esta sesión",
        )),
        Action::New if state.offline => Err(tr(
            "offline: gigstack cannot be reached, so nothing can be created",
            "sin conexión: no se puede contactar a gigstack, así que nada se crea",
        )),
        Action::New if !matches!(tab, Some(Tab::Payments | Tab::Invoices | Tab::Clients)) => {
            Err(tr(
                "only in the Payments, Invoices and Clients tabs",
                "solo en las pestañas Pagos, Facturas y Clientes",
            ))
        }
        Action::MarkPaid | Action::Refund | Action::Cancel if state.read_only => Err(tr(
            "read-only mode: writes are off for this session",
            "modo solo lectura: las escrituras están desactivadas en esta sesión",
        )),
        Action::MarkPaid | Action::Refund | Action::Cancel if state.offline => Err(tr(
            "offline: gigstack cannot be reached, so nothing can be written (the rows are the store's)",
            "sin conexión: no se puede contactar a gigstack, así que nada se escribe (las filas son las guardadas)",
        )),
        Action::MarkPaid | Action::Refund | Action::Cancel if state.writes_off() => Err(tr(
            "read-only: the config makes this team read-only",
            "solo lectura: la configuración marca este equipo como de solo lectura",
        )),
        Action::Refund if state.scope.on => Err(tr(
            "a refund is one team's: Enter opens the row's team",
            "un reembolso es de un equipo: Enter abre el equipo de la fila",
        )),
        Action::MarkPaid | Action::Refund if tab != Some(Tab::Payments) => {
            Err(tr("only in the Payments tab", "solo en la pestaña Pagos"))
        }
        Action::Cancel if !matches!(tab, Some(Tab::Payments | Tab::Invoices | Tab::Receipts)) => {
            Err(tr(
                "only in the Invoices, Payments and Receipts tabs",
                "solo en las pestañas Facturas, Pagos y Recibos",
            ))
        }
        Action::PrevTeam | Action::NextTeam | Action::TeamSwitcher
            if state.teams.is_empty() && state.teams_error.is_some() =>
        {
            Err(tr(
                "the team list did not load yet (it retries on its own; r retries now)",
                "la lista de equipos aún no carga (se reintenta sola; r reintenta ahora)",
            ))
        }
        Action::Scope if state.teams.len() < 2 => Err(tr(
            "all teams needs more than one team",
            "todos los equipos necesita más de un equipo",
        )),
        Action::Scope if !on_table => Err(tr(
            "only in the Clients, Invoices and Payments tabs",
            "solo en las pestañas Clientes, Facturas y Pagos",
        )),
        Action::Changes if state.teams.len() < 2 => Err(tr(
            "the changes are the Group tab's: it needs more than one team",
            "los cambios son de la pestaña Grupo: necesita más de un equipo",
        )),
        Action::Left | Action::Right => Err(tr(
            "columns move in the Group tab's changes (c)",
            "las columnas se mueven en los cambios del Grupo (c)",
        )),
        Action::Branches if state.teams.is_empty() => Err(tr(
            "the team list has not loaded yet",
            "la lista de equipos aún no carga",
        )),
        Action::Group if state.teams.len() < 2 => Err(tr(
            "the Group tab needs more than one team",
            "la pestaña Grupo necesita más de un equipo",
        )),
        Action::PrevTeam | Action::NextTeam if state.teams.len() < 2 => Err(tr(
            "only one team is reachable with this key",
            "esta key solo alcanza un equipo",
        )),
        Action::TeamSwitcher | Action::Find if state.teams.is_empty() => Err(tr(
            "the team list has not loaded yet",
            "la lista de equipos aún no carga",
        )),
        Action::Download if tab != Some(Tab::Invoices) => Err(tr(
            "only in the Invoices tab",
            "solo en la pestaña Facturas",
        )),
        Action::Mark if !matches!(tab, Some(Tab::Payments | Tab::Invoices)) => Err(tr(
            "marks are for the Invoices and Payments tabs",
            "las marcas son para las pestañas Facturas y Pagos",
        )),
        Action::Open | Action::Filter | Action::Sort | Action::SortReverse | Action::Copy
            if !on_table =>
        {
            Err(tr(
                "only in the Clients, Invoices and Payments tabs",
                "solo en las pestañas Clientes, Facturas y Pagos",
            ))
        }
        _ => Ok(()),
    }
}
