//! The real binary in a pseudo-terminal (portable-pty + vt100), in demo mode: load, switch
//! with `]`, switch with `t`, quit, and check the terminal was given back; the same after
//! SIGHUP (a dropped SSH session); and nothing written while idle.

mod common;

use std::io::{Read, Write};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

struct Session {
    master: Box<dyn MasterPty + Send>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
    screen: Arc<Mutex<vt100::Parser>>,
    bytes: Arc<AtomicUsize>,
    raw: Arc<Mutex<Vec<u8>>>,
    /// Set when the reader met the end of the program's output.
    eof: Arc<std::sync::atomic::AtomicBool>,
    /// The terminal's width (120 unless a test asks another size).
    cols: u16,
    _dir: tempfile::TempDir,
}

impl Session {
    fn start(args: &[&str]) -> Session {
        Session::start_with(args, &[])
    }

    fn start_with(args: &[&str], env: &[(&str, String)]) -> Session {
        Session::start_sized(args, env, (120, 40))
    }

    fn start_sized(args: &[&str], env: &[(&str, String)], (cols, rows): (u16, u16)) -> Session {
        let pty = native_pty_system();
        let pair = pty
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("a pty");
        let dir = tempfile::tempdir().unwrap();
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_gigdash"));
        cmd.args(args);
        cmd.env_remove("GIGSTACK_API_KEY");
        cmd.env_remove("NO_COLOR");
        // English unless a test asks otherwise, whatever the machine's locale.
        for var in ["LC_ALL", "LC_MESSAGES", "GIGDASH_LANG"] {
            cmd.env_remove(var);
        }
        cmd.env("LANG", "en_US.UTF-8");
        cmd.env("TERM", "xterm-256color");
        cmd.env("XDG_STATE_HOME", dir.path().join("state"));
        cmd.env("XDG_CONFIG_HOME", dir.path().join("config"));
        cmd.env("XDG_CACHE_HOME", dir.path().join("cache"));
        cmd.env("HOME", dir.path());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = pair.slave.spawn_command(cmd).expect("gigdash starts");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().unwrap();
        let writer = pair.master.take_writer().unwrap();
        let screen = Arc::new(Mutex::new(vt100::Parser::new(rows, cols, 0)));
        let bytes = Arc::new(AtomicUsize::new(0));
        let raw = Arc::new(Mutex::new(Vec::new()));
        let eof = Arc::new(std::sync::atomic::AtomicBool::new(false));
        {
            let (screen, bytes, raw, eof) =
                (screen.clone(), bytes.clone(), raw.clone(), eof.clone());
            std::thread::spawn(move || {
                let mut buf = [0u8; 8192];
                while let Ok(n) = reader.read(&mut buf) {
                    if n == 0 {
                        break;
                    }
                    bytes.fetch_add(n, Ordering::SeqCst);
                    raw.lock().unwrap().extend_from_slice(&buf[..n]);
                    screen.lock().unwrap().process(&buf[..n]);
                }
                eof.store(true, Ordering::SeqCst);
            });
        }
        Session {
            master: pair.master,
            writer,
            child,
            screen,
            bytes,
            raw,
            eof,
            cols,
            _dir: dir,
        }
    }

    fn contents(&self) -> String {
        self.screen.lock().unwrap().screen().contents()
    }

    /// `$XDG_STATE_HOME/gigdash` of this run: the log and the audit log.
    fn state_dir(&self) -> std::path::PathBuf {
        self._dir.path().join("state").join("gigdash")
    }

    fn audit_lines(&self) -> Vec<serde_json::Value> {
        std::fs::read_to_string(self.state_dir().join("audit.jsonl"))
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    fn row(&self, n: u16) -> String {
        let p = self.screen.lock().unwrap();
        p.screen()
            .rows(0, self.cols)
            .nth(n as usize)
            .unwrap_or_default()
    }

    fn wait_for(&self, what: &str, ok: impl Fn(&Session) -> bool) {
        self.wait_for_within(what, 30, ok);
    }

    /// Polls `ok` until it holds; fails naming `what`, with the screen, after `secs`.
    fn wait_for_within(&self, what: &str, secs: u64, ok: impl Fn(&Session) -> bool) {
        let deadline = Instant::now() + Duration::from_secs(secs);
        while Instant::now() < deadline {
            if ok(self) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("timed out waiting for {what}; screen:\n{}", self.contents());
    }

    /// Waits until the program has written nothing for `quiet` (its last frame is out).
    fn wait_quiet(&self, quiet: Duration) {
        self.wait_quiet_until(
            "the program to stop writing",
            quiet,
            Instant::now() + Duration::from_secs(30),
        );
    }

    /// Waits until the program has written nothing for `quiet`; fails naming `what`, with
    /// the screen, if no such quiet window has ended by `deadline`.
    fn wait_quiet_until(&self, what: &str, quiet: Duration, deadline: Instant) {
        let (mut seen, mut since) = (self.bytes.load(Ordering::SeqCst), Instant::now());
        while since.elapsed() < quiet {
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what} (no {quiet:?} without output); screen:\n{}",
                self.contents()
            );
            std::thread::sleep(Duration::from_millis(20));
            let now = self.bytes.load(Ordering::SeqCst);
            if now != seen {
                (seen, since) = (now, Instant::now());
            }
        }
    }

    /// The table's title (the third line): "Payments 3 of 60 …".
    fn title_says(&self, text: &str) -> bool {
        self.row(2).contains(text)
    }

    fn press(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    /// (canonical mode, echo) of the pty as the program left it.
    fn cooked(&self) -> (bool, bool) {
        let fd = self.master.as_raw_fd().expect("a unix pty");
        // SAFETY: tcgetattr fills a plain C struct for a valid descriptor we own.
        let mut t: libc::termios = unsafe { std::mem::zeroed() };
        let rc = unsafe { libc::tcgetattr(fd, &mut t) };
        assert_eq!(rc, 0, "tcgetattr");
        (t.c_lflag & libc::ICANON != 0, t.c_lflag & libc::ECHO != 0)
    }

    fn wait_exit(&mut self) -> portable_pty::ExitStatus {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                // The reader drains what was written last, up to the end of the output.
                self.wait_for_within("the end of the program's output", 5, |s| {
                    s.eof.load(Ordering::SeqCst)
                });
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "gigdash did not exit; screen:\n{}",
                self.contents()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn assert_restored(&self) {
        let p = self.screen.lock().unwrap();
        assert!(!p.screen().alternate_screen(), "left the alternate screen");
        assert!(!p.screen().hide_cursor(), "cursor visible again");
        drop(p);
        assert_eq!(self.cooked(), (true, true), "raw mode was turned off");
    }
}

fn table_rows(s: &Session) -> Vec<String> {
    (4..38)
        .map(|r| s.row(r))
        .filter(|l| l.contains(" MXN") || l.contains(" USD"))
        .collect()
}

fn loaded(s: &Session) -> bool {
    !s.row(0).contains("loading")
        && s.contents().contains("Invoices 1 of")
        && !table_rows(s).is_empty()
}

#[test]
fn demo_session_switches_teams_and_restores_the_terminal() {
    let mut s = Session::start(&["--demo"]);
    s.wait_for("the first frame", |s| s.contents().contains("gigdash"));
    assert_eq!(s.cooked(), (false, false), "raw mode while running");
    s.wait_for("the overview", |s| s.contents().contains("Invoiced"));
    s.press("3");
    s.wait_for("the first team's invoices", loaded);
    let first_header = s.row(0);
    assert!(
        first_header.contains("DEMO") && first_header.contains("TEST"),
        "{first_header}"
    );
    let first_rows = table_rows(&s);

    // Idle: nothing is written while nothing changes (GIGDASH_IDLE_SECS=10 for the full
    // DESIGN.md measurement).
    let idle: u64 = std::env::var("GIGDASH_IDLE_SECS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2);
    s.wait_quiet(Duration::from_millis(300));
    let before = s.bytes.load(Ordering::SeqCst);
    // A sleep on purpose: what is measured is that nothing happens in this time.
    std::thread::sleep(Duration::from_secs(idle));
    let written = s.bytes.load(Ordering::SeqCst) - before;
    println!("bytes written in {idle} idle seconds: {written}");
    assert_eq!(written, 0, "bytes written while idle");

    s.press("]");
    s.wait_for("the next team's rows", |s| {
        s.row(0) != first_header && loaded(s)
    });
    let second_header = s.row(0);
    let second_rows = table_rows(&s);
    assert_ne!(first_rows, second_rows);
    for r in &first_rows {
        let uuid = r.split_whitespace().last().unwrap();
        assert!(
            !s.contents().contains(uuid),
            "a row of the previous team is still shown: {r}"
        );
    }

    s.press("t");
    s.wait_for("the team switcher", |s| {
        s.contents().contains("Switch team")
    });
    let screen = s.contents();
    // The popup's entries: the part of a line between its borders that names a team id.
    let target = screen
        .lines()
        .filter_map(|l| l.split('│').find(|seg| seg.contains("team_")))
        .filter(|seg| !seg.contains('•'))
        .map(|seg| seg.trim().to_string())
        .find(|e| !second_header.contains(e.split("  ").next().unwrap().trim()))
        .expect("another team in the switcher");
    let name = target.split("  ").next().unwrap().trim().to_string();
    let word = name.split_whitespace().last().unwrap().to_string();
    s.press(&word);
    s.wait_for("the filtered switcher", |s| {
        s.contents().contains(&format!("› {word}"))
    });
    s.press("\r");
    s.wait_for("the chosen team", |s| s.row(0).contains(&name) && loaded(s));
    assert_ne!(s.row(0), second_header);

    s.press("q");
    let status = s.wait_exit();
    assert!(status.success(), "{status:?}");
    s.assert_restored();
}

#[test]
fn a_spanish_locale_gets_spanish_screens_and_dates() {
    let mut s = Session::start_with(&["--demo"], &[("LANG", "es_MX.UTF-8".into())]);
    s.wait_for("the Spanish overview", |s| {
        s.contents().contains("Facturado") && s.contents().contains("Resumen")
    });
    s.press("3");
    s.wait_for("the invoices in Spanish", |s| {
        s.contents().contains("Facturas 1 de") && !table_rows(s).is_empty()
    });
    let header = s.row(0);
    assert!(
        header.contains("PRUEBAS") && header.contains("DEMO"),
        "{header}"
    );
    let rows = table_rows(&s);
    let date = rows[0]
        .split_whitespace()
        .nth(1)
        .unwrap_or_default()
        .to_string();
    assert!(
        date.len() == 10 && date.as_bytes()[2] == b'/' && date.as_bytes()[5] == b'/',
        "a day/month/year date in {rows:?}"
    );
    assert!(
        rows.iter()
            .any(|r| r.contains("vigente") || r.contains("cancelada")),
        "{rows:?}"
    );
    // --lang beats the locale.
    s.press("q");
    assert!(s.wait_exit().success());
    s.assert_restored();
    let mut s = Session::start_with(
        &["--demo", "--lang", "en"],
        &[("LANG", "es_MX.UTF-8".into())],
    );
    s.wait_for("the English overview", |s| {
        s.contents().contains("Invoiced")
    });
    s.press("q");
    assert!(s.wait_exit().success());
}

#[test]
fn sighup_restores_the_terminal() {
    let mut s = Session::start(&["--demo"]);
    s.wait_for("the overview", |s| s.contents().contains("Invoiced"));
    assert_eq!(s.cooked(), (false, false));
    let pid = s.child.process_id().expect("a pid") as libc::pid_t;
    // SAFETY: sending a signal to our own child process.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGHUP) }, 0);
    s.wait_exit();
    s.assert_restored();
}

#[test]
fn sigterm_restores_the_terminal() {
    let mut s = Session::start(&["--demo", "--read-only"]);
    s.wait_for("the read-only badge", |s| s.row(0).contains("READ-ONLY"));
    let pid = s.child.process_id().expect("a pid") as libc::pid_t;
    // SAFETY: sending a signal to our own child process.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGTERM) }, 0);
    s.wait_exit();
    s.assert_restored();
}

#[test]
fn sigint_from_kill_quits_like_ctrl_c_and_restores_the_terminal() {
    let mut s = Session::start(&["--demo"]);
    s.wait_for("the overview", |s| s.contents().contains("Invoiced"));
    assert_eq!(s.cooked(), (false, false), "raw mode while running");
    let pid = s.child.process_id().expect("a pid") as libc::pid_t;
    // SAFETY: sending a signal to our own child process.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGINT) }, 0);
    let status = s.wait_exit();
    // As for Ctrl-C: a clean quit, not death by the signal.
    assert!(status.success(), "{status:?}");
    s.assert_restored();
    let raw = s.raw.lock().unwrap().clone();
    let leave = b"\x1b[?1049l";
    let at = raw
        .windows(leave.len())
        .rposition(|w| w == leave)
        .expect("the alternate screen was left");
    assert!(
        !raw[at..].windows(8).any(|w| w == b"\x1b[?1049h"),
        "not entered again after leaving"
    );
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Moves the selection onto the first visible row whose text contains all of `needles`.
fn select_row(s: &mut Session, needles: &[&str]) -> String {
    s.press("g");
    s.wait_for("the first row selected", |s| s.title_says(" 1 of "));
    let rows: Vec<String> = (4..38).map(|r| s.row(r)).collect();
    let pos = rows
        .iter()
        .position(|l| needles.iter().all(|n| l.contains(n)))
        .unwrap_or_else(|| panic!("no row with {needles:?}:\n{}", s.contents()));
    for _ in 0..pos {
        s.press("j");
    }
    let at = format!(" {} of ", pos + 1);
    s.wait_for(&format!("row {} selected", pos + 1), |s| s.title_says(&at));
    rows[pos].clone()
}

fn dialog_value(s: &Session, label: &str) -> String {
    s.contents()
        .lines()
        .find_map(|l| {
            l.split('│')
                .find(|seg| seg.trim_start().starts_with(label))
                .map(|seg| seg.trim()[label.len()..].trim().to_string())
        })
        .unwrap_or_else(|| panic!("no {label} in the dialog:\n{}", s.contents()))
}

#[test]
fn mark_paid_and_cancel_an_invoice_from_the_keyboard_exactly_once() {
    let port = free_port();
    let mut s = Session::start_with(&["--demo"], &[("GIGDASH_SANDBOX_PORT", port.to_string())]);
    let (_, keys) = gigdash::sandbox::build_store(&gigdash::sandbox::SandboxConfig::default());
    let key = keys[0].key.clone();
    s.wait_for("the overview", |s| s.contents().contains("Invoiced"));

    s.press("4");
    s.wait_for("the payments", |s| {
        s.contents().contains("Payments 1 of") && !s.row(0).contains("loading")
    });
    select_row(&mut s, &[" pending "]);
    s.press("p");
    s.wait_for("the mark-paid dialog", |s| {
        s.contents().contains("Mark payment paid")
    });
    let payment = dialog_value(&s, "Payment ");
    s.press("\t\ty\r");
    s.wait_for("the answer", |s| {
        s.contents().contains("payment is now succeeded")
    });

    s.press("3");
    s.wait_for("the invoices", loaded);
    select_row(&mut s, &[" valid ", " PUE "]);
    s.press("x");
    s.wait_for("the cancel dialog", |s| {
        s.contents().contains("Cancel invoice")
    });
    let uuid = dialog_value(&s, "Invoice UUID");
    s.press("\ry\r");
    s.wait_for("the cancellation answer", |s| {
        let c = s.contents();
        c.contains("Cancellation requested") || c.contains("Invoice canceled")
    });

    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let http = common::http();
        let base = format!("http://127.0.0.1:{port}");
        let get = |path: String| {
            let http = http.clone();
            let key = key.clone();
            async move { common::http_json(http.get(path).bearer_auth(key)).await.1 }
        };
        let p = get(format!("{base}/v2/payments/{payment}")).await;
        assert_eq!(p["data"]["status"], "succeeded", "{p}");
        let i = get(format!("{base}/v2/invoices/income/{uuid}")).await;
        assert!(
            i["data"]["cancellation_status"] == "pending" || i["data"]["status"] == "canceled",
            "{i}"
        );
        assert_eq!(i["data"]["metadata"]["cancellation_motive"], "02");
        let stats = get(format!("{base}/_sandbox/stats")).await;
        assert_eq!(
            stats["data"]["writes"], 2,
            "each action applied exactly once"
        );
    });

    s.press("q");
    assert!(s.wait_exit().success());
    s.assert_restored();
}

#[test]
fn ctrl_z_gives_the_terminal_back_and_resumes() {
    // Under a shell, job control stops the process on Ctrl-Z. Here the child leads its own
    // session, an orphaned process group, so the kernel discards SIGTSTP and the program
    // continues at once: what must hold is that it gave the terminal back (left the
    // alternate screen and raw mode) and then took it again and redrew.
    let mut s = Session::start(&["--demo"]);
    s.wait_for("the overview", |s| s.contents().contains("Invoiced"));
    let mark = s.raw.lock().unwrap().len();
    s.press("\x1a");
    s.wait_for("a suspend and a resume", |s| {
        let raw = s.raw.lock().unwrap();
        let after = &raw[mark..];
        let leave = after.windows(8).position(|w| w == b"\x1b[?1049l");
        let enter = after.windows(8).rposition(|w| w == b"\x1b[?1049h");
        matches!((leave, enter), (Some(l), Some(e)) if e > l)
    });
    s.wait_for("raw mode and the dashboard again", |s| {
        s.cooked() == (false, false)
            && s.screen.lock().unwrap().screen().alternate_screen()
            && s.contents().contains("Invoiced")
    });
    s.press("q");
    assert!(s.wait_exit().success());
    s.assert_restored();
}

#[test]
fn resizing_redraws_and_too_small_says_so() {
    let mut s = Session::start(&["--demo"]);
    s.wait_for("the overview", |s| s.contents().contains("Invoiced"));
    for (cols, rows, expect) in [
        (90u16, 30u16, "Invoiced"),
        (60, 20, "Terminal too small"),
        (120, 40, "Invoiced"),
    ] {
        s.screen.lock().unwrap().screen_mut().set_size(rows, cols);
        s.master
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        s.wait_for(expect, |s| s.contents().contains(expect));
    }
    s.press("q");
    assert!(s.wait_exit().success());
    s.assert_restored();
}

/// Sets the demo sandbox's faults (a JSON patch) from outside gigdash.
fn sandbox_faults(port: u16, patch: serde_json::Value) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let (status, body) = common::http_text(
            common::http()
                .put(format!("http://127.0.0.1:{port}/_sandbox/faults"))
                .body(patch.to_string()),
        )
        .await;
        assert!(
            (200..300).contains(&status),
            "PUT /_sandbox/faults {patch}: {status} {body}"
        );
    });
}

/// Opens the mark-paid dialog on a pending payment, makes the sandbox answer slowly, and
/// confirms: the write is in flight when this returns.
fn mark_paid_slowly(s: &mut Session, port: u16, latency_ms: u64) -> String {
    s.wait_for("the overview", |s| s.contents().contains("Invoiced"));
    s.press("4");
    s.wait_for("the payments", |s| {
        s.contents().contains("Payments 1 of") && !s.row(0).contains("loading")
    });
    select_row(s, &[" pending "]);
    s.press("p");
    s.wait_for("the mark-paid dialog", |s| {
        s.contents().contains("Mark payment paid")
    });
    let payment = dialog_value(s, "Payment ");
    sandbox_faults(port, serde_json::json!({"latency_ms": latency_ms}));
    s.press("\t\ty\r");
    s.wait_for("the write in flight", |s| {
        s.contents().contains("sending to")
    });
    payment
}

#[test]
fn quitting_during_a_slow_write_waits_for_its_answer_and_audits_it() {
    let port = free_port();
    let mut s = Session::start_with(&["--demo"], &[("GIGDASH_SANDBOX_PORT", port.to_string())]);
    let payment = mark_paid_slowly(&mut s, port, 1500);
    s.press("q");
    s.wait_for("the waiting message", |s| {
        s.contents().contains("to answer before quitting")
    });
    assert!(s.wait_exit().success());
    s.assert_restored();
    let lines = s.audit_lines();
    let mine: Vec<_> = lines
        .iter()
        .filter(|l| l["object_id"] == payment.as_str())
        .collect();
    assert_eq!(mine.len(), 2, "{lines:?}");
    assert_eq!(mine[0]["phase"], "sent");
    assert_eq!(mine[1]["phase"], "answered");
    assert_eq!(mine[1]["result"], "ok");
}

#[test]
fn sigterm_during_a_write_that_never_answers_records_outcome_unknown() {
    let port = free_port();
    let mut s = Session::start_with(&["--demo"], &[("GIGDASH_SANDBOX_PORT", port.to_string())]);
    let payment = mark_paid_slowly(&mut s, port, 20_000);
    let pid = s.child.process_id().expect("a pid") as libc::pid_t;
    // SAFETY: sending a signal to our own child process.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGTERM) }, 0);
    s.wait_exit();
    s.assert_restored();
    let lines = s.audit_lines();
    let mine: Vec<_> = lines
        .iter()
        .filter(|l| l["object_id"] == payment.as_str())
        .collect();
    assert_eq!(mine.len(), 2, "{lines:?}");
    assert_eq!(mine[0]["phase"], "sent");
    assert_eq!(mine[1]["phase"], "unknown");
    assert_eq!(mine[1]["result"], "outcome_unknown");
}

#[test]
fn a_panic_in_a_background_task_ends_the_program_cleanly() {
    let mut s = Session::start_with(
        &["--demo"],
        &[("GIGDASH_FAULT_PANIC_IN_WORKER", "1".into())],
    );
    let status = s.wait_exit();
    assert!(!status.success(), "a non-zero exit: {status:?}");
    s.assert_restored();
    let raw = String::from_utf8_lossy(&s.raw.lock().unwrap()).to_string();
    assert!(
        raw.contains("an internal error stopped the dashboard"),
        "{raw}"
    );
    let log = std::fs::read_dir(s.state_dir())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("gigdash.log"))
        .map(|e| std::fs::read_to_string(e.path()).unwrap())
        .collect::<String>();
    assert!(
        log.contains("panicked") && log.contains("GIGDASH_FAULT_PANIC_IN_WORKER"),
        "{log}"
    );
}

/// `gigdash sandbox …` as its own process; dropped, it is killed.
struct SandboxProcess {
    child: std::process::Child,
    base: String,
    admin_key: String,
}

impl Drop for SandboxProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn sandbox_process(args: &[&str]) -> SandboxProcess {
    sandbox_process_on(free_port(), args)
}

/// How long a sandbox process may take to print its keys.
const SANDBOX_KEYS_WITHIN: Duration = Duration::from_secs(30);

/// A sandbox on this port (the same seed gives the same world and keys: a restart).
fn sandbox_process_on(port: u16, args: &[&str]) -> SandboxProcess {
    use std::io::BufRead;
    use std::sync::mpsc::RecvTimeoutError;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_gigdash"))
        .arg("sandbox")
        .args(["--port", &port.to_string()])
        .args(args)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let out = child.stdout.take().unwrap();
    // In its guard at once: a test that fails waiting for the keys still kills it.
    let mut sb = SandboxProcess {
        child,
        base: format!("http://127.0.0.1:{port}/v2"),
        admin_key: String::new(),
    };
    // Read on a thread, so the wait for the key has a deadline; the thread then keeps
    // draining stdout so the sandbox never blocks on a full pipe.
    let (key_tx, key_rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut key_tx = Some(key_tx);
        for line in std::io::BufReader::new(out).lines().map_while(Result::ok) {
            if line.trim_start().starts_with("eyJ")
                && let Some(tx) = key_tx.take()
            {
                let _ = tx.send(line.trim().to_string());
            }
        }
    });
    let what = format!(
        "`gigdash sandbox --port {port} {args:?}` to print its admin key (a line starting eyJ) on stdout"
    );
    sb.admin_key = match key_rx.recv_timeout(SANDBOX_KEYS_WITHIN) {
        Ok(key) => key,
        Err(RecvTimeoutError::Timeout) => {
            panic!("timed out after {SANDBOX_KEYS_WITHIN:?} waiting for {what}")
        }
        Err(RecvTimeoutError::Disconnected) => panic!(
            "stdout closed before {what}; exit: {:?}",
            sb.child.try_wait()
        ),
    };
    sb
}

/// A request to the sandbox with its admin key, behind gigdash's back: (status, body).
fn api_send(
    sb: &SandboxProcess,
    method: &str,
    path_and_query: &str,
    body: Option<serde_json::Value>,
) -> (u16, serde_json::Value) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let mut r = common::http()
            .request(
                reqwest::Method::from_bytes(method.as_bytes()).unwrap(),
                format!("{}{path_and_query}", sb.base),
            )
            .bearer_auth(&sb.admin_key)
            .header("Idempotency-Key", uuid::Uuid::new_v4().to_string());
        if let Some(b) = body {
            r = r.json(&b);
        }
        // A 429 is waited out and the same request sent again (its idempotency key too):
        // a minute of them is a sandbox gone wrong.
        for _ in 0..60 {
            let (status, body) = common::http_send(r.try_clone().unwrap()).await;
            if status == 429 {
                tokio::time::sleep(Duration::from_millis(1100)).await;
                continue;
            }
            return (
                status,
                serde_json::from_slice(&body).unwrap_or(serde_json::Value::Null),
            );
        }
        panic!("{method} {path_and_query}: still 429 after a minute")
    })
}

/// A GET on the sandbox with its admin key, waiting out its 429s: (status, JSON body).
fn api_get(sb: &SandboxProcess, path_and_query: &str) -> (u16, serde_json::Value) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        // The rate limit's window is a second: a minute of 429s is a sandbox gone wrong.
        let http = common::http();
        for _ in 0..60 {
            let (status, body) = common::http_text(
                http.get(format!("{}{path_and_query}", sb.base))
                    .bearer_auth(&sb.admin_key),
            )
            .await;
            if status == 429 {
                // The wait the 429's window asks for, not a stand-in for a screen.
                tokio::time::sleep(Duration::from_millis(1100)).await;
                continue;
            }
            let v = serde_json::from_str(&body).unwrap_or_else(|e| {
                panic!("GET {path_and_query}: {status}, not JSON ({e}): {body}")
            });
            return (status, v);
        }
        panic!("GET {path_and_query}: still 429 after a minute")
    })
}

/// The ids of every team the admin key lists, with their names.
fn api_teams(sb: &SandboxProcess) -> Vec<(String, String)> {
    let (_, teams) = api_get(sb, "/teams?limit=100");
    teams["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["id"].as_str().unwrap().to_string(),
                t["name"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// (team name, payments to collect) as the API lists them, for every team of the key;
/// `None` where the team's payments cannot be read.
fn to_collect_by_api(sb: &SandboxProcess) -> Vec<(String, Option<usize>)> {
    let mut out = Vec::new();
    for (id, name) in api_teams(sb) {
        let mut n = Some(0);
        let mut next: Option<String> = None;
        let mut pages = 0;
        loop {
            pages += 1;
            assert!(
                pages <= common::MAX_PAGES,
                "the payments of {name} ({id}): still more after {} pages; next cursor {next:?}",
                common::MAX_PAGES
            );
            let mut path = format!("/payments?limit=100&team={id}");
            if let Some(c) = &next {
                path.push_str(&format!("&next={c}"));
            }
            let (status, v) = api_get(sb, &path);
            if status != 200 {
                n = None;
                break;
            }
            let pending = v["data"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|p| {
                    matches!(
                        p["status"].as_str(),
                        Some("pending" | "requires_payment_method" | "processing")
                    )
                })
                .count();
            n = n.map(|x| x + pending);
            match v["next"].as_str() {
                Some(c) if v["has_more"] == true => next = Some(c.to_string()),
                _ => break,
            }
        }
        out.push((name, n));
    }
    out
}

#[test]
fn the_group_tab_shows_48_branches_with_what_each_has_to_collect() {
    let sb = sandbox_process(&["--teams", "48", "--rate-limit", "20", "--scale", "1000"]);
    // At 120 and at 160 columns: every row tells its branch from the others.
    for size in [(120, 40), (160, 50)] {
        group_rows_at(&sb, size);
    }
}

/// The Group tab of the 48-branch sandbox at `size`: every row read a page at a time, no
/// two rows of a screen alike, the brand said once, each branch's own part of its name
/// whole on its row, and what it has to collect as the API lists it.
fn group_rows_at(sb: &SandboxProcess, size: (u16, u16)) {
    let body = size.1 - 2;
    let mut s = Session::start_sized(
        &[],
        &[
            ("GIGSTACK_API_KEY", sb.admin_key.clone()),
            ("GIGSTACK_API_BASE_URL", sb.base.clone()),
        ],
        size,
    );
    s.wait_for_within("every team loaded", 90, |s| {
        s.contents().contains("48 teams (48 / 48 loaded)")
    });
    let expected = to_collect_by_api(sb);
    assert_eq!(expected.len(), 48);
    // Read every row of the table, a page at a time.
    let mut seen: std::collections::BTreeMap<String, String> = Default::default();
    // Page Down moves the selection a page; the view follows it. Until every team was
    // seen, each press must show another first row (and the frame is read once complete).
    for page in 0..8 {
        if page > 0 {
            if seen.len() >= expected.len() {
                break;
            }
            let first = s.row(4);
            s.press("\x1b[6~");
            s.wait_for("the next page", |s| s.row(4) != first);
            s.wait_quiet(Duration::from_millis(100));
        }
        let mut on_screen = std::collections::HashSet::new();
        for r in 4..body {
            let line = s.row(r);
            let cells: Vec<&str> = line
                .trim_matches('│')
                .split("  ")
                .filter(|c| !c.trim().is_empty())
                .collect();
            // A name that fills its column meets the RFC's after one space: the RFC goes.
            let name_of = |c: &str| {
                let c = c.trim();
                match c.rsplit_once(' ') {
                    Some((n, rfc))
                        if (12..=13).contains(&rfc.len())
                            && rfc
                                .chars()
                                .all(|ch| ch.is_ascii_uppercase() || ch.is_ascii_digit()) =>
                    {
                        n.trim_end().to_string()
                    }
                    _ => c.to_string(),
                }
            };
            if let Some(name) = cells.first().map(|c| name_of(c))
                && line.starts_with('│')
                && !["Team", "Total"].contains(&name.as_str())
            {
                // Two rows of one screen with the same cell would be two branches the
                // screen confuses (a row seen again on the next page is fine).
                assert!(
                    on_screen.insert(name.clone()),
                    "two rows read «{name}»:\n{}",
                    s.contents()
                );
                seen.insert(name, line.clone());
            }
        }
    }
    assert!(
        !s.contents().contains("rate limited"),
        "no 429 reaches the screen"
    );
    // The brand is said once, in the title; each row shows the part of its name that tells
    // it from the others, whole (120 columns hold it, and 160).
    let brand = gigdash::app::data::brand::brand(expected.iter().map(|(n, _)| n.as_str()));
    assert_eq!(brand.as_deref(), Some("Doña Lupe"));
    assert!(s.row(2).contains("«Doña Lupe»"), "{}", s.row(2));
    for (name, _) in &expected {
        let own = gigdash::app::data::brand::distinct(name, brand.as_deref());
        assert!(
            seen.contains_key(own),
            "{size:?}: «{own}» ({name}) whole on its row: {:?}\n{}",
            seen.keys().collect::<Vec<_>>(),
            s.contents()
        );
    }
    for (name, n) in &expected {
        let name = &gigdash::app::data::brand::distinct(name, brand.as_deref()).to_string();
        // A long name would be cut in the middle (`San Pe…García 2`).
        let line = seen
            .get(name)
            .or_else(|| {
                seen.iter()
                    .find(|(k, _)| {
                        k.split_once('…')
                            .is_some_and(|(a, b)| name.starts_with(a) && name.ends_with(b))
                    })
                    .map(|(_, v)| v)
            })
            .unwrap_or_else(|| panic!("no row for {name}: {:?}", seen.keys().collect::<Vec<_>>()));
        match n {
            Some(n) => assert!(
                line.contains(&format!(" {n} · $")),
                "{name}: the API lists {n} to collect; the row says {line}"
            ),
            None => assert!(line.contains("Team not found"), "{name}: {line}"),
        }
    }
    s.press("q");
    assert!(s.wait_exit().success());
    s.assert_restored();
}

/// The Group tab's load time against a rate-limited sandbox, with the client's own limit
/// set to the same rate (a profile's `requests_per_second`). A measurement, not a check:
/// `cargo test --release --test e2e_pty group_load_time -- --ignored --nocapture`
/// (GIGDASH_BENCH_TEAMS, GIGDASH_BENCH_RATE, GIGDASH_BENCH_SCALE; 48, 20, 3000 by default).
#[test]
#[ignore]
fn group_load_time() {
    let env_or = |k: &str, d: &str| std::env::var(k).unwrap_or_else(|_| d.to_string());
    let (teams, rate, scale) = (
        env_or("GIGDASH_BENCH_TEAMS", "48"),
        env_or("GIGDASH_BENCH_RATE", "20"),
        env_or("GIGDASH_BENCH_SCALE", "3000"),
    );
    let sb = sandbox_process(&["--teams", &teams, "--rate-limit", &rate, "--scale", &scale]);
    let requests = || sandbox_stats(&sb).1;
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        format!("profile = \"bench\"\n[profiles.bench]\nrequests_per_second = {rate}\nburst = {rate}\nconcurrency = 4\n"),
    )
    .unwrap();
    let before = requests();
    let started = Instant::now();
    let s = Session::start_with(
        &[],
        &[
            ("GIGSTACK_API_KEY", sb.admin_key.clone()),
            ("GIGSTACK_API_BASE_URL", sb.base.clone()),
            ("GIGDASH_CONFIG", config.display().to_string()),
        ],
    );
    let want = format!("({teams} / {teams} loaded)");
    while !s.contents().contains(&want) {
        assert!(
            started.elapsed() < Duration::from_secs(600),
            "{}",
            s.contents()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let took = started.elapsed().as_secs_f64();
    let n = requests() - before;
    let floor = n as f64 / rate.parse::<f64>().unwrap();
    println!(
        "{teams} teams loaded in {took:.2} s with {n} requests; floor {floor:.2} s (requests / {rate}): {:.2}x",
        took / floor
    );
    let pid = s.child.process_id().expect("a pid");
    let rss = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .map(|l| l.trim_start_matches("VmRSS:").trim().to_string())
        .unwrap_or_default();
    println!("RSS of gigdash with every team's invoices and payments loaded: {rss}");
}

/// The ids `y` put on the clipboard (OSC 52) since `from` in the raw output.
fn copied_since(s: &Session, from: usize) -> Vec<String> {
    use base64::Engine;
    let raw = s.raw.lock().unwrap()[from..].to_vec();
    let text = String::from_utf8_lossy(&raw);
    text.split("\x1b]52;c;")
        .skip(1)
        .filter_map(|rest| rest.split('\x07').next())
        .filter_map(|b| base64::engine::general_purpose::STANDARD.decode(b).ok())
        .map(|b| String::from_utf8_lossy(&b).to_string())
        .collect()
}

#[test]
fn all_teams_payments_and_a_bulk_mark_paid_over_three_teams() {
    let sb = sandbox_process(&["--teams", "48", "--rate-limit", "20", "--scale", "1000"]);
    let mut s = Session::start_with(
        &[],
        &[
            ("GIGSTACK_API_KEY", sb.admin_key.clone()),
            ("GIGSTACK_API_BASE_URL", sb.base.clone()),
        ],
    );
    let wait = |s: &Session, what: &str, secs: u64| {
        s.wait_for_within(&format!("«{what}»"), secs, |s| {
            s.contents().contains(what)
        });
    };
    wait(&s, "(48 / 48 loaded)", 90);
    s.press("4");
    s.wait_for("the Payments tab", |s| s.title_says("Payments"));
    s.press("a");
    wait(&s, "ALL TEAMS 48/48", 60);
    s.press("/pending\r");
    s.wait_for("the filter applied", |s| s.title_says("filter «pending»"));
    s.press("g");
    s.wait_for("the first row selected", |s| s.title_says(" 1 of "));
    // Rows of three different teams (the Team column comes first).
    let rows: Vec<String> = (4..38).map(|r| s.row(r)).collect();
    let teams_of: Vec<String> = rows.iter().map(|l| l.chars().take(14).collect()).collect();
    // A payment's row says its currency; the Team cell is the branch's own part of its name.
    let is_row = |i: usize| rows[i].contains(" MXN ") && !teams_of[i].trim().is_empty();
    let distinct: std::collections::BTreeSet<&String> = teams_of
        .iter()
        .enumerate()
        .filter(|(i, _)| is_row(*i))
        .map(|(_, t)| t)
        .collect();
    assert!(
        distinct.len() >= 3,
        "rows from several teams:\n{}",
        s.contents()
    );
    let mut picks = Vec::new();
    for (i, t) in teams_of.iter().enumerate() {
        if is_row(i) && !picks.iter().any(|(_, seen): &(usize, String)| seen == t) {
            picks.push((i, t.clone()));
        }
        if picks.len() == 3 {
            break;
        }
    }
    let from = s.raw.lock().unwrap().len();
    let mut at = 0;
    for (n, (pos, _)) in picks.iter().enumerate() {
        for _ in at..*pos {
            s.press("j");
        }
        let selected = format!(" {} of ", pos + 1);
        s.wait_for(&format!("row {} selected", pos + 1), |s| {
            s.title_says(&selected)
        });
        // y copies the id, space marks the row (and moves down one).
        s.press("y ");
        let marked = format!(" {} marked", n + 1);
        s.wait_for(&format!("{} copied and marked", n + 1), |s| {
            copied_since(s, from).len() == n + 1 && s.title_says(&marked)
        });
        at = pos + 1;
    }
    let ids = copied_since(&s, from);
    assert_eq!(ids.len(), 3, "{ids:?}");
    let (writes_before, _) = sandbox_stats(&sb);
    s.press("p");
    // The dialog's whole frame: its buttons are drawn after its Payment line (a frame is
    // written top to bottom), so the line read below is never one half drawn.
    s.wait_for_within("the whole mark-paid dialog", 10, |s| {
        s.contents().contains("Mark payment paid")
            && s.contents().contains("Yes, mark payment paid")
    });
    assert!(s.contents().contains("3 marked rows"), "{}", s.contents());
    s.press("\t\ty\r");
    wait(&s, "3 of 3 done", 30);
    assert!(
        !s.contents().contains("rate limit"),
        "no 429 reaches the screen"
    );
    let (writes_after, _) = sandbox_stats(&sb);
    assert_eq!(
        writes_after - writes_before,
        3,
        "exactly those payments changed"
    );
    for id in &ids {
        assert_eq!(
            payment_status(&sb, id).as_deref(),
            Some("succeeded"),
            "{id}"
        );
    }
    s.press("q");
    assert!(s.wait_exit().success());
}

/// `/_sandbox/<what>` of the sandbox: a GET, or a PUT of `body`; its `data` (200 or the
/// test fails).
fn sandbox_control(
    sb: &SandboxProcess,
    what: &str,
    body: Option<serde_json::Value>,
) -> serde_json::Value {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let url = format!("{}/_sandbox/{what}", sb.base.trim_end_matches("/v2"));
    let req = match &body {
        Some(b) => common::http().put(&url).json(b),
        None => common::http().get(&url),
    };
    let (status, v) = rt.block_on(common::http_json(req));
    assert_eq!(status, 200, "/_sandbox/{what} {body:?}: {v}");
    v["data"].clone()
}

/// (writes, requests) the sandbox counted.
fn sandbox_stats(sb: &SandboxProcess) -> (u64, u64) {
    let d = sandbox_control(sb, "stats", None);
    (
        d["writes"].as_u64().unwrap(),
        d["requests"].as_u64().unwrap(),
    )
}

/// A payment's status, looked up in every team of the key.
fn payment_status(sb: &SandboxProcess, id: &str) -> Option<String> {
    api_teams(sb).into_iter().find_map(|(team, _)| {
        let (status, v) = api_get(sb, &format!("/payments/{id}?team={team}"));
        (status == 200)
            .then(|| v["data"]["status"].as_str().map(str::to_string))
            .flatten()
    })
}

/// The port a sandbox process listens on.
fn port_of(sb: &SandboxProcess) -> u16 {
    sb.base
        .trim_end_matches("/v2")
        .rsplit(':')
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

/// The Group tab's team lines (figures only: the State column says when they were read).
fn group_figures(s: &Session, teams: usize) -> Vec<String> {
    (4..4 + teams as u16)
        .map(|r| {
            let line = s.row(r);
            line.split(" loaded ")
                .next()
                .unwrap()
                .trim_end()
                .to_string()
        })
        .collect()
}

/// From the Group tab, opens the team whose row holds `name`.
fn open_group_row(s: &mut Session, name: &str) {
    s.press("/");
    s.press(name);
    s.press("\r");
    // The row shows the branch's own part of its name (the brand is the title's).
    let own = name.strip_prefix("Doña Lupe ").unwrap_or(name);
    s.wait_for(name, |s| s.row(4).contains(own));
    s.press("\r");
    s.wait_for("the team", |s| s.row(0).contains(name));
}

/// Types a filter and waits until the first row holds `text`; that row.
fn filtered_row(s: &mut Session, text: &str) -> String {
    s.press("/");
    s.press(text);
    s.press("\r");
    s.wait_for(text, |s| s.row(4).contains(text));
    s.row(4)
}

#[test]
fn a_start_without_gigstack_shows_the_stored_rows_offline_and_recovers_when_it_returns() {
    let sb = sandbox_process(&["--teams", "3", "--scale", "600"]);
    let port = port_of(&sb);
    let cache = tempfile::tempdir().unwrap();
    let env = [
        ("GIGSTACK_API_KEY", sb.admin_key.clone()),
        ("GIGSTACK_API_BASE_URL", sb.base.clone()),
        ("XDG_CACHE_HOME", cache.path().display().to_string()),
    ];
    // Online: the Group tab, then one team's payments; one row to find again.
    let mut s = Session::start_with(&[], &env);
    s.wait_for("every team loaded", |s| {
        s.contents().contains("3 teams (3 / 3 loaded)")
    });
    let online_group = group_figures(&s, 3);
    open_group_row(&mut s, "Polanco");
    s.press("4");
    s.wait_for("payments", |s| s.row(4).contains("payment_"));
    let id = s
        .row(4)
        .split_whitespace()
        .find(|w| w.starts_with("payment_"))
        .unwrap()
        .to_string();
    let online_row = filtered_row(&mut s, &id);
    s.press("q");
    assert!(s.wait_exit().success());
    drop(sb);

    // gigstack gone: the same figures and row, OFFLINE with the age; a write is refused.
    let mut s = Session::start_with(&[], &env);
    s.wait_for("OFFLINE", |s| s.row(0).contains("OFFLINE"));
    s.wait_for("stored figures", |s| {
        s.contents().contains("3 teams (3 / 3 loaded)")
    });
    assert_eq!(group_figures(&s, 3), online_group);
    assert!(s.row(0).contains("as of"), "{}", s.row(0));
    open_group_row(&mut s, "Polanco");
    s.press("4");
    s.wait_for("stored payments", |s| s.row(4).contains("payment_"));
    assert_eq!(filtered_row(&mut s, &id), online_row);
    s.press("p");
    s.wait_for("the write refused", |s| {
        s.contents().contains("nothing can be written")
    });
    assert!(s.audit_lines().is_empty(), "nothing was sent");

    // gigstack back on the same port: the next refresh clears OFFLINE.
    let _sb = sandbox_process_on(port, &["--teams", "3", "--scale", "600"]);
    s.press("r");
    s.wait_for("OFFLINE cleared", |s| {
        !s.row(0).contains("OFFLINE") && !s.row(0).contains("as of")
    });
    s.press("q");
    assert!(s.wait_exit().success());
    s.assert_restored();
}

#[test]
fn a_status_changed_on_the_server_shows_after_r_and_a_deleted_client_goes_after_refresh_all() {
    let sb = sandbox_process(&["--teams", "2", "--scale", "400"]);
    let (team, team_name) = api_teams(&sb)
        .into_iter()
        .max_by_key(|(id, _)| {
            let (_, v) = api_get(
                &sb,
                &format!("/payments?limit=100&status=pending&team={id}"),
            );
            v["data"].as_array().map(|a| a.len()).unwrap_or(0)
        })
        .unwrap();
    let (_, pending) = api_get(
        &sb,
        &format!("/payments?limit=1&status=pending&team={team}"),
    );
    let pay = pending["data"][0]["id"]
        .as_str()
        .expect("a pending payment")
        .to_string();
    let cache = tempfile::tempdir().unwrap();
    let mut s = Session::start_with(
        &[],
        &[
            ("GIGSTACK_API_KEY", sb.admin_key.clone()),
            ("GIGSTACK_API_BASE_URL", sb.base.clone()),
            ("XDG_CACHE_HOME", cache.path().display().to_string()),
        ],
    );
    s.wait_for("every team loaded", |s| {
        s.contents().contains("3 teams (3 / 3 loaded)")
    });
    open_group_row(&mut s, &team_name);
    s.press("4");
    s.wait_for("payments", |s| s.row(4).contains("payment_"));
    let before = filtered_row(&mut s, &pay);
    assert!(before.contains("pending"), "{before}");

    // Paid behind gigdash's back; `r` brings it.
    let (status, body) = api_send(
        &sb,
        "POST",
        &format!("/payments/{pay}/paid?team={team}"),
        Some(serde_json::json!({ "payment_form": "03" })),
    );
    assert_eq!(status, 200, "{body}");
    s.press("r");
    s.wait_for("the new status", |s| {
        s.row(4).contains(&pay) && s.row(4).contains("succeeded")
    });

    // A client deleted on the server: `:refresh all` reads the team again and it goes.
    let (_, clients) = api_get(&sb, &format!("/clients?limit=100&team={team}"));
    let doomed = clients["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .next()
        .unwrap();
    let (_, got) = api_get(&sb, &format!("/clients/{doomed}?team={team}"));
    let rfc = got["data"]["tax_id"]
        .as_str()
        .or(got["data"]["rfc"].as_str())
        .expect("the client's RFC")
        .to_string();
    s.press("2");
    s.wait_for("clients", |s| s.row(2).contains("Clients"));
    let shown = filtered_row(&mut s, &rfc);
    assert!(shown.contains(&rfc));
    let (status, body) = api_send(
        &sb,
        "DELETE",
        &format!("/clients/{doomed}?team={team}"),
        None,
    );
    assert!(status == 200 || status == 204, "{status} {body}");
    s.press(":refresh all\r");
    s.wait_for("the team read again", |s| {
        s.contents().contains("Reading the whole team again")
    });
    s.wait_for("the client gone", |s| {
        !s.row(4).contains(&rfc) && s.row(2).contains("Clients 0 of")
    });
    s.press("q");
    assert!(s.wait_exit().success());
    s.assert_restored();
}

#[test]
fn an_owed_complement_is_issued_from_the_keyboard_and_leaves_the_list() {
    let sb = sandbox_process(&[]);
    let cache = tempfile::tempdir().unwrap();
    let mut s = Session::start_with(
        &[],
        &[
            ("GIGSTACK_API_KEY", sb.admin_key.clone()),
            ("GIGSTACK_API_BASE_URL", sb.base.clone()),
            ("XDG_CACHE_HOME", cache.path().display().to_string()),
        ],
    );
    s.wait_for("the Group tab", |s| s.contents().contains(" loaded) "));
    let (team, name) = api_teams(&sb)
        .into_iter()
        .find(|(_, n)| n.ends_with("Polanco"))
        .expect("a Polanco branch");
    open_group_row(&mut s, &name);
    s.press(":complements\r");
    let count = |s: &Session| -> Option<usize> {
        let c = s.contents();
        let at = c.find("Payment complements owed of")?;
        let rest = &c[at..];
        let open = rest.find("» (")? + "» (".len();
        rest[open..].split(')').next()?.parse().ok()
    };
    s.wait_for("the owed complements", |s| count(s).is_some_and(|n| n > 0));
    let before = count(&s).unwrap();
    let first = s.row(4);
    let folio = first
        .split_whitespace()
        .find(|w| w.starts_with("B-"))
        .expect("a PPD folio")
        .to_string();
    // Enter opens the complement; Enter through amount, form and date; y; Enter sends.
    s.press("\r");
    s.wait_for("the dialog", |s| {
        s.contents().contains("Issue payment complement")
    });
    let ppd_uuid = s
        .contents()
        .lines()
        .find(|l| l.contains("PPD invoice"))
        .and_then(|l| {
            l.split_whitespace()
                .find(|w| w.len() == 36 && w.matches('-').count() == 4)
                .map(String::from)
        })
        .expect("the dialog names the PPD invoice");
    s.press("\r\r\r");
    s.press("y");
    s.press("\r");
    s.wait_for("the answer", |s| s.contents().contains("issued in «"));
    s.wait_for("the list read again", |s| count(s) == Some(before - 1));

    // The sandbox has a new type-P invoice related to that PPD invoice.
    let (_, complements) = api_get(
        &sb,
        &format!("/invoices/payment?limit=100&team={team}&invoice_id={ppd_uuid}"),
    );
    let related: Vec<&serde_json::Value> = complements["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| {
            p["related_documents"][0]["documents"]
                .as_array()
                .is_some_and(|d| d.iter().any(|u| u.as_str() == Some(ppd_uuid.as_str())))
        })
        .collect();
    assert!(!related.is_empty(), "{complements}");
    let newest = related
        .iter()
        .max_by_key(|p| p["created_at"].as_i64().unwrap_or(0))
        .unwrap();
    assert_eq!(newest["invoice_type"], "P");
    let (_, ppd) = api_get(&sb, &format!("/invoices/income/{ppd_uuid}?team={team}"));
    assert_eq!(
        ppd["data"]["payment_complements"].as_u64().unwrap() as usize,
        related.len(),
        "{folio}"
    );
    // The audit log has the write, sent and answered.
    let audit = s.audit_lines();
    assert!(
        audit
            .iter()
            .any(|l| l["action"] == "issue_complement" && l["phase"] == "answered"),
        "{audit:?}"
    );
    s.press("\x1b");
    // Esc and q apart (together they read as Alt-q): q only once Esc closed the list.
    s.wait_for("the list closed", |s| {
        !s.contents().contains("Payment complements owed of")
    });
    s.press("q");
    assert!(s.wait_exit().success());
    s.assert_restored();
}

#[test]
fn stamping_a_clients_pending_receipts_says_the_counts_the_sandbox_returned() {
    let sb = sandbox_process(&[]);
    let cache = tempfile::tempdir().unwrap();
    // A client with pending receipts, in some team.
    let (team, team_name, client) = api_teams(&sb)
        .into_iter()
        .find_map(|(id, name)| {
            let (_, r) = api_get(
                &sb,
                &format!("/receipts?limit=100&status=pending&team={id}"),
            );
            let c = r["data"]
                .as_array()?
                .iter()
                .find_map(|x| x["client"]["id"].as_str().map(String::from))?;
            Some((id, name, c))
        })
        .expect("a team with pending receipts");
    let pending = |sb: &SandboxProcess| -> usize {
        let (_, r) = api_get(
            sb,
            &format!("/receipts?limit=100&status=pending&team={team}&client_id={client}"),
        );
        r["data"].as_array().unwrap().len()
    };
    let before = pending(&sb);
    let (_, c) = api_get(&sb, &format!("/clients/{client}?team={team}"));
    let rfc = c["data"]["tax_id"].as_str().unwrap().to_string();
    let mut s = Session::start_with(
        &[],
        &[
            ("GIGSTACK_API_KEY", sb.admin_key.clone()),
            ("GIGSTACK_API_BASE_URL", sb.base.clone()),
            ("XDG_CACHE_HOME", cache.path().display().to_string()),
        ],
    );
    s.wait_for("the Group tab", |s| s.contents().contains(" loaded) "));
    open_group_row(&mut s, &team_name);
    s.press("2");
    s.wait_for("clients", |s| s.row(2).contains("Clients"));
    filtered_row(&mut s, &rfc);
    s.press(":stamp-receipts\r");
    s.wait_for("the dialog", |s| {
        s.contents().contains("Stamp the client's pending receipts")
    });
    s.press("y");
    s.press("\r");
    s.wait_for("the counts", |s| s.contents().contains("still pending."));
    let line = s
        .contents()
        .lines()
        .find(|l| l.contains("still pending."))
        .unwrap()
        .to_string();
    let nums: Vec<usize> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|w| w.parse().ok())
        .collect();
    let (stamped, failed, left) = (nums[0], nums[1], nums[2]);
    assert_eq!(stamped + failed, before, "{line}");
    assert_eq!(left, pending(&sb), "{line}");
    // The Receipts tab, read again: this client's pending rows are the ones left.
    let (_, r) = api_get(
        &sb,
        &format!("/receipts?limit=100&team={team}&client_id={client}"),
    );
    let client_name = r["data"][0]["client"]["name"].as_str().unwrap().to_string();
    s.press("5");
    s.wait_for("receipts", |s| s.row(2).contains("Receipts"));
    s.press("/");
    s.press(&client_name);
    s.press("\r");
    // The Client column may cut a long name at its end: its first words tell the rows.
    let shown: String = client_name.chars().take(12).collect();
    let client_name = shown.trim_end().to_string();
    let pending_rows = |s: &Session| {
        (4..38)
            .map(|r| s.row(r))
            .filter(|l| l.contains(&client_name) && l.contains(" pending "))
            .count()
    };
    s.wait_for("the stamped rows", |s| {
        s.row(4).contains(&client_name) && pending_rows(s) == left
    });
    let invoiced = (4..38)
        .map(|r| s.row(r))
        .filter(|l| l.contains(&client_name) && l.contains(" invoiced "))
        .count();
    assert!(invoiced >= stamped, "{}", s.contents());
    assert!(
        s.audit_lines()
            .iter()
            .any(|l| l["action"] == "stamp_pending_receipts" && l["phase"] == "answered")
    );
    s.press("q");
    assert!(s.wait_exit().success());
    s.assert_restored();
}

/// The selection's place in the table, from its title: "Payments 12 of 3,533 …" → 12.
fn selected_position(s: &Session) -> Option<usize> {
    let title = s.row(2);
    let (_, rest) = title.split_once("Payments ")?;
    rest.split(" of ").next()?.trim().parse().ok()
}

/// The screen line the selection is drawn on (reversed, from the first column).
fn selected_screen_row(s: &Session) -> Option<u16> {
    let p = s.screen.lock().unwrap();
    (4..38).find(|r| p.screen().cell(*r, 0).is_some_and(|c| c.inverse()))
}

/// The payment id a table line shows (the Id column).
fn payment_id(line: &str) -> Option<&str> {
    line.split_whitespace().find(|w| w.starts_with("payment_"))
}

/// The screen line that shows payment `id`, if it is on screen.
fn line_of(s: &Session, id: &str) -> Option<String> {
    (4..38)
        .map(|r| s.row(r))
        .find(|l| payment_id(l) == Some(id))
}

/// Whether the dialog's button `label` is the chosen one (drawn reversed).
fn button_chosen(s: &Session, label: &str) -> bool {
    let p = s.screen.lock().unwrap();
    let screen = p.screen();
    screen.rows(0, 120).enumerate().any(|(r, line)| {
        line.contains("Yes, mark payment paid")
            && line.find(label).is_some_and(|byte| {
                let col = line[..byte].chars().count() as u16;
                screen.cell(r as u16, col).is_some_and(|c| c.inverse())
            })
    })
}

/// A payment's team (id, name), looked up in every team of the key.
fn payment_team(sb: &SandboxProcess, id: &str) -> Option<(String, String)> {
    api_teams(sb)
        .into_iter()
        .find(|(team, _)| api_get(sb, &format!("/payments/{id}?team={team}")).0 == 200)
}

#[test]
fn bulk_mark_paid_of_three_teams_in_the_all_teams_table_shows_the_new_status_and_no_marks() {
    let sb = sandbox_process(&["--teams", "8"]);
    let mut s = Session::start_with(
        &[],
        &[
            ("GIGSTACK_API_KEY", sb.admin_key.clone()),
            ("GIGSTACK_API_BASE_URL", sb.base.clone()),
        ],
    );
    s.wait_for_within("every team loaded", 60, |s| {
        s.contents().contains("8 teams (8 / 8 loaded)")
    });
    s.press("4");
    s.wait_for("the Payments tab", |s| s.title_says("Payments"));
    s.press("a");
    // One bound for the rows to arrive and the table to settle.
    let settled_by = Instant::now() + Duration::from_secs(90);
    // Every team's rows in, fresh from gigstack (not the store's), nothing loading.
    s.wait_for_within("the all-teams payments", 60, |s| {
        let header = s.row(0);
        header.contains("ALL TEAMS 8/8")
            && !header.contains("as of")
            && !header.contains("loading")
            && table_rows(s).len() > 30
    });
    // Rows of one minute change places when a team's rows are put again, and the
    // selection follows its row: the hunt starts once the table has stopped changing.
    // No screen predicate says that: the header's count reaches 8/8 with each team's
    // first rows and stays there when a team's rows are put again, and the selected row
    // keeps its id. So a quiet window (no output for 700 ms), within the bound above;
    // the hunt below still checks each pick by its id before marking it.
    s.wait_quiet_until(
        "the all-teams table to stop changing",
        Duration::from_millis(700),
        settled_by,
    );
    s.press("g");
    s.wait_for("the first row selected", |s| {
        selected_position(s) == Some(1) && selected_screen_row(s) == Some(4)
    });

    // Three pending rows of three teams on one screen (the Team column comes first, cut
    // to 14 cells: distinct cuts are distinct teams). Not the last line, so that Space,
    // which moves down one, never scrolls the first pick away.
    let mut picks: Vec<(usize, String)> = Vec::new();
    for page in 0..40 {
        if page > 0 {
            let first = s.row(4);
            s.press("\x1b[6~");
            s.wait_for("the next page", |s| s.row(4) != first);
            s.wait_for("the selection drawn", |s| {
                selected_position(s).is_some() && selected_screen_row(s).is_some()
            });
        }
        let (at, line) = (
            selected_position(&s).unwrap(),
            selected_screen_row(&s).unwrap(),
        );
        let top = at - (line - 4) as usize;
        let lines: Vec<String> = (4..38).map(|r| s.row(r)).collect();
        let last = lines
            .iter()
            .rposition(|l| payment_id(l).is_some())
            .unwrap_or(0);
        let mut teams = std::collections::BTreeSet::new();
        picks.clear();
        for (i, l) in lines.iter().enumerate().take(last) {
            let team: String = l.chars().take(14).collect();
            if l.contains(" pending ") && teams.insert(team) {
                picks.push((top + i, payment_id(l).unwrap().to_string()));
            }
        }
        if picks.len() >= 3 {
            break;
        }
    }
    picks.truncate(3);
    assert_eq!(
        picks.len(),
        3,
        "no screen with pending rows of three teams in 40 pages:\n{}",
        s.contents()
    );
    let ids: Vec<String> = picks.iter().map(|(_, id)| id.clone()).collect();

    // Onto each with j / k, then Space; the row shows the mark and the title counts it.
    for (n, (pos, id)) in picks.iter().enumerate() {
        let at = selected_position(&s).unwrap();
        let key = if *pos > at { "j" } else { "k" };
        s.press(&key.repeat(pos.abs_diff(at)));
        s.wait_for(&format!("{id} selected"), |s| {
            selected_position(s) == Some(*pos)
                && selected_screen_row(s).is_some_and(|r| payment_id(&s.row(r)) == Some(id))
        });
        s.press(" ");
        let marked = format!(" {} marked", n + 1);
        s.wait_for(&format!("{id} marked"), |s| {
            s.title_says(&marked) && line_of(s, id).is_some_and(|l| l.starts_with("● "))
        });
    }
    for id in &ids {
        let line = line_of(&s, id).expect("every marked row on screen");
        assert!(line.contains(" pending "), "{line}");
    }

    // The three teams, as the sandbox knows them.
    let teams: Vec<(String, String)> = ids
        .iter()
        .map(|id| payment_team(&sb, id).unwrap_or_else(|| panic!("{id} in no team")))
        .collect();
    let distinct: std::collections::BTreeSet<&String> = teams.iter().map(|(t, _)| t).collect();
    assert_eq!(distinct.len(), 3, "three different teams: {teams:?}");
    let (writes_before, _) = sandbox_stats(&sb);

    // One confirmation naming each team; the role check ends before anything is chosen.
    s.press("p");
    s.wait_for("the bulk dialog", |s| {
        s.contents().contains("Mark payment paid") && s.contents().contains("3 marked rows")
    });
    for (_, name) in &teams {
        let listed = format!("{name}: ");
        assert!(
            s.contents().contains(&listed),
            "{name} listed:\n{}",
            s.contents()
        );
    }
    s.wait_for("the role check", |s| {
        s.contents().contains("Mark payment paid") && !s.contents().contains("Checking your role")
    });
    assert!(
        !s.contents().contains("left out") && !s.contents().contains("could not be checked"),
        "the admin may mark paid in every team:\n{}",
        s.contents()
    );
    s.press("\t\t");
    s.wait_for("the Yes/No row focused", |s| {
        s.contents().contains("›  No ")
    });
    assert!(button_chosen(&s, " No "), "the dialog starts on No");
    s.press("y");
    s.wait_for("Yes chosen", |s| {
        button_chosen(s, " Yes, mark payment paid ")
    });
    s.press("\r");

    // The frame that says the run finished shows the rows paid and nothing marked.
    s.wait_for("the bulk finished", |s| {
        s.contents().contains("3 of 3 done")
    });
    s.wait_for_within("the rows paid and unmarked", 5, |s| {
        ids.iter().all(|id| {
            line_of(s, id).is_some_and(|l| l.contains(" succeeded ") && !l.contains("pending"))
        }) && !s.contents().contains('●')
            && !s.row(2).contains("marked")
    });
    let screen = s.contents();
    let status = screen.lines().find(|l| l.contains("3 of 3 done")).unwrap();
    assert!(
        status.contains("Mark payment paid") && !status.contains("failed"),
        "{status}"
    );
    // The summary goes team by team in name order; the line is cut at the terminal's
    // width, so only the first team is sure to be whole.
    let first = teams.iter().map(|(_, name)| name).min().unwrap();
    assert!(status.contains(&format!("«{first}» 1 done")), "{status}");

    // The sandbox has them paid, and nothing else written.
    let (writes_after, _) = sandbox_stats(&sb);
    assert_eq!(
        writes_after - writes_before,
        3,
        "exactly those payments changed"
    );
    for (id, (team, _)) in ids.iter().zip(&teams) {
        let (status, v) = api_get(&sb, &format!("/payments/{id}?team={team}"));
        assert_eq!(status, 200, "{v}");
        assert_eq!(v["data"]["status"], "succeeded", "{id}: {v}");
    }
    let audit = s.audit_lines();
    for id in &ids {
        assert!(
            audit.iter().any(|l| l["object_id"] == id.as_str()
                && l["action"] == "mark_paid"
                && l["phase"] == "answered"),
            "{id}: {audit:?}"
        );
    }
    s.press("q");
    assert!(s.wait_exit().success());
    s.assert_restored();
}

/// The lines of the screen drawn in QR half blocks, read back as a phone camera would.
fn qr_on_screen(s: &Session) -> Option<String> {
    let qr = |c: char| "█▀▄ ".contains(c);
    let lines: Vec<String> = s
        .contents()
        .lines()
        .filter_map(|l| {
            let start = l.find('█')?;
            let run: String = l[start..].chars().take_while(|c| qr(*c)).collect();
            let run = run.trim_end().to_string();
            (run.chars().count() >= 20).then_some(run)
        })
        .collect();
    if lines.len() < 10 {
        return None;
    }
    let (scale, w) = (4, lines.iter().map(|l| l.chars().count()).max()?);
    let h = lines.len() * 2;
    let px = |x: usize, y: usize| -> bool {
        let c = lines[y / 2].chars().nth(x).unwrap_or('█');
        matches!((c, y % 2), ('█', _) | ('▀', 0) | ('▄', 1))
    };
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(w * scale, h * scale, |x, y| {
        if px(x / scale, y / scale) { 255 } else { 0 }
    });
    let grids = img.detect_grids();
    grids.first()?.decode().ok().map(|(_, text)| text)
}

/// Types `text` after clearing the focused field (Ctrl-U).
fn retype(s: &mut Session, text: &str) {
    s.press("\x15");
    s.press(text);
}

#[test]
fn a_payment_link_through_connect_totals_as_previewed_and_shows_its_qr_code() {
    let port = free_port();
    let mut s = Session::start_with(&["--demo"], &[("GIGDASH_SANDBOX_PORT", port.to_string())]);
    let (_, keys) = gigdash::sandbox::build_store(&gigdash::sandbox::SandboxConfig::default());
    let key = keys[0].key.clone();
    s.wait_for("the overview", |s| s.contents().contains("Invoiced"));
    // A branch reached through Connect, on its Payments tab.
    s.press("]");
    s.press("4");
    s.wait_for("the payments", |s| {
        s.contents().contains("Payments 1 of") && !s.row(0).contains("loading")
    });
    s.press("n");
    s.wait_for("the form with the team's clients", |s| {
        let c = s.contents();
        c.contains("Request a payment in «")
            && c.contains("(via Connect)")
            && !c.contains("Reading the team")
    });
    // Client: the first of the picker. Items: two lines.
    s.press("\t+\x1b[A\t");
    s.press("\t");
    retype(&mut s, "Consultoria");
    s.press("\t");
    retype(&mut s, "2");
    s.press("\t");
    retype(&mut s, "500");
    s.press("\t\t\t\t\t");
    retype(&mut s, "Libro");
    s.press("\t\t");
    retype(&mut s, "300");
    s.press("\t");
    s.press("exento");
    s.wait_for("the preview of both items", |s| {
        s.contents().contains("Total $1,460.00")
    });
    let preview = s
        .contents()
        .lines()
        .find(|l| l.contains("Preview"))
        .unwrap()
        .to_string();
    assert!(preview.contains("Subtotal $1,300.00"), "{preview}");
    assert!(preview.contains("taxes $160.00"), "{preview}");
    // To the confirm row: the second item's keys, currency, methods, automation, e-mails.
    s.press("\t\t\t\t\t\t\t");
    s.wait_for("the focus on the confirm row", |s| {
        s.contents().contains("  ›  No ")
    });
    s.press("y\r");
    s.wait_for("the link and its QR code", |s| {
        s.contents()
            .contains("Payment link for $1,460.00 MXN created")
    });
    let screen = s.contents();
    let link = screen
        .split_whitespace()
        .find(|w| w.starts_with("https://pay.gigstack.io/p/"))
        .unwrap_or_else(|| panic!("no link on screen:\n{screen}"))
        .to_string();
    assert_eq!(
        qr_on_screen(&s).as_deref(),
        Some(link.as_str()),
        "the QR code reads as the link:\n{screen}"
    );
    let copied = s.raw.lock().unwrap().len();
    s.press("y");
    s.wait_for("the link copied", |s| {
        copied_since(s, copied).contains(&link)
    });

    // On the server: the payment of that link, with the preview's figures.
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let team_line = screen
        .lines()
        .find(|l| l.contains("Request a payment") || l.contains("Payment link"))
        .unwrap_or_default()
        .to_string();
    rt.block_on(async {
        let http = common::http();
        let base = format!("http://127.0.0.1:{port}/v2");
        let (_, teams) = common::http_json(
            http.get(format!("{base}/teams?limit=100"))
                .bearer_auth(&key),
        )
        .await;
        let mut found = None;
        for t in teams["data"].as_array().unwrap() {
            let id = t["id"].as_str().unwrap();
            let (_, pays) = common::http_json(
                http.get(format!("{base}/payments?limit=100&team={id}"))
                    .bearer_auth(&key),
            )
            .await;
            if let Some(p) = pays["data"]
                .as_array()
                .and_then(|a| a.iter().find(|p| p["short_url"] == link.as_str()))
            {
                found = Some((id.to_string(), p.clone()));
            }
        }
        let (in_team, p) = found.unwrap_or_else(|| panic!("no payment with {link} ({team_line})"));
        assert_ne!(
            in_team, keys[0].team,
            "created in the branch reached through Connect, not the key's own team"
        );
        assert_eq!(p["total"].as_f64(), Some(1460.0), "{p}");
        assert_eq!(p["subtotal"].as_f64(), Some(1300.0), "{p}");
        let items = p["items"].as_array().unwrap();
        assert_eq!(items.len(), 2, "{p}");
        assert_eq!(items[1]["taxes"][0]["factor"], "Exento", "{p}");
    });
    s.press("\x1b");
    s.wait_for("the popup closed", |s| {
        !s.contents().contains("y copies it")
    });
    s.press("q");
    assert!(s.wait_exit().success());
    s.assert_restored();
}

/// A GET on the demo sandbox with the demo key: the JSON body.
fn demo_get(port: u16, key: &str, path: &str) -> serde_json::Value {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let http = common::http();
        common::http_json(
            http.get(format!("http://127.0.0.1:{port}/v2{path}"))
                .bearer_auth(key),
        )
        .await
        .1
    })
}

/// The id of the team the header names (the demo key lists every team).
fn current_team_id(s: &Session, port: u16, key: &str) -> String {
    let header = s.row(0);
    let teams = demo_get(port, key, "/teams?limit=100");
    teams["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| header.contains(t["name"].as_str().unwrap_or("\u{0}")))
        .max_by_key(|t| t["name"].as_str().unwrap_or("").len())
        .and_then(|t| t["id"].as_str())
        .unwrap_or_else(|| panic!("no team named in {header}"))
        .to_string()
}

/// Runs a `:` command.
fn command(s: &mut Session, text: &str) {
    s.press(":");
    s.wait_for("the palette", |s| s.contents().contains("Enter run"));
    s.press(text);
    s.press("\r");
}

/// Presses Tab until the form's confirm row has the cursor (at most `n` times).
fn tab_to_confirm(s: &mut Session, n: usize) {
    for _ in 0..n {
        if s.contents().contains("  ›  No ") {
            return;
        }
        let before = s.contents();
        s.press("\t");
        s.wait_for("the cursor to move", |s| s.contents() != before);
    }
    s.wait_for("the focus on the confirm row", |s| {
        s.contents().contains("  ›  No ")
    });
}

#[test]
fn an_invoice_drafted_previewed_stamped_and_credited_totals_as_previewed() {
    let port = free_port();
    let mut s = Session::start_with(&["--demo"], &[("GIGDASH_SANDBOX_PORT", port.to_string())]);
    let (_, keys) = gigdash::sandbox::build_store(&gigdash::sandbox::SandboxConfig::default());
    let key = keys[0].key.clone();
    s.wait_for("the overview", |s| s.contents().contains("Invoiced"));
    s.press("1");
    s.wait_for("one team's overview", |s| !s.row(0).contains("Group ·"));
    let team = current_team_id(&s, port, &key);
    // A client whose regime takes G03: found by the API, picked by its RFC.
    let clients = demo_get(port, &key, &format!("/clients?limit=100&team={team}"));
    let client = clients["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["tax_system"] == "601" && c["tax_id"].as_str().is_some_and(|r| r.len() == 12))
        .expect("a company client")
        .clone();
    let rfc = client["tax_id"].as_str().unwrap().to_string();

    s.press("3");
    s.wait_for("the invoices", loaded);
    s.press("n");
    s.wait_for("the invoice form with the team's clients", |s| {
        let c = s.contents();
        c.contains("Invoice draft in «") && !c.contains("Reading the team")
    });
    s.press(&rfc);
    s.press("\t\t\t");
    retype(&mut s, "Servicio contable");
    s.press("\t");
    retype(&mut s, "3");
    s.press("\t");
    retype(&mut s, "1,000.50");
    s.wait_for("the preview", |s| s.contents().contains("Total $3,481.74"));
    tab_to_confirm(&mut s, 14);
    s.press("y\r");
    s.wait_for("the draft's preview", |s| {
        s.contents().contains("s stamp · e edit")
    });
    let screen = s.contents();
    assert!(
        screen.contains("IVA 16%  $480.24"),
        "every tax line:\n{screen}"
    );
    assert!(screen.contains("Total  $3,481.74"), "the total:\n{screen}");
    assert!(!screen.contains("differ from the preview"), "{screen}");
    // Kept as a draft, and resumed from the list.
    s.press("\x1b");
    s.wait_for("the preview closed", |s| {
        !s.contents().contains("s stamp · e edit")
    });
    command(&mut s, "drafts");
    s.wait_for("the drafts with this one", |s| {
        let c = s.contents();
        c.contains("Invoice drafts — «") && c.contains("$3,481.74") && c.contains("IVA 16%")
    });
    s.press("\r");
    s.wait_for("the stamp confirmation", |s| {
        s.contents().contains("Stamp invoice draft")
    });
    s.press("y\r");
    s.wait_for("the stamped invoice", |s| {
        s.contents().contains("stamped in «")
    });
    let status = s.contents();
    let folio_line = status
        .lines()
        .find(|l| l.contains("stamped in «"))
        .unwrap()
        .to_string();

    // On the server: the newest income invoice of the client, with the preview's figures.
    let invs = demo_get(
        port,
        &key,
        &format!("/invoices/income?limit=100&team={team}"),
    );
    let inv = invs["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["client"]["tax_id"] == rfc.as_str())
        .max_by_key(|i| i["created_at"].as_i64().unwrap_or(0))
        .unwrap_or_else(|| panic!("no invoice for {rfc} ({folio_line})"))
        .clone();
    assert_eq!(inv["total"].as_f64(), Some(3481.74), "{inv}");
    assert_eq!(inv["subtotal"].as_f64(), Some(3001.5), "{inv}");
    let uuid = inv["uuid"].as_str().unwrap().to_string();

    // A credit note for part of it, from the Invoices tab.
    s.wait_for("the invoice in the table", |s| {
        table_rows(s).iter().any(|r| r.contains("$3,481.74"))
    });
    select_row(&mut s, &["$3,481.74"]);
    command(&mut s, "credit-note");
    s.wait_for("the credit note form", |s| {
        let c = s.contents();
        c.contains("Credit note in «") && !c.contains("Reading the team")
    });
    retype(&mut s, "1160");
    tab_to_confirm(&mut s, 5);
    s.press("y\r");
    s.wait_for("the credit note", |s| {
        s.contents().contains("Credit note ") && s.contents().contains("issued in «")
    });
    let egress = demo_get(
        port,
        &key,
        &format!("/invoices/egress?limit=100&team={team}"),
    );
    let note = egress["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| {
            e["related_documents"].as_array().is_some_and(|r| {
                r.iter()
                    .any(|d| d["relationship"] == "01" && d["documents"][0] == uuid.as_str())
            })
        })
        .unwrap_or_else(|| panic!("no credit note related 01 to {uuid}: {egress}"))
        .clone();
    assert_eq!(note["total"].as_f64(), Some(1160.0), "{note}");
    assert_eq!(note["invoice_type"], "E", "{note}");
    s.press("q");
    assert!(s.wait_exit().success());
    s.assert_restored();
}

#[test]
fn a_cash_payment_registered_with_its_invoice_and_a_new_client_checked_by_sat() {
    let port = free_port();
    let mut s = Session::start_with(&["--demo"], &[("GIGDASH_SANDBOX_PORT", port.to_string())]);
    let (_, keys) = gigdash::sandbox::build_store(&gigdash::sandbox::SandboxConfig::default());
    let key = keys[0].key.clone();
    s.wait_for("the overview", |s| s.contents().contains("Invoiced"));
    s.press("1");
    s.wait_for("one team's overview", |s| !s.row(0).contains("Group ·"));
    let team = current_team_id(&s, port, &key);
    s.press("4");
    s.wait_for("the payments", |s| {
        s.contents().contains("Payments 1 of") && !s.row(0).contains("loading")
    });
    command(&mut s, "register");
    s.wait_for("the register form", |s| {
        let c = s.contents();
        c.contains("Register a payment in «") && !c.contains("Reading the team")
    });
    s.press("\t\t\t");
    retype(&mut s, "Mostrador");
    s.press("\t\t");
    retype(&mut s, "580");
    s.wait_for("the preview", |s| s.contents().contains("Total $672.80"));
    let form_line = s.contents();
    assert!(
        form_line.contains("Payment form") && form_line.contains("01 Efectivo"),
        "{form_line}"
    );
    tab_to_confirm(&mut s, 12);
    s.press("y\r");
    s.wait_for("the registered payment", |s| {
        s.contents().contains("Payment of $672.80 MXN registered")
    });
    let shown = s.contents();
    assert!(
        shown.contains("Invoice "),
        "its invoice is offered:\n{shown}"
    );
    let pays = demo_get(port, &key, &format!("/payments?limit=100&team={team}"));
    let p = pays["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["total"].as_f64() == Some(672.8) && p["automation_type"] == "pue_invoice")
        .unwrap_or_else(|| panic!("no registered payment: {pays}"))
        .clone();
    assert_eq!(p["status"], "succeeded", "{p}");
    assert_eq!(p["payment_form"], "01", "{p}");
    // Enter opens its invoice in the Invoices tab.
    s.press("\r");
    s.wait_for("the invoice opened", |s| s.title_says("Invoices"));
    s.wait_for("the invoice found", |s| s.contents().contains("$672.80"));

    // A new client: SAT's answer is shown.
    s.press("2");
    s.wait_for("the clients", |s| {
        s.title_says("Clients") && !s.row(0).contains("loading")
    });
    s.press("n");
    s.wait_for("the client form", |s| {
        let c = s.contents();
        c.contains("New client in «") && !c.contains("Reading the team")
    });
    s.press("Ferretería El Clavo");
    s.press("\t");
    s.press("Ferreteria El Clavo");
    s.press("\t");
    s.press("EKU9003173C8");
    tab_to_confirm(&mut s, 8);
    s.press("y\r");
    s.wait_for("the RFC refused before sending", |s| {
        s.contents().contains("check digit")
    });
    s.press("\x7f");
    s.press("9");
    s.press("\t\t");
    s.press("03100");
    tab_to_confirm(&mut s, 8);
    s.press("y\r");
    s.wait_for("the new client and SAT's answer", |s| {
        s.contents()
            .contains("SAT's check: the fiscal data is valid")
    });
    let clients = demo_get(port, &key, &format!("/clients?limit=100&team={team}"));
    assert!(
        clients["data"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["tax_id"] == "EKU9003173C9"),
        "the client is on the server"
    );
    s.press("\x1b");
    s.wait_for("the popup closed", |s| !s.contents().contains("Esc close"));
    s.press("q");
    assert!(s.wait_exit().success());
    s.assert_restored();
}

/// A pending MXN payment of `team` and its total, if the team has one.
fn pending_mxn_payment(sb: &SandboxProcess, team: &str) -> Option<(String, rust_decimal::Decimal)> {
    let (_, v) = api_get(
        sb,
        &format!("/payments?limit=100&status=pending&team={team}"),
    );
    v["data"].as_array()?.iter().find_map(|p| {
        (p["currency"] == "MXN").then(|| {
            (
                p["id"].as_str().unwrap().to_string(),
                p["total"].to_string().trim_matches('"').parse().unwrap(),
            )
        })
    })
}

#[test]
fn since_you_last_looked_the_header_names_the_teams_that_changed_and_c_shows_what() {
    // Cancellations asked long ago stay waiting: nothing settles on its own between the
    // sessions, so every change on the screen is one this test made.
    let sb = sandbox_process(&[
        "--teams",
        "48",
        "--scale",
        "1000",
        "--rate-limit",
        "20",
        "--cancel-accept-secs",
        "86400",
    ]);
    let cache = tempfile::tempdir().unwrap();
    let env = [
        ("GIGSTACK_API_KEY", sb.admin_key.clone()),
        ("GIGSTACK_API_BASE_URL", sb.base.clone()),
        ("XDG_CACHE_HOME", cache.path().display().to_string()),
    ];
    // A session: the Group tab reads every team into the store; quit.
    let mut s = Session::start_with(&[], &env);
    s.wait_for_within("every team loaded", 120, |s| {
        s.contents().contains("48 teams (48 / 48 loaded)")
    });
    s.press("q");
    assert!(s.wait_exit().success());

    // Meanwhile, through the API: a payment paid in each of two teams, an invoice cancelled
    // in a third.
    let teams = api_teams(&sb);
    let mut paid: Vec<(String, String, rust_decimal::Decimal)> = Vec::new();
    for (id, name) in &teams {
        if paid.len() == 2 {
            break;
        }
        let Some((pay, total)) = pending_mxn_payment(&sb, id) else {
            continue;
        };
        let (status, body) = api_send(
            &sb,
            "POST",
            &format!("/payments/{pay}/paid?team={id}"),
            Some(serde_json::json!({ "payment_form": "03" })),
        );
        assert_eq!(status, 200, "{body}");
        paid.push((name.clone(), pay, total));
    }
    assert_eq!(paid.len(), 2, "two teams with a pending MXN payment");
    let mut cancelled = None;
    for (id, name) in &teams {
        if paid.iter().any(|(n, _, _)| n == name) {
            continue;
        }
        let (_, v) = api_get(
            &sb,
            &format!("/invoices/income?limit=100&status=valid&team={id}"),
        );
        let small = v["data"].as_array().and_then(|a| {
            a.iter()
                .find(|i| {
                    i["total"].as_f64().is_some_and(|t| t < 1000.0)
                        && i["payment_method"] == "PUE"
                        && i["currency"] == "MXN"
                })
                .cloned()
        });
        if let Some(i) = small {
            let uuid = i["uuid"].as_str().unwrap().to_string();
            let (status, body) = api_send(
                &sb,
                "DELETE",
                &format!("/invoices/{uuid}?team={id}"),
                Some(serde_json::json!({ "motive": "02" })),
            );
            assert_eq!(status, 200, "{body}");
            assert_eq!(body["data"]["status"], "canceled", "{body}");
            cancelled = Some(name.clone());
            break;
        }
    }
    let cancelled = cancelled.expect("a third team with a valid PUE invoice under $1,000");
    // And a complement gone late, in a fourth team that issues its complements by hand: its
    // PPD payment marked paid with the sandbox's clock 40 days back (paid before last
    // month's 5th: its complement is already past its deadline when it is first seen).
    let mut late = None;
    for (id, name) in &teams {
        if paid.iter().any(|(n, _, _)| n == name) || *name == cancelled {
            continue;
        }
        let (_, v) = api_get(
            &sb,
            &format!("/payments?limit=100&status=pending&team={id}"),
        );
        let Some(p) = v["data"].as_array().and_then(|a| {
            a.iter()
                .find(|p| {
                    p["automation_type"] == "ppd_invoice_and_complement" && p["currency"] == "MXN"
                })
                .cloned()
        }) else {
            continue;
        };
        let (status, body) = api_send(
            &sb,
            "PUT",
            &format!("/teams/{id}/settings"),
            Some(serde_json::json!({ "automate_complement_for_ppd_invoices": false })),
        );
        assert_eq!(status, 200, "{body}");
        sandbox_clock(&sb, serde_json::json!({ "offset_secs": -40 * 86_400 }));
        let pay = p["id"].as_str().unwrap().to_string();
        let (status, body) = api_send(
            &sb,
            "POST",
            &format!("/payments/{pay}/paid?team={id}"),
            Some(serde_json::json!({ "payment_form": "03" })),
        );
        sandbox_clock(&sb, serde_json::json!({ "now": null }));
        assert_eq!(status, 200, "{body}");
        let total: rust_decimal::Decimal =
            p["total"].to_string().trim_matches('"').parse().unwrap();
        late = Some((name.clone(), pay, total));
        break;
    }
    let late = late.expect("a fourth team with a pending PPD payment in pesos");

    // Again: once the Group load has read what changed, the header names how many teams.
    let mut s = Session::start_with(&[], &env);
    s.wait_for_within("every team loaded", 120, |s| {
        s.contents().contains("48 teams (48 / 48 loaded)")
    });
    // The stored figures show at once; the Group load then reads what changed from gigstack
    // (48 incremental reads under the rate limit), and the header counts the teams.
    s.wait_for_within("the header's count", 180, |s| {
        s.row(0).contains("4 teams changed since")
    });
    // `c`: the figures since the last session (the receipts about to expire counted as of
    // now).
    let asked_at = std::time::SystemTime::now();
    s.press("c");
    s.wait_for("the changes", |s| {
        s.contents().contains("changes since") && s.contents().contains("4 of 48 teams changed")
    });
    assert!(
        s.contents().contains("(your last session)"),
        "{}",
        s.contents()
    );
    // Each changed team's row, cell by cell: what this test did, and nothing else; the
    // receipts about to expire are the API's.
    let id_of = |name: &str| teams.iter().find(|(_, n)| n == name).unwrap().0.clone();
    let pesos = gigdash::app::data::changes::pesos;
    let mut expected: Vec<(String, Vec<(&str, String)>)> = paid
        .iter()
        .map(|(name, _, total)| {
            (
                name.clone(),
                vec![("Collected", format!("1 · {}", pesos(*total)))],
            )
        })
        .collect();
    expected.push((cancelled.clone(), vec![("Cancelled", "1".into())]));
    expected.push((
        late.0.clone(),
        vec![
            ("Collected", format!("1 · {}", pesos(late.2))),
            ("Late compl.", "1".into()),
        ],
    ));
    for (name, want) in &expected {
        let row = changes_row(&mut s, name);
        let expiring = expiring_receipts(&sb, &id_of(name), asked_at);
        for (title, cell) in changes_cells(&s, name, &row) {
            let mut should = want
                .iter()
                .find(|(t, _)| *t == title)
                .map(|(_, c)| c.clone())
                .unwrap_or_else(|| "·".into());
            if title == "Rcpts. ≤7d" {
                let Some(n) = expiring else { continue };
                should = if n == 0 { "·".into() } else { n.to_string() };
            }
            // A count may have its amount beside it, as the width allows.
            let same = cell == should
                || (!should.contains('·') && cell.starts_with(&format!("{should} · $")));
            assert!(
                same,
                "{name}, {title}: {should} expected; the row says {row}"
            );
        }
        clear_group_filter(&mut s);
    }
    // The cancelled invoice is in the Cancelled column (the 5th); the late complement's cell
    // (the 6th) lists its invoice, due last month.
    cell_lists(&mut s, &cancelled, 5, "Cancelled since", " invoice ");
    cell_lists(&mut s, &late.0, 6, "Late compl. since", " due ");
    // Enter on the Collected cell of the first paid team lists that payment; Enter on it
    // goes to it in its team.
    let (name, pay, _) = &paid[0];
    changes_row(&mut s, name);
    s.press("l");
    s.press("\r");
    // Its label read from the store on demand: the id alone (`payment_… …`) until it comes.
    s.wait_for("the cell's documents, labelled", |s| {
        s.contents().contains(&format!("{pay} · ")) && !s.contents().contains(&format!("{pay} …"))
    });
    assert!(s.contents().contains("Collected since"), "{}", s.contents());
    s.press("\r");
    // The team's Payments tab, its cursor on that payment: "Payments 6 of 70" and the
    // sixth row is it.
    s.wait_for("the payment selected in its team", |s| {
        let title = s.row(2);
        let n = title
            .split_once("Payments ")
            .and_then(|(_, r)| r.split_whitespace().next())
            .and_then(|n| n.parse::<u16>().ok());
        // Its row on screen, and the title's position is that row's (no scroll here: the
        // first window holds it, or the title and the row disagree).
        let at = (4..38u16).find(|r| s.row(*r).contains(pay.as_str()));
        s.row(0).contains(name.as_str()) && matches!((n, at), (Some(n), Some(r)) if r == 3 + n)
    });
    s.press("q");
    assert!(s.wait_exit().success());
    s.assert_restored();
}

/// Enter on team `name`'s cell `column` cells right of its name opens a list titled
/// `title` that shows `shows`; Esc closes it and the cursor and filter go back.
fn cell_lists(s: &mut Session, name: &str, column: usize, title: &str, shows: &str) {
    changes_row(s, name);
    for _ in 0..column {
        s.press("l");
    }
    s.press("\r");
    s.wait_for(title, |s| {
        s.contents().contains(title) && s.contents().contains(shows)
    });
    s.press("\x1b");
    s.wait_for("the list closed", |s| !s.contents().contains(title));
    for _ in 0..column {
        s.press("h");
    }
    s.wait_quiet(Duration::from_millis(200));
    clear_group_filter(s);
}

/// Sets the sandbox's clock (`PUT /_sandbox/clock`).
fn sandbox_clock(sb: &SandboxProcess, body: serde_json::Value) {
    sandbox_control(sb, "clock", Some(body));
}

/// How many of `team`'s open receipts the API says expire within 7 days of `from` — `None`
/// when one is on the week's edge between `from` and now (either answer is right).
fn expiring_receipts(
    sb: &SandboxProcess,
    team: &str,
    from: std::time::SystemTime,
) -> Option<usize> {
    let (status, v) = api_get(
        sb,
        &format!("/receipts?limit=100&status=pending&team={team}"),
    );
    assert_eq!(status, 200, "{v}");
    assert_ne!(v["has_more"], true, "one page holds a team's open receipts");
    let at = |t: std::time::SystemTime| {
        t.duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64
    };
    let count = |now: i64| {
        v["data"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| {
                let until = r["validUntil"].as_i64().unwrap();
                until > now && until <= now + 7 * 86_400
            })
            .count()
    };
    let (a, b) = (count(at(from)), count(at(std::time::SystemTime::now()) + 5));
    (a == b).then_some(a)
}

/// A row of the changes table, the team `name`'s, as (column title, cell): the cells read
/// under the header's titles (each right-aligned under its own), after the name.
fn changes_cells(s: &Session, name: &str, row: &str) -> Vec<(&'static str, String)> {
    use gigdash::app::data::changes::Column;
    let header: Vec<char> = s.row(3).chars().collect();
    let own = name.strip_prefix("Doña Lupe ").unwrap_or(name);
    assert!(row.starts_with(&format!("│{own} ")), "{row}");
    let row: Vec<char> = row.chars().collect();
    let find = |from: usize, title: &str| -> Option<usize> {
        let t: Vec<char> = title.chars().collect();
        (from..header.len().saturating_sub(t.len() - 1)).find(|i| header[*i..i + t.len()] == t[..])
    };
    let titles: Vec<&'static str> = Column::ALL
        .iter()
        .map(|c| c.title().get(gigdash::i18n::Lang::En))
        .collect();
    let mut out = Vec::new();
    let mut end = 1 + own.chars().count();
    for title in titles {
        let start =
            find(end, title).unwrap_or_else(|| panic!("«{title}» in the header: {}", s.row(3)));
        let stop = start + title.chars().count();
        let cell: String = row.get(end..stop).unwrap_or_default().iter().collect();
        out.push((title, cell.trim().to_string()));
        end = stop;
    }
    out
}

/// Esc clears the Group tab's filter; the next key waits for it (an Esc followed at once by
/// a key reads as Alt and that key).
fn clear_group_filter(s: &mut Session) {
    assert!(
        s.row(2).contains("filter «"),
        "a filter to clear: {}",
        s.row(2)
    );
    s.press("\x1b");
    s.wait_for("the filter cleared", |s| !s.row(2).contains("filter «"));
    s.wait_quiet(Duration::from_millis(200));
}

/// Filters the Group tab by `name` and returns the row of exactly that team (a filter by
/// words may keep others: "Coyoacán 3" also finds an RFC with a 3). The cursor is put on it.
fn changes_row(s: &mut Session, name: &str) -> String {
    s.press("/");
    s.press(name);
    s.press("\r");
    // The row shows the branch's own part of the name (the brand is the title's).
    let own = name.strip_prefix("Doña Lupe ").unwrap_or(name);
    let exact = format!("│{own} ");
    // The table narrows as the name is typed: the row is read once the filter is whole.
    // (The title may be too short to show the whole filter: the screen settles first.)
    s.wait_for(name, |s| {
        s.row(2).contains("filter «") && (4..38).any(|r| s.row(r).starts_with(&exact))
    });
    s.wait_quiet(Duration::from_millis(300));
    let at = (4..38)
        .find(|r| s.row(*r).starts_with(&exact))
        .unwrap_or_else(|| panic!("no row of {name}:\n{}", s.contents()));
    for _ in 4..at {
        s.press("j");
    }
    s.wait_quiet(Duration::from_millis(200));
    s.row(at)
}

/// Two dashboards and `gigdash sync` runs, one key on one host, for a minute against a
/// sandbox that answers 429 above 10 requests a second for the key: with the profile at 4 a
/// second each (burst 1), the shared budget keeps all three under the limit — the sandbox
/// serves not one 429 — the headers say the limit is shared, and each still gets its data
/// (every refresh loads all 12 teams again; every sync ends well).
#[test]
fn two_dashboards_and_a_sync_with_one_key_share_its_rate_limit_for_a_minute() {
    let sb = sandbox_process(&["--teams", "12", "--scale", "600", "--rate-limit", "10"]);
    let home = tempfile::tempdir().unwrap();
    let config = home.path().join("config");
    std::fs::create_dir_all(config.join("gigdash")).unwrap();
    std::fs::write(
        config.join("gigdash").join("config.toml"),
        "[profiles.default]\nrequests_per_second = 4\nburst = 1\n",
    )
    .unwrap();
    let env = [
        ("GIGSTACK_API_KEY", sb.admin_key.clone()),
        ("GIGSTACK_API_BASE_URL", sb.base.clone()),
        (
            "XDG_CACHE_HOME",
            home.path().join("cache").display().to_string(),
        ),
        ("XDG_CONFIG_HOME", config.display().to_string()),
    ];
    let loaded = |s: &Session| s.contents().contains("12 teams (12 / 12 loaded)");
    let mut a = Session::start_with(&[], &env);
    a.wait_for_within("the first dashboard's teams", 120, loaded);
    let mut b = Session::start_with(&[], &env);
    b.wait_for_within("the second dashboard's teams", 120, loaded);
    let sync = || {
        let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_gigdash"));
        c.arg("sync")
            .env("HOME", home.path())
            .env("LANG", "en_US.UTF-8")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        for (k, v) in &env {
            c.env(k, v);
        }
        c.spawn().unwrap()
    };
    let (_, requests_before) = sandbox_stats(&sb);
    let start = std::time::Instant::now();
    let mut syncs = 0;
    let mut shared_seen = false;
    let mut running = sync();
    while start.elapsed() < Duration::from_secs(60) {
        // A sync that ended is checked and another starts; one that does not end within two
        // minutes fails the test.
        if let Some(status) = running.try_wait().unwrap() {
            let out = running.wait_with_output().unwrap();
            assert!(
                status.success() && !String::from_utf8_lossy(&out.stderr).contains("not shared"),
                "{}\n{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            syncs += 1;
            running = sync();
        }
        // Each dashboard refreshes every 10 seconds.
        if start.elapsed().as_secs().is_multiple_of(10) {
            a.press("r");
            b.press("r");
        }
        shared_seen |= a.row(0).contains("limit shared by") && b.row(0).contains("limit shared by");
        std::thread::sleep(Duration::from_millis(1000));
    }
    let deadline = std::time::Instant::now() + Duration::from_secs(120);
    while running.try_wait().unwrap().is_none() {
        assert!(
            std::time::Instant::now() < deadline,
            "the last sync did not end within two minutes"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(running.wait_with_output().unwrap().status.success());
    syncs += 1;
    // Both still get their data: a last refresh loads every team again.
    for s in [&mut a, &mut b] {
        s.press("r");
        s.wait_for_within("a refresh's teams", 120, loaded);
    }
    let (_, requests_after) = sandbox_stats(&sb);
    let drawn = rate_limited_pty(&sb);
    println!(
        "one minute: {syncs} syncs, {} requests, {drawn} answered 429",
        requests_after - requests_before
    );
    // On one budget of 4 a second for three, a sync of 12 teams takes about the minute.
    assert!(syncs >= 1, "the syncs ran: {syncs}");
    assert!(
        requests_after - requests_before >= 150,
        "the three kept working: {} requests in the minute",
        requests_after - requests_before
    );
    assert!(shared_seen, "both headers said the limit is shared");
    assert_eq!(
        drawn, 0,
        "one budget of 4 a second for three processes stays under 10"
    );
    for s in [a, b] {
        let mut s = s;
        s.press("q");
        assert!(s.wait_exit().success());
        s.assert_restored();
    }
}

/// How many requests the sandbox answered 429 (`/_sandbox/stats`).
fn rate_limited_pty(sb: &SandboxProcess) -> u64 {
    sandbox_control(sb, "stats", None)["rate_limited"]
        .as_u64()
        .unwrap()
}

/// Types `text` into the Branches (or Group) filter.
fn branch_filter(s: &mut Session, text: &str) {
    s.press("/");
    s.press(text);
    s.press("\r");
}

#[test]
fn the_branches_tab_counts_csds_as_the_sandbox_has_them_and_drift_lists_a_changed_branch() {
    let sb = sandbox_process(&["--teams", "48", "--rate-limit", "20", "--scale", "600"]);
    let (_, teams) = api_get(&sb, "/teams?limit=100");
    let teams = teams["data"].as_array().unwrap().clone();
    assert_eq!(teams.len(), 48);
    let now = jiff::Timestamp::now().as_second();
    let at = |t: &serde_json::Value| t["sat"]["csd_expires_at"].as_i64().unwrap();
    let expired = teams.iter().filter(|t| at(t) <= now).count();
    let soon = teams
        .iter()
        .filter(|t| at(t) > now && at(t) <= now + 30 * 86_400)
        .count();
    assert!(expired > 0 && soon > 0, "the world has both");
    let id = |i: usize| teams[i]["id"].as_str().unwrap().to_string();
    let name = |i: usize| teams[i]["name"].as_str().unwrap().to_string();
    // One branch's unit key changed behind gigdash's back.
    let (reference, drifted) = (1, 7);
    let (status, v) = api_send(
        &sb,
        "PUT",
        &format!("/teams/{}/settings", id(drifted)),
        Some(serde_json::json!({"unit_key": "H87"})),
    );
    assert_eq!(status, 200, "{v}");
    let mut s = Session::start_sized(
        &[],
        &[
            ("GIGSTACK_API_KEY", sb.admin_key.clone()),
            ("GIGSTACK_API_BASE_URL", sb.base.clone()),
        ],
        (120, 40),
    );
    s.wait_for("the team list", |s| s.contents().contains("0 Group"));
    s.press("6");
    s.wait_for_within("every branch read", 120, |s| {
        s.contents().contains("Branches: 48 teams (48 / 48 read)")
    });
    let summary = s.row(3);
    assert!(
        summary.contains(&format!(
            "CSD: {expired} expired, {soon} expire within 30 days"
        )),
        "the sandbox has {expired} expired and {soon} within 30 days: {summary}"
    );
    // The rows that cannot invoice come first.
    assert!(
        s.row(5).contains("CSD expired") || s.row(5).contains("no credits"),
        "{}",
        s.contents()
    );
    // R on the reference (found by its id), then the drift of the changed branch.
    branch_filter(&mut s, &id(reference));
    s.wait_for("the reference's row", |s| {
        s.row(2).contains(&format!(
            "Branches: 1 team (48 / 48 read) · filter «{}»",
            id(reference)
        ))
    });
    s.press("R");
    s.wait_for("the reference said", |s| {
        s.contents()
            .contains(&format!("Reference: {}.", name(reference)))
    });
    // Esc clears the filter (waited for: an Esc and the next key together read as Alt).
    s.press("\x1b");
    s.wait_for("the filter cleared", |s| !s.row(2).contains("filter «"));
    branch_filter(&mut s, &id(drifted));
    s.wait_for("the changed branch's row", |s| {
        s.row(2).contains(&format!("filter «{}»", id(drifted)))
    });
    assert!(
        s.row(5).contains("settings"),
        "its Drift cell: {}",
        s.row(5)
    );
    s.press(":drift\r");
    s.wait_for("the drift list", |s| {
        s.contents()
            .contains(&format!("Drift from {}", name(reference)))
    });
    let screen = s.contents();
    assert!(
        screen.contains(&name(drifted)),
        "the changed branch listed:\n{screen}"
    );
    assert!(
        screen.contains("settings.unit_key: «H87» here, «E48» in the reference"),
        "{screen}"
    );
    assert!(
        !screen.contains("rate limited"),
        "no 429 reaches the screen"
    );
    s.press("\x1b");
    s.wait_for("the list closed", |s| !s.contents().contains("Drift from"));

    // Three teams marked (each found by its id), a user added to them as editor.
    let marked = [2, 9, 30];
    for (n, i) in marked.iter().enumerate() {
        s.press("\x1b");
        s.wait_for("the filter cleared", |s| !s.row(2).contains("filter «"));
        branch_filter(&mut s, &id(*i));
        s.wait_for("its row", |s| {
            s.row(2).contains(&format!("filter «{}»", id(*i)))
        });
        s.press(" ");
        let says = format!(" · {} marked", n + 1);
        s.wait_for("marked", |s| s.row(2).contains(&says));
    }
    s.press("\x1b");
    s.wait_for("the filter cleared", |s| !s.row(2).contains("filter «"));
    let (writes_before, _) = sandbox_stats(&sb);
    s.press(":add-member user_pty editor\r");
    s.wait_for("the confirmation, roles checked", |s| {
        let c = s.contents();
        c.contains("Yes, add a member") && !c.contains("Checking your role")
    });
    assert!(
        s.contents().contains("Teams               3 teams"),
        "{}",
        s.contents()
    );
    s.press("y\r");
    s.wait_for_within("3 of 3 done", 60, |s| {
        s.contents().contains("Add a member: 3 of 3 done")
    });
    let (writes_after, _) = sandbox_stats(&sb);
    assert_eq!(writes_after - writes_before, 3, "one write per marked team");
    for (i, t) in teams.iter().enumerate() {
        let tid = t["id"].as_str().unwrap();
        let (status, members) = api_get(&sb, &format!("/teams/{tid}/members?team={tid}"));
        assert_eq!(status, 200);
        let has = members["data"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["id"] == "user_pty" && m["role"] == "editor");
        assert_eq!(
            has,
            marked.contains(&i),
            "{tid}: exactly the marked teams changed"
        );
    }
    // Audited, one line per team with its own key.
    let audited: Vec<_> = s
        .audit_lines()
        .into_iter()
        .filter(|l| l["action"] == "add_member" && l["phase"] == "answered")
        .collect();
    assert_eq!(audited.len(), 3, "{audited:?}");
    let keys: std::collections::BTreeSet<String> = audited
        .iter()
        .map(|l| l["idempotency_key"].to_string())
        .collect();
    assert_eq!(keys.len(), 3, "each its own key: {audited:?}");

    // A new branch from the reference: its series copied, its onboarding link shown.
    let rfc = gigdash::app::form::rfc::with_check_digit("DLN010101AB");
    s.press(":new-branch\r");
    s.wait_for("the new-branch form", |s| {
        s.contents().contains("Yes, create it")
    });
    s.press("Doña Lupe Nueva\r");
    s.press("Doña Lupe Nueva SA de CV\r");
    s.press(&format!("{rfc}\r\r"));
    s.press("06700\r");
    s.wait_for("the form filled", |s| s.contents().contains("06700"));
    s.press("y\r");
    s.wait_for_within("the branch made", 60, |s| {
        s.contents().contains("steps done")
    });
    let screen = s.contents();
    assert!(
        screen.contains("The branch manager opens this link"),
        "{screen}"
    );
    let (_, all) = api_get(&sb, "/teams?limit=100");
    let made = all["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["tax_id"] == rfc.as_str())
        .unwrap_or_else(|| panic!("the new team: {all}"))
        .clone();
    let new_id = made["id"].as_str().unwrap();
    assert!(
        screen.contains(&format!("onboarding?team={new_id}")),
        "its onboarding link on screen:\n{screen}"
    );
    let series_of = |tid: &str| -> std::collections::BTreeSet<String> {
        let (_, v) = api_get(&sb, &format!("/teams/{tid}/series?team={tid}"));
        v["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["series"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        series_of(new_id),
        series_of(&id(reference)),
        "the reference's series on the new branch"
    );
    // Each step said, none failed.
    assert!(screen.contains("✓ onboarding link"), "{screen}");
    assert!(!screen.contains('✗'), "{screen}");
    s.press("\x1b");
    s.wait_for("the popup closed", |s| {
        !s.contents().contains("The branch manager opens this link")
    });
    // The new branch read again: the reference's admins are its admins too.
    branch_filter(&mut s, "Nueva");
    s.wait_for_within("the new branch's row", 30, |s| {
        s.row(2).contains("filter «Nueva»") && s.row(5).contains("Doña Lupe Nueva")
    });
    s.wait_for("its drift", |s| !s.row(5).contains("reading"));
    // Its Drift cell names series only if the reference's differ (none: copied), never
    // admins; and the server has the reference's admins on it.
    let row = s.row(5);
    assert!(row.trim_end_matches('│').trim_end().ends_with('—'), "{row}");
    let admins = |tid: &str| -> std::collections::BTreeSet<String> {
        let (_, v) = api_get(&sb, &format!("/teams/{tid}/members?team={tid}"));
        v["data"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|m| m["role"] == "admin")
            .map(|m| m["email"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(admins(new_id), admins(&id(reference)));
    s.press("q");
    assert!(s.wait_exit().success());
    s.assert_restored();
}
