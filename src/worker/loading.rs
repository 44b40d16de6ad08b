//! Starting a table's load: one per (team, dataset) and generation (a duplicate is
//! dropped, an older one cancelled), after a delay for a retry, run as a `lists::Job`.

use tokio_util::sync::CancellationToken;

use super::lists::Job;
use super::{InFlight, Worker};
use crate::api::TeamId;
use crate::app::{Dataset, Generation};

impl Worker {
    pub(super) fn load(
        &mut self,
        team: TeamId,
        generation: Generation,
        dataset: Dataset,
        force: bool,
    ) {
        self.start_load(
            team,
            generation,
            dataset,
            (force, false),
            std::time::Duration::ZERO,
        )
    }

    /// A load, after `delay` (a retry); a switch cancels it like any other load.
    pub(super) fn start_load(
        &mut self,
        team: TeamId,
        generation: Generation,
        dataset: Dataset,
        (force, complete): (bool, bool),
        delay: std::time::Duration,
    ) {
        let key = (team.clone(), dataset);
        if let Some(f) = self.loads.get(&key)
            && !f.token.is_cancelled()
            && f.generation == generation
            && !force
        {
            // The same load is already running for this generation: suppress the duplicate.
            return;
        }
        if let Some(old) = self.loads.remove(&key) {
            old.token.cancel();
        }
        let token = CancellationToken::new();
        self.loads.insert(
            key,
            InFlight {
                generation,
                token: token.clone(),
            },
        );
        let job = Job {
            client: self.client.clone(),
            tx: self.tx.clone(),
            team,
            generation,
            force,
            complete,
            lang: self.lang,
            kept: self.kept.clone(),
        };
        tokio::spawn(async move {
            tokio::select! {
                _ = token.cancelled() => {}
                _ = async {
                    tokio::time::sleep(delay).await;
                    job.run(dataset).await
                } => {}
            }
            // Finished (or failed): a later request for the same load is not a duplicate
            // of this one any more.
            token.cancel();
        });
    }
}
