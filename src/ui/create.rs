//! The create forms. A form names its team (and Connect), the key's mode, then its fields
//! — a choice opens its list only while focused, the items show one line each and the
//! current one's parts — and the totals preview as gigstack will compute them; it scrolls
//! to keep the cursor in view on a small terminal. What a create made is `created.rs`.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::form::{buttons_line, choice_lines, error_line, head, label, text_line, word_line};
use super::parts::{centered, clear, wrap};
use super::theme::Theme;
use crate::app::create::items::Part;
use crate::app::create::model::{CreateForm, Key, LINK_METHODS};
use crate::app::dialogs::kinds::WriteKind;
use crate::app::form::choice::Choice;
use crate::i18n::Lang;
use crate::t;

fn title(f: &CreateForm) -> String {
    let l = f.lang();
    let what = f.kind.title(l);
    if f.choosing_team {
        return t!(l, "{what} — in which team?", "{what} — ¿en qué equipo?");
    }
    let team = &f.head.team_name;
    if f.kind == crate::app::dialogs::kinds::WriteKind::NewBranch {
        return t!(
            l,
            "{what} in the account of «{team}»",
            "{what} en la cuenta de «{team}»"
        );
    }
    if f.head.connect {
        t!(
            l,
            "{what} in «{team}» (via Connect)",
            "{what} en «{team}» (vía Connect)"
        )
    } else {
        t!(l, "{what} in «{team}»", "{what} en «{team}»")
    }
}

fn field_label(key: Key, l: Lang) -> &'static str {
    match key {
        Key::Team => l.pick("Team", "Equipo"),
        Key::Client => l.pick("Client", "Cliente"),
        Key::Items => l.pick("Items", "Conceptos"),
        Key::Item(p) => p.label(l),
        Key::Currency => l.pick("Currency", "Moneda"),
        Key::Rate => l.pick("Exchange rate", "Tipo de cambio"),
        Key::Methods => l.pick("May pay by", "Puede pagar con"),
        Key::Automation => l.pick("Once paid", "Al pagarse"),
        Key::Ppd => l.pick("Pays PPD invoice", "Paga factura PPD"),
        Key::Form => l.pick("Payment form", "Forma de pago"),
        Key::Use => l.pick("CFDI use", "Uso CFDI"),
        Key::Method => l.pick("Payment method", "Método de pago"),
        Key::Series => l.pick("Series", "Serie"),
        Key::Emails => l.pick("Send to (e-mail)", "Enviar a (correo)"),
        Key::Notes => l.pick("Notes on the PDF", "Notas en el PDF"),
        Key::Amount => l.pick("Amount (tax incl.)", "Monto (con IVA)"),
        Key::Name => l.pick("Name", "Nombre"),
        Key::LegalName => l.pick("Legal name", "Razón social"),
        Key::Rfc => "RFC",
        Key::Regime => l.pick("Tax regime", "Régimen fiscal"),
        Key::Zip => l.pick("Postal code", "Código postal"),
        Key::Email => l.pick("E-mail", "Correo"),
        Key::Word | Key::Buttons => "",
    }
}

/// A choice on one line when not focused: what is chosen.
fn choice_field(
    name: &str,
    c: &Choice,
    focused: bool,
    none: &str,
    theme: &Theme,
) -> Vec<Line<'static>> {
    if focused {
        return choice_lines(name, c, true, none, theme);
    }
    let shown = match c.chosen() {
        Some((code, text)) if c.shows_code() => format!("{code} {text}"),
        Some((_, text)) => text.to_string(),
        None => none.to_string(),
    };
    vec![Line::from(vec![
        label(name, false, theme),
        Span::raw(shown),
    ])]
}

/// The form's lines, and which of them holds the cursor.
pub fn lines(f: &CreateForm, theme: &Theme) -> (Vec<Line<'static>>, usize) {
    let l = f.lang();
    let mut out: Vec<Line<'static>> = Vec::new();
    let mut at = 0;
    let none = l.pick("(nothing matches)", "(nada coincide)");
    if f.choosing_team {
        out.extend(choice_lines(
            field_label(Key::Team, l),
            &f.f.team,
            true,
            none,
            theme,
        ));
        out.push(Line::styled(
            l.pick(
                "  Type to filter, ↑↓ to choose, Enter picks the team; its clients and services are read next.",
                "  Escribe para filtrar, ↑↓ para elegir, Enter elige el equipo; luego se leen sus clientes y servicios.",
            ),
            theme.dim(),
        ));
        if let Some(e) = &f.error {
            out.push(error_line(e, theme));
        }
        return (out, 0);
    }
    out.push(Line::from(vec![
        head(l.pick("Key", "Clave API"), theme),
        if f.head.live {
            Span::styled(
                l.pick(
                    " LIVE — real tax documents and money ",
                    " PRODUCCIÓN — documentos fiscales y dinero reales ",
                ),
                theme.live_badge(),
            )
        } else {
            Span::styled(l.pick(" TEST ", " PRUEBAS "), theme.badge(Color::Yellow))
        },
    ]));
    if f.data.loading {
        out.push(Line::styled(
            l.pick(
                "  Reading the team's clients, services and series…",
                "  Leyendo los clientes, servicios y series del equipo…",
            ),
            theme.dim(),
        ));
    }
    if let Some(e) = &f.data.error {
        out.push(error_line(
            &t!(l, "The team's lists: {e}", "Las listas del equipo: {e}"),
            theme,
        ));
    }
    if let Some(c) = &f.credited {
        let m = |d| crate::api::Amount(d).display(&c.currency);
        out.push(Line::from(vec![
            head(l.pick("Invoice", "Factura"), theme),
            Span::raw(format!("{} · {} · {}", c.folio, c.client, m(c.total))),
        ]));
        out.push(Line::from(vec![
            head(l.pick("Credited before", "Acreditado antes"), theme),
            Span::raw(m(c.credited)),
            Span::styled(
                t!(
                    l,
                    "  (at most {} now)",
                    "  (como máximo {} ahora)",
                    m(c.room())
                ),
                theme.dim(),
            ),
        ]));
    }
    for s in &f.shown {
        out.push(Line::raw(format!("  {s}")));
    }
    for key in f.order() {
        if matches!(key, Key::Word | Key::Buttons) {
            continue;
        }
        let focused = f.focus == key;
        if focused || (key == Key::Items && matches!(f.focus, Key::Item(_))) {
            at = out.len();
        }
        let name = field_label(key, l);
        let fl = &f.f;
        match key {
            Key::Client => out.extend(choice_field(name, &fl.client, focused, none, theme)),
            Key::Items => {
                let n = fl.items.rows.len();
                out.push(Line::from(vec![
                    label(name, focused, theme),
                    Span::styled(
                        t!(
                            l,
                            "{n} · + adds one, - removes this, ↑↓ move, Tab edits it",
                            "{n} · + agrega uno, - quita este, ↑↓ mueven, Tab lo edita"
                        ),
                        theme.dim(),
                    ),
                ]));
                let in_items = matches!(f.focus, Key::Items | Key::Item(_));
                for (i, row) in fl.items.rows.iter().enumerate() {
                    let style = if in_items && i == fl.items.current {
                        theme.selected()
                    } else {
                        Style::default()
                    };
                    out.push(Line::from(vec![
                        Span::raw(format!("    {:>2}. ", i + 1)),
                        Span::styled(row.summary(), style),
                    ]));
                }
            }
            Key::Item(part) => {
                let row = &fl.items.rows[fl.items.current.min(fl.items.rows.len() - 1)];
                let name = format!("  {}", part.label(l));
                match part {
                    Part::Service => {
                        out.extend(choice_field(&name, &row.service, focused, none, theme))
                    }
                    Part::Taxes => {
                        out.extend(choice_field(&name, &row.taxes, focused, none, theme))
                    }
                    Part::Description => out.push(text_line(
                        &name,
                        row.description.value(),
                        focused,
                        None,
                        theme,
                    )),
                    Part::Quantity => {
                        out.push(text_line(&name, row.quantity.value(), focused, None, theme))
                    }
                    Part::Price => {
                        out.push(text_line(&name, row.price.value(), focused, None, theme))
                    }
                    Part::ProductKey => out.push(text_line(
                        &name,
                        row.product_key.value(),
                        focused,
                        None,
                        theme,
                    )),
                    Part::UnitKey => {
                        out.push(text_line(&name, row.unit_key.value(), focused, None, theme))
                    }
                }
            }
            Key::Methods => {
                let mut spans = vec![label(name, focused, theme)];
                for (i, (m, on)) in LINK_METHODS.iter().zip(&fl.methods).enumerate() {
                    let text = format!("[{}] {m} ", if *on { "x" } else { " " });
                    spans.push(if focused && i == fl.method_at {
                        Span::styled(text, theme.selected())
                    } else {
                        Span::raw(text)
                    });
                    spans.push(Span::raw(" "));
                }
                if focused {
                    spans.push(Span::styled(l.pick("←→ Space", "←→ Espacio"), theme.dim()));
                }
                out.push(Line::from(spans));
            }
            Key::Currency => out.extend(choice_field(name, &fl.currency, focused, none, theme)),
            Key::Automation => out.extend(choice_field(name, &fl.automation, focused, none, theme)),
            Key::Ppd => out.extend(choice_field(name, &fl.ppd, focused, none, theme)),
            Key::Form => out.extend(choice_field(name, &fl.form, focused, none, theme)),
            Key::Use => out.extend(choice_field(name, &fl.cfdi_use, focused, none, theme)),
            Key::Method => {
                out.extend(choice_field(name, &fl.method, focused, none, theme));
                if fl.method.code().as_deref() == Some("PPD") {
                    out.push(Line::styled(
                        l.pick(
                            "    PPD: the invoice carries payment form 99 (to be defined); each payment later needs a complement.",
                            "    PPD: la factura lleva forma de pago 99 (por definir); cada pago después necesita complemento.",
                        ),
                        theme.dim(),
                    ));
                }
            }
            Key::Series => out.extend(choice_field(name, &fl.series, focused, none, theme)),
            Key::Regime => out.extend(choice_field(name, &fl.regime, focused, none, theme)),
            Key::Rate => out.push(text_line(
                name,
                fl.rate.value(),
                focused,
                Some(l.pick("  MXN per unit", "  MXN por unidad").into()),
                theme,
            )),
            Key::Emails => out.push(text_line(name, fl.emails.value(), focused, None, theme)),
            Key::Notes => out.push(text_line(name, fl.notes.value(), focused, None, theme)),
            Key::Amount => out.push(text_line(name, fl.amount.value(), focused, None, theme)),
            Key::Name => out.push(text_line(name, fl.name.value(), focused, None, theme)),
            Key::LegalName => {
                out.push(text_line(name, fl.legal_name.value(), focused, None, theme))
            }
            Key::Rfc => out.push(text_line(name, fl.rfc.value(), focused, None, theme)),
            Key::Zip => out.push(text_line(name, fl.zip.value(), focused, None, theme)),
            Key::Email => out.push(text_line(name, fl.email.value(), focused, None, theme)),
            Key::Team | Key::Word | Key::Buttons => {}
        }
        if let Some(e) = &f.error
            && e.field == Some(key)
        {
            out.push(error_line(e, theme));
        }
    }
    if matches!(
        f.kind,
        WriteKind::RequestPayment | WriteKind::RegisterPayment | WriteKind::DraftInvoice
    ) {
        out.push(totals_line(f, theme));
    }
    if let Some(w) = word_line(&f.confirm, f.focus == Key::Word, l, theme) {
        if f.focus == Key::Word {
            at = out.len();
        }
        out.push(w);
    }
    if let Some(e) = &f.error
        && matches!(e.field, None | Some(Key::Word) | Some(Key::Buttons))
    {
        out.push(error_line(e, theme));
    }
    if f.focus == Key::Buttons {
        at = out.len();
    }
    let yes = crate::app::create::check::yes_text(f.kind, f.draft.is_some(), l);
    let yes = match f.kind {
        WriteKind::StampDraft => l.pick("stamp it", "timbrarlo"),
        WriteKind::DeleteDraft => l.pick("delete it", "borrarlo"),
        _ => yes,
    };
    out.push(buttons_line(
        &f.confirm,
        f.focus == Key::Buttons,
        yes,
        l,
        theme,
    ));
    (out, at)
}

/// Subtotal, taxes, withholdings and total, as gigstack will compute them.
fn totals_line(f: &CreateForm, theme: &Theme) -> Line<'static> {
    let l = f.lang();
    let cur = f.f.currency.code().unwrap_or_else(|| "MXN".into());
    let m = |d| crate::api::Amount(d).display(&cur);
    match f.preview() {
        Ok((_, t)) => {
            let mut spans = vec![
                head(l.pick("Preview", "Vista previa"), theme),
                Span::raw(format!("Subtotal {} · ", m(t.subtotal))),
                Span::raw(t!(l, "taxes {} · ", "impuestos {} · ", m(t.transferred))),
            ];
            if !t.withheld.is_zero() {
                spans.push(Span::raw(t!(
                    l,
                    "withheld {} · ",
                    "retenido {} · ",
                    m(t.withheld)
                )));
            }
            spans.push(Span::styled(format!("Total {}", m(t.total)), theme.title()));
            Line::from(spans)
        }
        Err(_) => Line::from(vec![
            head(l.pick("Preview", "Vista previa"), theme),
            Span::styled(
                l.pick(
                    "— complete the items to see the totals",
                    "— completa los conceptos para ver los totales",
                ),
                theme.dim(),
            ),
        ]),
    }
}

/// A box of `lines`, scrolled to keep line `at` in view.
fn draw_lines(
    frame: &mut Frame,
    area: Rect,
    title: &str,
    lines: Vec<Line<'static>>,
    at: usize,
    live: bool,
    theme: &Theme,
) {
    let width = 100.min(area.width);
    let (lines, at) = wrap(lines, at, width.saturating_sub(2) as usize);
    let room = area.height.saturating_sub(2) as usize;
    let shown = lines.len().min(room);
    let start = if lines.len() <= room {
        0
    } else {
        at.saturating_sub(room / 2).min(lines.len() - room)
    };
    let r = centered(area, width, shown as u16 + 2);
    clear(frame, r);
    let border = if live { theme.error() } else { theme.accent() };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(border)
        .title(Span::styled(format!(" {title} "), theme.title()));
    let inner = block.inner(r);
    frame.render_widget(block, r);
    let window: Vec<Line> = lines.into_iter().skip(start).take(room).collect();
    frame.render_widget(Paragraph::new(window), inner);
}

pub fn draw(f: &CreateForm, frame: &mut Frame, area: Rect, theme: &Theme) {
    let (lines, at) = lines(f, theme);
    draw_lines(frame, area, &title(f), lines, at, f.head.live, theme);
}
