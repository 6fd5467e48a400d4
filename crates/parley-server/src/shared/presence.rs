//! Presence across nodes, in Redis. Each node counts its own sockets (in
//! memory, in `services::presence`) and records here only the transitions:
//! the user's first socket on this node (`SADD parley:presence:user:{u}
//! node`) and the last (`SREM`). A user is online while any *live* node holds
//! them. A node is live while it keeps beating: every [`HEARTBEAT`] it writes
//! its time into `parley:presence:nodes`; one silent for [`NODE_TTL`] is dead,
//! and the first node to notice takes its users over: each one no live node
//! holds any more goes offline (so a killed node cannot leave its users
//! online forever).

use super::{NodeId, SharedRedis};
use parley_core::{Timestamp, UserId};
use redis::Script;
use std::time::Duration;

/// How often a node says it is alive.
pub const HEARTBEAT: Duration = Duration::from_secs(5);
/// How long a node may be silent before it counts as dead.
pub const NODE_TTL: Duration = Duration::from_secs(15);

/// Adds (ARGV[3] = 1) or removes (0) this node (ARGV[2]) for the user of
/// KEYS[1], or neither (-), then counts the live nodes (beat since ARGV[1])
/// that hold the user besides ARGV[2], in one round trip.
const MOVE_AND_COUNT: &str = r"
if ARGV[3] == '1' then
  redis.call('SADD', KEYS[1], ARGV[2])
  redis.call('SADD', KEYS[3], ARGV[4])
elseif ARGV[3] == '0' then
  redis.call('SREM', KEYS[1], ARGV[2])
  redis.call('SREM', KEYS[3], ARGV[4])
end
local count = 0
for _, node in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if node ~= ARGV[2] then
    local beat = redis.call('ZSCORE', KEYS[2], node)
    if beat and tonumber(beat) >= tonumber(ARGV[1]) then count = count + 1 end
  end
end
return count
";

/// For each user key KEYS[2..], 1 if a live node (beat since ARGV[1]) other
/// than ARGV[2] holds the user, else 0 (KEYS[1] is the node set): one round
/// trip for a whole `presence:watch`.
const HELD_ELSEWHERE: &str = r"
local out = {}
for i = 2, #KEYS do
  local held = 0
  for _, node in ipairs(redis.call('SMEMBERS', KEYS[i])) do
    if node ~= ARGV[2] then
      local beat = redis.call('ZSCORE', KEYS[1], node)
      if beat and tonumber(beat) >= tonumber(ARGV[1]) then held = 1 break end
    end
  end
  out[#out + 1] = held
end
return out
";

#[derive(Debug, Clone)]
pub struct SharedPresence {
    redis: SharedRedis,
}

fn cutoff() -> i64 {
    Timestamp::now().as_millis() - i64::try_from(NODE_TTL.as_millis()).unwrap_or(i64::MAX)
}

impl SharedPresence {
    pub fn new(redis: SharedRedis) -> Self {
        Self { redis }
    }

    fn node(&self) -> &NodeId {
        &self.redis.node
    }

    fn nodes_key(&self) -> String {
        self.redis.key("presence:nodes")
    }

    fn user_key(&self, user: UserId) -> String {
        self.redis.key(&format!("presence:user:{user}"))
    }

    fn node_key(&self, node: &NodeId) -> String {
        self.redis.key(&format!("presence:node:{}", node.0))
    }

    /// This node's first socket of `user`: true if no other live node holds
    /// them (they just came online).
    pub async fn first_here(&self, user: UserId) -> redis::RedisResult<bool> {
        Ok(self.move_and_count(user, true).await? == 0)
    }

    /// This node's last socket of `user` closed: true if no other live node
    /// holds them (they just went offline).
    pub async fn last_here(&self, user: UserId) -> redis::RedisResult<bool> {
        Ok(self.move_and_count(user, false).await? == 0)
    }

    async fn move_and_count(&self, user: UserId, add: bool) -> redis::RedisResult<i64> {
        self.count_holders(user, &self.node().0, if add { "1" } else { "0" })
            .await
    }

    /// The live nodes other than `besides` holding `user`, after `change`
    /// (`1` add this node, `0` remove it, `-` neither).
    async fn count_holders(
        &self,
        user: UserId,
        besides: &str,
        change: &str,
    ) -> redis::RedisResult<i64> {
        let mut conn = self.redis.conn();
        Script::new(MOVE_AND_COUNT)
            .key(self.user_key(user))
            .key(self.nodes_key())
            .key(self.node_key(self.node()))
            .arg(cutoff())
            .arg(besides)
            .arg(change)
            .arg(user.to_string())
            .invoke_async(&mut conn)
            .await
    }

    /// Whether any other live node holds each of `users` (this node's own
    /// sockets are counted by the caller).
    pub async fn online_elsewhere(&self, users: &[UserId]) -> redis::RedisResult<Vec<bool>> {
        if users.is_empty() {
            return Ok(Vec::new());
        }
        let held_elsewhere = Script::new(HELD_ELSEWHERE);
        let mut script = held_elsewhere.key(self.nodes_key());
        for user in users {
            script.key(self.user_key(*user));
        }
        let mut conn = self.redis.conn();
        let held: Vec<i64> = script
            .arg(cutoff())
            .arg(&self.node().0)
            .invoke_async(&mut conn)
            .await?;
        Ok(held.into_iter().map(|h| h > 0).collect())
    }

    /// One heartbeat: says this node is alive, and takes over the nodes that
    /// stopped beating. Returns the users of dead nodes that no live node
    /// holds any more: they are offline now.
    ///
    /// `here` are the users with sockets on this node: if this node itself
    /// was taken for dead (Redis was away longer than [`NODE_TTL`]), it
    /// registers them again.
    pub async fn beat(&self, here: &[UserId]) -> redis::RedisResult<Vec<UserId>> {
        let mut conn = self.redis.conn();
        let added: i64 = redis::cmd("ZADD")
            .arg(self.nodes_key())
            .arg(Timestamp::now().as_millis())
            .arg(&self.node().0)
            .query_async(&mut conn)
            .await?;
        if added > 0 {
            for user in here {
                let _: i64 = self.move_and_count(*user, true).await?;
            }
        }
        self.take_over_dead().await
    }

    /// Leaves at shutdown (after this node's sockets closed).
    pub async fn leave(&self) -> redis::RedisResult<()> {
        let mut conn = self.redis.conn();
        redis::cmd("ZREM")
            .arg(self.nodes_key())
            .arg(&self.node().0)
            .query_async::<()>(&mut conn)
            .await?;
        redis::cmd("DEL")
            .arg(self.node_key(self.node()))
            .query_async(&mut conn)
            .await
    }

    async fn take_over_dead(&self) -> redis::RedisResult<Vec<UserId>> {
        let mut conn = self.redis.conn();
        let dead: Vec<String> = redis::cmd("ZRANGEBYSCORE")
            .arg(self.nodes_key())
            .arg("-inf")
            .arg(format!("({}", cutoff()))
            .query_async(&mut conn)
            .await?;
        let mut gone = Vec::new();
        for node in dead {
            // Whoever removes the node from the set takes it over; the others skip it.
            let claimed: i64 = redis::cmd("ZREM")
                .arg(self.nodes_key())
                .arg(&node)
                .query_async(&mut conn)
                .await?;
            if claimed == 0 {
                continue;
            }
            let dead_node = NodeId(node);
            let users: Vec<String> = redis::cmd("SMEMBERS")
                .arg(self.node_key(&dead_node))
                .query_async(&mut conn)
                .await?;
            for user in users.iter().filter_map(|u| u.parse::<UserId>().ok()) {
                let _: i64 = redis::cmd("SREM")
                    .arg(self.user_key(user))
                    .arg(&dead_node.0)
                    .query_async(&mut conn)
                    .await?;
                // Counting this node too: its own sockets are live.
                if self.count_holders(user, "", "-").await? == 0 {
                    gone.push(user);
                }
            }
            let _: i64 = redis::cmd("DEL")
                .arg(self.node_key(&dead_node))
                .query_async(&mut conn)
                .await?;
            tracing::warn!(node = %dead_node.0, users = users.len(), "a node stopped beating; its users were taken over");
        }
        Ok(gone)
    }
}
