//! What the Open API needs to know about registered domains on every
//! request, without a database query per request: a domain's current
//! secret generation, tier, host and owner (to accept or refuse a token),
//! and whether a host is registered at all (for CORS).
//!
//! The answers are cached where every node sees the same thing: in Redis
//! when Parley runs on many nodes (one GET per request, next to the rate
//! limit's own round trip), in this process otherwise. A change (register,
//! rotate, delete) deletes the cached answers after its commit, so the next
//! request anywhere reads the database again: a rotated secret's tokens and
//! a deleted domain stop working at once on every node. If Redis cannot be
//! reached, lookups go to the database (still exact, just slower); cached
//! answers also expire after [`CACHE_TTL`] as a backstop.
//!
//! A lookup that read the database just before a change may write its stale
//! answer just after the change deleted it; so a change deletes again after
//! [`SECOND_FORGET`], long after any such read finished.

use crate::shared::{OP_TIMEOUT, SharedRedis};
use parley_core::{DomainId, DomainTier, Result, UserId};
use parley_store::Store;
use parley_store::developer::DomainRecord;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How long a cached answer may live at most.
const CACHE_TTL: Duration = Duration::from_secs(600);
/// When a change forgets the cached answers a second time.
const SECOND_FORGET: Duration = Duration::from_secs(1);
/// In-process caches are emptied when they reach this size (arbitrary
/// `Origin`s must not grow memory without bound).
const LOCAL_CAPACITY: usize = 10_000;

/// A domain as the Open API checks it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Known {
    pub id: DomainId,
    pub owner: UserId,
    pub host: String,
    pub tier: DomainTier,
    pub generation: i64,
}

impl Known {
    pub fn of(d: &DomainRecord) -> Self {
        Self {
            id: d.id,
            owner: d.owner_id,
            host: d.host.clone(),
            tier: d.tier,
            generation: d.generation,
        }
    }
}

#[derive(Debug, Default)]
struct Local {
    domains: HashMap<DomainId, Option<Known>>,
    hosts: HashMap<String, bool>,
}

#[derive(Debug, Clone)]
enum Cache {
    Local(Arc<Mutex<Local>>),
    Shared(SharedRedis),
}

#[derive(Debug, Clone)]
pub struct Registry {
    store: Store,
    cache: Cache,
}

impl Registry {
    pub fn new(store: Store, shared: Option<SharedRedis>) -> Self {
        let cache = match shared {
            Some(redis) => Cache::Shared(redis),
            None => Cache::Local(Arc::default()),
        };
        Self { store, cache }
    }

    /// The domain `id` as it is now (`None`: deleted or never existed).
    pub async fn domain(&self, id: DomainId) -> Result<Option<Known>> {
        let key = format!("open:domain:{id}");
        if let Some(cached) = self
            .cached::<Option<Known>>(&key, |l| l.domains.get(&id).cloned())
            .await
        {
            return Ok(cached);
        }
        let found = self.store.domain_by_id(id).await?.as_ref().map(Known::of);
        self.remember(&key, &found, |l| {
            l.domains.insert(id, found.clone());
        })
        .await;
        Ok(found)
    }

    /// Whether anyone registered `host` (lower case).
    pub async fn host_registered(&self, host: &str) -> Result<bool> {
        let key = format!("open:host:{host}");
        if let Some(cached) = self
            .cached::<bool>(&key, |l| l.hosts.get(host).copied())
            .await
        {
            return Ok(cached);
        }
        let found = self.store.host_registered(host).await?;
        self.remember(&key, &found, |l| {
            l.hosts.insert(host.to_owned(), found);
        })
        .await;
        Ok(found)
    }

    /// Forgets what is cached about `id` and `host`, after a change to them
    /// committed: now, and once more a moment later (see the module docs).
    pub async fn changed(&self, id: DomainId, host: &str) {
        self.forget(id, host).await;
        let (again, host) = (self.clone(), host.to_owned());
        tokio::spawn(async move {
            tokio::time::sleep(SECOND_FORGET).await;
            again.forget(id, &host).await;
        });
    }

    async fn forget(&self, id: DomainId, host: &str) {
        match &self.cache {
            Cache::Local(local) => {
                if let Ok(mut l) = local.lock() {
                    l.domains.remove(&id);
                    l.hosts.remove(host);
                }
            }
            Cache::Shared(redis) => {
                let mut conn = redis.conn();
                let mut del = redis::cmd("DEL");
                del.arg(redis.key(&format!("open:domain:{id}")))
                    .arg(redis.key(&format!("open:host:{host}")));
                let deleted = del.query_async::<()>(&mut conn);
                match tokio::time::timeout(OP_TIMEOUT, deleted).await {
                    Ok(Ok(())) => {}
                    Ok(Err(e)) => {
                        tracing::warn!(error = %e, %id, "open api: forgetting a changed domain in Redis failed; its cached state lives until it expires")
                    }
                    Err(_) => {
                        tracing::warn!(%id, "open api: forgetting a changed domain in Redis timed out; its cached state lives until it expires")
                    }
                }
            }
        }
    }

    async fn cached<T: serde::de::DeserializeOwned>(
        &self,
        key: &str,
        local: impl FnOnce(&Local) -> Option<T>,
    ) -> Option<T> {
        match &self.cache {
            Cache::Local(cache) => cache.lock().ok().and_then(|l| local(&l)),
            Cache::Shared(redis) => {
                let mut conn = redis.conn();
                let mut get = redis::cmd("GET");
                get.arg(redis.key(key));
                let read = get.query_async::<Option<String>>(&mut conn);
                match tokio::time::timeout(OP_TIMEOUT, read).await {
                    Ok(Ok(Some(json))) => serde_json::from_str(&json).ok(),
                    Ok(Ok(None)) => None,
                    Ok(Err(e)) => {
                        tracing::debug!(error = %e, "open api: cache read failed; asking the database");
                        None
                    }
                    Err(_) => None,
                }
            }
        }
    }

    async fn remember<T: Serialize>(&self, key: &str, value: &T, local: impl FnOnce(&mut Local)) {
        match &self.cache {
            Cache::Local(cache) => {
                if let Ok(mut l) = cache.lock() {
                    if l.domains.len() + l.hosts.len() >= LOCAL_CAPACITY {
                        *l = Local::default();
                    }
                    local(&mut l);
                }
            }
            Cache::Shared(redis) => {
                let Ok(json) = serde_json::to_string(value) else {
                    return;
                };
                let mut conn = redis.conn();
                let mut set = redis::cmd("SET");
                set.arg(redis.key(key))
                    .arg(json)
                    .arg("EX")
                    .arg(CACHE_TTL.as_secs());
                let write = set.query_async::<()>(&mut conn);
                if let Ok(Err(e)) = tokio::time::timeout(OP_TIMEOUT, write).await {
                    tracing::debug!(error = %e, "open api: cache write failed");
                }
            }
        }
    }
}
