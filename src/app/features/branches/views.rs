//! The Branches tab's text popups: `:drift` (every difference from the reference, team
//! by team, for the rows shown) and Enter (a team's whole configuration), and their keys.

use crossterm::event::{KeyCode, KeyEvent};

use super::{selected_or_say, visible};
use crate::app::data::branches::{BranchState, drift};
use crate::app::data::columns::Tone;
use crate::app::msg::Request;
use crate::app::state::{Popup, State, TextView, complain, open_popup};
use crate::t;

/// `:drift`: the differences from the reference, team by team (the rows shown, in order).
pub fn open_drift(state: &mut State) -> Vec<Request> {
    let l = state.lang;
    let Some(reference) = state.branches.reference_branch().cloned() else {
        complain(
            state,
            l.pick(
                "No reference team: in the Branches tab (6), R on a team makes it the reference.",
                "Sin equipo de referencia: en la pestaña Sucursales (6), R en un equipo lo hace la referencia.",
            ),
        );
        return vec![];
    };
    let mut lines = Vec::new();
    let mut same = 0;
    let mut differ = 0;
    for id in visible(state) {
        if id == reference.id {
            continue;
        }
        let Some(b) = state.branches.rows.get(&id).and_then(|r| r.branch.as_ref()) else {
            continue;
        };
        let diffs = drift(&reference, b, l);
        if diffs.is_empty() {
            same += 1;
            continue;
        }
        differ += 1;
        lines.push((
            match diffs.len() {
                1 => t!(l, "{} (1 difference)", "{} (1 diferencia)", b.name),
                n => t!(l, "{} ({n} differences)", "{} ({n} diferencias)", b.name),
            },
            Some(Tone::Warn),
        ));
        for d in diffs {
            lines.push((
                t!(
                    l,
                    "  {}: «{}» here, «{}» in the reference",
                    "  {}: «{}» aquí, «{}» en la referencia",
                    d.what,
                    d.here,
                    d.reference
                ),
                None,
            ));
        }
    }
    let r = &reference.name;
    let differ = match differ {
        1 => t!(l, "1 team differs from {r}", "1 equipo difiere de {r}"),
        n => t!(
            l,
            "{n} teams differ from {r}",
            "{n} equipos difieren de {r}"
        ),
    };
    let same = match same {
        1 => l.pick("1 matches it", "1 coincide").to_string(),
        n => t!(l, "{n} match it", "{n} coinciden"),
    };
    lines.insert(0, (format!("{differ}; {same}."), Some(Tone::Muted)));
    open_popup(
        state,
        Popup::Text(TextView {
            title: t!(l, " Drift from {} ", " Diferencias con {} ", reference.name),
            lines,
            scroll: 0,
            spanish: l == crate::i18n::Lang::Es,
        }),
    );
    vec![]
}

/// Enter: the selected team's whole configuration.
pub fn open_selected(state: &mut State) -> Vec<Request> {
    let l = state.lang;
    let Some(id) = selected_or_say(state) else {
        return vec![];
    };
    let Some(row) = state.branches.rows.get(&id) else {
        return vec![];
    };
    let Some(b) = row.branch.clone() else {
        let why = match &row.state {
            BranchState::Failed(e) => e.clone(),
            _ => l.pick("still loading", "aún cargando").to_string(),
        };
        complain(state, why);
        return vec![];
    };
    let mut lines: Vec<(String, Option<Tone>)> = Vec::new();
    let mut line = |s: String, tone: Option<Tone>| lines.push((s, tone));
    let tone = match b.severity() {
        0 => Tone::Bad,
        1 | 2 => Tone::Warn,
        _ => Tone::Good,
    };
    line(
        t!(l, "State: {}", "Estado: {}", b.state_words(l)),
        Some(tone),
    );
    line(String::new(), None);
    line(
        t!(l, "Legal name: {}", "Razón social: {}", b.legal_name),
        None,
    );
    line(
        t!(
            l,
            "RFC: {}   Regime: {}   ZIP: {}",
            "RFC: {}   Régimen: {}   CP: {}",
            b.rfc,
            b.regime,
            b.zip
        ),
        None,
    );
    line(format!("Id: {}", b.id), Some(Tone::Muted));
    line(t!(l, "CSD: {}", "CSD: {}", b.csd_cell(l)), None);
    line(
        t!(
            l,
            "Stamping credits: {}",
            "Créditos de timbrado: {}",
            b.credits_cell(l)
        ),
        None,
    );
    line(
        t!(
            l,
            "Integrations: {}",
            "Integraciones: {}",
            b.integrations_cell(l)
        ),
        None,
    );
    line(String::new(), None);
    line(
        t!(
            l,
            "Series (next folio live / test):",
            "Series (siguiente folio real / prueba):"
        ),
        Some(Tone::Muted),
    );
    match &b.series {
        Some(s) if !s.is_empty() => {
            for s in s {
                let n = |f: Option<u64>| f.map_or("?".to_string(), |f| f.to_string());
                line(format!("  {}  {} / {}", s.name, n(s.live), n(s.test)), None);
            }
        }
        _ => line(format!("  {}", b.series_cell(l)), None),
    }
    line(t!(l, "Members:", "Miembros:"), Some(Tone::Muted));
    match &b.members {
        Some(m) if !m.is_empty() => {
            for m in m {
                line(format!("  {}  {}  ({})", m.role, m.email, m.id), None);
            }
        }
        _ => line(format!("  {}", b.members_cell(l)), None),
    }
    line(t!(l, "Settings:", "Configuración:"), Some(Tone::Muted));
    match &b.settings {
        Some(s) => {
            for (k, v) in s {
                line(format!("  {k} = {v}"), None);
            }
        }
        None => line(format!("  {}", b.settings_cell(l)), None),
    }
    for (part, why) in &b.missing {
        line(
            t!(l, "{part} did not load: {why}", "{part} no cargó: {why}"),
            Some(Tone::Bad),
        );
    }
    open_popup(
        state,
        Popup::Text(TextView {
            title: format!(" {} ", b.name),
            lines,
            scroll: 0,
            spanish: l == crate::i18n::Lang::Es,
        }),
    );
    vec![]
}

/// Keys of a text popup: scroll, Esc/q/Enter closes.
pub fn on_text_key(state: &mut State, mut v: TextView, key: KeyEvent) -> Vec<Request> {
    let max = v.lines.len().saturating_sub(1) as u16;
    match key.code {
        KeyCode::Esc | KeyCode::Char('q') | KeyCode::Enter => return vec![],
        KeyCode::Down | KeyCode::Char('j') => v.scroll = (v.scroll + 1).min(max),
        KeyCode::Up | KeyCode::Char('k') => v.scroll = v.scroll.saturating_sub(1),
        KeyCode::PageDown => v.scroll = (v.scroll + 10).min(max),
        KeyCode::PageUp => v.scroll = v.scroll.saturating_sub(10),
        KeyCode::Home | KeyCode::Char('g') => v.scroll = 0,
        KeyCode::End | KeyCode::Char('G') => v.scroll = max,
        _ => {}
    }
    state.popup = Popup::Text(v);
    vec![]
}
