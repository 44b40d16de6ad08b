//! The Branches tab (`6`, `:branches`): every team's configuration and health side by side —
//! CSD and its days left, stamping credits, series and their folios, integrations, members,
//! fiscal identity and invoice defaults — with what keeps a branch from invoicing said in a
//! State column, worst first, and counted in the title. `R` makes the selected team the
//! reference: every cell that differs from it is marked, and `:drift` lists the differences
//! team by team. Enter shows a team's whole configuration.

use crossterm::event::{KeyCode, KeyEvent};

use crate::api::{ApiError, TeamConfig, TeamId};
use crate::app::data::branches::{Branch, BranchRow, BranchState, drift};
use crate::app::data::columns::Tone;
use crate::app::dialogs::kinds::WriteKind;
use crate::app::form::text::edit;
use crate::app::msg::{Generation, Request};
use crate::app::state::{Asking, Popup, State, TextView, complain, open_popup, say};
use crate::t;

/// The columns, for sorting: state, name, CSD days, credits, series, members.
pub const SORTS: usize = 6;

/// Opens the tab; reads every team the first time (or after leaving mid-load).
pub fn open(state: &mut State) -> Vec<Request> {
    if state.teams.is_empty() {
        let msg = state.lang.pick(
            "The team list has not loaded yet.",
            "La lista de equipos aún no carga.",
        );
        complain(state, msg);
        return vec![];
    }
    state.branches.open = true;
    state.filter_input = None;
    let unfinished = state
        .branches
        .rows
        .values()
        .any(|r| r.state == BranchState::Loading);
    if state.branches.rows.is_empty() || unfinished {
        return load(state);
    }
    vec![]
}

/// `r` in the tab: every team's configuration again.
pub fn load(state: &mut State) -> Vec<Request> {
    let generation = state.asked.again(Asking::Branches);
    let b = &mut state.branches;
    if b.order.is_empty() {
        b.order = state.teams.iter().map(|t| t.id.clone()).collect();
    }
    for id in b.order.clone() {
        let row = b.rows.entry(id).or_insert(BranchRow {
            state: BranchState::Loading,
            branch: None,
            config: None,
        });
        row.state = BranchState::Loading;
    }
    vec![Request::LoadBranches { generation }]
}

/// Leaves the tab; stops the teams not read yet.
pub fn leave(state: &mut State) -> Vec<Request> {
    if !state.branches.open {
        return vec![];
    }
    state.branches.open = false;
    state.filter_input = None;
    if state
        .branches
        .rows
        .values()
        .any(|r| r.state == BranchState::Loading)
    {
        vec![Request::StopBranches]
    } else {
        vec![]
    }
}

/// The team list arrived: its order is the table's; teams gone leave it.
pub fn on_listed(
    state: &mut State,
    generation: Generation,
    result: Result<Vec<TeamId>, ApiError>,
) -> Vec<Request> {
    if !state.asked.wanted(Asking::Branches, generation) {
        return vec![];
    }
    let lang = state.lang;
    match result {
        Ok(ids) => {
            let b = &mut state.branches;
            b.rows.retain(|id, _| ids.contains(id));
            for id in &ids {
                b.rows.entry(id.clone()).or_insert(BranchRow {
                    state: BranchState::Loading,
                    branch: None,
                    config: None,
                });
            }
            b.order = ids;
            if b.reference
                .as_ref()
                .is_some_and(|r| !b.rows.contains_key(r))
            {
                b.reference = None;
            }
        }
        Err(e) => {
            let why = e.short(lang).to_string();
            for row in state.branches.rows.values_mut() {
                if row.state == BranchState::Loading {
                    row.state = BranchState::Failed(why.clone());
                }
            }
            complain(state, e.describe(lang));
        }
    }
    vec![]
}

/// One team's configuration arrived.
pub fn on_branch(
    state: &mut State,
    generation: Generation,
    config: Box<TeamConfig>,
    now: i64,
) -> Vec<Request> {
    if !state.asked.wanted(Asking::Branches, generation) {
        return vec![];
    }
    let low = state.branches.low();
    let b = &mut state.branches;
    if !b.order.contains(&config.id) {
        b.order.push(config.id.clone());
    }
    b.rows.insert(
        config.id.clone(),
        BranchRow {
            state: BranchState::Loaded,
            branch: Some(Branch::read(&config, now, low)),
            config: Some(config),
        },
    );
    vec![]
}

/// Rows no longer loading.
pub fn loaded(state: &State) -> usize {
    state
        .branches
        .rows
        .values()
        .filter(|r| r.state != BranchState::Loading)
        .count()
}

/// The teams as the table shows them: filtered (name, RFC, id, state words), sorted.
pub fn visible(state: &State) -> Vec<TeamId> {
    let b = &state.branches;
    let l = state.lang;
    let words: Vec<String> = b
        .filter
        .split_whitespace()
        .map(crate::i18n::sort_key)
        .collect();
    let name_of = |id: &TeamId| -> String {
        b.rows
            .get(id)
            .and_then(|r| r.branch.as_ref())
            .map(|x| x.name.clone())
            .or_else(|| {
                state
                    .teams
                    .iter()
                    .find(|t| &t.id == id)
                    .map(|t| t.name.clone())
            })
            .unwrap_or_else(|| id.to_string())
    };
    let mut out: Vec<TeamId> = b
        .order
        .iter()
        .filter(|id| {
            if words.is_empty() {
                return true;
            }
            let x = b.rows.get(*id).and_then(|r| r.branch.as_ref());
            let hay = crate::i18n::sort_key(&format!(
                "{} {} {} {}",
                name_of(id),
                x.map(|x| x.rfc.as_str()).unwrap_or(""),
                id,
                x.map(|x| x.state_words(l)).unwrap_or_default()
            ));
            words.iter().all(|w| hay.contains(w.as_str()))
        })
        .cloned()
        .collect();
    let (col, desc) = b.sort;
    let key = |id: &TeamId| -> (u8, i64, String) {
        let row = b.rows.get(id);
        let x = row.and_then(|r| r.branch.as_ref());
        let name = crate::i18n::sort_key(&name_of(id));
        // Rows not loaded (or failed) come after the loaded ones, failed first.
        let rank = match row.map(|r| &r.state) {
            Some(BranchState::Loaded) => 0,
            Some(BranchState::Failed(_)) => 1,
            _ => 2,
        };
        match (col, x) {
            (0, Some(x)) => (x.severity(), 0, name),
            (0, None) => (rank + 4, 0, name),
            (1, _) => (0, 0, name),
            (2, Some(x)) => (
                0,
                match x.csd {
                    crate::app::data::branches::CsdState::Expired { days_ago } => -days_ago,
                    crate::app::data::branches::CsdState::Valid { days_left } => days_left,
                    crate::app::data::branches::CsdState::None => i64::MIN / 2,
                    crate::app::data::branches::CsdState::Unknown => i64::MIN / 4,
                },
                name,
            ),
            (3, Some(x)) => (
                0,
                x.credits
                    .and_then(|c| i64::try_from(c.trunc()).ok())
                    .unwrap_or(i64::MIN / 2),
                name,
            ),
            (4, Some(x)) => (0, x.series.as_ref().map_or(-1, |s| s.len() as i64), name),
            (5, Some(x)) => (0, x.members.as_ref().map_or(-1, |m| m.len() as i64), name),
            (_, None) => (rank + 4, 0, name),
            _ => (0, 0, name),
        }
    };
    out.sort_by_cached_key(key);
    if desc {
        out.reverse();
    }
    out
}

fn window(state: &State) -> usize {
    state.table_height().max(1)
}

pub fn page(state: &State) -> isize {
    window(state) as isize
}

/// Moves the cursor by `delta` rows (saturating).
pub fn step(state: &mut State, delta: isize) -> Vec<Request> {
    let n = visible(state).len();
    let h = window(state);
    let b = &mut state.branches;
    let last = n.saturating_sub(1) as isize;
    b.selected = (b.selected as isize + delta).clamp(0, last.max(0)) as usize;
    if b.selected < b.offset {
        b.offset = b.selected;
    } else if b.selected >= b.offset + h {
        b.offset = b.selected + 1 - h;
    }
    vec![]
}

/// `s` cycles the sort column (state, name, CSD, credits, series, members), `S` reverses.
pub fn sort(state: &mut State, reverse: bool) -> Vec<Request> {
    let b = &mut state.branches;
    if reverse {
        b.sort.1 = !b.sort.1;
    } else {
        b.sort = ((b.sort.0 + 1) % SORTS, false);
    }
    b.selected = 0;
    b.offset = 0;
    vec![]
}

fn selected(state: &State) -> Option<TeamId> {
    visible(state).get(state.branches.selected).cloned()
}

fn name(state: &State, id: &TeamId) -> String {
    state
        .branches
        .rows
        .get(id)
        .and_then(|r| r.branch.as_ref())
        .map(|b| b.name.clone())
        .unwrap_or_else(|| crate::app::state::team_name(state, id))
}

/// `R`: the selected team becomes the reference (again on it: none).
pub fn set_reference(state: &mut State) -> Vec<Request> {
    let l = state.lang;
    let Some(id) = selected(state) else {
        complain(
            state,
            l.pick("No team selected", "Ningún equipo seleccionado"),
        );
        return vec![];
    };
    if state.branches.reference.as_ref() == Some(&id) {
        state.branches.reference = None;
        say(
            state,
            l.pick(
                "No reference team: nothing is marked.",
                "Sin equipo de referencia: nada se marca.",
            ),
        );
        return vec![];
    }
    let loaded = state
        .branches
        .rows
        .get(&id)
        .is_some_and(|r| r.branch.is_some());
    if !loaded {
        complain(
            state,
            l.pick(
                "That team's configuration has not loaded: it cannot be the reference yet.",
                "La configuración de ese equipo no ha cargado: aún no puede ser la referencia.",
            ),
        );
        return vec![];
    }
    let n = name(state, &id);
    state.branches.reference = Some(id);
    say(
        state,
        t!(
            l,
            "Reference: {n}. Cells that differ from it are marked; :drift lists them.",
            "Referencia: {n}. Las celdas que difieren se marcan; :diferencias las lista."
        ),
    );
    vec![]
}

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
    let Some(id) = selected(state) else {
        complain(
            state,
            l.pick("No team selected", "Ningún equipo seleccionado"),
        );
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

/// `/` in the tab.
pub fn start_filter(state: &mut State) -> Vec<Request> {
    state.filter_input = Some(tui_input::Input::new(state.branches.filter.clone()));
    vec![]
}

/// Keys while the filter is typed: the table narrows as you type.
pub fn on_filter_key(state: &mut State, key: KeyEvent) -> Vec<Request> {
    let Some(mut input) = state.filter_input.take() else {
        return vec![];
    };
    match key.code {
        KeyCode::Esc => state.branches.filter.clear(),
        KeyCode::Enter => {}
        _ => {
            if edit(&mut input, &key) {
                state.branches.filter = input.value().to_string();
                state.branches.selected = 0;
                state.branches.offset = 0;
            }
            state.filter_input = Some(input);
        }
    }
    vec![]
}

/// Esc in the tab clears the filter.
pub fn clear_filter(state: &mut State) -> Vec<Request> {
    if !state.branches.filter.is_empty() {
        state.branches.filter.clear();
        let msg = state.lang.pick("Filter cleared", "Filtro borrado");
        say(state, msg);
    }
    vec![]
}

/// An action of a team's tables, refused here with the way there.
pub fn not_here(state: &mut State) -> Vec<Request> {
    let msg = state.lang.pick(
        "Not in the Branches tab: 1–5 open the current team's tabs, t another team.",
        "No en la pestaña Sucursales: 1–5 abren las pestañas del equipo, t otro equipo.",
    );
    complain(state, msg);
    vec![]
}

/// Space: marks the selected team for a bulk change (again: unmarks), and moves down.
pub fn mark(state: &mut State) -> Vec<Request> {
    let Some(id) = selected(state) else {
        return vec![];
    };
    let b = &mut state.branches;
    if !b.marked.remove(&id) {
        b.marked.insert(id);
    }
    step(state, 1)
}

/// The roles gigstack knows for a member (§7.5).
pub const ROLES: [&str; 4] = ["admin", "editor", "viewer", "member"];

/// `{a: {b: value}}` for the dotted key `a.b`.
fn nested(key: &str, value: serde_json::Value) -> serde_json::Value {
    key.rsplit('.')
        .fold(value, |v, k| serde_json::json!({ k: v }))
}

/// The reference's raw value of a dotted settings key.
fn reference_value(state: &State, key: &str) -> Option<serde_json::Value> {
    let r = state.branches.reference.as_ref()?;
    let settings = state
        .branches
        .rows
        .get(r)?
        .config
        .as_ref()?
        .settings
        .as_ref()
        .ok()?;
    let mut v = settings;
    for k in key.split('.') {
        v = v.get(k)?;
    }
    Some(v.clone())
}

/// A bulk change to the marked teams (or the selected one): `:add-member <user> [role]`,
/// `:remove-member <user>`, `:add-series <name>`, `:apply-setting <key>` (the reference's
/// value). Checked before anything is sent — teams where it does not apply are left out
/// and said (already a member, its last admin, the series exists, the same value, not read
/// yet, read-only) — then one confirmation lists each team and what changes there, and the
/// key's role is checked per team; the bulk run sends one write per team.
pub fn team_write(state: &mut State, kind: WriteKind, args: &str) -> Vec<Request> {
    use crate::app::dialogs::kinds::TeamWrite;
    let l = state.lang;
    if !state.branches.open {
        let what = kind.title(l);
        complain(
            state,
            t!(
                l,
                "{what}: changes to teams are made in the Branches tab (6): mark teams with Space, then the command.",
                "{what}: los cambios a equipos se hacen en la pestaña Sucursales (6): marca equipos con Espacio y luego el comando."
            ),
        );
        return vec![];
    }
    if state.read_only || state.offline {
        let why = if state.read_only {
            l.pick(
                "read-only mode: writes are off for this session",
                "modo solo lectura: las escrituras están desactivadas en esta sesión",
            )
        } else {
            l.pick(
                "offline: gigstack cannot be reached",
                "sin conexión: no se puede contactar a gigstack",
            )
        };
        complain(state, why);
        return vec![];
    }
    let words: Vec<&str> = args.split_whitespace().collect();
    let usage = |state: &mut State, text: &str| {
        complain(state, text);
        vec![]
    };
    let write = match kind {
        WriteKind::AddMember => {
            let Some(user) = words.first() else {
                return usage(
                    state,
                    l.pick(
                        "Usage: :add-member <user id> [admin|editor|viewer]",
                        "Uso: :agregar-miembro <id de usuario> [admin|editor|viewer]",
                    ),
                );
            };
            let role = words
                .get(1)
                .map(|r| r.to_lowercase())
                .unwrap_or_else(|| "viewer".into());
            if !ROLES.contains(&role.as_str()) {
                let r = crate::text::printable(&role);
                return usage(
                    state,
                    &t!(
                        l,
                        "«{r}» is not a role gigstack knows: admin, editor or viewer.",
                        "«{r}» no es un rol que gigstack conozca: admin, editor o viewer."
                    ),
                );
            }
            TeamWrite::AddMember {
                user: user.to_string(),
                role,
            }
        }
        WriteKind::RemoveMember => {
            let Some(user) = words.first() else {
                return usage(
                    state,
                    l.pick(
                        "Usage: :remove-member <user id>",
                        "Uso: :quitar-miembro <id de usuario>",
                    ),
                );
            };
            TeamWrite::RemoveMember {
                user: user.to_string(),
            }
        }
        WriteKind::CreateSeries => {
            let name = words.first().map(|s| s.to_uppercase()).unwrap_or_default();
            if name.is_empty()
                || name.len() > 10
                || !name.chars().all(|c| c.is_ascii_alphanumeric())
            {
                return usage(
                    state,
                    l.pick(
                        "Usage: :add-series <name> (letters and digits, up to 10)",
                        "Uso: :crear-serie <nombre> (letras y dígitos, hasta 10)",
                    ),
                );
            }
            TeamWrite::CreateSeries { series: name }
        }
        WriteKind::ApplySetting => {
            let Some(key) = words
                .first()
                .map(|k| k.trim_start_matches("settings.").to_string())
            else {
                return usage(
                    state,
                    l.pick(
                        "Usage: :apply-setting <key> (the reference's value, e.g. unit_key)",
                        "Uso: :aplicar-config <clave> (el valor de la referencia, p. ej. unit_key)",
                    ),
                );
            };
            if state.branches.reference_branch().is_none() {
                return usage(state, l.pick("No reference team: R on a team makes it the one whose settings are applied.", "Sin equipo de referencia: R en un equipo lo hace aquel cuya configuración se aplica."));
            }
            let Some(value) = reference_value(state, &key) else {
                let k = crate::text::printable(&key);
                return usage(
                    state,
                    &t!(
                        l,
                        "The reference has no setting «{k}» (Enter on it lists its settings).",
                        "La referencia no tiene la configuración «{k}» (Enter en ella lista su configuración)."
                    ),
                );
            };
            TeamWrite::ApplySetting {
                patch: nested(&key, value),
                key,
            }
        }
        _ => return vec![],
    };
    let subject = crate::text::printable(write.subject());
    let change = match &write {
        TeamWrite::AddMember { role, .. } => t!(
            l,
            "add {subject} as {role}",
            "agregar {subject} como {role}"
        ),
        TeamWrite::RemoveMember { .. } => t!(l, "remove {subject}", "quitar {subject}"),
        TeamWrite::CreateSeries { .. } => {
            t!(l, "create series {subject}", "crear la serie {subject}")
        }
        TeamWrite::ApplySetting { .. } => {
            let value = state
                .branches
                .reference_branch()
                .and_then(|r| r.settings.as_ref()?.get(write.subject()).cloned())
                .unwrap_or_default();
            t!(
                l,
                "set {subject} to «{value}»",
                "poner {subject} en «{value}»"
            )
        }
    };
    // The teams: the marked ones in the table's order, else the selected one.
    let shown = visible(state);
    let mut targets: Vec<TeamId> = shown
        .iter()
        .filter(|t| state.branches.marked.contains(*t))
        .cloned()
        .collect();
    if targets.is_empty() {
        targets.extend(selected(state));
    }
    let reference = state.branches.reference_branch().cloned();
    let mut items = Vec::new();
    let mut notes = Vec::new();
    for id in &targets {
        let n = name(state, id);
        let leave = |notes: &mut Vec<String>, why: String| notes.push(format!("«{n}»: {why}"));
        if state.read_only_teams.contains(id) {
            leave(
                &mut notes,
                l.pick(
                    "read-only in your config; left out.",
                    "de solo lectura en tu configuración; queda fuera.",
                )
                .into(),
            );
            continue;
        }
        let Some(b) = state.branches.rows.get(id).and_then(|r| r.branch.as_ref()) else {
            leave(
                &mut notes,
                l.pick(
                    "its configuration has not been read; left out.",
                    "su configuración no se ha leído; queda fuera.",
                )
                .into(),
            );
            continue;
        };
        let member = |user: &str| {
            b.members.as_ref().and_then(|m| {
                m.iter()
                    .find(|m| m.id == user || m.email.eq_ignore_ascii_case(user))
                    .cloned()
            })
        };
        let per_team = match &write {
            TeamWrite::AddMember { user, .. } => match member(user) {
                Some(m) => {
                    let role = m.role;
                    leave(
                        &mut notes,
                        t!(
                            l,
                            "{subject} is already a member ({role}); left out.",
                            "{subject} ya es miembro ({role}); queda fuera."
                        ),
                    );
                    continue;
                }
                None => change.clone(),
            },
            TeamWrite::RemoveMember { user } => match member(user) {
                None if b.members.is_some() => {
                    leave(
                        &mut notes,
                        t!(
                            l,
                            "{subject} is not a member; left out.",
                            "{subject} no es miembro; queda fuera."
                        ),
                    );
                    continue;
                }
                Some(m)
                    if m.role == "admin"
                        && b.members.as_ref().is_some_and(|all| {
                            all.iter().filter(|x| x.role == "admin").count() == 1
                        }) =>
                {
                    leave(
                        &mut notes,
                        t!(
                            l,
                            "{subject} is its last admin: a team keeps one, so it is not removed.",
                            "{subject} es su último admin: un equipo conserva uno, así que no se quita."
                        ),
                    );
                    continue;
                }
                _ => change.clone(),
            },
            TeamWrite::CreateSeries { series } => {
                if b.series
                    .as_ref()
                    .is_some_and(|s| s.iter().any(|x| x.name.eq_ignore_ascii_case(series)))
                {
                    leave(
                        &mut notes,
                        t!(
                            l,
                            "it already has series {subject}; left out.",
                            "ya tiene la serie {subject}; queda fuera."
                        ),
                    );
                    continue;
                }
                change.clone()
            }
            TeamWrite::ApplySetting { key, .. } => {
                if reference.as_ref().is_some_and(|r| r.id == *id) {
                    leave(
                        &mut notes,
                        l.pick(
                            "it is the reference; left out.",
                            "es la referencia; queda fuera.",
                        )
                        .into(),
                    );
                    continue;
                }
                let here = b.settings.as_ref().and_then(|s| s.get(key)).cloned();
                let there = reference
                    .as_ref()
                    .and_then(|r| r.settings.as_ref()?.get(key).cloned());
                if here.is_some() && here == there {
                    leave(
                        &mut notes,
                        t!(
                            l,
                            "{subject} is already the reference's; left out.",
                            "{subject} ya es igual a la referencia; queda fuera."
                        ),
                    );
                    continue;
                }
                let was = here.unwrap_or_else(|| "—".into());
                t!(l, "{change} (now «{was}»)", "{change} (ahora «{was}»)")
            }
        };
        items.push(crate::app::dialogs::model::BulkItem {
            team: id.clone(),
            team_name: n.clone(),
            id: format!("{}:{}:{}", id, kind.slug(), write.subject()),
            client: per_team,
            amount_text: String::new(),
            total_mxn: rust_decimal::Decimal::ZERO,
            currency: String::new(),
        });
    }
    let what = kind.title(l);
    if items.is_empty() {
        let why = notes.join(" ");
        complain(
            state,
            t!(
                l,
                "{what}: no team to change. {why}",
                "{what}: ningún equipo que cambiar. {why}"
            ),
        );
        return vec![];
    }
    let Some(at) = crate::app::dialogs::keys::target(state) else {
        return vec![];
    };
    let key = state.writes.peek(kind.slug());
    state.writes.take();
    let skipped = notes.len();
    let teams: Vec<TeamId> = items.iter().map(|i| i.team.clone()).collect();
    let connect = teams.iter().any(|t| Some(t) != state.own_team.as_ref());
    let mut dialog = crate::app::dialogs::model::Dialog::for_teams(write, items, skipped, &at, key);
    dialog.head.team_name = teams
        .iter()
        .map(|t| name(state, t))
        .collect::<Vec<_>>()
        .join(", ");
    dialog.head.connect = connect;
    dialog.head.client = change;
    dialog.head.amount_text = String::new();
    dialog.head.warnings.extend(notes);
    state.asked.again(Asking::Roles);
    dialog.head.warnings.push(t!(
        l,
        "Checking your role in {} teams…",
        "Revisando tu rol en {} equipos…",
        teams.len()
    ));
    crate::app::state::open_dialog(state, dialog);
    vec![Request::CheckRoles {
        generation: state.asked.current(Asking::Roles),
        teams,
    }]
}

/// A change to a team was answered: its configuration is read again (that team only).
pub fn reread(state: &mut State, team: TeamId) -> Vec<Request> {
    let Some(row) = state.branches.rows.get_mut(&team) else {
        return vec![];
    };
    row.state = BranchState::Loading;
    vec![Request::LoadBranchesOf {
        generation: state.asked.current(Asking::Branches),
        teams: vec![team],
    }]
}

/// `y`: the selected team's id to the clipboard (OSC 52), printable only.
pub fn copy(state: &mut State) -> Vec<Request> {
    let Some(id) = selected(state) else {
        return vec![];
    };
    let text = crate::text::token(id.as_str());
    if text.is_empty() {
        return vec![];
    }
    let msg = t!(
        state.lang,
        "Copied {text} to the clipboard (OSC 52)",
        "Se copió {text} al portapapeles (OSC 52)"
    );
    say(state, msg);
    vec![Request::Copy { text }]
}
