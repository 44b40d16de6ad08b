//! The `:` commands come from one table: every command, in both languages, is offered by
//! the palette, listed by `?` help and understood by the dispatcher — so none works
//! unseen (as `:complements`, `:month`, `:validate`, `:stamp`, `:stamp-receipts` and
//! `:receipts` once did) and none is offered that does not work.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use gigdash::app::dialogs::kinds::WriteKind;
use gigdash::app::fixtures::loaded_state_in;
use gigdash::app::input::commands::COMMANDS;
use gigdash::app::state::Popup;
use gigdash::app::{Msg, State, update};
use gigdash::i18n::Lang;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn screen(s: &State) -> String {
    let mut term = Terminal::new(TestBackend::new(s.size.0, s.size.1)).unwrap();
    term.draw(|f| gigdash::ui::draw(s, f)).unwrap();
    let buf = term.backend().buffer();
    let mut out = String::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            out.push_str(buf[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

fn press(s: &mut State, code: KeyCode) {
    update(s, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

fn typed(s: &mut State, text: &str) {
    for c in text.chars() {
        press(s, KeyCode::Char(c));
    }
}

#[test]
fn every_command_in_both_languages_is_offered_listed_and_understood() {
    assert!(COMMANDS.len() >= 18, "the table holds every command");
    let mut checked = 0;
    for lang in [Lang::En, Lang::Es] {
        for c in COMMANDS {
            let name = c.name.get(lang);
            let usage = c.usage(lang);

            // The palette offers it when its name is typed.
            let mut s = loaded_state_in((120, 40), 12, lang);
            press(&mut s, KeyCode::Char(':'));
            assert!(matches!(s.popup, Popup::Palette(_)));
            typed(&mut s, name);
            let shown = screen(&s);
            assert!(
                shown.contains(&usage) && shown.contains(c.help.get(lang)),
                "the palette offers «{usage}» ({lang:?}):\n{shown}"
            );

            // `?` help lists it, found by its name.
            let mut s = loaded_state_in((120, 40), 12, lang);
            press(&mut s, KeyCode::Char('?'));
            typed(&mut s, name);
            let shown = screen(&s);
            assert!(
                shown.contains(&format!(":{usage}")),
                "help lists «:{usage}» ({lang:?}):\n{shown}"
            );

            // The dispatcher understands it, in this language and the other one.
            for word in [c.name.en, c.name.es] {
                let mut s = loaded_state_in((120, 40), 12, lang);
                gigdash::app::update::run_command(&mut s, &format!(":{word}"));
                let status = s
                    .status
                    .as_ref()
                    .map(|st| st.text.clone())
                    .unwrap_or_default();
                assert!(
                    !status.contains("Unknown command") && !status.contains("Comando desconocido"),
                    ":{word} is understood ({lang:?}): {status}"
                );
                checked += 1;
            }
        }
    }
    assert_eq!(checked, COMMANDS.len() * 4);
}

#[test]
fn an_unknown_command_is_said_and_changes_nothing() {
    let mut s = loaded_state_in((120, 40), 12, Lang::Es);
    let reqs = gigdash::app::update::run_command(&mut s, ":volar");
    assert!(reqs.is_empty());
    let st = s.status.clone().unwrap();
    assert!(
        st.error && st.text.contains("Comando desconocido «volar»"),
        "{}",
        st.text
    );
}

#[test]
fn commands_do_what_the_table_says() {
    let mut s = loaded_state_in((120, 40), 12, Lang::En);
    gigdash::app::update::run_command(&mut s, ":recibos");
    assert_eq!(s.current_view().unwrap().tab, gigdash::app::Tab::Receipts);
    gigdash::app::update::run_command(&mut s, ":3");
    assert_eq!(s.current_view().unwrap().tab, gigdash::app::Tab::Invoices);
    gigdash::app::update::run_command(&mut s, ":mes");
    assert!(matches!(s.popup, Popup::Listing(_)));
    gigdash::app::update::run_command(&mut s, ":q!");
    assert!(s.quit);
}

/// The status says the change to teams named `what` is made in the Branches tab.
fn in_branches(s: &State, what: &str) -> bool {
    s.status.as_ref().is_some_and(|st| {
        st.error && st.text.starts_with(what) && st.text.contains("Branches tab (6)")
    })
}

/// What each command must do, by its English name: an oracle written apart from the table,
/// so a table entry that points at the wrong handler fails here. Every command of the table
/// must have one.
#[test]
fn each_command_has_the_effect_its_name_promises() {
    use gigdash::app::Request;
    use gigdash::app::Tab;
    use gigdash::app::data::account::ListingKind;

    type Check = fn(&State, &[Request]) -> bool;
    let expected: &[(&str, &str, Check)] = &[
        ("team", ":team Coyoacán", |s, _| {
            s.current.as_ref().map(|t| t.as_str()) == Some("team_coyoacan")
        }),
        ("find", ":find Olmeca", |s, r| {
            matches!(s.popup, Popup::Find(_)) && r.iter().any(|r| matches!(r, Request::Find { .. }))
        }),
        ("users", ":users", |s, r| {
            matches!(&s.popup, Popup::Listing(l) if l.kind == ListingKind::Users)
                && r.iter().any(|r| {
                    matches!(
                        r,
                        Request::LoadListing {
                            kind: ListingKind::Users,
                            ..
                        }
                    )
                })
        }),
        (
            "services",
            ":services",
            |s, _| matches!(&s.popup, Popup::Listing(l) if l.kind == ListingKind::Services),
        ),
        (
            "complements",
            ":complements",
            |s, _| matches!(&s.popup, Popup::Listing(l) if l.kind == ListingKind::Complements),
        ),
        (
            "month",
            ":month",
            |s, _| matches!(&s.popup, Popup::Listing(l) if l.kind == ListingKind::Month),
        ),
        ("validate", ":validate", |_, r| {
            r.iter().any(|r| matches!(r, Request::Validate { .. }))
        }),
        // Not on the Receipts or Clients tab: each says where to go.
        ("stamp", ":stamp", |s, _| {
            s.status
                .as_ref()
                .is_some_and(|st| st.text.contains("Receipts tab"))
        }),
        ("stamp-receipts", ":stamp-receipts", |s, _| {
            s.status
                .as_ref()
                .is_some_and(|st| st.text.contains("Clients tab"))
        }),
        ("retry", ":retry", |s, _| {
            s.status
                .as_ref()
                .is_some_and(|st| st.text.contains("No failed bulk rows"))
        }),
        ("overview", ":overview", |s, _| {
            s.current_view().unwrap().tab == Tab::Overview
        }),
        ("clients", ":clients", |s, _| {
            s.current_view().unwrap().tab == Tab::Clients
        }),
        ("invoices", ":invoices", |s, _| {
            s.current_view().unwrap().tab == Tab::Invoices
        }),
        ("payments", ":payments", |s, _| {
            s.current_view().unwrap().tab == Tab::Payments
        }),
        ("receipts", ":receipts", |s, _| {
            s.current_view().unwrap().tab == Tab::Receipts
        }),
        ("refresh", ":refresh", |_, r| {
            r.iter()
                .any(|r| matches!(r, Request::Load { force: true, .. }))
        }),
        ("help", ":help", |s, _| {
            matches!(s.popup, Popup::Help { .. })
        }),
        ("quit", ":quit", |s, _| s.quit),
        ("request", ":request", |s, r| {
            opened(s, r, WriteKind::RequestPayment)
        }),
        ("drafts", ":drafts", |s, r| {
            matches!(s.popup, Popup::Drafts(_))
                && r.iter()
                    .any(|r| matches!(r, gigdash::app::Request::LoadDrafts { .. }))
        }),
        ("changes", ":changes", |s, r| {
            s.group.open
                && s.group.changes.on
                && r.iter()
                    .any(|r| matches!(r, Request::LoadChanges { since: None, .. }))
        }),
        ("since", ":since 24h", |s, r| {
            s.group.open
                && r.iter()
                    .any(|r| matches!(r, Request::LoadChanges { since: Some(t), .. } if t == "24h"))
        }),
        ("branches", ":branches", |s, r| {
            s.branches.open && r.iter().any(|r| matches!(r, Request::LoadBranches { .. }))
        }),
        // No reference yet: it says how to set one.
        ("drift", ":drift", |s, _| {
            s.status
                .as_ref()
                .is_some_and(|st| st.error && st.text.contains("R on a team"))
        }),
        // Started from the Invoices tab: each says the changes to teams are the
        // Branches tab's (where `branches_update` makes them).
        ("add-member", ":add-member user_x", |s, _| {
            in_branches(s, "Add a member:")
        }),
        ("remove-member", ":remove-member user_x", |s, _| {
            in_branches(s, "Remove a member:")
        }),
        ("add-series", ":add-series Z", |s, _| {
            in_branches(s, "Create a series:")
        }),
        ("apply-setting", ":apply-setting unit_key", |s, _| {
            in_branches(s, "Apply the reference's setting:")
        }),
        (
            "new-branch",
            ":new-branch",
            |s, _| matches!(&s.popup, Popup::Create(f) if f.kind == WriteKind::NewBranch),
        ),
        ("register", ":register", |s, r| {
            opened(s, r, WriteKind::RegisterPayment)
        }),
        ("invoice", ":invoice", |s, r| {
            opened(s, r, WriteKind::DraftInvoice)
        }),
        ("credit-note", ":credit-note", |s, r| {
            opened(s, r, WriteKind::CreditNote)
        }),
        ("new-client", ":new-client", |s, r| {
            opened(s, r, WriteKind::CreateClient)
        }),
    ];
    for c in COMMANDS {
        let Some((_, line, check)) = expected.iter().find(|(n, _, _)| *n == c.name.en) else {
            panic!(":{} has no expected effect in this test", c.name.en);
        };
        let mut s = loaded_state_in((120, 40), 12, Lang::En);
        // Start where no command is a no-op: the Invoices tab of the first team.
        gigdash::app::update::run_command(&mut s, ":invoices");
        let reqs = gigdash::app::update::run_command(&mut s, line);
        assert!(
            check(&s, &reqs),
            "{line} did not do what its name promises: status {:?}, popup {:?}, {} requests",
            s.status,
            std::mem::discriminant(&s.popup),
            reqs.len()
        );
    }
    assert_eq!(
        expected.len(),
        COMMANDS.len(),
        "one expectation per command"
    );
}

/// A create form of `kind` is open and the team's lists were asked for.
fn opened(s: &gigdash::app::State, r: &[gigdash::app::Request], kind: WriteKind) -> bool {
    matches!(&s.popup, Popup::Create(f) if f.kind == kind)
        && r.iter()
            .any(|r| matches!(r, gigdash::app::Request::FormData { .. }))
}
