//! The dashboard's event loop: terminal events, worker updates, signals and the spinner
//! tick become messages for `app::update`; its requests go to the worker; frames are drawn
//! only when something changed, at most one per 10 ms, and nothing is written while idle.

use std::time::Duration;

use crossterm::event::{Event, EventStream, KeyCode, KeyEventKind, KeyModifiers, MouseEventKind};
use futures::StreamExt;
use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::mpsc;
use tokio::time::Instant;

use crate::api::{ApiClient, ApiKey, DEFAULT_BASE_URL};
use crate::app::{self, Msg, Request, State, Update};
use crate::sandbox::{Sandbox, SandboxConfig};
use crate::{paths, t, tui, ui, worker};

const FRAME_GAP: Duration = Duration::from_millis(10);
/// The most terminal events taken in one go: a frame is drawn between batches.
const DRAIN_MAX: usize = 65_536;
const TICK: Duration = Duration::from_millis(120);

/// What a dashboard run needs: the flags that only the dashboard has, and the layered
/// settings (config, environment, flags) that `gigdash info` prints too.
pub struct Options {
    pub demo: bool,
    /// Start on this team (id or name).
    pub team: Option<String>,
    /// The key (`None` runs on the built-in sandbox), read-only, teams, colours, language…
    pub settings: crate::settings::Resolved,
}

/// Where the backend comes from: the built-in sandbox, or gigstack with the user's key.
async fn connect(opts: &Options) -> Result<(ApiClient, Option<Sandbox>), String> {
    let (key, base, sandbox) = match (&opts.settings.key, opts.demo) {
        (Some(k), false) => (
            k.clone(),
            opts.settings
                .base_url
                .clone()
                .unwrap_or_else(|| DEFAULT_BASE_URL.to_string()),
            None,
        ),
        _ => {
            // GIGDASH_SANDBOX_PORT pins the demo sandbox's port (tests reach it there).
            let port = std::env::var("GIGDASH_SANDBOX_PORT")
                .ok()
                .and_then(|p| p.parse().ok())
                .unwrap_or(0);
            let sb = crate::sandbox::start(SandboxConfig {
                port,
                ..SandboxConfig::default()
            })
            .await
            .map_err(|e| {
                t!(
                    opts.settings.lang,
                    "cannot start the built-in sandbox: {e}",
                    "no se pudo iniciar el sandbox integrado: {e}"
                )
            })?;
            (ApiKey::new(sb.admin_key()), sb.base_url.clone(), Some(sb))
        }
    };
    let cfg = opts.settings.client_config(base);
    let client = ApiClient::new(key, cfg).map_err(|e| e.describe(opts.settings.lang))?;
    Ok((client, sandbox))
}

/// The store for this key and backend, and a line to say if opening it did something
/// (rebuilt, moved a corrupt file aside) or failed (the run goes on without it).
pub fn open_store(
    settings: &crate::settings::Resolved,
) -> (Option<std::sync::Arc<crate::store::Store>>, Option<String>) {
    let Some((dir, name)) = settings.store_location() else {
        return (None, None);
    };
    match crate::store::open_in(&dir, &name) {
        Ok(o) => (Some(std::sync::Arc::new(o.store)), o.notice),
        Err(e) => {
            tracing::warn!("store: {e}");
            let l = settings.lang;
            (
                None,
                Some(t!(
                    l,
                    "No store this run ({e}): nothing is kept on disk.",
                    "Sin almacén en esta sesión ({e}): nada se guarda en disco."
                )),
            )
        }
    }
}

/// The exit summary of the writes still open at quit: how many never left (the audit log
/// says `not sent`) and how many left without an answer (`outcome unknown`).
pub fn writes_left_words(left: worker::WritesLeft, lang: crate::i18n::Lang) -> String {
    let worker::WritesLeft { not_sent, unknown } = left;
    let mut parts = Vec::new();
    if not_sent > 0 {
        parts.push(t!(
            lang,
            "{not_sent} write(s) not sent (still waiting their turn when gigdash quit; send them again)",
            "{not_sent} escritura(s) no enviada(s) (aún esperaban su turno al salir gigdash; envíalas de nuevo)"
        ));
    }
    if unknown > 0 {
        parts.push(t!(
            lang,
            "{unknown} sent without an answer (outcome unknown: refresh to see whether they applied)",
            "{unknown} enviada(s) sin respuesta (resultado desconocido: actualiza para ver si se aplicaron)"
        ));
    }
    let audit = crate::audit::AuditLog::default_path();
    let audit = crate::text::printable(&audit.display().to_string());
    t!(
        lang,
        "{}; the audit log {audit} has each one.",
        "{}; el registro de auditoría {audit} tiene cada una.",
        parts.join("; ")
    )
}

/// What woke the event loop: a message, or terminal events that arrived together.
enum Step {
    Msg(Msg),
    Events(std::collections::VecDeque<Event>),
}

/// Takes every terminal event already waiting behind the one just read (up to
/// `DRAIN_MAX`), without waiting for more.
fn drain_ready(batch: &mut std::collections::VecDeque<Event>) {
    // The stream's own reader is idle once it has yielded an event, so these calls on the
    // same reader neither block nor race it.
    while batch.len() < DRAIN_MAX && matches!(crossterm::event::poll(Duration::ZERO), Ok(true)) {
        match crossterm::event::read() {
            Ok(ev) => batch.push_back(ev),
            Err(_) => break,
        }
    }
}

/// What `apply_events` did.
#[derive(Debug, Default)]
pub struct Applied {
    pub requests: Vec<Request>,
    /// How many times the app was called (each call may filter the table once).
    pub app_calls: usize,
    /// Stopped at Ctrl-Z: the loop suspends, then applies the rest.
    pub suspend: bool,
}

/// A typed character with no Ctrl or Alt: what a filter line takes as text.
fn plain_char(ev: &Event) -> Option<char> {
    match ev {
        Event::Key(k)
            if k.kind == KeyEventKind::Press && (k.modifiers - KeyModifiers::SHIFT).is_empty() =>
        {
            match k.code {
                KeyCode::Char(c) => Some(c),
                _ => None,
            }
        }
        _ => None,
    }
}

/// Terminal events that arrived together, applied in order. A run of plain characters
/// typed while the table's filter line is open goes in at once and filters the table once
/// (300 KB typed into `/` was filtered 300,000 times, a minute each way); every other event
/// is its own message. Stops at Ctrl-Z (the rest stays in `events`) and after a quit.
pub fn apply_events(state: &mut State, events: &mut std::collections::VecDeque<Event>) -> Applied {
    let mut out = Applied::default();
    while let Some(ev) = events.pop_front() {
        if state.quit {
            break;
        }
        if plain_char(&ev).is_some() && app::features::browse::takes_typing(state) {
            let mut text: String = plain_char(&ev).into_iter().collect();
            while let Some(c) = events.front().and_then(plain_char) {
                text.push(c);
                events.pop_front();
            }
            app::features::browse::type_into_filter(state, &text);
            out.app_calls += 1;
            continue;
        }
        let msg = match ev {
            Event::Key(k)
                if k.code == KeyCode::Char('z') && k.modifiers.contains(KeyModifiers::CONTROL) =>
            {
                out.suspend = true;
                break;
            }
            Event::Key(k) => Msg::Key(k),
            Event::Resize(w, h) => Msg::Resize(w, h),
            Event::Mouse(m) => match m.kind {
                MouseEventKind::ScrollDown => Msg::Scroll(1),
                MouseEventKind::ScrollUp => Msg::Scroll(-1),
                MouseEventKind::Down(_) => Msg::Click { row: m.row },
                _ => continue,
            },
            _ => continue,
        };
        out.requests.extend(app::update(state, msg));
        out.app_calls += 1;
    }
    out
}

fn scope(demo: bool, base: &str, own: Option<&str>) -> String {
    if demo {
        "demo".to_string()
    } else {
        format!("{base}#{}", own.unwrap_or(""))
    }
}

/// Why this terminal cannot hold the dashboard, if it cannot: `TERM=dumb` (no cursor
/// movement) or no terminal at all (a pipe, cron). Scripts have `gigdash export`.
pub fn unusable_terminal(
    term: Option<&str>,
    is_tty: bool,
    lang: crate::i18n::Lang,
) -> Option<String> {
    if term.is_some_and(|t| t.trim() == "dumb") {
        return Some(
            lang.pick(
                "this terminal is dumb (TERM=dumb): the dashboard needs cursor movement. Use a real terminal, or `gigdash export` for scripts.",
                "esta terminal es «dumb» (TERM=dumb): el tablero necesita mover el cursor. Usa una terminal real, o `gigdash export` para scripts.",
            )
            .to_string(),
        );
    }
    if !is_tty {
        return Some(
            lang.pick(
                "no terminal: the dashboard needs one. For scripts and cron use `gigdash export`.",
                "no hay terminal: el tablero necesita una. Para scripts y cron usa `gigdash export`.",
            )
            .to_string(),
        );
    }
    None
}

pub async fn run(opts: Options) -> Result<(), String> {
    {
        use std::io::IsTerminal;
        let term = std::env::var("TERM").ok();
        let tty = std::io::stdout().is_terminal() && std::io::stdin().is_terminal();
        if let Some(why) = unusable_terminal(term.as_deref(), tty, opts.settings.lang) {
            return Err(why);
        }
    }
    // The signals are ours before the terminal goes raw: one that arrives while the first
    // frame is drawn waits for the loop, which quits restoring the terminal.
    let mut sigterm = signal(SignalKind::terminate()).map_err(|e| e.to_string())?;
    let mut sighup = signal(SignalKind::hangup()).map_err(|e| e.to_string())?;
    // `kill -INT` (not the key: raw mode turns Ctrl-C into a key) quits like Ctrl-C, so
    // the terminal is restored and writes in flight are waited for.
    let mut sigint = signal(SignalKind::interrupt()).map_err(|e| e.to_string())?;
    let mut term = tui::Tui::enter(opts.settings.mouse).map_err(|e| {
        t!(
            opts.settings.lang,
            "cannot open the terminal: {e}",
            "no se pudo abrir la terminal: {e}"
        )
    })?;
    let mut state = State::new(term.size());
    state.read_only = opts.settings.read_only;
    state.lang = opts.settings.lang;
    state.no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    state.demo = opts.demo || opts.settings.key.is_none();
    state.offline = opts.settings.offline && !state.demo;
    state.preferred_team = opts.team.clone();
    state.team_asked = opts.team.is_some();
    state.writes.session = uuid::Uuid::new_v4().simple().to_string()[..12].to_string();
    state.profile = opts.settings.profile.clone();
    state.read_only_teams = opts.settings.read_only_teams.iter().cloned().collect();
    state.aliases = opts.settings.aliases.iter().cloned().collect();
    state.branches.low_credits = Some(opts.settings.low_credits.into());
    state.keymap = std::sync::Arc::new(opts.settings.keymap.clone());
    let env = |k: &str| std::env::var(k).ok();
    state.palette = crate::colors::Palette::choose(
        opts.settings.theme.as_deref(),
        env("COLORTERM").as_deref(),
        env("TERM").as_deref(),
    );
    state.accent = opts
        .settings
        .accent
        .as_deref()
        .and_then(crate::colors::parse_color);
    state.team_colors = opts
        .settings
        .team_colors
        .iter()
        .filter_map(|(t, c)| crate::colors::parse_color(c).map(|c| (t.clone(), c)))
        .collect();
    // The first frame, before any data: the header says we are connecting.
    term.draw(|f| ui::draw(&state, f))
        .map_err(|e| e.to_string())?;

    let (req_tx, req_rx) = mpsc::unbounded_channel::<Request>();
    let (upd_tx, mut upd_rx) = mpsc::unbounded_channel::<Update>();
    let backend = {
        let upd_tx = upd_tx.clone();
        let demo = state.demo;
        async move {
            match connect(&opts).await {
                Ok((client, sandbox)) => {
                    // The built-in sandbox is a new world each run: nothing to keep.
                    let (store, notice) = if sandbox.is_some() {
                        (None, None)
                    } else {
                        open_store(&opts.settings)
                    };
                    if let Some(n) = notice {
                        let _ = upd_tx.send(Update::StoreNotice(n));
                    }
                    if let Some(why) = client.budget_refused() {
                        let why = crate::text::printable(&why);
                        let _ = upd_tx.send(Update::StoreNotice(t!(
                            opts.settings.lang,
                            "The key's rate limit is not shared with the other gigdash on this host ({why}); this one keeps its own.",
                            "El límite de solicitudes de la key no se comparte con los otros gigdash de este equipo ({why}); este usa el suyo."
                        )));
                    }
                    let _keep_alive = sandbox;
                    let offline = opts.settings.offline && store.is_some();
                    let mut w = worker::Worker::new(client, demo, upd_tx)
                        .with_store(store, offline)
                        .with_read_only_teams(opts.settings.read_only_teams.iter().cloned())
                        .with_lang(opts.settings.lang);
                    if let Some(d) = &opts.settings.downloads {
                        w = w.with_downloads(d.clone());
                    }
                    w.run(req_rx).await
                }
                Err(e) => {
                    let _ = upd_tx.send(Update::Teams(Err(crate::api::ApiError::Network {
                        message: e,
                    })));
                    worker::WritesLeft::default()
                }
            }
        }
    };
    let mut backend = tokio::spawn(backend);

    let mut events = EventStream::new();
    let mut tick = tokio::time::interval(TICK);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let mut dirty = false;
    let mut last_draw = Instant::now();
    let mut scope_key = String::new();
    let mut panicked = false;

    let mut pending = app::init(&mut state);
    let mut shown = None;
    loop {
        // The table on screen reads first under the rate limit.
        if state.shown_list() != shown {
            shown = state.shown_list();
            let _ = req_tx.send(Request::Shown(shown.clone()));
        }
        for req in pending.drain(..) {
            match req {
                Request::Quit => state.quit = true,
                Request::Copy { text } => {
                    if let Err(e) = tui::copy_osc52(&text) {
                        tracing::warn!("clipboard: {e}");
                    }
                }
                Request::RememberTeam { team } => {
                    if let Err(e) = paths::remember_team(&scope_key, team.as_str()) {
                        tracing::warn!("cannot remember the last team: {e}");
                    }
                }
                other => {
                    let _ = req_tx.send(other);
                }
            }
        }
        if state.quit {
            break;
        }
        if dirty && last_draw.elapsed() >= FRAME_GAP {
            if term.draw(|f| ui::draw(&state, f)).is_err() {
                break;
            }
            last_draw = Instant::now();
            dirty = false;
        }
        let loading = state.is_loading();
        let redraw_at = last_draw + FRAME_GAP;
        let step = tokio::select! {
            ev = events.next() => match ev {
                Some(Ok(first)) => {
                    let mut batch = std::collections::VecDeque::from([first]);
                    drain_ready(&mut batch);
                    Step::Events(batch)
                }
                Some(Err(_)) | None => Step::Msg(Msg::Quit),
            },
            upd = upd_rx.recv() => match upd {
                Some(u) => {
                    if matches!(u, Update::Page { done: true, .. }) {
                        // The streamed pages the complete set replaces are free once it
                        // is applied (and the worker's own copy soon after): given back.
                        tokio::spawn(async {
                            tokio::time::sleep(Duration::from_millis(500)).await;
                            crate::memory::give_back();
                        });
                    }
                    if let Update::Connected { own_team, demo, base_url, .. } = &u {
                        scope_key = scope(*demo, base_url, own_team.as_ref().map(|t| t.as_str()));
                        if state.preferred_team.is_none() {
                            state.preferred_team = paths::remembered_team(&scope_key);
                        }
                    }
                    Step::Msg(Msg::Worker(Box::new(u)))
                }
                None => continue,
            },
            _ = tick.tick(), if loading => Step::Msg(Msg::Tick),
            _ = tokio::time::sleep_until(redraw_at), if dirty => continue,
            _ = sigterm.recv() => Step::Msg(Msg::Quit),
            _ = sighup.recv() => Step::Msg(Msg::Quit),
            _ = sigint.recv() => Step::Msg(Msg::Quit),
            _ = tui::PANICKED.notified() => {
                panicked = true;
                break;
            }
        };
        pending = match step {
            Step::Msg(msg) => app::update(&mut state, msg),
            Step::Events(mut batch) => {
                let mut reqs = Vec::new();
                loop {
                    let applied = apply_events(&mut state, &mut batch);
                    reqs.extend(applied.requests);
                    if !applied.suspend {
                        break;
                    }
                    let _ = term.suspend();
                }
                reqs
            }
        };
        dirty = true;
    }
    let open_writes = state.writes.in_flight.len();
    let _ = req_tx.send(Request::Quit);
    let mut writes_left = None;
    if open_writes > 0 && !panicked {
        // Writes in flight get a few seconds to answer, so that each one's outcome reaches
        // the audit log; the worker records any still open as "outcome unknown".
        let msg = t!(
            state.lang,
            "Waiting up to 4 s for {open_writes} write(s) to answer before quitting…",
            "Esperando hasta 4 s la respuesta de {open_writes} escritura(s) antes de salir…"
        );
        state.status = Some(crate::app::state::Status {
            text: msg,
            error: false,
        });
        let _ = term.draw(|f| ui::draw(&state, f));
        writes_left = tokio::time::timeout(Duration::from_secs(6), &mut backend)
            .await
            .ok()
            .and_then(Result::ok);
    } else if !panicked {
        // The worker notes the session's end in the store ("since you last looked" starts
        // there next time): a moment for it, never a hang.
        let _ = tokio::time::timeout(Duration::from_secs(1), &mut backend).await;
    }
    drop(term);
    backend.abort();
    if let Some(left) = writes_left.filter(|l| l.not_sent + l.unknown > 0) {
        eprintln!("gigdash: {}", writes_left_words(left, state.lang));
    }
    if panicked {
        return Err(state.lang.pick(
            "an internal error stopped the dashboard (the terminal was restored; the log has the details). Every write that was sent is in audit.jsonl.",
            "un error interno detuvo el tablero (la terminal se restauró; el registro tiene los detalles). Cada escritura enviada está en audit.jsonl.",
        ).to_string());
    }
    Ok(())
}
