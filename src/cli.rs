//! The command line as data: the global flags and every subcommand with its arguments and
//! help (English; `cli_help` gives the Spanish), for `main` to dispatch and for the shell
//! completions and the manual to be generated from. No behaviour.

use clap::{Parser, Subcommand};

#[derive(Parser, Debug)]
#[command(
    name = "gigdash",
    version,
    about = "A terminal dashboard for many gigstack teams"
)]
pub struct Cli {
    /// Run on the built-in sandbox even when an API key is set.
    #[arg(long)]
    pub demo: bool,
    /// Start on this team (id or name).
    #[arg(long)]
    pub team: Option<String>,
    /// No write action can be started.
    #[arg(long)]
    pub read_only: bool,
    /// The config profile to use (its key source, base URL, read-only).
    #[arg(long, global = true)]
    pub profile: Option<String>,
    /// Log level for the log file (error, warn, info, debug, trace); or GIGDASH_LOG.
    #[arg(long, global = true, env = "GIGDASH_LOG", default_value = "info")]
    pub log_level: String,
    /// Language of the screens: en or es (else GIGDASH_LANG, the config's `language`,
    /// LC_ALL/LC_MESSAGES/LANG).
    #[arg(long, global = true, value_parser = parse_lang)]
    pub lang: Option<crate::i18n::Lang>,
    /// Read only from the local store: no request reaches gigstack, writes are off.
    #[arg(long, global = true)]
    pub offline: bool,
    /// Keep nothing on disk this run (as `store = false` in the config).
    #[arg(long, global = true)]
    pub no_store: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
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
        what: crate::export::What,
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
        format: crate::export::Format,
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
    /// Every team's health and settings side by side: CSD and its days left, stamping
    /// credits, series, members, integrations, invoice defaults; with --against, how each
    /// differs from that team. Exit 0: every branch can invoice; 1: one cannot (or it cannot
    /// be told); 2: an error.
    Branches {
        /// A team (id, name or RFC) to compare every other with.
        #[arg(long)]
        against: Option<String>,
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
pub enum ReportCommand {
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
pub enum StoreCommand {
    /// Path, size, teams, documents per kind, oldest and newest refresh.
    Info,
    /// Forget what is stored (one team's documents with --team).
    Clear {
        /// A team id.
        #[arg(long)]
        team: Option<String>,
    },
}

pub fn parse_lang(s: &str) -> Result<crate::i18n::Lang, String> {
    crate::i18n::Lang::parse(s)
        .ok_or_else(|| format!("«{s}» is not a language gigdash speaks; use en or es"))
}
