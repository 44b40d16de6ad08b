//! The header (team name and RFC, live/test, DEMO, READ-ONLY, Connect, loading) and the
//! tab bar.

use crate::t;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Color;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use super::parts::{SPINNER, thousands};
use super::theme::Theme;
use crate::app::state::{State, Tab};

pub fn draw(state: &State, frame: &mut Frame, area: Rect, theme: &Theme) {
    // The badges say what is at stake (live, read-only, another team through Connect), so
    // they are never cut: the RFC goes first, then the team name is shortened.
    let mut badges = vec![Span::raw(" ")];
    match state.live {
        Some(true) => badges.push(Span::styled(
            state.lang.pick(" LIVE ", " PRODUCCIÓN "),
            theme.live_badge(),
        )),
        Some(false) => badges.push(Span::styled(
            state.lang.pick(" TEST ", " PRUEBAS "),
            theme.badge(Color::Yellow),
        )),
        None => {}
    }
    if state.demo {
        badges.push(Span::raw(" "));
        badges.push(Span::styled(" DEMO ", theme.badge(Color::Magenta)));
    }
    if let Some(p) = &state.profile {
        badges.push(Span::raw(" "));
        badges.push(Span::styled(format!(" {p} "), theme.badge(Color::Blue)));
    }
    if state.writes_off() {
        badges.push(Span::raw(" "));
        badges.push(Span::styled(
            state.lang.pick(" READ-ONLY ", " SOLO LECTURA "),
            theme.badge(Color::Cyan),
        ));
    }
    if state.offline {
        badges.push(Span::raw(" "));
        badges.push(Span::styled(
            state.lang.pick(" OFFLINE ", " SIN CONEXIÓN "),
            theme.badge(Color::Red),
        ));
    }
    if state.sharing > 0 {
        // Its requests go slower than the profile says: the limit is split.
        // Counted with this one: three gigdash sharing say 3.
        let n = state.sharing + 1;
        badges.push(Span::raw(" "));
        badges.push(Span::styled(
            t!(
                state.lang,
                " limit shared by {n} ",
                " límite compartido entre {n} "
            ),
            theme.badge(Color::Yellow),
        ));
    }
    if let Some(at) = state.current.as_ref().and_then(|t| state.as_of.get(t)) {
        let now = state.current_view().map(|v| v.now).unwrap_or(*at);
        let at = as_of_time(*at, now);
        badges.push(Span::styled(
            t!(state.lang, " as of {at}", " al {at}"),
            theme.dim(),
        ));
    }
    if let Some((loaded, of)) = crate::app::features::scope::progress(state) {
        badges.push(Span::raw(" "));
        badges.push(Span::styled(
            t!(
                state.lang,
                " ALL TEAMS {loaded}/{of} ",
                " TODOS LOS EQUIPOS {loaded}/{of} "
            ),
            theme.badge(Color::Green),
        ));
    } else if state.group.open {
        badges.push(Span::raw(" "));
        badges.push(Span::styled(
            state.lang.pick(" ALL TEAMS ", " TODOS LOS EQUIPOS "),
            theme.badge(Color::Green),
        ));
    } else if state.is_connect_team() {
        badges.push(Span::raw(" "));
        badges.push(Span::styled(
            state.lang.pick(" via Connect ", " vía Connect "),
            theme.badge(Color::Green),
        ));
    }
    let spin = SPINNER[state.spinner % SPINNER.len()];
    let group_gauge = state.group.open.then(|| {
        let (done, of) = (
            crate::app::features::group::loaded(state),
            state.group.rows.len(),
        );
        (done < of).then(|| {
            let long = t!(
                state.lang,
                " {spin} {done} / {of} teams",
                " {spin} {done} / {of} equipos"
            );
            (long, format!(" {spin} {done}/{of}"))
        })
    });
    let loading = if let Some(gauge) = group_gauge {
        gauge
    } else {
        state.is_loading().then(|| {
            (
                format!(" {spin} {}", state.lang.pick("loading", "cargando")),
                format!(" {spin}"),
            )
        })
    };
    // The Group tab is the account's, not a team's.
    let team = if state.group.open {
        let n = state.teams.len();
        Some((
            t!(state.lang, " Group · {n} teams ", " Grupo · {n} equipos "),
            String::new(),
            false,
        ))
    } else {
        state.current_team().map(|t| {
            (
                format!(" {} ", t.name),
                format!("RFC {} ", t.rfc),
                !t.rfc.is_empty(),
            )
        })
    };
    // "3 teams changed since 19:40": what the last session did not see.
    let changed = state
        .group
        .changes
        .header
        .filter(|(n, _, _)| *n > 0)
        .map(|(n, since, now)| {
            let at = crate::app::data::changes::since_label(since, now, state.lang);
            let n_text = thousands(n);
            if n == 1 {
                t!(
                    state.lang,
                    " · 1 team changed since {at}",
                    " · 1 equipo cambió desde {at}"
                )
            } else {
                t!(
                    state.lang,
                    " · {n_text} teams changed since {at}",
                    " · {n_text} equipos cambiaron desde {at}"
                )
            }
        });
    let w = |s: &str| UnicodeWidthStr::width(s);
    let badges_w: usize = badges.iter().map(Span::width).sum();
    // What gives way, in order: the RFC, the word «loading», the brand; then the name is
    // shortened. The badges stay whole.
    let (mut rfc_on, mut long_loading, mut brand_on) = (true, true, true);
    let mut changed_on = changed.is_some();
    let need = |rfc_on: bool, long_loading: bool, brand_on: bool, changed_on: bool| {
        let brand = if brand_on { w(" gigdash ") } else { 0 };
        let team = match &team {
            Some((name, rfc, has_rfc)) => w(name) + if rfc_on && *has_rfc { w(rfc) } else { 0 },
            None => w(no_team_word(state)),
        };
        let load = match &loading {
            Some((long, short)) => w(if long_loading { long } else { short }),
            None => 0,
        };
        let news = match (&changed, changed_on) {
            (Some(c), true) => w(c),
            _ => 0,
        };
        brand + team + badges_w + load + news
    };
    let width = area.width as usize;
    for step in 0..4 {
        if need(rfc_on, long_loading, brand_on, changed_on) <= width {
            break;
        }
        match step {
            0 => rfc_on = false,
            1 => long_loading = false,
            2 => changed_on = false,
            _ => brand_on = false,
        }
    }
    let mut spans = Vec::new();
    if brand_on {
        spans.push(Span::styled(" gigdash ", theme.team_name()));
    }
    match &team {
        Some((name, rfc, has_rfc)) => {
            let over = need(rfc_on, long_loading, brand_on, changed_on).saturating_sub(width);
            spans.push(Span::styled(
                shorten(name, w(name).saturating_sub(over)),
                theme.team_name(),
            ));
            if rfc_on && *has_rfc {
                spans.push(Span::styled(rfc.clone(), theme.header()));
            }
        }
        None if state.teams_error.is_some() => {
            spans.push(Span::styled(no_team_word(state), theme.error()))
        }
        None => spans.push(Span::styled(no_team_word(state), theme.header())),
    }
    spans.extend(badges);
    if let Some((long, short)) = loading {
        spans.push(Span::styled(
            if long_loading { long } else { short },
            theme.accent(),
        ));
    }
    if let Some(c) = changed.filter(|_| changed_on) {
        spans.push(Span::styled(c, theme.accent()));
    }
    let line = Line::from(spans);
    let used = line.width() as u16;
    frame.render_widget(Paragraph::new(line), area);
    // The team's place in the list; the Group tab is every team's, so it has none.
    if let Some(i) = state.current_index().filter(|_| !state.group.open) {
        let (n, of) = (i + 1, thousands(state.teams.len()));
        let pos = t!(state.lang, "team {n} of {of} ", "equipo {n} de {of} ");
        let w = pos.chars().count() as u16;
        if area.width > used + w {
            let r = Rect {
                x: area.x + area.width - w,
                width: w,
                ..area
            };
            frame.render_widget(Paragraph::new(Span::styled(pos, theme.dim())), r);
        }
    }
}

pub fn draw_tabs(state: &State, frame: &mut Frame, area: Rect, theme: &Theme) {
    let active = (!state.group.open && !state.branches.open)
        .then(|| state.current_view().map(|v| v.tab).unwrap_or_default());
    // (key, title, active): the Group tab when the key reaches more than one team, a
    // team's five tabs, the Branches tab.
    let mut tabs: Vec<(String, &str, bool)> = Vec::new();
    if state.teams.len() > 1 {
        tabs.push((
            "0".into(),
            state.lang.pick("Group", "Grupo"),
            state.group.open,
        ));
    }
    for (i, tab) in Tab::ALL.iter().enumerate() {
        tabs.push((
            (i + 1).to_string(),
            tab.title(state.lang),
            Some(*tab) == active,
        ));
    }
    tabs.push((
        "6".into(),
        state.lang.pick("Branches", "Sucursales"),
        state.branches.open,
    ));
    // Wide separators when they fit; narrow ones on an 80-column terminal.
    let words: usize = tabs
        .iter()
        .map(|(k, t, _)| k.len() + 1 + UnicodeWidthStr::width(*t))
        .sum();
    let sep = if 1 + words + 3 * (tabs.len() - 1) <= area.width as usize {
        " │ "
    } else {
        "│"
    };
    let mut spans = vec![Span::raw(" ")];
    for (i, (k, title, on)) in tabs.into_iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled(sep, theme.dim()));
        }
        spans.push(Span::styled(format!("{k} "), theme.key()));
        spans.push(Span::styled(title, theme.tab(on)));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// `text` cut to `width` cells, ending in `… ` when cut.
fn shorten(text: &str, width: usize) -> String {
    if UnicodeWidthStr::width(text) <= width {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w + 2 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    if width >= 2 {
        out.push_str("… ");
    }
    out
}

/// The header's word before any team is shown: connecting, or — once the team list has
/// failed — that there is no connection (it keeps retrying; the status line says when).
fn no_team_word(state: &State) -> &'static str {
    if state.teams_error.is_some() {
        state.lang.pick(" not connected ", " sin conexión ")
    } else {
        state.lang.pick(" connecting… ", " conectando… ")
    }
}

/// When stored rows were read: `09:42` if the same day as `now` (the worker's clock when
/// the data came; Mexico City), else `2026-11-27 09:42`.
fn as_of_time(at: i64, now: i64) -> String {
    let tz = crate::clock::mexico_city();
    let Ok(ts) = jiff::Timestamp::from_second(at) else {
        return String::new();
    };
    let z = ts.to_zoned(tz.clone());
    let today = jiff::Timestamp::from_second(now)
        .unwrap_or(ts)
        .to_zoned(tz.clone())
        .date();
    if z.date() == today {
        z.strftime("%H:%M").to_string()
    } else {
        z.strftime("%Y-%m-%d %H:%M").to_string()
    }
}
