//! The brand most team names share ("Doña Lupe" in 48 branches named "Doña Lupe …") and
//! the part of a name that tells a branch apart: the tables say the brand once (in their
//! title) and show each branch by what differs, so no column is spent on the same words
//! 48 times. One rule for the Group tab and the all-teams tables.

/// The words at the start of at least two thirds of `names` (two names at least), as long
/// as some name goes on after them; `None` when no such words are shared.
pub fn brand<'a>(names: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let names: Vec<Vec<&str>> = names
        .into_iter()
        .map(|n| n.split_whitespace().collect())
        .collect();
    if names.len() < 2 {
        return None;
    }
    let need = (names.len() * 2).div_ceil(3).max(2);
    let mut best: Vec<&str> = Vec::new();
    // Grow the prefix a word at a time while enough names keep it (and go on after it).
    loop {
        let k = best.len();
        let mut counts: std::collections::HashMap<&str, usize> = Default::default();
        for n in &names {
            if n.len() > k + 1 && n[..k] == best[..] {
                *counts.entry(n[k]).or_default() += 1;
            }
        }
        match counts
            .into_iter()
            .max_by_key(|(w, c)| (*c, std::cmp::Reverse(*w)))
        {
            Some((w, c)) if c >= need => best.push(w),
            _ => break,
        }
    }
    (!best.is_empty()).then(|| best.join(" "))
}

/// What of `name` to show under `brand`: the words after it, or the whole name when it
/// does not start with the brand (the head office "Grupo Doña Lupe") or is only the brand.
pub fn distinct<'a>(name: &'a str, brand: Option<&str>) -> &'a str {
    let Some(brand) = brand else { return name };
    let trimmed = name.trim_start();
    match trimmed.strip_prefix(brand) {
        Some(rest) if rest.starts_with(char::is_whitespace) && !rest.trim().is_empty() => {
            rest.trim_start()
        }
        _ => name,
    }
}

/// A team's name on a row: its own part under `brand`, and — when another team has the
/// same name (`twin`) — its RFC, or its id when it has none (never an empty `()`).
pub fn row_name(name: &str, rfc: &str, id: &str, brand: Option<&str>, twin: bool) -> String {
    let own = distinct(name, brand);
    if !twin {
        return own.to_string();
    }
    let which = if rfc.trim().is_empty() { id } else { rfc };
    format!("{own} ({which})")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_words_most_branches_start_with_are_the_brand() {
        let names = [
            "Doña Lupe Angelópolis",
            "Doña Lupe Angelópolis 2",
            "Doña Lupe San Pedro Garza García 2",
            "Grupo Doña Lupe",
            "Doña Lupe Mérida Norte (nueva)",
        ];
        let b = brand(names).unwrap();
        assert_eq!(b, "Doña Lupe");
        assert_eq!(
            distinct("Doña Lupe Angelópolis 2", Some(&b)),
            "Angelópolis 2"
        );
        assert_eq!(distinct("Grupo Doña Lupe", Some(&b)), "Grupo Doña Lupe");
        assert_eq!(distinct("Doña Lupe", Some(&b)), "Doña Lupe");
        assert_eq!(distinct("Doña Lupezco", Some(&b)), "Doña Lupezco");
    }

    #[test]
    fn names_that_share_nothing_or_too_few_have_no_brand() {
        assert_eq!(brand(["Matriz", "Sucursal Norte", "Otra"]), None);
        assert_eq!(brand(["Solo"]), None);
        // One name in three is not most of them.
        assert_eq!(brand(["Acme Norte", "Beta Sur", "Gama Este"]), None);
        // A brand always leaves a word to show.
        assert_eq!(brand(["Matriz", "Matriz"]), None);
    }
}
