//! Writes through the real worker against the sandbox: each action changes the server as
//! documented, a replayed submit applies once, 409s and role denials come back as errors,
//! read-only refuses in the worker itself, and the audit log has one line per attempt and
//! never the key.

mod common;

use common::*;
use gigdash::api::{ApiClient, ApiError, ApiKey, ClientConfig};
use gigdash::app::dialogs::kinds::WriteRequest;
use gigdash::app::{Request, Update, WriteResult};
use gigdash::audit::AuditLog;
use gigdash::sandbox::model::Role;
use gigdash::worker::Worker;
use serde_json::{Value, json};
use std::time::Duration;
use tokio::sync::mpsc;

struct Harness {
    tx: mpsc::UnboundedSender<Request>,
    rx: mpsc::UnboundedReceiver<Update>,
    audit: std::path::PathBuf,
    /// The worker's task: what it says of the writes left open when it stops.
    worker: Option<tokio::task::JoinHandle<gigdash::worker::WritesLeft>>,
    _dir: tempfile::TempDir,
}

fn start_worker(base: &str, key: &str, read_only: bool) -> Harness {
    start_worker_with(
        key,
        ClientConfig {
            read_only,
            ..fast_config(base)
        },
    )
}

fn start_worker_with(key: &str, config: ClientConfig) -> Harness {
    let dir = tempfile::tempdir().unwrap();
    let audit = dir.path().join("state/audit.jsonl");
    let client = ApiClient::new(ApiKey::new(key), config).unwrap();
    let (req_tx, req_rx) = mpsc::unbounded_channel();
    let (upd_tx, upd_rx) = mpsc::unbounded_channel();
    let worker = Worker::new(client, false, upd_tx)
        .with_audit(AuditLog::new(audit.clone()))
        .with_downloads(dir.path().join("downloads"));
    let worker = tokio::spawn(worker.run(req_rx));
    Harness {
        tx: req_tx,
        rx: upd_rx,
        audit,
        worker: Some(worker),
        _dir: dir,
    }
}

impl Harness {
    /// Asks for a write without waiting for its answer.
    fn start_write(&self, team: &str, request: WriteRequest, key: &str) {
        self.tx
            .send(Request::Write {
                team: gigdash::api::TeamId::new(team),
                team_name: "Grupo Doña Lupe".into(),
                request,
                idempotency_key: key.into(),
                client: "Cliente".into(),
                amount: "$1.00 MXN".into(),
                currency: "MXN".into(),
            })
            .unwrap();
    }

    /// The next write's answer, within 20 s.
    async fn next_done(&mut self) -> Result<WriteResult, ApiError> {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
        recv_until(&mut self.rx, deadline, "a write's answer", |u| match u {
            Update::WriteDone { result, .. } => Some(result),
            _ => None,
        })
        .await
    }

    async fn write(
        &mut self,
        team: &str,
        request: WriteRequest,
        key: &str,
    ) -> Result<WriteResult, ApiError> {
        self.tx
            .send(Request::Write {
                team: gigdash::api::TeamId::new(team),
                team_name: "Grupo Doña Lupe".into(),
                request,
                idempotency_key: key.into(),
                client: "Cliente".into(),
                amount: "$1.00 MXN".into(),
                currency: "MXN".into(),
            })
            .unwrap();
        // One deadline for the whole wait: other updates never extend it.
        recv_within(
            &mut self.rx,
            &format!("the answer to write {key}"),
            |u| match u {
                Update::WriteDone { result, .. } => Some(result),
                _ => None,
            },
        )
        .await
    }

    /// Every line of the audit log: `sent` before a request leaves, then its outcome.
    fn audit_all(&self) -> Vec<Value> {
        std::fs::read_to_string(&self.audit)
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    /// The outcome lines (answered or unknown), one per attempt.
    fn audit_lines(&self) -> Vec<Value> {
        self.audit_all()
            .into_iter()
            .filter(|l| l["phase"] != json!("sent"))
            .collect()
    }
}

async fn first_payment(sb: &gigdash::sandbox::Sandbox, status: &str) -> String {
    walk(
        sb,
        sb.admin_key(),
        &format!("/payments?status={status}"),
        100,
    )
    .await[0]["id"]
        .as_str()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn each_action_changes_the_server_and_is_audited_without_the_key() {
    let sb = sandbox().await;
    let team = sb.keys[0].team.clone();
    let mut h = start_worker(&sb.base_url, sb.admin_key(), false);
    let k = sb.admin_key();

    let pending = first_payment(&sb, "pending").await;
    let r = h
        .write(
            &team,
            WriteRequest::MarkPaid {
                payment_id: pending.clone(),
                payment_form: "03".into(),
                date: 1_790_000_000,
            },
            "gigdash_t_mark_paid_1",
        )
        .await;
    assert!(
        matches!(r, Ok(WriteResult::Payment(ref p)) if p.status().to_string() == "succeeded"),
        "{r:?}"
    );
    let p = get(&sb, k, &format!("/payments/{pending}")).await;
    assert_eq!(
        (
            p["data"]["status"].clone(),
            p["data"]["succeeded_at"].clone()
        ),
        (json!("succeeded"), json!(1_790_000_000))
    );

    let to_cancel = first_payment(&sb, "requires_payment_method").await;
    h.write(
        &team,
        WriteRequest::CancelPayment {
            payment_id: to_cancel.clone(),
        },
        "gigdash_t_cancel_payment_2",
    )
    .await
    .unwrap();
    assert_eq!(
        get(&sb, k, &format!("/payments/{to_cancel}")).await["data"]["status"],
        json!("canceled")
    );

    let refund = walk(&sb, k, "/payments?status=succeeded", 100)
        .await
        .into_iter()
        .find(|p| p["refunds"].as_array().unwrap().is_empty())
        .unwrap();
    let rid = refund["id"].as_str().unwrap().to_string();
    h.write(
        &team,
        WriteRequest::Refund {
            payment_id: rid.clone(),
            amount: rust_decimal::Decimal::new(1050, 2),
            reason: Some("parcial".into()),
        },
        "gigdash_t_refund_3",
    )
    .await
    .unwrap();
    let after = get(&sb, k, &format!("/payments/{rid}")).await;
    assert_eq!(after["data"]["refunds"][0]["amount"], json!(10.5));

    let inv = walk(&sb, k, "/invoices/income", 100)
        .await
        .into_iter()
        .find(|i| {
            i["status"] == json!("valid")
                && i["cancellation_status"].is_null()
                && i["payment_complements"] == json!(0)
        })
        .unwrap();
    let uuid = inv["uuid"].as_str().unwrap().to_string();
    let r = h
        .write(
            &team,
            WriteRequest::CancelInvoice {
                uuid: uuid.clone(),
                motive: "02".into(),
                substitution: None,
            },
            "gigdash_t_cancel_invoice_4",
        )
        .await;
    assert!(matches!(r, Ok(WriteResult::Invoice(_))), "{r:?}");
    let i = get(&sb, k, &format!("/invoices/income/{uuid}")).await;
    assert!(
        i["data"]["cancellation_status"] == json!("pending")
            || i["data"]["status"] == json!("canceled")
    );

    let all = h.audit_all();
    assert_eq!(
        all.len(),
        8,
        "a line before each request leaves and one with its answer"
    );
    for pair in all.chunks(2) {
        assert_eq!(pair[0]["phase"], json!("sent"), "{pair:?}");
        assert_eq!(pair[0]["result"], json!("sent"));
        assert_eq!(pair[1]["phase"], json!("answered"));
        assert_eq!(pair[0]["idempotency_key"], pair[1]["idempotency_key"]);
    }
    let lines = h.audit_lines();
    assert_eq!(lines.len(), 4, "one outcome per attempt");
    let actions: Vec<&str> = lines
        .iter()
        .map(|l| l["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        ["mark_paid", "cancel_payment", "refund", "cancel_invoice"]
    );
    assert!(
        lines
            .iter()
            .all(|l| l["result"] == json!("ok") && l["team_id"] == json!(team))
    );
    assert_eq!(lines[3]["motive"], json!("02"));
    assert_eq!(lines[0]["idempotency_key"], json!("gigdash_t_mark_paid_1"));
    assert!(lines[0]["key_id"].as_str().unwrap().starts_with("sk_test_"));
    let raw = std::fs::read_to_string(&h.audit).unwrap();
    assert!(
        !raw.contains(k) && !raw.contains(k.split('.').nth(1).unwrap()),
        "the key never reaches the audit log"
    );
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&h.audit).unwrap().permissions().mode() & 0o777,
        0o600
    );
}

#[tokio::test]
async fn a_replayed_submit_applies_once_even_when_the_answer_is_lost() {
    let sb = sandbox().await;
    let team = sb.keys[0].team.clone();
    let mut h = start_worker(&sb.base_url, sb.admin_key(), false);
    let pending = first_payment(&sb, "pending").await;
    let req = WriteRequest::MarkPaid {
        payment_id: pending,
        payment_form: "01".into(),
        date: 1_790_000_000,
    };
    let (w0, _) = stats(&sb).await;
    set_faults(&sb, json!({"fail_next": ["apply_then_502"]})).await;
    let a = h
        .write(&team, req.clone(), "gigdash_t_mark_paid_same")
        .await
        .unwrap();
    let b = h
        .write(&team, req, "gigdash_t_mark_paid_same")
        .await
        .unwrap();
    assert_eq!(stats(&sb).await.0 - w0, 1, "applied once");
    match (a, b) {
        (WriteResult::Payment(a), WriteResult::Payment(b)) => assert_eq!(a, b),
        other => panic!("{other:?}"),
    }
    assert_eq!(h.audit_lines().len(), 2, "both attempts are audited");
}

#[tokio::test]
async fn conflicts_and_role_denials_come_back_as_errors_and_change_nothing() {
    let sb = sandbox().await;
    let team = sb.keys[0].team.clone();
    let k = sb.admin_key();
    let mut admin = start_worker(&sb.base_url, k, false);
    let succeeded = first_payment(&sb, "succeeded").await;
    let (w0, _) = stats(&sb).await;
    let e = admin
        .write(
            &team,
            WriteRequest::CancelPayment {
                payment_id: succeeded.clone(),
            },
            "gigdash_t_cancel_payment_9",
        )
        .await
        .unwrap_err();
    assert!(matches!(e, ApiError::Conflict { .. }), "{e:?}");
    assert_eq!(
        get(&sb, k, &format!("/payments/{succeeded}")).await["data"]["status"],
        json!("succeeded")
    );

    let member = sb.master_key(Role::Member).key.clone();
    let mut m = start_worker(&sb.base_url, &member, false);
    let inv = walk(&sb, k, "/invoices/income?status=valid", 100).await[0]["uuid"]
        .as_str()
        .unwrap()
        .to_string();
    let e = m
        .write(
            &team,
            WriteRequest::CancelInvoice {
                uuid: inv.clone(),
                motive: "02".into(),
                substitution: None,
            },
            "gigdash_t_cancel_invoice_9",
        )
        .await
        .unwrap_err();
    assert!(matches!(e, ApiError::RoleDenied { .. }), "{e:?}");
    assert_eq!(stats(&sb).await.0, w0, "nothing was applied");
    let line = &m.audit_lines()[0];
    assert_eq!(line["result"], json!("role_denied"));
}

#[tokio::test]
async fn read_only_is_refused_in_the_worker_without_reaching_the_server() {
    let sb = sandbox().await;
    let team = sb.keys[0].team.clone();
    let mut h = start_worker(&sb.base_url, sb.admin_key(), true);
    let pending = first_payment(&sb, "pending").await;
    let (_, r0) = stats(&sb).await;
    let e = h
        .write(
            &team,
            WriteRequest::MarkPaid {
                payment_id: pending,
                payment_form: "03".into(),
                date: 1_790_000_000,
            },
            "gigdash_t_mark_paid_ro",
        )
        .await
        .unwrap_err();
    assert_eq!(e, ApiError::ReadOnly);
    assert_eq!(stats(&sb).await.1, r0, "no request reached the server");
    assert_eq!(h.audit_lines()[0]["result"], json!("read_only"));
}

#[tokio::test]
async fn download_saves_the_pdf_and_xml_under_the_team_folder() {
    let sb = sandbox().await;
    let team = sb.keys[0].team.clone();
    let mut h = start_worker(&sb.base_url, sb.admin_key(), false);
    let inv = walk(&sb, sb.admin_key(), "/invoices/income?limit=1", 1).await;
    let uuid = inv[0]["uuid"].as_str().unwrap().to_string();
    h.tx.send(Request::Download {
        team: gigdash::api::TeamId::new(team),
        team_name: "Doña Lupe/Centro".into(),
        uuid: uuid.clone(),
        folio: "A-1".into(),
    })
    .unwrap();
    let paths = recv_within(&mut h.rx, &format!("the download of {uuid}"), |u| match u {
        Update::Download {
            result: Some(r), ..
        } => Some(r.unwrap()),
        _ => None,
    })
    .await;
    assert_eq!(paths.len(), 2);
    assert!(
        paths[0].parent().unwrap().ends_with("Doña_Lupe_Centro"),
        "{paths:?}"
    );
    assert!(std::fs::read(&paths[0]).unwrap().starts_with(b"%PDF-"));
    assert!(std::fs::read_to_string(&paths[1]).unwrap().contains(&uuid));
}

#[tokio::test]
async fn a_team_read_only_in_the_config_is_refused_by_the_worker() {
    let sb = sandbox().await;
    let team = sb.keys[0].team.clone();
    let dir = tempfile::tempdir().unwrap();
    let client = client(&sb, sb.admin_key());
    let (req_tx, req_rx) = mpsc::unbounded_channel();
    let (upd_tx, upd_rx) = mpsc::unbounded_channel();
    let worker = Worker::new(client, false, upd_tx)
        .with_audit(AuditLog::new(dir.path().join("audit.jsonl")))
        .with_read_only_teams([gigdash::api::TeamId::new(team.clone())]);
    tokio::spawn(worker.run(req_rx));
    let mut h = Harness {
        tx: req_tx,
        rx: upd_rx,
        audit: dir.path().join("audit.jsonl"),
        worker: None,
        _dir: dir,
    };
    let pending = first_payment(&sb, "pending").await;
    let (_, r0) = stats(&sb).await;
    let e = h
        .write(
            &team,
            WriteRequest::CancelPayment {
                payment_id: pending,
            },
            "gigdash_t_cancel_payment_ro",
        )
        .await
        .unwrap_err();
    assert_eq!(e, ApiError::ReadOnly);
    assert_eq!(stats(&sb).await.1, r0);
}

#[tokio::test]
async fn a_write_is_not_sent_when_the_audit_log_cannot_be_written() {
    let sb = sandbox().await;
    let team = sb.keys[0].team.clone();
    let mut h = start_worker(&sb.base_url, sb.admin_key(), false);
    // The audit log's path is a directory: no line can be appended to it.
    std::fs::create_dir_all(&h.audit).unwrap();
    let pending = first_payment(&sb, "pending").await;
    let (w0, r0) = stats(&sb).await;
    let e = h
        .write(
            &team,
            WriteRequest::MarkPaid {
                payment_id: pending.clone(),
                payment_form: "03".into(),
                date: 1_790_000_000,
            },
            "gigdash_t_mark_paid_no_audit",
        )
        .await
        .unwrap_err();
    let words = e.to_string();
    assert!(words.contains("audit log"), "{words}");
    assert!(
        words.contains(&h.audit.display().to_string()),
        "names the path: {words}"
    );
    assert!(words.contains("nothing was sent"), "{words}");
    assert!(!e.is_transient(), "not an unknown outcome: {e:?}");
    assert_eq!(
        stats(&sb).await,
        (w0, r0),
        "no request reached the server, nothing was applied"
    );
    assert_eq!(
        get(&sb, sb.admin_key(), &format!("/payments/{pending}")).await["data"]["status"],
        json!("pending")
    );
}

#[tokio::test]
async fn writes_still_queued_at_quit_are_not_sent_and_only_those_that_left_say_sent() {
    // A world big enough for a bulk of 30.
    let sb = sandbox_with(gigdash::sandbox::SandboxConfig {
        scale: 3_000,
        anchor: Some(ANCHOR),
        ..Default::default()
    })
    .await;
    let team = sb.keys[0].team.clone();
    // One request a second: most of a bulk waits behind the rate limit, longer than
    // quitting waits.
    let mut h = start_worker_with(
        sb.admin_key(),
        ClientConfig {
            requests_per_second: 1.0,
            burst: 1,
            ..fast_config(&sb.base_url)
        },
    );
    // Any payment not yet collected can be marked paid.
    let pending: Vec<String> = walk(&sb, sb.admin_key(), "/payments", 100)
        .await
        .into_iter()
        .filter(|p| {
            ["requires_payment_method", "pending", "processing"]
                .contains(&p["status"].as_str().unwrap_or(""))
        })
        .map(|p| p["id"].as_str().unwrap().to_string())
        .take(30)
        .collect();
    assert!(
        pending.len() >= 20,
        "the demo world has a bulk to mark: {}",
        pending.len()
    );
    let (w0, _) = stats(&sb).await;
    for (i, id) in pending.iter().enumerate() {
        h.start_write(
            &team,
            WriteRequest::MarkPaid {
                payment_id: id.clone(),
                payment_form: "03".into(),
                date: 1_790_000_000,
            },
            &format!("gigdash_t_bulk_{i}"),
        );
    }
    // Two answered, then Ctrl-C.
    for _ in 0..2 {
        h.next_done().await.unwrap();
    }
    h.tx.send(Request::Quit).unwrap();
    let left = tokio::time::timeout(Duration::from_secs(15), h.worker.take().unwrap())
        .await
        .expect("the worker stops")
        .unwrap();
    // What was still queued never leaves, even later.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let applied = (stats(&sb).await.0 - w0) as usize;
    let lines = h.audit_all();
    let phase = |p: &str| lines.iter().filter(|l| l["phase"] == json!(p)).count();
    assert_eq!(
        phase("sent"),
        applied,
        "a `sent` line for each write that left"
    );
    assert_eq!(phase("not sent"), pending.len() - applied, "{lines:#?}");
    assert_eq!(phase("unknown"), 0, "every write that left was answered");
    assert!(applied < pending.len(), "some were still queued at quit");
    for l in lines.iter().filter(|l| l["phase"] == json!("not sent")) {
        assert_eq!(l["result"], json!("not_sent"));
    }
    assert_eq!(
        left.not_sent,
        pending.len() - applied,
        "the exit summary's count"
    );
    assert_eq!(left.unknown, 0);
}

#[tokio::test]
async fn a_download_under_offline_asks_gigstack_for_nothing() {
    let sb = sandbox().await;
    let team = sb.keys[0].team.clone();
    let dir = tempfile::tempdir().unwrap();
    let store = std::sync::Arc::new(
        gigdash::store::open_in(dir.path(), "s.sqlite3")
            .unwrap()
            .store,
    );
    let inv = walk(&sb, sb.admin_key(), "/invoices/income?limit=1", 1).await;
    let uuid = inv[0]["uuid"].as_str().unwrap().to_string();
    let (req, mut upd) = spawn_worker(client(&sb, sb.admin_key()), |w| {
        w.with_store(Some(store.clone()), true)
            .with_downloads(dir.path().join("downloads"))
    });
    let (_, r0) = stats(&sb).await;
    req.send(Request::Download {
        team: gigdash::api::TeamId::new(team),
        team_name: "Centro".into(),
        uuid,
        folio: "A-1".into(),
    })
    .unwrap();
    let result = recv_within(&mut upd, "the download's answer", |u| match u {
        Update::Download {
            result: Some(r), ..
        } => Some(r),
        _ => None,
    })
    .await;
    let why = result.unwrap_err();
    assert!(why.contains("--offline"), "{why}");
    assert_eq!(stats(&sb).await.1, r0, "no request reached gigstack");
    assert!(!dir.path().join("downloads").exists(), "no file written");
}

#[tokio::test]
async fn a_service_deleted_after_it_was_picked_is_said_and_nothing_is_created() {
    use gigdash::api::{Amount, ClientId, NewItem, PaymentRequest};
    use gigdash::app::dialogs::kinds::{Create, CreateBody};
    let sb = sandbox().await;
    let team = sb.keys[0].team.clone();
    let k = sb.admin_key();
    let mut h = start_worker(&sb.base_url, k, false);
    let service = walk(&sb, k, "/services", 100).await[0].clone();
    let client = walk(&sb, k, "/clients", 100).await[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let before = walk(&sb, k, "/payments", 100).await.len();
    let sid = service["id"].as_str().unwrap().to_string();
    // Picked in the form, then deleted in gigstack before Yes.
    let (status, _) = http_json(
        http()
            .delete(format!("{}/services/{sid}", sb.base_url))
            .bearer_auth(k)
            .header("Idempotency-Key", "delete-service-1"),
    )
    .await;
    assert!(status < 300, "the service was deleted ({status})");
    let request = WriteRequest::Create(Box::new(Create {
        lock: client.clone(),
        services: vec![(1, sid.clone(), "Corte".into())],
        body: CreateBody::RequestPayment(PaymentRequest {
            client: ClientId { id: client }.into(),
            items: vec![NewItem {
                description: "Corte".into(),
                quantity: Amount(1.into()),
                unit_price: Amount(250.into()),
                product_key: "01010101".into(),
                unit_key: "E48".into(),
                taxes: vec![],
                discount: None,
                unit_name: None,
                taxability: None,
            }],
            currency: "MXN".into(),
            exchange_rate: None,
            allowed_payment_methods: vec!["bank".into()],
            automation_type: "none".into(),
            send_email: false,
            emails: vec![],
        }),
    }));
    let r = h.write(&team, request, "gigdash_t_request_1").await;
    let e = r.expect_err("a deleted service refuses the create");
    assert_eq!(e.field(), Some("items[0]"), "{e:?}");
    assert!(e.to_string().contains("deleted"), "{e}");
    assert_eq!(
        walk(&sb, k, "/payments", 100).await.len(),
        before,
        "nothing was created"
    );
}

#[tokio::test]
async fn a_new_client_is_audited_sent_then_answered_and_sat_checks_it_at_once() {
    use gigdash::api::{FiscalCheck, NewAddress, NewClient};
    use gigdash::app::dialogs::kinds::{Create, CreateBody};
    let sb = sandbox().await;
    let team = sb.keys[0].team.clone();
    let k = sb.admin_key();
    let mut h = start_worker(&sb.base_url, k, false);
    let request = WriteRequest::Create(Box::new(Create {
        lock: "EKU9003173C9".into(),
        services: vec![],
        body: CreateBody::CreateClient(NewClient {
            name: "Ferretería El Clavo".into(),
            legal_name: "FERRETERIA EL CLAVO".into(),
            tax_id: "EKU9003173C9".into(),
            tax_system: "601".into(),
            cfdi_use: "G03".into(),
            email: String::new(),
            address: NewAddress {
                zip: "03100".into(),
            },
        }),
    }));
    let r = h.write(&team, request, "gigdash_t_create_client_1").await;
    let Ok(WriteResult::Client(c, check)) = r else {
        panic!("a client and SAT's check: {r:?}");
    };
    assert_eq!(c.rfc(), "EKU9003173C9");
    assert_eq!(check, FiscalCheck::Valid);
    let lines = h.audit_all();
    let phases: Vec<&str> = lines
        .iter()
        .filter(|l| l["action"] == "create_client")
        .map(|l| l["phase"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(phases, ["sent", "answered"], "{lines:?}");
    let answered = lines.iter().find(|l| l["phase"] == "answered").unwrap();
    assert_eq!(answered["object_id"], "EKU9003173C9");
    assert_eq!(answered["idempotency_key"], "gigdash_t_create_client_1");
    assert_eq!(answered["result"], "ok");
    let raw = std::fs::read_to_string(&h.audit).unwrap();
    assert!(!raw.contains(k), "never the key");
}

/// A new branch through the worker: `POST /teams`, then each step its own request with its
/// own key; a step that fails says why and the others still run; sending what is left
/// again (`:retry`) with the same keys applies each step once.
#[tokio::test(flavor = "multi_thread")]
async fn a_new_branch_is_created_with_its_steps_and_what_failed_is_finished_once() {
    use gigdash::app::dialogs::kinds::{BranchStep, Create, CreateBody, NewBranch};
    let sb = sandbox().await;
    let mut h = start_worker(&sb.base_url, sb.admin_key(), false);
    let own = sb.keys[0].team.clone();
    let settings = json!({"unit_key": "H87", "use": "G01"});
    let steps = vec![
        BranchStep::Settings {
            from: "Matriz".into(),
            settings: settings.clone(),
        },
        BranchStep::Series("A".into()),
        BranchStep::Series("NC".into()),
        BranchStep::Member {
            user: "user_gerente".into(),
            role: "admin".into(),
        },
        // A role gigstack does not know: this step fails, the others run.
        BranchStep::Member {
            user: "user_odd".into(),
            role: "boss".into(),
        },
        BranchStep::Onboarding,
    ];
    let create = |body| {
        WriteRequest::Create(Box::new(Create {
            lock: "new_branch:DLN010101AB1".into(),
            body,
            services: vec![],
        }))
    };
    let key = "gigdash_new_branch_test_0001";
    let r = h
        .write(
            &own,
            create(CreateBody::NewBranch(NewBranch {
                name: "Doña Lupe Nueva".into(),
                legal_name: "DOÑA LUPE NUEVA SA DE CV".into(),
                rfc: "DLN010101AB1".into(),
                regime: "601".into(),
                zip: "06700".into(),
                steps: steps.clone(),
            })),
            key,
        )
        .await;
    let Ok(WriteResult::Branch(made)) = r else {
        panic!("{r:?}")
    };
    let failed: Vec<&BranchStep> = made
        .steps
        .iter()
        .filter(|(_, r)| r.is_err())
        .map(|(s, _)| s)
        .collect();
    assert_eq!(failed, vec![&steps[4]], "{:?}", made.steps);
    let url = made.url.clone().expect("the onboarding link");
    assert!(url.contains(made.team.as_str()), "{url}");
    let id = made.team.to_string();
    let q = format!("?team={id}");
    let team = get(&sb, sb.admin_key(), &format!("/teams/{id}{q}")).await;
    assert_eq!(team["data"]["tax_id"], "DLN010101AB1");
    assert_eq!(team["data"]["address"]["zip"], "06700");
    let s = get(&sb, sb.admin_key(), &format!("/teams/{id}/settings{q}")).await;
    assert_eq!(
        (s["data"]["unit_key"].clone(), s["data"]["use"].clone()),
        (json!("H87"), json!("G01"))
    );
    let series = get(&sb, sb.admin_key(), &format!("/teams/{id}/series{q}")).await;
    let names: Vec<&str> = series["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["series"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["A", "NC"]);
    // What is left, again, with the same keys: the failed step only; the series already
    // made are not made twice (the earlier steps are resent too: applied once).
    let (writes_before, _) = stats(&sb).await;
    let again = h
        .write(
            &own,
            create(CreateBody::FinishBranch {
                team: made.team.clone(),
                name: made.name.clone(),
                steps: vec![steps[0].clone(), steps[1].clone(), steps[4].clone()],
            }),
            key,
        )
        .await;
    let Ok(WriteResult::Branch(again)) = again else {
        panic!("{again:?}")
    };
    // The settings step's key replays its first answer (a new key would write again).
    assert!(again.steps[0].1.is_ok(), "{:?}", again.steps);
    assert!(again.steps[1].1.is_ok(), "series A: already there");
    assert!(again.steps[2].1.is_err(), "the odd role still fails");
    let (writes_after, _) = stats(&sb).await;
    assert_eq!(writes_after, writes_before, "nothing applied twice");
    // The same RFC again: refused, nothing made.
    let r = h
        .write(
            &own,
            create(CreateBody::NewBranch(NewBranch {
                name: "Otra".into(),
                legal_name: "OTRA SA DE CV".into(),
                rfc: "DLN010101AB1".into(),
                regime: "601".into(),
                zip: "06700".into(),
                steps: vec![],
            })),
            "gigdash_new_branch_test_0002",
        )
        .await;
    assert!(
        matches!(&r, Err(ApiError::Conflict { code: Some(c), .. }) if c == "tax_id_taken"),
        "{r:?}"
    );
    // Audited once per attempt, never the key.
    let lines: Vec<Value> = h
        .audit_all()
        .into_iter()
        .filter(|l| l["action"] == "new_branch" && l["phase"] == "answered")
        .collect();
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert!(
        lines[0]["outcome"]
            .as_str()
            .unwrap()
            .contains("5 of 6 steps done"),
        "{lines:?}"
    );
    let whole = std::fs::read_to_string(&h.audit).unwrap();
    assert!(!whole.contains(sb.admin_key()), "never the API key");
}
