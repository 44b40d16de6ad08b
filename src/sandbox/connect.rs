//! Who a key is and which teams it reaches: the key's own team, and through gigstack
//! Connect the teams of its billing account (§1.10), with the API's exact refusals. Below
//! `http` and every route file.

use super::error::SbError;
use super::model::{DemoKey, Role, SbTeam};
use super::store::Store;

const NOT_MASTER: &str = "Unauthorized, not a master team";
const TEAM_MISSING: &str = "The specified team does not exist";
const NO_MATCHED: &str = "Unauthorized, no matched teams";
pub const ROLE_DENIED: &str = "Your role does not allow this action on the target team";

pub fn authenticate(store: &Store, auth: Option<&str>) -> Result<DemoKey, SbError> {
    let raw = auth
        .map(|a| {
            a.strip_prefix("Bearer ")
                .or_else(|| a.strip_prefix("bearer "))
                .unwrap_or(a)
                .trim()
        })
        .filter(|a| !a.is_empty())
        .ok_or_else(|| {
            SbError::new(
                401,
                "unauthorized",
                "Missing API key: send Authorization: Bearer <key>",
            )
        })?;
    if let Some(k) = store.keys.get(raw) {
        return Ok(k.clone());
    }
    // Opaque `sk_test_<team>` keys act as an admin of that team (gigstack-api.md §1.2).
    for (prefix, live) in [("sk_test_", false), ("sk_live_", true)] {
        if let Some(team) = raw.strip_prefix(prefix).and_then(|t| store.team(t)) {
            return Ok(DemoKey {
                key: raw.to_string(),
                key_id: raw.to_string(),
                user_id: "user_opaque".into(),
                user_name: "API".into(),
                team: team.id.clone(),
                team_name: team.name.clone(),
                role: Role::Admin,
                livemode: live,
                note: String::new(),
            });
        }
    }
    Err(SbError::new(401, "unauthorized", "Invalid API key"))
}

/// The team a request acts on, after the Connect checks of the guide.
pub fn target_team<'a>(
    store: &'a Store,
    key: &DemoKey,
    wanted: Option<&str>,
) -> Result<&'a SbTeam, SbError> {
    let own = store
        .team(&key.team)
        .ok_or_else(|| SbError::new(401, "unauthorized", "The key's team no longer exists"))?;
    let Some(wanted) = wanted.filter(|w| !w.is_empty() && *w != own.id) else {
        return Ok(own);
    };
    if !own.connect {
        return Err(SbError::new(403, "not_master_team", NOT_MASTER));
    }
    let target = store
        .team(wanted)
        .filter(|t| t.active)
        .ok_or_else(|| SbError::new(404, "team_not_found", TEAM_MISSING))?;
    if target.billing_account != own.billing_account {
        return Err(SbError::new(403, "no_matched_teams", NO_MATCHED));
    }
    Ok(target)
}

pub fn reachable_teams<'a>(store: &'a Store, key: &DemoKey) -> Vec<&'a SbTeam> {
    let Some(own) = store.team(&key.team) else {
        return vec![];
    };
    if !own.connect {
        return vec![own];
    }
    store
        .teams
        .iter()
        .filter(|t| t.active && t.billing_account == own.billing_account)
        .collect()
}
