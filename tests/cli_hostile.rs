//! The binary's commands against a hostile gigstack: every error an answer can become,
//! carrying OSC 52 (write the clipboard), OSC 0 (set the title), a C1 CSI and a bidi
//! override in its message, walked through `export`, `report month`, `sync` and `info`.
//! The raw bytes the commands write (stdout and stderr) are read: no escape sequence the
//! API sent may reach the terminal, whatever the command and whatever the error. And an
//! amount the API sent unreadable is exported empty, never as 0.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use gigdash::api::key::unsigned_jwt;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// OSC 52 (clipboard), OSC 0 (title), a C1 CSI and a right-to-left override.
const HOSTILE: &str =
    "boom\u{1b}]52;c;cHduZWQ=\u{7}\u{1b}]0;pwned\u{7}\u{9b}31m\u{202e}gnirts\u{202c}";

/// The bytes that must never leave gigdash when they came from the API.
fn escapes(bytes: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(bytes);
    text.char_indices()
        .filter(|(_, c)| {
            matches!(
                c,
                '\u{1b}' | '\u{7}' | '\u{9b}' | '\u{9d}' | '\u{202e}' | '\u{202c}'
            )
        })
        .map(|(i, c)| format!("{c:?} at {i}"))
        .collect()
}

/// Every error an answer can become, each with the hostile message (name, answer).
fn variants() -> Vec<(&'static str, ResponseTemplate)> {
    let err = |status: u16| {
        ResponseTemplate::new(status)
            .set_body_json(json!({"error": {"message": HOSTILE, "details": [HOSTILE]}}))
    };
    vec![
        ("401 Unauthorized", err(401)),
        ("403 Forbidden", err(403)),
        ("404 NotFound", err(404)),
        ("409 Conflict", err(409)),
        ("422 Validation", err(422)),
        ("418 Refused", err(418)),
        ("500 Server", err(500)),
        ("503 Server", err(503)),
        (
            "200 success:false Refused",
            ResponseTemplate::new(200).set_body_json(json!({"success": false, "message": HOSTILE})),
        ),
        (
            "200 unreadable Decode",
            ResponseTemplate::new(200).set_body_json(json!({"data": HOSTILE})),
        ),
        (
            "200 not JSON Decode",
            ResponseTemplate::new(200).set_body_string(HOSTILE),
        ),
    ]
}

/// A hostile server: `/teams` answers `teams` (one team with a hostile name when `None`);
/// every other GET answers `rest`.
async fn server(teams: Option<ResponseTemplate>, rest: ResponseTemplate) -> MockServer {
    let s = MockServer::start().await;
    let teams = teams.unwrap_or_else(|| {
        ResponseTemplate::new(200).set_body_json(json!({
            "data": [{"id": "team_1", "name": format!("Norte {HOSTILE}")}],
            "has_more": false,
        }))
    });
    Mock::given(method("GET"))
        .and(path("/v2/teams"))
        .respond_with(teams)
        .with_priority(1)
        .mount(&s)
        .await;
    Mock::given(method("GET"))
        .respond_with(rest)
        .with_priority(10)
        .mount(&s)
        .await;
    s
}

/// The binary against `base`, its files under `dir`, in English; each read retried for a
/// fifth of a second at most (the retries end as they would after their minute).
fn gigdash(base: &str, key: &str, dir: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_gigdash"));
    c.env("GIGSTACK_API_KEY", key)
        .env("GIGSTACK_API_BASE_URL", base)
        .env("XDG_STATE_HOME", dir)
        .env("XDG_CONFIG_HOME", dir.join("config"))
        .env("XDG_CACHE_HOME", dir.join("cache"))
        .env("GIGDASH_TEST_RETRY_BUDGET_MS", "200")
        .env_remove("GIGDASH_CONFIG")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("GIGDASH_LANG")
        .env("LANG", "C.UTF-8");
    c
}

/// Runs `c` to its end (killed and failed after 30 s): exit code and every byte it wrote,
/// stdout then stderr, as a terminal would receive them.
fn run(mut c: Command, dir: &Path) -> (Option<i32>, Vec<u8>) {
    let (out, err) = (dir.join("stdout"), dir.join("stderr"));
    c.stdin(Stdio::null())
        .stdout(std::fs::File::create(&out).unwrap())
        .stderr(std::fs::File::create(&err).unwrap());
    let mut child = c.spawn().unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("{c:?} did not finish within 30 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut bytes = std::fs::read(&out).unwrap();
    bytes.extend(std::fs::read(&err).unwrap());
    (status.code(), bytes)
}

const COMMANDS: &[&[&str]] = &[
    &["export", "clients"],
    &["export", "invoices", "--all-teams", "--format", "json"],
    &["export", "payments", "--team", "team_1"],
    &["report", "month", "--all-teams", "--format", "md"],
    &["sync"],
];

#[tokio::test(flavor = "multi_thread")]
async fn export_final_error_line_carries_no_escape_from_a_500() {
    let s = server(None, variants().remove(6).1).await;
    let dir = tempfile::tempdir().unwrap();
    let mut c = gigdash(&format!("{}/v2", s.uri()), "sk_test_x0000000", dir.path());
    c.args(["export", "clients"]);
    let (code, bytes) = run(c, dir.path());
    let text = String::from_utf8_lossy(&bytes);
    assert_eq!(code, Some(1), "{text}");
    // The message is said (printable), after the retries ended…
    assert!(
        text.contains("server error (500: boom]52;c;cHduZWQ=]0;pwned31mgnirts)")
            && text.contains("nothing was written"),
        "{text}"
    );
    // …and nothing of it reaches the terminal as a sequence.
    assert_eq!(escapes(&bytes), Vec::<String>::new(), "{text:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn no_error_of_any_kind_brings_an_escape_to_any_commands_output() {
    let mut runs = 0;
    let mut said = 0;
    for (name, answer) in variants() {
        // The team list itself fails, or the team's documents do.
        for teams_fail in [true, false] {
            let s = if teams_fail {
                server(Some(answer.clone()), answer.clone()).await
            } else {
                server(None, answer.clone()).await
            };
            let base = format!("{}/v2", s.uri());
            for args in COMMANDS {
                let dir = tempfile::tempdir().unwrap();
                let mut c = gigdash(&base, "sk_test_x0000000", dir.path());
                c.args(*args);
                let (code, bytes) = run(c, dir.path());
                let text = String::from_utf8_lossy(&bytes);
                runs += 1;
                said += usize::from(text.contains("boom"));
                assert_ne!(
                    code,
                    Some(0),
                    "{name}, teams fail: {teams_fail}, {args:?}: {text}"
                );
                assert_eq!(
                    escapes(&bytes),
                    Vec::<String>::new(),
                    "{name}, teams fail: {teams_fail}, {args:?}: {text:?}"
                );
            }
        }
    }
    assert_eq!(runs, variants().len() * 2 * COMMANDS.len());
    // Against emptiness: the hostile words did reach the output, printable, many times.
    assert!(said >= 40, "the API's message was said in only {said} runs");
}

#[test]
fn info_prints_no_escape_from_the_key_or_the_config() {
    let dir = tempfile::tempdir().unwrap();
    // A key whose team (read from the key itself) carries the sequences.
    let key = unsigned_jwt(&json!({"livemode": false, "team": HOSTILE, "key_id": HOSTILE}));
    let (code, bytes) = run(
        {
            let mut c = gigdash("http://127.0.0.1:9/v2", &key, dir.path());
            c.arg("info");
            c
        },
        dir.path(),
    );
    let text = String::from_utf8_lossy(&bytes);
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("boom"), "{text}");
    assert_eq!(escapes(&bytes), Vec::<String>::new(), "{text:?}");
    // A config whose value carries them: the refusal quotes it, printable.
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        "theme = \"\\u001b]52;c;cHduZWQ=\\u0007\\u001b]0;pwned\\u0007\"\n",
    )
    .unwrap();
    let mut c = gigdash("http://127.0.0.1:9/v2", "sk_test_x0000000", dir.path());
    c.env("GIGDASH_CONFIG", &config).arg("info");
    let (code, bytes) = run(c, dir.path());
    let text = String::from_utf8_lossy(&bytes);
    assert_eq!(code, Some(2), "{text}");
    assert!(text.contains("]52;c;cHduZWQ="), "{text}");
    assert_eq!(escapes(&bytes), Vec::<String>::new(), "{text:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn export_writes_an_unreadable_amount_empty_and_counts_the_rows() {
    let s = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v2/teams"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "data": [{"id": "team_1", "name": "Norte"}], "has_more": false,
        })))
        .mount(&s)
        .await;
    Mock::given(method("GET"))
        .and(path("/v2/invoices/income"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "data": [
                {"uuid": "u-ok", "status": "valid", "total": "116.00"},
                {"uuid": "u-bad", "status": "valid", "total": "N/A"},
                {"uuid": "u-bad2", "status": "valid", "total": {"x": 1}, "subtotal": true},
            ],
            "has_more": false,
        })))
        .mount(&s)
        .await;
    Mock::given(method("GET"))
        .and(path("/v2/payments"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "data": [
                {"id": "p-ok", "status": "succeeded", "total": 50},
                {"id": "p-bad", "status": "succeeded", "total": "N/A"},
            ],
            "has_more": false,
        })))
        .mount(&s)
        .await;
    let base = format!("{}/v2", s.uri());
    let dir = tempfile::tempdir().unwrap();
    let export = |args: &[&str]| {
        let mut c = gigdash(&base, "sk_test_x0000000", dir.path());
        c.arg("export").args(args);
        c.output().unwrap()
    };
    let o = export(&["invoices"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    let mut rdr = csv::Reader::from_reader(&o.stdout[..]);
    let h = rdr.headers().unwrap().clone();
    let (u, t) = (
        h.iter().position(|c| c == "uuid").unwrap(),
        h.iter().position(|c| c == "total").unwrap(),
    );
    let totals: Vec<(String, String)> = rdr
        .records()
        .map(|r| {
            let r = r.unwrap();
            (r[u].to_string(), r[t].to_string())
        })
        .collect();
    assert_eq!(
        totals,
        [
            ("u-ok".to_string(), "116.00".to_string()),
            ("u-bad".to_string(), String::new()),
            ("u-bad2".to_string(), String::new()),
        ]
    );
    assert!(
        err.contains("2 rows carry an amount gigstack sent unreadable; it is left empty, not 0"),
        "{err}"
    );
    let o = export(&["payments", "--format", "json"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["total"], json!(50), "{rows:?}");
    assert!(rows[1]["total"].is_null(), "{rows:?}");
    assert!(err.contains("1 rows carry"), "{err}");
    let o = export(&["payments"]);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.lines()
            .any(|l| l.starts_with("team_1,p-bad,") && l.contains(",MXN,,")),
        "{text}"
    );
}

/// `gigdash export …` against `base` on a pseudo-terminal (stdout and stderr are a
/// terminal): its exit code and every byte the terminal received. Killed after 30 s.
fn on_terminal(base: &str, dir: &Path, args: &[&str]) -> (u32, Vec<u8>) {
    use portable_pty::{CommandBuilder, PtySize, native_pty_system};
    use std::io::Read;
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 40,
            cols: 200,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_gigdash"));
    for var in ["LC_ALL", "LC_MESSAGES", "GIGDASH_LANG", "GIGDASH_CONFIG"] {
        cmd.env_remove(var);
    }
    cmd.env("LANG", "C.UTF-8");
    cmd.env("GIGSTACK_API_KEY", "sk_test_x0000000");
    cmd.env("GIGSTACK_API_BASE_URL", base);
    cmd.env("XDG_STATE_HOME", dir);
    cmd.env("XDG_CONFIG_HOME", dir.join("config"));
    cmd.env("XDG_CACHE_HOME", dir.join("cache"));
    cmd.arg("export");
    cmd.args(args);
    let mut child = pair.slave.spawn_command(cmd).unwrap();
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut all = Vec::new();
        let mut buf = [0u8; 8192];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            all.extend_from_slice(&buf[..n]);
        }
        let _ = tx.send(all);
    });
    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("gigdash export {args:?} did not finish on the terminal within 30 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    drop(pair.master);
    let bytes = rx.recv_timeout(Duration::from_secs(10)).unwrap_or_default();
    (status.exit_code(), bytes)
}

#[tokio::test(flavor = "multi_thread")]
async fn json_on_a_terminal_escapes_c1_del_and_bidi_and_raw_is_refused_there() {
    let s = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v2/teams"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "data": [{"id": "team_1", "name": "Norte"}], "has_more": false,
        })))
        .mount(&s)
        .await;
    Mock::given(method("GET"))
        .and(path("/v2/clients"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "data": [{"id": "c1", "name": "Ana\u{9b}31m\u{7f}\u{202e}zepoL\u{202c}\u{9d}0;t\u{9c}"}],
            "has_more": false,
        })))
        .mount(&s)
        .await;
    let base = format!("{}/v2", s.uri());
    let dir = tempfile::tempdir().unwrap();
    let (code, bytes) = on_terminal(&base, dir.path(), &["clients", "--format", "json"]);
    let text = String::from_utf8_lossy(&bytes);
    assert_eq!(code, 0, "{text:?}");
    assert!(
        text.contains(r"Ana\u009b31m\u007f\u202ezepoL\u202c\u009d0;t\u009c"),
        "escaped, the same JSON: {text:?}"
    );
    assert_eq!(escapes(&bytes), Vec::<String>::new(), "{text:?}");
    assert!(!text.contains('\u{7f}'), "{text:?}");
    // To a file the JSON is as serde_json writes it (the characters themselves).
    let file = dir.path().join("clients.json");
    let (code, _) = on_terminal(
        &base,
        dir.path(),
        &[
            "clients",
            "--format",
            "json",
            "--output",
            file.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 0);
    let rows: Vec<serde_json::Value> =
        serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    assert_eq!(
        rows[0]["name"],
        "Ana\u{9b}31m\u{7f}\u{202e}zepoL\u{202c}\u{9d}0;t\u{9c}"
    );
    // --raw is for files, never a terminal: refused before anything is read.
    let before = s.received_requests().await.unwrap().len();
    let (code, bytes) = on_terminal(&base, dir.path(), &["clients", "--raw"]);
    let text = String::from_utf8_lossy(&bytes);
    assert_eq!(code, 2, "{text:?}");
    assert!(text.contains("for files, never a terminal"), "{text:?}");
    assert!(
        !text.contains("Ana"),
        "no row reached the terminal: {text:?}"
    );
    assert_eq!(s.received_requests().await.unwrap().len(), before);
    // …and allowed into a file.
    let csv = dir.path().join("clients.csv");
    let (code, _) = on_terminal(
        &base,
        dir.path(),
        &["clients", "--raw", "--output", csv.to_str().unwrap()],
    );
    assert_eq!(code, 0);
    assert!(std::fs::read_to_string(&csv).unwrap().contains("\u{9b}31m"));
}
