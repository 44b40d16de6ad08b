//! The settings a run uses after layering defaults < config file < environment < flags:
//! the key and where it came from, base URL, profile, read-only teams, aliases, colours,
//! keys, language; and `gigdash info`, which prints them (the key masked).

use crate::i18n::{Lang, LangSource};
use crate::t;

/// Where the key is read from.
pub enum KeySource {
    File(std::path::PathBuf),
    Env(String),
}

impl KeySource {
    fn describe(&self, lang: Lang) -> String {
        match self {
            KeySource::File(p) => {
                let p = p.display();
                t!(lang, "key file {p}", "el archivo de key {p}")
            }
            KeySource::Env(v) => t!(
                lang,
                "environment variable {v}",
                "la variable de entorno {v}"
            ),
        }
    }
}

/// Settings after layering: defaults < config file < environment < flags.
pub struct Resolved {
    pub key: Option<crate::api::ApiKey>,
    pub key_source: KeySource,
    pub base_url: Option<String>,
    pub profile: Option<String>,
    pub read_only: bool,
    pub read_only_teams: Vec<crate::api::TeamId>,
    pub aliases: Vec<(crate::api::TeamId, String)>,
    pub downloads: Option<std::path::PathBuf>,
    pub keymap: crate::app::input::keymap::KeyMap,
    pub theme: Option<String>,
    pub accent: Option<String>,
    pub team_colors: Vec<(crate::api::TeamId, String)>,
    pub mouse: bool,
    pub lang: Lang,
    pub lang_source: LangSource,
    /// The key's rate limit and how many requests run at once (profile settings).
    pub requests_per_second: f64,
    pub burst: u32,
    pub concurrency: usize,
    /// Stamping credits under this are low (`low_credits`, default 100).
    pub low_credits: u32,
    /// Keep a local store (`store = false` in the config or `--no-store` turn it off).
    pub store: bool,
    /// `--offline`: read only from the store.
    pub offline: bool,
    /// What the user should hear before the run (a setting that was not understood).
    pub notices: Vec<String>,
    /// Where each value `gigdash info` shows was set.
    pub origins: Origins,
}

/// Where a value was set: `file:line`, an environment variable or a flag; `None` for the
/// default.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Origins {
    pub profile: Option<String>,
    /// Profiles defined but none chosen: their names.
    pub unused_profiles: Vec<String>,
    pub base_url: Option<String>,
    pub read_only: Option<String>,
    pub requests_per_second: Option<String>,
    pub burst: Option<String>,
    pub concurrency: Option<String>,
    pub store: Option<String>,
    pub downloads: Option<String>,
}

impl Resolved {
    pub fn from_config(
        profile_flag: Option<&str>,
        lang_flag: Option<Lang>,
    ) -> Result<Self, crate::config::ConfigError> {
        use crate::config::{Config, read_key_file};
        let path = crate::config::path();
        let env = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let pick = move |own: Option<Lang>| Lang::resolve(lang_flag, own, env).0;
        let cfg = match crate::config::named() {
            Some(named) => Config::load_named(&named, &pick)?,
            None => Config::load_in(&path, &pick)?,
        };
        let (lang, lang_source) = Lang::resolve(lang_flag, cfg.language, env);
        let mut notices = Vec::new();
        if let Some(v) = env("GIGDASH_LANG").filter(|v| Lang::parse(v).is_none()) {
            let v = crate::text::printable(&v);
            let (code, from) = (lang.code(), lang_source.describe(lang));
            notices.push(t!(
                lang,
                "GIGDASH_LANG={v} is not a language gigdash speaks (en or es); using {code} ({from})",
                "GIGDASH_LANG={v} no es un idioma que gigdash hable (en o es); se usa {code} ({from})"
            ));
        }
        let active = cfg.active_profile(profile_flag, lang)?;
        let key_source = match active.as_ref().map(|(_, p)| p) {
            Some(p) if p.key_file.is_some() => {
                KeySource::File(p.key_file.clone().unwrap_or_default())
            }
            Some(p) => KeySource::Env(
                p.key_env
                    .clone()
                    .unwrap_or_else(|| "GIGSTACK_API_KEY".into()),
            ),
            None => KeySource::Env("GIGSTACK_API_KEY".into()),
        };
        let key = match active.as_ref().map(|(_, p)| p) {
            Some(p) if p.key_file.is_some() => Some(read_key_file(
                p.key_file.as_deref().unwrap_or(std::path::Path::new("")),
                lang,
            )?),
            Some(p) => env(p.key_env.as_deref().unwrap_or("GIGSTACK_API_KEY")),
            None => env("GIGSTACK_API_KEY"),
        }
        .map(crate::api::ApiKey::new);
        let defaults = crate::api::ClientConfig::default();
        let base_url = env("GIGSTACK_API_BASE_URL")
            .or_else(|| active.as_ref().and_then(|(_, p)| p.base_url.clone()));
        let origins = {
            let section = active.as_ref().map(|(n, _)| format!("[profiles.{n}]"));
            let in_profile = |key: &str| section.as_deref().and_then(|s| cfg.set_at(Some(s), key));
            Origins {
                profile: match (profile_flag, &cfg.profile, &active) {
                    (Some(_), _, _) => Some("--profile".into()),
                    (None, Some(_), _) => cfg.set_at(None, "profile"),
                    (None, None, Some((n, _))) => cfg.table_at(&format!("[profiles.{n}]")),
                    (None, None, None) => None,
                },
                unused_profiles: if active.is_none() {
                    cfg.profiles.keys().cloned().collect()
                } else {
                    vec![]
                },
                base_url: if env("GIGSTACK_API_BASE_URL").is_some() {
                    Some("GIGSTACK_API_BASE_URL".into())
                } else {
                    in_profile("base_url")
                },
                read_only: if cfg.read_only {
                    cfg.set_at(None, "read_only")
                } else {
                    in_profile("read_only")
                },
                requests_per_second: in_profile("requests_per_second"),
                burst: in_profile("burst"),
                concurrency: in_profile("concurrency"),
                store: cfg.set_at(None, "store"),
                downloads: cfg.set_at(None, "downloads_dir"),
            }
        };
        Ok(Resolved {
            key,
            key_source,
            base_url,
            read_only: cfg.read_only || active.as_ref().is_some_and(|(_, p)| p.read_only),
            profile: active.as_ref().map(|(n, _)| n.clone()),
            read_only_teams: cfg
                .read_only_teams()
                .into_iter()
                .map(crate::api::TeamId::new)
                .collect(),
            aliases: cfg
                .teams
                .iter()
                .filter_map(|(id, t)| {
                    t.alias
                        .clone()
                        .map(|a| (crate::api::TeamId::new(id.clone()), a))
                })
                .collect(),
            downloads: cfg.downloads_dir.clone(),
            keymap: cfg.keymap(&path, lang)?,
            theme: cfg.theme.clone(),
            mouse: cfg.mouse,
            lang,
            lang_source,
            accent: active.as_ref().and_then(|(_, p)| p.accent.clone()),
            requests_per_second: active
                .as_ref()
                .and_then(|(_, p)| p.requests_per_second)
                .unwrap_or(defaults.requests_per_second),
            burst: active
                .as_ref()
                .and_then(|(_, p)| p.burst)
                .unwrap_or(defaults.burst),
            concurrency: active
                .as_ref()
                .and_then(|(_, p)| p.concurrency)
                .unwrap_or(defaults.max_concurrency),
            store: cfg.store.unwrap_or(true),
            low_credits: cfg
                .low_credits
                .unwrap_or(crate::app::data::branches::LOW_CREDITS as u32),
            offline: false,
            notices,
            origins,
            team_colors: cfg
                .teams
                .iter()
                .filter_map(|(id, t)| {
                    t.color
                        .clone()
                        .map(|c| (crate::api::TeamId::new(id.clone()), c))
                })
                .collect(),
        })
    }
}

impl Resolved {
    /// The client's settings for `base`: the profile's limits, read-only, defaults else;
    /// the rate limit shared with the other gigdash of this host that use the key.
    pub fn client_config(&self, base: String) -> crate::api::ClientConfig {
        crate::api::ClientConfig {
            read_only: self.read_only,
            requests_per_second: self.requests_per_second,
            burst: self.burst,
            max_concurrency: self.concurrency,
            shared_budget: self.budget_location(),
            ..crate::api::ClientConfig::with_base_url(base)
        }
    }

    /// The file through which the processes of this host with this key and backend share
    /// its rate limit: beside the store, named as the store is (per key and base URL).
    /// None without a key.
    pub fn budget_location(&self) -> Option<std::path::PathBuf> {
        let key = self.key.as_ref()?;
        let base = self
            .base_url
            .clone()
            .unwrap_or_else(|| crate::api::DEFAULT_BASE_URL.to_string());
        let name = crate::store::file_name(&base, &key.identity());
        let dir = crate::paths::cache_dir();
        let _ = std::fs::create_dir_all(&dir);
        Some(dir.join(format!(
            "budget-{}.json",
            name.trim_start_matches("store-").trim_end_matches(".sqlite3")
        )))
    }

    /// The store's folder and file for this key and backend; `None` without a key or
    /// with the store turned off.
    pub fn store_location(&self) -> Option<(std::path::PathBuf, String)> {
        if !self.store {
            return None;
        }
        let key = self.key.as_ref()?;
        let base = self
            .base_url
            .clone()
            .unwrap_or_else(|| crate::api::DEFAULT_BASE_URL.to_string());
        Some((
            crate::paths::cache_dir(),
            crate::store::file_name(&base, &key.identity()),
        ))
    }

    /// What `gigdash info` prints: paths, profile, key source (masked), base URL, mode.
    pub fn info(&self) -> String {
        let l = self.lang;
        let cfg = crate::config::path();
        let state = crate::paths::state_dir();
        let mut out = String::new();
        let mut line =
            |en: &str, es: &str, v: String| out.push_str(&format!("{:<16} {v}\n", l.pick(en, es)));
        // Where a value was set, after it: `file:line`, a variable or a flag, or "default".
        let from = |o: &Option<String>| match o {
            Some(at) => format!("  ({})", crate::text::printable(at)),
            None => format!("  ({})", l.pick("default", "por omisión")),
        };
        let not_present = l.pick(
            " (not present: defaults)",
            " (no existe: valores por omisión)",
        );
        line(
            "config",
            "configuración",
            format!(
                "{}{}",
                cfg.display(),
                if cfg.exists() { "" } else { not_present }
            ),
        );
        line(
            "log",
            "registro",
            state.join("gigdash.log.<date>").display().to_string(),
        );
        line(
            "audit",
            "auditoría",
            crate::audit::AuditLog::default_path().display().to_string(),
        );
        line(
            "downloads",
            "descargas",
            self.downloads
                .clone()
                .unwrap_or_else(crate::worker::default_download_base)
                .display()
                .to_string()
                + &from(&self.origins.downloads),
        );
        line(
            "profile",
            "perfil",
            match &self.profile {
                Some(p) => format!(
                    "{}{}",
                    crate::text::printable(p),
                    from(&self.origins.profile)
                ),
                None if self.origins.unused_profiles.is_empty() => {
                    l.pick("(none)", "(ninguno)").into()
                }
                None => {
                    let names = crate::text::printable(&self.origins.unused_profiles.join(", "));
                    t!(
                        l,
                        "(none: {names} defined; choose one with --profile, `profile = \"…\"`, or name it default)",
                        "(ninguno: definidos {names}; elige uno con --profile, `profile = \"…\"`, o llámalo default)"
                    )
                }
            },
        );
        match &self.key {
            Some(k) => {
                let info = k.info();
                let (masked, source) = (k.masked(), self.key_source.describe(self.lang));
                line(
                    "key",
                    "key",
                    t!(l, "{masked} from {source}", "{masked} de {source}"),
                );
                line(
                    "mode",
                    "modo",
                    if info.is_live() {
                        l.pick("LIVE", "PRODUCCIÓN").into()
                    } else {
                        l.pick("test", "pruebas").into()
                    },
                );
                line(
                    "key team",
                    "equipo de la key",
                    info.team.map(|t| t.to_string()).unwrap_or_else(|| {
                        l.pick("(not in the key)", "(no viene en la key)").into()
                    }),
                );
                line("key id", "id de la key", info.key_id.unwrap_or_default());
                line(
                    "base URL",
                    "URL base",
                    self.base_url
                        .clone()
                        .unwrap_or_else(|| crate::api::DEFAULT_BASE_URL.to_string())
                        + &from(&self.origins.base_url),
                );
            }
            None => {
                let source = self.key_source.describe(self.lang);
                line(
                    "key",
                    "key",
                    t!(
                        l,
                        "none ({source} is not set): gigdash runs on the built-in sandbox",
                        "ninguna ({source} no está definida): gigdash corre en el sandbox integrado"
                    ),
                );
                line(
                    "base URL",
                    "URL base",
                    l.pick(
                        "the built-in sandbox on 127.0.0.1",
                        "el sandbox integrado en 127.0.0.1",
                    )
                    .into(),
                );
            }
        }
        line(
            "language",
            "idioma",
            format!("{} ({})", l.code(), self.lang_source.describe(l)),
        );
        line(
            "store",
            "almacén",
            match self.store_location() {
                Some((dir, name)) => dir.join(name).display().to_string(),
                None if !self.store => l
                    .pick("off (store = false)", "apagado (store = false)")
                    .into(),
                None => l
                    .pick(
                        "none (the built-in sandbox keeps nothing)",
                        "ninguno (el sandbox integrado no guarda nada)",
                    )
                    .into(),
            } + &self
                .origins
                .store
                .as_ref()
                .map(|at| format!("  ({})", crate::text::printable(at)))
                .unwrap_or_default(),
        );
        line(
            "read-only",
            "solo lectura",
            format!(
                "{}{}",
                l.yes_no(self.read_only),
                from(&self.origins.read_only)
            ),
        );
        let (rps, burst, conc) = (self.requests_per_second, self.burst, self.concurrency);
        line(
            "rate limit",
            "límite de solicitudes",
            t!(
                l,
                "{rps} requests/s, burst {burst}, {conc} at once",
                "{rps} solicitudes/s, ráfaga de {burst}, {conc} a la vez"
            ),
        );
        let o = &self.origins;
        let each = [
            ("requests_per_second", &o.requests_per_second),
            ("burst", &o.burst),
            ("concurrency", &o.concurrency),
        ]
        .iter()
        .map(|(k, at)| format!("{k}{}", from(at).replacen("  (", " (", 1)))
        .collect::<Vec<_>>()
        .join(", ");
        line("", "", each);
        out
    }
}
