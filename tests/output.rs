//! `--output` of `export` and `report month` against the sandbox: a device or FIFO is
//! written through, never replaced; a link to a file stays a link and its file gets the
//! content; `-` is standard output; a folder or a link to nowhere is refused in words; the
//! temporary file of a killed run is cleaned up by the next one.

mod common;

use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::path::Path;
use std::process::Output;
use std::time::Duration;

use common::*;

fn export(sb: &gigdash::sandbox::Sandbox, dir: &Path, args: &[&str]) -> Output {
    gigdash_cmd(sb, sb.admin_key(), dir)
        .args(["export", "teams", "--all-teams"])
        .args(args)
        .output()
        .unwrap()
}

fn report(sb: &gigdash::sandbox::Sandbox, dir: &Path, args: &[&str]) -> Output {
    gigdash_cmd(sb, sb.admin_key(), dir)
        .args(["report", "month", "--month", "2026-09"])
        .args(args)
        .output()
        .unwrap()
}

fn said(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A character device like /dev/null (1, 3), made in `dir`; `None` without the right to.
fn null_device(dir: &Path) -> Option<std::path::PathBuf> {
    let p = dir.join("null");
    let c = std::ffi::CString::new(p.to_str()?).ok()?;
    // SAFETY: a valid C path; mknod only creates the node.
    let r = unsafe { libc::mknod(c.as_ptr(), libc::S_IFCHR | 0o666, libc::makedev(1, 3)) };
    (r == 0).then_some(p)
}

#[tokio::test(flavor = "multi_thread")]
async fn output_to_a_character_device_writes_through_it() {
    let sb = sandbox().await;
    let dir = tempfile::tempdir().unwrap();
    // A link to the real /dev/null: the link stays, /dev/null stays a device.
    let link = dir.path().join("to-null");
    std::os::unix::fs::symlink("/dev/null", &link).unwrap();
    let mut targets = vec![link.clone()];
    match null_device(dir.path()) {
        Some(dev) => targets.push(dev),
        None => println!("no right to mknod: only the link to /dev/null is checked"),
    }
    for target in &targets {
        let t = target.to_str().unwrap();
        for o in [
            export(&sb, dir.path(), &["--output", t]),
            report(&sb, dir.path(), &["--output", t]),
        ] {
            assert!(o.status.success(), "{t}: {}", said(&o));
            let kind = std::fs::symlink_metadata(target).unwrap().file_type();
            if *target == link {
                assert!(kind.is_symlink(), "{t} stays a link");
            } else {
                assert!(kind.is_char_device(), "{t} stays a character device");
            }
            let null = std::fs::symlink_metadata("/dev/null").unwrap().file_type();
            assert!(null.is_char_device(), "/dev/null stays a character device");
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn output_to_a_fifo_delivers_the_bytes() {
    let sb = sandbox().await;
    let dir = tempfile::tempdir().unwrap();
    let expected = export(&sb, dir.path(), &[]);
    assert!(expected.status.success());
    assert!(!expected.stdout.is_empty(), "the export has rows");
    let fifo = dir.path().join("pipe");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: a valid C path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    let (tx, rx) = std::sync::mpsc::channel();
    let reader = fifo.clone();
    std::thread::spawn(move || {
        let _ = tx.send(std::fs::read(&reader));
    });
    let o = export(&sb, dir.path(), &["--output", fifo.to_str().unwrap()]);
    assert!(o.status.success(), "{}", said(&o));
    let got = match rx.recv_timeout(Duration::from_secs(30)) {
        Ok(got) => got.unwrap(),
        Err(_) => {
            // Unblock the reader: nothing was ever written into the FIFO.
            let _ = std::fs::OpenOptions::new().write(true).open(&fifo);
            panic!("the FIFO received nothing");
        }
    };
    assert_eq!(got, expected.stdout, "the FIFO received the export");
    let kind = std::fs::symlink_metadata(&fifo).unwrap().file_type();
    assert!(kind.is_fifo(), "the FIFO stays a FIFO");
}

#[tokio::test(flavor = "multi_thread")]
async fn output_through_a_link_keeps_the_link_and_fills_its_file() {
    let sb = sandbox().await;
    let dir = tempfile::tempdir().unwrap();
    let expected = export(&sb, dir.path(), &[]).stdout;
    let real = dir.path().join("real.csv");
    std::fs::write(&real, "old").unwrap();
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o600)).unwrap();
    let link = dir.path().join("teams.csv");
    std::os::unix::fs::symlink("real.csv", &link).unwrap();
    let o = export(&sb, dir.path(), &["--output", link.to_str().unwrap()]);
    assert!(o.status.success(), "{}", said(&o));
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink(),
        "the link stays a link"
    );
    assert_eq!(
        std::fs::read(&real).unwrap(),
        expected,
        "its file got the export"
    );
    let mode = std::fs::metadata(&real).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "the file keeps its mode");
    // The report too.
    let o = report(&sb, dir.path(), &["--output", link.to_str().unwrap()]);
    assert!(o.status.success(), "{}", said(&o));
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(std::fs::read_to_string(&real).unwrap().contains("Total"));
}

#[tokio::test(flavor = "multi_thread")]
async fn output_dash_is_standard_output() {
    let sb = sandbox().await;
    let dir = tempfile::tempdir().unwrap();
    let expected = export(&sb, dir.path(), &[]).stdout;
    let o = gigdash_cmd(&sb, sb.admin_key(), dir.path())
        .current_dir(dir.path())
        .args(["export", "teams", "--all-teams", "--output", "-"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", said(&o));
    assert_eq!(o.stdout, expected);
    let o = gigdash_cmd(&sb, sb.admin_key(), dir.path())
        .current_dir(dir.path())
        .args(["report", "month", "--month", "2026-09", "--output", "-"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", said(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("Total"));
    assert!(!dir.path().join("-").exists(), "no file named -");
}

#[tokio::test(flavor = "multi_thread")]
async fn output_to_a_folder_or_a_link_to_nowhere_is_refused_in_words() {
    let sb = sandbox().await;
    let dir = tempfile::tempdir().unwrap();
    let nowhere = dir.path().join("gone.csv");
    std::os::unix::fs::symlink(dir.path().join("missing/x.csv"), &nowhere).unwrap();
    let folder = dir.path().join("folder");
    std::fs::create_dir(&folder).unwrap();
    for (target, words) in [(&nowhere, "which does not exist"), (&folder, "is a folder")] {
        let t = target.to_str().unwrap();
        for o in [
            export(&sb, dir.path(), &["--output", t]),
            report(&sb, dir.path(), &["--output", t]),
        ] {
            assert_eq!(o.status.code(), Some(2), "{t}: {}", said(&o));
            assert!(said(&o).contains(words), "{t}: {}", said(&o));
        }
    }
    assert!(
        std::fs::symlink_metadata(&nowhere)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(
        !dir.path().join("missing").exists(),
        "nothing made where it led"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_killed_runs_temporary_file_is_removed_by_the_next_run() {
    let sb = sandbox().await;
    let dir = tempfile::tempdir().unwrap();
    // A process that has ended: its id names the leftover.
    let mut gone = std::process::Command::new("true").spawn().unwrap();
    let dead = gone.id();
    gone.wait().unwrap();
    let stale = dir.path().join(format!(".teams.csv.tmp{dead}"));
    let stale_report = dir.path().join(format!(".month.md.tmp{dead}"));
    // One of a running process (this test) and one that only looks alike stay.
    let running = dir
        .path()
        .join(format!(".other.csv.tmp{}", std::process::id()));
    let unlike = dir.path().join(format!("teams.csv.tmp{dead}"));
    for f in [&stale, &stale_report, &running, &unlike] {
        std::fs::write(f, "half").unwrap();
    }
    let out = dir.path().join("teams.csv");
    let o = export(&sb, dir.path(), &["--output", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", said(&o));
    assert!(out.exists());
    assert!(!stale.exists(), "the leftover of the killed export is gone");
    assert!(!stale_report.exists(), "so is another one of this folder");
    assert!(running.exists(), "a running process's file stays");
    assert!(unlike.exists(), "a file write_atomic did not make stays");
    // The report cleans up the same way.
    std::fs::write(&stale, "half").unwrap();
    let o = report(&sb, dir.path(), &["--output", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", said(&o));
    assert!(!stale.exists(), "the report removed it too");
}
