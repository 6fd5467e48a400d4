//! What people write: post, comment and chat message text rules, and the hashtags and
//! @mentions found in it. Extraction runs on the server on every create and
//! edit, so clients cannot invent tags that are not in the text.

use std::collections::HashSet;

/// Longest hashtag kept (longer runs are cut, as Mastodon does).
const MAX_TAG_CHARS: usize = 100;

/// Trims `raw` and checks it holds 1..=`max` characters (characters, not bytes:
/// 500 Korean characters are as fine as 500 Latin ones).
fn bounded_text(raw: &str, max: usize) -> Result<String, String> {
    let text = raw.trim();
    if text.is_empty() {
        return Err("must not be empty".into());
    }
    if text.chars().count() > max {
        return Err(format!("must be at most {max} characters"));
    }
    if text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return Err("must not contain control characters".into());
    }
    Ok(text.to_owned())
}

/// A post: 1–500 characters after trimming.
pub fn parse_post_text(raw: &str) -> Result<String, String> {
    bounded_text(raw, 500)
}

/// A comment: 1–1000 characters after trimming.
pub fn parse_comment_text(raw: &str) -> Result<String, String> {
    bounded_text(raw, 1000)
}

/// Longest chat message, in characters.
pub const MAX_MESSAGE_CHARS: usize = 4000;

/// A chat message: not blank, at most [`MAX_MESSAGE_CHARS`] characters.
/// Leading whitespace is kept (indented code, ASCII art); trailing is not.
pub fn parse_message_text(raw: &str) -> Result<String, String> {
    if raw.trim().is_empty() {
        return Err("must not be empty".into());
    }
    if raw.chars().count() > MAX_MESSAGE_CHARS {
        return Err(format!("must be at most {MAX_MESSAGE_CHARS} characters"));
    }
    Ok(raw.trim_end().to_owned())
}

fn is_tag_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Whether the character before a `#` or `@` lets a tag or mention start: not
/// in the middle of a word (`abc#def`, `me@example.com` are not tags/mentions).
fn boundary_before(prev: Option<char>) -> bool {
    prev.is_none_or(|p| !(is_tag_char(p) || p == '#' || p == '@' || p == '&' || p == '/'))
}

/// Runs of tag characters that follow `sigil` at a word boundary, in order.
fn sigil_runs(text: &str, sigil: char) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut runs = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == sigil && boundary_before(i.checked_sub(1).map(|p| chars[p])) {
            let start = i + 1;
            let mut end = start;
            while end < chars.len() && is_tag_char(chars[end]) {
                end += 1;
            }
            if end > start {
                runs.push(chars[start..end].iter().collect());
            }
            i = end.max(i + 1);
        } else {
            i += 1;
        }
    }
    runs
}

/// Hashtags in `text`: `#` then Unicode letters, digits or `_` (so `#안녕`,
/// `#Rust`, `#under_score1`), ended by anything else. Lower-cased, unique, in
/// order of first appearance. Like Mastodon, an all-digit run (`#1`) is not a
/// tag: it is a number.
pub fn extract_hashtags(text: &str) -> Vec<String> {
    let mut seen = HashSet::new();
    sigil_runs(text, '#')
        .into_iter()
        .filter(|run| run.chars().any(|c| !c.is_numeric()))
        .map(|run| {
            run.chars()
                .take(MAX_TAG_CHARS)
                .collect::<String>()
                .to_lowercase()
        })
        .filter(|tag| seen.insert(tag.clone()))
        .collect()
}

/// Usernames mentioned as `@username` (3–30 of `[a-z0-9_]`, any case),
/// lower-cased and unique. Email addresses are not mentions.
pub fn extract_mentions(text: &str) -> Vec<String> {
    let mut seen = HashSet::new();
    sigil_runs(text, '@')
        .into_iter()
        .map(|run| run.to_lowercase())
        .filter(|name| {
            (3..=30).contains(&name.len())
                && name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        })
        .filter(|name| seen.insert(name.clone()))
        .collect()
}

/// A hashtag given in a URL or search box: an optional leading `#`, then tag
/// characters only; lower-cased.
pub fn parse_tag(raw: &str) -> Result<String, String> {
    let tag = raw.trim().trim_start_matches('#');
    if tag.is_empty() || tag.chars().count() > MAX_TAG_CHARS || !tag.chars().all(is_tag_char) {
        return Err("must be a hashtag: letters, digits or _".into());
    }
    Ok(tag.to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_text_keeps_its_indent_and_counts_characters() {
        assert_eq!(parse_message_text("  code\n").as_deref(), Ok("  code"));
        assert!(parse_message_text(" \n\t ").is_err());
        assert!(parse_message_text(&"가".repeat(MAX_MESSAGE_CHARS)).is_ok());
        assert!(parse_message_text(&"a".repeat(MAX_MESSAGE_CHARS + 1)).is_err());
    }

    #[test]
    fn hashtags_in_any_script() {
        assert_eq!(
            extract_hashtags("Hello #Rust and #안녕, #under_score1! #rust again #東京"),
            vec!["rust", "안녕", "under_score1", "東京"]
        );
        assert_eq!(
            extract_hashtags("punctuation ends it: #tag.next #a-b"),
            vec!["tag", "a"]
        );
        assert_eq!(
            extract_hashtags("no#tag here, ## nor # alone, #123 is a number"),
            Vec::<String>::new()
        );
        assert_eq!(extract_hashtags("#2024년"), vec!["2024년"]);
        assert_eq!(extract_hashtags("(#paren) #ÉTÉ"), vec!["paren", "été"]);
        assert_eq!(
            extract_hashtags(&format!("#{}", "a".repeat(150)))[0].len(),
            100
        );
    }

    #[test]
    fn mentions() {
        assert_eq!(
            extract_mentions("hi @Alice and @bob_2, mail me@example.com, @al @alice"),
            vec!["alice", "bob_2"]
        );
        assert_eq!(extract_mentions("@안녕하세요"), Vec::<String>::new());
    }

    #[test]
    fn text_limits_count_characters() {
        assert_eq!(parse_post_text("  hi  "), Ok("hi".into()));
        assert!(parse_post_text("   ").is_err());
        assert!(parse_post_text(&"가".repeat(500)).is_ok());
        assert!(parse_post_text(&"가".repeat(501)).is_err());
        assert!(parse_post_text("a\u{7}b").is_err());
        assert!(parse_post_text("two\nlines").is_ok());
        assert!(parse_comment_text(&"x".repeat(1001)).is_err());
    }

    #[test]
    fn tags_from_urls() {
        assert_eq!(parse_tag("#Rust"), Ok("rust".into()));
        assert_eq!(parse_tag("안녕"), Ok("안녕".into()));
        assert!(parse_tag("a b").is_err());
        assert!(parse_tag("").is_err());
    }
}
