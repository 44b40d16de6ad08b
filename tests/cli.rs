//! The binary's non-TUI commands against the sandbox: `export` (every page, every team,
//! exact amounts, nothing partial on failure) and `info`; and a known key never reaching
//! the log, the audit log or `info`'s output.

mod common;

use std::collections::BTreeMap;
use std::process::Command;

use common::*;
use serde_json::json;

fn gigdash(sb: &gigdash::sandbox::Sandbox, key: &str, state: &std::path::Path) -> Command {
    gigdash_cmd(sb, key, state)
}

#[tokio::test(flavor = "multi_thread")]
async fn export_all_teams_has_every_row_with_exact_amounts() {
    let sb = sandbox().await;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("invoices.csv");
    let status = gigdash(&sb, sb.admin_key(), dir.path())
        .args(["export", "invoices", "--all-teams", "--output"])
        .arg(&out)
        .status()
        .unwrap();
    assert!(status.success());
    let mut expected = BTreeMap::new();
    for t in walk(&sb, sb.admin_key(), "/teams", 100).await {
        let id = t["id"].as_str().unwrap();
        for i in walk(
            &sb,
            sb.admin_key(),
            &format!("/invoices/income?team={id}"),
            100,
        )
        .await
        {
            expected.insert(
                i["uuid"].as_str().unwrap().to_string(),
                i["total"].to_string(),
            );
        }
    }
    let mut rdr = csv::Reader::from_path(&out).unwrap();
    let headers = rdr.headers().unwrap().clone();
    let (u, t) = (
        headers.iter().position(|h| h == "uuid").unwrap(),
        headers.iter().position(|h| h == "total").unwrap(),
    );
    let got: BTreeMap<String, String> = rdr
        .records()
        .map(|r| {
            let r = r.unwrap();
            (r[u].to_string(), r[t].to_string())
        })
        .collect();
    assert_eq!(
        got.len(),
        expected.len(),
        "every row of every reachable team"
    );
    for (uuid, total) in &expected {
        let mine = rust_decimal::Decimal::from_str_exact(&got[uuid]).unwrap();
        let theirs = rust_decimal::Decimal::from_str_exact(total).unwrap();
        assert_eq!(mine, theirs, "{uuid}");
    }

    let json_out = dir.path().join("payments.json");
    let status = gigdash(&sb, sb.admin_key(), dir.path())
        .args([
            "export", "payments", "--format", "json", "--status", "pending", "--output",
        ])
        .arg(&json_out)
        .status()
        .unwrap();
    assert!(status.success());
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&json_out).unwrap()).unwrap();
    let api = walk(&sb, sb.admin_key(), "/payments?status=pending", 100).await;
    assert_eq!(v.as_array().unwrap().len(), api.len());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failure_mid_export_exits_non_zero_and_writes_nothing() {
    let sb = sandbox().await;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("invoices.csv");
    // /teams and the first team's invoices pass; the next team's page is refused (a 403
    // that retrying will not change; transient faults are retried until they pass).
    set_faults(&sb, json!({"skip": 2, "fail_next": ["403"]})).await;
    let o = gigdash(&sb, sb.admin_key(), dir.path())
        .args(["export", "invoices", "--all-teams", "--output"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("nothing was written"));
    assert!(!out.exists(), "no half-written file");
    // The same failure, told in Spanish.
    set_faults(&sb, json!({"skip": 2, "fail_next": ["403"]})).await;
    let o = gigdash(&sb, sb.admin_key(), dir.path())
        .env("LANG", "es_MX.UTF-8")
        .args(["export", "invoices", "--all-teams", "--output"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("Tu cuenta de facturación no incluye") && err.contains("no se escribió nada"),
        "{err}"
    );
    assert!(!out.exists(), "no half-written file");
    assert_eq!(
        std::fs::read_dir(dir.path())
            .unwrap()
            .filter(|e| e
                .as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .contains("invoices"))
            .count(),
        0
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_known_key_never_reaches_the_log_or_info() {
    let sb = sandbox().await;
    let dir = tempfile::tempdir().unwrap();
    let key = sb.admin_key().to_string();
    let info = gigdash(&sb, &key, dir.path()).arg("info").output().unwrap();
    assert!(info.status.success());
    let text = String::from_utf8_lossy(&info.stdout).to_string();
    assert!(
        text.contains("sk_test_…") && text.contains(&sb.base_url),
        "{text}"
    );
    let export = gigdash(&sb, &key, dir.path())
        .args(["export", "clients", "--all-teams"])
        .output()
        .unwrap();
    assert!(export.status.success());
    let mut logs = String::new();
    for e in std::fs::read_dir(dir.path().join("gigdash")).unwrap() {
        logs.push_str(&std::fs::read_to_string(e.unwrap().path()).unwrap_or_default());
    }
    assert!(
        logs.contains("gigstack"),
        "the debug log was written: {logs:.200}"
    );
    let payload = key.split('.').nth(1).unwrap();
    for (what, s) in [
        ("info", &text),
        ("log", &logs),
        (
            "stderr",
            &String::from_utf8_lossy(&export.stderr).to_string(),
        ),
    ] {
        assert!(
            !s.contains(&key) && !s.contains(payload),
            "the key leaked into {what}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn info_says_which_language_and_where_it_came_from() {
    let sb = sandbox().await;
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str], lang: &str| {
        let mut c = gigdash(&sb, sb.admin_key(), dir.path());
        for var in ["LC_ALL", "LC_MESSAGES", "GIGDASH_LANG"] {
            c.env_remove(var);
        }
        c.env("LANG", lang).args(args).output().unwrap()
    };
    let line = |out: &std::process::Output| {
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .find(|l| l.starts_with("language") || l.starts_with("idioma"))
            .unwrap_or_default()
            .to_string()
    };
    let es = run(&["info"], "es_MX.UTF-8");
    assert!(es.status.success());
    assert!(
        line(&es).ends_with("es (LANG=es_MX.UTF-8)"),
        "{}",
        line(&es)
    );
    let en = run(&["--lang", "en", "info"], "es_MX.UTF-8");
    assert!(line(&en).ends_with("en (--lang)"), "{}", line(&en));
    let c = run(&["info"], "C.UTF-8");
    assert!(line(&c).ends_with("en (LANG=C.UTF-8)"), "{}", line(&c));
    let bad = run(&["--lang", "fr", "info"], "C");
    assert!(!bad.status.success());
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(
        err.contains("«fr» is not a language gigdash speaks"),
        "{err}"
    );
}

#[test]
fn help_speaks_the_users_language() {
    let help = |lang: &str, args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_gigdash"))
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .env_remove("GIGDASH_LANG")
            .env("GIGDASH_CONFIG", "/nonexistent/gigdash.toml")
            .env("LANG", lang)
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}");
        String::from_utf8_lossy(&out.stdout).to_string()
    };
    let es = help("es_MX.UTF-8", &["--help"]);
    for word in [
        "Uso: gigdash [OPCIONES] [COMANDO]",
        "Comandos:",
        "Opciones:",
        "Exporta equipos",
        "Muestra la ayuda",
    ] {
        assert!(es.contains(word), "«{word}» in:\n{es}");
    }
    for word in ["Usage", "Options", "Commands", "Print help", "[default"] {
        assert!(!es.contains(word), "«{word}» in:\n{es}");
    }
    let export = help("es_MX.UTF-8", &["help", "export"]);
    assert!(
        export.contains("Uso: gigdash export [OPCIONES] <QUÉ>"),
        "{export}"
    );
    assert!(
        export.contains("--format <FORMATO>") && export.contains("[por omisión: csv]"),
        "{export}"
    );
    // The flag is read before the command line is parsed, so --help follows it too.
    assert!(help("es_MX.UTF-8", &["--lang", "en", "--help"]).contains("Usage: gigdash"));
    let en = help("C.UTF-8", &["--help"]);
    assert!(
        en.contains("Usage: gigdash") && en.contains("Print help"),
        "{en}"
    );
}

#[test]
fn a_bad_config_is_explained_in_the_users_language() {
    let run = |lang: &str| {
        Command::new(env!("CARGO_BIN_EXE_gigdash"))
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .env_remove("GIGDASH_LANG")
            .env("LANG", lang)
            .env(
                "GIGDASH_CONFIG",
                concat!(
                    env!("CARGO_MANIFEST_DIR"),
                    "/tests/invalid_configs/bad_theme.toml"
                ),
            )
            .arg("info")
            .output()
            .unwrap()
    };
    let es = run("es_MX.UTF-8");
    assert_eq!(es.status.code(), Some(2));
    let err = String::from_utf8_lossy(&es.stderr);
    assert!(
        err.contains("bad_theme.toml:1: theme «plaid» no es ninguno de 16, 256, truecolor, auto"),
        "{err}"
    );
    let en = String::from_utf8_lossy(&run("C.UTF-8").stderr).to_string();
    assert!(
        en.contains("bad_theme.toml:1: theme «plaid» is not one of"),
        "{en}"
    );
}

/// What `a` holds more times than `b` (both sorted), at most ten of it.
fn difference(a: &[String], b: &[String]) -> Vec<String> {
    let mut left = b.to_vec();
    let mut out = Vec::new();
    for x in a {
        match left.binary_search(x) {
            Ok(i) => {
                left.remove(i);
            }
            Err(_) => out.push(x.clone()),
        }
    }
    out.truncate(10);
    out
}

#[tokio::test(flavor = "multi_thread")]
async fn export_finishes_with_every_row_under_30_percent_faults_of_each_kind() {
    // One sandbox per fault kind (faults are the sandbox's own), all exporting at once.
    let kinds = [
        "429",
        "500",
        "502",
        "503",
        "html",
        "truncated",
        "apply_then_502",
    ];
    let mut runs = Vec::new();
    for kind in kinds {
        let sb = sandbox().await;
        // The sandbox's own invoices, read before any fault: what the export must hold.
        let mut expected: Vec<String> = Vec::new();
        for t in walk(&sb, sb.admin_key(), "/teams", 100).await {
            let id = t["id"].as_str().unwrap();
            let invoices = walk(
                &sb,
                sb.admin_key(),
                &format!("/invoices/income?team={id}"),
                100,
            )
            .await;
            expected.extend(
                invoices
                    .iter()
                    .map(|i| i["uuid"].as_str().unwrap().to_string()),
            );
        }
        expected.sort();
        assert!(!expected.is_empty(), "the sandbox holds invoices");
        let unique: std::collections::BTreeSet<&String> = expected.iter().collect();
        assert_eq!(unique.len(), expected.len(), "one UUID per invoice");
        set_faults(
            &sb,
            json!({"fault_rate": 0.3, "kinds": [kind], "retry_after_secs": 0}),
        )
        .await;
        let dir = tempfile::tempdir().unwrap();
        let mut cmd = gigdash(&sb, sb.admin_key(), dir.path());
        cmd.args(["export", "invoices", "--all-teams", "--format", "json"]);
        runs.push((
            kind,
            expected,
            sb,
            dir,
            tokio::task::spawn_blocking(move || cmd.output()),
        ));
    }
    for (kind, expected, sb, _dir, run) in runs {
        let out = run.await.unwrap().unwrap();
        assert!(
            out.status.success(),
            "{kind}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let rows: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(
            rows.len(),
            expected.len(),
            "{kind}: every row, exactly once"
        );
        let mut exported: Vec<String> = rows
            .iter()
            .map(|r| {
                r["uuid"]
                    .as_str()
                    .unwrap_or_else(|| panic!("{kind}: a row without a UUID: {r}"))
                    .to_string()
            })
            .collect();
        exported.sort();
        // The same invoices, each once: no row lost, doubled or made up under the faults.
        assert!(
            exported == expected,
            "{kind}: missing {:?}, extra or doubled {:?}",
            difference(&expected, &exported),
            difference(&exported, &expected)
        );
        let (_, requests) = stats(&sb).await;
        println!("{kind}: {} rows in {requests} requests", expected.len());
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn info_shows_the_profiles_rate_limit() {
    let sb = sandbox().await;
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        "profile = \"fast\"\n[profiles.fast]\nrequests_per_second = 20\nburst = 40\nconcurrency = 8\n",
    )
    .unwrap();
    let out = gigdash(&sb, sb.admin_key(), dir.path())
        .env("GIGDASH_CONFIG", &config)
        .arg("info")
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text
        .lines()
        .find(|l| l.starts_with("rate limit"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(
        line.ends_with("20 requests/s, burst 40, 8 at once"),
        "{line}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_profile_named_default_is_used_and_info_says_where_each_value_was_set() {
    let sb = sandbox().await;
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    let info = |text: &str| {
        std::fs::write(&config, text).unwrap();
        let out = gigdash(&sb, sb.admin_key(), dir.path())
            .env("GIGDASH_CONFIG", &config)
            .arg("info")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).to_string()
    };
    let line = |text: &str, name: &str| {
        text.lines()
            .find(|l| l.starts_with(name))
            .unwrap_or_else(|| panic!("no {name} line in {text}"))
            .to_string()
    };
    let at = |n: usize| format!("{}:{n}", config.display());
    // No `profile =` line: the profile named default is the one used, its limit applies.
    let text = info(
        "read_only = true\n\n[profiles.other]\nrequests_per_second = 99\n\n[profiles.default]\n# three a second\nrequests_per_second = 3\nconcurrency = 2\n",
    );
    assert_eq!(
        line(&text, "profile"),
        format!("profile          default  ({})", at(6)),
        "{text}"
    );
    assert!(
        line(&text, "rate limit").ends_with("3 requests/s, burst 10, 2 at once"),
        "{text}"
    );
    let lines: Vec<&str> = text.lines().collect();
    let below = lines[lines
        .iter()
        .position(|l| l.starts_with("rate limit"))
        .unwrap()
        + 1];
    assert_eq!(
        below.trim(),
        format!(
            "requests_per_second ({}), burst (default), concurrency ({})",
            at(8),
            at(9)
        ),
        "each limit says its line, not the other profile's: {text}"
    );
    assert_eq!(
        line(&text, "read-only"),
        format!("read-only        yes  ({})", at(1))
    );
    assert!(
        line(&text, "base URL").ends_with("(GIGSTACK_API_BASE_URL)"),
        "{text}"
    );

    // Profiles, none named default and none chosen: said, with how to choose.
    let text = info("[profiles.a]\nburst = 5\n[profiles.b]\nburst = 6\n");
    let p = line(&text, "profile");
    assert!(
        p.contains("(none: a, b defined;") && p.contains("--profile"),
        "{p}"
    );
    assert!(
        line(&text, "rate limit").ends_with("10 requests/s, burst 10, 4 at once"),
        "{text}"
    );

    // `profile =` still wins over a profile named default.
    let text = info("profile = \"a\"\n[profiles.a]\nburst = 5\n[profiles.default]\nburst = 6\n");
    assert_eq!(
        line(&text, "profile"),
        format!("profile          a  ({})", at(1))
    );
    assert!(line(&text, "rate limit").contains("burst 5"), "{text}");
}

#[tokio::test(flavor = "multi_thread")]
async fn offline_export_of_a_team_never_stored_says_so_and_fails() {
    let sb = sandbox().await;
    let dir = tempfile::tempdir().unwrap();
    let teams = walk(&sb, sb.admin_key(), "/teams", 100).await;
    assert!(teams.len() >= 2, "the sandbox has several teams");
    let stored = teams[0]["id"].as_str().unwrap();
    let never = teams[1]["id"].as_str().unwrap();
    // Every team listed in the store, one of them without its documents (forgotten, as
    // a team the dashboard listed but never opened).
    for args in [&["sync"][..], &["store", "clear", "--team", never]] {
        let o = gigdash(&sb, sb.admin_key(), dir.path())
            .args(args)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let o = gigdash(&sb, sb.admin_key(), dir.path())
        .args(["--offline", "export", "invoices", "--team", stored])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(csv::Reader::from_reader(&o.stdout[..]).records().count() > 0);
    for what in ["clients", "invoices", "payments"] {
        let o = gigdash(&sb, sb.admin_key(), dir.path())
            .args(["--offline", "export", what, "--team", never])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{what}: {err}");
        assert!(
            err.contains("this team was never stored")
                && err.contains(&format!("gigdash sync --team {never}"))
                && !err.contains("from the store"),
            "{what}: {err}"
        );
        assert!(o.stdout.is_empty(), "{what}: nothing on stdout");
    }
}

#[test]
fn completions_and_the_manual_come_from_the_command_definitions() {
    let run = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_gigdash"))
            .args(args)
            .env_remove("GIGSTACK_API_KEY")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    for shell in ["bash", "zsh", "fish"] {
        let script = run(&["completions", shell]);
        for word in [
            "sync",
            "export",
            "report",
            "store",
            "completions",
            "profile",
            "offline",
        ] {
            assert!(script.contains(word), "{shell} completions lack {word}");
        }
    }
    let man = run(&["man"]);
    assert!(
        man.starts_with(".ie") || man.contains(".TH gigdash 1"),
        "{man}"
    );
    assert!(man.contains(".TH gigdash 1"), "{man}");
    for word in ["sync", "export", "completions", "\\-\\-read\\-only"] {
        assert!(man.contains(word), "the manual lacks {word}");
    }
    // A shell it does not know: refused, the known ones named.
    let out = Command::new(env!("CARGO_BIN_EXE_gigdash"))
        .args(["completions", "tcsh"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("bash"));
}
