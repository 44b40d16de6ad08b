//! The `gigdash` binary: parses the command line and hands off to the dashboard, the
//! sandbox server, the exporter or `info`.

use gigdash::cli::{Cli, Command, ReportCommand, StoreCommand};
use gigdash::t;

/// Logs go to `$XDG_STATE_HOME/gigdash/gigdash.log` (daily files), never to the terminal.
fn init_logging(level: &str) -> Option<tracing_appender::non_blocking::WorkerGuard> {
    let dir = gigdash::paths::state_dir();
    std::fs::create_dir_all(&dir).ok()?;
    let appender = tracing_appender::rolling::daily(&dir, "gigdash.log");
    // 8,192 lines waiting for the file at most: the default 128,000 slots are 4 MB made
    // at the start, a tenth of the dashboard's memory with a big team open (a log, not the
    // audit trail: a burst past it loses lines, never blocks).
    let (writer, guard) = tracing_appender::non_blocking::NonBlockingBuilder::default()
        .buffered_lines_limit(8_192)
        .finish(appender);
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
    gigdash::memory::tune();
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
        Some(Command::Branches {
            against,
            format,
            output,
        }) => {
            let r = match settings(cli.profile.as_deref(), cli.lang) {
                Ok(r) => r,
                Err(e) => {
                    gigdash::headless::say("", e);
                    return std::process::ExitCode::from(2);
                }
            };
            let args = gigdash::headless::BranchesArgs {
                against,
                format,
                output,
            };
            rt.block_on(gigdash::headless::branches(r, args))
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
