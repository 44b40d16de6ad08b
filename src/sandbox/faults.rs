//! Faults for reliability tests: added latency, a fraction of requests answered 429/500/502,
//! truncated JSON, stalled answers, and "apply then fail" — set at start or at run time
//! through `/_sandbox/faults`, and a queue of exact faults for the next requests.

use std::collections::VecDeque;

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum FaultKind {
    #[serde(rename = "429")]
    RateLimited,
    #[serde(rename = "500")]
    Internal,
    #[serde(rename = "502")]
    BadGateway,
    #[serde(rename = "503")]
    Unavailable,
    /// The answer's JSON is cut in half.
    #[serde(rename = "truncated")]
    Truncated,
    /// The answer waits `stall_ms` before it comes.
    #[serde(rename = "stall")]
    Stall,
    /// The request is applied, then a 502 is returned (a lost answer).
    #[serde(rename = "apply_then_502")]
    ApplyThen502,
    /// An HTML error page from a "proxy".
    #[serde(rename = "html")]
    Html,
    /// A refusal that retrying will not change (the team was removed from the billing
    /// account mid-walk, say): 403 `team_not_accessible`.
    #[serde(rename = "403")]
    Forbidden,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct Faults {
    pub latency_ms: u64,
    /// Fraction (0–1) of `/v2` requests answered with one of `kinds`.
    pub fault_rate: f64,
    pub kinds: Vec<FaultKind>,
    pub retry_after_secs: u64,
    pub stall_ms: u64,
    /// Exact faults for the next requests, in order; consumed one per request.
    pub fail_next: VecDeque<FaultKind>,
    /// This many requests pass untouched before `fail_next` applies (to break mid-walk).
    pub skip: u32,
    /// Delay before a pending invoice cancellation is accepted.
    pub cancel_accept_ms: u64,
}

impl Default for Faults {
    fn default() -> Self {
        Faults {
            latency_ms: 0,
            fault_rate: 0.0,
            kinds: vec![
                FaultKind::RateLimited,
                FaultKind::Internal,
                FaultKind::BadGateway,
                FaultKind::Truncated,
            ],
            retry_after_secs: 1,
            stall_ms: 30_000,
            fail_next: VecDeque::new(),
            skip: 0,
            cancel_accept_ms: 20_000,
        }
    }
}

impl Faults {
    /// The fault for this request, if any.
    pub fn draw(&mut self) -> Option<FaultKind> {
        if self.skip > 0 && !self.fail_next.is_empty() {
            self.skip -= 1;
            return None;
        }
        if let Some(k) = self.fail_next.pop_front() {
            return Some(k);
        }
        if self.fault_rate > 0.0
            && !self.kinds.is_empty()
            && rand::random::<f64>() < self.fault_rate
        {
            let i = rand::random_range(0..self.kinds.len());
            return Some(self.kinds[i]);
        }
        None
    }

    /// Applies a partial update (only the fields present in `patch`).
    pub fn merge(&mut self, patch: &serde_json::Value) -> Result<(), String> {
        let mut current = serde_json::to_value(&*self).map_err(|e| e.to_string())?;
        let (Some(obj), Some(p)) = (current.as_object_mut(), patch.as_object()) else {
            return Err("the body must be a JSON object".into());
        };
        for (k, v) in p {
            if !obj.contains_key(k) {
                return Err(format!("unknown fault setting `{k}`"));
            }
            obj.insert(k.clone(), v.clone());
        }
        let next: Faults = serde_json::from_value(current).map_err(|e| e.to_string())?;
        if !(0.0..=1.0).contains(&next.fault_rate) {
            return Err("fault_rate must be between 0 and 1".into());
        }
        *self = next;
        Ok(())
    }
}
