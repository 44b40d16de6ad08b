//! `gigdash branches` against `gigdash sandbox --teams 48`: the JSON holds, for every team,
//! exactly what the API answers for it (the team object, settings, series, members,
//! integrations), the words read from it, and the drift from `--against`; the exit status
//! says whether every branch can invoice; bad arguments are said with exit 2.

mod common;

use common::*;
use serde_json::{Value, json};

async fn branches_world() -> gigdash::sandbox::Sandbox {
    sandbox_with(gigdash::sandbox::SandboxConfig {
        scale: 600,
        teams: Some(48),
        ..Default::default()
    })
    .await
}

/// The binary's exit code, stdout and stderr (ended within three minutes).
fn run(c: &mut std::process::Command) -> (i32, String, String) {
    let out = output_within(c);
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_json_equals_the_apis_data_for_every_team_and_the_exit_says_one_cannot_invoice() {
    let sb = branches_world().await;
    let k = sb.admin_key();
    let dir = tempfile::tempdir().unwrap();
    // One branch's settings drift from the others (through the API, as a person would).
    let teams = walk(&sb, k, "/teams", 100).await;
    assert_eq!(teams.len(), 48);
    let drifted = teams[5]["id"].as_str().unwrap().to_string();
    let (s, v) = call(
        &sb,
        "PUT",
        k,
        &format!("/teams/{drifted}/settings"),
        Some(json!({"unit_key": "H87"})),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    let reference = teams[0]["id"].as_str().unwrap().to_string();
    let (code, out, err) = run(gigdash_cmd(&sb, k, dir.path()).args([
        "branches",
        "--format",
        "json",
        "--against",
        &reference,
    ]));
    assert_eq!(code, 1, "some branches cannot invoice: {err}");
    assert!(err.contains("cannot invoice"), "{err}");
    let v: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
    let got = v["teams"].as_array().unwrap();
    assert_eq!(got.len(), 48);
    assert_eq!(v["against"], json!(reference));
    let now = jiff::Timestamp::now().as_second();
    let (mut cannot, mut soon) = (0, 0);
    for (t, g) in teams.iter().zip(got) {
        let id = t["id"].as_str().unwrap();
        assert_eq!(g["id"], json!(id), "the API's order");
        assert_eq!(&g["team"], t, "the team object as the API sent it");
        let q = format!("?team={id}");
        for (field, path) in [
            ("settings", format!("/teams/{id}/settings{q}")),
            ("series", format!("/teams/{id}/series{q}")),
            ("members", format!("/teams/{id}/members{q}")),
            ("integrations", format!("/teams/integrations{q}")),
        ] {
            let api = get(&sb, k, &path).await;
            assert_eq!(g[field], api["data"], "{field} of {id}");
        }
        assert_eq!(g["errors"], json!({}), "{id}");
        let at = t["sat"]["csd_expires_at"].as_i64().unwrap();
        let credits = t["billing"]["credits"].as_i64().unwrap();
        let blocks = at <= now || credits == 0;
        cannot += usize::from(blocks);
        soon += usize::from(at > now && at <= now + 30 * 86_400);
        assert_eq!(g["read"]["can_invoice"], json!(!blocks), "{id}: {g}");
        let state = g["read"]["state"].as_array().unwrap();
        if at > now && at <= now + 30 * 86_400 {
            assert!(
                state
                    .iter()
                    .any(|s| s.as_str().unwrap().starts_with("CSD expires in")),
                "{id}: {state:?}"
            );
        }
        // Only the drifted branch differs in its settings from the reference.
        let drift = g["drift"].as_array().unwrap();
        let settings_drift: Vec<&Value> = drift
            .iter()
            .filter(|d| d["what"].as_str().unwrap().starts_with("settings."))
            .collect();
        if id == drifted {
            assert_eq!(
                settings_drift,
                vec![&json!({"what": "settings.unit_key", "reference": "E48", "here": "H87"})]
            );
        } else {
            assert!(settings_drift.is_empty(), "{id}: {drift:?}");
        }
    }
    assert_eq!((cannot, soon), (12, 12), "the sandbox's spread");

    // Markdown by default: the counts line, a row per team.
    let (code, md, _) = run(gigdash_cmd(&sb, k, dir.path()).arg("branches"));
    assert_eq!(code, 1);
    assert!(
        md.contains("48 teams: 12 cannot invoice · CSD: 6 expired, 12 expire within 30 days"),
        "{md}"
    );
    // Every team a row: the table's lines less its header (the separator starts "|-").
    assert_eq!(
        md.lines().filter(|l| l.starts_with("| ")).count(),
        48 + 1,
        "{md}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_arguments_are_said_with_exit_2_and_every_branch_fine_is_exit_0() {
    let sb = branches_world().await;
    let k = sb.admin_key();
    let dir = tempfile::tempdir().unwrap();
    let (code, out, err) =
        run(gigdash_cmd(&sb, k, dir.path()).args(["branches", "--format", "xml"]));
    assert_eq!((code, out.as_str()), (2, ""), "{err}");
    assert!(err.contains("unknown format «xml»"), "{err}");
    let (code, out, err) =
        run(gigdash_cmd(&sb, k, dir.path()).args(["branches", "--against", "Nowhere\u{1b}[2J"]));
    assert_eq!((code, out.as_str()), (2, ""), "{err}");
    assert!(err.contains("no reachable team is «Nowhere"), "{err}");
    assert!(!err.contains('\u{1b}'), "the argument is echoed printable");
    // A key without Connect sees its own branch only: valid CSD, credits → exit 0.
    let own = sb
        .keys
        .iter()
        .find(|d| d.note.to_lowercase().contains("without connect"))
        .unwrap();
    let (code, out, err) =
        run(gigdash_cmd(&sb, &own.key, dir.path()).args(["branches", "--format", "csv"]));
    let rows: Vec<&str> = out.lines().collect();
    assert_eq!(rows.len(), 2, "{out}{err}");
    let team = get(&sb, &own.key, "/teams").await;
    let t = &team["data"][0];
    let can = t["sat"]["csd_expires_at"].as_i64().unwrap() > jiff::Timestamp::now().as_second()
        && t["billing"]["credits"].as_i64().unwrap() > 0;
    assert!(can, "that branch can invoice in the sandbox's world: {t}");
    assert_eq!(code, 0, "every branch can invoice: exit 0 ({out}{err})");

    // The same branch as the API might send it: its CSD date in milliseconds, then as
    // text — read, still exit 0 — then unreadable with credits as a word: it cannot be
    // told whether it invoices, so exit 1, said, and `can_invoice` null (never a false ok).
    let id = t["id"].as_str().unwrap().to_string();
    let at = t["sat"]["csd_expires_at"].as_i64().unwrap();
    let shape = |body: Value| {
        let url = format!("{}/_sandbox/teams/{id}", origin(&sb));
        async move {
            let (s, v) = http_json(http().put(url).json(&body)).await;
            assert_eq!(s, 200, "{v}");
        }
    };
    let days = |out: &str| -> Value {
        let v: Value = serde_json::from_str(out).unwrap_or_else(|e| panic!("{e}: {out}"));
        v["teams"][0]["read"].clone()
    };
    shape(json!({"sat": {"completed": true, "csd_expires_at": at * 1000}})).await;
    let (code, out, err) =
        run(gigdash_cmd(&sb, &own.key, dir.path()).args(["branches", "--format", "json"]));
    assert_eq!(code, 0, "{err}");
    let read = days(&out);
    assert_eq!(read["can_invoice"], json!(true), "{read}");
    let in_days = (at - jiff::Timestamp::now().as_second() + 86_399) / 86_400;
    assert_eq!(read["csd"], json!(format!("{in_days} d")), "{read}");
    let text = jiff::Timestamp::from_second(at).unwrap().to_string();
    shape(json!({"sat": {"completed": true, "csd_expires_at": text}})).await;
    let (code, out, err) =
        run(gigdash_cmd(&sb, &own.key, dir.path()).args(["branches", "--format", "json"]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(days(&out)["csd"], json!(format!("{in_days} d")));
    shape(json!({"sat": {"completed": true, "csd_expires_at": "soon"}, "billing": "plenty"})).await;
    let (code, out, err) =
        run(gigdash_cmd(&sb, &own.key, dir.path()).args(["branches", "--format", "json"]));
    assert_eq!(code, 1, "cannot be told: {err}");
    assert!(err.contains("cannot invoice (or cannot be told)"), "{err}");
    let read = days(&out);
    assert_eq!(read["can_invoice"], Value::Null, "{read}");
    assert_eq!(
        read["state"],
        json!(["CSD unknown", "credits unknown"]),
        "{read}"
    );
    // The JSON keeps what the API sent, odd as it was.
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["teams"][0]["team"]["billing"], json!("plenty"));
}

#[test]
fn gigstack_out_of_reach_is_exit_2_never_1() {
    // Nothing listens on port 9: every read fails (retried a fifth of a second).
    let dir = tempfile::tempdir().unwrap();
    let (code, out, err) = run(std::process::Command::new(env!("CARGO_BIN_EXE_gigdash"))
        .args(["branches", "--format", "json"])
        .env("GIGSTACK_API_KEY", "sk_test_unreachable_0000")
        .env("GIGSTACK_API_BASE_URL", "http://127.0.0.1:9/v2")
        .env("GIGDASH_TEST_RETRY_BUDGET_MS", "200")
        .env("XDG_STATE_HOME", dir.path())
        .env("XDG_CONFIG_HOME", dir.path().join("config"))
        .env("XDG_CACHE_HOME", dir.path().join("cache"))
        .env_remove("GIGDASH_CONFIG")
        .env_remove("GIGDASH_LANG")
        .env_remove("LC_ALL")
        .env("LANG", "C.UTF-8"));
    assert_eq!((code, out.as_str()), (2, ""), "{err}");
    assert!(err.starts_with("gigdash branches: "), "said: {err}");
    assert!(!err.contains("sk_test_unreachable"), "never the key: {err}");
}
