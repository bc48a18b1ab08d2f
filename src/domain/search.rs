//! The catalog's search text and queries: one normalisation for what is indexed and what is
//! typed, so SQLite FTS5 (trigram) and PostgreSQL pg_trgm find the same products.
//!
//! Indexed text is lowercased, every character that is not a letter or digit becomes a space,
//! runs of spaces collapse and the text is padded with one space at each end. A trigram index
//! finds any substring of three characters or more; shorter terms ("ai", "db", "云") are
//! matched as whole words (" ai "), and since Chinese is written without spaces, each Chinese
//! character and each pair of neighbouring characters are added to the text as words too.

/// How much search text one product contributes at most (characters per column), so the index
/// of one product stays bounded whatever its introduction holds.
pub const MAX_INDEX_CHARS: usize = 20_000;

/// Terms of one search that count; more are ignored (every term narrows the same query).
pub const MAX_TERMS: usize = 6;

/// A term shorter than this is matched as a whole word.
const TRIGRAM: usize = 3;

/// Chinese, Japanese and Korean scripts: written without spaces between words.
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF     // Hiragana, Katakana
        | 0x3400..=0x4DBF   // CJK Extension A
        | 0x4E00..=0x9FFF   // CJK Unified Ideographs
        | 0xAC00..=0xD7AF   // Hangul syllables
        | 0xF900..=0xFAFF   // CJK Compatibility Ideographs
        | 0x20000..=0x2FA1F // Extensions B–F, compatibility supplement
    )
}

/// Lowercased words, punctuation dropped.
fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
}

/// Tags inside a line of text: they do not separate words (`数据<b>库</b>` is one word).
const INLINE_TAGS: [&str; 8] = ["a", "b", "i", "em", "strong", "code", "span", "u"];

/// The text of sanitised HTML: block tags and entities become spaces (punctuation is dropped
/// anyway), inline tags disappear.
pub fn html_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    let mut tag = String::new();
    let mut in_entity = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                tag.clear();
            }
            '>' if in_tag => {
                in_tag = false;
                let name = tag
                    .trim_start_matches('/')
                    .split_whitespace()
                    .next()
                    .unwrap_or("")
                    .to_ascii_lowercase();
                if !INLINE_TAGS.contains(&name.as_str()) {
                    out.push(' ');
                }
            }
            c if in_tag => {
                if tag.len() < 16 && !tag.contains(' ') {
                    tag.push(if c.is_whitespace() { ' ' } else { c });
                }
            }
            '&' => {
                in_entity = true;
                out.push(' ');
            }
            ';' if in_entity => in_entity = false,
            c if in_entity && (c.is_ascii_alphanumeric() || c == '#') => {}
            c => {
                in_entity = false;
                out.push(c);
            }
        }
    }
    out
}

/// The search text of some plain-text parts: see the module's notes.
pub fn index_text(parts: &[&str]) -> String {
    let mut out = String::from(" ");
    let mut chars = 1;
    let mut grams: Vec<String> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    'parts: for part in parts {
        for word in words(part) {
            let n = word.chars().count();
            if chars + n + 1 > MAX_INDEX_CHARS {
                break 'parts;
            }
            chars += n + 1;
            out.push_str(&word);
            out.push(' ');
            let cs: Vec<char> = word.chars().collect();
            for (i, c) in cs.iter().enumerate() {
                if !is_cjk(*c) {
                    continue;
                }
                if seen.insert((*c, None)) {
                    grams.push(c.to_string());
                }
                if let Some(next) = cs.get(i + 1).filter(|n| is_cjk(**n)) {
                    if seen.insert((*c, Some(*next))) {
                        grams.push([*c, *next].iter().collect());
                    }
                }
            }
        }
    }
    for g in grams {
        let n = g.chars().count();
        if chars + n + 1 > MAX_INDEX_CHARS {
            break;
        }
        chars += n + 1;
        out.push_str(&g);
        out.push(' ');
    }
    out
}

/// One term of a search as the index is asked for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Term {
    /// Three characters or more: found anywhere in the text.
    Substring(String),
    /// Shorter: found as a whole word (padded with spaces in the pattern).
    Word(String),
}

impl Term {
    /// The text the index looks for, spaces included for a whole word.
    pub fn needle(&self) -> String {
        match self {
            Term::Substring(t) => t.clone(),
            Term::Word(w) => format!(" {w} "),
        }
    }

    /// SQLite FTS5: a quoted string, which the trigram tokenizer matches as a substring.
    pub fn fts5(&self) -> String {
        format!("\"{}\"", self.needle().replace('"', "\"\""))
    }

    /// PostgreSQL LIKE: `%needle%`, with LIKE's own characters escaped (backslash escape).
    pub fn like(&self) -> String {
        let mut p = String::from("%");
        for c in self.needle().chars() {
            if matches!(c, '%' | '_' | '\\') {
                p.push('\\');
            }
            p.push(c);
        }
        p.push('%');
        p
    }
}

/// The terms of what a visitor typed, normalised like the indexed text; at most `MAX_TERMS`,
/// duplicates dropped. Empty when nothing searchable was typed.
pub fn query_terms(typed: &str) -> Vec<Term> {
    let mut terms: Vec<Term> = Vec::new();
    for word in words(typed) {
        let term = if word.chars().count() >= TRIGRAM {
            Term::Substring(word)
        } else {
            Term::Word(word)
        };
        if !terms.contains(&term) {
            terms.push(term);
        }
        if terms.len() == MAX_TERMS {
            break;
        }
    }
    terms
}

/// The FTS5 MATCH expression for some terms: every term must be found.
pub fn fts5_expression(terms: &[Term]) -> String {
    terms
        .iter()
        .map(Term::fts5)
        .collect::<Vec<_>>()
        .join(" AND ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn indexed_text_is_lowercased_words_padded_with_spaces() {
        assert_eq!(
            index_text(&["Cloud-Backup: AI, DB!", "<b>x</b>"]),
            " cloud backup ai db b x b "
        );
    }

    #[test]
    fn chinese_characters_and_pairs_become_words() {
        let t = index_text(&["数据库 备份"]);
        assert!(t.starts_with(" 数据库 备份 "));
        for w in ["数", "据", "库", "数据", "据库", "备", "份", "备份"] {
            assert!(t.contains(&format!(" {w} ")), "{w} in {t}");
        }
    }

    #[test]
    fn html_loses_tags_and_entities() {
        let text = html_text("<p>Fast &amp; safe</p><ul><li>x</li></ul>");
        assert_eq!(
            text.split_whitespace().collect::<Vec<_>>(),
            ["Fast", "safe", "x"]
        );
        let text = html_text("<p>支持<strong>增量</strong>恢复</p><p>a<a href=\"x\">b</a></p>");
        assert_eq!(
            text.split_whitespace().collect::<Vec<_>>(),
            ["支持增量恢复", "ab"]
        );
    }

    #[test]
    fn short_terms_are_whole_words_and_long_ones_substrings() {
        assert_eq!(
            query_terms("AI backup 数据 备份系统 ai"),
            vec![
                Term::Word("ai".into()),
                Term::Substring("backup".into()),
                Term::Word("数据".into()),
                Term::Substring("备份系统".into()),
            ]
        );
        assert!(query_terms("  --  ").is_empty());
        assert_eq!(query_terms("a b c d e f g h").len(), MAX_TERMS);
    }

    #[test]
    fn patterns_escape_their_own_syntax() {
        assert_eq!(Term::Word("a".into()).like(), "% a %");
        assert_eq!(Term::Substring("abc".into()).fts5(), "\"abc\"");
        assert_eq!(
            fts5_expression(&query_terms("cloud ai")),
            "\"cloud\" AND \" ai \""
        );
    }

    #[test]
    fn the_index_text_is_bounded() {
        let long = "word ".repeat(50_000);
        assert!(index_text(&[&long]).chars().count() <= MAX_INDEX_CHARS);
    }

    proptest! {
        /// Whatever a product says, every word typed from it finds it.
        #[test]
        fn every_word_of_the_text_finds_it(text in "[a-zA-Z数据库云备份 ,.]{1,80}") {
            let indexed = index_text(&[&text]);
            for term in query_terms(&text) {
                prop_assert!(indexed.contains(&term.needle()), "{:?} in {:?}", term, indexed);
            }
        }

        /// Neither pattern ever carries a quote or LIKE wildcard unescaped.
        #[test]
        fn patterns_never_break_out(typed in "\\PC{0,40}") {
            for term in query_terms(&typed) {
                let fts = term.fts5();
                prop_assert!(fts.starts_with('"') && fts.ends_with('"'));
                prop_assert!(!fts[1..fts.len() - 1].replace("\"\"", "").contains('"'));
            }
        }
    }
}
