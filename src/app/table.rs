//! A table's state: its rows (shared, never copied per frame), the filtered and sorted view
//! of row indices, the filter text, sort, selection and scroll offset, marks and load state.

use std::collections::BTreeSet;
use std::sync::Arc;

use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};

use super::rows::Row;

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
}

impl<R: Row> Default for Table<R> {
    fn default() -> Self {
        Table {
            rows: Arc::new(Vec::new()),
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
        }
    }
}

impl<R: Row> Table<R> {
    pub fn selected_row(&self) -> Option<&R> {
        self.view
            .get(self.selected)
            .and_then(|i| self.rows.get(*i as usize))
    }

    pub fn visible_len(&self) -> usize {
        self.view.len()
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

    /// Filters and sorts from scratch, then puts the selection back on `keep`.
    pub fn rebuild_view(&mut self, keep: Option<&str>) {
        let mut view: Vec<u32> = if self.filter.is_empty() {
            (0..self.rows.len() as u32).collect()
        } else {
            self.matching((0..self.rows.len() as u32).collect())
        };
        let rows = &self.rows;
        let (col, desc) = self.sort;
        view.sort_by(|a, b| {
            let o = rows[*a as usize].cmp_col(&rows[*b as usize], col);
            if desc { o.reverse() } else { o }
        });
        self.view = view;
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
    fn matching(&self, candidates: Vec<u32>) -> Vec<u32> {
        let pattern = Pattern::parse(&self.filter, CaseMatching::Ignore, Normalization::Smart);
        let mut matcher = Matcher::new(Config::DEFAULT);
        let mut hay = String::new();
        let mut buf = Vec::new();
        candidates
            .into_iter()
            .filter(|i| {
                let row = &self.rows[*i as usize];
                hay.clear();
                for c in 0..R::COLUMNS.len() {
                    hay.push_str(row.cell(c));
                    hay.push(' ');
                }
                pattern
                    .score(Utf32Str::new(&hay, &mut buf), &mut matcher)
                    .is_some()
            })
            .collect()
    }

    /// Sets the filter. A filter that extends the previous one only narrows the current
    /// view, so typing stays fast on large tables.
    pub fn set_filter(&mut self, filter: &str) {
        let keep = self.selected_row().map(|r| r.id().to_string());
        let narrowing = !self.filter.is_empty() && filter.starts_with(self.filter.as_str());
        self.filter = filter.to_string();
        if narrowing && !filter.contains(' ') {
            let current = std::mem::take(&mut self.view);
            self.view = self.matching(current);
            self.reselect(keep.as_deref());
        } else {
            self.rebuild_view(keep.as_deref());
        }
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

    pub fn toggle_mark(&mut self) {
        if let Some(id) = self.selected_row().map(|r| Box::<str>::from(r.id()))
            && !self.marked.remove(&id)
        {
            self.marked.insert(id);
        }
    }
}
