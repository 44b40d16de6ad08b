//! Which list reading goes first under the shared rate limit: the one the caller says is
//! wanted now (the table on screen). While it runs, every other list waits between its
//! pages, so a big team's shown table is not slowed to half speed by a list nobody is
//! looking at; when it ends, or another list is wanted, the others go on where they were.

use std::collections::HashMap;
use std::sync::Mutex;

use super::models::TeamId;
use super::query::Resource;

type List = (TeamId, Resource);

#[derive(Default)]
struct Inner {
    first: Option<List>,
    running: HashMap<List, usize>,
}

pub(super) struct Turns {
    inner: Mutex<Inner>,
    /// Bumped on every change; waiters look again.
    changed: tokio::sync::watch::Sender<u64>,
}

impl Default for Turns {
    fn default() -> Self {
        Turns {
            inner: Mutex::default(),
            changed: tokio::sync::watch::channel(0).0,
        }
    }
}

/// A list reading in progress; it stops counting when dropped (its last page, an error,
/// or the reader gave up).
pub(super) struct Running {
    turns: std::sync::Arc<Turns>,
    list: List,
}

impl Drop for Running {
    fn drop(&mut self) {
        self.turns.with(|i| {
            if let Some(n) = i.running.get_mut(&self.list) {
                *n -= 1;
                if *n == 0 {
                    i.running.remove(&self.list);
                }
            }
        });
    }
}

impl Turns {
    fn with<R>(&self, f: impl FnOnce(&mut Inner) -> R) -> R {
        // A panic while holding the lock leaves plain counters: still usable.
        let r = f(&mut self.inner.lock().unwrap_or_else(|p| p.into_inner()));
        self.changed.send_modify(|v| *v = v.wrapping_add(1));
        r
    }

    /// The list wanted now, or none (every list shares the limit).
    pub(super) fn go_first(&self, list: Option<List>) {
        self.with(|i| i.first = list);
    }

    pub(super) fn start(self: &std::sync::Arc<Self>, list: List) -> Running {
        self.with(|i| *i.running.entry(list.clone()).or_default() += 1);
        Running {
            turns: self.clone(),
            list,
        }
    }

    /// Whether `list` must let the wanted one go first now.
    fn must_wait(&self, list: &List) -> bool {
        let i = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        i.first
            .as_ref()
            .is_some_and(|f| f != list && i.running.contains_key(f))
    }

    /// Returns when `list` may ask for its next page.
    pub(super) async fn wait(&self, list: &List) {
        let mut rx = self.changed.subscribe();
        while self.must_wait(list) {
            if rx.changed().await.is_err() {
                return;
            }
        }
    }
}

#[cfg(test)]
mod turns_tests {
    use super::*;
    use std::sync::Arc;
    use std::time::Duration;

    fn list(team: &str, r: Resource) -> List {
        (TeamId::new(team), r)
    }

    #[tokio::test]
    async fn others_wait_while_the_wanted_list_runs_and_go_on_when_it_ends() {
        let turns = Arc::new(Turns::default());
        let shown = list("a", Resource::IncomeInvoices);
        let other = list("a", Resource::Payments);
        // Nothing wanted: nobody waits.
        tokio::time::timeout(Duration::from_secs(5), turns.wait(&other))
            .await
            .expect("no wanted list: no wait");
        turns.go_first(Some(shown.clone()));
        // Wanted but not running: nobody waits either.
        tokio::time::timeout(Duration::from_secs(5), turns.wait(&other))
            .await
            .expect("the wanted list is not running: no wait");
        let running = turns.start(shown.clone());
        tokio::time::timeout(Duration::from_secs(5), turns.wait(&shown))
            .await
            .expect("the wanted list itself never waits");
        let waiting = tokio::spawn({
            let turns = turns.clone();
            let other = other.clone();
            async move { turns.wait(&other).await }
        });
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(!waiting.is_finished(), "the other list waits");
        drop(running);
        tokio::time::timeout(Duration::from_secs(5), waiting)
            .await
            .expect("the wanted list ended: the other goes on")
            .unwrap();
    }

    #[tokio::test]
    async fn wanting_another_list_lets_the_waiting_one_go() {
        let turns = Arc::new(Turns::default());
        let shown = list("a", Resource::IncomeInvoices);
        let other = list("a", Resource::Payments);
        turns.go_first(Some(shown.clone()));
        let _running = turns.start(shown.clone());
        let waiting = tokio::spawn({
            let turns = turns.clone();
            let other = other.clone();
            async move { turns.wait(&other).await }
        });
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(!waiting.is_finished());
        turns.go_first(Some(other.clone()));
        tokio::time::timeout(Duration::from_secs(5), waiting)
            .await
            .expect("now wanted: it goes")
            .unwrap();
        // And the one that was wanted waits its turn now that the other runs.
        let _other_running = turns.start(other.clone());
        let shown_waits =
            tokio::time::timeout(Duration::from_millis(100), turns.wait(&shown)).await;
        assert!(shown_waits.is_err(), "the list no longer wanted waits");
    }
}
