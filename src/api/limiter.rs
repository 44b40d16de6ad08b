//! The per-key rate limit every request of the client waits for (one bucket for all teams).

use std::time::Duration;

/// The per-key rate limit, shared by every team's requests: governor's token bucket
/// (GCRA), which starts full, so the first `burst` requests of a start go at once and the
/// rest are spaced at `requests_per_second`. (The hand-written bucket before it started
/// empty and made every request after the first wait.)
pub(super) struct RateLimiter {
    bucket: Option<governor::DefaultDirectRateLimiter>,
    /// The same limit kept in a file, for every gigdash of this host with the key.
    shared: Option<super::budget::SharedBudget>,
    per_second: f64,
    burst: u32,
    /// Other processes that used the shared budget lately (last seen).
    pub(super) sharing: std::sync::atomic::AtomicUsize,
    /// The shared budget failed once this run: this process keeps its own (said once).
    pub(super) own_only: std::sync::Mutex<Option<String>>,
}

impl RateLimiter {
    pub(super) fn new(per_second: f64, burst: u32) -> Self {
        let bucket = (per_second > 0.0 && per_second.is_finite())
            .then(|| Duration::from_secs_f64(1.0 / per_second))
            .and_then(governor::Quota::with_period)
            .map(|q| {
                let burst =
                    std::num::NonZeroU32::new(burst.max(1)).unwrap_or(std::num::NonZeroU32::MIN);
                governor::RateLimiter::direct(q.allow_burst(burst))
            });
        RateLimiter {
            bucket,
            shared: None,
            per_second,
            burst,
            sharing: Default::default(),
            own_only: Default::default(),
        }
    }

    /// The limit shared through the file at `path` with the other processes of this host
    /// that use the key; when it cannot be (refused, unreadable) this process keeps its
    /// own, and `own_only` says why.
    pub(super) fn shared(per_second: f64, burst: u32, path: &std::path::Path) -> Self {
        let mut l = RateLimiter::new(per_second, burst);
        if l.bucket.is_some() {
            match super::budget::SharedBudget::open(path) {
                Ok(b) => l.shared = Some(b),
                Err(e) => *l.own_only.lock().unwrap_or_else(|p| p.into_inner()) = Some(e),
            }
        }
        l
    }

    /// Looks again at who shares the budget (no request reserved): for an idle process.
    pub(super) async fn look(&self) {
        if let Some(shared) = &self.shared
            && let Ok(n) = shared.others().await
        {
            self.sharing.store(n, std::sync::atomic::Ordering::Relaxed);
        }
    }

    pub(super) async fn acquire(&self) {
        if let Some(shared) = &self.shared
            && self
                .own_only
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .is_none()
        {
            match shared.reserve(self.per_second, self.burst).await {
                Ok((wait, others)) => {
                    self.sharing
                        .store(others, std::sync::atomic::Ordering::Relaxed);
                    tokio::time::sleep(wait).await;
                    return;
                }
                Err(e) => {
                    tracing::warn!(
                        "the shared rate budget failed, keeping this process's own: {e}"
                    );
                    *self.own_only.lock().unwrap_or_else(|p| p.into_inner()) = Some(e.to_string());
                }
            }
        }
        if let Some(b) = &self.bucket {
            b.until_ready().await;
        }
    }

    /// A request may go now (for tests: no waiting).
    #[cfg(test)]
    fn ready_now(&self) -> bool {
        self.bucket.as_ref().is_none_or(|b| b.check().is_ok())
    }
}

#[cfg(test)]
mod limiter_tests {
    use super::RateLimiter;

    #[test]
    fn a_new_limiter_lets_its_whole_burst_through_at_once() {
        let l = RateLimiter::new(10.0, 10);
        let at_once = (0..20).take_while(|_| l.ready_now()).count();
        assert_eq!(at_once, 10, "the bucket starts full, then spaces requests");
        let off = RateLimiter::new(0.0, 1);
        assert!(
            (0..100).all(|_| off.ready_now()),
            "0 requests/s means no limit"
        );
    }
}
