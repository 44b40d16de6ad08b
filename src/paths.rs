//! Where a user's files live (XDG on Linux and macOS): config, state (last team), log,
//! audit log. Files are written atomically (temp file, then rename); `--output` names a
//! `Destination` (standard output, a device or FIFO written through, or a regular file
//! replaced atomically), and the temporary files of a killed run are cleaned up.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use etcetera::BaseStrategy;

pub fn state_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("XDG_STATE_HOME").filter(|d| !d.is_empty()) {
        return PathBuf::from(d).join("gigdash");
    }
    etcetera::choose_base_strategy()
        .ok()
        .and_then(|s| s.state_dir())
        .unwrap_or_else(|| PathBuf::from(".local/state"))
        .join("gigdash")
}

pub fn config_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("XDG_CONFIG_HOME").filter(|d| !d.is_empty()) {
        return PathBuf::from(d).join("gigdash");
    }
    etcetera::choose_base_strategy()
        .map(|s| s.config_dir())
        .unwrap_or_else(|_| PathBuf::from(".config"))
        .join("gigdash")
}

/// Writes `bytes` to `path` so that readers see the old or the new file, never half.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let tmp = dir.join(format!(
        ".{}.tmp{}",
        path.file_name().and_then(|n| n.to_str()).unwrap_or("file"),
        std::process::id()
    ));
    let written = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        // A file replaced keeps its mode: a 0600 export does not become 0644.
        if let Some(old) = std::fs::metadata(path).ok().filter(|m| m.is_file()) {
            f.set_permissions(old.permissions())?;
        }
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    // A failed write (full disk, a folder in the way) leaves no temporary file behind.
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

/// Where `--output` writes, decided before anything is fetched.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Destination {
    /// No `--output`, or `-`.
    Stdout,
    /// A character device or a FIFO (or a link to one): opened for writing, never
    /// replaced — `/dev/null` stays `/dev/null`.
    Through(PathBuf),
    /// A regular file, new or existing, or the file a link points to: replaced atomically,
    /// so the link stays a link.
    File(PathBuf),
}

impl Destination {
    /// What `--output path` means; a folder, a block device, a socket or a link that leads
    /// nowhere is refused in words.
    pub fn of(path: Option<&Path>, lang: crate::i18n::Lang) -> Result<Destination, String> {
        use std::os::unix::fs::FileTypeExt;
        let Some(path) = path.filter(|p| p.as_os_str() != "-") else {
            return Ok(Destination::Stdout);
        };
        let shown = crate::text::printable(&path.display().to_string());
        let link = match std::fs::symlink_metadata(path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Destination::File(path.to_path_buf()));
            }
            Err(e) => return Err(format!("{shown}: {e}")),
            Ok(m) => m.file_type().is_symlink(),
        };
        // Through every link to what it names at the end.
        let (target, meta) =
            match std::fs::canonicalize(path).and_then(|t| std::fs::metadata(&t).map(|m| (t, m))) {
                Ok(found) => found,
                Err(_) if link => {
                    let to = std::fs::read_link(path)
                        .map(|t| crate::text::printable(&t.display().to_string()))
                        .unwrap_or_default();
                    return Err(crate::t!(
                        lang,
                        "{shown} is a link to {to}, which does not exist; name the file itself",
                        "{shown} es un enlace a {to}, que no existe; nombra el archivo mismo"
                    ));
                }
                Err(e) => return Err(format!("{shown}: {e}")),
            };
        let kind = meta.file_type();
        if kind.is_file() {
            Ok(Destination::File(if link {
                target
            } else {
                path.to_path_buf()
            }))
        } else if kind.is_char_device() || kind.is_fifo() {
            Ok(Destination::Through(path.to_path_buf()))
        } else {
            let what = if kind.is_dir() {
                lang.pick("a folder", "una carpeta")
            } else if kind.is_block_device() {
                lang.pick("a disk (block device)", "un disco (dispositivo de bloques)")
            } else {
                lang.pick("not a file", "no es un archivo")
            };
            Err(crate::t!(
                lang,
                "{shown} is {what}; give a file name, - for standard output, or a FIFO",
                "{shown} es {what}; da un nombre de archivo, - para la salida estándar, o un FIFO"
            ))
        }
    }

    /// The folder whose leftovers of a killed run are cleaned up before writing.
    pub fn folder(&self) -> Option<&Path> {
        match self {
            Destination::File(p) => Some(p.parent().unwrap_or(Path::new("."))),
            _ => None,
        }
    }
}

/// Opens a device or FIFO for writing, never creating or replacing it (a FIFO waits here
/// for its reader).
pub fn open_through(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::OpenOptions::new().write(true).open(path)
}

/// The process id in a temporary file's name as `write_atomic` makes it (`.F.tmp<pid>`).
fn temporary_pid(name: &str) -> Option<u32> {
    let rest = name.strip_prefix('.')?;
    let (file, pid) = rest.rsplit_once(".tmp")?;
    if file.is_empty() || pid.is_empty() || !pid.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    pid.parse().ok().filter(|p| *p > 0 && *p <= i32::MAX as u32)
}

/// Whether a process with this id is running (one of another user counts as running).
fn alive(pid: u32) -> bool {
    // SAFETY: signal 0 only checks that the process exists and may be signalled.
    let r = unsafe { libc::kill(pid as libc::pid_t, 0) };
    r == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

/// Removes from `dir` the temporary files `write_atomic` left when its run was killed
/// midway: regular files of this user named `.F.tmp<pid>` whose process is gone. How many.
pub fn remove_stale_temporaries(dir: &Path) -> usize {
    use std::os::unix::fs::MetadataExt;
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    // SAFETY: geteuid has no preconditions and cannot fail.
    let me = unsafe { libc::geteuid() };
    let mut removed = 0;
    for e in entries.flatten() {
        let name = e.file_name();
        let Some(pid) = name.to_str().and_then(temporary_pid) else {
            continue;
        };
        let Ok(meta) = std::fs::symlink_metadata(e.path()) else {
            continue;
        };
        if !meta.is_file() || meta.uid() != me || pid == std::process::id() || alive(pid) {
            continue;
        }
        if std::fs::remove_file(e.path()).is_ok() {
            removed += 1;
        }
    }
    removed
}

/// The last team per backend (base URL and key team), so demo and live never mix.
pub fn remembered_team(scope: &str) -> Option<String> {
    let text = std::fs::read_to_string(state_dir().join("last_team.json")).ok()?;
    let map: BTreeMap<String, String> = serde_json::from_str(&text).ok()?;
    map.get(scope).cloned()
}

pub fn remember_team(scope: &str, team: &str) -> std::io::Result<()> {
    let path = state_dir().join("last_team.json");
    let mut map: BTreeMap<String, String> = std::fs::read_to_string(&path)
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default();
    map.insert(scope.to_string(), team.to_string());
    let bytes = serde_json::to_vec_pretty(&map).map_err(std::io::Error::other)?;
    write_atomic(&path, &bytes)
}

/// `$XDG_CACHE_HOME/gigdash`: the store's folder (data that can be fetched again).
pub fn cache_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("XDG_CACHE_HOME").filter(|d| !d.is_empty()) {
        return PathBuf::from(d).join("gigdash");
    }
    etcetera::choose_base_strategy()
        .map(|s| s.cache_dir())
        .unwrap_or_else(|_| PathBuf::from(".cache"))
        .join("gigdash")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_names_write_atomic_makes_are_temporaries() {
        assert_eq!(temporary_pid(".invoices.csv.tmp4242"), Some(4242));
        assert_eq!(temporary_pid(".a.tmp.tmp7"), Some(7));
        for not in [
            "invoices.csv.tmp4242",
            "..tmp12",
            ".x.tmp",
            ".x.tmp12a",
            ".x.tmp0",
        ] {
            assert_eq!(temporary_pid(not), None, "{not}");
        }
    }
}
