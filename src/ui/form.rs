//! Drawing the form toolkit's fields: a label column (`›` on the focused one), text, amount
//! and date inputs with a cursor, a catalog choice or picker as a five-line window around
//! what is highlighted, a repeated group as numbered rows, an error under its field, the
//! typed word and the Yes/No row. Dialogs are drawn from these lines; the toolkit's own
//! snapshot tests draw each kind alone through `draw_box`.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::parts::{centered, clear, fit_end};
use super::theme::Theme;
use crate::app::form::choice::Choice;
use crate::app::form::confirm::Confirm;
use crate::app::form::repeat::Repeat;
use crate::i18n::Lang;
use crate::t;

/// Where a field's value starts: the label column's width.
const LABEL: usize = 24;

/// Room for an option of a list, right of the label column, in the narrowest box (80
/// columns): a long SAT name is cut with `…` rather than wrapped under the labels.
const OPTION: usize = 54;

/// A field's label, marked when focused.
pub fn label(text: &str, focused: bool, theme: &Theme) -> Span<'static> {
    let marker = if focused { "› " } else { "  " };
    Span::styled(
        // At least one space before the value, however long the label.
        format!("{marker}{text:<19} "),
        if focused { theme.accent() } else { theme.dim() },
    )
}

/// A fixed label of the left column (what the form names, not a field).
pub fn head(text: &str, theme: &Theme) -> Span<'static> {
    Span::styled(format!("  {text:<20}"), theme.dim())
}

/// A value being typed: the cursor shows where when focused.
pub fn input(value: &str, focused: bool) -> Span<'static> {
    Span::raw(if focused {
        format!("{value}▏")
    } else {
        value.to_string()
    })
}

/// A text, amount or date field on one line, with what follows it dimmed (`of $X owed`).
pub fn text_line(
    name: &str,
    value: &str,
    focused: bool,
    after: Option<String>,
    theme: &Theme,
) -> Line<'static> {
    let mut spans = vec![label(name, focused, theme), input(value, focused)];
    if let Some(after) = after {
        spans.push(Span::styled(after, theme.dim()));
    }
    Line::from(spans)
}

/// A choice: what is typed to filter on the label's line, then up to five options around
/// the highlighted one; `none` when nothing matches.
pub fn choice_lines(
    name: &str,
    choice: &Choice,
    focused: bool,
    none: &str,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let mut lines = vec![text_line(name, choice.filter.value(), focused, None, theme)];
    let options = choice.matches();
    let sel = choice.index.min(options.len().saturating_sub(1));
    let start = sel.saturating_sub(2);
    let pad = " ".repeat(LABEL);
    for (i, (code, name)) in options.iter().enumerate().skip(start).take(5) {
        let style = if i == sel {
            theme.selected()
        } else {
            Style::default()
        };
        lines.push(Line::from(vec![
            Span::raw(pad.clone()),
            Span::styled(
                fit_end(
                    &if choice.shows_code() {
                        format!(" {code} {name} ")
                    } else {
                        format!(" {name} ")
                    },
                    OPTION,
                ),
                style,
            ),
        ]));
    }
    if options.is_empty() {
        lines.push(Line::styled(format!("{pad}{none}"), theme.dim()));
    }
    lines
}

/// A repeated group: one line per row (`show` says what a row reads as), the current one
/// marked, and how to add or remove one.
pub fn repeat_lines<T>(
    name: &str,
    group: &Repeat<T>,
    focused: bool,
    show: impl Fn(&T) -> String,
    lang: Lang,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let n = group.rows.len();
    let mut lines = vec![Line::from(vec![
        label(name, focused, theme),
        Span::styled(
            t!(
                lang,
                "{n} rows · + adds one, - removes this one, ↑↓ move",
                "{n} filas · + agrega una, - quita esta, ↑↓ mueven"
            ),
            theme.dim(),
        ),
    ])];
    for (i, row) in group.rows.iter().enumerate() {
        let current = i == group.current;
        let style = if current && focused {
            theme.selected()
        } else {
            Style::default()
        };
        lines.push(Line::from(vec![
            Span::raw(format!("    {:>2}. ", i + 1)),
            Span::styled(show(row), style),
        ]));
    }
    lines
}

/// What is wrong, in words, under the field it names (or at the end).
pub fn error_line(text: &str, theme: &Theme) -> Line<'static> {
    Line::from(vec![
        Span::styled("  ✗ ", theme.error()),
        Span::styled(text.to_string(), theme.error()),
    ])
}

/// The word a live key types, when one is asked.
pub fn word_line(
    confirm: &Confirm,
    focused: bool,
    lang: Lang,
    theme: &Theme,
) -> Option<Line<'static>> {
    let word = confirm.word?;
    Some(text_line(
        &t!(lang, "Type {word}", "Escribe {word}"),
        confirm.typed.value(),
        focused,
        None,
        theme,
    ))
}

/// The Yes/No row: "No" highlighted until the person moves to "Yes, <what>".
pub fn buttons_line(
    confirm: &Confirm,
    focused: bool,
    what: &str,
    lang: Lang,
    theme: &Theme,
) -> Line<'static> {
    let (no, yes) = if confirm.yes {
        (Style::default(), theme.selected())
    } else {
        (theme.selected(), Style::default())
    };
    Line::from(vec![
        Span::raw(if focused { "  › " } else { "    " }),
        Span::styled(" No ", no),
        Span::raw("   "),
        Span::styled(t!(lang, " Yes, {what} ", " Sí, {what} "), yes),
    ])
}

/// A form's box, centred, as tall as its lines wrap to: a red border on a live key.
pub fn draw_box(
    frame: &mut Frame,
    area: Rect,
    title: &str,
    lines: Vec<Line<'static>>,
    live: bool,
    theme: &Theme,
) {
    let width = 84.min(area.width);
    let text_width = width.saturating_sub(2).max(1) as usize;
    let rows: usize = lines
        .iter()
        .map(|l| l.width().max(1).div_ceil(text_width))
        .sum();
    let r = centered(area, width, (rows as u16 + 2).min(area.height));
    clear(frame, r);
    let border = if live { theme.error() } else { theme.accent() };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(border)
        .title(Span::styled(format!(" {title} "), theme.title()));
    let inner = block.inner(r);
    frame.render_widget(block, r);
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}
