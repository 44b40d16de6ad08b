//! What a table row is, whatever it shows: its columns, the `Row` trait the tables sort
//! and filter by, folded search text, and `Packed` — all of a row's text in one allocation.
//! The rows themselves are in `rows.rs`.

use std::cmp::Ordering;

use crate::i18n::{Tr, tr};

/// A table column: its title, width and alignment.
#[derive(Clone, Copy, Debug)]
pub struct Column {
    pub title: Tr,
    /// Minimum width in cells; the widest columns share what is left.
    pub width: u16,
    pub grow: bool,
    /// Right-aligned, and always as wide as its widest visible value (money is never cut).
    pub right: bool,
    /// The column is shown only when the table is at least this wide.
    pub min_table_width: u16,
    /// Too long a value is cut in the middle, keeping both ends (a branch's name differs
    /// at its end); otherwise at its end.
    pub cut_middle: bool,
}

pub(crate) const fn col(title: Tr, width: u16, grow: bool, right: bool) -> Column {
    Column {
        title,
        width,
        grow,
        right,
        min_table_width: 0,
        cut_middle: false,
    }
}

/// A table's columns with the Team column first (the all-teams scope).
pub const fn with_team<const N: usize, const M: usize>(cols: [Column; N]) -> [Column; M] {
    let mut team = col(tr("Team", "Equipo"), 14, false, false);
    team.cut_middle = true;
    let mut out = [team; M];
    let mut i = 0;
    while i < N {
        out[i + 1] = cols[i];
        i += 1;
    }
    out
}

pub(crate) const fn wide(c: Column, min_table_width: u16) -> Column {
    Column {
        min_table_width,
        ..c
    }
}

/// A row of one of the tables.
pub trait Row: Clone + Send + Sync + 'static {
    const COLUMNS: &'static [Column];
    fn id(&self) -> &str;
    /// The texts the filter searches (the visible columns), as shown: the filter folds
    /// them while it reads (`table::in_one_word`), so no folded copy is kept per row —
    /// half of a row's text. Unused places are "".
    fn search(&self) -> Hay<'_>;
    fn cell(&self, col: usize) -> &str;
    fn cmp_col(&self, other: &Self, col: usize) -> Ordering;
    /// Puts the texts of `rows` (one page) in one shared allocation (`Packed::share`).
    fn share_texts(_rows: &mut [Self]) {}
    /// The column sorted by default (newest first).
    const DEFAULT_SORT: (usize, bool);
}

/// How many texts a row gives the filter (`Row::search`): a team's name and a row's seven.
pub const HAY: usize = 8;
/// A row's searched texts (`Row::search`).
pub type Hay<'a> = [&'a str; HAY];

/// `parts` in the first places of a `Hay`, the rest "".
pub(crate) fn hay<'a, const N: usize>(parts: [&'a str; N]) -> Hay<'a> {
    let mut out = [""; HAY];
    out[..N].copy_from_slice(&parts);
    out
}

/// Lower case without accents (`Núñez` → `nunez`), so filtering ignores both.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    fold_into(&mut out, s);
    out
}

/// `fold`, appended to `out` (the filter reuses one buffer for every row).
pub fn fold_into(out: &mut String, s: &str) {
    for c in s.chars() {
        let f = match c {
            'á' | 'à' | 'ä' | 'â' | 'Á' | 'À' | 'Ä' | 'Â' => 'a',
            'é' | 'è' | 'ë' | 'ê' | 'É' | 'È' | 'Ë' | 'Ê' => 'e',
            'í' | 'ì' | 'ï' | 'î' | 'Í' | 'Ì' | 'Ï' | 'Î' => 'i',
            'ó' | 'ò' | 'ö' | 'ô' | 'Ó' | 'Ò' | 'Ö' | 'Ô' => 'o',
            'ú' | 'ù' | 'ü' | 'û' | 'Ú' | 'Ù' | 'Ü' | 'Û' => 'u',
            'ñ' | 'Ñ' => 'n',
            'ç' | 'Ç' => 'c',
            c => {
                out.extend(c.to_lowercase());
                continue;
            }
        };
        out.push(f);
    }
}

/// A short status label, its colour class decided by the UI.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Tone {
    Good,
    Warn,
    Bad,
    Muted,
}

/// All the text of one row in a single allocation, sliced by end offsets: one heap block
/// per row instead of a dozen keeps 100,000 rows within the memory budget; the rows of a
/// page then share one block (`share`). Shared, never copied, when a row is cloned: a
/// streamed page appended to a table, a set kept in the worker's cache and on screen,
/// hold one text.
#[derive(Clone)]
pub struct Packed<const N: usize> {
    /// A thin pointer (the length is in the box): 8 bytes a row less than `Arc<str>`.
    text: std::sync::Arc<Box<str>>,
    /// Where this row's text starts in `text`.
    start: u32,
    /// End of each part, from `start`; a row's text is far below 64 KiB (longer parts
    /// are cut).
    ends: [u16; N],
}

/// This row's parts only (the block it shares holds its page's other rows too).
impl<const N: usize> std::fmt::Debug for Packed<N> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries((0..N).map(|i| self.get(i))).finish()
    }
}

impl<const N: usize> Packed<N> {
    pub(crate) fn new(parts: [&str; N]) -> Self {
        Self::with_raw(parts, N)
    }

    /// The parts from `raw` on are kept as they came (cut, not made printable): ids that
    /// are matched against the API's, never shown (a payment's invoice links).
    pub(crate) fn with_raw(parts: [&str; N], raw: usize) -> Self {
        let mut text = String::with_capacity(parts.iter().map(|p| p.len()).sum());
        let mut ends = [0u16; N];
        for (i, p) in parts.iter().enumerate() {
            // A hostile server could send megabytes in one field: keep a sane prefix.
            let mut cut = p.len().min(2048);
            while !p.is_char_boundary(cut) {
                cut -= 1;
            }
            // API text reaches the screen printable: no control characters, no bidi
            // overrides that would make a name or an amount read backwards.
            let part = &p[..cut];
            if i < raw && part.chars().any(crate::text::is_unsafe) {
                text.push_str(&crate::text::printable(part));
            } else {
                text.push_str(part);
            }
            ends[i] = text.len().min(u16::MAX as usize) as u16;
        }
        Packed {
            text: std::sync::Arc::new(text.into_boxed_str()),
            start: 0,
            ends,
        }
    }

    pub(crate) fn get(&self, i: usize) -> &str {
        let base = self.start as usize;
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.text[base + start..base + self.ends[i] as usize]
    }

    /// This row's whole text.
    fn all(&self) -> &str {
        let base = self.start as usize;
        &self.text[base..base + self.ends.last().copied().unwrap_or(0) as usize]
    }

    /// The texts of many rows (a page, made together) moved into one allocation: one
    /// block per page instead of one per row, each with its own header and the
    /// allocator's, and no small blocks left between a page's freed JSON. A row keeps
    /// the block alive while it lives.
    pub(crate) fn share<'a>(packs: impl Iterator<Item = &'a mut Packed<N>>) {
        let mut packs: Vec<&'a mut Packed<N>> = packs.collect();
        let total: usize = packs.iter().map(|p| p.all().len()).sum();
        if packs.len() < 2 || u32::try_from(total).is_err() {
            return;
        }
        let mut text = String::with_capacity(total);
        let mut starts = Vec::with_capacity(packs.len());
        for p in &packs {
            starts.push(text.len() as u32);
            text.push_str(p.all());
        }
        let block = std::sync::Arc::new(text.into_boxed_str());
        for (p, start) in packs.iter_mut().zip(starts) {
            p.text = block.clone();
            p.start = start;
        }
    }
}

/// A date as rows show it ("" for none).
pub(crate) fn date(i: Option<crate::api::Instant>, lang: crate::i18n::Lang) -> Box<str> {
    i.map(|i| lang.datetime(i)).unwrap_or_default().into()
}

/// `total` × `rate` when that is not `total` itself (most documents are in pesos).
pub(crate) fn in_pesos(
    total: rust_decimal::Decimal,
    rate: rust_decimal::Decimal,
) -> Option<rust_decimal::Decimal> {
    let mxn = crate::api::money::mul(total, rate);
    (mxn != total).then_some(mxn)
}

/// `rare` in a box, or nothing when it holds nothing.
pub(crate) fn boxed_if_any<T: Default + PartialEq>(rare: T) -> Option<Box<T>> {
    (rare != T::default()).then(|| Box::new(rare))
}

/// What an amount the API sent unreadable shows as (the row is kept).
pub(crate) fn unreadable_amount(lang: crate::i18n::Lang) -> String {
    lang.pick("unreadable amount", "monto ilegible").to_string()
}

fn lower(s: &str) -> impl Iterator<Item = char> + '_ {
    s.chars().flat_map(char::to_lowercase)
}

pub(crate) fn cmp_text(a: &str, b: &str) -> Ordering {
    lower(a).cmp(lower(b))
}

#[cfg(test)]
mod tests {
    use super::Packed;

    #[test]
    fn rows_whose_texts_share_one_block_read_every_part_as_before() {
        let made = [
            ["a1", "Ñandú Café", "", "x"],
            ["", "", "", ""],
            ["b22", "ok", "ümlaut ✓", "tail"],
        ];
        let mut packs: Vec<Packed<4>> = made.iter().map(|p| Packed::new(*p)).collect();
        Packed::share(packs.iter_mut());
        assert!(std::sync::Arc::ptr_eq(&packs[0].text, &packs[2].text));
        for (p, parts) in packs.iter().zip(made) {
            for (i, part) in parts.iter().enumerate() {
                assert_eq!(p.get(i), *part);
            }
        }
        // A clone shares it too; one row made again on its own reads the same.
        let again = packs[2].clone();
        assert!(std::sync::Arc::ptr_eq(&again.text, &packs[0].text));
        assert_eq!(again.get(2), "ümlaut ✓");
        // Printed, a row shows its own parts, never its page's other rows.
        assert_eq!(format!("{:?}", packs[1]), r#"["", "", "", ""]"#);
        assert_eq!(Packed::new(made[2]).get(3), packs[2].get(3));
    }
}
