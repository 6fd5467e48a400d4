//! Full-text search terms: how a post's or a message's text becomes the terms
//! of the search index, how a query becomes the terms it must match, and where
//! a query's words appear in a text (for highlighting). Pure functions, so the
//! index behaves identically on SQLite and PostgreSQL: the databases only store
//! and compare strings (byte-wise), never tokenize.
//!
//! - Text is normalised to NFKC and lower-cased, then split into words: maximal
//!   runs of letters, digits and combining marks, also cut where the script
//!   changes between CJK (Han, Hiragana, Katakana, Hangul) and the rest, so
//!   `서울Seoul` is two words. Punctuation, symbols and emoji separate words.
//! - A non-CJK word is one term; a query word matches every term it is a prefix
//!   of (`hel` finds `hello`), which the store does with a byte range.
//! - A CJK word (Korean, Chinese, Japanese: no spaces between words, particles
//!   glued on) is indexed as its character bigrams plus its last character, and
//!   a query word is cut into the same bigrams (one character: itself, matched
//!   as a prefix), so `안녕` finds `안녕하세요` and `서울` finds `서울에서`.
//! - A document matches when every query term matches (AND).
//!
//! Terms are at most [`MAX_TERM_CHARS`] characters (longer words are cut, in
//! the index and in queries alike, so prefix matching still works), and a
//! query keeps at most [`MAX_QUERY_TERMS`] distinct terms.

use std::ops::Range;
use unicode_normalization::UnicodeNormalization;

/// Longest term stored or looked up, in characters.
pub const MAX_TERM_CHARS: usize = 64;
/// Most distinct terms a query is matched on; the rest are ignored.
pub const MAX_QUERY_TERMS: usize = 16;

/// True for the scripts written without spaces between words, searched by bigrams.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x11FF      // Hangul Jamo
        | 0x3130..=0x318F    // Hangul Compatibility Jamo
        | 0xA960..=0xA97F    // Hangul Jamo Extended-A
        | 0xAC00..=0xD7AF    // Hangul Syllables
        | 0xD7B0..=0xD7FF    // Hangul Jamo Extended-B
        | 0x3040..=0x309F    // Hiragana
        | 0x30A0..=0x30FF    // Katakana
        | 0x31F0..=0x31FF    // Katakana Phonetic Extensions
        | 0xFF66..=0xFF9F    // Halfwidth Katakana
        | 0x3400..=0x4DBF    // CJK Extension A
        | 0x4E00..=0x9FFF    // CJK Unified Ideographs
        | 0xF900..=0xFAFF    // CJK Compatibility Ideographs
        | 0x20000..=0x3FFFF  // CJK Extensions B.. (planes 2 and 3)
    )
}

/// A character that belongs inside a word: a letter, a digit, or a combining
/// mark (which keeps decomposed accents and Indic vowel signs in their word).
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_mark(c)
}

fn is_mark(c: char) -> bool {
    matches!(c as u32,
        0x0300..=0x036F | 0x0483..=0x0489 | 0x0591..=0x05BD | 0x0610..=0x061A
        | 0x064B..=0x065F | 0x0900..=0x0903 | 0x093A..=0x094F | 0x0E31 | 0x0E34..=0x0E3A
        | 0x0E47..=0x0E4E | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF
        | 0x302A..=0x302F | 0x3099..=0x309A | 0xFE20..=0xFE2F
    )
}

/// One word of a text: its normalised form and where it is in the original
/// (byte offsets into the text that was split).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub norm: String,
    pub range: Range<usize>,
    pub cjk: bool,
}

/// NFKC, then lower case.
pub fn normalize(s: &str) -> String {
    s.nfkc().flat_map(char::to_lowercase).collect()
}

/// The words of `text`, in order, with their byte ranges in `text`. Splitting
/// happens on the original characters (so ranges are exact); each word is then
/// normalised, and a word whose normalised form has no word character left is
/// dropped.
pub fn words(text: &str) -> Vec<Word> {
    let mut out = Vec::new();
    let mut start: Option<(usize, bool)> = None;
    let push = |from: usize, to: usize, cjk: bool, out: &mut Vec<Word>| {
        let norm: String = normalize(&text[from..to])
            .chars()
            .filter(|&c| is_word_char(c))
            .collect();
        if !norm.is_empty() {
            out.push(Word {
                norm,
                range: from..to,
                cjk,
            });
        }
    };
    for (i, c) in text.char_indices() {
        let word = is_word_char(c);
        // A mark joins whatever word it follows.
        let cjk = match start {
            Some((_, script)) if is_mark(c) => script,
            _ => is_cjk(c),
        };
        match start {
            Some((from, script)) if !word || script != cjk => {
                push(from, i, script, &mut out);
                start = word.then_some((i, cjk));
            }
            None if word => start = Some((i, cjk)),
            _ => {}
        }
    }
    if let Some((from, script)) = start {
        push(from, text.len(), script, &mut out);
    }
    out
}

fn truncate(s: &str) -> String {
    s.chars().take(MAX_TERM_CHARS).collect()
}

fn bigrams(word: &str) -> Vec<String> {
    let chars: Vec<char> = word.chars().collect();
    chars.windows(2).map(|w| w.iter().collect()).collect()
}

/// The distinct terms `text` is indexed under, sorted.
pub fn index_terms(text: &str) -> Vec<String> {
    let mut terms = Vec::new();
    for w in words(text) {
        if w.cjk {
            terms.extend(bigrams(&w.norm));
            if let Some(last) = w.norm.chars().last() {
                terms.push(last.to_string());
            }
        } else {
            terms.push(truncate(&w.norm));
        }
    }
    terms.sort();
    terms.dedup();
    terms
}

/// A parsed query: the terms the store matches (each as a prefix) and the
/// normalised words, kept for highlighting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    pub terms: Vec<String>,
    pub words: Vec<Word>,
}

impl Query {
    /// Parses `q`; `None` when it has no word at all (only punctuation,
    /// symbols or spaces).
    pub fn parse(q: &str) -> Option<Self> {
        let words = words(q);
        let mut terms: Vec<String> = Vec::new();
        for w in &words {
            let mut add = |t: String| {
                if !terms.contains(&t) && terms.len() < MAX_QUERY_TERMS {
                    terms.push(t);
                }
            };
            if w.cjk && w.norm.chars().count() > 1 {
                for b in bigrams(&w.norm) {
                    add(b);
                }
            } else {
                add(truncate(&w.norm));
            }
        }
        // A term that is a prefix of another adds nothing to an AND of prefixes.
        let all = terms.clone();
        terms.retain(|t| !all.iter().any(|o| o != t && o.starts_with(t.as_str())));
        (!terms.is_empty()).then_some(Self { terms, words })
    }

    /// Where this query's words appear in `text`, as sorted, merged UTF-16
    /// code-unit ranges (what JavaScript's string indices count). A non-CJK
    /// query word marks the start of each word it is a prefix of; a CJK one
    /// marks where it appears inside a word. When normalisation changed a
    /// word's length (a ligature, a full-width form), the whole word is marked.
    pub fn highlights(&self, text: &str) -> Vec<(usize, usize)> {
        let mut byte_ranges: Vec<Range<usize>> = Vec::new();
        for w in words(text) {
            let original = &text[w.range.clone()];
            let one_to_one = original.chars().count() == w.norm.chars().count()
                && original.chars().all(is_word_char);
            for q in &self.words {
                let q_norm = truncate(&q.norm);
                let found: Vec<(usize, usize)> = if w.cjk == q.cjk && q.cjk {
                    char_matches(&w.norm, &q_norm)
                } else if !w.cjk && !q.cjk && w.norm.starts_with(q_norm.as_str()) {
                    vec![(0, q_norm.chars().count())]
                } else {
                    Vec::new()
                };
                for (from, to) in found {
                    if one_to_one {
                        let b = |n: usize| {
                            original
                                .char_indices()
                                .nth(n)
                                .map_or(original.len(), |(i, _)| i)
                        };
                        byte_ranges.push(w.range.start + b(from)..w.range.start + b(to));
                    } else {
                        byte_ranges.push(w.range.clone());
                    }
                }
            }
        }
        byte_ranges.sort_by_key(|r| (r.start, r.end));
        let mut merged: Vec<Range<usize>> = Vec::new();
        for r in byte_ranges {
            match merged.last_mut() {
                Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
                _ => merged.push(r),
            }
        }
        merged
            .into_iter()
            .map(|r| (utf16_len(&text[..r.start]), utf16_len(&text[..r.end])))
            .collect()
    }
}

/// Every (char) position where `needle` occurs in `hay`, as char ranges.
fn char_matches(hay: &str, needle: &str) -> Vec<(usize, usize)> {
    let hay: Vec<char> = hay.chars().collect();
    let needle: Vec<char> = needle.chars().collect();
    if needle.is_empty() || needle.len() > hay.len() {
        return Vec::new();
    }
    (0..=hay.len() - needle.len())
        .filter(|&i| hay[i..i + needle.len()] == needle[..])
        .map(|i| (i, i + needle.len()))
        .collect()
}

fn utf16_len(s: &str) -> usize {
    s.chars().map(char::len_utf16).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(q: &str) -> Vec<String> {
        Query::parse(q).map(|q| q.terms).unwrap_or_default()
    }

    /// What the store does: every query term is a prefix of some indexed term.
    fn matches(text: &str, q: &str) -> bool {
        let index = index_terms(text);
        let Some(query) = Query::parse(q) else {
            return false;
        };
        query
            .terms
            .iter()
            .all(|t| index.iter().any(|i| i.starts_with(t.as_str())))
    }

    #[test]
    fn english_words_are_lower_cased_terms() {
        assert_eq!(index_terms("Hello, World! hello"), ["hello", "world"]);
        assert!(matches("Hello world", "hel"));
        assert!(matches("Hello world", "WORLD hello"));
        assert!(!matches("Hello world", "help"));
        assert!(!matches("Hello world", "hello there"));
    }

    #[test]
    fn korean_is_searched_by_bigrams() {
        assert!(matches("안녕하세요 여러분", "안녕"));
        assert!(matches("서울에서 만나요", "서울"));
        assert!(matches("서울에서 만나요", "서"));
        assert!(matches("도서", "서"));
        assert!(matches("오늘 서울에서 만나요", "서울 만나"));
        assert!(!matches("서울에서 만나요", "부산"));
        assert!(!matches("서울에서", "울서"));
        assert_eq!(terms("서울역"), ["서울", "울역"]);
    }

    #[test]
    fn scripts_split_words_and_nfkc_folds_forms() {
        let w: Vec<String> = words("서울Seoul 2024년")
            .into_iter()
            .map(|w| w.norm)
            .collect();
        assert_eq!(w, ["서울", "seoul", "2024", "년"]);
        // Full-width Latin and a ligature become plain letters.
        assert!(matches("ＨＥＬＬＯ ﬁle", "hello file"));
        assert!(matches("Straße", "STRAßE"));
        assert!(matches("日本語のテキスト", "日本"));
        assert!(matches("カタカナ", "カタ"));
    }

    #[test]
    fn queries_without_words_are_none() {
        for q in ["", "   ", "%_\\", "'; DROP TABLE posts; --", "😀🎉", "!!!"] {
            assert!(
                Query::parse(q).is_none() || q.contains("DROP"),
                "{q:?} parsed"
            );
        }
        assert_eq!(terms("'; DROP TABLE posts; --"), ["drop", "table", "posts"]);
        assert_eq!(terms("a%b_c"), ["a", "b", "c"]);
    }

    #[test]
    fn query_terms_are_bounded_and_prefixes_collapse() {
        let long = "가나다라마바사아자차카타파하".repeat(10);
        assert!(terms(&long).len() <= MAX_QUERY_TERMS);
        assert_eq!(terms("hel hello"), ["hello"]);
        let word = "x".repeat(500);
        assert_eq!(terms(&word), [truncate(&word)]);
        assert!(matches(&word, &word));
    }

    #[test]
    fn highlights_are_utf16_ranges() {
        let q = Query::parse("hel").expect("query");
        assert_eq!(q.highlights("Hello help"), [(0, 3), (6, 9)]);
        // An emoji outside the BMP is two UTF-16 code units.
        assert_eq!(q.highlights("😀 Hello"), [(3, 6)]);
        let q = Query::parse("서울").expect("query");
        assert_eq!(q.highlights("나는 서울에서"), [(3, 5)]);
        let q = Query::parse("hello world").expect("query");
        assert_eq!(q.highlights("hello, world"), [(0, 5), (7, 12)]);
        // Full-width letters map one to one; a ligature changes the length,
        // so its word is marked whole.
        let q = Query::parse("he").expect("query");
        assert_eq!(q.highlights("ＨＥＬＬＯ"), [(0, 2)]);
        let q = Query::parse("fi").expect("query");
        assert_eq!(q.highlights("a ﬁle"), [(2, 5)]);
    }

    #[test]
    fn index_and_query_agree_on_every_word_of_a_text() {
        // Every word of a text, used as a query, finds the text (a
        // deterministic sweep over mixed scripts instead of a proptest).
        let texts = [
            "Hello, World! Parley는 서울에서 만든 chat app 😀 입니다",
            "日本語のテキストとKatakana カタカナ ＡＢＣ ﬁne café",
            "Ünïcödé ÇA VA? 2024년 12월 7일",
        ];
        for text in texts {
            for w in words(text) {
                assert!(
                    matches(text, &text[w.range.clone()]),
                    "{:?} in {text:?}",
                    w.norm
                );
                let q = Query::parse(&text[w.range.clone()]).expect("a word parses");
                assert!(!q.highlights(text).is_empty(), "{:?} highlighted", w.norm);
            }
        }
    }
}
