//! The Branches tab's load: the team list as the API sends it, then each team's settings,
//! series, members and integrations (four reads), a few teams at a time under the client's
//! one rate limit; each team sent as soon as its four answers are in. Offline, it says so
//! and reads nothing.

use futures::StreamExt;
use tokio::sync::mpsc::UnboundedSender;

use crate::api::{ApiClient, ApiError, TeamId};
use crate::app::{Generation, Update};
use crate::i18n::Lang;

/// Every team's configuration as it comes (any order): four reads per team go out
/// together, a few teams at once keep the client's one rate limit fed. Teams without an id
/// are left out.
pub fn configs(
    client: &ApiClient,
    teams: Vec<serde_json::Value>,
    lang: Lang,
) -> impl futures::Stream<Item = crate::api::TeamConfig> + use<> {
    let at_once = client.concurrency().div_ceil(4).max(1);
    let client = client.clone();
    futures::stream::iter(teams.into_iter().filter(|t| t.get("id").is_some()))
        .map(move |t| {
            let client = client.clone();
            async move { client.team_config(t, |e| e.describe(lang)).await }
        })
        .buffer_unordered(at_once)
}

pub(super) async fn load(
    client: ApiClient,
    tx: UnboundedSender<Update>,
    generation: Generation,
    offline: bool,
    lang: Lang,
) {
    if offline {
        let _ = tx.send(Update::BranchesListed {
            generation,
            result: Err(ApiError::Network {
                message: lang
                    .pick(
                        "offline: a team's configuration is read from gigstack, never stored",
                        "sin conexión: la configuración de un equipo se lee de gigstack, nunca se guarda",
                    )
                    .into(),
            }),
        });
        return;
    }
    let teams = match client.list_teams_raw().await {
        Ok(t) => t,
        Err(e) => {
            let _ = tx.send(Update::BranchesListed {
                generation,
                result: Err(e),
            });
            return;
        }
    };
    let ids: Vec<TeamId> = teams
        .iter()
        .filter_map(|t| t.get("id").and_then(|v| v.as_str()))
        .map(|id| TeamId(id.to_string()))
        .collect();
    let _ = tx.send(Update::BranchesListed {
        generation,
        result: Ok(ids),
    });
    let mut answers = std::pin::pin!(configs(&client, teams, lang));
    while let Some(config) = answers.next().await {
        let _ = tx.send(Update::Branch {
            generation,
            config: Box::new(config),
            now: jiff::Timestamp::now().as_second(),
        });
    }
}

/// These teams' configuration again (after a change to them): the list once (the team
/// objects as they are now), then the four reads of each.
pub(super) async fn reload(
    client: ApiClient,
    tx: UnboundedSender<Update>,
    generation: Generation,
    only: Vec<TeamId>,
    lang: Lang,
) {
    let teams = match client.list_teams_raw().await {
        Ok(t) => t,
        Err(e) => {
            tracing::warn!("branches: the team list again: {}", e.describe(Lang::En));
            return;
        }
    };
    let wanted: Vec<serde_json::Value> = teams
        .into_iter()
        .filter(|t| {
            t.get("id")
                .and_then(|v| v.as_str())
                .is_some_and(|id| only.iter().any(|o| o.as_str() == id))
        })
        .collect();
    let mut answers = std::pin::pin!(configs(&client, wanted, lang));
    while let Some(config) = answers.next().await {
        let _ = tx.send(Update::Branch {
            generation,
            config: Box::new(config),
            now: jiff::Timestamp::now().as_second(),
        });
    }
}
