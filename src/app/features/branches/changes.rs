//! Bulk changes to the Branches tab's marked teams (`:add-member`, `:remove-member`,
//! `:add-series`, `:apply-setting`): checked per team before anything is sent, one
//! confirmation through the bulk rules, and each changed team read again.

use super::{name, selected, visible};
use crate::api::TeamId;
use crate::app::data::branches::BranchState;
use crate::app::dialogs::kinds::{TeamWrite, WriteKind};
use crate::app::dialogs::model::{BulkItem, Dialog};
use crate::app::dialogs::rules::checking_roles;
use crate::app::msg::Request;
use crate::app::state::{Asking, State, complain};
use crate::t;

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
    let l = state.lang;
    let what = kind.title(l);
    if !state.branches.open {
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
    if !crate::app::common::guard::session_writes_allowed(state) {
        return vec![];
    }
    let write = match parse(state, kind, args) {
        Ok(w) => w,
        Err(why) => {
            complain(state, why);
            return vec![];
        }
    };
    let change = change_words(state, &write);
    // The teams: the marked ones in the table's order, else the selected one.
    let mut targets: Vec<TeamId> = visible(state)
        .into_iter()
        .filter(|t| state.branches.marked.contains(t))
        .collect();
    if targets.is_empty() {
        targets.extend(selected(state));
    }
    let mut items = Vec::new();
    let mut notes = Vec::new();
    for id in targets {
        let n = name(state, &id);
        match per_team(state, &id, &write, &change) {
            Ok(per_team) => items.push(BulkItem {
                id: format!("{}:{}:{}", id, kind.slug(), write.subject()),
                team: id,
                team_name: n,
                client: per_team,
                amount_text: String::new(),
                total_mxn: rust_decimal::Decimal::ZERO,
                currency: String::new(),
            }),
            Err(why) => notes.push(format!("«{n}»: {why}")),
        }
    }
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
    let teams: Vec<TeamId> = items.iter().map(|i| i.team.clone()).collect();
    let mut dialog = Dialog::for_teams(write, items, notes.len(), &at, key);
    dialog.head.team_name = teams
        .iter()
        .map(|t| name(state, t))
        .collect::<Vec<_>>()
        .join(", ");
    dialog.head.connect = teams.iter().any(|t| Some(t) != state.own_team.as_ref());
    dialog.head.client = change;
    dialog.head.amount_text = String::new();
    dialog.head.warnings.extend(notes);
    dialog.head.warnings.push(checking_roles(l, teams.len()));
    state.asked.again(Asking::Roles);
    crate::app::state::open_dialog(state, dialog);
    vec![Request::CheckRoles {
        generation: state.asked.current(Asking::Roles),
        teams,
    }]
}

/// The command's words as the change they ask for, or how to type it.
fn parse(state: &State, kind: WriteKind, args: &str) -> Result<TeamWrite, String> {
    let l = state.lang;
    let words: Vec<&str> = args.split_whitespace().collect();
    let usage = |en: &str, es: &str| l.pick(en, es).to_string();
    match kind {
        WriteKind::AddMember => {
            let user = words.first().ok_or_else(|| {
                usage(
                    "Usage: :add-member <user id> [admin|editor|viewer]",
                    "Uso: :agregar-miembro <id de usuario> [admin|editor|viewer]",
                )
            })?;
            let role = words
                .get(1)
                .map(|r| r.to_lowercase())
                .unwrap_or_else(|| "viewer".into());
            if !ROLES.contains(&role.as_str()) {
                let r = crate::text::printable(&role);
                return Err(t!(
                    l,
                    "«{r}» is not a role gigstack knows: admin, editor or viewer.",
                    "«{r}» no es un rol que gigstack conozca: admin, editor o viewer."
                ));
            }
            Ok(TeamWrite::AddMember {
                user: user.to_string(),
                role,
            })
        }
        WriteKind::RemoveMember => {
            let user = words.first().ok_or_else(|| {
                usage(
                    "Usage: :remove-member <user id>",
                    "Uso: :quitar-miembro <id de usuario>",
                )
            })?;
            Ok(TeamWrite::RemoveMember {
                user: user.to_string(),
            })
        }
        WriteKind::CreateSeries => {
            let name = words.first().map(|s| s.to_uppercase()).unwrap_or_default();
            if name.is_empty()
                || name.len() > 10
                || !name.chars().all(|c| c.is_ascii_alphanumeric())
            {
                return Err(usage(
                    "Usage: :add-series <name> (letters and digits, up to 10)",
                    "Uso: :crear-serie <nombre> (letras y dígitos, hasta 10)",
                ));
            }
            Ok(TeamWrite::CreateSeries { series: name })
        }
        WriteKind::ApplySetting => {
            let key = words
                .first()
                .map(|k| k.trim_start_matches("settings.").to_string())
                .ok_or_else(|| {
                    usage(
                        "Usage: :apply-setting <key> (the reference's value, e.g. unit_key)",
                        "Uso: :aplicar-config <clave> (el valor de la referencia, p. ej. unit_key)",
                    )
                })?;
            if state.branches.reference_branch().is_none() {
                return Err(usage(
                    "No reference team: R on a team makes it the one whose settings are applied.",
                    "Sin equipo de referencia: R en un equipo lo hace aquel cuya configuración se aplica.",
                ));
            }
            let Some(value) = reference_value(state, &key) else {
                let k = crate::text::printable(&key);
                return Err(t!(
                    l,
                    "The reference has no setting «{k}» (Enter on it lists its settings).",
                    "La referencia no tiene la configuración «{k}» (Enter en ella lista su configuración)."
                ));
            };
            Ok(TeamWrite::ApplySetting {
                patch: nested(&key, value),
                key,
            })
        }
        _ => Err(String::new()),
    }
}

/// The change in words, as the confirmation names it.
fn change_words(state: &State, write: &TeamWrite) -> String {
    let l = state.lang;
    let subject = crate::text::printable(write.subject());
    match write {
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
    }
}

/// What the change does to team `id` (its line in the confirmation), or why it is left
/// out: read-only by config, not read yet, already a member, not one, its last admin, a
/// series it has, the reference itself, the same value.
fn per_team(state: &State, id: &TeamId, write: &TeamWrite, change: &str) -> Result<String, String> {
    let l = state.lang;
    let subject = crate::text::printable(write.subject());
    if state.read_only_teams.contains(id) {
        return Err(l
            .pick(
                "read-only in your config; left out.",
                "de solo lectura en tu configuración; queda fuera.",
            )
            .into());
    }
    let Some(b) = state.branches.rows.get(id).and_then(|r| r.branch.as_ref()) else {
        return Err(l
            .pick(
                "its configuration has not been read; left out.",
                "su configuración no se ha leído; queda fuera.",
            )
            .into());
    };
    let member = |user: &str| {
        b.members.as_ref().and_then(|m| {
            m.iter()
                .find(|m| m.id == user || m.email.eq_ignore_ascii_case(user))
        })
    };
    match write {
        TeamWrite::AddMember { user, .. } => match member(user) {
            Some(m) => {
                let role = &m.role;
                Err(t!(
                    l,
                    "{subject} is already a member ({role}); left out.",
                    "{subject} ya es miembro ({role}); queda fuera."
                ))
            }
            None => Ok(change.to_string()),
        },
        TeamWrite::RemoveMember { user } => {
            let admins = b
                .members
                .iter()
                .flatten()
                .filter(|x| x.role == "admin")
                .count();
            match member(user) {
                None if b.members.is_some() => Err(t!(
                    l,
                    "{subject} is not a member; left out.",
                    "{subject} no es miembro; queda fuera."
                )),
                Some(m) if m.role == "admin" && admins == 1 => Err(t!(
                    l,
                    "{subject} is its last admin: a team keeps one, so it is not removed.",
                    "{subject} es su último admin: un equipo conserva uno, así que no se quita."
                )),
                _ => Ok(change.to_string()),
            }
        }
        TeamWrite::CreateSeries { series } => {
            let has = b
                .series
                .iter()
                .flatten()
                .any(|x| x.name.eq_ignore_ascii_case(series));
            if has {
                return Err(t!(
                    l,
                    "it already has series {subject}; left out.",
                    "ya tiene la serie {subject}; queda fuera."
                ));
            }
            Ok(change.to_string())
        }
        TeamWrite::ApplySetting { key, .. } => {
            let reference = state.branches.reference_branch();
            if reference.is_some_and(|r| r.id == *id) {
                return Err(l
                    .pick(
                        "it is the reference; left out.",
                        "es la referencia; queda fuera.",
                    )
                    .into());
            }
            let here = b.settings.as_ref().and_then(|s| s.get(key));
            let there = reference.and_then(|r| r.settings.as_ref()?.get(key));
            if here.is_some() && here == there {
                return Err(t!(
                    l,
                    "{subject} is already the reference's; left out.",
                    "{subject} ya es igual a la referencia; queda fuera."
                ));
            }
            let was = here.map(String::as_str).unwrap_or("—");
            Ok(t!(l, "{change} (now «{was}»)", "{change} (ahora «{was}»)"))
        }
    }
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
