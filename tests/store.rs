//! The store on a temp dir: every kind of document round trips exactly (money and dates),
//! an older schema is rebuilt, a corrupt file is moved aside, two writers share a file,
//! permissions are 0600/0700, a symlink is refused, a full disk is survived.

mod common;

use std::collections::HashSet;
use std::os::unix::fs::PermissionsExt;

use common::*;
use gigdash::api::{Client, Invoice, Payment, Team, TeamId};
use gigdash::store::{Doc, Facts, Kind, Store, Window, file_name, open_in};
use rust_decimal::Decimal;

fn open(dir: &std::path::Path) -> Store {
    open_in(dir, "s.sqlite3").expect("store opens").store
}

fn facts(created: i64) -> Facts {
    Facts {
        created,
        ..Facts::default()
    }
}

fn keep<T: serde::Serialize>(s: &Store, team: &TeamId, kind: Kind, docs: &[(String, T)]) {
    let docs: Vec<Doc<'_, T>> = docs
        .iter()
        .enumerate()
        .map(|(i, (id, body))| Doc {
            id,
            body,
            facts: facts(i as i64),
        })
        .collect();
    s.put_docs(team, kind, &docs, true, 1_790_000_000).unwrap();
}

async fn all<T: serde::de::DeserializeOwned>(sb: &gigdash::sandbox::Sandbox, path: &str) -> Vec<T> {
    walk(sb, sb.admin_key(), path, 100)
        .await
        .into_iter()
        .map(|v| serde_json::from_value(v).expect("the sandbox's objects decode"))
        .collect()
}

#[tokio::test]
async fn every_kind_of_document_round_trips_exactly() {
    let sb = sandbox().await;
    let dir = tempfile::tempdir().unwrap();
    let s = open(dir.path());
    let team = TeamId::new("team_a");
    let teams: Vec<Team> = all(&sb, "/teams").await;
    let clients: Vec<Client> = all(&sb, "/clients").await;
    let invoices: Vec<Invoice> = all(&sb, "/invoices/income").await;
    let payments: Vec<Payment> = all(&sb, "/payments").await;
    eprintln!(
        "{} clients, {} invoices, {} payments",
        clients.len(),
        invoices.len(),
        payments.len()
    );
    assert!(clients.len() > 5 && invoices.len() > 20 && payments.len() > 20);
    s.put_teams(&teams, 1).unwrap();
    assert_eq!(s.teams().unwrap(), teams);

    // Read back newest first: compare as sets by id, and each object field by field.
    fn check<T: PartialEq + std::fmt::Debug + serde::de::DeserializeOwned + serde::Serialize>(
        s: &Store,
        team: &TeamId,
        kind: Kind,
        items: &[T],
        id: impl Fn(&T) -> String,
    ) {
        let docs: Vec<(String, &T)> = items.iter().map(|i| (id(i), i)).collect();
        keep(s, team, kind, &docs);
        let back: Vec<T> = s.docs(team, kind, None).unwrap();
        assert_eq!(back.len(), items.len(), "{kind:?}");
        for item in items {
            let got: T = s.doc(team, kind, &id(item)).unwrap().expect("stored");
            assert_eq!(&got, item, "{kind:?} {}", id(item));
        }
    }
    check(&s, &team, Kind::Client, &clients, |c| c.id.clone());
    check(&s, &team, Kind::Invoice, &invoices, |i| {
        i.uuid.clone().or(i.id.clone()).unwrap()
    });
    check(&s, &team, Kind::Payment, &payments, |p| p.id.clone());

    // Amounts with more decimals than cents, and a date with milliseconds.
    let odd: Payment = serde_json::from_value(serde_json::json!({
        "id": "pay_odd", "status": "pending", "currency": "USD",
        "exchange_rate": "17.123456", "total": "1234567.891234",
        "created_at": 1_790_000_000_123i64,
    }))
    .unwrap();
    check(&s, &team, Kind::Payment, std::slice::from_ref(&odd), |p| {
        p.id.clone()
    });
    let back: Payment = s.doc(&team, Kind::Payment, "pay_odd").unwrap().unwrap();
    assert_eq!(back.total.0, "1234567.891234".parse::<Decimal>().unwrap());
    assert_eq!(
        back.created_at.unwrap().0.as_millisecond(),
        1_790_000_000_123
    );
}

#[test]
fn a_store_of_the_previous_schema_is_rebuilt_with_a_notice() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.sqlite3");
    {
        let c = rusqlite::Connection::open(&path).unwrap();
        c.execute_batch(include_str!("fixtures/store_v1.sql"))
            .unwrap();
    }
    let opened = open_in(dir.path(), "s.sqlite3").unwrap();
    let notice = opened.notice.expect("a one-line notice");
    assert!(notice.contains("schema 1"), "{notice}");
    assert!(!notice.contains('\n'));
    let s = opened.store;
    // The old layout's rows are gone, the new layout works.
    assert!(s.teams().unwrap().is_empty());
    let team = TeamId::new("t");
    keep(
        &s,
        &team,
        Kind::Client,
        &[("c1".to_string(), serde_json::json!({"id": "c1"}))],
    );
    assert_eq!(s.synced(&team, Kind::Client).unwrap().unwrap().count, 1);
    // Opened again: no notice, the data is still there.
    drop(s);
    let again = open_in(dir.path(), "s.sqlite3").unwrap();
    assert!(again.notice.is_none());
    assert_eq!(
        again
            .store
            .synced(&team, Kind::Client)
            .unwrap()
            .unwrap()
            .count,
        1
    );
}

#[test]
fn a_store_stamped_current_whose_table_lacks_a_column_is_rebuilt_with_a_one_line_notice() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.sqlite3");
    {
        // Stamped with this version, but `docs` lacks its `link` column (a build of the
        // same number with another layout, or a hand edit).
        let c = rusqlite::Connection::open(&path).unwrap();
        let without_link = gigdash::store::schema_sql()
            .replace("    link TEXT,\n", "")
            .replace(
                "CREATE INDEX IF NOT EXISTS docs_link ON docs(team, kind, link) WHERE link IS NOT NULL;",
                "",
            );
        assert_ne!(without_link, gigdash::store::schema_sql());
        c.execute_batch(&without_link).unwrap();
        c.pragma_update(None, "user_version", gigdash::store::SCHEMA_VERSION)
            .unwrap();
        c.execute(
            "INSERT INTO teams(id, position, body, at) VALUES ('old', 0, '{}', 1)",
            [],
        )
        .unwrap();
    }
    let opened = open_in(dir.path(), "s.sqlite3").unwrap_or_else(|e| panic!("not rebuilt: {e}"));
    let notice = opened.notice.expect("a notice");
    assert!(!notice.contains('\n') && notice.len() < 200, "{notice}");
    assert!(!notice.contains("CREATE"), "{notice}");
    assert!(notice.contains("rebuilt"), "{notice}");
    let s = opened.store;
    assert!(
        s.teams().unwrap().is_empty(),
        "the old rows went with the old layout"
    );
    // The rebuilt layout keeps a payment's invoice link.
    let team = TeamId::new("t");
    let body = serde_json::json!({"id": "p1"});
    s.put_docs(
        &team,
        Kind::Payment,
        &[Doc {
            id: "p1",
            body: &body,
            facts: Facts {
                link: Some("inv_1".into()),
                ..facts(1)
            },
        }],
        false,
        1,
    )
    .unwrap();
    drop(s);
    let again = open_in(dir.path(), "s.sqlite3").unwrap();
    assert!(again.notice.is_none(), "rebuilt once");
    assert_eq!(
        again
            .store
            .synced(&team, Kind::Payment)
            .unwrap()
            .unwrap()
            .count,
        1
    );
}

#[test]
fn a_corrupt_file_is_moved_aside_and_a_new_store_begins() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.sqlite3");
    std::fs::write(
        &path,
        b"this is not a database, just 64 bytes of text padding it out......",
    )
    .unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    let opened = open_in(dir.path(), "s.sqlite3").expect("never an error for a corrupt file");
    let notice = opened.notice.expect("said");
    assert!(notice.contains("moved it to"), "{notice}");
    let aside: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains(".corrupt-"))
        .collect();
    assert_eq!(aside.len(), 1, "the unreadable file is kept aside");
    let team = TeamId::new("t");
    keep(
        &opened.store,
        &team,
        Kind::Client,
        &[("c1".to_string(), serde_json::json!({"id": "c1"}))],
    );
    assert_eq!(
        opened
            .store
            .docs::<serde_json::Value>(&team, Kind::Client, None)
            .unwrap()
            .len(),
        1
    );
}

/// Overwrites the middle fifth of the file at `path` (whole pages; the header stays valid).
pub fn damage_the_middle(path: &std::path::Path) {
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

/// A store of a few teams' worth of invoices, closed (its WAL folded into the file).
fn a_store_of_many_pages(dir: &std::path::Path) -> std::path::PathBuf {
    let s = open(dir);
    for t in 0..4 {
        let team = TeamId::new(format!("team_{t}"));
        let docs: Vec<(String, serde_json::Value)> = (0..2000)
            .map(|i| {
                let id = format!("inv_{t}_{i}");
                (
                    id.clone(),
                    serde_json::json!({ "id": id, "notes": "x".repeat(200) }),
                )
            })
            .collect();
        keep(&s, &team, Kind::Invoice, &docs);
    }
    let path = s.path().to_path_buf();
    drop(s);
    assert!(
        !dir.join("s.sqlite3-wal").exists()
            || std::fs::metadata(dir.join("s.sqlite3-wal")).unwrap().len() == 0
    );
    path
}

#[test]
fn damaged_pages_behind_a_valid_header_are_moved_aside_at_the_first_failing_write() {
    let dir = tempfile::tempdir().unwrap();
    let path = a_store_of_many_pages(dir.path());
    damage_the_middle(&path);
    // The header is fine: it opens as before, nothing said.
    let opened = open_in(dir.path(), "s.sqlite3").expect("opens");
    assert!(opened.notice.is_none());
    let s = opened.store;
    // Clearing walks every page: it meets the damage, the check confirms it, the file
    // moves aside and the clear is done on a new one.
    s.clear(None)
        .unwrap_or_else(|e| panic!("clear failed: {e}"));
    let notice = s.take_notice().expect("said");
    assert!(
        notice.contains("damaged") && notice.contains("moved it to") && !notice.contains('\n'),
        "{notice}"
    );
    assert!(s.take_notice().is_none(), "said once");
    assert_eq!(s.generation(), 1);
    let aside: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains(".corrupt-"))
        .collect();
    assert_eq!(aside.len(), 1, "the damaged file is kept aside");
    // Writes work again, and the new file passes its check.
    let team = TeamId::new("t");
    keep(
        &s,
        &team,
        Kind::Client,
        &[("c1".to_string(), serde_json::json!({"id": "c1"}))],
    );
    assert_eq!(s.synced(&team, Kind::Client).unwrap().unwrap().count, 1);
    drop(s);
    let c = rusqlite::Connection::open(&path).unwrap();
    let ok: String = c
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");
}

#[test]
fn a_write_that_fails_on_a_sound_file_leaves_it_in_place() {
    // A full disk is not damage: the check passes, nothing moves, the error stands.
    let dir = tempfile::tempdir().unwrap();
    let path = a_store_of_many_pages(dir.path());
    let s = open(dir.path());
    s.cap_pages(1).unwrap();
    let team = TeamId::new("new_team");
    let docs: Vec<(String, serde_json::Value)> = (0..500)
        .map(|i| {
            (
                format!("c{i}"),
                serde_json::json!({ "id": i, "pad": "y".repeat(500) }),
            )
        })
        .collect();
    let docs: Vec<Doc<'_, serde_json::Value>> = docs
        .iter()
        .map(|(id, body)| Doc {
            id,
            body,
            facts: facts(1),
        })
        .collect();
    assert!(s.put_docs(&team, Kind::Client, &docs, false, 1).is_err());
    assert!(s.take_notice().is_none());
    assert_eq!(s.generation(), 0);
    assert!(path.exists());
    assert!(
        std::fs::read_dir(dir.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .all(|e| !e.file_name().to_string_lossy().contains(".corrupt-"))
    );
}

#[test]
fn two_writers_on_one_file_both_succeed_and_nothing_is_lost() {
    let dir = tempfile::tempdir().unwrap();
    let _first = open(dir.path());
    let threads: Vec<_> = ["a", "b"]
        .into_iter()
        .map(|who| {
            let dir = dir.path().to_path_buf();
            std::thread::spawn(move || {
                // Each its own connection, as two gigdash processes would have.
                let s = open(&dir);
                let team = TeamId::new(format!("team_{who}"));
                for batch in 0..40 {
                    let docs: Vec<(String, serde_json::Value)> = (0..25)
                        .map(|i| {
                            let id = format!("{who}_{batch}_{i}");
                            (id.clone(), serde_json::json!({ "id": id }))
                        })
                        .collect();
                    let docs: Vec<Doc<'_, serde_json::Value>> = docs
                        .iter()
                        .map(|(id, body)| Doc {
                            id,
                            body,
                            facts: facts(batch),
                        })
                        .collect();
                    s.put_docs(&team, Kind::Invoice, &docs, false, 1).unwrap();
                    // Readers in between never fail either.
                    s.figures(Window::at(1, 30), None).unwrap();
                }
            })
        })
        .collect();
    for t in threads {
        t.join().expect("no writer failed");
    }
    let s = open(dir.path());
    for who in ["a", "b"] {
        let team = TeamId::new(format!("team_{who}"));
        assert_eq!(s.synced(&team, Kind::Invoice).unwrap().unwrap().count, 1000);
    }
    let c = rusqlite::Connection::open(dir.path().join("s.sqlite3")).unwrap();
    let ok: String = c
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");
}

#[test]
fn the_folder_is_0700_and_the_file_0600_even_when_they_were_wider() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("gigdash");
    let s = open(&dir);
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&dir), 0o700);
    assert_eq!(mode(s.path()), 0o600);
    drop(s);
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::set_permissions(
        dir.join("s.sqlite3"),
        std::fs::Permissions::from_mode(0o644),
    )
    .unwrap();
    let s = open(&dir);
    assert_eq!(mode(&dir), 0o700);
    assert_eq!(mode(s.path()), 0o600);
}

#[test]
fn a_store_path_that_is_a_symlink_is_refused() {
    let root = tempfile::tempdir().unwrap();
    let elsewhere = root.path().join("elsewhere.sqlite3");
    std::fs::write(&elsewhere, b"").unwrap();
    let dir = root.path().join("gigdash");
    std::fs::create_dir(&dir).unwrap();
    std::os::unix::fs::symlink(&elsewhere, dir.join("s.sqlite3")).unwrap();
    let err = open_in(&dir, "s.sqlite3").err().expect("refused");
    assert!(err.to_string().contains("symlink"), "{err}");
    // The folder itself as a symlink: refused too.
    let real = root.path().join("real");
    std::fs::create_dir(&real).unwrap();
    std::os::unix::fs::symlink(&real, root.path().join("linked")).unwrap();
    assert!(open_in(&root.path().join("linked"), "s.sqlite3").is_err());
}

#[test]
fn a_store_under_a_symlinked_folder_opens_and_only_its_own_folder_or_file_as_a_symlink_is_refused()
{
    // XDG_CACHE_HOME (or HOME) reached through a symlink, as with /home -> /var/home or a
    // cache moved to another disk: an ancestor, not the store's own.
    let root = tempfile::tempdir().unwrap();
    let disk = root.path().join("other-disk");
    std::fs::create_dir(&disk).unwrap();
    let home = root.path().join("home");
    std::os::unix::fs::symlink(&disk, &home).unwrap();
    let dir = home.join(".cache").join("gigdash");
    let opened = open_in(&dir, "s.sqlite3").unwrap_or_else(|e| panic!("refused: {e}"));
    assert!(opened.notice.is_none());
    let team = TeamId::new("t");
    keep(
        &opened.store,
        &team,
        Kind::Client,
        &[("c1".to_string(), serde_json::json!({"id": "c1"}))],
    );
    drop(opened);
    // It is the same file, reached through the link or not, and it opens again.
    assert!(
        disk.join(".cache")
            .join("gigdash")
            .join("s.sqlite3")
            .is_file()
    );
    let again = open_in(&dir, "s.sqlite3").unwrap().store;
    assert_eq!(again.synced(&team, Kind::Client).unwrap().unwrap().count, 1);
    drop(again);

    // Its own folder a symlink (under the same linked ancestor): refused, in words.
    let real = disk.join("real");
    std::fs::create_dir(&real).unwrap();
    let linked = home.join("linked-gigdash");
    std::os::unix::fs::symlink(&real, &linked).unwrap();
    let err = open_in(&linked, "s.sqlite3")
        .err()
        .expect("own folder refused");
    assert!(err.to_string().contains("is a symlink"), "{err}");
    assert!(
        !real.join("s.sqlite3").exists(),
        "nothing made behind the link"
    );
    // Its own file a symlink: refused, in words, and the target is untouched.
    let target = disk.join("target.sqlite3");
    std::fs::write(&target, b"").unwrap();
    std::os::unix::fs::symlink(&target, dir.join("l.sqlite3")).unwrap();
    let err = open_in(&dir, "l.sqlite3").err().expect("own file refused");
    assert!(err.to_string().contains("is a symlink"), "{err}");
    assert_eq!(std::fs::read(&target).unwrap(), b"");
}

#[test]
fn a_folder_that_cannot_be_made_is_an_error_in_words_not_a_panic() {
    let root = tempfile::tempdir().unwrap();
    let file = root.path().join("a-file");
    std::fs::write(&file, b"x").unwrap();
    let err = open_in(&file.join("gigdash"), "s.sqlite3")
        .err()
        .expect("cannot make a folder under a file");
    assert!(err.to_string().contains("cannot open the store"), "{err}");
}

#[test]
fn backends_and_keys_never_share_a_file_and_the_key_is_not_in_the_name() {
    let a = file_name("https://api.gigstack.io/v2", "key_1");
    let b = file_name("http://127.0.0.1:9999/v2", "key_1");
    let c = file_name("https://api.gigstack.io/v2", "key_2");
    assert_ne!(a, b);
    assert_ne!(a, c);
    assert_eq!(a, file_name("https://api.gigstack.io/v2/", "key_1"));
    let key = gigdash::api::ApiKey::new("sk_test_opaque_secret_value_1234");
    let name = file_name("https://api.gigstack.io/v2", &key.identity());
    assert!(
        !name.contains("opaque") && !name.contains("secret"),
        "{name}"
    );
}

#[test]
fn a_complete_read_prunes_what_the_server_no_longer_has() {
    let dir = tempfile::tempdir().unwrap();
    let s = open(dir.path());
    let team = TeamId::new("t");
    let docs: Vec<(String, serde_json::Value)> = (0..5)
        .map(|i| {
            (
                format!("c{i}"),
                serde_json::json!({ "id": format!("c{i}") }),
            )
        })
        .collect();
    keep(&s, &team, Kind::Client, &docs);
    let keep_ids: HashSet<String> = ["c0", "c1", "c3"].iter().map(|s| s.to_string()).collect();
    assert_eq!(
        s.prune(&team, Kind::Client, |id| keep_ids.contains(id), 5)
            .unwrap(),
        2
    );
    let left: Vec<serde_json::Value> = s.docs(&team, Kind::Client, None).unwrap();
    assert_eq!(left.len(), 3);
    let synced = s.synced(&team, Kind::Client).unwrap().unwrap();
    assert_eq!((synced.count, synced.full_at), (3, Some(5)));
}

#[test]
fn figures_are_exact_decimal_sums_by_team_and_month_in_mexico_city() {
    let dir = tempfile::tempdir().unwrap();
    let s = open(dir.path());
    // 2026-11-01 00:30 in Mexico City is 06:30 UTC: this month. 05:30 UTC is October there.
    let nov_first = 1_793_514_600; // 2026-11-01T06:30:00Z
    let oct_last = nov_first - 3600;
    let now = nov_first + 10 * 86_400;
    let w = Window::at(now, 30);
    let d = |s: &str| s.parse::<Decimal>().unwrap();
    let inv = |id: &str, created: i64, amount: &str, owed: Option<&str>| {
        (
            id.to_string(),
            Facts {
                created,
                amount: d(amount),
                invoiced: true,
                owed: owed.map(d),
                open: owed.is_some(),
                ..Facts::default()
            },
        )
    };
    let team = TeamId::new("t");
    let rows = [
        inv("a", nov_first, "0.10", None),
        inv("b", nov_first, "0.20", Some("0.05")),
        inv("c", oct_last, "1000", None),
    ];
    let body = serde_json::json!({});
    let docs: Vec<Doc<'_, serde_json::Value>> = rows
        .iter()
        .map(|(id, f)| Doc {
            id,
            body: &body,
            facts: f.clone(),
        })
        .collect();
    s.put_docs(&team, Kind::Invoice, &docs, true, now).unwrap();
    let pay = |id: &str, created: i64, amount: &str, uncollected: bool, paid_at: Option<i64>| {
        (
            id.to_string(),
            Facts {
                created,
                amount: d(amount),
                uncollected,
                open: uncollected,
                paid_at,
                ..Facts::default()
            },
        )
    };
    let pays = [
        pay("p1", now - 40 * 86_400, "3.33", true, None),
        pay("p2", now - 86_400, "1.11", true, None),
        pay("p3", oct_last, "9.99", false, Some(nov_first)),
        pay("p4", oct_last, "7", false, Some(oct_last)),
    ];
    let docs: Vec<Doc<'_, serde_json::Value>> = pays
        .iter()
        .map(|(id, f)| Doc {
            id,
            body: &body,
            facts: f.clone(),
        })
        .collect();
    s.put_docs(&team, Kind::Payment, &docs, true, now).unwrap();
    let figures = s.figures(w, None).unwrap();
    assert_eq!(figures.len(), 1);
    let f = &figures[0].1;
    assert_eq!(
        f.invoiced_month,
        d("0.30"),
        "0.1 + 0.2 exactly, October left out"
    );
    assert_eq!(f.ppd_owed, d("0.05"));
    assert_eq!((f.to_collect, f.to_collect_amount), (2, d("4.44")));
    assert_eq!(f.overdue_amount, d("3.33"));
    assert_eq!(f.collected_month, d("9.99"));
    assert_eq!((f.invoices, f.payments), (3, 4));
    assert_eq!(f.cancellations_waiting, 0);
    // An amount with more decimals than the integer column holds: still exact.
    let tiny = [inv("d", nov_first, "0.000000001", None)];
    let docs_tiny: Vec<Doc<'_, serde_json::Value>> = tiny
        .iter()
        .map(|(id, f)| Doc {
            id,
            body: &body,
            facts: f.clone(),
        })
        .collect();
    s.put_docs(&team, Kind::Invoice, &docs_tiny, false, now)
        .unwrap();
    let f = &s.figures(w, None).unwrap()[0].1.clone();
    assert_eq!(f.invoiced_month, d("0.300000001"));
    // One team asked: the same, and another team's documents never mix in.
    let other = TeamId::new("u");
    s.put_docs(&other, Kind::Invoice, &docs[..1], true, now)
        .unwrap();
    assert_eq!(s.figures(w, Some(&team)).unwrap()[0].1, *f);
}

#[test]
fn a_store_of_schema_4_is_converted_in_place_once_keeping_every_document() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.sqlite3");
    {
        let c = rusqlite::Connection::open(&path).unwrap();
        c.execute_batch(include_str!("fixtures/store_v4.sql"))
            .unwrap();
    }
    let opened = open_in(dir.path(), "s.sqlite3").unwrap();
    let notice = opened.notice.expect("a one-line notice");
    assert!(
        notice.contains("schema 4") && notice.contains("converted") && !notice.contains('\n'),
        "{notice}"
    );
    assert!(!notice.contains("rebuilt"), "{notice}");
    let s = opened.store;
    let team = TeamId::new("team_a");
    // Nothing was dropped: the team, the documents and what was synced when.
    assert_eq!(s.teams().unwrap().len(), 1);
    let synced = s.synced(&team, Kind::Payment).unwrap().unwrap();
    assert_eq!((synced.count, synced.full_at), (2, Some(1_790_000_000)));
    let p: Payment = s.doc(&team, Kind::Payment, "pay_paid").unwrap().unwrap();
    assert_eq!(p.total.0, "250.5".parse::<Decimal>().unwrap());
    // The status column was filled from the bodies: what an incremental read counts.
    assert_eq!(
        s.ids_where(
            &team,
            Kind::Payment,
            gigdash::store::Which::Status(&["requires_payment_method", "pending"])
        )
        .unwrap(),
        vec!["pay_open".to_string()]
    );
    assert_eq!(
        s.count_status(&team, Kind::Invoice, &["cancelled"])
            .unwrap(),
        1
    );
    // Marked stale, then kept again: no longer stale.
    s.mark_stale(
        &team,
        Kind::Invoice,
        &["inv_1".to_string(), "not_stored".to_string()],
    )
    .unwrap();
    assert_eq!(
        s.ids_where(&team, Kind::Invoice, gigdash::store::Which::Stale)
            .unwrap(),
        vec!["inv_1".to_string()]
    );
    keep(
        &s,
        &team,
        Kind::Invoice,
        &[(
            "inv_1".to_string(),
            serde_json::json!({"uuid": "inv_1", "status": "canceled"}),
        )],
    );
    assert!(
        s.ids_where(&team, Kind::Invoice, gigdash::store::Which::Stale)
            .unwrap()
            .is_empty()
    );
    // Opened again: converted once, no notice.
    drop(s);
    let again = open_in(dir.path(), "s.sqlite3").unwrap();
    assert!(again.notice.is_none(), "converted once");
    assert_eq!(again.store.teams().unwrap().len(), 1);
    drop(again);
    // Every body was compressed in the conversion: none is JSON text any more.
    let c = rusqlite::Connection::open(&path).unwrap();
    let text: i64 = c
        .query_row(
            "SELECT COUNT(*) FROM docs WHERE typeof(body) != 'blob'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(text, 0);
}

#[test]
fn a_body_that_no_longer_unpacks_is_skipped_said_once_and_read_again() {
    let dir = tempfile::tempdir().unwrap();
    let s = open_in(dir.path(), "s.sqlite3").unwrap().store;
    let team = TeamId::new("t");
    keep(
        &s,
        &team,
        Kind::Payment,
        &[
            (
                "p1".to_string(),
                serde_json::json!({"id": "p1", "status": "pending"}),
            ),
            (
                "p2".to_string(),
                serde_json::json!({"id": "p2", "status": "succeeded"}),
            ),
        ],
    );
    // A damaged body behind a sound page: bytes that are not zstd.
    {
        let c = rusqlite::Connection::open(dir.path().join("s.sqlite3")).unwrap();
        c.execute("UPDATE docs SET body = x'00ff00ff' WHERE id = 'p2'", [])
            .unwrap();
    }
    let read = |s: &Store| -> Vec<String> {
        s.docs::<serde_json::Value>(&team, Kind::Payment, None)
            .unwrap()
            .iter()
            .map(|d| d["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        read(&s),
        vec!["p1".to_string()],
        "the damaged one is skipped"
    );
    let said = s.take_notice().expect("said");
    assert!(
        said.contains("1 stored documents (payments) could not be read"),
        "{said}"
    );
    assert_eq!(
        s.ids_where(&team, Kind::Payment, gigdash::store::Which::Stale)
            .unwrap(),
        vec!["p2".to_string()],
        "marked to be read again by id"
    );
    let mut batched = 0;
    s.each_batch::<serde_json::Value>(&team, Kind::Payment, 10, |b| batched += b.len())
        .unwrap();
    assert_eq!(batched, 1);
    assert!(s.take_notice().is_none(), "said once a run");
}

#[test]
fn a_kinds_dictionary_is_trained_once_enough_are_stored_and_a_missing_one_means_read_again() {
    let dir = tempfile::tempdir().unwrap();
    let s = open_in(dir.path(), "s.sqlite3").unwrap().store;
    let team = TeamId::new("t");
    let payment = |i: usize| {
        serde_json::json!({
            "id": format!("pay_{i:05}"), "status": if i.is_multiple_of(3) { "pending" } else { "succeeded" },
            "total": format!("{}.{:02}", 100 + i * 7, i % 100), "currency": "MXN",
            "client": {"name": format!("Cliente {}", i % 40), "tax_id": "XAXX010101000"},
            "created_at": 1_790_000_000 + i as i64, "livemode": false,
        })
    };
    // Another gigdash with the same file, open before the dictionary exists.
    let other = open_in(dir.path(), "s.sqlite3").unwrap().store;
    let docs: Vec<(String, serde_json::Value)> = (0..2_500)
        .map(|i| (format!("pay_{i:05}"), payment(i)))
        .collect();
    // Kept a page at a time, as a read keeps them.
    for chunk in docs.chunks(100) {
        let page: Vec<Doc<'_, serde_json::Value>> = chunk
            .iter()
            .map(|(id, body)| Doc {
                id,
                body,
                facts: facts(0),
            })
            .collect();
        s.put_docs(&team, Kind::Payment, &page, false, 1_790_000_000)
            .unwrap();
    }
    let back = s
        .docs::<serde_json::Value>(&team, Kind::Payment, None)
        .unwrap();
    assert_eq!(back.len(), 2_500, "every one reads back");
    assert!(
        back.iter()
            .all(|d| d == &payment(d["id"].as_str().unwrap()[4..].parse().unwrap()))
    );
    // The other one takes the new dictionary from the file: every body reads, none is
    // marked to be read again, nothing is said.
    let seen = other
        .docs::<serde_json::Value>(&team, Kind::Payment, None)
        .unwrap();
    assert_eq!(seen.len(), 2_500);
    assert!(other.take_notice().is_none());
    assert!(
        other
            .ids_where(&team, Kind::Payment, gigdash::store::Which::Stale)
            .unwrap()
            .is_empty()
    );
    drop(other);
    drop(s);
    let c = rusqlite::Connection::open(dir.path().join("s.sqlite3")).unwrap();
    let dicts: i64 = c
        .query_row("SELECT COUNT(*) FROM dicts WHERE kind = 2", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(dicts, 1, "one dictionary for payments");
    let (without, avg): (i64, f64) = c
        .query_row(
            "SELECT SUM(substr(body, 1, 1) = x'00'), AVG(length(body)) FROM docs",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(without, 0, "every body packed again with it");
    assert!(avg < 120.0, "a small document packs small: {avg} bytes");
    // The dictionary gone (a hand edit): its bodies are skipped, said, read again.
    c.execute("DELETE FROM dicts", []).unwrap();
    drop(c);
    let s = open_in(dir.path(), "s.sqlite3").unwrap().store;
    assert!(
        s.docs::<serde_json::Value>(&team, Kind::Payment, None)
            .unwrap()
            .is_empty()
    );
    assert!(
        s.take_notice()
            .unwrap()
            .contains("2500 stored documents (payments) could not be read")
    );
    assert_eq!(
        s.ids_where(&team, Kind::Payment, gigdash::store::Which::Stale)
            .unwrap()
            .len(),
        2_500
    );
}

/// A payment body with a status and a total (as the API writes them).
fn pay(id: &str, status: &str, total: &str) -> (String, serde_json::Value) {
    (
        id.to_string(),
        serde_json::json!({"id": id, "status": status, "total": total, "currency": "MXN"}),
    )
}

/// Keeps payments page-wise (not complete) at `now`, each with its amount as a fact.
fn keep_payments(s: &Store, team: &TeamId, docs: &[(String, serde_json::Value)], now: i64) {
    let docs: Vec<Doc<'_, serde_json::Value>> = docs
        .iter()
        .map(|(id, body)| Doc {
            id,
            body,
            facts: Facts {
                created: 1_790_000_000,
                amount: body["total"].as_str().unwrap().parse().unwrap(),
                ..Facts::default()
            },
        })
        .collect();
    s.put_docs(team, Kind::Payment, &docs, false, now).unwrap();
}

#[test]
fn a_change_is_kept_only_once_a_complete_read_ended_and_says_from_what_to_what() {
    let dir = tempfile::tempdir().unwrap();
    let s = open(dir.path());
    let team = TeamId::new("t");
    let t0 = 1_796_000_000;
    // A first read, two pages: nothing is "new" yet.
    keep_payments(&s, &team, &[pay("p1", "pending", "100")], t0);
    keep_payments(&s, &team, &[pay("p2", "pending", "50")], t0);
    assert!(s.changes(0, i64::MAX, None).unwrap().is_empty());
    // The first read ends (its prune): from now on a difference is a change.
    let ids: HashSet<String> = ["p1", "p2"].iter().map(|s| s.to_string()).collect();
    s.prune(&team, Kind::Payment, |id| ids.contains(id), t0)
        .unwrap();
    // p1 paid, p2 the same, p3 new, then p2's amount corrected.
    keep_payments(
        &s,
        &team,
        &[
            pay("p1", "succeeded", "100"),
            pay("p2", "pending", "50"),
            pay("p3", "requires_payment_method", "70"),
        ],
        t0 + 60,
    );
    keep_payments(&s, &team, &[pay("p2", "pending", "50.00")], t0 + 90);
    keep_payments(&s, &team, &[pay("p2", "pending", "55")], t0 + 120);
    type Seen = (String, Option<String>, Option<String>, i64, Decimal);
    let got: Vec<Seen> = s
        .changes(0, i64::MAX, None)
        .unwrap()
        .into_iter()
        .map(|c| (c.id, c.before, c.after, c.seen, c.amount))
        .collect();
    let st = |x: &str| Some(x.to_string());
    assert_eq!(
        got,
        vec![
            (
                "p1".into(),
                st("pending"),
                st("succeeded"),
                t0 + 60,
                Decimal::new(100, 0)
            ),
            (
                "p3".into(),
                None,
                st("requires_payment_method"),
                t0 + 60,
                Decimal::new(70, 0)
            ),
            // 50 and 50.00 are the same amount; 55 is not.
            (
                "p2".into(),
                st("pending"),
                st("pending"),
                t0 + 120,
                Decimal::new(55, 0)
            ),
        ]
    );
    // The window and the team pick: [since, until).
    assert_eq!(s.changes(t0 + 61, i64::MAX, None).unwrap().len(), 1);
    assert_eq!(s.changes(t0, t0 + 60, None).unwrap().len(), 0);
    assert!(
        s.changes(0, i64::MAX, Some(&TeamId::new("other")))
            .unwrap()
            .is_empty()
    );
    // Clearing the team clears its changes.
    s.clear(Some(&team)).unwrap();
    assert!(s.changes(0, i64::MAX, None).unwrap().is_empty());
}

#[test]
fn changes_older_than_the_days_kept_are_forgotten_at_the_next_write() {
    let dir = tempfile::tempdir().unwrap();
    let s = open(dir.path());
    s.keep_changes_for(2);
    let team = TeamId::new("t");
    let t0 = 1_796_000_000;
    keep_payments(&s, &team, &[pay("p1", "pending", "100")], t0);
    let ids: HashSet<String> = ["p1".to_string()].into_iter().collect();
    s.prune(&team, Kind::Payment, |id| ids.contains(id), t0)
        .unwrap();
    keep_payments(&s, &team, &[pay("p1", "succeeded", "100")], t0 + 10);
    assert_eq!(s.changes(0, i64::MAX, None).unwrap().len(), 1);
    // Three days later another change: the first one is past the two days and goes.
    keep_payments(&s, &team, &[pay("p1", "refunded", "100")], t0 + 3 * 86_400);
    let left: Vec<Option<String>> = s
        .changes(0, i64::MAX, None)
        .unwrap()
        .into_iter()
        .map(|c| c.after)
        .collect();
    assert_eq!(left, vec![Some("refunded".to_string())]);
}

/// Turns a current store file into one of schema 7 (a team as text in `docs`, every amount
/// as text): the layout `FROM_7` converts, with the same documents.
const DOWN_TO_7: &str = "
ALTER TABLE docs RENAME TO docs_8;
DROP INDEX docs_team_created; DROP INDEX docs_invoiced; DROP INDEX docs_paid;
DROP INDEX docs_owed; DROP INDEX docs_cancel; DROP INDEX docs_uncollected;
DROP INDEX docs_open; DROP INDEX docs_link; DROP INDEX docs_status;
DROP INDEX docs_stale; DROP INDEX docs_due;
CREATE TABLE docs(
    team TEXT NOT NULL,
    kind INTEGER NOT NULL,
    id TEXT NOT NULL,
    created INTEGER NOT NULL,
    open INTEGER NOT NULL,
    amount TEXT NOT NULL,
    invoiced INTEGER NOT NULL,
    owed TEXT,
    cancel_pending INTEGER NOT NULL,
    uncollected INTEGER NOT NULL,
    paid_at INTEGER,
    body TEXT NOT NULL,
    amount_u INTEGER,
    owed_u INTEGER,
    link TEXT,
    status TEXT,
    stale INTEGER NOT NULL DEFAULT 0,
    due INTEGER,
    PRIMARY KEY(team, kind, id)
);
CREATE INDEX docs_team_created ON docs(team, kind, created DESC);
CREATE INDEX docs_created ON docs(kind, created, invoiced, team, amount_u, amount);
CREATE INDEX docs_paid ON docs(kind, paid_at, team, amount_u, amount) WHERE paid_at IS NOT NULL;
CREATE INDEX docs_owed ON docs(kind, team, owed_u, owed) WHERE owed IS NOT NULL;
CREATE INDEX docs_cancel ON docs(kind, team, cancel_pending, amount_u, amount) WHERE cancel_pending = 1;
CREATE INDEX docs_uncollected ON docs(kind, team, uncollected, created, amount_u, amount) WHERE uncollected = 1;
CREATE INDEX docs_open ON docs(team, kind, created) WHERE open = 1;
CREATE INDEX docs_link ON docs(team, kind, link) WHERE link IS NOT NULL;
CREATE INDEX docs_status ON docs(team, kind, status);
CREATE INDEX docs_stale ON docs(team, kind) WHERE stale = 1;
CREATE INDEX docs_due ON docs(kind, due, team) WHERE due IS NOT NULL;
INSERT INTO docs SELECT k.id, d.kind, d.id, d.created, d.open,
    COALESCE(d.amount, printf('%d.%08d', d.amount_u / 100000000, abs(d.amount_u % 100000000))),
    d.invoiced, d.owed, d.cancel_pending, d.uncollected, d.paid_at, d.body, d.amount_u,
    d.owed_u, d.link, d.status, d.stale, d.due
FROM docs_8 AS d JOIN team_keys AS k ON k.key = d.team;
DROP TABLE docs_8;
DROP TABLE team_keys;
PRAGMA user_version = 7;
";

/// A store in `dir` holding a client and a pending receipt of team `t`, then made older by
/// `sql` after `DOWN_TO_7` (what an earlier schema lacked dropped, its version stamped).
fn an_older_store(dir: &std::path::Path, sql: &str) {
    {
        let s = open(dir);
        let team = TeamId::new("t");
        keep(
            &s,
            &team,
            Kind::Client,
            &[("c1".to_string(), serde_json::json!({"id": "c1"}))],
        );
        keep(
            &s,
            &team,
            Kind::Receipt,
            &[(
                "r1".to_string(),
                serde_json::json!({"id": "r1", "status": "pending"}),
            )],
        );
    }
    let c = rusqlite::Connection::open(dir.join("s.sqlite3")).unwrap();
    c.execute_batch(DOWN_TO_7).unwrap();
    c.execute_batch(sql).unwrap();
}

#[test]
fn a_store_of_schema_5_gets_the_changes_table_in_place_keeping_everything() {
    let dir = tempfile::tempdir().unwrap();
    let team = TeamId::new("t");
    // A schema-5 file: no changes table, no `due` column, version 5.
    an_older_store(
        dir.path(),
        "DROP TABLE changes; DROP INDEX docs_due; ALTER TABLE docs DROP COLUMN due; \
         PRAGMA user_version = 5;",
    );
    let opened = open_in(dir.path(), "s.sqlite3").unwrap();
    let notice = opened.notice.expect("a one-line notice");
    assert!(
        notice.contains("schema 5") && notice.contains("converted"),
        "{notice}"
    );
    let s = opened.store;
    assert_eq!(s.synced(&team, Kind::Client).unwrap().unwrap().count, 1);
    assert!(s.changes(0, i64::MAX, None).unwrap().is_empty());
    drop(s);
    assert!(open_in(dir.path(), "s.sqlite3").unwrap().notice.is_none());
}

#[test]
fn a_store_of_schema_6_gets_the_due_column_in_place_and_reads_its_receipts_whole_again() {
    let dir = tempfile::tempdir().unwrap();
    let team = TeamId::new("t");
    // A schema-6 file: no `due` column, version 6.
    an_older_store(
        dir.path(),
        "DROP INDEX docs_due; ALTER TABLE docs DROP COLUMN due; PRAGMA user_version = 6;",
    );
    let opened = open_in(dir.path(), "s.sqlite3").unwrap();
    let notice = opened.notice.expect("a one-line notice");
    assert!(
        notice.contains("schema 6")
            && notice.contains("converted")
            && notice.contains("only the receipts are read whole again"),
        "{notice}"
    );
    let s = opened.store;
    // Everything kept; the receipts' next read is a whole one (it fills their due dates).
    assert_eq!(s.synced(&team, Kind::Client).unwrap().unwrap().count, 1);
    assert!(s.synced(&team, Kind::Receipt).unwrap().is_none());
    let kept: Vec<serde_json::Value> = s.docs(&team, Kind::Receipt, None).unwrap();
    assert_eq!(kept.len(), 1);
    drop(s);
    assert!(open_in(dir.path(), "s.sqlite3").unwrap().notice.is_none());
}

#[test]
fn a_schema_6_file_that_already_has_the_due_column_is_rebuilt_not_refused() {
    let dir = tempfile::tempdir().unwrap();
    // Stamped 6 though its tables are 7's: `FROM_6` cannot apply (the column exists).
    an_older_store(dir.path(), "PRAGMA user_version = 6;");
    let opened = open_in(dir.path(), "s.sqlite3").expect("opened, not refused");
    let notice = opened.notice.expect("a one-line notice");
    assert!(notice.contains("rebuilt"), "{notice}");
    assert!(open_in(dir.path(), "s.sqlite3").unwrap().notice.is_none());
}

#[test]
fn a_store_of_schema_7_is_converted_in_place_its_figures_documents_and_reads_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let now = 1_793_514_600 + 10 * 86_400;
    let w = Window::at(now, 30);
    let d = |s: &str| s.parse::<Decimal>().unwrap();
    let (t, u) = (TeamId::new("team_t"), TeamId::new("team_u"));
    let body = serde_json::json!({"status": "valid"});
    // Invoices of two teams, one of them owing and one whose amount the integer column
    // cannot hold (kept as text in 8 too); payments, one of them paid this month.
    let inv = |amount: &str, owed: Option<&str>| Facts {
        created: now - 86_400,
        amount: d(amount),
        invoiced: true,
        owed: owed.map(d),
        open: owed.is_some(),
        ..Facts::default()
    };
    let before = {
        let s = open(dir.path());
        for (team, amounts) in [(&t, ["0.10", "1000.5"]), (&u, ["0.000000001", "7"])] {
            let facts = [inv(amounts[0], None), inv(amounts[1], Some("0.05"))];
            let docs: Vec<Doc<'_, serde_json::Value>> = ["i1", "i2"]
                .iter()
                .zip(facts)
                .map(|(id, facts)| Doc {
                    id,
                    body: &body,
                    facts,
                })
                .collect();
            s.put_docs(team, Kind::Invoice, &docs, true, now).unwrap();
        }
        keep_payments(&s, &u, &[pay("p1", "pending", "3.33")], now);
        (
            s.figures(w, None).unwrap(),
            s.docs::<serde_json::Value>(&u, Kind::Invoice, None)
                .unwrap(),
            s.synced(&t, Kind::Invoice).unwrap(),
        )
    };
    let path = dir.path().join("s.sqlite3");
    let c = rusqlite::Connection::open(&path).unwrap();
    c.execute_batch(DOWN_TO_7).unwrap();
    // A schema-7 file indeed: the team as text in each document, every amount as text.
    let (team_text, amounts): (String, i64) = c
        .query_row(
            "SELECT MIN(team), COUNT(amount) FROM docs WHERE kind = 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((team_text.as_str(), amounts), ("team_t", 4));
    drop(c);
    let opened = open_in(dir.path(), "s.sqlite3").unwrap();
    let notice = opened.notice.expect("a one-line notice");
    assert!(
        notice.contains("schema 7")
            && notice.contains("converted")
            && notice.contains("nothing is read again")
            && !notice.contains('\n'),
        "{notice}"
    );
    let s = opened.store;
    assert_eq!(s.figures(w, None).unwrap(), before.0, "the same exact sums");
    assert_eq!(
        s.docs::<serde_json::Value>(&u, Kind::Invoice, None)
            .unwrap(),
        before.1
    );
    assert_eq!(s.synced(&t, Kind::Invoice).unwrap(), before.2);
    assert_eq!(s.owing_ids(&u).unwrap(), vec!["i2".to_string()]);
    assert_eq!(
        s.ids_where(
            &u,
            Kind::Payment,
            gigdash::store::Which::Status(&["pending"])
        )
        .unwrap(),
        vec!["p1".to_string()]
    );
    drop(s);
    // In 8 only the amount the integer cannot hold is text; each team a number.
    let c = rusqlite::Connection::open(&path).unwrap();
    let (types, texts): (String, i64) = c
        .query_row(
            "SELECT group_concat(DISTINCT typeof(team)), COUNT(amount) FROM docs",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((types.as_str(), texts), ("integer", 1));
    // A gigdash of schema 7 still running on the file writes its team as text: refused,
    // never a row no query of 8 finds.
    let refused = c.execute(
        "INSERT INTO docs(team, kind, id, created, open, invoiced, cancel_pending, \
         uncollected, body) VALUES ('team_t', 1, 'i9', 0, 0, 0, 0, 0, x'00')",
        [],
    );
    assert!(
        refused
            .unwrap_err()
            .to_string()
            .contains("CHECK constraint failed"),
    );
    drop(c);
    assert!(open_in(dir.path(), "s.sqlite3").unwrap().notice.is_none());
}

#[test]
fn documents_are_found_by_any_status_those_asked_through_their_index_the_others_still() {
    let dir = tempfile::tempdir().unwrap();
    let s = open(dir.path());
    let team = TeamId::new("t");
    keep_payments(
        &s,
        &team,
        &[
            pay("p1", "pending", "1"),
            pay("p2", "succeeded", "2"),
            pay("p3", "refunded", "3"),
            pay("p4", "processing", "4"),
        ],
        1_790_000_000,
    );
    let ids = |st: &[&str]| {
        let mut v = s
            .ids_where(&team, Kind::Payment, gigdash::store::Which::Status(st))
            .unwrap();
        v.sort();
        v
    };
    assert_eq!(ids(&["pending", "processing"]), vec!["p1", "p4"]);
    assert_eq!(
        ids(&["succeeded"]),
        vec!["p2"],
        "a status the index leaves out"
    );
    assert_eq!(
        s.count_status(&team, Kind::Payment, &["refunded"]).unwrap(),
        1
    );
    assert_eq!(
        s.count_status(&team, Kind::Payment, &["succeeded"])
            .unwrap(),
        1
    );
    assert_eq!(s.count_status(&team, Kind::Payment, &["open"]).unwrap(), 0);
}
