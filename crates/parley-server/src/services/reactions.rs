//! Reactions on chat messages (like Revolt's): any member of the
//! conversation adds or removes an emoji on a message that is not deleted;
//! a message holds at most [`MAX_DISTINCT`] different emoji. Every change
//! reaches the members as `message:updated` with the message's reactions.

use crate::delivery::Outcome;
use crate::protocol::events::{MessageEvent, ServerEvent};
use crate::protocol::views::{Message, Reaction};
use crate::services::chat::member_conversation;
use crate::services::support::consultations as support;
use crate::state::AppState;
use parley_core::{Error, ErrorCode, MessageId, Result, Timestamp, UserId};
use std::collections::HashMap;

/// Different emoji one message can carry (Revolt's limit too).
pub const MAX_DISTINCT: i64 = 20;

/// An emoji: one emoji sequence, at most 32 bytes: a flag (two regional
/// indicators), a keycap (`1️⃣`), or a pictograph with its modifiers (skin
/// tone, U+FE0F, tag sequences) and any zero-width-joined pictographs after
/// it (`👨‍👩‍👧`). Text, two emoji side by side and whitespace are refused.
pub fn parse_emoji(raw: &str) -> Result<String> {
    if raw.is_empty() || raw.len() > 32 || !is_one_emoji(raw) {
        return Err(Error::validation("emoji", "must be a single emoji"));
    }
    Ok(raw.to_owned())
}

fn is_one_emoji(raw: &str) -> bool {
    let chars: Vec<u32> = raw.chars().map(u32::from).collect();
    let regional = |c: u32| (0x1F1E6..=0x1F1FF).contains(&c);
    if chars.iter().any(|&c| regional(c)) {
        return chars.len() == 2 && chars.iter().all(|&c| regional(c));
    }
    if let [base, rest @ ..] = chars.as_slice()
        && (matches!(base, 0x23 | 0x2A) || (0x30..=0x39).contains(base))
    {
        return matches!(rest, [0x20E3] | [0xFE0F, 0x20E3]);
    }
    let modifier = |c: u32| {
        c == 0xFE0F || (0x1F3FB..=0x1F3FF).contains(&c) || (0xE0020..=0xE007F).contains(&c)
    };
    let mut expect_pictograph = true;
    for &c in &chars {
        if expect_pictograph {
            if !is_pictograph(c) {
                return false;
            }
            expect_pictograph = false;
        } else if c == 0x200D {
            expect_pictograph = true;
        } else if !modifier(c) {
            return false;
        }
    }
    !expect_pictograph
}

fn is_pictograph(c: u32) -> bool {
    matches!(c,
        0x1F000..=0x1FAFF | 0x2600..=0x27BF | 0x2B00..=0x2BFF | 0x2190..=0x21FF
        | 0x2300..=0x23FF | 0x25A0..=0x25FF | 0x3030 | 0x303D | 0x3297 | 0x3299
        | 0x00A9 | 0x00AE | 0x203C | 0x2049 | 0x2122 | 0x2139)
        && !(0x1F3FB..=0x1F3FF).contains(&c)
}

/// Fills in the reactions of `messages` (deleted ones keep none): one query.
pub async fn fill(state: &AppState, messages: &mut [Message]) -> Result<()> {
    let ids: Vec<MessageId> = messages
        .iter()
        .filter(|m| !m.deleted)
        .map(|m| m.id)
        .collect();
    let mut by_message: HashMap<MessageId, Vec<Reaction>> = HashMap::new();
    for r in state.store.reactions_of(&ids).await? {
        let reactions = by_message.entry(r.message_id).or_default();
        match reactions.iter_mut().find(|x| x.emoji == r.emoji) {
            Some(reaction) => {
                reaction.count += 1;
                reaction.user_ids.push(r.user_id);
            }
            None => reactions.push(Reaction {
                emoji: r.emoji,
                count: 1,
                user_ids: vec![r.user_id],
            }),
        }
    }
    for message in messages.iter_mut() {
        message.reactions = by_message.remove(&message.id).unwrap_or_default();
    }
    Ok(())
}

/// Adds (`add`) or removes `me`'s reaction `emoji` on message `id`, and
/// returns the message as it is now. Doing what is already done changes
/// nothing and tells no one.
pub async fn set(
    state: &AppState,
    me: UserId,
    id: MessageId,
    emoji: &str,
    add: bool,
) -> Result<Outcome<Message>> {
    let emoji = parse_emoji(emoji)?;
    let record = state
        .store
        .message_by_id(id)
        .await?
        .ok_or(Error::NotFound)?;
    let row = member_conversation(state, me, record.conversation_id).await?;
    if record.deleted_at.is_some() {
        return Err(Error::Refused(ErrorCode::MessageDeleted));
    }
    let changed = if add {
        state
            .store
            .add_reaction(id, me, &emoji, Timestamp::now(), MAX_DISTINCT)
            .await?
    } else {
        state.store.remove_reaction(id, me, &emoji).await?
    };
    let consultation = support::of_conversation(state, &row).await?;
    let mut message = crate::services::messages::complete(state, &record).await?;
    support::label(std::slice::from_mut(&mut message), consultation.as_ref());
    if !changed {
        return Ok(Outcome::quiet(message));
    }
    let event = ServerEvent::MessageUpdated(MessageEvent {
        message: message.clone(),
    });
    Ok(Outcome::new(
        message,
        vec![crate::services::messages::to_members(
            record.conversation_id,
            consultation.as_ref(),
            event,
        )],
    ))
}

#[cfg(test)]
mod tests {
    use super::parse_emoji;

    #[test]
    fn single_emoji_are_reactions() {
        for ok in ["👍", "❤️", "👍🏽", "👨‍👩‍👧", "🇰🇷", "1️⃣", "🏴󠁧󠁢󠁳󠁣󠁴󠁿", "✅", "©️"]
        {
            assert!(parse_emoji(ok).is_ok(), "{ok:?}");
        }
    }

    #[test]
    fn text_is_not_a_reaction() {
        for bad in [
            "",
            "a",
            "ok",
            "1",
            " ",
            "👍 ",
            "<script>",
            "\u{200D}",
            "\u{FE0F}",
            &"👍".repeat(9),
        ] {
            assert!(parse_emoji(bad).is_err(), "{bad:?}");
        }
    }
}
