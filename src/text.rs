//! Untrusted text (from the API, a file, the keyboard) made safe for one terminal line:
//! no control characters (C0, DEL, C1 — so no escape sequence can reach the terminal) and
//! no bidirectional overrides or isolates (which can make a name or an amount read
//! backwards). Uses nothing of the crate.

/// Whether a character must never reach a terminal from untrusted text.
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{202A}'..='\u{202E}' // LRE RLE PDF LRO RLO
            | '\u{2066}'..='\u{2069}' // LRI RLI FSI PDI
            | '\u{200E}' | '\u{200F}' | '\u{061C}' // LRM RLM ALM
        )
}

/// One printable line: line breaks and tabs become spaces, every other unsafe character
/// is dropped.
pub fn printable(s: &str) -> String {
    if !s.chars().any(is_unsafe) {
        return s.to_string();
    }
    s.chars()
        .filter_map(|c| match c {
            '\n' | '\r' | '\t' => Some(' '),
            c if is_unsafe(c) => None,
            c => Some(c),
        })
        .collect()
}

/// An id or other token to hand to another program (the clipboard): printable and
/// without surrounding spaces.
pub fn token(s: &str) -> String {
    s.chars()
        .filter(|c| !is_unsafe(*c))
        .collect::<String>()
        .trim()
        .to_string()
}

/// A CSV cell a spreadsheet will show, not run: unsafe characters removed (line breaks
/// kept; the CSV writer quotes them), and a cell that starts like a formula (`=`, `+`, `-`,
/// `@`) prefixed with a single quote, as OWASP advises. Plain numbers (`-12.50`) stay
/// numbers.
pub fn csv_cell(s: &str) -> String {
    let clean: String = if s.chars().any(is_unsafe) {
        s.chars().filter(|c| *c == '\n' || !is_unsafe(*c)).collect()
    } else {
        s.to_string()
    };
    let is_number = clean.parse::<f64>().is_ok() && !clean.contains(['e', 'E', 'n', 'N', 'i', 'I']);
    let risky =
        s.starts_with(['=', '+', '-', '@', '\t', '\r']) || clean.starts_with(['=', '+', '-', '@']);
    if risky && !is_number {
        format!("'{clean}")
    } else {
        clean
    }
}

/// A number with thousands separators: `4,567`.
pub fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_and_bidi_overrides_are_removed() {
        let hostile = "Ana\u{1b}]0;pwned\u{7}\u{1b}[2J \u{202E}0001$\u{202C} \u{9b}31m";
        let p = printable(hostile);
        assert!(!p.chars().any(is_unsafe), "{p:?}");
        assert_eq!(p, "Ana]0;pwned[2J 0001$ 31m");
    }

    #[test]
    fn a_token_keeps_only_what_is_printable() {
        assert_eq!(token(" pay_123\n\u{1b}[31m\u{2066} "), "pay_123[31m");
    }

    #[test]
    fn clean_text_is_left_alone() {
        assert_eq!(printable("Peñasco — Güemes 北京"), "Peñasco — Güemes 北京");
    }

    #[test]
    fn csv_cells_never_start_a_formula_and_carry_no_escape() {
        assert_eq!(
            csv_cell("=HYPERLINK(\"http://x\",\"a\")"),
            "'=HYPERLINK(\"http://x\",\"a\")"
        );
        assert_eq!(csv_cell("+52 55"), "'+52 55");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell("\t=1+1"), "'=1+1");
        assert_eq!(csv_cell("-12.50"), "-12.50");
        assert_eq!(csv_cell("Ana\u{1b}[2J López"), "Ana[2J López");
        assert_eq!(csv_cell("line one\nline two"), "line one\nline two");
        assert_eq!(csv_cell("-inf"), "'-inf");
    }
}
