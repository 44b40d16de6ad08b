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
use crate::app::rows::Row;
use crate::app::state::{DetailView, State};

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
fn client_field(lines: &mut Vec<Line<'static>>, theme: &Theme, c: Option<&crate::api::ClientRef>) {
    if let Some(c) = c {
        let rfc = c.tax_id.clone().unwrap_or_default();
        field(
            lines,
            theme,
            "Client",
            format!("{} ({rfc})", c.display_name()),
        );
    }
}

fn opt(s: &Option<String>) -> String {
    s.clone().unwrap_or_default()
}

fn when(i: Option<Instant>) -> String {
    i.map(|i| format!("{} (Mexico City)", i.local_datetime()))
        .unwrap_or_default()
}

fn money(a: Option<Amount>, cur: &str) -> String {
    a.map(|a| a.display(cur)).unwrap_or_default()
}

fn items(lines: &mut Vec<Line<'static>>, theme: &Theme, items: &[Item], cur: &str) {
    if items.is_empty() {
        return;
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled("  Items", theme.title()));
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
    match &d.result {
        None => lines.push(Line::styled(
            format!("{} Loading…", SPINNER[state.spinner % SPINNER.len()]),
            theme.dim(),
        )),
        Some(Err(e)) => {
            lines.push(Line::styled(e.clone(), theme.error()));
            lines.push(Line::styled(
                "Esc closes; r refreshes the table.",
                theme.dim(),
            ));
        }
        Some(Ok(Detail::Client(c))) => {
            field(&mut lines, theme, "Name", c.display_name());
            field(&mut lines, theme, "Legal name", opt(&c.legal_name));
            field(&mut lines, theme, "RFC", c.rfc());
            field(&mut lines, theme, "Tax regime", opt(&c.tax_system));
            field(&mut lines, theme, "CFDI use", opt(&c.cfdi_use));
            field(&mut lines, theme, "Email", opt(&c.email));
            field(&mut lines, theme, "Phone", opt(&c.phone));
            if let Some(a) = &c.address {
                let parts: Vec<String> = [&a.street, &a.city, &a.state, &a.zip, &a.country]
                    .iter()
                    .filter_map(|p| (*p).clone())
                    .collect();
                field(&mut lines, theme, "Address", parts.join(", "));
            }
            field(
                &mut lines,
                theme,
                "Fiscal data valid",
                c.is_valid
                    .map(|v| if v { "yes" } else { "no" }.to_string())
                    .unwrap_or_default(),
            );
            field(&mut lines, theme, "Created", when(c.created()));
            field(&mut lines, theme, "Id", c.id.clone());
            related_invoices(state, &mut lines, theme, |r| r.client_id() == c.id.as_str());
        }
        Some(Ok(Detail::Invoice(i))) => {
            let cur = i.currency().to_string();
            field(&mut lines, theme, "UUID", i.uuid());
            field(&mut lines, theme, "Folio", i.folio());
            field(&mut lines, theme, "Status", i.status().to_string());
            field(
                &mut lines,
                theme,
                "Cancellation",
                i.cancellation_status
                    .as_ref()
                    .map(|c| c.to_string())
                    .unwrap_or_default(),
            );
            field(&mut lines, theme, "Type", opt(&i.invoice_type));
            client_field(&mut lines, theme, i.client.as_ref());
            field(&mut lines, theme, "Subtotal", money(i.subtotal, &cur));
            field(&mut lines, theme, "Taxes", money(i.taxes, &cur));
            field(&mut lines, theme, "Discount", money(i.discount, &cur));
            field(&mut lines, theme, "Total", i.total().display(&cur));
            if cur != "MXN" {
                field(
                    &mut lines,
                    theme,
                    "Exchange rate",
                    i.exchange_rate.map(|r| r.to_string()).unwrap_or_default(),
                );
            }
            field(
                &mut lines,
                theme,
                "Method / form",
                format!("{} / {}", opt(&i.payment_method), opt(&i.payment_form)),
            );
            field(
                &mut lines,
                theme,
                "PPD balance",
                money(i.last_balance, &cur),
            );
            field(
                &mut lines,
                theme,
                "Complements",
                i.payment_complements
                    .map(|c| c.to_string())
                    .unwrap_or_default(),
            );
            field(&mut lines, theme, "CFDI use", opt(&i.cfdi_use));
            field(&mut lines, theme, "Created", when(i.created_at));
            field(
                &mut lines,
                theme,
                "Stamped",
                when(i.stamp.as_ref().and_then(|s| s.stamp_at)),
            );
            for r in &i.related_documents {
                field(
                    &mut lines,
                    theme,
                    "Related",
                    format!("{} → {}", opt(&r.relationship), r.documents.join(", ")),
                );
            }
            field(&mut lines, theme, "Verify at", opt(&i.verification_url));
            items(&mut lines, theme, &i.items, &cur);
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
                    lines.push(Line::styled("  Payments", theme.title()));
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
            field(&mut lines, theme, "Id", p.id.clone());
            field(&mut lines, theme, "Status", p.status().to_string());
            client_field(&mut lines, theme, p.client.as_ref());
            field(&mut lines, theme, "Total", p.total.display(&cur));
            field(
                &mut lines,
                theme,
                "Refunded",
                if p.refunds.is_empty() {
                    String::new()
                } else {
                    p.refunded().display(&cur)
                },
            );
            field(
                &mut lines,
                theme,
                "Refundable",
                if p.status() == crate::api::PaymentStatus::Succeeded {
                    p.refundable().display(&cur)
                } else {
                    String::new()
                },
            );
            field(&mut lines, theme, "Payment form", opt(&p.payment_form));
            field(&mut lines, theme, "Processor", opt(&p.payment_processor));
            field(&mut lines, theme, "Automation", opt(&p.automation_type));
            field(&mut lines, theme, "Created", when(p.created_at));
            field(&mut lines, theme, "Paid", when(p.succeeded_at));
            field(&mut lines, theme, "Link", opt(&p.short_url));
            for r in &p.refunds {
                field(
                    &mut lines,
                    theme,
                    "Refund",
                    format!(
                        "{} {} {}",
                        money(r.amount, &cur),
                        opt(&r.reason),
                        when(r.created_at)
                    ),
                );
            }
            items(&mut lines, theme, &p.items, &cur);
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
    lines.push(Line::styled("  Invoices", theme.title()));
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
