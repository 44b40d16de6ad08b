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
            let key = std::env::var("GIGSTACK_API_KEY")
                .ok()
                .filter(|k| !k.trim().is_empty())
                .map(gigdash::api::ApiKey::new);
            let base_url = std::env::var("GIGSTACK_API_BASE_URL")
                .ok()
                .filter(|b| !b.trim().is_empty());
            let opts = gigdash::dashboard::Options {
                demo: cli.demo,
                team: cli.team,
                read_only: cli.read_only,
                key,
                base_url,
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
