//! SAT catalogs the forms choose from (Anexo 20, CFDI 4.0): payment forms, cancellation
//! motives, tax regimes, CFDI uses, and the product and unit keys a small business uses most.
//! Each is `(code, name)`; the names are SAT's own, in Spanish, as on every invoice.

/// SAT c_FormaPago without 99 ("por definir" cannot record money received).
pub const PAYMENT_FORMS: &[(&str, &str)] = &[
    ("01", "Efectivo"),
    ("02", "Cheque nominativo"),
    ("03", "Transferencia electrónica"),
    ("04", "Tarjeta de crédito"),
    ("05", "Monedero electrónico"),
    ("06", "Dinero electrónico"),
    ("08", "Vales de despensa"),
    ("12", "Dación en pago"),
    ("13", "Subrogación"),
    ("14", "Consignación"),
    ("15", "Condonación"),
    ("17", "Compensación"),
    ("23", "Novación"),
    ("24", "Confusión"),
    ("25", "Remisión de deuda"),
    ("26", "Prescripción o caducidad"),
    ("27", "A satisfacción del acreedor"),
    ("28", "Tarjeta de débito"),
    ("29", "Tarjeta de servicios"),
    ("30", "Aplicación de anticipos"),
    ("31", "Intermediario pagos"),
];

pub const MOTIVES: &[(&str, &str)] = &[
    ("01", "Comprobante emitido con errores con relación"),
    ("02", "Comprobante emitido con errores sin relación"),
    ("03", "No se llevó a cabo la operación"),
    (
        "04",
        "Operación nominativa relacionada en una factura global",
    ),
];

/// c_RegimenFiscal.
pub const REGIMES: &[(&str, &str)] = &[
    ("601", "General de Ley Personas Morales"),
    ("603", "Personas Morales con Fines no Lucrativos"),
    ("605", "Sueldos y Salarios e Ingresos Asimilados a Salarios"),
    ("606", "Arrendamiento"),
    ("607", "Régimen de Enajenación o Adquisición de Bienes"),
    ("608", "Demás ingresos"),
    (
        "610",
        "Residentes en el Extranjero sin Establecimiento Permanente en México",
    ),
    ("611", "Ingresos por Dividendos (socios y accionistas)"),
    (
        "612",
        "Personas Físicas con Actividades Empresariales y Profesionales",
    ),
    ("614", "Ingresos por intereses"),
    ("615", "Régimen de los ingresos por obtención de premios"),
    ("616", "Sin obligaciones fiscales"),
    ("620", "Sociedades Cooperativas de Producción"),
    ("621", "Incorporación Fiscal"),
    (
        "622",
        "Actividades Agrícolas, Ganaderas, Silvícolas y Pesqueras",
    ),
    ("623", "Opcional para Grupos de Sociedades"),
    ("624", "Coordinados"),
    (
        "625",
        "Actividades Empresariales con ingresos a través de Plataformas Tecnológicas",
    ),
    ("626", "Régimen Simplificado de Confianza"),
    ("628", "Hidrocarburos"),
    (
        "629",
        "Regímenes Fiscales Preferentes y Empresas Multinacionales",
    ),
    ("630", "Enajenación de acciones en bolsa de valores"),
];

/// c_UsoCFDI.
pub const CFDI_USES: &[(&str, &str)] = &[
    ("G01", "Adquisición de mercancías"),
    ("G02", "Devoluciones, descuentos o bonificaciones"),
    ("G03", "Gastos en general"),
    ("I01", "Construcciones"),
    ("I02", "Mobiliario y equipo de oficina por inversiones"),
    ("I03", "Equipo de transporte"),
    ("I04", "Equipo de cómputo y accesorios"),
    ("I05", "Dados, troqueles, moldes, matrices y herramental"),
    ("I06", "Comunicaciones telefónicas"),
    ("I07", "Comunicaciones satelitales"),
    ("I08", "Otra maquinaria y equipo"),
    ("D01", "Honorarios médicos, dentales y gastos hospitalarios"),
    ("D02", "Gastos médicos por incapacidad o discapacidad"),
    ("D03", "Gastos funerales"),
    ("D04", "Donativos"),
    (
        "D05",
        "Intereses reales por créditos hipotecarios (casa habitación)",
    ),
    ("D06", "Aportaciones voluntarias al SAR"),
    ("D07", "Primas por seguros de gastos médicos"),
    ("D08", "Gastos de transportación escolar obligatoria"),
    (
        "D09",
        "Depósitos en cuentas para el ahorro, planes de pensiones",
    ),
    ("D10", "Pagos por servicios educativos (colegiaturas)"),
    ("S01", "Sin efectos fiscales"),
    ("CP01", "Pagos"),
    ("CN01", "Nómina"),
];

/// c_ClaveProdServ: the keys a small business uses most (the full catalog has 52,000).
pub const PRODUCT_KEYS: &[(&str, &str)] = &[
    ("01010101", "No existe en el catálogo"),
    (
        "80101500",
        "Servicios de consultoría de negocios y administración corporativa",
    ),
    ("81112100", "Servicios de internet"),
    ("84111506", "Servicios de facturación"),
    ("43231500", "Software funcional específico de la empresa"),
    ("50202300", "Bebidas no alcohólicas"),
    ("90101500", "Establecimientos para comer y beber"),
    ("78101800", "Transporte de carga por carretera"),
    (
        "86101700",
        "Servicios de capacitación vocacional no científica",
    ),
    ("72101500", "Servicios de apoyo para la construcción"),
];

/// c_ClaveUnidad: the units a small business uses most.
pub const UNIT_KEYS: &[(&str, &str)] = &[
    ("E48", "Unidad de servicio"),
    ("H87", "Pieza"),
    ("ACT", "Actividad"),
    ("KGM", "Kilogramo"),
    ("LTR", "Litro"),
    ("MTR", "Metro"),
    ("HUR", "Hora"),
    ("DAY", "Día"),
    ("XBX", "Caja"),
    ("A9", "Tarifa"),
];
