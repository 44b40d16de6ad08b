//! The `gigdash` binary: parses the command line and hands off to the dashboard, the
//! sandbox server, the exporter or `info`.

use clap::{Parser, Subcommand};
use gigdash::i18n::LangSource;
use gigdash::t;

#[derive(Parser, Debug)]
#[command(
    name = "gigdash",
    version,
    about = "A terminal dashboard for many gigstack teams"
)]
struct Cli {
    /// Run on the built-in sandbox even when an API key is set.
    #[arg(long)]
    demo: bool,
    /// Start on this team (id or name).
    #[arg(long)]
    team: Option<String>,
    /// No write action can be started.
    #[arg(long)]
    read_only: bool,
    /// The config profile to use (its key source, base URL, read-only).
    #[arg(long, global = true)]
    profile: Option<String>,
    /// Log level for the log file (error, warn, info, debug, trace); or GIGDASH_LOG.
    #[arg(long, global = true, env = "GIGDASH_LOG", default_value = "info")]
    log_level: String,
    /// Language of the screens: en or es (else GIGDASH_LANG, the config's `language`,
    /// LC_ALL/LC_MESSAGES/LANG).
    #[arg(long, global = true, value_parser = parse_lang)]
    lang: Option<gigdash::i18n::Lang>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run the gigstack-compatible sandbox server alone; prints its base URL and keys.
    Sandbox {
        /// Port on 127.0.0.1 (0: any free one).
        #[arg(long, default_value_t = 0)]
        port: u16,
        /// Seed of the generated world.
        #[arg(long, default_value_t = 7)]
        seed: u64,
        /// About this many invoices in the world.
        #[arg(long, default_value_t = 3000)]
        scale: usize,
        /// Delay added to every answer, in milliseconds.
        #[arg(long, default_value_t = 0)]
        latency_ms: u64,
        /// Fraction (0–1) of requests answered with a fault.
        #[arg(long, default_value_t = 0.0)]
        fault_rate: f64,
        /// Seconds before a pending invoice cancellation is accepted.
        #[arg(long, default_value_t = 20)]
        cancel_accept_secs: u64,
    },
    /// Export teams, clients, invoices or payments (all pages) as CSV or JSON.
    Export {
        /// teams, clients, invoices or payments
        what: gigdash::export::What,
        /// A team id or name (default: the key's own team).
        #[arg(long, conflicts_with = "all_teams")]
        team: Option<String>,
        /// Every team the key can reach.
        #[arg(long)]
        all_teams: bool,
        /// Only those in this status (as the API names it).
        #[arg(long)]
        status: Option<String>,
        /// csv or json
        #[arg(long, default_value = "csv")]
        format: gigdash::export::Format,
        /// Write here (atomically) instead of stdout.
        #[arg(long)]
        output: Option<std::path::PathBuf>,
    },
    /// Where gigdash reads and writes, which key it uses (masked) and against what.
    Info,
}

fn parse_lang(s: &str) -> Result<gigdash::i18n::Lang, String> {
    gigdash::i18n::Lang::parse(s)
        .ok_or_else(|| format!("«{s}» is not a language gigdash speaks; use en or es"))
}

/// Logs go to `$XDG_STATE_HOME/gigdash/gigdash.log` (daily files), never to the terminal.
fn init_logging(level: &str) -> Option<tracing_appender::non_blocking::WorkerGuard> {
    let dir = gigdash::paths::state_dir();
    std::fs::create_dir_all(&dir).ok()?;
    let appender = tracing_appender::rolling::daily(&dir, "gigdash.log");
    let (writer, guard) = tracing_appender::non_blocking(appender);
    let level = level
        .parse::<tracing_subscriber::filter::LevelFilter>()
        .unwrap_or(tracing_subscriber::filter::LevelFilter::INFO);
    tracing_subscriber::fmt()
        .with_writer(writer)
        .with_ansi(false)
        .with_max_level(level)
        .try_init()
        .ok()?;
    Some(guard)
}

/// The language before the command line is parsed, for `--help`: `--lang` as typed, else
/// as the dashboard would choose it (a config that does not load counts as silent here;
/// the command reports it properly later).
fn early_lang() -> gigdash::i18n::Lang {
    let args: Vec<String> = std::env::args().collect();
    let flag = args.iter().enumerate().find_map(|(i, a)| {
        a.strip_prefix("--lang=")
            .or_else(|| {
                (a == "--lang")
                    .then(|| args.get(i + 1).map(String::as_str))
                    .flatten()
            })
            .and_then(gigdash::i18n::Lang::parse)
    });
    let config = gigdash::config::Config::load(&gigdash::config::path())
        .ok()
        .and_then(|c| c.language);
    gigdash::i18n::Lang::resolve(flag, config, |k| std::env::var(k).ok()).0
}

fn main() -> std::process::ExitCode {
    use clap::{CommandFactory, FromArgMatches};
    let lang = early_lang();
    let cmd = gigdash::cli_help::localize(Cli::command(), lang);
    let matches = cmd.clone().get_matches();
    if gigdash::cli_help::run_help(cmd, &matches) {
        return std::process::ExitCode::SUCCESS;
    }
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(c) => c,
        Err(e) => e.exit(),
    };
    let _log = init_logging(&cli.log_level);
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .worker_threads(2)
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!(
                "gigdash: {}",
                t!(
                    lang,
                    "cannot start the async runtime: {e}",
                    "no se pudo iniciar el runtime asíncrono: {e}"
                )
            );
            return std::process::ExitCode::FAILURE;
        }
    };
    match cli.command {
        Some(Command::Sandbox {
            port,
            seed,
            scale,
            latency_ms,
            fault_rate,
            cancel_accept_secs,
        }) => {
            if !(0.0..=1.0).contains(&fault_rate) {
                eprintln!(
                    "gigdash sandbox: {}",
                    lang.pick(
                        "--fault-rate must be between 0 and 1",
                        "--fault-rate debe estar entre 0 y 1"
                    )
                );
                return std::process::ExitCode::from(2);
            }
            rt.block_on(async move {
                let cfg = gigdash::sandbox::SandboxConfig {
                    port,
                    seed,
                    scale,
                    latency_ms,
                    fault_rate,
                    cancel_accept_secs,
                    anchor: None,
                };
                match gigdash::sandbox::start(cfg).await {
                    Ok(sb) => {
                        println!("{}", sb.banner());
                        let _ = tokio::signal::ctrl_c().await;
                        eprintln!("{}", lang.pick("sandbox stopped", "sandbox detenido"));
                        std::process::ExitCode::SUCCESS
                    }
                    Err(e) => {
                        eprintln!(
                            "gigdash sandbox: {}",
                            t!(
                                lang,
                                "cannot listen on 127.0.0.1:{port}: {e}",
                                "no se puede escuchar en 127.0.0.1:{port}: {e}"
                            )
                        );
                        std::process::ExitCode::FAILURE
                    }
                }
            })
        }
        Some(Command::Info) => match Resolved::from_config(cli.profile.as_deref(), cli.lang) {
            Ok(r) => {
                print!("{}", r.info());
                std::process::ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("gigdash: {e}");
                std::process::ExitCode::from(2)
            }
        },
        Some(Command::Export {
            what,
            team,
            all_teams,
            status,
            format,
            output,
        }) => {
            let r = match Resolved::from_config(cli.profile.as_deref(), cli.lang) {
                Ok(r) => r,
                Err(e) => {
                    eprintln!("gigdash: {e}");
                    return std::process::ExitCode::from(2);
                }
            };
            let lang = r.lang;
            let Some(key) = r.key.clone() else {
                eprintln!(
                    "gigdash export: {}",
                    lang.pick(
                        "no API key: set GIGSTACK_API_KEY (or a profile's key) first",
                        "no hay API key: define GIGSTACK_API_KEY (o la key de un perfil) primero"
                    )
                );
                return std::process::ExitCode::from(2);
            };
            let base = r
                .base_url
                .clone()
                .unwrap_or_else(|| gigdash::api::DEFAULT_BASE_URL.to_string());
            rt.block_on(async move {
                let client = match gigdash::api::ApiClient::new(
                    key,
                    gigdash::api::ClientConfig::with_base_url(base),
                ) {
                    Ok(c) => c,
                    Err(e) => {
                        eprintln!("gigdash export: {}", e.describe(lang));
                        return std::process::ExitCode::FAILURE;
                    }
                };
                let teams = match client.list_teams().await {
                    Ok(t) => t,
                    Err(e) => {
                        eprintln!("gigdash export: {}", e.describe(lang));
                        return std::process::ExitCode::FAILURE;
                    }
                };
                let own = client.key_info().team.clone();
                let chosen: Vec<_> = if all_teams {
                    teams
                } else {
                    let pick = team.as_deref();
                    let found = teams.into_iter().find(|t| match pick {
                        Some(p) => t.id.as_str() == p || t.display_name().eq_ignore_ascii_case(p),
                        None => Some(&t.id) == own.as_ref(),
                    });
                    match found {
                        Some(t) => vec![t],
                        None => {
                            let pick = pick.unwrap_or(
                                lang.pick("the key's own team", "el equipo propio de la key"),
                            );
                            eprintln!(
                                "gigdash export: {}",
                                t!(
                                    lang,
                                    "no reachable team matches {pick}",
                                    "ningún equipo alcanzable coincide con {pick}"
                                )
                            );
                            return std::process::ExitCode::FAILURE;
                        }
                    }
                };
                match gigdash::export::run(&client, what, &chosen, status, format, lang).await {
                    Ok(bytes) => match gigdash::export::write_out(&bytes, output.as_deref()) {
                        Ok(()) => std::process::ExitCode::SUCCESS,
                        Err(e) => {
                            eprintln!(
                                "gigdash export: {}",
                                t!(
                                    lang,
                                    "cannot write the output: {e}",
                                    "no se pudo escribir la salida: {e}"
                                )
                            );
                            std::process::ExitCode::FAILURE
                        }
                    },
                    Err(e) => {
                        let e = e.describe(lang);
                        eprintln!(
                            "gigdash export: {}",
                            t!(
                                lang,
                                "{e} — nothing was written",
                                "{e} — no se escribió nada"
                            )
                        );
                        std::process::ExitCode::FAILURE
                    }
                }
            })
        }
        None => {
            let resolved = match Resolved::from_config(cli.profile.as_deref(), cli.lang) {
                Ok(r) => r,
                Err(e) => {
                    eprintln!("gigdash: {e}");
                    return std::process::ExitCode::from(2);
                }
            };
            let opts = gigdash::dashboard::Options {
                demo: cli.demo,
                team: cli.team,
                read_only: cli.read_only || resolved.read_only,
                key: resolved.key,
                base_url: resolved.base_url,
                profile: resolved.profile,
                read_only_teams: resolved.read_only_teams,
                aliases: resolved.aliases,
                downloads: resolved.downloads,
                keymap: resolved.keymap,
                theme: resolved.theme,
                accent: resolved.accent,
                team_colors: resolved.team_colors,
                mouse: resolved.mouse,
                lang: resolved.lang,
            };
            match rt.block_on(gigdash::dashboard::run(opts)) {
                Ok(()) => std::process::ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("gigdash: {e}");
                    std::process::ExitCode::FAILURE
                }
            }
        }
    }
}

/// Where the key is read from.
enum KeySource {
    File(std::path::PathBuf),
    Env(String),
}

impl KeySource {
    fn describe(&self, lang: gigdash::i18n::Lang) -> String {
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
struct Resolved {
    key: Option<gigdash::api::ApiKey>,
    key_source: KeySource,
    base_url: Option<String>,
    profile: Option<String>,
    read_only: bool,
    read_only_teams: Vec<gigdash::api::TeamId>,
    aliases: Vec<(gigdash::api::TeamId, String)>,
    downloads: Option<std::path::PathBuf>,
    keymap: gigdash::app::keys::KeyMap,
    theme: Option<String>,
    accent: Option<String>,
    team_colors: Vec<(gigdash::api::TeamId, String)>,
    mouse: bool,
    lang: gigdash::i18n::Lang,
    lang_source: gigdash::i18n::LangSource,
}

impl Resolved {
    fn from_config(
        profile_flag: Option<&str>,
        lang_flag: Option<gigdash::i18n::Lang>,
    ) -> Result<Self, gigdash::config::ConfigError> {
        use gigdash::config::{Config, read_key_file};
        let path = gigdash::config::path();
        let env = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let pick = move |own: Option<gigdash::i18n::Lang>| {
            gigdash::i18n::Lang::resolve(lang_flag, own, env).0
        };
        let cfg = Config::load_in(&path, &pick)?;
        let (lang, lang_source) = gigdash::i18n::Lang::resolve(lang_flag, cfg.language, env);
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
        .map(gigdash::api::ApiKey::new);
        let base_url = env("GIGSTACK_API_BASE_URL")
            .or_else(|| active.as_ref().and_then(|(_, p)| p.base_url.clone()));
        Ok(Resolved {
            key,
            key_source,
            base_url,
            read_only: cfg.read_only || active.as_ref().is_some_and(|(_, p)| p.read_only),
            profile: active.as_ref().map(|(n, _)| n.clone()),
            read_only_teams: cfg
                .read_only_teams()
                .into_iter()
                .map(gigdash::api::TeamId::new)
                .collect(),
            aliases: cfg
                .teams
                .iter()
                .filter_map(|(id, t)| {
                    t.alias
                        .clone()
                        .map(|a| (gigdash::api::TeamId::new(id.clone()), a))
                })
                .collect(),
            downloads: cfg.downloads_dir.clone(),
            keymap: cfg.keymap(&path, lang)?,
            theme: cfg.theme.clone(),
            mouse: cfg.mouse,
            lang,
            lang_source,
            accent: active.as_ref().and_then(|(_, p)| p.accent.clone()),
            team_colors: cfg
                .teams
                .iter()
                .filter_map(|(id, t)| {
                    t.color
                        .clone()
                        .map(|c| (gigdash::api::TeamId::new(id.clone()), c))
                })
                .collect(),
        })
    }
}

impl Resolved {
    /// What `gigdash info` prints: paths, profile, key source (masked), base URL, mode.
    fn info(&self) -> String {
        let l = self.lang;
        let cfg = gigdash::config::path();
        let state = gigdash::paths::state_dir();
        let mut out = String::new();
        let mut line =
            |en: &str, es: &str, v: String| out.push_str(&format!("{:<16} {v}\n", l.pick(en, es)));
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
            gigdash::audit::AuditLog::default_path()
                .display()
                .to_string(),
        );
        line(
            "downloads",
            "descargas",
            self.downloads
                .clone()
                .unwrap_or_else(gigdash::worker::default_download_base)
                .display()
                .to_string(),
        );
        line(
            "profile",
            "perfil",
            self.profile
                .clone()
                .unwrap_or_else(|| l.pick("(none)", "(ninguno)").into()),
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
                        .unwrap_or_else(|| gigdash::api::DEFAULT_BASE_URL.to_string()),
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
            format!(
                "{} ({})",
                l.code(),
                match &self.lang_source {
                    LangSource::Flag => "--lang".to_string(),
                    LangSource::EnvVar(v) => (*v).to_string(),
                    LangSource::Config => l
                        .pick(
                            "the config's language",
                            "el campo language de la configuración"
                        )
                        .to_string(),
                    LangSource::Locale(var, value) => format!("{var}={value}"),
                    LangSource::Default => l.pick("default", "por omisión").to_string(),
                }
            ),
        );
        line("read-only", "solo lectura", l.yes_no(self.read_only).into());
        out
    }
}
