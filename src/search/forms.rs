//! Form keys: the same key for every inflected form of a Finnish word, so
//! that a form that is on no page finds the pages with another form.
//!
//! Snowball's Finnish stemmer (Pagefind's) keeps the forms of a word apart
//! where consonant gradation or a stem change alters the end of the stem:
//! `näkyvyys` → *näkyvyy*, `näkyvyyden` → *näkyvyyd*, `pelisäännöt` and
//! `pelisääntöjä` differ in `nn`/`nt`. A key strips a possessive suffix and
//! a case ending, then the stem's final vowels and `s`, `t`, `d`, `k` (the
//! letters that alternate there), and merges the gradation pairs (`kk`/`k`,
//! `nt`/`nn`, `d`/`t`, …): `näkyvyys`, `näkyvyyden`, `näkyvyydestä`,
//! `näkyvyyttä` → `näkyv`; `pelisäännöt`, `pelisääntöjä`,
//! `pelisäännöistä` → `pelisään`.
//!
//! Each page's keys are indexed in a meta field (`forms`) that is searched
//! but never shown; `search.js` searches the key of what is typed besides
//! the word itself. Both sides must compute the same key:
//! `themes/default/static/search.js` `formKey` is this, letter for letter.
//! Keys are rough on purpose (not a lemmatizer): a key that two unrelated
//! words share costs a low-ranked extra result, weighed below the word as
//! typed.

use std::collections::{BTreeSet, HashSet};

const POSSESSIVES: &[&str] = &["mme", "nne", "nsa", "nsä"];
const CASES: &[&str] = &[
    "itten", "iden", "issa", "issä", "ista", "istä", "illa", "illä", "ilta", "iltä", "ille",
    "iksi", "ihin", "seen", "ssa", "ssä", "sta", "stä", "lla", "llä", "lta", "ltä", "lle", "ksi",
    "tta", "ttä", "ien", "hin", "han", "hen", "hon", "hun", "hyn", "hän", "hön", "ja", "jä", "ia",
    "iä", "na", "nä", "ta", "tä", "en", "in", "an", "än", "n", "t",
];
const GRADATION: &[(&str, &str)] = &[
    ("kk", "k"),
    ("pp", "p"),
    ("tt", "t"),
    ("nn", "n"),
    ("nt", "n"),
    ("nk", "n"),
    ("ng", "n"),
    ("ll", "l"),
    ("lt", "l"),
    ("rr", "r"),
    ("rt", "r"),
    ("mm", "m"),
    ("mp", "m"),
    ("d", "t"),
];

/// `w` without the ending `end`, if at least `keep` letters are left.
fn cut<'a>(w: &'a str, end: &str, keep: usize) -> Option<&'a str> {
    let rest = w.strip_suffix(end)?;
    (rest.chars().count() >= keep).then_some(rest)
}

/// The form key of `word`; `None` for a word of fewer than five letters or
/// with letters other than `a`–`z`, `ä`, `ö`, `å`.
pub(crate) fn form_key(word: &str) -> Option<String> {
    let lower = word.to_lowercase();
    let letters = lower.chars().count();
    if letters < 5
        || !lower
            .chars()
            .all(|c| c.is_ascii_lowercase() || "äöå".contains(c))
    {
        return None;
    }
    let mut w: &str = &lower;
    if let Some(rest) = POSSESSIVES.iter().find_map(|p| cut(w, p, 5)) {
        w = rest;
    }
    let mut w = match cut(w, "nen", 3) {
        Some(rest) => format!("{rest}s"),
        None => CASES
            .iter()
            .find_map(|c| cut(w, c, 4))
            .unwrap_or(w)
            .to_string(),
    };
    while w.chars().count() > 4 && w.ends_with(|c: char| "aeiouyäöstdk".contains(c)) {
        w.pop();
    }
    for (from, to) in GRADATION {
        if w.contains(from) {
            w = w.replace(from, to);
        }
    }
    Some(w)
}

/// The form keys of the words in `texts` (HTML tags skipped) that differ
/// from the word itself, sorted and space-separated: the value of a page's
/// `forms` meta field.
pub(crate) fn page_keys<'a>(texts: impl IntoIterator<Item = &'a str>) -> String {
    // Each distinct word once: a page repeats most of its words, and a
    // key costs a lowercase copy and a dozen suffix tests.
    // A word of fewer than 5 bytes has fewer than 5 letters: no key.
    let distinct: HashSet<&str> = texts
        .into_iter()
        .flat_map(words)
        .filter(|w| w.len() >= 5)
        .collect();
    let mut keys = BTreeSet::new();
    MEMO.with_borrow_mut(|memo| {
        if memo.len() > MEMO_WORDS {
            memo.clear();
        }
        for word in distinct {
            let key = memo.entry(word.into()).or_insert_with(|| {
                form_key(word)
                    .filter(|k| *k != word.to_lowercase())
                    .map(Into::into)
            });
            if let Some(k) = key {
                keys.insert(k.clone());
            }
        }
    });
    keys.into_iter().collect::<Vec<_>>().join(" ")
}

/// Words remembered per thread by [`page_keys`], at most (about 100 bytes
/// each): a handbook's vocabulary is a small part of its words, so on a
/// large one most keys are looked up rather than computed.
const MEMO_WORDS: usize = 200_000;

thread_local! {
    /// Each word's key, or `None` where it has none (or it is the word).
    static MEMO: std::cell::RefCell<std::collections::HashMap<Box<str>, Option<Box<str>>>> =
        Default::default();
}

/// The words of `text`, outside HTML tags.
fn words(text: &str) -> impl Iterator<Item = &str> {
    let mut in_tag = false;
    text.split(move |c: char| {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ => return in_tag || !c.is_alphabetic(),
        }
        true
    })
    .filter(|w| !w.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(w: &str) -> String {
        form_key(w).unwrap_or_default()
    }

    #[test]
    fn forms_of_a_word_share_its_key_across_consonant_gradation() {
        for group in [
            &[
                "näkyvyys",
                "näkyvyyden",
                "näkyvyydestä",
                "näkyvyyttä",
                "näkyvyyteen",
            ][..],
            &[
                "pelisäännöt",
                "pelisääntöjä",
                "pelisääntöihin",
                "pelisäännöistä",
                "pelisäänöt",
            ],
            &["otsikko", "otsikot", "otsikon"],
            &["raportti", "raportin", "raportteja"],
            &["äänitys", "äänityksen", "äänitystä"],
            &["luonnos", "luonnoksen", "luonnosta"],
            &[
                "esiintyminen",
                "esiintymisen",
                "esiintymisestä",
                "esiintymistä",
            ],
            &["tavoite", "tavoitteet", "tavoitteita"],
            &["kanava", "kanavia", "kanavalla", "kanavien", "kanavasi"],
            &["messut", "messuilla", "messuille"],
            &["tapahtuma", "tapahtumaan", "tapahtumat"],
            &["mikrofoni", "mikrofonit", "mikrofonilla"],
            &["suunnitelma", "suunnitelmaan", "suunnitelmamme"],
            &["blogikirjoitus", "blogikirjoitukset", "blogikirjoituksen"],
        ] {
            let first = key(group[0]);
            for w in group {
                assert_eq!(key(w), first, "{w} in {group:?}");
            }
        }
        // The same pairs as `KEYS` in tests/suite/browser_search_recall.rs,
        // which asks search.js's `formKey`: the two must agree.
        for (w, k) in [
            ("näkyvyyden", "näkyv"),
            ("pelisääntöjä", "pelisään"),
            ("otsikot", "otsi"),
            ("esiintymisestä", "esiinym"),
            ("kanavien", "kanav"),
            ("raportin", "rapor"),
            ("suunnitelmamme", "suunitelm"),
            ("luonnoksen", "luon"),
        ] {
            assert_eq!(key(w), k, "{w}");
        }
    }

    #[test]
    fn short_words_and_other_letters_have_no_key() {
        assert_eq!(form_key("sää"), None);
        assert_eq!(form_key("rust"), None);
        assert_eq!(form_key("c3po-droid"), None);
        assert_eq!(form_key("Näkyvyys").as_deref(), Some("näkyv"));
    }

    #[test]
    fn a_page_lists_each_key_once_and_skips_markup() {
        let keys = page_keys([
            "<h2 id=\"näkyvyydestä\">Näkyvyys</h2><p>näkyvyyttä, pelisäännöt</p>",
            "kanava",
        ]);
        assert_eq!(keys, "kanav näkyv pelisään");
    }
}
