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

/// An emoji: one grapheme made of emoji code points (with skin tones,
/// variation selectors, zero-width joiners, keycaps and flag tags), at most
/// 32 bytes. Text, digits alone and whitespace are not reactions.
pub fn parse_emoji(raw: &str) -> Result<String> {
    let invalid = || Error::validation("emoji", "must be a single emoji");
    if raw.is_empty() || raw.len() > 32 {
        return Err(invalid());
    }
    let mut pictographs = 0;
    for c in raw.chars() {
        match c as u32 {
            // Pictographs, symbols, dingbats, flags' regional indicators.
            0x1F000..=0x1FAFF
            | 0x2600..=0x27BF
            | 0x2B00..=0x2BFF
            | 0x2190..=0x21FF
            | 0x2300..=0x23FF
            | 0x25A0..=0x25FF
            | 0x3030
            | 0x303D
            | 0x3297
            | 0x3299
            | 0x00A9
            | 0x00AE
            | 0x203C
            | 0x2049
            | 0x2122
            | 0x2139 => pictographs += 1,
            // Joiners and modifiers that only make sense after one of those.
            0x200D | 0xFE0F | 0x20E3 | 0xE0020..=0xE007F => {}
            // Keycap bases: `1️⃣` is `1`, U+FE0F, U+20E3.
            0x23 | 0x2A | 0x30..=0x39 if raw.contains('\u{20E3}') => pictographs += 1,
            _ => return Err(invalid()),
        }
    }
    if pictographs == 0 {
        return Err(invalid());
    }
    Ok(raw.to_owned())
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
    let mut message = [Message::from_record(&record)];
    crate::services::media::fill_messages(state, &mut message).await?;
    fill(state, &mut message).await?;
    support::label(&mut message, consultation.as_ref());
    let [message] = message;
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
