//! The vocabulary of the demo world and its small generators: Mexican cities, people and
//! company names with accents, the franchise's services, valid-format RFCs, ids and UUIDs.

use rand::Rng;
use rand::rngs::StdRng;
use rust_decimal::Decimal;

pub(super) const CITIES: &[(&str, &str, &str, &str)] = &[
    ("Coyoacán", "Ciudad de México", "CDMX", "04000"),
    ("Polanco", "Ciudad de México", "CDMX", "11560"),
    (
        "San Pedro Garza García",
        "San Pedro Garza García",
        "Nuevo León",
        "66220",
    ),
    ("Chapultepec", "Guadalajara", "Jalisco", "44190"),
    ("Angelópolis", "Puebla", "Puebla", "72830"),
    ("Juriquilla", "Querétaro", "Querétaro", "76230"),
    ("Montejo", "Mérida", "Yucatán", "97127"),
    ("Centro Histórico", "Oaxaca de Juárez", "Oaxaca", "68000"),
    ("Campestre", "León", "Guanajuato", "37150"),
    ("Zona Río", "Tijuana", "Baja California", "22010"),
    ("Cancún Centro", "Cancún", "Quintana Roo", "77500"),
    ("Tlaquepaque", "San Pedro Tlaquepaque", "Jalisco", "45500"),
    ("Xalapa Centro", "Xalapa", "Veracruz", "91000"),
    ("Morelia Centro", "Morelia", "Michoacán", "58000"),
];

pub(super) const FIRST: &[&str] = &[
    "José",
    "María",
    "Lucía",
    "Andrés",
    "Sofía",
    "Mateo",
    "Ximena",
    "Íñigo",
    "Renata",
    "Joaquín",
    "Valentina",
    "Ángel",
    "Camila",
    "Emilio",
    "Regina",
    "Raúl",
    "Inés",
    "Begoña",
];
pub(super) const LAST: &[&str] = &[
    "Hernández",
    "García",
    "Martínez",
    "López",
    "González",
    "Pérez",
    "Rodríguez",
    "Sánchez",
    "Ramírez",
    "Cruz",
    "Núñez",
    "Ordóñez",
    "Peña",
    "Muñoz",
    "Jiménez",
    "Vázquez",
    "Castañeda",
    "Ibáñez",
];
pub(super) const COMPANY_WORDS: &[&str] = &[
    "Abarrotes",
    "Distribuidora",
    "Comercializadora",
    "Servicios",
    "Eventos",
    "Constructora",
    "Hotelería",
    "Alimentos",
    "Logística",
    "Tecnología",
];
pub(super) const COMPANY_NAMES: &[&str] = &[
    "del Bajío",
    "Peñasco",
    "La Montaña",
    "Azteca",
    "Olmeca",
    "Huasteca",
    "Sierra Madre",
    "Río Bravo",
    "Pacífico",
    "Maya",
    "Tarasca",
    "Zapoteca",
];
pub(super) const SUFFIXES: &[&str] = &[
    "S.A. de C.V.",
    "S. de R.L. de C.V.",
    "S.A.P.I. de C.V.",
    "S.C.",
];

pub(super) const SERVICES: &[(&str, &str, &str, &str, i64)] = &[
    (
        "Paquete de tacos al pastor para evento",
        "90101501",
        "E48",
        "Servicio",
        350000,
    ),
    (
        "Servicio de banquete por persona",
        "90101603",
        "E48",
        "Servicio",
        48000,
    ),
    (
        "Renta de salón (4 horas)",
        "80131500",
        "E48",
        "Servicio",
        950000,
    ),
    (
        "Regalía mensual de franquicia",
        "80141503",
        "MON",
        "Mes",
        1850000,
    ),
    (
        "Capacitación de personal",
        "86101700",
        "HUR",
        "Hora",
        120000,
    ),
    (
        "Salsa de la casa (litro)",
        "50192100",
        "LTR",
        "Litro",
        16500,
    ),
    (
        "Tortillas hechas a mano (kg)",
        "50221300",
        "KGM",
        "Kilogramo",
        4800,
    ),
    (
        "Agua fresca de jamaica (20 L)",
        "50202300",
        "H87",
        "Pieza",
        42000,
    ),
    (
        "Consultoría de apertura de sucursal",
        "80101500",
        "E48",
        "Servicio",
        2500000,
    ),
    (
        "Publicidad regional compartida",
        "82101500",
        "E48",
        "Servicio",
        780000,
    ),
];

pub(super) fn alnum(rng: &mut StdRng, n: usize) -> String {
    const A: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    (0..n)
        .map(|_| A[rng.random_range(0..A.len())] as char)
        .collect()
}

pub(super) fn uuid(rng: &mut StdRng) -> String {
    uuid::Builder::from_random_bytes(rng.random())
        .into_uuid()
        .hyphenated()
        .to_string()
}

pub(super) fn letters(rng: &mut StdRng, n: usize) -> String {
    (0..n)
        .map(|_| (b'A' + rng.random_range(0..26u8)) as char)
        .collect()
}

/// A valid-format RFC: 3 (company) or 4 (person) letters, a YYMMDD date, 3 homoclave chars.
pub(super) fn rfc(rng: &mut StdRng, person: bool) -> String {
    let head = letters(rng, if person { 4 } else { 3 });
    let date = format!(
        "{:02}{:02}{:02}",
        rng.random_range(50..99),
        rng.random_range(1..13),
        rng.random_range(1..29)
    );
    let tail: String = (0..3)
        .map(|_| {
            let c = b"ABCDEFGHJKLMNPRSTUVWXYZ0123456789";
            c[rng.random_range(0..c.len())] as char
        })
        .collect();
    format!("{head}{date}{tail}")
}

pub(super) fn money(cents: i64) -> Decimal {
    Decimal::new(cents, 2)
}

pub(super) fn ascii_slug(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'á' | 'à' | 'Á' => 'a',
            'é' | 'É' => 'e',
            'í' | 'Í' => 'i',
            'ó' | 'Ó' => 'o',
            'ú' | 'ü' | 'Ú' => 'u',
            'ñ' | 'Ñ' => 'n',
            c if c.is_ascii_alphanumeric() => c.to_ascii_lowercase(),
            _ => '.',
        })
        .collect::<String>()
        .split('.')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(".")
}
