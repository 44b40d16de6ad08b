//! The config file: the documented example loads; every file in tests/invalid_configs/
//! fails with a message naming the file, the line and what is wrong; a key file others can
//! read is refused.

use std::path::Path;

use gigdash::config::{Config, read_key_file};
use gigdash::i18n::Lang;

#[test]
fn the_documented_example_loads() {
    let path = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/assets/config.example.toml"
    ));
    let cfg = Config::load(path).unwrap();
    let (name, p) = cfg.active_profile(None, Lang::En).unwrap().unwrap();
    assert_eq!(name, "franquicias");
    assert_eq!(p.key_env.as_deref(), Some("GIGSTACK_API_KEY"));
    assert!(
        cfg.active_profile(Some("contabilidad"), Lang::En)
            .unwrap()
            .unwrap()
            .1
            .read_only
    );
    assert_eq!(cfg.read_only_teams(), vec!["team_1234567890".to_string()]);
    assert_eq!(cfg.language, Some(gigdash::i18n::Lang::Es));
    assert!(
        cfg.active_profile(Some("nadie"), Lang::En)
            .unwrap_err()
            .0
            .contains("franquicias")
    );
}

#[test]
fn a_missing_file_is_the_default_config() {
    assert_eq!(
        Config::load(Path::new("/nonexistent/gigdash.toml")).unwrap(),
        Config::default()
    );
}

#[test]
fn every_invalid_config_names_the_file_the_line_and_the_problem() {
    let dir = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/invalid_configs"
    ));
    let expected = [
        ("broken_toml.toml", ":2:", "unclosed table"),
        ("wrong_type.toml", ":1:", "bool"),
        ("unknown_key.toml", ":2:", "key_envv"),
        ("unknown_profile.toml", ":1:", "nope"),
        ("both_key_sources.toml", ":3:", "both key_env and key_file"),
        (
            "key_clash.toml",
            ":2:",
            "«x» is bound to both «cancel» and «mark_paid»",
        ),
        ("unknown_action.toml", ":2:", "no action «fly»"),
        ("bad_theme.toml", ":1:", "theme «plaid»"),
        ("bad_color.toml", ":2:", "«mauve-ish» is not a colour"),
        (
            "bad_rate.toml",
            ":3:",
            "requests_per_second = 0 must be a number above 0",
        ),
        (
            "bad_language.toml",
            ":3:",
            "language «fr» is not one gigdash speaks",
        ),
    ];
    let mut seen = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        let err = Config::load(&path).expect_err(&name).0;
        assert!(
            err.contains(&name),
            "{name}: the message names the file: {err}"
        );
        let (_, line, what) = expected
            .iter()
            .find(|(n, _, _)| *n == name)
            .unwrap_or_else(|| panic!("an expectation for {name}"));
        assert!(err.contains(line), "{name}: the line: {err}");
        assert!(err.contains(what), "{name}: what is wrong: {err}");
        seen += 1;
    }
    assert_eq!(seen, expected.len());
}

#[test]
fn a_key_file_others_can_read_is_refused() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("k");
    std::fs::write(&key, "sk_test_secret_value\n").unwrap();
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
    let err = read_key_file(&key, Lang::En).unwrap_err().0;
    assert!(
        err.contains("chmod 600") && !err.contains("sk_test_secret_value"),
        "{err}"
    );
    let es = read_key_file(&key, Lang::Es).unwrap_err().0;
    assert!(
        es.contains("otros pueden leer") && es.contains("chmod 600"),
        "{es}"
    );
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600)).unwrap();
    assert_eq!(
        read_key_file(&key, Lang::En).unwrap(),
        "sk_test_secret_value"
    );
}

#[test]
fn remapped_keys_replace_the_defaults_and_show_in_the_footer() {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let path = Path::new("mine.toml");
    let cfg = Config::parse(
        path,
        "[keys]\nmark_paid = \"P\"\nnext_team = [\"]\", \"m\"]\n",
    )
    .unwrap();
    let map = cfg.keymap(path, Lang::En).unwrap();
    let ev = |c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
    assert_eq!(
        map.action_for(&ev('P')),
        Some(gigdash::app::input::bindings::Action::MarkPaid)
    );
    assert_eq!(map.action_for(&ev('p')), None, "the default key is gone");
    assert_eq!(
        map.action_for(&ev('m')),
        Some(gigdash::app::input::bindings::Action::NextTeam)
    );
    assert_eq!(
        map.keys_for(gigdash::app::input::bindings::Action::Down),
        "j ↓",
        "vim-style and arrows by default"
    );
    let mut s = gigdash::app::fixtures::loaded_state((120, 40), 10);
    s.keymap = std::sync::Arc::new(map);
    gigdash::app::update(&mut s, gigdash::app::Msg::Key(ev('4')));
    let b = gigdash::app::input::bindings::BINDINGS
        .iter()
        .find(|b| b.action == gigdash::app::input::bindings::Action::MarkPaid)
        .unwrap();
    assert_eq!(gigdash::app::input::bindings::keys_label(&s, b), "P");
}

#[test]
fn config_messages_follow_the_language_even_the_files_own() {
    let path = Path::new("/etc/gigdash.toml");
    // Chosen outside the file (flag, environment, locale).
    let es = |_: Option<Lang>| Lang::Es;
    let err = Config::parse_in(path, "theme = \"plaid\"", &es)
        .unwrap_err()
        .0;
    assert_eq!(
        err,
        "/etc/gigdash.toml:1: theme «plaid» no es ninguno de 16, 256, truecolor, auto"
    );
    // The file's own language, when nothing outside it chooses.
    let own = |l: Option<Lang>| l.unwrap_or(Lang::En);
    let err = Config::parse_in(path, "language = \"es\"\n[keys]\nmark_paid = \"x\"\n", &own)
        .unwrap_err()
        .0;
    assert!(
        err.starts_with(
            "/etc/gigdash.toml:3: la tecla «x» está asignada a «cancel» y a «mark_paid»"
        ),
        "{err}"
    );
    let cfg = Config::parse_in(path, "[profiles.a]\nkey_env = \"K\"\n", &es).unwrap();
    let err = cfg.active_profile(Some("b"), Lang::Es).unwrap_err().0;
    assert_eq!(
        err,
        "no hay un perfil «b» en la configuración; definidos: a"
    );
}

/// `f` in a thread, failed after `secs` (a config read that blocks must fail the test, not
/// hang it).
fn within<T: Send + 'static>(secs: u64, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(std::time::Duration::from_secs(secs))
        .unwrap_or_else(|_| panic!("the config read did not end within {secs} s"))
}

#[test]
fn a_config_that_is_not_a_regular_file_or_over_1_mb_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("config.fifo");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: a valid C path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    let path = fifo.clone();
    let e = within(10, move || Config::load(&path)).unwrap_err();
    assert!(e.0.contains("is not a regular file"), "{e}");
    // Unblock a reader left waiting (before the fix, the load above waits for a writer).
    let e = Config::load(dir.path()).unwrap_err();
    assert!(e.0.contains("is not a regular file"), "{e}");
    let big = dir.path().join("big.toml");
    let mut text = String::from("# a comment\n");
    while text.len() <= 1_000_000 {
        text.push_str("# padding padding padding padding padding padding padding padding\n");
    }
    text.push_str("theme = \"16\"\n");
    std::fs::write(&big, &text).unwrap();
    let e = Config::load(&big).unwrap_err();
    assert!(e.0.contains("larger than 1 MB"), "{e}");
    // A link to a regular config is read as that config.
    let real = dir.path().join("real.toml");
    std::fs::write(&real, "theme = \"256\"\n").unwrap();
    let link = dir.path().join("link.toml");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    assert_eq!(Config::load(&link).unwrap().theme.as_deref(), Some("256"));
}

/// The binary's `info` with `env` set (English, no key), memory capped at 1 GB and killed
/// after 20 s: (exit code, stderr).
fn info_with(env: &[(&str, &str)]) -> (Option<i32>, String) {
    use std::os::unix::process::CommandExt;
    let dir = tempfile::tempdir().unwrap();
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_gigdash"));
    c.env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("GIGDASH_LANG")
        .env_remove("GIGDASH_CONFIG")
        .env_remove("GIGSTACK_API_KEY")
        .env("LANG", "C.UTF-8")
        .env("XDG_STATE_HOME", dir.path())
        .env("XDG_CONFIG_HOME", dir.path().join("config"))
        .env("XDG_CACHE_HOME", dir.path().join("cache"))
        .envs(env.iter().copied())
        .arg("info")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::fs::File::create(dir.path().join("stderr")).unwrap());
    // SAFETY: setrlimit is async-signal-safe; a read of /dev/zero fails, not the machine.
    unsafe {
        c.pre_exec(|| {
            let cap = libc::rlimit {
                rlim_cur: 1 << 30,
                rlim_max: 1 << 30,
            };
            libc::setrlimit(libc::RLIMIT_AS, &cap);
            Ok(())
        });
    }
    let mut child = c.spawn().unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            break child.wait().unwrap();
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    let err = std::fs::read_to_string(dir.path().join("stderr")).unwrap_or_default();
    (status.code(), err)
}

#[test]
fn gigdash_config_dev_zero_is_refused_without_reading_it() {
    let (code, err) = info_with(&[("GIGDASH_CONFIG", "/dev/zero")]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("/dev/zero is not a regular file"), "{err}");
}

#[test]
fn a_missing_gigdash_config_and_an_unknown_gigdash_lang_are_said() {
    let (code, err) = info_with(&[("GIGDASH_CONFIG", "/nonexistent/gigdash.toml")]);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("GIGDASH_CONFIG names /nonexistent/gigdash.toml, which does not exist"),
        "{err}"
    );
    let (code, err) = info_with(&[("GIGDASH_LANG", "klingon")]);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        err.contains("GIGDASH_LANG=klingon is not a language gigdash speaks (en or es); using en (LANG=C.UTF-8)"),
        "{err}"
    );
    // Said in Spanish when the rest says Spanish.
    let (_, err) = info_with(&[("GIGDASH_LANG", "klingon"), ("LANG", "es_MX.UTF-8")]);
    assert!(err.contains("no es un idioma que gigdash hable"), "{err}");
}
