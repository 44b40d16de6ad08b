//! The `gigdash` binary: parses the command line and hands off to the dashboard, the
//! sandbox server, the exporter or `info`.

use clap::{Parser, Subcommand};
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
    /// Read only from the local store: no request reaches gigstack, writes are off.
    #[arg(long, global = true)]
    offline: bool,
    /// Keep nothing on disk this run (as `store = false` in the config).
    #[arg(long, global = true)]
    no_store: bool,
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
        /// Teams of the franchise account (2–500), spread unevenly: a few big branches, a
        /// long tail, one closed branch, one with no data.
        #[arg(long, value_parser = clap::value_parser!(u16).range(2..=500))]
        teams: Option<u16>,
        /// Answer 429 (with Retry-After) above this many requests per second per key.
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
        rate_limit: Option<u32>,
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
        /// CSV cells exactly as the API sent them (no formula guard, control characters
        /// kept). Never print this to a terminal.
        #[arg(long)]
        raw: bool,
    },
    /// Where gigdash reads and writes, which key it uses (masked) and against what.
    Info,
    /// The shell's completions of every command and flag, to standard output
    /// (`gigdash completions bash > ~/.local/share/bash-completion/completions/gigdash`).
    Completions {
        /// bash, zsh, fish, elvish or powershell.
        shell: clap_complete::Shell,
    },
    /// The manual page (roff), to standard output (`gigdash man | man -l -`).
    Man,
    /// Fill the local store without a terminal (a morning cron job): one line per team.
    Sync {
        /// A team id or name (default: every team the key reaches).
        #[arg(long, conflicts_with = "all_teams")]
        team: Option<String>,
        /// Every team the key can reach (the default).
        #[arg(long)]
        all_teams: bool,
        /// Read everything again (deletions on the server leave the store).
        #[arg(long)]
        full: bool,
    },
    /// What changed since your last session (or --since) in every stored team, from the
    /// store (run `gigdash sync` first): a morning brief. Exit 0: nothing needs attention;
    /// 1: something does (a failed payment, a late complement); 2: an error.
    Changes {
        /// 24h, 3d, ayer, lunes, 2026-12-01 or "2026-12-01 19:40" (Mexico City); default: the
        /// end of your last dashboard session, else the last 24 hours.
        #[arg(long)]
        since: Option<String>,
        /// A team id or name (default: every stored team).
        #[arg(long, conflicts_with = "all_teams")]
        team: Option<String>,
        /// Every stored team (the default).
        #[arg(long)]
        all_teams: bool,
        /// md, json or csv
        #[arg(long, default_value = "md")]
        format: String,
        /// Write here (atomically) instead of stdout.
        #[arg(long)]
        output: Option<std::path::PathBuf>,
    },
    /// The local store: `info` (path, size, teams, documents, refresh times) or `clear`.
    Store {
        #[command(subcommand)]
        what: StoreCommand,
    },
    /// Reports: `month` (the month-end summary per team, with totals).
    Report {
        #[command(subcommand)]
        what: ReportCommand,
    },
}

#[derive(Subcommand, Debug)]
enum ReportCommand {
    /// Per team: invoiced, collected, cancelled, receipts pending the global invoice,
    /// payment complements owed and late, clients failing the fiscal check; totals.
    Month {
        /// A team id or name (default: the key's own team).
        #[arg(long, conflicts_with = "all_teams")]
        team: Option<String>,
        /// Every team the key can reach.
        #[arg(long)]
        all_teams: bool,
        /// The month, YYYY-MM (default: this month in Mexico City).
        #[arg(long)]
        month: Option<String>,
        /// csv, json or md
        #[arg(long, default_value = "csv")]
        format: String,
        /// Write here (atomically, only once complete) instead of stdout.
        #[arg(long)]
        output: Option<std::path::PathBuf>,
    },
}

#[derive(Subcommand, Debug)]
enum StoreCommand {
    /// Path, size, teams, documents per kind, oldest and newest refresh.
    Info,
    /// Forget what is stored (one team's documents with --team).
    Clear {
        /// A team id.
        #[arg(long)]
        team: Option<String>,
    },
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

/// The run's settings; what was not understood on the way (an unknown `GIGDASH_LANG`) is
/// said on stderr, never dropped.
fn settings(
    profile: Option<&str>,
    lang: Option<gigdash::i18n::Lang>,
) -> Result<gigdash::settings::Resolved, gigdash::config::ConfigError> {
    let r = gigdash::settings::Resolved::from_config(profile, lang)?;
    for n in &r.notices {
        gigdash::headless::say("", n);
    }
    Ok(r)
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
    // Made from the command definitions themselves: nothing to keep in step by hand.
    match &cli.command {
        Some(Command::Completions { shell }) => {
            use clap::CommandFactory;
            clap_complete::generate(
                *shell,
                &mut Cli::command(),
                "gigdash",
                &mut std::io::stdout(),
            );
            return std::process::ExitCode::SUCCESS;
        }
        Some(Command::Man) => {
            use clap::CommandFactory;
            let page = clap_mangen::Man::new(Cli::command());
            return match page.render(&mut std::io::stdout()) {
                Ok(()) => std::process::ExitCode::SUCCESS,
                Err(e) => {
                    gigdash::headless::say("man", e);
                    std::process::ExitCode::FAILURE
                }
            };
        }
        _ => {}
    }
    let _log = init_logging(&cli.log_level);
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .worker_threads(2)
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            gigdash::headless::say(
                "",
                t!(
                    lang,
                    "cannot start the async runtime: {e}",
                    "no se pudo iniciar el runtime asíncrono: {e}"
                ),
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
            teams,
            rate_limit,
        }) => {
            if !(0.0..=1.0).contains(&fault_rate) {
                gigdash::headless::say(
                    "sandbox",
                    lang.pick(
                        "--fault-rate must be between 0 and 1",
                        "--fault-rate debe estar entre 0 y 1",
                    ),
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
                    teams: teams.map(usize::from),
                    rate_limit,
                };
                match gigdash::sandbox::start(cfg).await {
                    Ok(sb) => {
                        println!("{}", sb.banner());
                        let _ = tokio::signal::ctrl_c().await;
                        eprintln!("{}", lang.pick("sandbox stopped", "sandbox detenido"));
                        std::process::ExitCode::SUCCESS
                    }
                    Err(e) => {
                        gigdash::headless::say(
                            "sandbox",
                            t!(
                                lang,
                                "cannot listen on 127.0.0.1:{port}: {e}",
                                "no se puede escuchar en 127.0.0.1:{port}: {e}"
                            ),
                        );
                        std::process::ExitCode::FAILURE
                    }
                }
            })
        }
        Some(Command::Sync {
            team,
            all_teams: _,
            full,
        }) => {
            let r = match settings(cli.profile.as_deref(), cli.lang) {
                Ok(r) => r,
                Err(e) => {
                    gigdash::headless::say("", e);
                    return std::process::ExitCode::from(2);
                }
            };
            rt.block_on(gigdash::headless::sync(r, team, full, cli.no_store))
        }
        Some(Command::Report {
            what:
                ReportCommand::Month {
                    team,
                    all_teams,
                    month,
                    format,
                    output,
                },
        }) => {
            let r = match settings(cli.profile.as_deref(), cli.lang) {
                Ok(r) => r,
                Err(e) => {
                    gigdash::headless::say("", e);
                    return std::process::ExitCode::from(2);
                }
            };
            let args = gigdash::headless::MonthArgs {
                team,
                all_teams,
                month,
                format,
                output,
            };
            rt.block_on(gigdash::headless::report_month(r, args))
        }
        Some(Command::Changes {
            since,
            team,
            all_teams,
            format,
            output,
        }) => {
            let mut r = match settings(cli.profile.as_deref(), cli.lang) {
                Ok(r) => r,
                Err(e) => {
                    gigdash::headless::say("", e);
                    return std::process::ExitCode::from(2);
                }
            };
            r.store &= !cli.no_store;
            let args = gigdash::headless::ChangesArgs {
                since,
                team,
                all_teams,
                format,
                output,
            };
            gigdash::headless::changes(&r, args)
        }
        Some(Command::Store { what }) => {
            let mut r = match settings(cli.profile.as_deref(), cli.lang) {
                Ok(r) => r,
                Err(e) => {
                    gigdash::headless::say("", e);
                    return std::process::ExitCode::from(2);
                }
            };
            r.store &= !cli.no_store;
            match what {
                StoreCommand::Info => gigdash::headless::store_info(&r),
                StoreCommand::Clear { team } => gigdash::headless::store_clear(&r, team.as_deref()),
            }
        }
        // Answered above, before the log and the runtime.
        Some(Command::Completions { .. } | Command::Man) => std::process::ExitCode::SUCCESS,
        Some(Command::Info) => match settings(cli.profile.as_deref(), cli.lang) {
            Ok(mut r) => {
                r.store &= !cli.no_store;
                for line in r.info().lines() {
                    gigdash::headless::out(line);
                }
                std::process::ExitCode::SUCCESS
            }
            Err(e) => {
                gigdash::headless::say("", e);
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
            raw,
        }) => {
            let r = match settings(cli.profile.as_deref(), cli.lang) {
                Ok(r) => r,
                Err(e) => {
                    gigdash::headless::say("", e);
                    return std::process::ExitCode::from(2);
                }
            };
            let lang = r.lang;
            let offline = cli.offline;
            // Where it goes is settled before anything is fetched: a folder or a broken
            // link is refused now, not after a minute of reading.
            let to = match gigdash::paths::Destination::of(output.as_deref(), lang) {
                Ok(to) => to,
                Err(e) => {
                    gigdash::headless::say("export", e);
                    return std::process::ExitCode::from(2);
                }
            };
            if raw
                && to == gigdash::paths::Destination::Stdout
                && std::io::IsTerminal::is_terminal(&std::io::stdout())
            {
                gigdash::headless::say("export", gigdash::export::raw_refusal(lang));
                return std::process::ExitCode::from(2);
            }
            let shape = match (raw, format) {
                (true, _) => gigdash::export::Shape::Raw,
                (false, gigdash::export::Format::Json) => gigdash::export::Shape::Json,
                (false, gigdash::export::Format::Csv) => gigdash::export::Shape::Text,
            };
            let mut r = r;
            r.store &= !cli.no_store;
            let Some(key) = r.key.clone() else {
                gigdash::headless::say(
                    "export",
                    lang.pick(
                        "no API key: set GIGSTACK_API_KEY (or a profile's key) first",
                        "no hay API key: define GIGSTACK_API_KEY (o la key de un perfil) primero",
                    ),
                );
                return std::process::ExitCode::from(2);
            };
            let base = r
                .base_url
                .clone()
                .unwrap_or_else(|| gigdash::api::DEFAULT_BASE_URL.to_string());
            rt.block_on(async move {
                // A headless job: each read is retried for up to a minute, so a flaky
                // minute (30% faults of any kind) never fails the export.
                let cfg = gigdash::api::ClientConfig {
                    retry_budget: Some(gigdash::headless::retry_budget()),
                    ..r.client_config(base)
                };
                let client = match gigdash::api::ApiClient::new(key, cfg) {
                    Ok(c) => c,
                    Err(e) => {
                        gigdash::headless::say("export", e.describe_cli(lang));
                        return std::process::ExitCode::FAILURE;
                    }
                };
                // `--offline`: teams and rows from the local store; nothing is asked.
                let store = if offline {
                    match gigdash::dashboard::open_store(&r) {
                        (Some(s), _) => Some(s),
                        (None, why) => {
                            let why = why.unwrap_or_else(|| {
                                lang.pick(
                                    "--offline needs the store, and it is off (store = false or --no-store)",
                                    "--offline necesita el almacén, y está apagado (store = false o --no-store)",
                                )
                                .to_string()
                            });
                            gigdash::headless::say("export", why);
                            return std::process::ExitCode::from(2);
                        }
                    }
                } else {
                    None
                };
                let teams = match &store {
                    Some(s) => s.teams().unwrap_or_default(),
                    None => match client.list_teams().await {
                        Ok(t) => t,
                        Err(e) => {
                            gigdash::headless::say("export", e.describe_cli(lang));
                            return std::process::ExitCode::FAILURE;
                        }
                    },
                };
                // After the team list: an opaque key's own team is known only then.
                let own = client.own_team().or_else(|| client.key_info().team.clone());
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
                            gigdash::headless::say("export",
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
                let source = match &store {
                    Some(s) => gigdash::export::Source::Store(s),
                    None => gigdash::export::Source::Api(&client),
                };
                match gigdash::export::run(source, what, &chosen, status, format, raw, lang).await
                {
                    Ok(bytes) => match gigdash::export::write_out(bytes, &to, shape, lang) {
                        Ok(()) => std::process::ExitCode::SUCCESS,
                        Err(e) => {
                            gigdash::headless::say("export",
                                t!(
                                    lang,
                                    "cannot write the output: {e}",
                                    "no se pudo escribir la salida: {e}"
                                )
                            );
                            std::process::ExitCode::FAILURE
                        }
                    },
                    // The CLI's words (printable, a command line's advice), from `run`.
                    Err(e) => {
                        gigdash::headless::say("export",
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
            let mut settings = match settings(cli.profile.as_deref(), cli.lang) {
                Ok(r) => r,
                Err(e) => {
                    gigdash::headless::say("", e);
                    return std::process::ExitCode::from(2);
                }
            };
            settings.read_only |= cli.read_only;
            settings.store &= !cli.no_store;
            settings.offline = cli.offline;
            let opts = gigdash::dashboard::Options {
                demo: cli.demo,
                team: cli.team,
                settings,
            };
            match rt.block_on(gigdash::dashboard::run(opts)) {
                Ok(()) => std::process::ExitCode::SUCCESS,
                Err(e) => {
                    gigdash::headless::say("", e);
                    std::process::ExitCode::FAILURE
                }
            }
        }
    }
}
