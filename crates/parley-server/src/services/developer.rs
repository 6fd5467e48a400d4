//! The developer portal: a user registers the hosts of their sites for the
//! Open API, each with a tier, and manages their client secrets. A secret
//! is shown once (on registration and rotation) and kept only as its keyed
//! hash; rotating it or deleting the domain ends every token made from it
//! at once (the registry forgets the domain on every node). Another user's
//! domain is 404.

use crate::open::host::parse_host;
use crate::open::registry::Known;
use crate::open::secrets;
use crate::open::tokens::{OpenClaims, TOKEN_TTL};
use crate::protocol::views::{Domain, NewSecret, OpenToken};
use crate::state::AppState;
use parley_core::{DomainId, DomainTier, Error, ErrorCode, Result, Timestamp, UserId};
use parley_store::developer::NewDomain;

/// Most domains one user may register.
pub const MAX_DOMAINS: usize = 20;

/// Registers `host` with `tier` for `me`; the answer carries the secret,
/// the only time it is shown. The same host twice is 409 `domain_taken`.
pub async fn register(
    state: &AppState,
    me: UserId,
    host: &str,
    tier: DomainTier,
) -> Result<NewSecret> {
    let host = parse_host(host).map_err(|why| Error::validation("host", why))?;
    if state.store.domains_of(me).await?.len() >= MAX_DOMAINS {
        return Err(Error::validation(
            "host",
            format!("at most {MAX_DOMAINS} domains per user"),
        ));
    }
    let secret = secrets::generate();
    let record = state
        .store
        .create_domain(&NewDomain {
            id: DomainId::new(),
            owner: me,
            host,
            tier,
            secret_hash: state.open.secrets.hash(&secret),
            created_at: Timestamp::now(),
        })
        .await?;
    // A host nobody had registered is now allowed by CORS.
    state.open.registry.changed(record.id, &record.host).await;
    Ok(NewSecret {
        domain: Domain::from_record(&record),
        client_secret: secret,
    })
}

pub async fn list(state: &AppState, me: UserId) -> Result<Vec<Domain>> {
    Ok(state
        .store
        .domains_of(me)
        .await?
        .iter()
        .map(Domain::from_record)
        .collect())
}

/// A new secret for my domain `id`; the old one and its tokens stop working.
pub async fn rotate(state: &AppState, me: UserId, id: DomainId) -> Result<NewSecret> {
    let secret = secrets::generate();
    let record = state
        .store
        .rotate_domain_secret(me, id, &state.open.secrets.hash(&secret))
        .await?
        .ok_or(Error::NotFound)?;
    state.open.registry.changed(record.id, &record.host).await;
    Ok(NewSecret {
        domain: Domain::from_record(&record),
        client_secret: secret,
    })
}

/// Deletes my domain `id`; its tokens stop working.
pub async fn delete(state: &AppState, me: UserId, id: DomainId) -> Result<()> {
    let record = state
        .store
        .domain_of(me, id)
        .await?
        .ok_or(Error::NotFound)?;
    if !state.store.delete_domain(me, id).await? {
        return Err(Error::NotFound);
    }
    state.open.registry.changed(record.id, &record.host).await;
    Ok(())
}

/// The domain whose secret this is, or 401 `invalid_client`.
pub async fn client(state: &AppState, secret: &str) -> Result<Known> {
    let hash = state.open.secrets.hash(secret.trim());
    state
        .store
        .domain_by_secret_hash(&hash)
        .await?
        .as_ref()
        .map(Known::of)
        .ok_or(Error::Refused(ErrorCode::InvalidClient))
}

/// A token for `domain` (the caller checked its secret, origin and limit).
pub fn token(state: &AppState, domain: &Known) -> Result<OpenToken> {
    let token = state.open.tokens.issue(OpenClaims {
        domain: domain.id,
        tier: domain.tier,
        generation: domain.generation,
    })?;
    Ok(OpenToken {
        token,
        token_type: "Bearer".to_owned(),
        expires_in: TOKEN_TTL.as_secs(),
    })
}
