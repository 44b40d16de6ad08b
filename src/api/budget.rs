//! The key's rate limit shared by every gigdash on this host that uses the key (two
//! dashboards over SSH and a cron `gigdash sync` on one jump host): a small file, mode
//! 0600, holding the limit's next free moment (GCRA, in wall-clock seconds: processes
//! share no clock but that one) and who used it lately, read and written under an
//! exclusive lock. Each request reserves its moment there, then waits for it.

use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

/// A process not seen for this long no longer counts as sharing.
const SEEN_WITHIN: f64 = 30.0;

/// Seconds beyond the burst a next free moment can be ahead of now (a queue of a few
/// processes' requests in flight); one further ahead is a clock that went back.
const AHEAD_AT_MOST: f64 = 10.0;

/// How long a request waits for the file's lock before this process keeps its own limit.
const LOCK_WITHIN: std::time::Duration = std::time::Duration::from_secs(5);

pub(super) struct SharedBudget {
    path: PathBuf,
    pid: u32,
}

#[derive(serde::Serialize, serde::Deserialize, Default)]
struct State {
    /// The next free moment (seconds since the epoch).
    tat: f64,
    /// Process id → when it last asked.
    who: std::collections::BTreeMap<u32, f64>,
}

fn now() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or(0.0)
}

impl SharedBudget {
    /// The budget kept at `path`, made if missing. Refused (in words) when it is not a
    /// regular file of this user: another user's file could starve this process or be
    /// starved by it.
    pub(super) fn open(path: &Path) -> Result<Self, String> {
        use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
        let shown = path.display();
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .mode(0o600)
            // Never waits on a FIFO put there: refused below as not a regular file.
            .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
            .open(path)
            .map_err(|e| format!("{shown}: {e}"))?;
        let meta = std::fs::symlink_metadata(path).map_err(|e| format!("{shown}: {e}"))?;
        // SAFETY: geteuid has no preconditions and cannot fail.
        let me = unsafe { libc::geteuid() };
        if !meta.is_file() {
            return Err(format!("{shown} is not a regular file"));
        }
        if meta.uid() != me {
            return Err(format!("{shown} belongs to another user"));
        }
        Ok(SharedBudget {
            path: path.to_path_buf(),
            pid: std::process::id(),
        })
    }

    /// Reserves the next moment a request may go at `per_second` with `burst` at once:
    /// how long to wait for it, and how many other processes used the budget lately.
    pub(super) async fn reserve(
        &self,
        per_second: f64,
        burst: u32,
    ) -> std::io::Result<(std::time::Duration, usize)> {
        let (path, pid) = (self.path.clone(), self.pid);
        tokio::task::spawn_blocking(move || reserve_at(&path, pid, per_second, burst, now()))
            .await
            .map_err(std::io::Error::other)?
    }
}

impl SharedBudget {
    /// How many other processes used the budget lately, without reserving anything (an
    /// idle dashboard learns that the others left).
    pub(super) async fn others(&self) -> std::io::Result<usize> {
        let (path, pid) = (self.path.clone(), self.pid);
        tokio::task::spawn_blocking(move || others_at(&path, pid, now()))
            .await
            .map_err(std::io::Error::other)?
    }
}

/// Those other than `pid` seen within `SEEN_WITHIN` of `t`, read under the lock.
fn others_at(path: &Path, pid: u32, t: f64) -> std::io::Result<usize> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)?;
    lock_within(&f)?;
    let mut text = String::new();
    let state: State = match f.read_to_string(&mut text) {
        Ok(_) if text.len() < 64 << 10 => serde_json::from_str(&text).unwrap_or_default(),
        _ => State::default(),
    };
    f.unlock()?;
    Ok(state
        .who
        .iter()
        .filter(|(p, seen)| **p != pid && t - **seen < SEEN_WITHIN)
        .count())
}

/// Takes the file's lock, waiting at most `LOCK_WITHIN`.
fn lock_within(f: &std::fs::File) -> std::io::Result<()> {
    let deadline = std::time::Instant::now() + LOCK_WITHIN;
    loop {
        match f.try_lock() {
            Ok(()) => return Ok(()),
            Err(std::fs::TryLockError::WouldBlock) if std::time::Instant::now() < deadline => {
                std::thread::sleep(std::time::Duration::from_millis(2));
            }
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(std::io::Error::other("its lock was held for over 5 s"));
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(e),
        }
    }
}

/// The reservation itself, at time `t` (seconds since the epoch).
fn reserve_at(
    path: &Path,
    pid: u32,
    per_second: f64,
    burst: u32,
    t: f64,
) -> std::io::Result<(std::time::Duration, usize)> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)?;
    lock_within(&f)?;
    let mut text = String::new();
    // A file cut or written by hand starts the budget again, never stops it.
    let mut state: State = match f.read_to_string(&mut text) {
        Ok(_) if text.len() < 64 << 10 => serde_json::from_str(&text).unwrap_or_default(),
        _ => State::default(),
    };
    let interval = 1.0 / per_second;
    let tolerance = f64::from(burst.max(1) - 1) * interval;
    // A moment further ahead than any queue of this host needs (a clock that went back, a
    // hand edit) is forgotten: never a sleep of minutes.
    if !state.tat.is_finite() || state.tat > t + tolerance + AHEAD_AT_MOST {
        state.tat = t;
    }
    let tat = state.tat.max(t);
    let wait = (tat - tolerance - t).max(0.0);
    state.tat = tat + interval;
    state
        .who
        .retain(|p, seen| *p != pid && t - *seen < SEEN_WITHIN);
    let others = state.who.len();
    state.who.insert(pid, t);
    let out = serde_json::to_string(&state).map_err(std::io::Error::other)?;
    f.set_len(0)?;
    f.rewind()?;
    f.write_all(out.as_bytes())?;
    f.unlock()?;
    Ok((std::time::Duration::from_secs_f64(wait), others))
}

#[cfg(test)]
mod budget_tests {
    use super::*;

    #[test]
    fn processes_sharing_a_file_are_spaced_as_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("budget");
        SharedBudget::open(&path).unwrap();
        let t = 1_000.0;
        // Ten a second, two at once: two processes asking in turn at the same moment get
        // 0, 0, then 0.1, 0.2, 0.3 s — as one process would.
        let waits: Vec<f64> = (0..5)
            .map(|i| {
                reserve_at(&path, 100 + (i % 2), 10.0, 2, t)
                    .unwrap()
                    .0
                    .as_secs_f64()
            })
            .collect();
        let want = [0.0, 0.0, 0.1, 0.2, 0.3];
        for (w, e) in waits.iter().zip(want) {
            assert!((w - e).abs() < 1e-9, "{waits:?}");
        }
        // The other process is counted while it was seen lately, then no more; looking
        // (without reserving) says the same.
        assert_eq!(others_at(&path, 100, t).unwrap(), 1);
        assert_eq!(others_at(&path, 100, t + 60.0).unwrap(), 0);
        assert_eq!(reserve_at(&path, 100, 10.0, 2, t).unwrap().1, 1);
        assert_eq!(reserve_at(&path, 100, 10.0, 2, t + 60.0).unwrap().1, 0);
        // A moment a minute ahead (a clock that went back) is forgotten, not slept on.
        std::fs::write(&path, format!(r#"{{"tat": {}, "who": {{}}}}"#, t + 60.0)).unwrap();
        assert_eq!(
            reserve_at(&path, 1, 10.0, 2, t).unwrap().0.as_secs_f64(),
            0.0
        );
        // A queue a few seconds long is kept.
        std::fs::write(&path, format!(r#"{{"tat": {}, "who": {{}}}}"#, t + 3.0)).unwrap();
        let w = reserve_at(&path, 1, 10.0, 2, t).unwrap().0.as_secs_f64();
        assert!((w - 2.9).abs() < 1e-9, "{w}");
        // Garbage starts again.
        std::fs::write(&path, "not json").unwrap();
        assert_eq!(
            reserve_at(&path, 1, 10.0, 2, t).unwrap().0.as_secs_f64(),
            0.0
        );
    }

    #[test]
    fn a_symlink_or_another_kind_of_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real");
        std::fs::write(&real, "").unwrap();
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        assert!(SharedBudget::open(&link).is_err());
        assert!(SharedBudget::open(dir.path()).is_err());
        // A FIFO put where the file goes: refused at once, never waited on.
        let fifo = dir.path().join("fifo");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path; mkfifo has no other precondition.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let e = SharedBudget::open(&fifo).err().expect("refused");
        assert!(
            e.contains("not a regular file") || e.contains("No such device"),
            "{e}"
        );
    }
}
