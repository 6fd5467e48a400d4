//! Provider identities: an account made with its first identity in one
//! transaction, who `(provider, subject)` is, linking conflicts, and the
//! rule that unlinking never leaves an account without a way to sign in.

use crate::support::*;
use parley_core::ErrorCode;
use parley_store::{NewIdentity, StoreError, Unlink};

fn identity(provider: &str, subject: &str) -> NewIdentity {
    NewIdentity {
        provider: provider.to_owned(),
        subject: subject.to_owned(),
        email: Some(format!("{subject}@{provider}.test")),
    }
}

/// A user made by a provider: no password, no e-mail.
fn provider_user(name: &str) -> parley_store::NewUser {
    let mut new = new_user(name);
    new.email = None;
    new.password_hash = None;
    new
}

pub async fn a_provider_account_is_made_with_its_identity(backend: Backend) {
    let db = fresh_store(backend).await;
    let new = provider_user("octo");
    let made = db
        .create_user_with_identity(&new, Some(&identity("github", "42")))
        .await
        .expect("create");
    assert_eq!((made.email, made.password_hash), (None, None));
    let found = db
        .use_identity("github", "42", Some("new@github.test"), at(5))
        .await
        .expect("use");
    assert_eq!(found, Some(new.id));
    let linked = db.identities_of(new.id).await.expect("list");
    assert_eq!(linked.len(), 1);
    assert_eq!(linked[0].email.as_deref(), Some("new@github.test"));
    assert_eq!(linked[0].last_used_at, at(5).as_millis());
    assert_eq!(
        db.use_identity("github", "43", None, at(6))
            .await
            .expect("use"),
        None
    );
    // Two accounts without an e-mail do not collide on the unique e-mail.
    db.create_user_with_identity(&provider_user("other"), Some(&identity("github", "43")))
        .await
        .expect("a second account without e-mail");
}

pub async fn a_taken_identity_stores_no_account(backend: Backend) {
    let db = fresh_store(backend).await;
    db.create_user_with_identity(&provider_user("first"), Some(&identity("kakao", "1")))
        .await
        .expect("first");
    let second = provider_user("second");
    match db
        .create_user_with_identity(&second, Some(&identity("kakao", "1")))
        .await
    {
        Err(StoreError::Conflict(code)) => assert_eq!(code, ErrorCode::IdentityTaken),
        other => panic!("a taken identity must be identity_taken, got {other:?}"),
    }
    assert!(db.user_by_id(second.id).await.expect("lookup").is_none());
}

pub async fn linking_is_one_account_per_identity_and_one_identity_per_provider(backend: Backend) {
    let db = fresh_store(backend).await;
    let alice = user(&db, "alice").await;
    let bob = user(&db, "bob").await;
    db.link_identity(alice, &identity("github", "1"), at(1))
        .await
        .expect("link");
    for (who, id) in [
        (bob, identity("github", "1")),
        (alice, identity("github", "1")),
        (alice, identity("github", "2")),
    ] {
        match db.link_identity(who, &id, at(2)).await {
            Err(StoreError::Conflict(code)) => assert_eq!(code, ErrorCode::IdentityTaken),
            other => panic!("must be identity_taken, got {other:?}"),
        }
    }
    db.link_identity(alice, &identity("naver", "1"), at(3))
        .await
        .expect("another provider");
    assert_eq!(db.identities_of(alice).await.expect("list").len(), 2);
    assert!(db.identities_of(bob).await.expect("list").is_empty());
}

pub async fn unlinking_keeps_one_way_to_sign_in(backend: Backend) {
    let db = fresh_store(backend).await;
    let solo = provider_user("solo");
    db.create_user_with_identity(&solo, Some(&identity("github", "9")))
        .await
        .expect("create");
    assert_eq!(
        db.unlink_identity(solo.id, "github", at(1))
            .await
            .expect("unlink"),
        Unlink::LastMethod
    );
    assert_eq!(
        db.unlink_identity(solo.id, "kakao", at(1))
            .await
            .expect("unlink"),
        Unlink::NotLinked
    );
    db.link_identity(solo.id, &identity("kakao", "9"), at(2))
        .await
        .expect("link");
    assert_eq!(
        db.unlink_identity(solo.id, "github", at(3))
            .await
            .expect("unlink"),
        Unlink::Unlinked
    );
    assert_eq!(
        db.unlink_identity(solo.id, "kakao", at(4))
            .await
            .expect("unlink"),
        Unlink::LastMethod
    );
    // With a password, the last provider may go.
    db.set_password_hash(solo.id, "$argon2id$v=19$x", at(5))
        .await
        .expect("password");
    assert_eq!(
        db.unlink_identity(solo.id, "kakao", at(6))
            .await
            .expect("unlink"),
        Unlink::Unlinked
    );
    assert!(db.identities_of(solo.id).await.expect("list").is_empty());
}

pub async fn deleting_the_account_removes_its_identities(backend: Backend) {
    let db = fresh_store(backend).await;
    let gone = provider_user("gone");
    db.create_user_with_identity(&gone, Some(&identity("google", "g")))
        .await
        .expect("create");
    assert!(db.delete_user(gone.id).await.expect("delete"));
    assert_eq!(db.count("SELECT COUNT(*) FROM identities").await, 0);
    assert_eq!(
        db.use_identity("google", "g", None, at(1))
            .await
            .expect("use"),
        None
    );
}
