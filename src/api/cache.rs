//! The per-team cache: answers at once with what it has and how old it is
//! (stale-while-revalidate), keyed by (team, resource, query) so one team's rows can never
//! be served for another, bounded by entry count and total rows.

use std::any::Any;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::models::TeamId;
use super::query::Resource;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CacheKey {
    pub team: TeamId,
    pub resource: Resource,
    pub query: String,
}

/// A cached value with its age; `fresh` is false once the TTL has passed.
#[derive(Clone, Debug)]
pub struct Cached<T> {
    pub value: Arc<T>,
    pub age: Duration,
    pub fresh: bool,
}

struct Entry {
    value: Arc<dyn Any + Send + Sync>,
    rows: usize,
    stored: Instant,
    used: u64,
}

pub struct Cache {
    inner: Mutex<Inner>,
    ttl: Duration,
    max_entries: usize,
    max_rows: usize,
}

#[derive(Default)]
struct Inner {
    entries: HashMap<CacheKey, Entry>,
    clock: u64,
    rows: usize,
}

impl Cache {
    pub fn new(ttl: Duration, max_entries: usize, max_rows: usize) -> Self {
        Cache {
            inner: Mutex::new(Inner::default()),
            ttl,
            max_entries: max_entries.max(1),
            max_rows: max_rows.max(1),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn get<T: Send + Sync + 'static>(&self, key: &CacheKey) -> Option<Cached<T>> {
        let mut inner = self.lock();
        inner.clock += 1;
        let clock = inner.clock;
        let entry = inner.entries.get_mut(key)?;
        entry.used = clock;
        let value = entry.value.clone().downcast::<T>().ok()?;
        let age = entry.stored.elapsed();
        Some(Cached {
            value,
            age,
            fresh: age < self.ttl,
        })
    }

    pub fn put<T: Send + Sync + 'static>(&self, key: CacheKey, value: Arc<T>, rows: usize) {
        self.put_aged(key, value, rows, Duration::ZERO)
    }

    /// A value that was already `age` old when it came (read from disk).
    pub fn put_aged<T: Send + Sync + 'static>(
        &self,
        key: CacheKey,
        value: Arc<T>,
        rows: usize,
        age: Duration,
    ) {
        let stored = Instant::now().checked_sub(age).unwrap_or_else(Instant::now);
        let mut inner = self.lock();
        inner.clock += 1;
        let used = inner.clock;
        if let Some(old) = inner.entries.remove(&key) {
            inner.rows -= old.rows;
        }
        inner.rows += rows;
        inner.entries.insert(
            key,
            Entry {
                value,
                rows,
                stored,
                used,
            },
        );
        while inner.entries.len() > self.max_entries
            || (inner.rows > self.max_rows && inner.entries.len() > 1)
        {
            let Some(oldest) = inner
                .entries
                .iter()
                .min_by_key(|(_, e)| e.used)
                .map(|(k, _)| k.clone())
            else {
                break;
            };
            if let Some(e) = inner.entries.remove(&oldest) {
                inner.rows -= e.rows;
            }
        }
    }

    /// Drops every entry of `team` for the given resources; other teams are untouched.
    pub fn invalidate(&self, team: &TeamId, resources: &[Resource]) {
        let mut inner = self.lock();
        let doomed: Vec<CacheKey> = inner
            .entries
            .keys()
            .filter(|k| &k.team == team && resources.contains(&k.resource))
            .cloned()
            .collect();
        for k in doomed {
            if let Some(e) = inner.entries.remove(&k) {
                inner.rows -= e.rows;
            }
        }
    }

    pub fn len(&self) -> usize {
        self.lock().entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(team: &str, r: Resource) -> CacheKey {
        CacheKey {
            team: TeamId::new(team),
            resource: r,
            query: String::new(),
        }
    }

    #[test]
    fn one_team_is_never_served_for_another() {
        let c = Cache::new(Duration::from_secs(60), 10, 1000);
        c.put(
            key("team_a", Resource::Payments),
            Arc::new(vec![1, 2, 3]),
            3,
        );
        assert!(
            c.get::<Vec<i32>>(&key("team_b", Resource::Payments))
                .is_none()
        );
        assert_eq!(
            *c.get::<Vec<i32>>(&key("team_a", Resource::Payments))
                .unwrap()
                .value,
            vec![1, 2, 3]
        );
    }

    #[test]
    fn invalidation_is_per_team_and_resource() {
        let c = Cache::new(Duration::from_secs(60), 10, 1000);
        c.put(key("a", Resource::Payments), Arc::new(1u8), 1);
        c.put(key("a", Resource::Clients), Arc::new(2u8), 1);
        c.put(key("b", Resource::Payments), Arc::new(3u8), 1);
        c.invalidate(&TeamId::new("a"), &[Resource::Payments]);
        assert!(c.get::<u8>(&key("a", Resource::Payments)).is_none());
        assert!(c.get::<u8>(&key("a", Resource::Clients)).is_some());
        assert!(c.get::<u8>(&key("b", Resource::Payments)).is_some());
    }

    #[test]
    fn bounded_by_entries_and_rows_evicting_least_recent() {
        let c = Cache::new(Duration::from_secs(60), 2, 100);
        c.put(key("a", Resource::Payments), Arc::new(1u8), 1);
        c.put(key("b", Resource::Payments), Arc::new(1u8), 1);
        let _ = c.get::<u8>(&key("a", Resource::Payments));
        c.put(key("c", Resource::Payments), Arc::new(1u8), 1);
        assert_eq!(c.len(), 2);
        assert!(c.get::<u8>(&key("b", Resource::Payments)).is_none());
        c.put(key("d", Resource::Payments), Arc::new(1u8), 150);
        assert_eq!(c.len(), 1);
    }

    #[test]
    fn reports_staleness_after_ttl() {
        let c = Cache::new(Duration::ZERO, 2, 100);
        c.put(key("a", Resource::Payments), Arc::new(1u8), 1);
        let got = c.get::<u8>(&key("a", Resource::Payments)).unwrap();
        assert!(!got.fresh);
    }
}
