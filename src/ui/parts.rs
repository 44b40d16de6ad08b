//! Small drawing helpers every panel uses: centring a popup, clearing under it, the
//! spinner, thousands separators, wrapping a popup's lines. Below every panel; uses none of
//! them.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Clear;

/// A centred rectangle of at most `w`×`h`.
pub(crate) fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

pub(crate) fn clear(frame: &mut Frame, r: Rect) {
    frame.render_widget(Clear, r);
}

pub use crate::text::thousands;

pub(crate) const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/// `text` in at most `width` display cells, cut in the middle with `…` so that both ends
/// stay: `Doña Lupe San Pe…Garza García 2` is still told apart from its siblings.
pub(crate) fn fit_middle(text: &str, width: usize) -> String {
    use unicode_width::UnicodeWidthChar;
    let w = |c: char| c.width().unwrap_or(0);
    if unicode_width::UnicodeWidthStr::width(text) <= width {
        return text.to_string();
    }
    if width == 0 {
        return String::new();
    }
    let room = width - 1;
    let tail_room = room * 2 / 5;
    let head_room = room - tail_room;
    let mut head = String::new();
    let mut used = 0;
    for c in text.chars() {
        if used + w(c) > head_room {
            break;
        }
        used += w(c);
        head.push(c);
    }
    let mut tail: Vec<char> = Vec::new();
    let mut used_tail = 0;
    for c in text.chars().rev() {
        if used_tail + w(c) > room - used {
            break;
        }
        used_tail += w(c);
        tail.push(c);
    }
    tail.reverse();
    format!(
        "{}…{}",
        head.trim_end(),
        tail.into_iter().collect::<String>().trim_start()
    )
}

/// `text` in at most `width` display cells, cut at the end with `…`.
pub(crate) fn fit_end(text: &str, width: usize) -> String {
    use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};
    if text.width() <= width {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    out
}

/// Lines longer than `width` cells broken at spaces (a word longer than the width is cut
/// where it must), each continuation indented like the line it continues, so an error under
/// a field is read whole on 80 columns; and where line `at` starts once broken.
pub(crate) fn wrap(
    lines: Vec<Line<'static>>,
    at: usize,
    width: usize,
) -> (Vec<Line<'static>>, usize) {
    wrap_with(lines, at, width, false)
}

/// `wrap` for `label  value` lines (a detail's fields): a continuation starts under the
/// value — the first span's width — not under the label.
pub(crate) fn wrap_hanging(lines: Vec<Line<'static>>, width: usize) -> Vec<Line<'static>> {
    wrap_with(lines, 0, width, true).0
}

fn wrap_with(
    lines: Vec<Line<'static>>,
    at: usize,
    width: usize,
    hanging: bool,
) -> (Vec<Line<'static>>, usize) {
    use unicode_width::UnicodeWidthChar;
    let mut out = Vec::with_capacity(lines.len());
    let mut new_at = 0;
    for (i, line) in lines.into_iter().enumerate() {
        if i == at {
            new_at = out.len();
        }
        if width == 0 || line.width() <= width {
            out.push(line);
            continue;
        }
        let cells: Vec<(char, Style)> = line
            .spans
            .iter()
            .flat_map(|s| {
                let style = line.style.patch(s.style);
                s.content.chars().map(move |c| (c, style))
            })
            .collect();
        let indent = if hanging && line.spans.len() > 1 {
            line.spans[0].width()
        } else {
            cells.iter().take_while(|(c, _)| *c == ' ').count()
        }
        .min(width / 2);
        let w = |c: char| c.width().unwrap_or(0);
        let mut start = 0;
        let mut first = true;
        while start < cells.len() {
            let room = if first { width } else { width - indent };
            let (mut end, mut used, mut space) = (start, 0, None);
            while end < cells.len() && used + w(cells[end].0) <= room {
                // A hanging line is never broken inside its label.
                let in_label = hanging && first && end <= indent;
                if cells[end].0 == ' ' && end > start && !in_label {
                    space = Some(end);
                }
                used += w(cells[end].0);
                end += 1;
            }
            // The next character a space: every word so far fits whole, break there.
            if end < cells.len()
                && cells[end].0 != ' '
                && let Some(sp) = space
            {
                end = sp;
            }
            let end = end.max(start + 1);
            let mut spans = Vec::new();
            if !first {
                spans.push(Span::raw(" ".repeat(indent)));
            }
            let mut k = start;
            while k < end {
                let style = cells[k].1;
                let mut text = String::new();
                while k < end && cells[k].1 == style {
                    text.push(cells[k].0);
                    k += 1;
                }
                spans.push(Span::styled(text, style));
            }
            out.push(Line::from(spans));
            start = end;
            // The space a line was broken at is not carried to the next.
            while start < cells.len() && cells[start].0 == ' ' {
                start += 1;
            }
            first = false;
        }
    }
    (out, new_at)
}

#[cfg(test)]
mod tests {
    use super::fit_middle;

    #[test]
    fn a_fields_value_goes_on_under_itself_and_a_word_that_fits_stays() {
        use ratatui::text::{Line, Span};
        let field = Line::from(vec![
            Span::raw("   Verify at  "),
            Span::raw("https://example.mx/a/very/long/path and more"),
        ]);
        let got: Vec<String> = super::wrap_hanging(vec![field], 40)
            .iter()
            .map(|l| l.to_string())
            .collect();
        assert_eq!(
            got,
            [
                "   Verify at  https://example.mx/a/very/",
                "              long/path and more",
            ]
        );
        // Exactly full before a space: nothing moves to the next line.
        let full = Line::raw("1234 6789 and the rest");
        let got: Vec<String> = super::wrap(vec![full], 0, 9)
            .0
            .iter()
            .map(|l| l.to_string())
            .collect();
        assert_eq!(got[0], "1234 6789");
    }

    #[test]
    fn a_long_name_keeps_both_ends_and_its_width() {
        let s = fit_middle("Doña Lupe San Pedro Garza García 2", 30);
        assert!(s.starts_with("Doña Lupe") && s.ends_with("García 2"), "{s}");
        assert!(unicode_width::UnicodeWidthStr::width(s.as_str()) <= 30);
        assert_eq!(fit_middle("Corto", 30), "Corto");
        assert_eq!(
            fit_middle("漢字漢字漢字", 5)
                .chars()
                .filter(|c| *c == '…')
                .count(),
            1
        );
        assert!(unicode_width::UnicodeWidthStr::width(fit_middle("漢字漢字漢字", 5).as_str()) <= 5);
    }
}
