//! Telling the app how many other gigdash of this host share the key's rate limit: looked
//! at every 2 s (an idle process reserves nothing), said when it changes.

use tokio::sync::mpsc::UnboundedSender;

use crate::api::ApiClient;
use crate::app::Update;

/// Watches while the app listens; nothing when the limit is not shared.
pub(super) fn watch(client: &ApiClient, tx: &UnboundedSender<Update>) {
    if client.sharing().is_none() {
        return;
    }
    let (client, tx) = (client.clone(), tx.clone());
    tokio::spawn(async move {
        let mut said = 0;
        loop {
            tokio::time::sleep(std::time::Duration::from_secs(2)).await;
            client.look_at_sharing().await;
            let now = client.sharing().unwrap_or(0);
            if now != said {
                said = now;
                if tx.send(Update::Sharing(now)).is_err() {
                    return;
                }
            }
            if tx.is_closed() {
                return;
            }
        }
    });
}
