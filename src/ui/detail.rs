//! The detail popup: every field of the selected object, its items, and the related
//! invoices or payments from this team's tables.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::theme::Theme;
use super::{SPINNER, centered, clear};
use crate::api::{Amount, Instant, Item};
use crate::app::Detail;
use crate::app::rows::{Row, cancellation_word, invoice_status_word, payment_label};
use crate::app::state::{DetailView, State};
use crate::i18n::Lang;
use crate::t;

fn field(lines: &mut Vec<Line<'static>>, theme: &Theme, name: &str, value: impl Into<String>) {
    let v = value.into();
    if v.is_empty() {
        return;
    }
    lines.push(Line::from(vec![
        Span::styled(format!("{name:>20}  "), theme.dim()),
        Span::raw(v),
    ]));
}

/// `Name (RFC)` of the client an invoice or payment names.
fn client_field(
    lines: &mut Vec<Line<'static>>,
    theme: &Theme,
    l: Lang,
    c: Option<&crate::api::ClientRef>,
) {
    if let Some(c) = c {
        let rfc = c.tax_id.clone().unwrap_or_default();
        field(
            lines,
            theme,
            l.pick("Client", "Cliente"),
            format!("{} ({rfc})", c.display_name()),
        );
    }
}

fn opt(s: &Option<String>) -> String {
    s.clone().unwrap_or_default()
}

fn when(i: Option<Instant>, l: Lang) -> String {
    i.map(|i| {
        let at = l.datetime(i);
        t!(l, "{at} (Mexico City)", "{at} (hora de la CDMX)")
    })
    .unwrap_or_default()
}

fn money(a: Option<Amount>, cur: &str) -> String {
    a.map(|a| a.display(cur)).unwrap_or_default()
}

fn items(lines: &mut Vec<Line<'static>>, theme: &Theme, l: Lang, items: &[Item], cur: &str) {
    if items.is_empty() {
        return;
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        l.pick("  Items", "  Conceptos"),
        theme.title(),
    ));
    for it in items {
        let q = it
            .quantity
            .map(|q| q.to_string())
            .unwrap_or_else(|| "1".into());
        lines.push(Line::raw(format!(
            "    {q:>6} × {:<40} {:>18}  {}",
            it.label(),
            it.unit_price.map(|p| p.display(cur)).unwrap_or_default(),
            it.product_key.clone().unwrap_or_default()
        )));
    }
}

pub fn draw(state: &State, d: &DetailView, frame: &mut Frame, area: Rect, theme: &Theme) {
    let r = centered(
        area,
        area.width.saturating_sub(6).max(60),
        area.height.saturating_sub(4),
    );
    clear(frame, r);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.accent())
        .title(Span::styled(format!(" {} ", d.id), theme.title()));
    let inner = block.inner(r);
    frame.render_widget(block, r);
    let mut lines: Vec<Line<'static>> = Vec::new();
    let l = state.lang;
    match &d.result {
        None => lines.push(Line::styled(
            format!(
                "{} {}",
                SPINNER[state.spinner % SPINNER.len()],
                l.pick("Loading…", "Cargando…")
            ),
            theme.dim(),
        )),
        Some(Err(e)) => {
            lines.push(Line::styled(e.clone(), theme.error()));
            lines.push(Line::styled(
                l.pick(
                    "Esc closes; r refreshes the table.",
                    "Esc cierra; r actualiza la tabla.",
                ),
                theme.dim(),
            ));
        }
        Some(Ok(Detail::Client(c))) => {
            field(
                &mut lines,
                theme,
                l.pick("Name", "Nombre"),
                c.display_name(),
            );
            field(
                &mut lines,
                theme,
                l.pick("Legal name", "Razón social"),
                opt(&c.legal_name),
            );
            field(&mut lines, theme, l.pick("RFC", "RFC"), c.rfc());
            field(
                &mut lines,
                theme,
                l.pick("Tax regime", "Régimen fiscal"),
                opt(&c.tax_system),
            );
            field(
                &mut lines,
                theme,
                l.pick("CFDI use", "Uso CFDI"),
                opt(&c.cfdi_use),
            );
            field(&mut lines, theme, l.pick("Email", "Correo"), opt(&c.email));
            field(
                &mut lines,
                theme,
                l.pick("Phone", "Teléfono"),
                opt(&c.phone),
            );
            if let Some(a) = &c.address {
                let parts: Vec<String> = [&a.street, &a.city, &a.state, &a.zip, &a.country]
                    .iter()
                    .filter_map(|p| (*p).clone())
                    .collect();
                field(
                    &mut lines,
                    theme,
                    l.pick("Address", "Dirección"),
                    parts.join(", "),
                );
            }
            field(
                &mut lines,
                theme,
                l.pick("Fiscal data valid", "Datos fiscales válidos"),
                c.is_valid
                    .map(|v| l.yes_no(v).to_string())
                    .unwrap_or_default(),
            );
            field(
                &mut lines,
                theme,
                l.pick("Created", "Creado"),
                when(c.created(), l),
            );
            field(&mut lines, theme, l.pick("Id", "Id"), c.id.clone());
            related_invoices(state, &mut lines, theme, |r| r.client_id() == c.id.as_str());
        }
        Some(Ok(Detail::Invoice(i))) => {
            let cur = i.currency().to_string();
            field(&mut lines, theme, l.pick("UUID", "UUID"), i.uuid());
            field(&mut lines, theme, l.pick("Folio", "Folio"), i.folio());
            field(
                &mut lines,
                theme,
                l.pick("Status", "Estado"),
                invoice_status_word(&i.status(), l),
            );
            field(
                &mut lines,
                theme,
                l.pick("Cancellation", "Cancelación"),
                i.cancellation_status
                    .as_ref()
                    .map(|c| cancellation_word(c, l))
                    .unwrap_or_default(),
            );
            field(
                &mut lines,
                theme,
                l.pick("Type", "Tipo"),
                opt(&i.invoice_type),
            );
            client_field(&mut lines, theme, l, i.client.as_ref());
            field(
                &mut lines,
                theme,
                l.pick("Subtotal", "Subtotal"),
                money(i.subtotal, &cur),
            );
            field(
                &mut lines,
                theme,
                l.pick("Taxes", "Impuestos"),
                money(i.taxes, &cur),
            );
            field(
                &mut lines,
                theme,
                l.pick("Discount", "Descuento"),
                money(i.discount, &cur),
            );
            field(
                &mut lines,
                theme,
                l.pick("Total", "Total"),
                i.total().display(&cur),
            );
            if cur != "MXN" {
                field(
                    &mut lines,
                    theme,
                    l.pick("Exchange rate", "Tipo de cambio"),
                    i.exchange_rate.map(|r| r.to_string()).unwrap_or_default(),
                );
            }
            field(
                &mut lines,
                theme,
                l.pick("Method / form", "Método / forma"),
                format!("{} / {}", opt(&i.payment_method), opt(&i.payment_form)),
            );
            field(
                &mut lines,
                theme,
                l.pick("PPD balance", "Saldo PPD"),
                money(i.last_balance, &cur),
            );
            field(
                &mut lines,
                theme,
                l.pick("Complements", "Complementos"),
                i.payment_complements
                    .map(|c| c.to_string())
                    .unwrap_or_default(),
            );
            field(
                &mut lines,
                theme,
                l.pick("CFDI use", "Uso CFDI"),
                opt(&i.cfdi_use),
            );
            field(
                &mut lines,
                theme,
                l.pick("Created", "Creado"),
                when(i.created_at, l),
            );
            field(
                &mut lines,
                theme,
                l.pick("Stamped", "Timbrado"),
                when(i.stamp.as_ref().and_then(|s| s.stamp_at), l),
            );
            for r in &i.related_documents {
                field(
                    &mut lines,
                    theme,
                    l.pick("Related", "Relacionados"),
                    format!("{} → {}", opt(&r.relationship), r.documents.join(", ")),
                );
            }
            field(
                &mut lines,
                theme,
                l.pick("Verify at", "Verificar en"),
                opt(&i.verification_url),
            );
            items(&mut lines, theme, l, &i.items, &cur);
            if let Some(v) = state.current_view() {
                let uuid = i.uuid();
                let pays: Vec<_> = v
                    .payments
                    .rows
                    .iter()
                    .filter(|p| p.invoices.iter().any(|x| &**x == uuid))
                    .collect();
                if !pays.is_empty() {
                    lines.push(Line::raw(""));
                    lines.push(Line::styled(l.pick("  Payments", "  Pagos"), theme.title()));
                    for p in pays {
                        lines.push(Line::raw(format!(
                            "    {}  {:>18}  {:<16} {}",
                            p.created_fmt(),
                            p.total_fmt(),
                            p.status_label(),
                            p.id()
                        )));
                    }
                }
            }
        }
        Some(Ok(Detail::Payment(p))) => {
            let cur = p.currency().to_string();
            field(&mut lines, theme, l.pick("Id", "Id"), p.id.clone());
            field(
                &mut lines,
                theme,
                l.pick("Status", "Estado"),
                payment_label(&p.status(), !p.refunds.is_empty(), l),
            );
            client_field(&mut lines, theme, l, p.client.as_ref());
            field(
                &mut lines,
                theme,
                l.pick("Total", "Total"),
                p.total.display(&cur),
            );
            field(
                &mut lines,
                theme,
                l.pick("Refunded", "Reembolsado"),
                if p.refunds.is_empty() {
                    String::new()
                } else {
                    p.refunded().display(&cur)
                },
            );
            field(
                &mut lines,
                theme,
                l.pick("Refundable", "Reembolsable"),
                if p.status() == crate::api::PaymentStatus::Succeeded {
                    p.refundable().display(&cur)
                } else {
                    String::new()
                },
            );
            field(
                &mut lines,
                theme,
                l.pick("Payment form", "Forma de pago"),
                opt(&p.payment_form),
            );
            field(
                &mut lines,
                theme,
                l.pick("Processor", "Procesador"),
                opt(&p.payment_processor),
            );
            field(
                &mut lines,
                theme,
                l.pick("Automation", "Automatización"),
                opt(&p.automation_type),
            );
            field(
                &mut lines,
                theme,
                l.pick("Created", "Creado"),
                when(p.created_at, l),
            );
            field(
                &mut lines,
                theme,
                l.pick("Paid", "Pagado"),
                when(p.succeeded_at, l),
            );
            field(&mut lines, theme, l.pick("Link", "Link"), opt(&p.short_url));
            for r in &p.refunds {
                field(
                    &mut lines,
                    theme,
                    l.pick("Refund", "Reembolso"),
                    format!(
                        "{} {} {}",
                        money(r.amount, &cur),
                        opt(&r.reason),
                        when(r.created_at, l)
                    ),
                );
            }
            items(&mut lines, theme, l, &p.items, &cur);
            let linked: Vec<&str> = p.invoices.iter().map(|l| l.0.as_str()).collect();
            related_invoices(state, &mut lines, theme, |r| linked.contains(&r.uuid()));
        }
    }
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((d.scroll, 0)),
        inner,
    );
}

fn related_invoices(
    state: &State,
    lines: &mut Vec<Line<'static>>,
    theme: &Theme,
    pick: impl Fn(&crate::app::InvoiceRow) -> bool,
) {
    let Some(v) = state.current_view() else {
        return;
    };
    let found: Vec<_> = v
        .invoices
        .rows
        .iter()
        .filter(|r| pick(r))
        .take(50)
        .collect();
    if found.is_empty() {
        return;
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        state.lang.pick("  Invoices", "  Facturas"),
        theme.title(),
    ));
    for r in found {
        lines.push(Line::raw(format!(
            "    {:<8} {}  {:>18}  {:<14} {}",
            r.folio(),
            r.created_fmt(),
            r.total_fmt(),
            r.status_label(),
            r.uuid()
        )));
    }
}
