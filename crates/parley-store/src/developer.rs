//! The Open API's registered sites ("domains"): an owner registers a host
//! with a tier and gets a client secret, kept here only as its keyed hash
//! (the server computes it; the store never sees a secret). Rotating the
//! secret bumps the domain's `generation`, which the tokens made from it
//! carry, so every older token stops working.
//!
//! Every lookup by the owner is scoped to them: another owner's domain is
//! simply not found.

use crate::error::unique_violation;
use crate::pool::with_pool;
use crate::{Store, StoreError};
use parley_core::{DomainId, DomainTier, ErrorCode, Timestamp, UserId};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct DomainRecord {
    #[sqlx(try_from = "Uuid")]
    pub id: DomainId,
    #[sqlx(try_from = "Uuid")]
    pub owner_id: UserId,
    pub host: String,
    #[sqlx(try_from = "String")]
    pub tier: DomainTier,
    pub generation: i64,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct NewDomain {
    pub id: DomainId,
    pub owner: UserId,
    /// Lower case, validated by the caller.
    pub host: String,
    pub tier: DomainTier,
    pub secret_hash: Vec<u8>,
    pub created_at: Timestamp,
}

macro_rules! select_domain {
    ($tail:literal) => {
        concat!(
            "SELECT id, owner_id, host, tier, generation, created_at, last_used_at ",
            "FROM developer_domains ",
            $tail
        )
    };
}

impl Store {
    /// Registers a domain. The same host twice for one owner is
    /// `Conflict(DomainTaken)` (decided by the unique key; nothing stored).
    pub async fn create_domain(&self, new: &NewDomain) -> Result<DomainRecord, StoreError> {
        let inserted = with_pool!(self, write, |pool| {
            sqlx::query(
                "INSERT INTO developer_domains (id, owner_id, host, tier, secret_hash, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(new.id.0)
            .bind(new.owner.0)
            .bind(&new.host)
            .bind(new.tier.as_str())
            .bind(&new.secret_hash)
            .bind(new.created_at.as_millis())
            .execute(pool)
            .await
            .map(|_| ())
        });
        if let Err(e) = inserted {
            return Err(match unique_violation(&e) {
                Some(which) if which.contains("host") => {
                    StoreError::Conflict(ErrorCode::DomainTaken)
                }
                _ => e.into(),
            });
        }
        self.domain_by_id(new.id)
            .await?
            .ok_or(StoreError::Invariant("domain vanished after insert"))
    }

    pub async fn domain_by_id(&self, id: DomainId) -> Result<Option<DomainRecord>, StoreError> {
        Ok(with_pool!(self, read, |pool| {
            sqlx::query_as::<_, DomainRecord>(select_domain!("WHERE id = $1"))
                .bind(id.0)
                .fetch_optional(pool)
                .await
        })?)
    }

    /// The owner's domain `id`; another owner's is `None`.
    pub async fn domain_of(
        &self,
        owner: UserId,
        id: DomainId,
    ) -> Result<Option<DomainRecord>, StoreError> {
        Ok(self.domain_by_id(id).await?.filter(|d| d.owner_id == owner))
    }

    /// The owner's domains, oldest first.
    pub async fn domains_of(&self, owner: UserId) -> Result<Vec<DomainRecord>, StoreError> {
        Ok(with_pool!(self, read, |pool| {
            sqlx::query_as::<_, DomainRecord>(select_domain!(
                "WHERE owner_id = $1 ORDER BY created_at, id"
            ))
            .bind(owner.0)
            .fetch_all(pool)
            .await
        })?)
    }

    /// The domain whose secret hashes to `hash`.
    pub async fn domain_by_secret_hash(
        &self,
        hash: &[u8],
    ) -> Result<Option<DomainRecord>, StoreError> {
        Ok(with_pool!(self, read, |pool| {
            sqlx::query_as::<_, DomainRecord>(select_domain!("WHERE secret_hash = $1"))
                .bind(hash)
                .fetch_optional(pool)
                .await
        })?)
    }

    /// Whether any owner registered `host` (lower case).
    pub async fn host_registered(&self, host: &str) -> Result<bool, StoreError> {
        let found = with_pool!(self, read, |pool| {
            sqlx::query_scalar::<_, Uuid>(
                "SELECT id FROM developer_domains WHERE host = $1 LIMIT 1",
            )
            .bind(host)
            .fetch_optional(pool)
            .await
        })?;
        Ok(found.is_some())
    }

    /// Replaces the owner's domain's secret hash and bumps its generation;
    /// `None` if they have no such domain.
    pub async fn rotate_domain_secret(
        &self,
        owner: UserId,
        id: DomainId,
        secret_hash: &[u8],
    ) -> Result<Option<DomainRecord>, StoreError> {
        let n = with_pool!(self, write, |pool| {
            sqlx::query(
                "UPDATE developer_domains SET secret_hash = $3, generation = generation + 1 \
                 WHERE id = $1 AND owner_id = $2",
            )
            .bind(id.0)
            .bind(owner.0)
            .bind(secret_hash)
            .execute(pool)
            .await
            .map(|r| r.rows_affected())
        })?;
        if n == 0 {
            return Ok(None);
        }
        self.domain_by_id(id).await
    }

    /// Deletes the owner's domain; false if they have no such domain.
    pub async fn delete_domain(&self, owner: UserId, id: DomainId) -> Result<bool, StoreError> {
        let n = with_pool!(self, write, |pool| {
            sqlx::query("DELETE FROM developer_domains WHERE id = $1 AND owner_id = $2")
                .bind(id.0)
                .bind(owner.0)
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(n == 1)
    }

    /// Records that the domain was used at `at` (never moving back).
    pub async fn touch_domain(&self, id: DomainId, at: Timestamp) -> Result<(), StoreError> {
        with_pool!(self, write, |pool| {
            sqlx::query(
                "UPDATE developer_domains SET last_used_at = $2 \
                 WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < $2)",
            )
            .bind(id.0)
            .bind(at.as_millis())
            .execute(pool)
            .await
            .map(|_| ())
        })?;
        Ok(())
    }
}
