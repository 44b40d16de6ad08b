//! The config file (`$XDG_CONFIG_HOME/gigdash/config.toml` or `GIGDASH_CONFIG`): profiles
//! (where the key comes from, base URL, read-only), per-team settings (alias, read-only),
//! downloads folder. Every key optional; errors name the file, the line and what is wrong.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::i18n::Lang;
use crate::t;

/// Turns the config's own `language` into the language of its messages.
pub type Pick<'a> = dyn Fn(Option<Lang>) -> Lang + 'a;

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The profile used when `--profile` is not given.
    pub profile: Option<String>,
    #[serde(default)]
    pub profiles: BTreeMap<String, Profile>,
    /// Per-team settings, keyed by team id.
    #[serde(default)]
    pub teams: BTreeMap<String, TeamSettings>,
    pub downloads_dir: Option<PathBuf>,
    /// Writes off everywhere.
    #[serde(default)]
    pub read_only: bool,
    /// Keep teams and documents between runs in a local SQLite store (default true).
    pub store: Option<bool>,
    /// Mouse wheel and clicks in tables (off by default: it takes over text selection).
    #[serde(default)]
    pub mouse: bool,
    /// `16` (default), `256`, `truecolor`, or `auto` (from COLORTERM/TERM). NO_COLOR wins.
    pub theme: Option<String>,
    /// `en` or `es`; without it, LC_ALL/LC_MESSAGES/LANG decide (`es_*` → Spanish).
    pub language: Option<crate::i18n::Lang>,
    /// The Branches tab and `gigdash branches`: stamping credits under this are low
    /// (default 100).
    pub low_credits: Option<u32>,
    /// Key overrides: action name → a key or a list of keys.
    #[serde(default)]
    pub keys: BTreeMap<String, KeyList>,
    /// The file read and its text, to say where a value was set (`gigdash info`).
    #[serde(skip)]
    pub source: Option<(PathBuf, String)>,
}

#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum KeyList {
    One(String),
    Many(Vec<String>),
}

impl KeyList {
    fn to_vec(&self) -> Vec<String> {
        match self {
            KeyList::One(k) => vec![k.clone()],
            KeyList::Many(v) => v.clone(),
        }
    }
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// Name of the environment variable holding the key (default `GIGSTACK_API_KEY`).
    pub key_env: Option<String>,
    /// A file holding the key; refused if others can read it.
    pub key_file: Option<PathBuf>,
    pub base_url: Option<String>,
    #[serde(default)]
    pub read_only: bool,
    /// Header colour while this profile is in use (`#b00020`, `red`…).
    pub accent: Option<String>,
    /// The key's rate limit, requests per second (gigstack limits per key).
    pub requests_per_second: Option<f64>,
    /// Requests that may go at once before the rate applies.
    pub burst: Option<u32>,
    /// Requests in flight at once (and teams loaded at once).
    pub concurrency: Option<usize>,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct TeamSettings {
    pub alias: Option<String>,
    /// Header colour while this team is shown.
    pub color: Option<String>,
    #[serde(default)]
    pub read_only: bool,
}

/// A config problem, in words: which file, where, what.
#[derive(Clone, Debug, PartialEq)]
pub struct ConfigError(pub String);

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ConfigError {}

/// The largest config read: a real one is a few KB.
pub const MAX_CONFIG_BYTES: u64 = 1_000_000;

/// The config's text; `None` when there is no file. Only a regular file (or a link to
/// one) of at most `MAX_CONFIG_BYTES` is read: `/dev/zero` would fill the memory, a FIFO
/// would wait forever.
fn read_bounded(path: &Path, pick: &Pick<'_>) -> Result<Option<String>, ConfigError> {
    use std::io::Read;
    let shown = crate::text::printable(&path.display().to_string());
    let l = pick(None);
    let cannot = |e: std::io::Error| {
        ConfigError(t!(
            l,
            "{shown}: cannot read: {e}",
            "{shown}: no se puede leer: {e}"
        ))
    };
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(cannot(e)),
    };
    if !meta.is_file() {
        return Err(ConfigError(t!(
            l,
            "{shown} is not a regular file; the config must be a TOML file",
            "{shown} no es un archivo regular; la configuración debe ser un archivo TOML"
        )));
    }
    let too_big = || {
        ConfigError(t!(
            l,
            "{shown} is larger than 1 MB; a config is a few lines of TOML",
            "{shown} pesa más de 1 MB; una configuración son unas líneas de TOML"
        ))
    };
    if meta.len() > MAX_CONFIG_BYTES {
        return Err(too_big());
    }
    // Bounded again while reading: the file may grow between the look and the read.
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_CONFIG_BYTES + 1).read_to_end(&mut bytes))
        .map_err(cannot)?;
    if bytes.len() as u64 > MAX_CONFIG_BYTES {
        return Err(too_big());
    }
    String::from_utf8(bytes).map(Some).map_err(|_| {
        ConfigError(t!(
            l,
            "{shown} is not UTF-8 text",
            "{shown} no es texto UTF-8"
        ))
    })
}

/// The config `GIGDASH_CONFIG` names, when it names one.
pub fn named() -> Option<PathBuf> {
    std::env::var_os("GIGDASH_CONFIG")
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
}

/// Where the config is read from.
pub fn path() -> PathBuf {
    std::env::var_os("GIGDASH_CONFIG")
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| crate::paths::config_dir().join("config.toml"))
}

impl Config {
    /// Parses `text` read from `path`; the error names the file and the line, in English.
    pub fn parse(path: &Path, text: &str) -> Result<Config, ConfigError> {
        Config::parse_in(path, text, &|_| Lang::En)
    }

    /// Parses `text`; `pick` turns the file's own `language` (when it has one) into the
    /// language of the messages, as the dashboard chooses it (flag, environment, file,
    /// locale). toml's own syntax messages stay as toml writes them.
    pub fn parse_in(path: &Path, text: &str, pick: &Pick<'_>) -> Result<Config, ConfigError> {
        let mut cfg: Config = toml::from_str(text).map_err(|e| {
            let line = e
                .span()
                .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1)
                .unwrap_or(0);
            ConfigError(format!("{}:{line}: {}", path.display(), e.message()))
        })?;
        let l = pick(cfg.language);
        let at =
            |line: usize, what: String| ConfigError(format!("{}:{line}: {what}", path.display()));
        if let Some(p) = &cfg.profile
            && !cfg.profiles.contains_key(p)
        {
            return Err(at(
                line_where(text, None, |l| assigns(l, "profile")),
                t!(
                    l,
                    "`profile = \"{p}\"` names a profile that is not defined under [profiles.{p}]",
                    "`profile = \"{p}\"` nombra un perfil que no está definido en [profiles.{p}]"
                ),
            ));
        }
        if let Err(ConfigError(e)) = cfg.keymap(Path::new(""), l) {
            // The message quotes the actions involved; point at the first one set in [keys].
            let e = e.trim_start_matches(": ").to_string();
            let line = quoted(&e)
                .find_map(|name| {
                    Some(line_where(text, Some("[keys]"), |l| assigns(l, name))).filter(|n| *n > 0)
                })
                .unwrap_or_else(|| line_where(text, None, |l| l.trim() == "[keys]"));
            return Err(at(line, e));
        }
        if let Some(t) = &cfg.theme
            && !["16", "256", "truecolor", "24bit", "auto"].contains(&t.as_str())
        {
            return Err(at(
                line_where(text, None, |l| assigns(l, "theme")),
                t!(
                    l,
                    "theme «{t}» is not one of 16, 256, truecolor, auto",
                    "theme «{t}» no es ninguno de 16, 256, truecolor, auto"
                ),
            ));
        }
        let colors = cfg
            .profiles
            .iter()
            .filter_map(|(n, p)| {
                p.accent.as_ref().map(|c| {
                    (
                        t!(l, "profile «{n}» accent", "el accent del perfil «{n}»"),
                        c,
                    )
                })
            })
            .chain(cfg.teams.iter().filter_map(|(id, t)| {
                t.color
                    .as_ref()
                    .map(|c| (t!(l, "team {id} color", "el color del equipo {id}"), c))
            }));
        for (what, c) in colors {
            if crate::colors::parse_color(c).is_none() {
                return Err(at(
                    line_where(text, None, |l| l.contains(&format!("\"{c}\""))),
                    t!(
                        l,
                        "{what} «{c}» is not a colour (use #rrggbb or a name like red)",
                        "{what}, «{c}», no es un color (usa #rrggbb o un nombre como red)"
                    ),
                ));
            }
        }
        for (name, p) in &cfg.profiles {
            let section = format!("[profiles.{name}]");
            let limits = [
                (
                    "requests_per_second",
                    p.requests_per_second
                        .filter(|r| !(r.is_finite() && *r > 0.0 && *r <= 1000.0))
                        .map(|r| r.to_string()),
                    "a number above 0 and at most 1000",
                    "un número mayor que 0 y hasta 1000",
                ),
                (
                    "burst",
                    p.burst
                        .filter(|b| !(1..=1000).contains(b))
                        .map(|b| b.to_string()),
                    "a whole number from 1 to 1000",
                    "un entero de 1 a 1000",
                ),
                (
                    "concurrency",
                    p.concurrency
                        .filter(|c| !(1..=64).contains(c))
                        .map(|c| c.to_string()),
                    "a whole number from 1 to 64",
                    "un entero de 1 a 64",
                ),
            ];
            for (key, bad, en, es) in limits {
                if let Some(v) = bad {
                    let want = l.pick(en, es);
                    return Err(at(
                        line_where(text, Some(&section), |l| assigns(l, key)),
                        t!(
                            l,
                            "profile «{name}»: {key} = {v} must be {want}",
                            "perfil «{name}»: {key} = {v} debe ser {want}"
                        ),
                    ));
                }
            }
            if p.key_env.is_some() && p.key_file.is_some() {
                return Err(at(
                    line_where(text, Some(&section), |l| assigns(l, "key_file")),
                    t!(
                        l,
                        "profile «{name}» sets both key_env and key_file; keep one",
                        "el perfil «{name}» define key_env y key_file a la vez; deja uno"
                    ),
                ));
            }
        }
        cfg.source = Some((path.to_path_buf(), text.to_string()));
        Ok(cfg)
    }

    /// Where `key` is set in the file, as `file:line`: at the top level (`section` none)
    /// or in that table (`[profiles.x]`), up to the next table. `None` when it is not.
    pub fn set_at(&self, section: Option<&str>, key: &str) -> Option<String> {
        let (path, text) = self.source.as_ref()?;
        let lines: Vec<&str> = text.lines().collect();
        let start = match section {
            Some(h) => lines.iter().position(|l| l.trim() == h)? + 1,
            None => 0,
        };
        let line = lines[start..]
            .iter()
            .take_while(|l| !l.trim_start().starts_with('['))
            .position(|l| assigns(l, key))?
            + start
            + 1;
        Some(format!("{}:{line}", path.display()))
    }

    /// Where the table `header` (`[profiles.default]`) opens, as `file:line`.
    pub fn table_at(&self, header: &str) -> Option<String> {
        let (path, text) = self.source.as_ref()?;
        let line = text.lines().position(|l| l.trim() == header)? + 1;
        Some(format!("{}:{line}", path.display()))
    }

    /// The profile to use when `--profile` is not given: `profile =`, else the one named
    /// `default` when there is one.
    pub fn default_profile(&self) -> Option<&str> {
        self.profile
            .as_deref()
            .or_else(|| self.profiles.contains_key("default").then_some("default"))
    }

    /// Reads the config; a missing file is the default config. Messages in English.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        Config::load_in(path, &|_| Lang::En)
    }

    /// Reads the config, with messages in the language `pick` chooses (see `parse_in`). A
    /// missing file is the default config.
    pub fn load_in(path: &Path, pick: &Pick<'_>) -> Result<Config, ConfigError> {
        match read_bounded(path, pick) {
            Ok(Some(text)) => Config::parse_in(path, &text, pick),
            Ok(None) => Ok(Config::default()),
            Err(e) => Err(e),
        }
    }

    /// Reads the config a user named (`GIGDASH_CONFIG`): the same, except that a missing
    /// file is said, not taken for the defaults — a typo must not quietly drop a profile's
    /// `read_only`.
    pub fn load_named(path: &Path, pick: &Pick<'_>) -> Result<Config, ConfigError> {
        match read_bounded(path, pick) {
            Ok(Some(text)) => Config::parse_in(path, &text, pick),
            Ok(None) => {
                let shown = crate::text::printable(&path.display().to_string());
                Err(ConfigError(t!(
                    pick(None),
                    "GIGDASH_CONFIG names {shown}, which does not exist; create it, or unset GIGDASH_CONFIG to use the default config",
                    "GIGDASH_CONFIG nombra {shown}, que no existe; créalo, o quita GIGDASH_CONFIG para usar la configuración por omisión"
                )))
            }
            Err(e) => Err(e),
        }
    }

    /// The profile in use: `--profile`, else `profile =`, else `[profiles.default]`, else
    /// none.
    pub fn active_profile(
        &self,
        flag: Option<&str>,
        lang: Lang,
    ) -> Result<Option<(String, Profile)>, ConfigError> {
        match flag.or(self.default_profile()) {
            None => Ok(None),
            Some(name) => self
                .profiles
                .get(name)
                .map(|p| Some((name.to_string(), p.clone())))
                .ok_or_else(|| {
                    let defined = self.profiles.keys().cloned().collect::<Vec<_>>().join(", ");
                    ConfigError(t!(
                        lang,
                        "no profile «{name}» in the config; defined: {defined}",
                        "no hay un perfil «{name}» en la configuración; definidos: {defined}"
                    ))
                }),
        }
    }

    /// The key map with `[keys]` applied; clashes name the file, the key and both actions.
    pub fn keymap(
        &self,
        path: &Path,
        lang: Lang,
    ) -> Result<crate::app::input::keymap::KeyMap, ConfigError> {
        let overrides = self
            .keys
            .iter()
            .map(|(a, k)| (a.clone(), k.to_vec()))
            .collect();
        crate::app::input::keymap::KeyMap::with_overrides(
            &overrides,
            &path.display().to_string(),
            lang,
        )
        .map_err(ConfigError)
    }

    /// Team ids configured read-only.
    pub fn read_only_teams(&self) -> Vec<String> {
        self.teams
            .iter()
            .filter(|(_, t)| t.read_only)
            .map(|(id, _)| id.clone())
            .collect()
    }
}

/// The 1-based number of the first line for which `pick` holds (after the line `section`,
/// when given), or 0. For values toml accepted and gigdash does not, so the message can
/// still point at the line.
fn line_where(text: &str, section: Option<&str>, pick: impl Fn(&str) -> bool) -> usize {
    let start = section
        .and_then(|h| text.lines().position(|l| l.trim() == h))
        .map(|i| i + 1)
        .unwrap_or(0);
    text.lines()
        .enumerate()
        .skip(start)
        .find(|(_, l)| pick(l))
        .map(|(i, _)| i + 1)
        .unwrap_or(0)
}

/// `key = …` on this line (a top-level or table key, not a comment).
fn assigns(line: &str, key: &str) -> bool {
    line.trim_start()
        .strip_prefix(key)
        .is_some_and(|rest| rest.trim_start().starts_with('='))
}

/// The «quoted» names in a message.
fn quoted(msg: &str) -> impl Iterator<Item = &str> {
    msg.split('«').skip(1).filter_map(|s| s.split('»').next())
}

/// Reads a key file, refusing one that group or others can read (it is a secret).
pub fn read_key_file(path: &Path, lang: Lang) -> Result<String, ConfigError> {
    let shown = path.display();
    let failed = |e: std::io::Error| {
        ConfigError(t!(
            lang,
            "key file {shown}: {e}",
            "archivo de key {shown}: {e}"
        ))
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let meta = std::fs::metadata(path).map_err(failed)?;
        let mode = meta.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            return Err(ConfigError(t!(
                lang,
                "key file {shown} can be read by others (mode {mode:o}); run: chmod 600 {shown}",
                "otros pueden leer el archivo de key {shown} (modo {mode:o}); ejecuta: chmod 600 {shown}"
            )));
        }
    }
    let key = std::fs::read_to_string(path).map_err(failed)?;
    let key = key.trim();
    if key.is_empty() {
        return Err(ConfigError(t!(
            lang,
            "key file {shown} is empty; put the API key in it (one line)",
            "el archivo de key {shown} está vacío; pon la API key en él (una línea)"
        )));
    }
    Ok(key.to_string())
}
