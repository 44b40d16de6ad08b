//! A table's state: its rows (shared, never copied per frame), the filtered and sorted view
//! of row indices, the filter text, sort, selection and scroll offset, marks and load state.

use std::collections::BTreeSet;
use std::sync::Arc;

use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};

use crate::app::data::documents::{Row, fold};

/// Candidate counts from which a filter scan uses every core.
const PARALLEL_FROM: usize = 20_000;

/// Whether `needle` (folded) appears in order within one word (a run without spaces) of
/// `part`, read folded: lower case and without accents, like `fold`. Within one word, not
/// across the row: `pen` finds «Peñasco» but not «PUE … vigente», which a subsequence over
/// the whole row would (and a Spanish status word would then match nearly every row). A
/// part in ASCII (nearly all: dates, amounts, folios, ids) is read in place, either case
/// matching; any other is folded into `buf` first.
fn in_one_word(needle: &[u8], part: &str, buf: &mut String) -> bool {
    let Some((&first, rest)) = needle.split_first() else {
        return true;
    };
    let text = if part.is_ascii() {
        part.as_bytes()
    } else {
        buf.clear();
        crate::app::data::columns::fold_into(buf, part);
        buf.as_bytes()
    };
    // The needle is folded, so its ASCII letters are lower case: the text's may be either.
    let either = |b: u8| (b, b.to_ascii_uppercase());
    let (lo, up) = either(first);
    let mut from = 0;
    while let Some(p) = memchr::memchr2(lo, up, &text[from..]) {
        let start = from + p + 1;
        let end = memchr::memchr(b' ', &text[start..]).map_or(text.len(), |e| start + e);
        let mut word = &text[start..end];
        let found = rest.iter().all(|n| {
            let (lo, up) = either(*n);
            match memchr::memchr2(lo, up, word) {
                Some(i) => {
                    word = &word[i + 1..];
                    true
                }
                None => false,
            }
        });
        if found {
            return true;
        }
        from = start;
    }
    false
}

#[derive(Clone, Debug, Default, PartialEq)]
pub enum Load {
    /// Nothing asked yet.
    #[default]
    Idle,
    /// A load is running; `shown` rows already arrived.
    Loading,
    Loaded,
    Failed(String),
}

#[derive(Clone, Debug)]
pub struct Table<R: Row> {
    pub rows: Arc<Vec<R>>,
    /// Every index into `rows`, sorted: filtering picks from here without sorting again.
    pub order: Vec<u32>,
    /// Indices into `rows`, filtered and sorted: what the screen lists.
    pub view: Vec<u32>,
    pub filter: String,
    /// (column, descending)
    pub sort: (usize, bool),
    /// Index into `view`.
    pub selected: usize,
    /// First visible position in `view`.
    pub offset: usize,
    pub marked: BTreeSet<Box<str>>,
    pub load: Load,
    /// Rows of a refresh in progress, swapped in when it completes (no flicker).
    pub incoming: Vec<R>,
    /// Whether the current rows are being replaced by a refresh.
    pub revalidating: bool,
    pub total_hint: Option<u64>,
    /// Age in seconds of rows served from the cache.
    pub cached_age: Option<u64>,
    /// Failed loads in a row: the next retry waits longer. Reset by a complete set.
    pub failures: u32,
}

impl<R: Row> Default for Table<R> {
    fn default() -> Self {
        Table {
            rows: Arc::new(Vec::new()),
            order: Vec::new(),
            view: Vec::new(),
            filter: String::new(),
            sort: R::DEFAULT_SORT,
            selected: 0,
            offset: 0,
            marked: BTreeSet::new(),
            load: Load::Idle,
            incoming: Vec::new(),
            revalidating: false,
            total_hint: None,
            cached_age: None,
            failures: 0,
        }
    }
}

impl<R: Row> Table<R> {
    pub fn selected_row(&self) -> Option<&R> {
        self.view
            .get(self.selected)
            .and_then(|i| self.rows.get(*i as usize))
    }

    /// Replaces every row, keeping the selection on the same id when it still exists.
    pub fn set_rows(&mut self, rows: Arc<Vec<R>>) {
        let keep = self.selected_row().map(|r| r.id().to_string());
        self.rows = rows;
        self.rebuild_view(keep.as_deref());
    }

    /// Appends a streamed page (first load only: nothing shown yet to keep stable).
    pub fn append(&mut self, page: &[R]) {
        let keep = self.selected_row().map(|r| r.id().to_string());
        Arc::make_mut(&mut self.rows).extend_from_slice(page);
        self.rebuild_view(keep.as_deref());
    }

    /// Sorts and filters from scratch, then puts the selection back on `keep`.
    pub fn rebuild_view(&mut self, keep: Option<&str>) {
        let rows = &self.rows;
        let (col, desc) = self.sort;
        let mut order: Vec<u32> = (0..rows.len() as u32).collect();
        order.sort_by(|a, b| {
            let o = rows[*a as usize].cmp_col(&rows[*b as usize], col);
            if desc { o.reverse() } else { o }
        });
        self.order = order;
        self.view = if self.filter.is_empty() {
            self.order.clone()
        } else {
            self.matching(&self.order)
        };
        self.reselect(keep);
    }

    fn reselect(&mut self, keep: Option<&str>) {
        if let Some(id) = keep
            && let Some(pos) = self
                .view
                .iter()
                .position(|i| self.rows[*i as usize].id() == id)
        {
            self.selected = pos;
            return;
        }
        self.selected = self.selected.min(self.view.len().saturating_sub(1));
    }

    /// The indices of `candidates` whose visible columns fuzzy-match the filter, in order.
    /// Rows carry their text folded (lower case, no accents). Each plain word of the query
    /// must be a subsequence of one word of the row (fuzzy like nucleo's atoms, but not
    /// stitched across fields), tested directly: fast enough for 100,000 rows per
    /// keystroke. A query using nucleo's syntax (`'exact`, `^prefix`, `suffix$`, `!not`)
    /// goes through nucleo itself.
    fn matching(&self, candidates: &[u32]) -> Vec<u32> {
        let query = fold(&self.filter);
        let words: Vec<&[u8]> = query.split_whitespace().map(str::as_bytes).collect();
        if !query.contains(['\'', '^', '$', '!', '\\']) {
            let rows = &self.rows;
            let test = |chunk: &[u32]| -> Vec<u32> {
                let mut buf = String::new();
                chunk
                    .iter()
                    .copied()
                    .filter(|i| {
                        let hay = rows[*i as usize].search();
                        words
                            .iter()
                            .all(|w| hay.iter().any(|part| in_one_word(w, part, &mut buf)))
                    })
                    .collect()
            };
            // Large tables split the scan over the cores: pure computation, same result.
            let cores = std::thread::available_parallelism()
                .map_or(1, |n| n.get())
                .min(4);
            if candidates.len() < PARALLEL_FROM || cores < 2 {
                return test(candidates);
            }
            let size = candidates.len().div_ceil(cores);
            return std::thread::scope(|scope| {
                let parts: Vec<_> = candidates
                    .chunks(size)
                    .map(|c| scope.spawn(move || test(c)))
                    .collect();
                parts
                    .into_iter()
                    .flat_map(|p| p.join().unwrap_or_default())
                    .collect()
            });
        }
        let pattern = Pattern::parse(&query, CaseMatching::Ignore, Normalization::Never);
        let mut matcher = Matcher::new(Config::DEFAULT);
        let mut buf = Vec::new();
        candidates
            .iter()
            .copied()
            .filter(|i| {
                let hay = fold(&self.rows[*i as usize].search().join(" "));
                pattern
                    .score(Utf32Str::new(&hay, &mut buf), &mut matcher)
                    .is_some()
            })
            .collect()
    }

    /// Sets the filter. A filter that extends the previous one only narrows the current
    /// view; any other starts again from the sorted rows. Neither sorts.
    pub fn set_filter(&mut self, filter: &str) {
        let keep = self.selected_row().map(|r| r.id().to_string());
        let narrowing = !self.filter.is_empty() && filter.starts_with(self.filter.as_str());
        self.filter = filter.to_string();
        self.view = if filter.is_empty() {
            self.order.clone()
        } else if narrowing && !filter.contains([' ', '!', '|']) {
            self.matching(&self.view)
        } else {
            self.matching(&self.order)
        };
        self.reselect(keep.as_deref());
    }

    /// `s`: next column (descending first for the default); `S`: reverse.
    pub fn cycle_sort(&mut self) {
        let n = R::COLUMNS.len();
        self.sort = ((self.sort.0 + 1) % n, false);
        let keep = self.selected_row().map(|r| r.id().to_string());
        self.rebuild_view(keep.as_deref());
    }

    pub fn reverse_sort(&mut self) {
        self.sort.1 = !self.sort.1;
        let keep = self.selected_row().map(|r| r.id().to_string());
        self.order.reverse();
        self.view.reverse();
        self.reselect(keep.as_deref());
    }

    pub fn move_by(&mut self, delta: isize) {
        if self.view.is_empty() {
            self.selected = 0;
            return;
        }
        let max = self.view.len() - 1;
        self.selected = (self.selected as isize + delta).clamp(0, max as isize) as usize;
    }

    pub fn top(&mut self) {
        self.selected = 0;
    }

    pub fn bottom(&mut self) {
        self.selected = self.view.len().saturating_sub(1);
    }

    /// Keeps the selection inside a window of `height` rows.
    pub fn scroll_into_view(&mut self, height: usize) {
        let height = height.max(1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + height {
            self.offset = self.selected + 1 - height;
        }
        let max_offset = self.view.len().saturating_sub(height);
        self.offset = self.offset.min(max_offset);
    }

    /// The rows to draw: at most `height`, from `offset`.
    pub fn window(&self, height: usize) -> impl Iterator<Item = (usize, &R)> {
        self.view
            .iter()
            .enumerate()
            .skip(self.offset)
            .take(height)
            .map(|(pos, i)| (pos, &self.rows[*i as usize]))
    }

    /// The table as shown (filtered, sorted, every column, titles in `lang`) as CSV.
    pub fn to_csv(&self, lang: crate::i18n::Lang) -> Vec<u8> {
        let mut w = csv::Writer::from_writer(Vec::new());
        let _ = w.write_record(R::COLUMNS.iter().map(|c| c.title.get(lang)));
        for i in &self.view {
            let row = &self.rows[*i as usize];
            let _ =
                w.write_record((0..R::COLUMNS.len()).map(|c| crate::text::csv_cell(row.cell(c))));
        }
        w.into_inner().unwrap_or_default()
    }

    pub fn toggle_mark(&mut self) {
        if let Some(id) = self.selected_row().map(|r| Box::<str>::from(r.id()))
            && !self.marked.remove(&id)
        {
            self.marked.insert(id);
        }
    }
}

/// What the main view does to a table, whatever its rows: object-safe, so one closure
/// serves a team's tables and the all-teams ones.
pub trait TableOps {
    fn move_by(&mut self, delta: isize);
    /// Selects the row shown `row` lines below the top of the window.
    fn click(&mut self, row: usize);
    fn top(&mut self);
    fn bottom(&mut self);
    fn scroll_into_view(&mut self, height: usize);
    fn set_filter(&mut self, filter: &str);
    fn filter(&self) -> &str;
    fn cycle_sort(&mut self);
    fn reverse_sort(&mut self);
    fn toggle_mark(&mut self);
    /// Rows shown (filtered).
    fn shown(&self) -> usize;
    fn to_csv(&self, lang: crate::i18n::Lang) -> Vec<u8>;
}

impl<R: Row> TableOps for Table<R> {
    fn move_by(&mut self, delta: isize) {
        Table::move_by(self, delta)
    }
    fn click(&mut self, row: usize) {
        let target = self.offset + row;
        if target < self.view.len() {
            self.selected = target;
        }
    }
    fn top(&mut self) {
        Table::top(self)
    }
    fn bottom(&mut self) {
        Table::bottom(self)
    }
    fn scroll_into_view(&mut self, height: usize) {
        Table::scroll_into_view(self, height)
    }
    fn set_filter(&mut self, filter: &str) {
        Table::set_filter(self, filter)
    }
    fn filter(&self) -> &str {
        &self.filter
    }
    fn cycle_sort(&mut self) {
        Table::cycle_sort(self)
    }
    fn reverse_sort(&mut self) {
        Table::reverse_sort(self)
    }
    fn toggle_mark(&mut self) {
        Table::toggle_mark(self)
    }
    fn shown(&self) -> usize {
        self.view.len()
    }
    fn to_csv(&self, lang: crate::i18n::Lang) -> Vec<u8> {
        Table::to_csv(self, lang)
    }
}

#[cfg(test)]
mod tests {
    use super::{Table, in_one_word};

    #[test]
    fn a_word_matches_within_one_word_of_one_text_read_folded() {
        let buf = &mut String::new();
        let any = |w: &[u8], parts: &[&str], buf: &mut String| {
            parts.iter().any(|p| in_one_word(w, p, buf))
        };
        assert!(in_one_word(b"pen", "Distribuidora Peñasco", buf));
        assert!(in_one_word(b"pco", "DISTRIBUIDORA PENASCO", buf));
        assert!(in_one_word(b"nunez", "Núñez", buf));
        assert!(in_one_word(b"9b1f", "9B1F2C3D", buf));
        assert!(any(b"9b1f", &["A-1 valid", "9b1f2c3d"], buf));
        assert!(in_one_word(b"", "x", buf));
        assert!(in_one_word("✓".as_bytes(), "ok ✓", buf));
        assert!(!any(b"zz", &["z", "a"], buf));
        // Not stitched across words or texts.
        assert!(!any(b"9a", &["a", "9"], buf));
        assert!(!in_one_word(b"pen", "A-1 PUE vigente", buf));
        assert!(!in_one_word(b"pen", "A-1 PUE Vigénte", buf));
        assert!(!any(b"validb", &["A-1 valid", "b1"], buf));
        // A folded needle never matches a letter it is not: `n` is not `m` in either case.
        assert!(!in_one_word(b"n", "M", buf));
    }

    #[test]
    fn the_filter_finds_an_invoice_by_its_upper_case_uuid_and_its_accented_client() {
        use crate::app::data::documents::InvoiceRow;
        let inv: crate::api::Invoice = serde_json::from_value(serde_json::json!({
            "uuid": "9B1F2C3D-0000-4000-8000-00000000ABCD", "series": "A", "folio_number": "7", "status": "valid",
            "total": 1160.5, "client": {"id": "client_1", "name": "José Núñez"}}))
        .expect("an invoice");
        let mut t = Table::<InvoiceRow>::default();
        t.set_rows(std::sync::Arc::new(vec![InvoiceRow::from_api(
            &inv,
            crate::i18n::Lang::Es,
        )]));
        for (filter, found) in [
            ("9b1f", true),
            ("abcd", true),
            ("NUNEZ", true),
            ("núñez", true),
            ("vigente", true),
            ("a-7", true),
            ("9b1fz", false),
            ("jose9b1f", false),
        ] {
            t.set_filter(filter);
            assert_eq!(t.view.len(), usize::from(found), "{filter}");
        }
    }
}
