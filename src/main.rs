//! The `gigdash` binary: parses the command line and hands off to the dashboard, the
//! sandbox server, the exporter or `info`.

use clap::{Parser, Subcommand};

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
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run the gigstack-compatible sandbox server alone; prints its base URL and keys.
    Sandbox {
        #[arg(long, default_value_t = 0)]
        port: u16,
        #[arg(long, default_value_t = 7)]
        seed: u64,
        /// About this many invoices in the world.
        #[arg(long, default_value_t = 3000)]
        scale: usize,
        #[arg(long, default_value_t = 0)]
        latency_ms: u64,
        /// Fraction (0–1) of requests answered with a fault.
        #[arg(long, default_value_t = 0.0)]
        fault_rate: f64,
        /// Seconds before a pending invoice cancellation is accepted.
        #[arg(long, default_value_t = 20)]
        cancel_accept_secs: u64,
    },
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .worker_threads(2)
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("gigdash: cannot start the async runtime: {e}");
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
                eprintln!("gigdash sandbox: --fault-rate must be between 0 and 1");
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
                        eprintln!("sandbox stopped");
                        std::process::ExitCode::SUCCESS
                    }
                    Err(e) => {
                        eprintln!("gigdash sandbox: cannot listen on 127.0.0.1:{port}: {e}");
                        std::process::ExitCode::FAILURE
                    }
                }
            })
        }
        None => {
            let resolved = match Resolved::from_config(cli.profile.as_deref()) {
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

/// Settings after layering: defaults < config file < environment < flags.
struct Resolved {
    key: Option<gigdash::api::ApiKey>,
    base_url: Option<String>,
    profile: Option<String>,
    read_only: bool,
    read_only_teams: Vec<gigdash::api::TeamId>,
    aliases: Vec<(gigdash::api::TeamId, String)>,
    downloads: Option<std::path::PathBuf>,
}

impl Resolved {
    fn from_config(profile_flag: Option<&str>) -> Result<Self, gigdash::config::ConfigError> {
        use gigdash::config::{Config, read_key_file};
        let path = gigdash::config::path();
        let cfg = Config::load(&path)?;
        let active = cfg.active_profile(profile_flag)?;
        let env = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let key = match active.as_ref().map(|(_, p)| p) {
            Some(p) if p.key_file.is_some() => Some(read_key_file(
                p.key_file.as_deref().unwrap_or(std::path::Path::new("")),
            )?),
            Some(p) => env(p.key_env.as_deref().unwrap_or("GIGSTACK_API_KEY")),
            None => env("GIGSTACK_API_KEY"),
        }
        .map(gigdash::api::ApiKey::new);
        let base_url = env("GIGSTACK_API_BASE_URL")
            .or_else(|| active.as_ref().and_then(|(_, p)| p.base_url.clone()));
        Ok(Resolved {
            key,
            base_url,
            read_only: cfg.read_only || active.as_ref().is_some_and(|(_, p)| p.read_only),
            profile: active.map(|(n, _)| n),
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
        })
    }
}
