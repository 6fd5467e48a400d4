//! Builds the whole seeded world in memory before any row is written: users,
//! the follow graph, posts with hashtags, likes and threaded comments, with
//! every counter already tallied. Generating first means the counters are set
//! once at insert time (no `UPDATE ... SET x = x + 1` pass over a million
//! rows), and one seeded RNG drawn in a fixed order makes the data
//! reproducible.

use super::SeedPlan;
use super::vocabulary::{COMMENT_WORDS, FIRST_NAMES, HASHTAGS, LAST_NAMES, WORDS};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use std::collections::HashSet;
use uuid::Uuid;

/// Users sign up over the 30 days before the first post.
const SIGNUP_SPAN_MS: i64 = 30 * 24 * 3_600_000;
/// A follow happens within a day of both users existing.
const FOLLOW_DELAY_MS: i64 = 24 * 3_600_000;
/// Share of comments that answer an earlier comment on the same post.
const REPLY_PROBABILITY: f64 = 0.3;
/// How skewed popularity is: an index drawn as `n * u^k` (u uniform in
/// [0, 1)) lands in the first 10% of `n` with probability 0.1^(1/k). With
/// k = 2.5 the top tenth of users gets ~40% of follows; a rough power law.
const FOLLOW_SKEW: f64 = 2.5;
const AUTHOR_SKEW: f64 = 2.0;
const LIKE_SKEW: f64 = 1.5;
const TAG_SKEW: f64 = 2.0;
/// Comments cluster harder than likes, so threads (and replies) form.
const COMMENT_SKEW: f64 = 3.0;

pub(super) struct UserRow {
    pub id: Uuid,
    pub username: String,
    pub email: String,
    pub display_name: String,
    pub created_at: i64,
    pub followers: i64,
    pub following: i64,
    pub posts: i64,
}

pub(super) struct FollowRow {
    pub follower: u32,
    pub followee: u32,
    pub created_at: i64,
}

pub(super) struct PostRow {
    pub id: Uuid,
    pub author: u32,
    pub text: String,
    pub created_at: i64,
    pub likes: i64,
    pub comments: i64,
}

pub(super) struct TagRow {
    pub post: u32,
    pub tag: &'static str,
}

pub(super) struct LikeRow {
    pub post: u32,
    pub user: u32,
    pub created_at: i64,
}

pub(super) struct CommentRow {
    pub id: Uuid,
    pub post: u32,
    /// Index of the parent in the comment list; parents always come first.
    pub parent: Option<u32>,
    pub author: u32,
    pub text: String,
    pub replies: i64,
    pub created_at: i64,
}

/// Everything to insert, in foreign-key order.
pub(super) struct SeedData {
    pub users: Vec<UserRow>,
    pub follows: Vec<FollowRow>,
    pub posts: Vec<PostRow>,
    pub tags: Vec<TagRow>,
    pub likes: Vec<LikeRow>,
    pub comments: Vec<CommentRow>,
}

/// An index in `0..n`, small ones more likely (see [`FOLLOW_SKEW`]).
fn skewed(rng: &mut StdRng, n: usize, k: f64) -> usize {
    let u: f64 = rng.random();
    // Truncation is the point: it maps [0, n) onto the indices.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let i = (n as f64 * u.powf(k)) as usize;
    i.min(n - 1)
}

/// A UUIDv7 for `ms` whose random bits come from the seeded RNG, so ids are
/// reproducible and sort by time like `Uuid::new_v7` ids do.
fn v7_at(rng: &mut StdRng, ms: i64) -> Uuid {
    let mut random = [0u8; 10];
    rng.fill(&mut random);
    let ms = u64::try_from(ms).unwrap_or(0);
    uuid::Builder::from_unix_timestamp_millis(ms, &random).into_uuid()
}

fn pick<'a>(rng: &mut StdRng, items: &[&'a str]) -> &'a str {
    items[rng.random_range(0..items.len())]
}

/// `u32` index of a row; the plan was checked to fit.
fn idx(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

impl SeedData {
    pub(super) fn generate(plan: &SeedPlan) -> Self {
        let mut rng = StdRng::seed_from_u64(plan.rng_seed);
        let end = plan.end_at.as_millis();
        let span = i64::try_from(plan.span.as_millis())
            .unwrap_or(i64::MAX)
            .max(i64::try_from(plan.posts).unwrap_or(i64::MAX));
        let first_post = end - span;

        let mut users = generate_users(&mut rng, plan.users, first_post);
        // Popularity rank -> user. Random, so `user1..userK` (the accounts a
        // benchmark signs in) are a fair sample of users, not the K most
        // followed ones, whose every post would fan out to thousands.
        let popularity = shuffled_indices(&mut rng, users.len());
        let follows = generate_follows(&mut rng, &mut users, &popularity, plan.follows_per_user);
        let (mut posts, tags) = generate_posts(
            &mut rng,
            &mut users,
            &popularity,
            plan.posts,
            (first_post, end),
        );
        let likes = generate_likes(&mut rng, &mut posts, users.len(), plan.likes, end);
        let comments = generate_comments(&mut rng, &mut posts, users.len(), plan.comments, end);
        Self {
            users,
            follows,
            posts,
            tags,
            likes,
            comments,
        }
    }
}

/// `user1..userN`, signing up one after another so `user1` is the oldest
/// account.
fn generate_users(rng: &mut StdRng, n: usize, first_post: i64) -> Vec<UserRow> {
    let start = first_post - SIGNUP_SPAN_MS;
    let step = (SIGNUP_SPAN_MS / i64::try_from(n.max(1)).unwrap_or(i64::MAX)).max(1);
    (0..n)
        .map(|i| {
            let k = i + 1;
            let created_at = start + i64::try_from(i).unwrap_or(0) * step;
            UserRow {
                id: v7_at(rng, created_at),
                username: format!("user{k}"),
                email: format!("user{k}@example.com"),
                display_name: format!("{} {}", pick(rng, FIRST_NAMES), pick(rng, LAST_NAMES)),
                created_at,
                followers: 0,
                following: 0,
                posts: 0,
            }
        })
        .collect()
}

/// Each user follows `per_user` distinct others, popular ones (by the
/// `popularity` ranking) more often.
fn generate_follows(
    rng: &mut StdRng,
    users: &mut [UserRow],
    popularity: &[usize],
    per_user: usize,
) -> Vec<FollowRow> {
    let n = users.len();
    let per_user = per_user.min(n.saturating_sub(1));
    let mut follows = Vec::with_capacity(n * per_user);
    let mut chosen = HashSet::with_capacity(per_user * 2);
    for follower in 0..n {
        let picked = if per_user * 2 > n {
            // Dense graph: rejection sampling would spin on the last few
            // free slots, so take a random subset of everyone else.
            let mut others: Vec<usize> = (0..n).filter(|&u| u != follower).collect();
            others.shuffle(rng);
            others.truncate(per_user);
            others
        } else {
            chosen.clear();
            // The skew makes repeats of the top users common; after enough
            // misses fall back to uniform picks, which always make progress
            // (fewer than half the users are taken).
            let mut attempts = 0;
            while chosen.len() < per_user {
                attempts += 1;
                let followee = if attempts <= per_user * 8 {
                    popularity[skewed(rng, n, FOLLOW_SKEW)]
                } else {
                    rng.random_range(0..n)
                };
                if followee != follower {
                    chosen.insert(followee);
                }
            }
            chosen.iter().copied().collect()
        };
        let mut picked = picked;
        // HashSet order is not reproducible across runs; the rows must be.
        picked.sort_unstable();
        for followee in picked {
            let since = users[follower].created_at.max(users[followee].created_at);
            follows.push(FollowRow {
                follower: idx(follower),
                followee: idx(followee),
                created_at: since + rng.random_range(0..FOLLOW_DELAY_MS),
            });
            users[follower].following += 1;
            users[followee].followers += 1;
        }
    }
    follows
}

/// Posts at strictly increasing milliseconds across `[first, end)`, so id
/// order is exactly time order.
fn generate_posts(
    rng: &mut StdRng,
    users: &mut [UserRow],
    popularity: &[usize],
    n: usize,
    (first, end): (i64, i64),
) -> (Vec<PostRow>, Vec<TagRow>) {
    if users.is_empty() {
        return (Vec::new(), Vec::new());
    }
    let step = ((end - first) / i64::try_from(n.max(1)).unwrap_or(i64::MAX)).max(1);
    let mut posts = Vec::with_capacity(n);
    let mut tags = Vec::with_capacity(n * 3 / 2);
    for i in 0..n {
        let created_at = first + i64::try_from(i).unwrap_or(0) * step + rng.random_range(0..step);
        // Popular accounts post more, too.
        let author = popularity[skewed(rng, users.len(), AUTHOR_SKEW)];
        users[author].posts += 1;
        let words = rng.random_range(3..=14);
        let mut text = (0..words)
            .map(|_| pick(rng, WORDS))
            .collect::<Vec<_>>()
            .join(" ");
        // 0-3 distinct tags, fewer more likely.
        let want = [0, 0, 0, 0, 1, 1, 1, 2, 2, 3][rng.random_range(0..10)];
        let mut post_tags: Vec<&'static str> = Vec::with_capacity(want);
        while post_tags.len() < want {
            let tag = HASHTAGS[skewed(rng, HASHTAGS.len(), TAG_SKEW)];
            if !post_tags.contains(&tag) {
                post_tags.push(tag);
            }
        }
        for tag in &post_tags {
            text.push_str(" #");
            text.push_str(tag);
            tags.push(TagRow { post: idx(i), tag });
        }
        posts.push(PostRow {
            id: v7_at(rng, created_at),
            author: idx(author),
            text,
            created_at,
            likes: 0,
            comments: 0,
        });
    }
    (posts, tags)
}

/// `total` distinct (post, user) likes; some posts are far more liked than
/// others, and which ones is random (not simply the oldest).
fn generate_likes(
    rng: &mut StdRng,
    posts: &mut [PostRow],
    users: usize,
    total: usize,
    end: i64,
) -> Vec<LikeRow> {
    let pairs = posts.len().saturating_mul(users);
    let total = total.min(pairs);
    let chosen: Vec<(usize, usize)> = if total * 2 > pairs {
        // Dense: rejection sampling would spin, so shuffle every pair.
        let mut all: Vec<(usize, usize)> = (0..posts.len())
            .flat_map(|p| (0..users).map(move |u| (p, u)))
            .collect();
        all.shuffle(rng);
        all.truncate(total);
        all
    } else {
        let popularity = shuffled_indices(rng, posts.len());
        let mut seen = HashSet::with_capacity(total);
        let mut chosen = Vec::with_capacity(total);
        while chosen.len() < total {
            let post = popularity[skewed(rng, posts.len(), LIKE_SKEW)];
            let user = rng.random_range(0..users);
            // Fewer than half the pairs are taken, so misses stay rare
            // enough even when the skew piles onto the top posts.
            if seen.insert((post, user)) {
                chosen.push((post, user));
            }
        }
        chosen
    };
    // Index order is id order for posts and users, so sorted rows fill both
    // of post_likes' B-trees front to back (and within each user's range of
    // the (user_id, post_id) index). Random order would touch a random page
    // per row, which on SQLite's small page cache is mostly disk I/O.
    let mut chosen = chosen;
    chosen.sort_unstable();
    chosen
        .into_iter()
        .map(|(post, user)| {
            let p = &mut posts[post];
            p.likes += 1;
            let window = (end - p.created_at).max(1);
            LikeRow {
                post: idx(post),
                user: idx(user),
                created_at: p.created_at + rng.random_range(0..window),
            }
        })
        .collect()
}

/// `0..n` in random order: rank -> index, so "popular" is not "oldest".
fn shuffled_indices(rng: &mut StdRng, n: usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    order.shuffle(rng);
    order
}

/// `total` comments spread over posts; about a third answer an earlier
/// comment on the same post (threads nest to any depth). Within a post each
/// comment is at least a millisecond after the one before, so a reply's id
/// always sorts after its parent's.
fn generate_comments(
    rng: &mut StdRng,
    posts: &mut [PostRow],
    users: usize,
    total: usize,
    end: i64,
) -> Vec<CommentRow> {
    if posts.is_empty() || users == 0 {
        return Vec::new();
    }
    let popularity = shuffled_indices(rng, posts.len());
    let mut per_post = vec![0u32; posts.len()];
    for _ in 0..total {
        per_post[popularity[skewed(rng, posts.len(), COMMENT_SKEW)]] += 1;
    }
    let mut comments: Vec<CommentRow> = Vec::with_capacity(total);
    for (post, &count) in per_post.iter().enumerate() {
        if count == 0 {
            continue;
        }
        let first = comments.len();
        let p = &mut posts[post];
        p.comments = i64::from(count);
        let step = ((end - p.created_at) / (i64::from(count) + 1)).max(1);
        let mut at = p.created_at;
        for _ in 0..count {
            at += 1 + rng.random_range(0..step);
            let parent = if comments.len() > first && rng.random_bool(REPLY_PROBABILITY) {
                let parent = rng.random_range(first..comments.len());
                comments[parent].replies += 1;
                Some(idx(parent))
            } else {
                None
            };
            let words = rng.random_range(1..=3);
            let text = (0..words)
                .map(|_| pick(rng, COMMENT_WORDS))
                .collect::<Vec<_>>()
                .join(" ");
            comments.push(CommentRow {
                id: v7_at(rng, at),
                post: idx(post),
                parent,
                author: idx(rng.random_range(0..users)),
                text,
                replies: 0,
                created_at: at,
            });
        }
    }
    comments
}
