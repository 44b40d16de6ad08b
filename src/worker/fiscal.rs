//! `:validate`: every client of the chosen teams asked to gigstack's fiscal check, a few
//! at a time under the client's one rate limit, progress said as answers come, each team's
//! result sent when its last client answered and remembered in the store with its date.

use futures::StreamExt;
use tokio::sync::mpsc::UnboundedSender;

use super::kept::{Kept, now};
use crate::api::{ApiClient, ApiError, Client, ListQuery, Resource, TeamId};
use crate::app::Update;
use crate::app::data::fiscal::{ClientCheck, TeamCheck};
use crate::i18n::Lang;

async fn clients(client: &ApiClient, team: &TeamId) -> Result<Vec<Client>, ApiError> {
    let mut out = Vec::new();
    let mut pages = std::pin::pin!(client.list_all::<Client>(
        team.clone(),
        Resource::Clients,
        ListQuery::default()
    ));
    while let Some(p) = pages.next().await {
        out.extend(p?.items);
    }
    Ok(out)
}

pub(super) async fn run(
    client: ApiClient,
    kept: Kept,
    tx: UnboundedSender<Update>,
    generation: u64,
    teams: Vec<TeamId>,
    lang: Lang,
) {
    // Every team's clients first: the progress counts all of them.
    let mut work: Vec<(TeamId, Vec<Client>)> = Vec::new();
    for team in teams {
        match clients(&client, &team).await {
            Ok(c) => work.push((team, c)),
            Err(e) => {
                let _ = tx.send(Update::Validated {
                    generation,
                    team,
                    result: Err(e),
                });
            }
        }
    }
    let of: usize = work.iter().map(|(_, c)| c.len()).sum();
    let mut done = 0;
    let _ = tx.send(Update::Validating {
        generation,
        done,
        of,
    });
    let at_once = client.concurrency();
    // A busy minute (429s under the rate limit) delays the check, never fails a client:
    // each check is retried for up to a minute (it changes nothing, so asking again is
    // safe). What still has no answer is "could not be checked", never "fails".
    let client = client.patient(std::time::Duration::from_secs(60));
    for (team, list) in work {
        let checks: Vec<ClientCheck> = {
            let mut stream = futures::stream::iter(list)
                .map(|c| {
                    let (client, team) = (client.clone(), team.clone());
                    async move {
                        let result = client
                            .validate_client(&team, &c.id)
                            .await
                            .map_err(|e| crate::text::printable(&e.describe(lang)));
                        ClientCheck {
                            id: c.id.clone(),
                            name: crate::text::printable(c.display_name()),
                            rfc: crate::text::printable(c.rfc()),
                            result,
                        }
                    }
                })
                .buffer_unordered(at_once);
            let mut out = Vec::new();
            while let Some(check) = stream.next().await {
                out.push(check);
                done += 1;
                if done % 10 == 0 || done == of {
                    let _ = tx.send(Update::Validating {
                        generation,
                        done,
                        of,
                    });
                }
            }
            out
        };
        let result = TeamCheck {
            at: now(),
            clients: checks,
        };
        // Remembered with its date: the failing ones (what the month report counts), never
        // the ones that could not be checked.
        let failing: Vec<serde_json::Value> = result
            .failing()
            .map(|c| serde_json::json!({ "id": c.id, "name": c.name }))
            .collect();
        // Those failing now that did not at the last check are kept as changes (before the
        // new result replaces the last one).
        kept.with_writable(|store| super::changes::note_failing(store, &team, &failing, now()));
        kept.remember_fiscal(&team, &failing);
        let _ = tx.send(Update::Validated {
            generation,
            team,
            result: Ok(result),
        });
    }
}
