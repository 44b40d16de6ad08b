//! What the client says of the key's rate limit shared with the other gigdash of this host
//! (`budget.rs`): how many share it, why it could not be shared.

use super::ApiClient;

impl ApiClient {
    /// How many other gigdash of this host shared the key's rate limit lately (`None`:
    /// this process keeps its own).
    pub fn sharing(&self) -> Option<usize> {
        self.config.shared_budget.as_ref()?;
        if self.budget_refused().is_some() {
            return None;
        }
        Some(
            self.limiter
                .sharing
                .load(std::sync::atomic::Ordering::Relaxed),
        )
    }

    /// Looks again at how many other gigdash share the key's limit, without a request
    /// (`sharing` otherwise changes only when this process sends one).
    pub async fn look_at_sharing(&self) {
        self.limiter.look().await;
    }

    /// Why the rate limit could not be shared with the other gigdash of this host.
    pub fn budget_refused(&self) -> Option<String> {
        self.limiter
            .own_only
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }
}
