//! Small drawing helpers every panel uses: centring a popup, clearing under it, the
//! spinner, thousands separators. Below every panel; uses none of them.

use ratatui::Frame;
use ratatui::layout::Rect;
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

#[cfg(test)]
mod tests {
    use super::fit_middle;

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
