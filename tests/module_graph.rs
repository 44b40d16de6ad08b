//! Imports run one way: reads every `use crate::…` / `use super::…` line (and inline
//! `crate::…` paths) of `src/`, builds the module graph and fails on any cycle, naming it.
//!
//! Two levels are checked: files (`app::bulk` → `app::actions`) and the crate's top-level
//! modules (`api` → `i18n`). A `mod.rs` that re-exports a child (`pub use state::State`) is a
//! namespace, not a dependency: an importer of `crate::app::State` depends on `app::state`.
//! Only an ancestor's re-export is namespace: a file that re-exports a sibling's item
//! (`client.rs`: `pub use super::query::Resource`) is what `use super::client::Resource`
//! depends on, so a cycle through it is not hidden.
//!
//! `GIGDASH_PRINT_GRAPH=1 cargo test --test module_graph -- --nocapture` prints the graph.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

type Graph = BTreeMap<String, BTreeSet<String>>;

/// One source file: its module path (`app::state`, `` for lib.rs) and its text.
struct Source {
    module: String,
    text: String,
}

fn read_sources(root: &Path) -> Vec<Source> {
    fn walk(dir: &Path, root: &Path, out: &mut Vec<Source>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().flatten().collect();
        entries.sort_by_key(|e| e.path());
        for e in entries {
            let p = e.path();
            if p.is_dir() {
                walk(&p, root, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                let rel = p.strip_prefix(root).unwrap().with_extension("");
                let mut parts: Vec<String> = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                if parts.last().is_some_and(|l| l == "mod") {
                    parts.pop();
                }
                // The binary is not part of the library's graph.
                if parts == ["main"] || parts.first().is_some_and(|p| p == "bin") {
                    continue;
                }
                if parts == ["lib"] {
                    parts.clear();
                }
                out.push(Source {
                    module: parts.join("::"),
                    text: std::fs::read_to_string(&p).unwrap(),
                });
            }
        }
    }
    let mut out = Vec::new();
    walk(root, root, &mut out);
    out
}

/// The text without comments and string/char literals (they could hold `crate::` words).
fn strip(text: &str) -> String {
    let b: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let next = b.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < b.len() && b[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < b.len() {
                if b[i] == '/' && b.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if b[i] == '*' && b.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            out.push(' ');
        } else if c == 'r' && (next == Some('"') || next == Some('#')) && !prev_ident(&b, i) {
            // raw string r"…" or r#"…"#
            let mut j = i + 1;
            let mut hashes = 0;
            while j < b.len() && b[j] == '#' {
                hashes += 1;
                j += 1;
            }
            if b.get(j) != Some(&'"') {
                out.push(c);
                i += 1;
                continue;
            }
            j += 1;
            'raw: while j < b.len() {
                if b[j] == '"' {
                    let mut k = 0;
                    while k < hashes && b.get(j + 1 + k) == Some(&'#') {
                        k += 1;
                    }
                    if k == hashes {
                        j += 1 + hashes;
                        break 'raw;
                    }
                }
                j += 1;
            }
            out.push_str("\"\"");
            i = j;
        } else if c == '"' {
            i += 1;
            while i < b.len() && b[i] != '"' {
                if b[i] == '\\' {
                    i += 1;
                }
                i += 1;
            }
            i += 1;
            out.push_str("\"\"");
        } else if c == '\'' {
            // a char literal ('x', '\n', '\u{..}') or a lifetime ('a)
            if next == Some('\\') {
                let mut j = i + 2;
                while j < b.len() && b[j] != '\'' {
                    j += 1;
                }
                i = j + 1;
                out.push_str("' '");
            } else if b.get(i + 2) == Some(&'\'') {
                i += 3;
                out.push_str("' '");
            } else {
                out.push(c);
                i += 1;
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

fn prev_ident(b: &[char], i: usize) -> bool {
    i > 0 && (b[i - 1].is_alphanumeric() || b[i - 1] == '_')
}

/// Expands a use tree (`a::{b, c::{d, e as f}, self}`) into full paths.
fn expand(tree: &str) -> Vec<Vec<String>> {
    fn split_top(s: &str) -> Vec<&str> {
        let mut parts = Vec::new();
        let (mut depth, mut start) = (0, 0);
        for (i, c) in s.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    parts.push(&s[start..i]);
                    start = i + 1;
                }
                _ => {}
            }
        }
        parts.push(&s[start..]);
        parts
            .into_iter()
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect()
    }
    fn go(prefix: &[String], tree: &str, out: &mut Vec<Vec<String>>) {
        let tree = tree.trim();
        if let Some(open) = tree.find('{') {
            let head = tree[..open].trim().trim_end_matches("::");
            let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
            let mut p = prefix.to_vec();
            p.extend(
                head.split("::")
                    .filter(|s| !s.is_empty())
                    .map(|s| s.trim().to_string()),
            );
            for part in split_top(inner) {
                go(&p, part, out);
            }
        } else {
            let path = tree.split(" as ").next().unwrap_or(tree).trim();
            let mut p = prefix.to_vec();
            for seg in path.split("::").map(str::trim).filter(|s| !s.is_empty()) {
                if seg != "self" {
                    p.push(seg.to_string());
                }
            }
            out.push(p);
        }
    }
    let mut out = Vec::new();
    go(&[], tree, &mut out);
    out
}

struct Parsed {
    /// Every path this file names, made absolute (`crate` first) where it can be.
    paths: Vec<Vec<String>>,
    /// `pub use` re-exports: the name seen from outside → the absolute path it stands for.
    reexports: BTreeMap<String, Vec<String>>,
    /// `#[macro_export]` macros defined here.
    macros: Vec<String>,
    /// Modules this one re-exports whole (`pub use models::*`).
    globs: Vec<Vec<String>>,
    /// The text without comments, to tell which file defines a name behind a glob.
    code: String,
}

fn defines(code: &str, name: &str) -> bool {
    [
        "struct", "enum", "fn", "type", "trait", "const", "static", "mod",
    ]
    .iter()
    .any(|kw| {
        code.match_indices(&format!("{kw} {name}")).any(|(i, m)| {
            let after = code[i + m.len()..].chars().next();
            !after.is_some_and(|c| c.is_alphanumeric() || c == '_')
                && code[..i].trim_end().ends_with("pub")
                || code[..i].trim_end().ends_with(')')
        })
    })
}

fn absolute(module: &str, children: &BTreeSet<String>, path: &[String]) -> Option<Vec<String>> {
    let mut cur: Vec<String> = module
        .split("::")
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect();
    let first = path.first()?;
    let rest = &path[1..];
    match first.as_str() {
        "crate" => cur.clear(),
        "super" => {
            cur.pop();
            let mut i = 0;
            while rest.get(i).is_some_and(|s| s == "super") {
                cur.pop();
                i += 1;
            }
            let mut out = vec!["crate".to_string()];
            out.extend(cur);
            out.extend(rest[i..].iter().cloned());
            return Some(out);
        }
        "self" => {}
        // `use child::X` inside a module that declares `mod child;`
        other if children.contains(other) => {
            let mut out = vec!["crate".to_string()];
            out.extend(cur);
            out.extend(path.iter().cloned());
            return Some(out);
        }
        _ => return None,
    }
    let mut out = vec!["crate".to_string()];
    out.extend(cur);
    out.extend(rest.iter().cloned());
    Some(out)
}

/// `mod name { … }` blocks written inside a file: (start, end, name), byte offsets.
fn inline_modules(text: &str) -> Vec<(usize, usize, String)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(at) = text[from..].find("mod ") {
        let pos = from + at;
        from = pos + 4;
        if pos > 0 && (bytes[pos - 1].is_ascii_alphanumeric() || bytes[pos - 1] == b'_') {
            continue;
        }
        let name: String = text[pos + 4..]
            .trim_start()
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let after_name = text[pos + 4..].trim_start()[name.len()..].trim_start();
        if name.is_empty() || !after_name.starts_with('{') {
            continue;
        }
        let open = text.len() - after_name.len();
        let mut depth = 0;
        let mut end = text.len();
        for (i, c) in text[open..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = open + i;
                        break;
                    }
                }
                _ => {}
            }
        }
        out.push((open, end, name));
    }
    out
}

/// The module that code at `pos` of a file is in, counting inline `mod x { … }` blocks.
fn module_at(file_module: &str, spans: &[(usize, usize, String)], pos: usize) -> String {
    let mut m = file_module.to_string();
    for (start, end, name) in spans {
        if *start < pos && pos < *end {
            if !m.is_empty() {
                m.push_str("::");
            }
            m.push_str(name);
        }
    }
    m
}

/// The file module a path inside one of its inline modules belongs to.
fn outer(path: Vec<String>, file_module: &str, spans: &[(usize, usize, String)]) -> Vec<String> {
    let file: Vec<&str> = file_module.split("::").filter(|x| !x.is_empty()).collect();
    let inner = spans
        .iter()
        .any(|(_, _, n)| path.get(file.len() + 1) == Some(n));
    if inner && path[1..].starts_with(&file.iter().map(|x| x.to_string()).collect::<Vec<_>>()) {
        let mut p = path[..=file.len()].to_vec();
        p.push("*".into());
        p
    } else {
        path
    }
}

fn parse(src: &Source, children: &BTreeSet<String>) -> Parsed {
    let text = strip(&src.text);
    let spans = inline_modules(&text);
    let mut paths = Vec::new();
    let mut reexports = BTreeMap::new();
    let mut macros = Vec::new();
    let mut globs = Vec::new();
    let raw = &src.text;
    let mut search = 0;
    while let Some(at) = raw[search..].find("#[macro_export]") {
        let after = &raw[search + at..];
        if let Some(m) = after.find("macro_rules!") {
            let name: String = after[m + 12..]
                .trim_start()
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            macros.push(name);
        }
        search += at + 1;
    }
    // use statements, kept apart from the rest of the text
    let mut rest = String::with_capacity(text.len());
    let mut i = 0;
    let bytes = text.as_bytes();
    while i < text.len() {
        let at_word = (i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_'))
            && text[i..].starts_with("use ");
        if at_word {
            let end = text[i..].find(';').map(|e| i + e).unwrap_or(text.len());
            let stmt = &text[i + 4..end];
            let is_pub =
                text[..i].trim_end().ends_with("pub") || text[..i].trim_end().ends_with(')');
            let here = module_at(&src.module, &spans, i);
            for p in expand(stmt) {
                if let Some(abs) = absolute(&here, children, &p) {
                    let abs = outer(abs, &src.module, &spans);
                    if is_pub && abs.last().is_some_and(|l| l == "*") {
                        let mut m = abs.clone();
                        m.pop();
                        globs.push(m);
                    } else if is_pub && abs.len() >= 2 {
                        let name = p.last().unwrap().clone();
                        let stated = stmt
                            .split(',')
                            .find_map(|piece| {
                                let piece = piece.trim().trim_end_matches('}');
                                piece.split_once(" as ").and_then(|(l, r)| {
                                    (l.trim().rsplit("::").next() == Some(name.as_str()))
                                        .then(|| r.trim().to_string())
                                })
                            })
                            .unwrap_or(name);
                        reexports.insert(stated, abs.clone());
                    }
                    paths.push(abs);
                }
            }
            for _ in i..(end + 1).min(text.len()) {
                rest.push(' ');
            }
            i = end + 1;
        } else {
            let ch = text[i..].chars().next().unwrap();
            rest.push(ch);
            i += ch.len_utf8();
        }
    }
    // inline crate::a::b and super::a paths
    let mut starts: Vec<String> = vec!["crate::".into(), "super::".into(), "self::".into()];
    starts.extend(children.iter().map(|c| format!("{c}::")));
    for start_word in &starts {
        let start_word = start_word.as_str();
        let mut from = 0;
        while let Some(at) = rest[from..].find(start_word) {
            let pos = from + at;
            let before = rest[..pos].chars().last();
            // `pub(in crate::a)` names where an item is visible, not what it uses.
            let visibility = rest[..pos].trim_end().ends_with("(in");
            let ok =
                !visibility && !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':');
            let tail: String = rest[pos..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
                .collect();
            if ok {
                let segs: Vec<String> = tail
                    .split("::")
                    .filter(|s| !s.is_empty())
                    .map(String::from)
                    .collect();
                let here = module_at(&src.module, &spans, pos);
                if let Some(abs) = absolute(&here, children, &segs) {
                    paths.push(outer(abs, &src.module, &spans));
                }
            }
            from = pos + start_word.len();
        }
    }
    Parsed {
        paths,
        reexports,
        macros,
        globs,
        code: text,
    }
}

/// The file-level module graph of the sources (edges between distinct files only).
fn graph(sources: &[Source]) -> Graph {
    let modules: BTreeSet<String> = sources.iter().map(|s| s.module.clone()).collect();
    let children_of = |m: &str| -> BTreeSet<String> {
        modules
            .iter()
            .filter_map(|c| {
                let parent = c.rsplit_once("::").map(|(p, _)| p).unwrap_or("");
                (parent == m && !c.is_empty() && c != m)
                    .then(|| c.rsplit("::").next().unwrap().to_string())
            })
            .collect()
    };
    let parsed: BTreeMap<String, Parsed> = sources
        .iter()
        .map(|s| (s.module.clone(), parse(s, &children_of(&s.module))))
        .collect();
    let macros: BTreeMap<String, String> = parsed
        .iter()
        .flat_map(|(m, p)| p.macros.iter().map(move |name| (name.clone(), m.clone())))
        .collect();

    // crate::a::b::Name → the longest prefix of it that is a module (file).
    let owner = |path: &[String]| -> String {
        let segs = &path[1.min(path.len())..];
        (0..=segs.len())
            .rev()
            .map(|n| segs[..n].join("::"))
            .find(|m| modules.contains(m))
            .unwrap_or_default()
    };

    // crate::a::b::Name → the module (file) that owns Name, following re-exports.
    let resolve = |path: &[String]| -> Option<String> {
        let mut path: Vec<String> = path.to_vec();
        for _ in 0..8 {
            let segs = &path[1..];
            if segs.len() == 1
                && let Some(m) = macros.get(&segs[0])
            {
                return Some(m.clone());
            }
            let mut best = 0;
            for n in 0..=segs.len() {
                if modules.contains(&segs[..n].join("::")) {
                    best = n;
                }
            }
            let module = segs[..best].join("::");
            let via_glob = |name: &String| {
                parsed[&module].globs.iter().find_map(|g| {
                    let owner = g[1..].join("::");
                    let p = parsed.get(&owner)?;
                    (defines(&p.code, name) || p.reexports.contains_key(name)).then(|| {
                        let mut t = g.clone();
                        t.push(name.clone());
                        t
                    })
                })
            };
            // A re-export is namespace only where the re-exporting module is an ancestor of
            // the module the name comes from (a `mod.rs` or lib.rs lifting its child's item):
            // a file that re-exports a sibling's item is what its importers depend on.
            let target = segs
                .get(best)
                .and_then(|name| {
                    parsed[&module]
                        .reexports
                        .get(name)
                        .cloned()
                        .or_else(|| via_glob(name))
                })
                .filter(|target| {
                    let from = owner(target);
                    module.is_empty() || from == module || from.starts_with(&format!("{module}::"))
                });
            match target.as_ref() {
                Some(target) if target != &path => {
                    let mut next = target.clone();
                    next.extend(segs[best + 1..].iter().cloned());
                    path = next;
                }
                _ => return Some(module),
            }
        }
        None
    };

    let mut g = Graph::new();
    for s in sources {
        let edges = g.entry(s.module.clone()).or_default();
        let p = &parsed[&s.module];
        for path in &p.paths {
            // A re-export of one's own child is namespace, not a dependency.
            let is_glob = path.last().is_some_and(|l| l == "*")
                && p.globs.iter().any(|g| path[..path.len() - 1] == g[..]);
            let is_reexport_of_child = (is_glob || p.reexports.values().any(|r| r == path))
                && path.len() > s.module.split("::").filter(|x| !x.is_empty()).count() + 1
                && path[1..].starts_with(
                    &s.module
                        .split("::")
                        .filter(|x| !x.is_empty())
                        .map(String::from)
                        .collect::<Vec<_>>(),
                );
            if is_reexport_of_child {
                continue;
            }
            if let Some(target) = resolve(path)
                && target != s.module
                && !target.is_empty()
            {
                edges.insert(target);
            }
        }
    }
    g
}

/// Collapses a file graph onto the crate's top-level modules (`app::bulk` → `app`).
fn top_level(g: &Graph) -> Graph {
    let top = |m: &str| m.split("::").next().unwrap_or(m).to_string();
    let mut out = Graph::new();
    for (from, tos) in g {
        let entry = out.entry(top(from)).or_default();
        for to in tos {
            if top(to) != top(from) {
                entry.insert(top(to));
            }
        }
    }
    out
}

/// Every cycle of the graph, one per strongly connected component, as `a → b → a`.
fn cycles(g: &Graph) -> Vec<String> {
    // Tarjan's strongly connected components
    struct T<'a> {
        g: &'a Graph,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on: BTreeSet<&'a str>,
        next: usize,
        sccs: Vec<Vec<&'a str>>,
    }
    fn visit<'a>(t: &mut T<'a>, v: &'a str) {
        t.index.insert(v, t.next);
        t.low.insert(v, t.next);
        t.next += 1;
        t.stack.push(v);
        t.on.insert(v);
        for w in t.g.get(v).into_iter().flatten() {
            let w = w.as_str();
            if !t.index.contains_key(w) {
                visit(t, w);
                let lw = t.low[w];
                let lv = t.low.get_mut(v).unwrap();
                *lv = (*lv).min(lw);
            } else if t.on.contains(w) {
                let iw = t.index[w];
                let lv = t.low.get_mut(v).unwrap();
                *lv = (*lv).min(iw);
            }
        }
        if t.low[v] == t.index[v] {
            let mut scc = Vec::new();
            while let Some(w) = t.stack.pop() {
                t.on.remove(w);
                scc.push(w);
                if w == v {
                    break;
                }
            }
            if scc.len() > 1 {
                t.sccs.push(scc);
            }
        }
    }
    let mut t = T {
        g,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on: BTreeSet::new(),
        next: 0,
        sccs: Vec::new(),
    };
    for v in g.keys() {
        if !t.index.contains_key(v.as_str()) {
            visit(&mut t, v);
        }
    }
    // Name one concrete cycle inside each component: shortest path back to its first node.
    t.sccs
        .iter()
        .map(|scc| {
            let members: BTreeSet<&str> = scc.iter().copied().collect();
            let start = *members.iter().next().unwrap();
            let mut prev: BTreeMap<&str, &str> = BTreeMap::new();
            let mut queue = std::collections::VecDeque::from([start]);
            let mut end = None;
            'bfs: while let Some(v) = queue.pop_front() {
                for w in g.get(v).into_iter().flatten() {
                    let w = w.as_str();
                    if !members.contains(w) {
                        continue;
                    }
                    if w == start {
                        end = Some(v);
                        break 'bfs;
                    }
                    if !prev.contains_key(w) {
                        prev.insert(w, v);
                        queue.push_back(w);
                    }
                }
            }
            let mut path = vec![start];
            let mut v = end.unwrap_or(start);
            let mut back = vec![];
            while v != start {
                back.push(v);
                v = prev[v];
            }
            back.reverse();
            path.extend(back);
            path.push(start);
            let others = members.len();
            format!("{} (a knot of {others} modules)", path.join(" → "))
        })
        .collect()
}

fn src_sources() -> Vec<Source> {
    read_sources(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"))
}

fn print_graph(title: &str, g: &Graph) {
    println!("{title}");
    for (from, tos) in g {
        let tos: Vec<&str> = tos.iter().map(String::as_str).collect();
        println!("  {from:<18} → {}", tos.join(", "));
    }
}

#[test]
fn no_import_cycle_between_files_of_src() {
    let g = graph(&src_sources());
    if std::env::var_os("GIGDASH_PRINT_GRAPH").is_some() {
        print_graph("files:", &g);
    }
    let found = cycles(&g);
    assert!(
        found.is_empty(),
        "import cycles between files of src/:\n  {}",
        found.join("\n  ")
    );
}

#[test]
fn no_import_cycle_between_top_level_modules() {
    let g = top_level(&graph(&src_sources()));
    if std::env::var_os("GIGDASH_PRINT_GRAPH").is_some() {
        print_graph("top-level modules:", &g);
    }
    let found = cycles(&g);
    assert!(
        found.is_empty(),
        "import cycles between top-level modules of src/:\n  {}",
        found.join("\n  ")
    );
}

/// The features of `app/`: the modules directly in `src/app/features/` (a file or a folder;
/// a folder's files count as its feature). Each may use `state` and the helpers outside
/// `features/`, never a sibling feature and never `app::update`, which routes between them
/// (README, "Layout").
fn app_features(src: &Path) -> Vec<String> {
    let dir = src.join("app").join("features");
    assert!(dir.is_dir(), "src/app/features/ is missing");
    let mut out: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .filter_map(|e| {
            let p = e.path();
            let name = if p.is_dir() {
                p.file_name()?.to_string_lossy().into_owned()
            } else if p.extension().is_some_and(|x| x == "rs") {
                p.file_stem()?.to_string_lossy().into_owned()
            } else {
                return None;
            };
            (name != "mod").then(|| format!("app::features::{name}"))
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

/// The feature a module belongs to (`app::features::group::view` → `app::features::group`),
/// or `app::update` for anything under it, or the module itself.
fn collapse<'a>(module: &'a str, features: &'a [String]) -> &'a str {
    let under = |m: &str, f: &str| m == f || m.starts_with(&format!("{f}::"));
    if under(module, "app::update") {
        return "app::update";
    }
    features
        .iter()
        .find(|f| under(module, f))
        .map(String::as_str)
        .unwrap_or(module)
}

#[test]
fn app_features_never_use_a_sibling_nor_update() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let features = app_features(&src);
    assert!(!features.is_empty(), "src/app/features/ holds no feature");
    let wrong = feature_violations(&graph(&read_sources(&src)), &features);
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Every use of a sibling feature or of `update` by a feature, named.
fn feature_violations(g: &Graph, features: &[String]) -> Vec<String> {
    let mut wrong = BTreeSet::new();
    for (from, uses) in g {
        let f = collapse(from, features);
        if !features.iter().any(|x| x == f) {
            continue;
        }
        for u in uses {
            let to = collapse(u, features);
            if to == "app::update" || (to != f && features.iter().any(|x| x == to)) {
                wrong.insert(format!("{f} uses {to} ({from} → {u})"));
            }
        }
    }
    wrong.into_iter().collect()
}

#[test]
fn a_feature_using_a_sibling_or_update_is_named() {
    let g = graph(&fake(&[
        ("", "pub mod app;"),
        ("app", "pub mod features;\npub mod state;\npub mod update;"),
        ("app::state", "pub struct State;"),
        ("app::update", "pub fn route() {}"),
        (
            "app::features",
            "pub mod bulk;\npub mod group;\npub mod writes;",
        ),
        (
            "app::features::group",
            "pub mod view;\nuse crate::app::state::State;",
        ),
        // a feature folder's own child is the feature itself, not a sibling
        (
            "app::features::group::view",
            "use crate::app::features::group::helper;",
        ),
        (
            "app::features::writes",
            "use crate::app::features::bulk::open;",
        ),
        (
            "app::features::bulk",
            "pub fn open() {}\nfn f() { crate::app::update::route() }",
        ),
    ]));
    let features: Vec<String> = ["bulk", "group", "writes"]
        .iter()
        .map(|f| format!("app::features::{f}"))
        .collect();
    let wrong = feature_violations(&g, &features);
    assert_eq!(
        wrong,
        vec![
            "app::features::bulk uses app::update (app::features::bulk → app::update)".to_string(),
            "app::features::writes uses app::features::bulk (app::features::writes → app::features::bulk)"
                .to_string(),
        ],
        "{wrong:?}"
    );
}

fn fake(files: &[(&str, &str)]) -> Vec<Source> {
    files
        .iter()
        .map(|(m, t)| Source {
            module: m.to_string(),
            text: t.to_string(),
        })
        .collect()
}

#[test]
fn a_cycle_through_super_is_found_and_named() {
    let g = graph(&fake(&[
        ("", "pub mod app;"),
        ("app", "pub mod a;\npub mod b;\npub use a::Thing;"),
        ("app::a", "use super::b::{self, helper};\npub struct Thing;"),
        ("app::b", "use crate::app::Thing;\npub fn helper() {}"),
    ]));
    let found = cycles(&g);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].starts_with("app::a → app::b → app::a"),
        "{found:?}"
    );
}

#[test]
fn a_cycle_between_folders_is_found_at_the_top_level() {
    let g = graph(&fake(&[
        ("", "pub mod api;\npub mod i18n;"),
        ("api", "pub mod error;\npub mod time;"),
        ("api::error", "use crate::i18n::Lang;"),
        ("api::time", "pub fn now() {}"),
        (
            "i18n",
            "pub enum Lang {}\nfn f() { crate::api::time::now() }",
        ),
    ]));
    assert!(cycles(&g).is_empty(), "no cycle between files");
    let top = cycles(&top_level(&g));
    assert_eq!(
        top,
        vec!["api → i18n → api (a knot of 2 modules)".to_string()]
    );
}

#[test]
fn reexports_resolve_to_the_owner_and_comments_do_not_count() {
    let g = graph(&fake(&[
        ("", "pub mod app;"),
        (
            "app",
            "mod state;\nmod update;\npub use state::State;\npub use update::update;",
        ),
        (
            "app::state",
            "// use crate::app::update;\npub struct State;\nconst S: &str = \"crate::app::update\";",
        ),
        (
            "app::update",
            "use crate::app::State;\npub fn update(_: &State) {}",
        ),
    ]));
    assert!(cycles(&g).is_empty(), "{g:?}");
    assert_eq!(
        g["app::update"],
        BTreeSet::from(["app::state".to_string()]),
        "{g:?}"
    );
}

#[test]
fn a_visibility_path_is_not_an_import() {
    let g = graph(&fake(&[
        ("", "pub mod a;"),
        ("a", "mod b;\npub fn route() { b::f() }"),
        ("a::b", "pub(in crate::a) fn f() {}"),
    ]));
    assert!(cycles(&g).is_empty(), "{g:?}");
}

#[test]
fn a_type_in_mod_rs_used_by_its_child_that_it_uses_back_is_a_cycle() {
    let g = graph(&fake(&[
        ("", "pub mod app;"),
        (
            "app",
            "pub mod actions;\npub enum Update { Done(actions::WriteRequest) }",
        ),
        (
            "app::actions",
            "use super::Update;\npub struct WriteRequest;",
        ),
    ]));
    let found = cycles(&g);
    assert_eq!(found.len(), 1, "{g:?}");
}

#[test]
fn a_sibling_reexport_is_a_dependency_not_a_namespace() {
    // The shape of api/ before issue 19: cache imports `Resource` through client's
    // `pub use` of a sibling, and client uses cache: a real cycle, not a namespace.
    let g = graph(&fake(&[
        ("", "pub mod api;"),
        (
            "api",
            "pub mod cache;\npub mod client;\npub mod query;\npub use client::{ApiClient, ListQuery, Resource};",
        ),
        ("api::query", "pub struct ListQuery;\npub enum Resource {}"),
        (
            "api::client",
            "use super::cache::Cache;\npub use super::query::{ListQuery, Resource};\npub struct ApiClient { cache: Cache }",
        ),
        (
            "api::cache",
            "use super::client::Resource;\npub struct Cache;",
        ),
    ]));
    let found = cycles(&g);
    assert_eq!(
        found,
        vec!["api::cache → api::client → api::cache (a knot of 2 modules)".to_string()],
        "{g:?}"
    );
}

#[test]
fn a_parent_reexport_of_its_child_stays_a_namespace() {
    // The same names once query owns them and mod.rs lifts them: no cycle, and an importer
    // of `crate::api::Resource` depends on api::query, not on api (mod.rs) or client.
    let g = graph(&fake(&[
        ("", "pub mod api;\npub mod worker;"),
        (
            "api",
            "pub mod cache;\npub mod client;\npub mod query;\npub use client::ApiClient;\npub use query::{ListQuery, Resource};",
        ),
        ("api::query", "pub struct ListQuery;\npub enum Resource {}"),
        (
            "api::client",
            "use super::cache::Cache;\nuse super::query::{ListQuery, Resource};\npub struct ApiClient { cache: Cache }",
        ),
        (
            "api::cache",
            "use super::query::Resource;\npub struct Cache;",
        ),
        ("worker", "use crate::api::{ApiClient, Resource};"),
    ]));
    assert!(cycles(&g).is_empty(), "{g:?}");
    assert_eq!(
        g["worker"],
        BTreeSet::from(["api::client".to_string(), "api::query".to_string()]),
        "{g:?}"
    );
}

#[test]
fn a_feature_folder_counts_as_one_feature() {
    let features = vec![
        "app::features::bulk".to_string(),
        "app::features::group".to_string(),
    ];
    assert_eq!(
        collapse("app::features::group::view", &features),
        "app::features::group"
    );
    assert_eq!(
        collapse("app::features::bulk", &features),
        "app::features::bulk"
    );
    assert_eq!(collapse("app::update::route", &features), "app::update");
    assert_eq!(collapse("app::state", &features), "app::state");
}
