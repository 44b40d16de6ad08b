//! Issue #15, a hostile probe: each test pins one finding (a hostile server, an impatient
//! operator, a broken file system) and fails on the code before the fix.

mod common;

use gigdash::app::state::Asking;
use std::sync::Arc;

use common::*;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use gigdash::api::*;
use gigdash::app::data::documents::{InvoiceRow, PaymentRow};
use gigdash::app::data::table::Load;
use gigdash::app::fixtures::{self, deliver, loaded_state, team_id};
use gigdash::app::{Dataset, Msg, Request, Rows, State, Update, update};
use gigdash::i18n::Lang;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn press(s: &mut State, c: char) -> Vec<Request> {
    update(
        s,
        Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)),
    )
}

fn screen(s: &State) -> String {
    let (w, h) = s.size;
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| gigdash::ui::draw(s, f)).unwrap();
    let buf = t.backend().buffer().clone();
    let mut out = String::new();
    for y in 0..h {
        for x in 0..w {
            out.push_str(buf[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

fn invoice(v: serde_json::Value) -> Invoice {
    serde_json::from_value(v).unwrap()
}

// ---------------------------------------------------------------- money never panics

#[test]
fn an_amount_near_decimals_limit_times_an_exchange_rate_never_panics() {
    let huge = invoice(json!({
        "uuid": "u-1", "status": "valid", "currency": "USD",
        "total": "79228162514264337593543950335", "exchange_rate": 18.25,
        "last_balance": "79228162514264337593543950335",
    }));
    let row = InvoiceRow::from_api(&huge, Lang::En);
    assert_eq!(
        row.total_mxn(),
        rust_decimal::Decimal::MAX,
        "saturates, no panic"
    );
    let p: Payment = serde_json::from_value(json!({
        "id": "pay_1", "status": "pending", "currency": "USD", "exchange_rate": "-2",
        "subtotal": "79228162514264337593543950335", "taxes": "79228162514264337593543950335",
    }))
    .unwrap();
    assert_eq!(p.total.0, rust_decimal::Decimal::MAX);
    let row = PaymentRow::from_api(&p, Lang::En);
    assert_eq!(row.total_mxn(), rust_decimal::Decimal::MIN);
    // The overview sums them without panicking either.
    let mut s = loaded_state((120, 40), 20);
    let team = team_id("master");
    deliver(
        &mut s,
        &team,
        Rows::Invoices(Arc::new(vec![InvoiceRow::from_api(&huge, Lang::En); 3])),
    );
    screen(&s);
}

// ---------------------------------------------------------------- the clipboard

#[test]
fn y_copies_only_the_printable_id() {
    let mut s = loaded_state((120, 40), 5);
    let p: Payment = serde_json::from_value(json!({
        "id": "pay_9\n\u{1b}]52;c;ZXZpbA==\u{7}\u{202e}", "status": "pending", "total": 10,
    }))
    .unwrap();
    let team = team_id("master");
    deliver(
        &mut s,
        &team,
        Rows::Payments(Arc::new(vec![PaymentRow::from_api(&p, Lang::En)])),
    );
    press(&mut s, '4');
    let reqs = press(&mut s, 'y');
    assert_eq!(
        reqs,
        vec![Request::Copy {
            text: "pay_9 ]52;c;ZXZpbA==".into()
        }]
    );
    let status = s.status.unwrap().text;
    assert!(!status.chars().any(gigdash::text::is_unsafe), "{status:?}");
}

// ---------------------------------------------------------------- the key never shows

#[tokio::test]
async fn a_success_that_echoes_the_key_and_fails_to_decode_never_carries_it() {
    let server = MockServer::start().await;
    let key = "sk_test_ECHOED0123456789";
    Mock::given(method("GET"))
        .and(path("/v2/payments/pay_1"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_string(format!(r#"{{"data": {{"id": 7, "echo": "Bearer {key}" "#)),
        )
        .mount(&server)
        .await;
    let c = ApiClient::new(
        ApiKey::new(key),
        fast_config(&format!("{}/v2", server.uri())),
    )
    .unwrap();
    let e = c.get_payment(&TeamId::new("t"), "pay_1").await.unwrap_err();
    assert_eq!(e.kind(), "decode");
    for text in [
        format!("{e:?}"),
        e.to_string(),
        e.describe(Lang::Es),
        e.describe_cli(Lang::En),
    ] {
        assert!(!text.contains("ECHOED0123456789"), "{text}");
    }
}

// ---------------------------------------------------------------- one bad amount

#[tokio::test]
async fn one_unreadable_amount_keeps_its_row_and_marks_it() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v2/invoices/income"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "data": [
                {"uuid": "u-ok", "status": "valid", "total": "116.00"},
                {"uuid": "u-bad", "status": "valid", "total": "N/A", "subtotal": {"x": 1}},
                {"uuid": "u-ok2", "status": "valid", "total": 50},
            ],
            "has_more": false,
        })))
        .mount(&server)
        .await;
    let c = ApiClient::new(
        ApiKey::new("sk_test_x0000000"),
        fast_config(&format!("{}/v2", server.uri())),
    )
    .unwrap();
    let page: Page<Invoice> = c
        .list_page(
            &TeamId::new("t"),
            Resource::IncomeInvoices,
            &ListQuery::default(),
        )
        .await
        .unwrap();
    assert_eq!(page.items.len(), 3, "the page is kept");
    assert_eq!(page.items[1].unreadable, ["total", "subtotal"]);
    assert!(page.items[0].unreadable.is_empty());
    let row = InvoiceRow::from_api(&page.items[1], Lang::En);
    assert_eq!(row.total_fmt(), "unreadable amount");
    let row = InvoiceRow::from_api(&page.items[1], Lang::Es);
    assert_eq!(row.total_fmt(), "monto ilegible");
}

// ---------------------------------------------------------------- path segments

#[tokio::test]
async fn an_id_of_dot_dot_is_never_sent() {
    let server = MockServer::start().await;
    let c = ApiClient::new(
        ApiKey::new("sk_test_x0000000"),
        fast_config(&format!("{}/v2", server.uri())),
    )
    .unwrap();
    for id in ["..", "."] {
        let e = c.get_payment(&TeamId::new("t"), id).await.unwrap_err();
        assert_eq!(e.kind(), "validation", "{id}: {e:?}");
    }
    // A dot inside an id is an ordinary character, and an encoded dot stays encoded.
    let _ = c.get_payment(&TeamId::new("t"), "pay.1").await;
    let _ = c.get_payment(&TeamId::new("t"), "%2e%2e").await;
    let seen: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| r.url.path().to_string())
        .collect();
    assert_eq!(
        seen,
        ["/v2/payments/pay.1", "/v2/payments/%252e%252e"],
        "only ordinary ids reached the server"
    );
}

// ---------------------------------------------------------------- files

#[test]
fn a_failed_atomic_write_leaves_no_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    // The target is a folder: the rename fails after the temporary file was written.
    let target = dir.path().join("export.csv");
    std::fs::create_dir(&target).unwrap();
    std::fs::write(target.join("keep"), b"x").unwrap();
    assert!(gigdash::paths::write_atomic(&target, b"a,b\n").is_err());
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left, ["export.csv"], "no temporary file left: {left:?}");
}

#[test]
fn an_empty_key_file_is_refused() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("key");
    std::fs::write(&f, "  \n").unwrap();
    std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o600)).unwrap();
    let e = gigdash::config::read_key_file(&f, Lang::En).unwrap_err();
    assert!(e.to_string().contains("is empty"), "{e}");
}

#[test]
fn a_world_readable_audit_file_is_narrowed_to_0600() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("audit.jsonl");
    std::fs::write(&f, "").unwrap();
    std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o644)).unwrap();
    let log = gigdash::audit::AuditLog::new(f.clone());
    log.append(&gigdash::audit::AuditEntry {
        time: "t".into(),
        key_id: None,
        livemode: None,
        team_id: "t",
        team_name: "T",
        action: "mark_paid",
        object_id: "pay_1",
        client: "C",
        amount: None,
        currency: "MXN",
        motive: None,
        substitution_uuid: None,
        payment_form: None,
        idempotency_key: "k",
        phase: "sent",
        result: "sent",
        error: None,
        outcome: None,
    })
    .unwrap();
    let mode = std::fs::metadata(&f).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
}

// ---------------------------------------------------------------- terminals

#[test]
fn a_dumb_terminal_or_none_is_refused_pointing_to_export() {
    let dumb = gigdash::dashboard::unusable_terminal(Some("dumb"), true, Lang::En).unwrap();
    assert!(
        dumb.contains("TERM=dumb") && dumb.contains("gigdash export"),
        "{dumb}"
    );
    let none = gigdash::dashboard::unusable_terminal(Some("xterm"), false, Lang::Es).unwrap();
    assert!(none.contains("gigdash export"), "{none}");
    assert!(
        gigdash::dashboard::unusable_terminal(Some("xterm-256color"), true, Lang::En).is_none()
    );
    // The real binary, with TERM=dumb and no terminal: a clear message, no escape codes.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_gigdash"))
        .arg("--demo")
        .env("TERM", "dumb")
        .env("LANG", "C.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("GIGDASH_LANG")
        .env("XDG_STATE_HOME", tempfile::tempdir().unwrap().path())
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("TERM=dumb") && err.contains("gigdash export"),
        "{err}"
    );
    assert!(!out.stdout.contains(&0x1b), "nothing drawn");
}

#[test]
fn amounts_of_a_billion_keep_their_leading_digits_at_80_columns() {
    let mut s = loaded_state((80, 24), 10);
    let big = invoice(json!({
        "uuid": "9b1f2c3d-0000-4000-8000-000000000001", "status": "valid",
        "client": {"name": "Distribuidora del Pacífico y Golfo"},
        "total": "1234567890.12", "folio_number": 1, "series": "A",
    }));
    let team = team_id("master");
    deliver(
        &mut s,
        &team,
        Rows::Invoices(Arc::new(vec![InvoiceRow::from_api(&big, Lang::En)])),
    );
    press(&mut s, '3');
    let text = screen(&s);
    assert!(text.contains("$1,234,567,890.12"), "{text}");
}

// ---------------------------------------------------------------- stuck loading

#[test]
fn a_failed_first_load_shows_its_error_and_retries_on_its_own() {
    let mut s = loaded_state((120, 40), 5);
    let team = team_id("master");
    update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::Char('r'), KeyModifiers::NONE)),
    );
    fixtures::fail_load(&mut s, Dataset::Invoices, |_| ApiError::Network {
        message: "connection refused".into(),
    });
    let v = s.current_view().unwrap();
    assert!(v.overview.is_some(), "old figures stay");
    let Load::Failed(why) = &v.invoices.load else {
        panic!("{:?}", v.invoices.load)
    };
    assert!(why.contains("Trying again in 2 s"), "{why}");
    // The failure asked for its own retry, for this team and generation.
    let generation = s.asked.current(Asking::Team);
    let reqs = update(
        &mut s,
        Msg::Worker(Box::new(Update::LoadFailed {
            team: team.clone(),
            generation,
            dataset: Dataset::Invoices,
            error: ApiError::Timeout,
        })),
    );
    assert_eq!(
        reqs,
        vec![Request::RetryLoad {
            team: team.clone(),
            generation,
            dataset: Dataset::Invoices,
            after_secs: 4,
        }],
        "slower the second time"
    );
    // A refusal does not retry by itself: it will not change.
    let reqs = update(
        &mut s,
        Msg::Worker(Box::new(Update::LoadFailed {
            team: team.clone(),
            generation,
            dataset: Dataset::Payments,
            error: ApiError::RoleDenied { team: Some(team) },
        })),
    );
    assert!(reqs.is_empty(), "{reqs:?}");
}

#[test]
fn a_failed_team_list_says_so_and_retries_instead_of_one_team_reachable() {
    let mut s = State::new((120, 40));
    let reqs = update(
        &mut s,
        Msg::Worker(Box::new(Update::Teams(Err(ApiError::Timeout)))),
    );
    assert_eq!(reqs, vec![Request::LoadTeamsLater { after_secs: 2 }]);
    press(&mut s, ']');
    let status = s.status.clone().unwrap();
    assert!(status.error);
    assert!(
        status.text.contains("team list did not load yet") && !status.text.contains("only one"),
        "{}",
        status.text
    );
    // It arrives on the retry: the error goes, the first team opens.
    update(
        &mut s,
        Msg::Worker(Box::new(Update::Teams(Ok(fixtures::teams())))),
    );
    assert!(s.teams_error.is_none() && s.current.is_some());
}

#[test]
fn a_slow_answer_is_told_within_seconds() {
    let mut s = loaded_state((120, 40), 5);
    let (team, generation) = (team_id("master"), s.asked.current(Asking::Team));
    update(
        &mut s,
        Msg::Worker(Box::new(Update::Slow {
            team,
            generation,
            dataset: Dataset::Invoices,
            secs: 4,
        })),
    );
    let status = s.status.unwrap();
    assert!(
        status.text.contains("has not answered for 4 s"),
        "{}",
        status.text
    );
}

// ---------------------------------------------------------------- writes with no answer

#[test]
fn a_write_whose_retries_all_failed_is_outcome_unknown_and_rereads_the_row() {
    use gigdash::app::dialogs::kinds::WriteRequest;
    let mut s = loaded_state((120, 40), 5);
    let team = team_id("master");
    let reqs = update(
        &mut s,
        Msg::Worker(Box::new(Update::WriteDone {
            team: team.clone(),
            request: WriteRequest::MarkPaid {
                payment_id: "pay_1".into(),
                payment_form: "03".into(),
                date: 0,
            },
            result: Err(ApiError::Server {
                status: 502,
                message: "Bad Gateway".into(),
            }),
        })),
    );
    let status = s.status.clone().unwrap().text;
    assert!(status.contains("outcome unknown"), "{status}");
    assert!(!status.contains("failed"), "{status}");
    let reread: Vec<Dataset> = reqs
        .iter()
        .filter_map(|r| match r {
            Request::Load {
                dataset,
                force: true,
                ..
            } => Some(*dataset),
            _ => None,
        })
        .collect();
    assert_eq!(reread, [Dataset::Payments, Dataset::Invoices]);
}

#[tokio::test]
async fn a_write_with_no_answer_is_audited_as_outcome_unknown() {
    use gigdash::app::dialogs::kinds::WriteRequest;
    let sb = sandbox().await;
    let dir = tempfile::tempdir().unwrap();
    let audit = dir.path().join("audit.jsonl");
    let client = ApiClient::new(
        ApiKey::new(sb.admin_key()),
        ClientConfig {
            max_retries: 1,
            ..fast_config(&sb.base_url)
        },
    )
    .unwrap();
    let (req_tx, mut rx) = spawn_worker(client, |w| {
        w.with_audit(gigdash::audit::AuditLog::new(audit.clone()))
    });
    let pending = walk(&sb, sb.admin_key(), "/payments?status=pending", 100).await[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    // The server applies the write, then every answer is lost.
    set_faults(&sb, json!({"fail_next": ["apply_then_502", "502", "502"]})).await;
    req_tx
        .send(Request::Write {
            team: TeamId::new(sb.keys[0].team.clone()),
            team_name: "Matriz".into(),
            request: WriteRequest::MarkPaid {
                payment_id: pending,
                payment_form: "03".into(),
                date: 1_790_000_000,
            },
            idempotency_key: "gigdash_t_mark_paid_lost".into(),
            client: "C".into(),
            amount: "$1.00 MXN".into(),
            currency: "MXN".into(),
        })
        .unwrap();
    let result = recv_within(&mut rx, "the write's answer", |u| match u {
        Update::WriteDone { result, .. } => Some(result),
        _ => None,
    })
    .await;
    assert!(result.unwrap_err().is_transient());
    let lines: Vec<serde_json::Value> = std::fs::read_to_string(&audit)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert_eq!(lines[0]["phase"], json!("sent"));
    assert_eq!(lines[1]["phase"], json!("unknown"));
    assert_eq!(lines[1]["result"], json!("outcome_unknown"));
}

// ---------------------------------------------------------------- the command line

/// A hostile gigstack: a team name and a client name carrying escape sequences (window
/// title, screen clear, an OSC 52 clipboard write) and a spreadsheet formula.
async fn hostile_api() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v2/teams"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "data": [{"id": "team_evil", "legal_name": "Evil\u{1b}]0;pwned\u{7}\u{1b}[2J\u{1b}]52;c;ZXZpbA==\u{7} S.A.\u{202e}", "tax_id": "EVI010101AAA"}],
            "has_more": false,
        })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v2/invoices/income"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "data": [{"uuid": "u-1", "status": "valid", "total": "-5.00",
                      "client": {"name": "=HYPERLINK(\"http://evil\",\"click\")\u{1b}[31m", "tax_id": "@SUM(A1)"}}],
            "has_more": false,
        })))
        .mount(&server)
        .await;
    server
}

fn export_against(server: &MockServer, extra: &[&str]) -> std::process::Output {
    let key = gigdash::api::key::unsigned_jwt(
        &json!({"livemode": false, "team": "team_evil", "key_id": "sk_test_evil"}),
    );
    let state = tempfile::tempdir().unwrap();
    std::process::Command::new(env!("CARGO_BIN_EXE_gigdash"))
        .args(["export", "invoices", "--all-teams"])
        .args(extra)
        .env("GIGSTACK_API_KEY", key)
        .env("GIGSTACK_API_BASE_URL", format!("{}/v2", server.uri()))
        .env("XDG_STATE_HOME", state.path())
        .env("XDG_CONFIG_HOME", state.path().join("config"))
        .env_remove("GIGDASH_CONFIG")
        .env_remove("LC_ALL")
        .env_remove("GIGDASH_LANG")
        .env("LANG", "C.UTF-8")
        .output()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn export_never_writes_api_text_raw_to_the_terminal() {
    let server = hostile_api().await;
    let out = export_against(&server, &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (stdout, stderr) = (out.stdout.clone(), out.stderr.clone());
    for (name, bytes) in [("stdout", &stdout), ("stderr", &stderr)] {
        let text = String::from_utf8_lossy(bytes);
        assert!(
            !text
                .chars()
                .any(|c| gigdash::text::is_unsafe(c) && !matches!(c, '\n' | '\r')),
            "{name} carries a control character or bidi override: {text:?}"
        );
    }
    let csv = String::from_utf8_lossy(&stdout);
    assert!(csv.contains("'=HYPERLINK"), "{csv}");
    assert!(csv.contains("'@SUM(A1)"), "{csv}");
    assert!(
        csv.contains(",-5.00,") || csv.contains(",-5,"),
        "a negative number stays a number: {csv}"
    );
    assert!(String::from_utf8_lossy(&stderr).contains("Evil]0;pwned[2J"));
    // --raw keeps the cells as they came (for a file, never a terminal).
    let raw = export_against(&server, &["--raw"]);
    assert!(String::from_utf8_lossy(&raw.stdout).contains("\"=HYPERLINK"));
}

#[tokio::test(flavor = "multi_thread")]
async fn export_errors_quote_no_raw_body_and_no_dashboard_keys() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v2/teams"))
        .respond_with(
            ResponseTemplate::new(404)
                .set_body_string("<html><body><h1>Not Found \u{1b}[2J</h1></body></html>"),
        )
        .mount(&server)
        .await;
    let out = export_against(&server, &[]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains('<') && !err.contains('\u{1b}'), "{err}");
    assert!(!err.contains("press r") && !err.contains(" r to "), "{err}");
    assert!(err.contains("HTML page"), "{err}");
}

// ---------------------------------------------------------------- downloads

#[tokio::test(flavor = "multi_thread")]
async fn a_huge_download_is_refused_without_holding_it_and_hostile_names_stay_in_the_folder() {
    let server = MockServer::start().await;
    let uuid = "../../../etc/x";
    Mock::given(method("GET"))
        .and(path("/v2/invoices/..%2F..%2F..%2Fetc%2Fx/files"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": {
            "pdf": format!("{}/files/big.pdf", server.uri()),
            "xml": format!("{}/files/ok.xml", server.uri()),
        }})))
        .mount(&server)
        .await;
    let big = vec![b'%'; (gigdash::worker::MAX_FILE_BYTES + 1) as usize];
    Mock::given(method("GET"))
        .and(path("/files/big.pdf"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(big))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/files/ok.xml"))
        .respond_with(ResponseTemplate::new(200).set_body_string("<cfdi/>"))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let client = ApiClient::new(
        ApiKey::new("sk_test_x0000000"),
        fast_config(&format!("{}/v2", server.uri())),
    )
    .unwrap();
    let (req_tx, mut rx) = spawn_worker(client, |w| w.with_downloads(dir.path().to_path_buf()));
    req_tx
        .send(Request::Download {
            team: TeamId::new("t"),
            team_name: "../Sucursal".into(),
            uuid: uuid.into(),
            folio: "../../x/..".into(),
        })
        .unwrap();
    let r = recv_within(&mut rx, "the download's end", |u| match u {
        Update::Download {
            result: Some(r), ..
        } => Some(r),
        _ => None,
    })
    .await;
    let e = r.unwrap_err();
    assert!(e.contains("larger than"), "{e}");
    // Nothing outside <downloads>/<team>/, and no partial file inside it.
    let mut found = Vec::new();
    for e in walkdir(dir.path()) {
        found.push(e.strip_prefix(dir.path()).unwrap().display().to_string());
    }
    assert_eq!(
        found,
        Vec::<String>::new(),
        "the refused PDF left nothing: {found:?}"
    );
}

fn walkdir(p: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(p).into_iter().flatten().flatten() {
        let path = e.path();
        if path.is_dir() {
            out.extend(walkdir(&path));
        } else {
            out.push(path);
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread")]
async fn hostile_folio_and_uuid_files_land_in_the_team_folder() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v2/invoices/a%2F..%2Fb/files"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": {
            "pdf": format!("{}/files/f.pdf", server.uri()),
            "xml": format!("{}/files/f.xml", server.uri()),
        }})))
        .mount(&server)
        .await;
    for f in ["/files/f.pdf", "/files/f.xml"] {
        Mock::given(method("GET"))
            .and(path(f))
            .respond_with(ResponseTemplate::new(200).set_body_string("%PDF"))
            .mount(&server)
            .await;
    }
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().join("downloads");
    let client = ApiClient::new(
        ApiKey::new("sk_test_x0000000"),
        fast_config(&format!("{}/v2", server.uri())),
    )
    .unwrap();
    let (req_tx, mut rx) = spawn_worker(client, |w| w.with_downloads(base.clone()));
    req_tx
        .send(Request::Download {
            team: TeamId::new("t"),
            team_name: "Sucursal Norte".into(),
            uuid: "a/../b".into(),
            folio: "../../x".into(),
        })
        .unwrap();
    let saved = recv_within(&mut rx, "the download's end", |u| match u {
        Update::Download {
            result: Some(r), ..
        } => Some(r.unwrap()),
        _ => None,
    })
    .await;
    let team_dir = base.join("Sucursal_Norte");
    for p in &saved {
        assert_eq!(p.parent().unwrap(), team_dir, "{p:?}");
        let name = p.file_name().unwrap().to_string_lossy();
        assert!(!name.contains('/') && !name.starts_with('.'), "{name}");
    }
    let all = walkdir(dir.path());
    assert_eq!(all.len(), 2, "{all:?}");
    assert!(all.iter().all(|p| p.starts_with(&team_dir)), "{all:?}");
}

// ---------------------------------------------------------------- stalls

#[tokio::test(flavor = "multi_thread")]
async fn a_stalled_server_is_noticed_in_seconds_not_minutes() {
    // Accepts connections and never answers.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((sock, _)) = listener.accept().await {
            held.push(sock);
        }
    });
    let cfg = ClientConfig::with_base_url(format!("http://127.0.0.1:{port}/v2"));
    assert!(
        cfg.timeout <= std::time::Duration::from_secs(10),
        "{:?}",
        cfg.timeout
    );
    let client = ApiClient::new(ApiKey::new("sk_test_x0000000"), cfg).unwrap();
    let (req_tx, mut rx) = spawn_worker(client, |w| w);
    req_tx
        .send(Request::Load {
            team: TeamId::new("t"),
            generation: 1,
            dataset: Dataset::Invoices,
            force: true,
        })
        .unwrap();
    let started = std::time::Instant::now();
    let notice = recv_until(
        &mut rx,
        tokio::time::Instant::now() + std::time::Duration::from_secs(30),
        "a notice within seconds",
        |u| match u {
            Update::Slow { secs, .. } => Some(secs),
            _ => None,
        },
    )
    .await;
    assert!(notice <= 5, "{notice}");
    println!("first notice after {:?}", started.elapsed());
}

#[tokio::test]
async fn a_load_asked_again_after_it_failed_is_run_not_taken_for_a_duplicate() {
    let sb = sandbox().await;
    let team = TeamId::new(sb.keys[0].team.clone());
    let client = ApiClient::new(
        ApiKey::new(sb.admin_key()),
        ClientConfig {
            max_retries: 0,
            ..fast_config(&sb.base_url)
        },
    )
    .unwrap();
    let (req_tx, mut rx) = spawn_worker(client, |w| w);
    let load = Request::Load {
        team: team.clone(),
        generation: 1,
        dataset: Dataset::Payments,
        force: false,
    };
    set_faults(&sb, json!({"fail_next": ["503"]})).await;
    req_tx.send(load.clone()).unwrap();
    let first = load_end(&mut rx, "the first load's end").await;
    assert!(matches!(first, Update::LoadFailed { .. }), "{first:?}");
    // The tab asks again (same generation, not forced): it must run.
    req_tx.send(load).unwrap();
    let answer = load_end(&mut rx, "the second load's end (it ran)").await;
    assert!(
        matches!(answer, Update::Page { done: true, .. }),
        "{answer:?}"
    );
}

/// The next end of a load: its failure or its complete set, within 10 s.
async fn load_end(rx: &mut tokio::sync::mpsc::UnboundedReceiver<Update>, what: &str) -> Update {
    recv_until(
        rx,
        tokio::time::Instant::now() + std::time::Duration::from_secs(10),
        what,
        |u| match u {
            u @ (Update::LoadFailed { .. } | Update::Page { done: true, .. }) => Some(u),
            _ => None,
        },
    )
    .await
}

#[test]
fn an_unreachable_gigstack_is_said_at_once_and_the_header_stops_connecting() {
    let mut s = State::new((100, 30));
    assert!(screen(&s).contains("connecting…"));
    update(
        &mut s,
        Msg::Worker(Box::new(Update::Teams(Err(ApiError::Network {
            message: "connection refused".into(),
        })))),
    );
    let text = screen(&s);
    assert!(!text.contains("connecting…"), "{text}");
    assert!(text.contains("not connected"), "{text}");
    assert!(text.contains("Could not reach gigstack"), "{text}");
    assert!(text.contains("Trying again in 2 s"), "{text}");
    // r tries at once.
    let reqs = press(&mut s, 'r');
    assert_eq!(reqs, vec![Request::LoadTeams]);
}

// ---------------------------------------------------------------- the tests' own waits

#[tokio::test]
#[should_panic(expected = "the worker stopped before the answer")]
async fn a_wait_on_a_dead_worker_fails_instead_of_spinning() {
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<Update>();
    tx.send(Update::Teams(Err(ApiError::Timeout))).unwrap();
    drop(tx);
    recv_within(&mut rx, "the answer", |u| match u {
        Update::Found { .. } => Some(()),
        _ => None,
    })
    .await;
}

#[tokio::test]
#[should_panic(expected = "timed out waiting for the answer")]
async fn a_wait_on_a_silent_worker_fails_at_its_deadline() {
    let (_tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<Update>();
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_millis(100);
    recv_until(&mut rx, deadline, "the answer", Some).await;
}
