//! An RFC (the Mexican tax id) typed into a form, checked before anything is sent: its
//! length, its shape (letters, a real YYMMDD date, homoclave) and SAT's check digit, with
//! what is wrong in words. Pure: knows nothing of clients, writes or the API.

use crate::i18n::Lang;
use crate::t;

/// SAT's generic RFCs: "público en general" and foreign residents. Their last character
/// is not the check digit the rule gives (XAXX… would need a 4), yet SAT requires them as
/// they are.
const GENERIC: [&str; 2] = ["XAXX010101000", "XEXX010101000"];

/// The value of each character in SAT's check-digit rule is its position here: '0'–'9'
/// are 0–9, 'A'–'N' 10–23, '&' 24, 'O'–'Z' 25–36, ' ' 37 (the pad before a company's
/// 12-character RFC) and 'Ñ' 38.
const VALUES: &str = "0123456789ABCDEFGHIJKLMN&OPQRSTUVWXYZ Ñ";

/// Why an RFC was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RfcProblem {
    /// Not 12 (company) or 13 (person) characters; `len` counts characters, not bytes.
    Length { len: usize },
    /// The letters, the date or the homoclave are not where they belong, or the date
    /// cannot exist (month 13, 30 February).
    Shape,
    /// Well formed, but the last character is not the check digit the rest gives.
    CheckDigit { expected: char },
}

impl RfcProblem {
    /// What is wrong, in words a person can act on.
    pub fn describe(self, lang: Lang) -> String {
        match self {
            RfcProblem::Length { len } => t!(
                lang,
                "An RFC has 12 characters (company) or 13 (person); this one has {len}.",
                "Un RFC tiene 12 caracteres (persona moral) o 13 (persona física); este tiene {len}."
            ),
            RfcProblem::Shape => lang
                .pick(
                    "An RFC is 3 letters (company) or 4 (person), a date as YYMMDD, two \
                     letters or digits and a check digit (0–9 or A), like EKU9003173C9; \
                     check the letters and the date against the client's tax certificate.",
                    "Un RFC son 3 letras (persona moral) o 4 (persona física), una fecha \
                     AAMMDD, dos letras o dígitos y un dígito verificador (0–9 o A), como \
                     EKU9003173C9; revise las letras y la fecha contra la constancia de \
                     situación fiscal del cliente.",
                )
                .to_string(),
            RfcProblem::CheckDigit { expected } => t!(
                lang,
                "The last character of this RFC (its check digit) should be {expected}; \
                 one of its characters is mistyped — compare it with the client's tax \
                 certificate.",
                "El último carácter de este RFC (su dígito verificador) debería ser \
                 {expected}; alguno de sus caracteres está mal escrito — compárelo con la \
                 constancia de situación fiscal del cliente."
            ),
        }
    }
}

/// The RFC typed, trimmed and uppercased, or why SAT would refuse it. The generic RFCs
/// (`XAXX010101000`, `XEXX010101000`) are accepted as they are.
pub fn check(rfc: &str) -> Result<String, RfcProblem> {
    let rfc = rfc.trim().to_uppercase();
    let chars: Vec<char> = rfc.chars().collect();
    let letters = match chars.len() {
        12 => 3,
        13 => 4,
        len => return Err(RfcProblem::Length { len }),
    };
    let (head, rest) = chars.split_at(letters);
    let (date, rest) = rest.split_at(6);
    let (homoclave, digit) = rest.split_at(2);
    let shape_ok = head
        .iter()
        .all(|&c| c.is_ascii_uppercase() || c == '&' || c == 'Ñ')
        && real_date(date)
        && homoclave
            .iter()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        && (digit[0].is_ascii_digit() || digit[0] == 'A');
    if !shape_ok {
        return Err(RfcProblem::Shape);
    }
    if GENERIC.contains(&rfc.as_str()) {
        return Ok(rfc);
    }
    let expected = check_digit(&chars[..chars.len() - 1]);
    if digit[0] != expected {
        return Err(RfcProblem::CheckDigit { expected });
    }
    Ok(rfc)
}

/// YYMMDD that names a day: month 1–12, a day the month has. The century is not written,
/// so 29 February passes on any year divisible by 4 (00 may be 2000, a leap year).
fn real_date(d: &[char]) -> bool {
    let Some(n) = d
        .iter()
        .map(|c| c.to_digit(10))
        .collect::<Option<Vec<u32>>>()
    else {
        return false;
    };
    let (yy, mm, dd) = (n[0] * 10 + n[1], n[2] * 10 + n[3], n[4] * 10 + n[5]);
    let days = match mm {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if yy % 4 == 0 => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&dd)
}

/// `body` (a company's first 11 characters, a person's first 12) with its check digit: an
/// RFC that passes `check` when its date is real (fixtures, tests).
pub fn with_check_digit(body: &str) -> String {
    let chars: Vec<char> = body.chars().collect();
    format!("{body}{}", check_digit(&chars))
}

/// SAT's check digit of the first 11 (company) or 12 (person) characters: a company's are
/// padded with a space in front to 12, each weighs 13 − its position, and the sum modulo 11
/// gives the digit (0 when it divides, A for 10).
fn check_digit(body: &[char]) -> char {
    let pad = (body.len() < 12).then_some(' ');
    let sum: usize = pad
        .into_iter()
        .chain(body.iter().copied())
        .enumerate()
        .map(|(i, c)| value(c) * (13 - i))
        .sum();
    match 11 - sum % 11 {
        11 => '0',
        10 => 'A',
        d => char::from_digit(d as u32, 10).unwrap_or('0'),
    }
}

fn value(c: char) -> usize {
    // Only characters the shape allows reach here, and all of them are in VALUES.
    VALUES.chars().position(|v| v == c).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// SAT's published test RFCs (the CSD "de pruebas" set every PAC sandbox uses): 15
    /// companies and 10 people, with &, Ñ and a check digit A among them. Their digits come
    /// from SAT, not from this code.
    const SAT_TEST_COMPANIES: [&str; 15] = [
        "EKU9003173C9",
        "EWE1709045U0",
        "H&E951128469",
        "HAÑ930228SM9",
        "IIA040805DZ4",
        "IVD920810GU2",
        "IXS7607092R5",
        "JES900109Q90",
        "KIJ0906199R1",
        "L&O950913MSA",
        "OÑO120726RX3",
        "S&S051221SE2",
        "URE180429TM6",
        "XIA190128J61",
        "ZUÑ920208KL4",
    ];
    const SAT_TEST_PEOPLE: [&str; 10] = [
        "CACX7605101P8",
        "CAÑF770131PA3",
        "FUNK671228PH6",
        "IAÑL750210963",
        "JUFA7608212V6",
        "KAHO641101B39",
        "KICR630120NX3",
        "LIÑI920228KS8",
        "MISC491214B86",
        "RAQÑ7701212M3",
    ];

    #[test]
    fn sat_test_rfcs_of_companies_and_people_pass() {
        let all: Vec<_> = SAT_TEST_COMPANIES.iter().chain(&SAT_TEST_PEOPLE).collect();
        assert_eq!(all.len(), 25, "the published set is all here");
        for rfc in all {
            assert_eq!(check(rfc).as_deref(), Ok(*rfc), "{rfc}");
        }
    }

    #[test]
    fn each_character_has_the_value_sats_table_gives_it() {
        // Z is 36, not 35: 'O'..='Z' are twelve letters after '&' (24). With Z = 35,
        // ZUÑ920208KL4 above would need a 5; with O–Z one lower, EKU9003173C9 an 8.
        let v = |c| value(c);
        assert_eq!((v('0'), v('9'), v('A'), v('N')), (0, 9, 10, 23));
        assert_eq!(
            (v('&'), v('O'), v('Z'), v(' '), v('Ñ')),
            (24, 25, 36, 37, 38)
        );
    }

    #[test]
    fn a_company_rfc_weighs_as_if_a_space_came_first() {
        // SAT's rule written as JavaScript validators do it: a 12-character RFC starts its
        // sum at 481 = 37 (the space) × 13.
        let body: Vec<char> = "EKU9003173C".chars().collect();
        let sum: usize = body
            .iter()
            .enumerate()
            .map(|(i, &c)| value(c) * (12 - i))
            .sum::<usize>()
            + 481;
        assert_eq!(11 - sum % 11, 9);
        assert_eq!(check_digit(&body), '9');
    }

    #[test]
    fn typed_lowercase_with_spaces_is_normalized() {
        assert_eq!(check("  eku9003173c9 \n").as_deref(), Ok("EKU9003173C9"));
        assert_eq!(check("oño120726rx3").as_deref(), Ok("OÑO120726RX3"));
    }

    #[test]
    fn the_generic_rfcs_pass_as_they_are() {
        // XAXX010101000's last character is not its rule digit; SAT requires it anyway.
        assert_eq!(
            check_digit(&"XAXX01010100".chars().collect::<Vec<_>>()),
            '4'
        );
        assert_eq!(check("XAXX010101000").as_deref(), Ok("XAXX010101000"));
        assert_eq!(check("xexx010101000").as_deref(), Ok("XEXX010101000"));
    }

    #[test]
    fn a_wrong_length_says_how_many_characters_there_are() {
        assert_eq!(check("EKU9003173C"), Err(RfcProblem::Length { len: 11 }));
        assert_eq!(check(""), Err(RfcProblem::Length { len: 0 }));
        assert_eq!(
            check("GODE-561231-GR8"),
            Err(RfcProblem::Length { len: 15 })
        );
        // Ñ is one character, though two bytes.
        assert_eq!(check("OÑO120726RX"), Err(RfcProblem::Length { len: 11 }));
        let e = RfcProblem::Length { len: 11 }.describe(Lang::En);
        assert_eq!(
            e,
            "An RFC has 12 characters (company) or 13 (person); this one has 11."
        );
        assert!(
            RfcProblem::Length { len: 14 }
                .describe(Lang::Es)
                .contains("este tiene 14")
        );
    }

    #[test]
    fn letters_digits_and_homoclave_out_of_place_are_a_shape_problem() {
        for bad in [
            "EK19003173C9",  // a digit among the letters
            "EKUA003173C9",  // a letter in the date
            "EKU9003173-9",  // a dash in the homoclave
            "EKU9003173CB",  // a check digit that is neither 0–9 nor A
            "CACX76051Ñ1P8", // Ñ only belongs among the letters
        ] {
            assert_eq!(check(bad), Err(RfcProblem::Shape), "{bad}");
        }
    }

    #[test]
    fn a_date_that_cannot_exist_is_a_shape_problem() {
        for bad in [
            "EKU9013173C9", // month 13
            "EKU9000173C9", // month 00
            "EKU9003003C9", // day 00
            "EKU9004313C9", // 31 April
            "EKU9102293C9", // 29 February 1991
        ] {
            assert_eq!(check(bad), Err(RfcProblem::Shape), "{bad}");
        }
        // 29 February of a leap year is a date: the RFC fails only on its check digit.
        assert!(matches!(
            check("EKU9202293C9"),
            Err(RfcProblem::CheckDigit { .. })
        ));
        assert!(
            RfcProblem::Shape
                .describe(Lang::En)
                .contains("a date as YYMMDD")
        );
    }

    #[test]
    fn a_mistyped_character_is_caught_by_the_check_digit_which_is_named() {
        // One character of a SAT test RFC changed: the digit no longer fits.
        assert_eq!(
            check("EKU9003173C8"),
            Err(RfcProblem::CheckDigit { expected: '9' })
        );
        assert_eq!(
            check("CACX7605101P9"),
            Err(RfcProblem::CheckDigit { expected: '8' })
        );
        // The classic documentation example AAA010101AAA is well formed but not valid.
        assert_eq!(
            check("AAA010101AAA"),
            Err(RfcProblem::CheckDigit { expected: '1' })
        );
        // A check digit of A, expected.
        assert_eq!(
            check("L&O950913MS0"),
            Err(RfcProblem::CheckDigit { expected: 'A' })
        );
        let e = RfcProblem::CheckDigit { expected: '9' }.describe(Lang::En);
        assert!(e.contains("should be 9"), "{e}");
        let e = RfcProblem::CheckDigit { expected: 'A' }.describe(Lang::Es);
        assert!(e.contains("debería ser A"), "{e}");
    }
}
