//! The status line (the last message or error) and the footer (the keys valid now, from
//! the key table).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::theme::Theme;
use crate::app::input::bindings::{BINDINGS, enabled, keys_label};
use crate::app::state::{Popup, State};
use crate::i18n::{Tr, tr};

pub fn draw_status(state: &State, frame: &mut Frame, area: Rect, theme: &Theme) {
    // A message longer than the line ends in `…`, so a cut one never reads as whole.
    let room = |lead: usize| (area.width as usize).saturating_sub(lead);
    let line = match &state.status {
        Some(s) if s.error => Line::from(vec![
            Span::styled(" ✗ ", theme.error()),
            Span::styled(super::parts::fit_end(&s.text, room(3)), theme.error()),
        ]),
        Some(s) => Line::from(vec![
            Span::raw(" "),
            Span::raw(super::parts::fit_end(&s.text, room(1))),
        ]),
        None => Line::styled(
            state
                .lang
                .pick(" ? shows every key", " ? muestra todas las teclas"),
            theme.dim(),
        ),
    };
    frame.render_widget(Paragraph::new(line), area);
}

/// As many `key description` pairs as fit the width, whole.
fn keys(pairs: &[(&str, &str)], width: u16, theme: &Theme) -> Line<'static> {
    let mut spans = vec![Span::raw(" ")];
    let mut used = 1;
    for (k, d) in pairs {
        let w = k.chars().count() + d.chars().count() + 3;
        if used + w > width as usize {
            break;
        }
        used += w;
        spans.push(Span::styled(k.to_string(), theme.key()));
        spans.push(Span::raw(format!(" {d}  ")));
    }
    Line::from(spans)
}

pub fn draw_keys(state: &State, frame: &mut Frame, area: Rect, theme: &Theme) {
    let l = state.lang;
    let keys = |pairs: &[(&str, Tr)], theme: &Theme| {
        let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, d)| (*k, d.get(l))).collect();
        keys(&pairs, area.width, theme)
    };
    let typing = l.pick("type", "escribe");
    let close = tr("close", "cerrar");
    let line = if state.filter_input.is_some() {
        keys(
            &[
                ("Enter", tr("keep filter", "conservar filtro")),
                ("Esc", tr("clear", "borrar")),
                ("↑↓", tr("move", "mover")),
            ],
            theme,
        )
    } else {
        match &state.popup {
            Popup::Switcher(_) => keys(
                &[
                    (typing, tr("name, RFC or id", "nombre, RFC o id")),
                    ("↑↓", tr("choose", "elegir")),
                    ("Enter", tr("switch", "cambiar")),
                    ("Esc", close),
                ],
                theme,
            ),
            Popup::Palette(_) => keys(
                &[
                    ("Enter", tr("run", "ejecutar")),
                    ("Esc", close),
                    (l.pick(":help", ":ayuda"), tr("commands", "comandos")),
                ],
                theme,
            ),
            Popup::Help { .. } => keys(
                &[
                    (typing, tr("search", "buscar")),
                    ("↑↓", tr("scroll", "desplazar")),
                    ("Esc", close),
                ],
                theme,
            ),
            Popup::Detail(_) | Popup::Text(_) => {
                keys(&[("j k", tr("scroll", "desplazar")), ("Esc", close)], theme)
            }
            Popup::Changes(_) => keys(
                &[
                    ("j k", tr("move", "mover")),
                    ("Enter", tr("go to it", "ir al documento")),
                    ("Esc", close),
                ],
                theme,
            ),
            Popup::Listing(l) if l.kind == crate::app::data::account::ListingKind::Complements => {
                keys(
                    &[
                        ("j k", tr("move", "mover")),
                        ("Enter", tr("issue complement", "emitir complemento")),
                        ("Esc", close),
                    ],
                    theme,
                )
            }
            Popup::Listing(_) => keys(&[("j k", tr("scroll", "desplazar")), ("Esc", close)], theme),
            Popup::Find(_) => keys(
                &[
                    (typing, tr("text or amount", "texto o monto")),
                    ("Enter", tr("search / go", "buscar / ir")),
                    ("↑↓", tr("choose", "elegir")),
                    ("Esc", close),
                ],
                theme,
            ),
            Popup::Create(f) if f.choosing_team => keys(
                &[
                    (typing, tr("team name", "nombre del equipo")),
                    ("↑↓", tr("choose", "elegir")),
                    ("Enter", tr("pick", "elegir")),
                    ("Esc", close),
                ],
                theme,
            ),
            Popup::Create(_) => keys(
                &[
                    ("Tab", tr("next field", "siguiente campo")),
                    (typing, tr("filter a list", "filtrar una lista")),
                    ("←→", tr("No / Yes", "No / Sí")),
                    ("Enter", tr("next / send", "siguiente / enviar")),
                    ("Esc", tr("back out", "salir sin enviar")),
                ],
                theme,
            ),
            Popup::Created(c) => {
                // Only the keys what was made answers to: a link, a draft, things to open.
                let mut pairs = Vec::new();
                if c.link.is_some() {
                    pairs.push(("y", tr("copy link", "copiar enlace")));
                }
                if c.draft.is_some() {
                    pairs.push(("s", tr("stamp", "timbrar")));
                    pairs.push(("e", tr("edit", "editar")));
                } else if !c.targets.is_empty() {
                    pairs.push(("Enter", tr("open", "abrir")));
                }
                pairs.push(("Esc", close));
                keys(&pairs, theme)
            }
            Popup::Drafts(_) => keys(
                &[
                    ("↑↓", tr("choose", "elegir")),
                    ("Enter", tr("stamp", "timbrar")),
                    ("e", tr("edit", "editar")),
                    ("d", tr("delete", "borrar")),
                    ("r", tr("read again", "leer de nuevo")),
                    ("Esc", close),
                ],
                theme,
            ),
            Popup::Action(_) => keys(
                &[
                    ("Tab", tr("next field", "siguiente campo")),
                    ("←→", tr("No / Yes", "No / Sí")),
                    ("Enter", tr("confirm", "confirmar")),
                    ("Esc", tr("back out", "salir sin enviar")),
                ],
                theme,
            ),
            // The Group tab's changes: its own keys (sort and the team keys do nothing
            // there).
            Popup::None if state.group.open && state.group.changes.on => keys(
                &[
                    ("c", tr("the month", "el mes")),
                    ("← →", tr("column", "columna")),
                    ("Enter", tr("its documents", "sus documentos")),
                    ("/", tr("filter", "filtrar")),
                    (
                        l.pick(":since", ":desde"),
                        tr("another moment", "otro momento"),
                    ),
                    ("q", tr("quit", "salir")),
                ],
                theme,
            ),
            // The Branches tab: its own keys (`R` is the reference here, not a refund).
            Popup::None if state.branches.open => keys(
                &[
                    ("Enter", tr("configuration", "configuración")),
                    (l.pick("Space", "Espacio"), tr("mark", "marcar")),
                    ("R", tr("reference", "referencia")),
                    (
                        l.pick(":drift", ":diferencias"),
                        tr("list them", "listarlas"),
                    ),
                    ("/", tr("filter", "filtrar")),
                    ("s S", tr("sort", "ordenar")),
                    ("r", tr("read again", "leer de nuevo")),
                    ("q", tr("quit", "salir")),
                ],
                theme,
            ),
            Popup::None => {
                let labels: Vec<(String, &str)> = BINDINGS
                    .iter()
                    .filter(|b| b.footer && enabled(state, b.action).is_ok())
                    .map(|b| (keys_label(state, b), b.description.get(l)))
                    .collect();
                let pairs: Vec<(&str, &str)> =
                    labels.iter().map(|(k, d)| (k.as_str(), *d)).collect();
                self::keys(&pairs, area.width, theme)
            }
        }
    };
    frame.render_widget(Paragraph::new(line), area);
}
