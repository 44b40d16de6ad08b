//! `gigdash sync`, `gigdash store info|clear` and the store's line in `gigdash info`,
//! against the sandbox: a line per team, counts equal to the API's, an incremental second
//! run, a failing team named with a non-zero exit, the store off when asked, three syncs
//! and a dashboard sharing one store.

mod common;

use std::os::unix::fs::PermissionsExt;

use common::*;

fn run(c: &mut std::process::Command) -> (bool, String, String) {
    let out = output_within(c);
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn line<'a>(text: &'a str, label: &str) -> &'a str {
    text.lines()
        .find(|l| l.starts_with(label))
        .unwrap_or_else(|| panic!("no «{label}» line in:\n{text}"))
}

/// The status of payment `id` of `team` as the store file at `path` holds it.
fn stored_payment_status(path: &str, team: &str, id: &str) -> String {
    let path = std::path::Path::new(path);
    let opened = gigdash::store::open_in(
        path.parent().unwrap(),
        path.file_name().unwrap().to_str().unwrap(),
    )
    .unwrap();
    let p: gigdash::api::Payment = opened
        .store
        .doc(
            &gigdash::api::TeamId::new(team),
            gigdash::store::Kind::Payment,
            id,
        )
        .unwrap()
        .unwrap_or_else(|| panic!("payment {id} of {team} is not in the store"));
    p.status().to_string()
}

/// The status of invoice `uuid` of `team` as the store file at `path` holds it.
fn stored_invoice_status(path: &str, team: &str, uuid: &str) -> String {
    let path = std::path::Path::new(path);
    let opened = gigdash::store::open_in(
        path.parent().unwrap(),
        path.file_name().unwrap().to_str().unwrap(),
    )
    .unwrap();
    let i: gigdash::api::Invoice = opened
        .store
        .doc(
            &gigdash::api::TeamId::new(team),
            gigdash::store::Kind::Invoice,
            uuid,
        )
        .unwrap()
        .unwrap_or_else(|| panic!("invoice {uuid} of {team} is not in the store"));
    serde_json::to_value(&i).unwrap()["status"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn sync_fills_the_store_with_what_the_api_lists_and_a_second_run_is_incremental() {
    // A team with more clients than one page holds (the sandbox makes a client per 25
    // invoices, and a page is 100): a complete read of them takes two requests or more, an
    // incremental one a single page, so the second sync must need fewer requests.
    let sb = sandbox_with(gigdash::sandbox::SandboxConfig {
        scale: 3200,
        anchor: Some(ANCHOR),
        teams: Some(2),
        ..Default::default()
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let (_, before_first) = stats(&sb).await;
    let (ok, out, err) = run(gigdash_cmd(&sb, sb.admin_key(), dir.path()).arg("sync"));
    assert!(ok, "{out}\n{err}");
    let (_, after_first) = stats(&sb).await;
    let first_requests = after_first - before_first;
    let teams = walk(&sb, sb.admin_key(), "/teams", 100).await;
    let mut invoices = 0;
    // Client pages an incremental sync does not read again: clients never change status,
    // so it asks only from the newest one on (a page) where a complete read asks for all.
    let mut client_pages_saved: u64 = 0;
    for t in &teams {
        let id = t["id"].as_str().unwrap();
        let clients = walk(&sb, sb.admin_key(), &format!("/clients?team={id}"), 100)
            .await
            .len();
        client_pages_saved += clients.div_ceil(100).saturating_sub(1) as u64;
        invoices += walk(
            &sb,
            sb.admin_key(),
            &format!("/invoices/income?team={id}"),
            100,
        )
        .await
        .len();
        let name = t["name"].as_str().unwrap();
        assert!(out.contains(name), "a line for {name}:\n{out}");
    }
    assert!(
        out.contains(&format!("{} teams synced", teams.len())),
        "{out}"
    );
    assert!(out.contains("(complete)"));

    let (ok, info, _) = run(gigdash_cmd(&sb, sb.admin_key(), dir.path()).args(["store", "info"]));
    assert!(ok);
    let path = line(&info, "path")
        .trim_start_matches("path")
        .trim()
        .to_string();
    assert!(
        path.starts_with(
            &dir.path()
                .join("cache")
                .join("gigdash")
                .display()
                .to_string()
        )
    );
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    // Over 2,000 invoices stored: they are compressed with a dictionary of their own.
    let compression = line(&info, "compression");
    assert!(
        compression.contains("zstd, dictionaries for invoices"),
        "{compression}"
    );
    assert!(
        line(&info, "teams").ends_with(&teams.len().to_string()),
        "{info}"
    );
    let stored: usize = line(&info, "invoices")
        .trim_start_matches("invoices")
        .trim()
        .replace(',', "")
        .parse()
        .unwrap();
    assert_eq!(stored, invoices);
    let (_, general, _) = run(gigdash_cmd(&sb, sb.admin_key(), dir.path()).arg("info"));
    assert!(line(&general, "store").ends_with(&path), "{general}");

    // Paid on the server between the two syncs: the OLDEST payment the store holds as
    // pending, created before the newest stored payment. The bound "new since the newest
    // stored document" never reads it again; only "everything since the oldest
    // still-open document" does, so that is the window this proves.
    let created = |p: &serde_json::Value| -> i64 {
        p["created_at"]
            .as_i64()
            .unwrap_or_else(|| panic!("a payment without created_at: {p}"))
    };
    let mut pending = None;
    for t in &teams {
        let id = t["id"].as_str().unwrap();
        let p = walk(
            &sb,
            sb.admin_key(),
            &format!("/payments?status=pending&team={id}"),
            100,
        )
        .await;
        let Some(oldest) = p.iter().min_by_key(|p| created(p)) else {
            continue;
        };
        let newest = walk(&sb, sb.admin_key(), &format!("/payments?team={id}"), 100)
            .await
            .iter()
            .map(created)
            .max()
            .unwrap();
        if created(oldest) < newest {
            pending = Some((id.to_string(), oldest["id"].as_str().unwrap().to_string()));
            break;
        }
    }
    let (team, paid) =
        pending.expect("a pending payment older than its team's newest payment in some team");
    assert_eq!(stored_payment_status(&path, &team, &paid), "pending");
    let (status, body) = call(
        &sb,
        "POST",
        sb.admin_key(),
        &format!("/payments/{paid}/paid?team={team}"),
        Some(serde_json::json!({ "payment_form": "03" })),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    // And a valid invoice cancelled (under $1,000: no acceptance to wait for). It was not
    // open in the store: only the count of cancelled invoices tells the sync to look.
    let doomed = small_pue_invoice(&sb, &teams, None).await;
    let (doomed_team, doomed) = doomed.expect("a valid PUE invoice under $1,000");
    assert_eq!(stored_invoice_status(&path, &doomed_team, &doomed), "valid");
    cancel(&sb, &doomed_team, &doomed).await;

    // Again: only what is new or can still change is read — fewer requests than the
    // complete read, and the payment paid in between is in the store as paid.
    let (_, before_again) = stats(&sb).await;
    let (ok, again, err) = run(gigdash_cmd(&sb, sb.admin_key(), dir.path()).arg("sync"));
    assert!(ok, "{err}");
    let (_, after_again) = stats(&sb).await;
    let again_requests = after_again - before_again;
    assert!(again.contains("(new and changed)"), "{again}");
    // Read whole again only where one page holds the team's invoices (it costs one request).
    for l in again.lines().filter(|l| l.contains("(complete)")) {
        let invoices: u64 = l
            .split(" invoices")
            .next()
            .and_then(|h| h.rsplit(' ').next())
            .and_then(|n| n.replace(',', "").parse().ok())
            .unwrap_or_else(|| panic!("a count of invoices in {l}"));
        assert!(invoices < 100, "{l}");
    }
    println!("requests: complete sync {first_requests}, incremental sync {again_requests}");
    assert!(
        client_pages_saved > 0,
        "a team has more than a page of clients"
    );
    assert!(
        again_requests + client_pages_saved <= first_requests,
        "the second sync took {again_requests} requests, the complete one {first_requests}: \
         it read the {client_pages_saved} extra pages of clients again"
    );
    assert_eq!(
        stored_payment_status(&path, &team, &paid),
        "succeeded",
        "the change made on the server between the syncs was read"
    );
    assert_eq!(
        stored_invoice_status(&path, &doomed_team, &doomed),
        "canceled",
        "the cancellation made on the server between the syncs was read"
    );
    // What it costs: per team a page of new documents per kind and one count per open
    // (and cancelled/refunded) status; whole lists only where a count moved; by id what
    // left an open list. Even on this small world that is under half a complete read
    // (on `--scale 100000`, scripts/sync_twice.py: 9 %).
    assert!(
        again_requests * 100 <= first_requests * 45,
        "the second sync took {again_requests} requests, the complete one {first_requests}"
    );
    // --full reads everything again.
    let (ok, full, _) = run(gigdash_cmd(&sb, sb.admin_key(), dir.path()).args(["sync", "--full"]));
    assert!(ok && full.contains("(complete)"), "{full}");

    // One team forgotten, then everything.
    let first = teams[0]["id"].as_str().unwrap();
    let (ok, _, _) =
        run(gigdash_cmd(&sb, sb.admin_key(), dir.path()).args(["store", "clear", "--team", first]));
    assert!(ok);
    let (_, info2, _) = run(gigdash_cmd(&sb, sb.admin_key(), dir.path()).args(["store", "info"]));
    let after: usize = line(&info2, "invoices")
        .trim_start_matches("invoices")
        .trim()
        .replace(',', "")
        .parse()
        .unwrap();
    assert!(after < stored || invoices == 0, "{info2}");
    let (ok, _, _) = run(gigdash_cmd(&sb, sb.admin_key(), dir.path()).args(["store", "clear"]));
    assert!(ok);
    let (_, info3, _) = run(gigdash_cmd(&sb, sb.admin_key(), dir.path()).args(["store", "info"]));
    assert!(line(&info3, "invoices").ends_with(" 0"), "{info3}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_team_that_cannot_be_read_fails_the_sync_by_name() {
    let sb = sandbox_with(gigdash::sandbox::SandboxConfig {
        scale: 300,
        anchor: Some(ANCHOR),
        teams: Some(6),
        ..Default::default()
    })
    .await;
    // The fifth request is refused for good (403: the team left the billing account), so
    // one team's read fails and the others go on.
    set_faults(&sb, serde_json::json!({ "fail_next": ["403"], "skip": 4 })).await;
    let dir = tempfile::tempdir().unwrap();
    let (ok, out, err) = run(gigdash_cmd(&sb, sb.admin_key(), dir.path()).arg("sync"));
    assert!(!ok, "{out}\n{err}");
    assert!(out.contains("FAILED"), "{out}");
    assert!(err.contains("1 of 6 teams failed:"), "{err}");
    let failed_line = out.lines().find(|l| l.contains("FAILED")).unwrap();
    let name = failed_line
        .split("] ")
        .nth(1)
        .unwrap()
        .split(" (")
        .next()
        .unwrap();
    assert!(err.contains(name), "{err}");
}

#[tokio::test(flavor = "multi_thread")]
async fn with_the_store_off_nothing_is_kept_and_sync_says_why() {
    let sb = sandbox().await;
    let dir = tempfile::tempdir().unwrap();
    let (ok, _, err) =
        run(gigdash_cmd(&sb, sb.admin_key(), dir.path()).args(["--no-store", "sync"]));
    assert!(!ok);
    assert!(err.contains("the store is off"), "{err}");
    let cfg = dir.path().join("config").join("gigdash");
    std::fs::create_dir_all(&cfg).unwrap();
    std::fs::write(cfg.join("config.toml"), "store = false\n").unwrap();
    let (_, info, _) = run(gigdash_cmd(&sb, sb.admin_key(), dir.path()).arg("info"));
    assert!(line(&info, "store").contains("off"), "{info}");
    let (ok, _, _) = run(gigdash_cmd(&sb, sb.admin_key(), dir.path()).arg("sync"));
    assert!(!ok);
    assert!(!dir.path().join("cache").join("gigdash").exists());
}

#[tokio::test(flavor = "multi_thread")]
async fn export_offline_reads_the_store_and_equals_the_online_export() {
    let sb = sandbox().await;
    let dir = tempfile::tempdir().unwrap();
    let (ok, _, err) = run(gigdash_cmd(&sb, sb.admin_key(), dir.path()).arg("sync"));
    assert!(ok, "{err}");
    let online = dir.path().join("online.csv");
    let (ok, _, err) = run(gigdash_cmd(&sb, sb.admin_key(), dir.path())
        .args(["export", "invoices", "--all-teams", "--output"])
        .arg(&online));
    assert!(ok, "{err}");
    // gigstack answers nothing but 503 now: only the store can serve the export.
    set_faults(
        &sb,
        serde_json::json!({ "fault_rate": 1.0, "kinds": ["503"] }),
    )
    .await;
    let offline = dir.path().join("offline.csv");
    let (ok, _, err) = run(gigdash_cmd(&sb, sb.admin_key(), dir.path())
        .args(["--offline", "export", "invoices", "--all-teams", "--output"])
        .arg(&offline));
    assert!(ok, "{err}");
    assert!(err.contains("from the store"), "{err}");
    let sorted = |p: &std::path::Path| {
        let mut lines: Vec<String> = std::fs::read_to_string(p)
            .unwrap()
            .lines()
            .map(String::from)
            .collect();
        lines.sort();
        lines
    };
    let (a, b) = (sorted(&online), sorted(&offline));
    assert!(a.len() > 20);
    assert_eq!(a, b);
    // A status filter works on the stored objects too.
    let (ok, out, err) = run(gigdash_cmd(&sb, sb.admin_key(), dir.path()).args([
        "--offline",
        "export",
        "invoices",
        "--all-teams",
        "--status",
        "canceled",
    ]));
    assert!(ok, "{err}");
    assert!(
        out.lines().count() > 1 && out.lines().skip(1).all(|l| l.contains("canceled")),
        "{out}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_clock_that_went_backwards_makes_the_next_sync_complete_not_wrong() {
    let sb = sandbox().await;
    let dir = tempfile::tempdir().unwrap();
    let (ok, _, err) = run(gigdash_cmd(&sb, sb.admin_key(), dir.path()).arg("sync"));
    assert!(ok, "{err}");
    // The last refresh now lies a month in the future: this machine's clock went back.
    let c = rusqlite::Connection::open(store_path(&sb, dir.path())).unwrap();
    c.execute_batch(
        "UPDATE synced SET at = at + 2592000, full_at = full_at + 2592000; \
         UPDATE docs SET created = created + 2592000 WHERE kind = 2;",
    )
    .unwrap();
    drop(c);
    let (ok, out, err) = run(gigdash_cmd(&sb, sb.admin_key(), dir.path()).arg("sync"));
    assert!(ok, "{err}");
    // Nothing is trusted as recent: every team is read completely again.
    assert!(
        out.contains("(complete)") && !out.contains("(new and changed)"),
        "{out}"
    );
    let (ok, info, _) = run(gigdash_cmd(&sb, sb.admin_key(), dir.path()).args(["store", "info"]));
    assert!(ok, "{info}");
}

/// The store file the binary uses for `sb`'s admin key with its files under `state`.
fn store_file(
    sb: &gigdash::sandbox::Sandbox,
    state: &std::path::Path,
) -> (std::path::PathBuf, String) {
    let key = gigdash::api::ApiKey::new(sb.admin_key());
    (
        state.join("cache").join("gigdash"),
        gigdash::store::file_name(&sb.base_url, &key.identity()),
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn three_full_syncs_and_a_dashboard_on_one_store_all_finish_with_every_team() {
    let sb = sandbox_with(gigdash::sandbox::SandboxConfig {
        scale: 2400,
        anchor: Some(ANCHOR),
        teams: Some(6),
        ..Default::default()
    })
    .await;
    let teams = walk(&sb, sb.admin_key(), "/teams", 100).await;
    assert!(teams.len() >= 6, "{} teams", teams.len());
    let dir = tempfile::tempdir().unwrap();
    let (folder, name) = store_file(&sb, dir.path());
    let syncs: Vec<std::process::Child> = (0..3)
        .map(|_| {
            gigdash_cmd(&sb, sb.admin_key(), dir.path())
                .args(["sync", "--full"])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    // The dashboard: its own connection, keeping a page of documents and reading the
    // Group figures over and over while the syncs run.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let dashboard = {
        let (folder, name, stop) = (folder.clone(), name.clone(), stop.clone());
        std::thread::spawn(move || -> Result<usize, String> {
            let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
            let store = loop {
                match gigdash::store::open_in(&folder, &name) {
                    Ok(o) => break o.store,
                    Err(e) if std::time::Instant::now() > deadline => return Err(e.to_string()),
                    // The folder appears with the first sync.
                    Err(_) => std::thread::sleep(std::time::Duration::from_millis(20)),
                }
            };
            let team = gigdash::api::TeamId::new("team_dashboard");
            let mut pages = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let ids: Vec<String> = (0..100).map(|i| format!("dash_{pages}_{i}")).collect();
                let bodies: Vec<serde_json::Value> = ids
                    .iter()
                    .map(|id| serde_json::json!({ "id": id }))
                    .collect();
                let docs: Vec<gigdash::store::Doc<'_, serde_json::Value>> = ids
                    .iter()
                    .zip(&bodies)
                    .map(|(id, body)| gigdash::store::Doc {
                        id,
                        body,
                        facts: gigdash::store::Facts::default(),
                    })
                    .collect();
                store
                    .put_docs(
                        &team,
                        gigdash::store::Kind::Invoice,
                        &docs,
                        pages % 7 == 0,
                        1,
                    )
                    .map_err(|e| format!("the dashboard's write {pages}: {e}"))?;
                store
                    .figures(gigdash::store::Window::at(ANCHOR, 30), None)
                    .map_err(|e| format!("the dashboard's read {pages}: {e}"))?;
                pages += 1;
            }
            Ok(pages)
        })
    };
    let outputs: Vec<std::process::Output> = syncs
        .into_iter()
        .map(|c| c.wait_with_output().unwrap())
        .collect();
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let pages = dashboard.join().unwrap().unwrap_or_else(|e| panic!("{e}"));
    assert!(pages > 0, "the dashboard wrote while the syncs ran");
    for (i, o) in outputs.iter().enumerate() {
        let (out, err) = (
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr),
        );
        // The log says why a store write failed.
        let log: String = std::fs::read_dir(dir.path().join("gigdash"))
            .into_iter()
            .flatten()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().starts_with("gigdash.log"))
            .filter_map(|e| std::fs::read_to_string(e.path()).ok())
            .collect::<String>();
        let log = log
            .lines()
            .filter(|l| l.contains("store"))
            .collect::<Vec<_>>()
            .join("\n");
        assert!(o.status.success(), "sync {i} failed:\n{out}\n{err}\n{log}");
        assert!(
            out.contains(&format!("{} teams synced", teams.len())),
            "sync {i}:\n{out}"
        );
    }
    // Every team, with every invoice the API lists.
    let store = gigdash::store::open_in(&folder, &name).unwrap().store;
    assert_eq!(store.teams().unwrap().len(), teams.len());
    for t in &teams {
        let id = t["id"].as_str().unwrap();
        let invoices = walk(
            &sb,
            sb.admin_key(),
            &format!("/invoices/income?team={id}"),
            100,
        )
        .await
        .len();
        let synced = store
            .synced(
                &gigdash::api::TeamId::new(id),
                gigdash::store::Kind::Invoice,
            )
            .unwrap()
            .unwrap_or_else(|| panic!("team {id} is in the store"));
        assert_eq!(synced.count as usize, invoices, "team {id}");
    }
}

/// Overwrites the middle fifth of the file at `path` with junk (whole pages; the header
/// stays valid, so it still opens).
fn damage_the_middle(path: &std::path::Path) {
    use std::io::{Seek, Write};
    let len = std::fs::metadata(path).unwrap().len();
    let page = 4096;
    let (from, to) = (len * 2 / 5 / page * page, len * 3 / 5 / page * page);
    assert!(
        from >= page && to > from,
        "a file of {len} bytes has a middle"
    );
    let mut f = std::fs::OpenOptions::new().write(true).open(path).unwrap();
    f.seek(std::io::SeekFrom::Start(from)).unwrap();
    f.write_all(&vec![0xA5; (to - from) as usize]).unwrap();
}

fn set_aside(folder: &std::path::Path) -> usize {
    std::fs::read_dir(folder)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains(".corrupt-"))
        .count()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_store_damaged_behind_its_header_is_moved_aside_by_sync_and_by_store_clear() {
    let sb = sandbox_with(gigdash::sandbox::SandboxConfig {
        scale: 2400,
        anchor: Some(ANCHOR),
        teams: Some(4),
        ..Default::default()
    })
    .await;
    let teams = walk(&sb, sb.admin_key(), "/teams", 100).await;
    let dir = tempfile::tempdir().unwrap();
    let (folder, name) = store_file(&sb, dir.path());
    let (ok, _, err) = run(gigdash_cmd(&sb, sb.admin_key(), dir.path()).args(["sync", "--full"]));
    assert!(ok, "{err}");
    damage_the_middle(&folder.join(&name));

    // The next sync meets the damage at a write: said once, the file moved aside, and
    // every team is in the new file when it ends.
    let (ok, out, err) = run(gigdash_cmd(&sb, sb.admin_key(), dir.path()).args(["sync", "--full"]));
    assert!(ok, "the sync after the damage failed:\n{out}\n{err}");
    println!("{out}{err}");
    assert_eq!(
        err.matches("The store was damaged").count(),
        1,
        "said once:\n{err}"
    );
    assert!(err.contains("moved it to"), "{err}");
    assert_eq!(set_aside(&folder), 1);
    let store = gigdash::store::open_in(&folder, &name).unwrap().store;
    assert_eq!(store.teams().unwrap().len(), teams.len());
    for t in &teams {
        let id = t["id"].as_str().unwrap();
        let invoices = walk(
            &sb,
            sb.admin_key(),
            &format!("/invoices/income?team={id}"),
            100,
        )
        .await
        .len();
        let synced = store
            .synced(
                &gigdash::api::TeamId::new(id),
                gigdash::store::Kind::Invoice,
            )
            .unwrap()
            .unwrap_or_else(|| panic!("team {id} is in the new store:\n{out}"));
        assert_eq!(synced.count as usize, invoices, "team {id}:\n{out}");
    }
    drop(store);

    // Damaged again: `store clear` clears it all the same, and says so.
    damage_the_middle(&folder.join(&name));
    let (ok, out, err) = run(gigdash_cmd(&sb, sb.admin_key(), dir.path()).args(["store", "clear"]));
    assert!(ok, "store clear failed:\n{out}\n{err}");
    assert!(
        err.contains("The store was damaged") && err.contains("moved it to"),
        "{err}"
    );
    assert!(out.contains("Cleared everything"), "{out}");
    assert_eq!(set_aside(&folder), 2);
    let (ok, info, _) = run(gigdash_cmd(&sb, sb.admin_key(), dir.path()).args(["store", "info"]));
    assert!(ok && line(&info, "invoices").ends_with(" 0"), "{info}");
}

/// Three `gigdash sync --full` at once with one key, each with the profile at 4 requests
/// a second, against a sandbox that answers 429 above 10 in a second for the key: `dirs`
/// are their cache folders (one shared, or one each). The 429s the sandbox served. (4, not
/// 9: on two cores busy with other tests a process can stall a second and then send the
/// requests it had reserved together, as one process alone can; 4 leaves room for that.)
async fn three_syncs(sb: &gigdash::sandbox::Sandbox, dirs: [&std::path::Path; 3]) -> u64 {
    let before = rate_limited(sb).await;
    let runs: Vec<_> = dirs
        .iter()
        .map(|d| {
            let cfg = d.join("config");
            std::fs::create_dir_all(cfg.join("gigdash")).unwrap();
            std::fs::write(
                cfg.join("gigdash").join("config.toml"),
                "[profiles.default]\nrequests_per_second = 4\nburst = 1\n",
            )
            .unwrap();
            let mut c = gigdash_cmd(sb, sb.admin_key(), d);
            c.args(["sync", "--full"])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped());
            c.spawn().unwrap()
        })
        .collect();
    // Each must end within two minutes (a sync stuck on the budget's lock fails the test).
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    for mut r in runs {
        while r.try_wait().unwrap().is_none() {
            if std::time::Instant::now() > deadline {
                let _ = r.kill();
                panic!("a sync did not finish within two minutes");
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        let out = r.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            !String::from_utf8_lossy(&out.stderr).contains("not shared"),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    rate_limited(sb).await - before
}

#[tokio::test(flavor = "multi_thread")]
async fn three_syncs_with_one_key_on_one_host_share_its_rate_limit_and_draw_no_429() {
    let sb = sandbox_with(gigdash::sandbox::SandboxConfig {
        scale: 1200,
        anchor: Some(ANCHOR),
        teams: Some(3),
        rate_limit: Some(10),
        ..Default::default()
    })
    .await;
    // Each on its own budget (their cache folders apart): together 12 a second, 429s.
    let apart = [
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
    ];
    let drawn = three_syncs(&sb, [apart[0].path(), apart[1].path(), apart[2].path()]).await;
    assert!(
        drawn > 0,
        "three budgets of 4 a second overrun a limit of 10"
    );
    // One folder (one store, one budget file): every sync finishes, not one 429.
    let one = tempfile::tempdir().unwrap();
    let drawn = three_syncs(&sb, [one.path(), one.path(), one.path()]).await;
    assert_eq!(drawn, 0, "one shared budget of 4 a second stays under 10");
}

/// The store's file of the cache folder under `dir`, as `gigdash store info` names it.
fn store_path(sb: &gigdash::sandbox::Sandbox, dir: &std::path::Path) -> std::path::PathBuf {
    let (ok, info, err) = run(gigdash_cmd(sb, sb.admin_key(), dir).args(["store", "info"]));
    assert!(ok, "{err}");
    line(&info, "path").trim_start_matches("path").trim().into()
}

/// That store, opened in this process (as a second reader would).
fn opened_store(sb: &gigdash::sandbox::Sandbox, dir: &std::path::Path) -> gigdash::store::Store {
    let path = store_path(sb, dir);
    gigdash::store::open_in(
        path.parent().unwrap(),
        path.file_name().unwrap().to_str().unwrap(),
    )
    .unwrap()
    .store
}

/// `gigdash changes` with these arguments: (exit code, stdout, stderr).
fn changes(
    sb: &gigdash::sandbox::Sandbox,
    dir: &std::path::Path,
    args: &[&str],
) -> (i32, String, String) {
    let out = output_within(
        gigdash_cmd(sb, sb.admin_key(), dir)
            .arg("changes")
            .args(args),
    );
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn changes_after_two_syncs_lists_what_the_api_changed_and_exits_by_what_needs_attention() {
    let sb = sandbox_with(gigdash::sandbox::SandboxConfig {
        scale: 600,
        teams: Some(3),
        cancel_accept_secs: 86_400,
        ..Default::default()
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    // Before any sync: nothing stored, said, exit 2.
    let (code, _, err) = changes(&sb, dir.path(), &[]);
    assert_eq!(code, 2, "{err}");
    let (ok, _, err) = run(gigdash_cmd(&sb, sb.admin_key(), dir.path()).arg("sync"));
    assert!(ok, "{err}");
    // The first read is not a change.
    let (code, out, err) = changes(&sb, dir.path(), &["--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let brief: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(brief["teams_changed"], 0, "{out}");
    assert_eq!(brief["teams_looked"], 3, "{out}");

    // Through the API: a pending payment paid in one team, a valid invoice cancelled in
    // another.
    let teams = walk(&sb, sb.admin_key(), "/teams", 100).await;
    let mut paid = None;
    for t in &teams {
        let id = t["id"].as_str().unwrap();
        let p = walk(
            &sb,
            sb.admin_key(),
            &format!("/payments?status=pending&team={id}"),
            100,
        )
        .await;
        if let Some(p) = p.iter().find(|p| p["currency"] == "MXN") {
            paid = Some((
                id.to_string(),
                p["id"].as_str().unwrap().to_string(),
                p["total"]
                    .to_string()
                    .trim_matches('"')
                    .parse::<rust_decimal::Decimal>()
                    .unwrap(),
            ));
            break;
        }
    }
    let (paid_team, pay, total) = paid.expect("a pending MXN payment");
    let (status, body) = call(
        &sb,
        "POST",
        sb.admin_key(),
        &format!("/payments/{pay}/paid?team={paid_team}"),
        Some(serde_json::json!({ "payment_form": "03" })),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (doomed_team, doomed) = small_pue_invoice(&sb, &teams, Some(&paid_team))
        .await
        .expect("a valid PUE invoice under $1,000 in another team");
    let body = cancel(&sb, &doomed_team, &doomed).await;
    let cancelled_total: rust_decimal::Decimal = body["data"]["total"]
        .to_string()
        .trim_matches('"')
        .parse()
        .unwrap();

    let (ok, _, err) = run(gigdash_cmd(&sb, sb.admin_key(), dir.path()).arg("sync"));
    assert!(ok, "{err}");
    let (code, out, err) = changes(&sb, dir.path(), &["--format", "json", "--since", "1h"]);
    assert_eq!(code, 0, "nothing needs attention: {err}");
    let brief: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(brief["teams_changed"], 2, "{out}");
    assert_eq!(brief["needs_attention"], false);
    let team = |id: &str| {
        brief["teams"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["id"] == id)
            .unwrap_or_else(|| panic!("{id} in {out}"))
            .clone()
    };
    let figure = |t: &serde_json::Value, kind: &str| -> (u64, rust_decimal::Decimal) {
        let f = t["changes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["kind"] == kind)
            .unwrap();
        (
            f["count"].as_u64().unwrap(),
            f["amount"].as_str().unwrap().parse().unwrap(),
        )
    };
    let a = team(&paid_team);
    assert_eq!(figure(&a, "collected"), (1, total));
    assert_eq!(figure(&a, "cancelled").0, 0);
    assert_eq!(a["documents"][0]["id"], pay.as_str());
    assert_eq!(a["documents"][0]["object"], "payment");
    let b = team(&doomed_team);
    assert_eq!(figure(&b, "cancelled"), (1, cancelled_total));
    assert_eq!(figure(&b, "collected").0, 0);
    // One team asked: only its changes.
    let (code, out, _) = changes(
        &sb,
        dir.path(),
        &["--format", "json", "--since", "1h", "--team", &paid_team],
    );
    assert_eq!(code, 0);
    let one: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        (one["teams_changed"].as_u64(), one["teams_looked"].as_u64()),
        (Some(1), Some(1))
    );
    // CSV: a row per document, with its header (the two changes, and the receipts about
    // to expire, a kind of their own).
    let (code, out, _) = changes(&sb, dir.path(), &["--format", "csv", "--since", "1h"]);
    assert_eq!(code, 0);
    // (Counted from the CSV itself: a receipt may cross the week's edge between the runs.)
    assert_eq!(
        out.lines()
            .filter(|l| !l.contains(",expiring_receipts,receipt,"))
            .count(),
        3,
        "{out}"
    );
    assert!(out.lines().any(|l| l.contains(&pay)), "{out}");

    // A failed payment needs attention: exit 1 (noted in the store as a sync would).
    {
        opened_store(&sb, dir.path())
            .note_change(&gigdash::store::Change {
                team: gigdash::api::TeamId::new(&paid_team),
                kind: gigdash::store::Kind::Payment,
                id: "payment_failed_now".into(),
                seen: jiff::Timestamp::now().as_second(),
                before: Some("pending".into()),
                after: Some("failed".into()),
                amount: rust_decimal::Decimal::new(5000, 2),
                created: 0,
            })
            .unwrap();
    }
    let (code, out, _) = changes(&sb, dir.path(), &["--since", "1h"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("**Needs attention:** 1 failed"), "{out}");
    // Bad arguments: said, exit 2.
    for args in [
        &["--format", "xml"][..],
        &["--since", "mañanita"][..],
        &["--team", "no such team"][..],
    ] {
        let (code, _, err) = changes(&sb, dir.path(), args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(!err.trim().is_empty(), "{args:?} says why");
    }
}

/// The receipts `gigdash changes` says expire within 7 days are exactly the open ones the
/// API lists with a `validUntil` in the coming week, per team, with their totals.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_receipts_said_to_expire_within_a_week_are_the_open_ones_the_api_lists() {
    let sb = sandbox_with(gigdash::sandbox::SandboxConfig {
        scale: 600,
        teams: Some(3),
        ..Default::default()
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let (ok, out, err) = run(gigdash_cmd(&sb, sb.admin_key(), dir.path()).arg("sync"));
    assert!(ok, "{err}");
    assert!(out.contains(" receipts read "), "{out}");
    // After the first sync, in the first team: a weekly receipt (it expires in 7 days) and
    // a monthly one (in 30); the next sync reads them.
    let teams = walk(&sb, sb.admin_key(), "/teams", 100).await;
    let first = teams[0]["id"].as_str().unwrap().to_string();
    let mut weekly = String::new();
    for periodicity in ["week", "month"] {
        let (status, body) = call(
            &sb,
            "POST",
            sb.admin_key(),
            &format!("/receipts?team={first}"),
            Some(serde_json::json!({
                "items": [{"quantity": 1, "unit_price": 500, "description": "Mostrador"}],
                "periodicity": periodicity,
                "payment_form": "01",
            })),
        )
        .await;
        assert_eq!(status, 201, "{body}");
        if periodicity == "week" {
            weekly = body["data"]["id"].as_str().unwrap().to_string();
        }
    }
    let (ok, _, err) = run(gigdash_cmd(&sb, sb.admin_key(), dir.path()).arg("sync"));
    assert!(ok, "{err}");
    let before = jiff::Timestamp::now().as_second();
    let (code, out, err) = changes(&sb, dir.path(), &["--format", "json", "--since", "1h"]);
    let after = jiff::Timestamp::now().as_second();
    assert_eq!(code, 0, "receipts about to expire need no attention: {err}");
    let brief: serde_json::Value = serde_json::from_str(&out).unwrap();
    // Nothing changed since the first sync: receipts about to expire are not a change.
    assert_eq!(brief["teams_changed"], 0, "{out}");
    assert!(out.contains(&weekly), "the weekly receipt is one: {out}");
    for t in &teams {
        let id = t["id"].as_str().unwrap();
        let open = walk(
            &sb,
            sb.admin_key(),
            &format!("/receipts?status=pending&team={id}"),
            100,
        )
        .await;
        let within = |now: i64| -> Vec<String> {
            let mut ids: Vec<String> = open
                .iter()
                .filter(|r| {
                    let v = r["validUntil"].as_i64().unwrap();
                    v > now && v <= now + 7 * 86_400
                })
                .map(|r| r["id"].as_str().unwrap().to_string())
                .collect();
            ids.sort();
            ids
        };
        let expected = within(before);
        // A receipt on the week's edge while the binary ran: either answer is right.
        if expected != within(after) {
            continue;
        }
        let listed = brief["teams"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["id"] == id);
        let mut got: Vec<String> = listed
            .map(|x| {
                x["documents"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|d| d["kind"] == "expiring_receipts")
                    .map(|d| {
                        assert_eq!(d["object"], "receipt");
                        d["id"].as_str().unwrap().to_string()
                    })
                    .collect()
            })
            .unwrap_or_default();
        got.sort();
        assert_eq!(got, expected, "team {id}: {out}");
        let sum: rust_decimal::Decimal = open
            .iter()
            .filter(|r| expected.iter().any(|e| r["id"] == e.as_str()) && r["currency"] == "MXN")
            .map(|r| {
                r["total"]
                    .to_string()
                    .trim_matches('"')
                    .parse::<rust_decimal::Decimal>()
                    .unwrap()
            })
            .sum();
        if let Some(x) = listed {
            let f = x["changes"]
                .as_array()
                .unwrap()
                .iter()
                .find(|f| f["kind"] == "expiring_receipts")
                .unwrap();
            assert_eq!(f["count"].as_u64(), Some(expected.len() as u64), "{out}");
            let amount: rust_decimal::Decimal = f["amount"].as_str().unwrap().parse().unwrap();
            assert_eq!(amount, sum, "team {id}: {out}");
        }
    }
    // The Markdown says how many, in a sentence of its own.
    let (_, md, _) = changes(&sb, dir.path(), &["--since", "1h"]);
    assert!(
        md.contains("into the global invoice within 7 days.")
            && md.contains("| Receipts expiring within 7 days | "),
        "{md}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_complement_whose_deadline_passes_in_the_window_is_a_late_one_of_the_changes() {
    use gigdash::i18n::Lang;
    // A world around today: some complements are owed with their deadline still ahead.
    let sb = sandbox_with(gigdash::sandbox::SandboxConfig {
        scale: 1200,
        teams: Some(3),
        ..Default::default()
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let (ok, _, err) = run(gigdash_cmd(&sb, sb.admin_key(), dir.path()).arg("sync"));
    assert!(ok, "{err}");
    let store = opened_store(&sb, dir.path());
    let now = jiff::Timestamp::now().as_second();
    let later = now + 70 * 86_400;
    let items = gigdash::worker::change_items(&store, None, now, later, Lang::En).unwrap();
    let mut total = 0;
    for team in store.teams().unwrap() {
        // The oracle: what `:complements` counts late then, less what it counts late now.
        let (_, late_now) = gigdash::worker::count_owed(&store, &team.id, Lang::En, now).unwrap();
        let (_, late_then) =
            gigdash::worker::count_owed(&store, &team.id, Lang::En, later).unwrap();
        let listed: Vec<_> = items
            .iter()
            .filter(|i| {
                i.team == team.id
                    && i.column == gigdash::app::data::changes::Column::LateComplements
            })
            .collect();
        assert_eq!(listed.len(), late_then - late_now, "{}", team.id);
        assert!(listed.iter().all(|i| i.seen > now && i.seen <= later));
        total += listed.len();
    }
    assert!(total > 0, "some complement falls due within the 70 days");
    // No other kind: nothing changed in the store meanwhile.
    assert_eq!(items.len(), total);
}

/// A valid MXN PUE invoice under $1,000 (cancelled at once, no acceptance to wait for) of
/// one of `teams` other than `except`: (team, uuid).
async fn small_pue_invoice(
    sb: &gigdash::sandbox::Sandbox,
    teams: &[serde_json::Value],
    except: Option<&str>,
) -> Option<(String, String)> {
    for t in teams {
        let id = t["id"].as_str().unwrap();
        if except == Some(id) {
            continue;
        }
        let small = walk(
            sb,
            sb.admin_key(),
            &format!("/invoices/income?status=valid&team={id}"),
            100,
        )
        .await
        .into_iter()
        .find(|i| {
            i["total"].as_f64().is_some_and(|t| t < 1000.0)
                && i["payment_method"] == "PUE"
                && i["currency"] == "MXN"
        });
        if let Some(i) = small {
            return Some((id.to_string(), i["uuid"].as_str().unwrap().to_string()));
        }
    }
    None
}

/// Cancels invoice `uuid` of `team` through the API (motive 02); the answer, cancelled.
async fn cancel(sb: &gigdash::sandbox::Sandbox, team: &str, uuid: &str) -> serde_json::Value {
    let (status, body) = call(
        sb,
        "DELETE",
        sb.admin_key(),
        &format!("/invoices/{uuid}?team={team}"),
        Some(serde_json::json!({ "motive": "02" })),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["status"], "canceled", "{body}");
    body
}
