//! Whether a write may start at all: not offline, not read-only (the session or the team).

use crate::app::state::{State, complain};

/// Why no write can start now (offline, read-only), said; `true` when one can.
pub fn writes_allowed(state: &mut State) -> bool {
    if !online(state) {
        return false;
    }
    if state.writes_off() {
        let msg = state.lang.pick(
            "read-only: writes are off for this team",
            "solo lectura: las escrituras están desactivadas para este equipo",
        );
        complain(state, msg);
        return false;
    }
    true
}

/// Offline or a read-only session, said: no write anywhere. (A write to several teams
/// leaves out, by name, each team the config makes read-only; the current team's being
/// read-only does not stop it.)
pub fn session_writes_allowed(state: &mut State) -> bool {
    if !online(state) {
        return false;
    }
    if state.read_only {
        let msg = state.lang.pick(
            "read-only mode: writes are off for this session",
            "modo solo lectura: las escrituras están desactivadas en esta sesión",
        );
        complain(state, msg);
        return false;
    }
    true
}

/// Offline: nothing can be written, said.
fn online(state: &mut State) -> bool {
    if state.offline {
        let msg = state.lang.pick(
            "offline: gigstack cannot be reached, so nothing can be written (the rows are the store's)",
            "sin conexión: no se puede contactar a gigstack, así que nada se escribe (las filas son las guardadas)",
        );
        complain(state, msg);
        return false;
    }
    true
}
