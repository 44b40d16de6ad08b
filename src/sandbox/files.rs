//! The files the sandbox serves for an invoice: a one-page PDF and a CFDI 4.0 XML skeleton.

use super::model::SbInvoice;

/// A one-page PDF naming the invoice (enough for a viewer to open).
pub fn invoice_pdf(inv: &SbInvoice) -> Vec<u8> {
    let text = format!(
        "CFDI {} {}-{}  Total {} {}",
        inv.uuid, inv.series, inv.folio_number, inv.total.0, inv.currency
    )
    .replace(['(', ')', '\\'], " ");
    let ascii: String = text
        .chars()
        .map(|c| if c.is_ascii() { c } else { '?' })
        .collect();
    let stream = format!("BT /F1 10 Tf 40 780 Td ({ascii}) Tj ET");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_string(),
        format!("<< /Length {} >>\nstream\n{stream}\nendstream", stream.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
    ];
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for off in offsets {
        out.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A CFDI 4.0 skeleton with the stamp's UUID.
pub fn invoice_xml(inv: &SbInvoice) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<cfdi:Comprobante xmlns:cfdi="http://www.sat.gob.mx/cfd/4" Version="4.0" Serie="{}" Folio="{}" SubTotal="{}" Total="{}" Moneda="{}" TipoDeComprobante="{}" MetodoPago="{}" FormaPago="{}">
  <cfdi:Receptor Rfc="{}" Nombre="{}" UsoCFDI="{}"/>
  <cfdi:Complemento>
    <tfd:TimbreFiscalDigital xmlns:tfd="http://www.sat.gob.mx/TimbreFiscalDigital" Version="1.1" UUID="{}"/>
  </cfdi:Complemento>
</cfdi:Comprobante>
"#,
        xml_escape(&inv.series),
        inv.folio_number,
        inv.subtotal.0,
        inv.total.0,
        xml_escape(&inv.currency),
        xml_escape(&inv.invoice_type),
        xml_escape(&inv.payment_method),
        xml_escape(&inv.payment_form),
        xml_escape(&inv.client.tax_id),
        xml_escape(&inv.client.legal_name),
        xml_escape(&inv.cfdi_use),
        xml_escape(&inv.uuid),
    )
}
