//! What opening any create form shares: its head (team, Connect, live, the next request
//! key), and the forms whose answer never came, kept to be reopened as they were.

use crate::api::TeamId;
use crate::app::create::model::Head;
use crate::app::dialogs::keys::lock_key;
use crate::app::dialogs::kinds::WriteKind;
use crate::app::state::{Popup, State, say};

/// Where a form whose answer never came is kept: per kind and team for what `n` opens, per
/// object for a credit note (its invoice) and a draft's stamp or deletion (the draft).
pub fn kept_key(kind: WriteKind, team: &TeamId, lock: &str) -> String {
    match kind {
        WriteKind::CreditNote | WriteKind::StampDraft | WriteKind::DeleteDraft => {
            lock_key(kind, lock)
        }
        _ => lock_key(kind, team.as_str()),
    }
}

/// Opens the kept form at `key`, if there is one: frozen, same key, same body.
pub fn reopen_unanswered(state: &mut State, key: String) -> bool {
    let Some(kept) = state.unanswered.remove(&key) else {
        return false;
    };
    crate::app::state::open_popup(state, Popup::Create(kept));
    let msg = state.lang.pick(
        "Sent once with no answer, kept as it was: sending it again reuses its request key, so it cannot be created twice (Esc drops it).",
        "Enviado una vez sin respuesta, guardado tal como estaba: enviarlo otra vez reusa su clave, así que no puede crearse dos veces (Esc lo descarta).",
    );
    say(state, msg);
    true
}

/// A form's head for `kind` in `team`: through Connect or not, live or test, and the next
/// request key (taken).
pub fn head(state: &mut State, team: TeamId, team_name: String, kind: WriteKind) -> Head {
    let idempotency_key = state.writes.peek(kind.slug());
    state.writes.take();
    Head {
        connect: state.own_team.as_ref().is_some_and(|o| *o != team),
        team,
        team_name,
        live: state.live.unwrap_or(true),
        lang: state.lang,
        idempotency_key,
    }
}
