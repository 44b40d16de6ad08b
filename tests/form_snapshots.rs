//! The form toolkit on screen, one field kind at a time, at 80×24 and 120×40 in both
//! languages: text, amount, date, a catalog choice with type-to-filter, a picker over a
//! team's clients, a repeated group (invoice items), an error under its field, and the
//! confirm row with the word a live key types. Each screen is built from real field values
//! (keys pressed into them), drawn by `ui::form`.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use gigdash::app::form::amount::AmountField;
use gigdash::app::form::catalogs::{CFDI_USES, PAYMENT_FORMS, REGIMES};
use gigdash::app::form::choice::Choice;
use gigdash::app::form::confirm::Confirm;
use gigdash::app::form::date::DateField;
use gigdash::app::form::repeat::Repeat;
use gigdash::app::form::text::edit;
use gigdash::i18n::Lang;
use gigdash::ui::form::{
    buttons_line, choice_lines, draw_box, error_line, repeat_lines, text_line, word_line,
};
use gigdash::ui::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::text::Line;

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

fn k(c: KeyCode) -> KeyEvent {
    KeyEvent::new(c, KeyModifiers::NONE)
}

fn typed(input: &mut tui_input::Input, text: &str) {
    for c in text.chars() {
        edit(input, &k(KeyCode::Char(c)));
    }
}

/// The text on screen, and the text drawn reversed (what is chosen or highlighted: the
/// snapshots keep only the text, so the choice is checked here).
fn screen(
    size: (u16, u16),
    title: &str,
    lines: Vec<Line<'static>>,
    live: bool,
) -> (String, String) {
    let mut term = Terminal::new(TestBackend::new(size.0, size.1)).unwrap();
    let theme = Theme::new(true);
    term.draw(|f| draw_box(f, f.area(), title, lines, live, &theme))
        .unwrap();
    let buf = term.backend().buffer();
    let mut out = String::new();
    let mut reversed = String::new();
    for y in 0..buf.area.height {
        let mut line = String::new();
        for x in 0..buf.area.width {
            let cell = &buf[(x, y)];
            line.push_str(cell.symbol());
            if cell.modifier.contains(ratatui::style::Modifier::REVERSED) {
                reversed.push_str(cell.symbol());
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
        reversed.push('\n');
    }
    (out, reversed)
}

/// What a build gives: the form's title, its lines, live or not, what must be on screen, and
/// what must be drawn reversed (chosen or highlighted), each reversed run on its own line.
type Built = (
    String,
    Vec<Line<'static>>,
    bool,
    Vec<String>,
    Vec<&'static str>,
);

/// Snapshots one field kind at both sizes in both languages; `expect` must be on screen and
/// `chosen` drawn reversed.
fn snap(kind: &str, build: impl Fn(Lang) -> Built) {
    for lang in [Lang::En, Lang::Es] {
        let (title, lines, live, expect, chosen) = build(lang);
        for size in SIZES {
            let (shown, reversed) = screen(size, &title, lines.clone(), live);
            for e in &expect {
                assert!(shown.contains(e.as_str()), "«{e}» on screen:\n{shown}");
            }
            let runs: Vec<&str> = reversed
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect();
            let want: Vec<String> = chosen.iter().map(|c| c.to_string()).collect();
            assert_eq!(runs, want, "what is drawn reversed ({lang:?})");
            let name = format!(
                "form_{kind}{}_{}x{}",
                if lang == Lang::Es { "_es" } else { "" },
                size.0,
                size.1
            );
            insta::assert_snapshot!(name, shown);
        }
    }
}

#[test]
fn text_field() {
    snap("text", |l| {
        let theme = Theme::new(true);
        let mut name = tui_input::Input::default();
        typed(&mut name, "Abarrotes Núñez");
        let lines = vec![
            text_line(l.pick("Name", "Nombre"), name.value(), true, None, &theme),
            text_line(l.pick("E-mail", "Correo"), "", false, None, &theme),
        ];
        (
            l.pick("New client", "Cliente nuevo").into(),
            lines,
            false,
            vec!["› ".into(), "Abarrotes Núñez▏".into()],
            vec![],
        )
    });
}

#[test]
fn amount_field() {
    snap("amount", |l| {
        let theme = Theme::new(true);
        let mut a = AmountField::default();
        typed(&mut a.input, "$1,450.50");
        let read = a.read_cents(l).unwrap().to_string();
        let mut bad = AmountField::default();
        typed(&mut bad.input, "10.005");
        let e = bad.read_cents(l).unwrap_err();
        let lines = vec![
            text_line(
                l.pick("Amount", "Monto"),
                a.value(),
                false,
                Some(format!("  = {read}")),
                &theme,
            ),
            text_line(
                l.pick("Discount", "Descuento"),
                bad.value(),
                true,
                None,
                &theme,
            ),
            error_line(&e, &theme),
        ];
        (
            l.pick("Amounts", "Montos").into(),
            lines,
            false,
            vec!["= 1450.50".into(), "10.005▏".into()],
            vec![],
        )
    });
}

#[test]
fn date_field() {
    snap("date", |l| {
        let theme = Theme::new(true);
        let d = DateField::on(jiff::civil::date(2026, 11, 28), l);
        let mut bad = DateField::default();
        typed(&mut bad.input, "mañana");
        let e = bad.read(l).unwrap_err();
        let lines = vec![
            text_line(
                l.pick("Date (Mexico City)", "Fecha (CDMX)"),
                d.value(),
                false,
                None,
                &theme,
            ),
            text_line(l.pick("Due", "Vence"), bad.value(), true, None, &theme),
            error_line(&e, &theme),
        ];
        let day = if l == Lang::Es {
            "28/11/2026"
        } else {
            "2026-11-28"
        };
        (
            l.pick("Dates", "Fechas").into(),
            lines,
            false,
            vec![day.into()],
            vec![],
        )
    });
}

#[test]
fn catalog_choice_filters_as_typed() {
    snap("choice", |l| {
        let theme = Theme::new(true);
        let mut form = Choice::catalog(PAYMENT_FORMS, "03");
        for c in "tarj".chars() {
            form.key(&k(KeyCode::Char(c)));
        }
        form.key(&k(KeyCode::Down));
        let regime = Choice::catalog(REGIMES, "626");
        let mut lines = choice_lines(
            l.pick("Payment form", "Forma de pago"),
            &form,
            true,
            l.pick("no form matches", "ninguna forma coincide"),
            &theme,
        );
        lines.extend(choice_lines(
            l.pick("Tax regime", "Régimen fiscal"),
            &regime,
            false,
            "",
            &theme,
        ));
        (
            l.pick("Catalogs", "Catálogos").into(),
            lines,
            false,
            vec![
                "tarj▏".into(),
                "28 Tarjeta de débito".into(),
                "626 Régimen Simplificado".into(),
            ],
            vec![
                "28 Tarjeta de débito",
                "626 Régimen Simplificado de Confianza",
            ],
        )
    });
}

#[test]
fn picker_over_clients() {
    snap("picker", |l| {
        let theme = Theme::new(true);
        let mut clients = Choice::over(vec![
            ("client_1".into(), "Abarrotes Núñez · NUAA850101AB1".into()),
            ("client_2".into(), "Papelería del Sur · PSU900202CD2".into()),
            ("client_3".into(), "Núñez Hermanos · NHE010101EF3".into()),
        ]);
        for c in "nunez".chars() {
            clients.key(&k(KeyCode::Char(c)));
        }
        let mut nothing = Choice::over(vec![("s1".into(), "Consultoría".into())]);
        for c in "zz".chars() {
            nothing.key(&k(KeyCode::Char(c)));
        }
        let mut lines = choice_lines(
            l.pick("Client", "Cliente"),
            &clients,
            true,
            l.pick("no client matches", "ningún cliente coincide"),
            &theme,
        );
        lines.extend(choice_lines(
            l.pick("Service", "Servicio"),
            &nothing,
            false,
            l.pick("no service matches", "ningún servicio coincide"),
            &theme,
        ));
        let none = l.pick("no service matches", "ningún servicio coincide");
        (
            l.pick("Pick a client", "Elige un cliente").into(),
            lines,
            false,
            vec!["Núñez Hermanos".into(), none.into()],
            vec!["Abarrotes Núñez · NUAA850101AB1"],
        )
    });
}

#[test]
fn repeated_group_of_items() {
    snap("repeat", |l| {
        let theme = Theme::new(true);
        let mut items: Repeat<(String, String)> = Repeat::default();
        *items.current_mut() = ("Consultoría".into(), "$1,000.00 · IVA 16 %".into());
        items.key(&k(KeyCode::Char('+')));
        *items.current_mut() = ("Libro".into(), "$250.00 · IVA 0 %".into());
        items.key(&k(KeyCode::Char('+')));
        items.key(&k(KeyCode::Char('-')));
        let use_ = Choice::catalog(CFDI_USES, "G03");
        let mut lines = repeat_lines(
            l.pick("Items", "Conceptos"),
            &items,
            true,
            |(d, a)| format!("{d:<20} {a}"),
            l,
            &theme,
        );
        lines.extend(choice_lines(
            l.pick("CFDI use", "Uso CFDI"),
            &use_,
            false,
            "",
            &theme,
        ));
        (
            l.pick("Invoice items", "Conceptos de la factura").into(),
            lines,
            false,
            vec!["1. Consultoría".into(), "2. Libro".into()],
            vec![
                "Libro                $250.00 · IVA 0 %",
                "G03 Gastos en general",
            ],
        )
    });
}

#[test]
fn confirm_row_starts_on_no_and_asks_the_live_word() {
    snap("confirm", |l| {
        let theme = Theme::new(true);
        let mut c = Confirm::new(Some("EMITIR"));
        for ch in "EMI".chars() {
            c.type_key(&k(KeyCode::Char(ch)));
        }
        let e = c.word_ok(l).unwrap_err();
        let mut lines = vec![
            word_line(&c, true, l, &theme).unwrap(),
            error_line(&e, &theme),
        ];
        lines.push(Line::raw(""));
        lines.push(buttons_line(
            &c,
            false,
            l.pick("issue invoice", "emitir factura"),
            l,
            &theme,
        ));
        (
            l.pick("Issue invoice", "Emitir factura").into(),
            lines,
            true,
            vec!["EMI▏".into(), "EMITIR".into(), " No ".into()],
            vec!["No"],
        )
    });
}
