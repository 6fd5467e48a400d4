//! Typing state in Redis: one key per (conversation, user) holding the
//! generation of the last `typing: true`, expiring by itself after the TTL.
//! A lapse timer on any node clears the indicator only if no refresh (on any
//! node) came since, and a `typing: false` on another node than the `true`
//! still finds it.

use super::SharedRedis;
use parley_core::{ConversationId, UserId};
use redis::Script;
use std::time::Duration;

/// Deletes the key only if it still holds the expected generation.
const EXPIRE_IF_SAME: &str = r"
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
";

#[derive(Debug, Clone)]
pub struct SharedTyping {
    redis: SharedRedis,
}

impl SharedTyping {
    pub fn new(redis: SharedRedis) -> Self {
        Self { redis }
    }

    fn key(&self, conversation: ConversationId, user: UserId) -> String {
        self.redis.key(&format!("typing:{conversation}:{user}"))
    }

    /// Records a `typing: true` with this generation, for `ttl` (plus a
    /// margin, so the lapse timer always finds its own key).
    pub async fn started(
        &self,
        conversation: ConversationId,
        user: UserId,
        generation: u64,
        ttl: Duration,
    ) -> redis::RedisResult<()> {
        let mut conn = self.redis.conn();
        let millis = u64::try_from(ttl.as_millis())
            .unwrap_or(u64::MAX)
            .saturating_add(5_000);
        redis::cmd("SET")
            .arg(self.key(conversation, user))
            .arg(generation)
            .arg("PX")
            .arg(millis)
            .query_async::<()>(&mut conn)
            .await
    }

    /// Records a `typing: false`; true if the user was typing.
    pub async fn stopped(
        &self,
        conversation: ConversationId,
        user: UserId,
    ) -> redis::RedisResult<bool> {
        let mut conn = self.redis.conn();
        let removed: i64 = redis::cmd("DEL")
            .arg(self.key(conversation, user))
            .query_async(&mut conn)
            .await?;
        Ok(removed > 0)
    }

    /// True (and forgotten) if `generation` is still the last refresh.
    pub async fn expire(
        &self,
        conversation: ConversationId,
        user: UserId,
        generation: u64,
    ) -> redis::RedisResult<bool> {
        let mut conn = self.redis.conn();
        let removed: i64 = Script::new(EXPIRE_IF_SAME)
            .key(self.key(conversation, user))
            .arg(generation)
            .invoke_async(&mut conn)
            .await?;
        Ok(removed > 0)
    }
}
