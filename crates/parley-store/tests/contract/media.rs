//! Media: uploads and their thumbnail jobs (claim, finish, fail, retry,
//! requeue), reading rows back, avatars, and garbage collection with the
//! object-deletion queue.

use crate::support::{Backend, DAY, HOUR, at, fresh_store, new_media, new_post, user};
use parley_core::{MediaId, MediaStatus};

pub async fn uploads_and_thumbnail_jobs(backend: Backend) {
    let db = fresh_store(backend).await;
    let alice = user(&db, "alice").await;
    let (first, second) = (new_media(alice, 0), new_media(alice, 1));
    db.create_media(&first).await.expect("create");
    db.create_media(&second).await.expect("create");
    let row = db
        .media_by_id(first.id)
        .await
        .expect("look up")
        .expect("exists");
    assert_eq!(row.status, MediaStatus::Processing);
    assert_eq!(row.owner_id, Some(alice));
    assert_eq!((row.width, row.height, row.size_bytes), (640, 480, 12_345));
    assert_eq!(
        row.thumbnail_key.as_deref(),
        Some(first.thumbnail_key.as_str())
    );
    assert!(!row.is_attached());
    let mut both: Vec<_> = db
        .media_by_ids(&[first.id, MediaId::new(), second.id])
        .await
        .expect("by ids")
        .into_iter()
        .map(|m| m.id)
        .collect();
    both.sort();
    assert_eq!(both, vec![first.id, second.id]);
    assert!(db.media_by_ids(&[]).await.expect("none").is_empty());
    assert_eq!(db.media_job_counts().await.expect("counts"), (2, 0));

    // Oldest due job first; one claim per job.
    let job = db
        .claim_media_job(at(5))
        .await
        .expect("claim")
        .expect("a job is due");
    assert_eq!((job.media_id, job.attempts), (first.id, 1));
    assert_eq!(db.media_job_counts().await.expect("counts"), (1, 1));
    let retry_at = at(HOUR);
    db.retry_media_job(first.id, retry_at)
        .await
        .expect("retry later");
    let job = db
        .claim_media_job(at(6))
        .await
        .expect("claim")
        .expect("the second job");
    assert_eq!(job.media_id, second.id);
    assert!(
        db.claim_media_job(at(7)).await.expect("claim").is_none(),
        "the retry is not due"
    );
    // A stopped worker's job goes back to the queue.
    assert_eq!(db.requeue_media_jobs(None).await.expect("requeue"), 1);
    assert_eq!(db.media_job_counts().await.expect("counts"), (2, 0));
    let job = db
        .claim_media_job(at(8))
        .await
        .expect("claim")
        .expect("requeued");
    assert_eq!((job.media_id, job.attempts), (second.id, 2));
    assert_eq!(
        db.requeue_media_jobs(Some(at(8))).await.expect("requeue"),
        0,
        "claimed at 8, not before"
    );

    assert!(
        db.finish_media_job(second.id, Some("LEHV6nWB2yk8pyo0adR*.7kCMdnj"))
            .await
            .expect("finish")
    );
    let ready = db.media_by_id(second.id).await.expect("m").expect("e");
    assert_eq!(ready.status, MediaStatus::Ready);
    assert_eq!(
        ready.blurhash.as_deref(),
        Some("LEHV6nWB2yk8pyo0adR*.7kCMdnj")
    );
    assert_eq!(ready.alt_text, "", "no description until one is written");
    assert!(
        !db.fail_media_job(second.id, "late")
            .await
            .expect("fail a ready one")
    );
    let job = db
        .claim_media_job(retry_at)
        .await
        .expect("claim")
        .expect("the retry is due");
    assert_eq!((job.media_id, job.attempts), (first.id, 2));
    assert!(
        db.fail_media_job(first.id, "undecodable")
            .await
            .expect("fail")
    );
    let failed = db.media_by_id(first.id).await.expect("m").expect("e");
    assert_eq!(
        (failed.status, failed.failure_reason.as_deref()),
        (MediaStatus::Failed, Some("undecodable"))
    );
    assert_eq!(db.media_job_counts().await.expect("counts"), (0, 0));
    assert!(
        !db.finish_media_job(MediaId::new(), None)
            .await
            .expect("unknown")
    );
}

pub async fn avatars_replace_and_clear(backend: Backend) {
    let db = fresh_store(backend).await;
    let alice = user(&db, "alice").await;
    let first = new_media(alice, 0);
    db.set_avatar(alice, &first).await.expect("set");
    let u = db.user_by_id(alice).await.expect("u").expect("e");
    assert_eq!(u.avatar_key.as_deref(), Some(first.original_key.as_str()));
    let row = db.media_by_id(first.id).await.expect("m").expect("e");
    assert_eq!((row.status, row.is_attached()), (MediaStatus::Ready, true));
    let second = new_media(alice, 1);
    db.set_avatar(alice, &second).await.expect("replace");
    let u = db.user_by_id(alice).await.expect("u").expect("e");
    assert_eq!(u.avatar_key.as_deref(), Some(second.original_key.as_str()));
    // The replaced avatar is garbage, the current one is not.
    assert_eq!(
        db.collect_media_garbage(at(-DAY), at(2))
            .await
            .expect("collect"),
        1
    );
    assert!(db.media_by_id(first.id).await.expect("m").is_none());
    assert!(db.media_by_id(second.id).await.expect("m").is_some());
    db.clear_avatar(alice, at(3)).await.expect("clear");
    assert_eq!(
        db.user_by_id(alice)
            .await
            .expect("u")
            .expect("e")
            .avatar_key,
        None
    );
    assert_eq!(
        db.collect_media_garbage(at(-DAY), at(4))
            .await
            .expect("collect"),
        1
    );
    let mut keys = db.pending_object_deletions(10).await.expect("pending");
    keys.sort();
    let mut expected = vec![
        first.original_key.clone(),
        first.thumbnail_key.clone(),
        second.original_key.clone(),
        second.thumbnail_key.clone(),
    ];
    expected.sort();
    assert_eq!(keys, expected);
}

pub async fn garbage_is_collected_and_queued_for_deletion(backend: Backend) {
    let db = fresh_store(backend).await;
    let alice = user(&db, "alice").await;
    let bob = user(&db, "bob").await;
    // Kept: a fresh unattached upload, and one attached to a live post.
    let fresh = new_media(alice, 10 * HOUR);
    db.create_media(&fresh).await.expect("fresh");
    let kept = new_media(alice, 0);
    db.create_media(&kept).await.expect("kept");
    let mut live = new_post(alice, "live", &[], 0);
    live.media = vec![kept.id];
    db.create_post(&live).await.expect("live post");
    // Garbage: an old orphan, a deleted post's upload, a deleted message's
    // upload, and the upload of a deleted account.
    let orphan = new_media(alice, 0);
    db.create_media(&orphan).await.expect("orphan");
    let on_post = new_media(alice, 0);
    db.create_media(&on_post).await.expect("on post");
    let mut doomed = new_post(alice, "doomed", &[], 0);
    doomed.media = vec![on_post.id];
    db.create_post(&doomed).await.expect("doomed post");
    db.delete_post(doomed.id).await.expect("delete post");
    let on_message = new_media(alice, 0);
    db.create_media(&on_message).await.expect("on message");
    let (conv, _) = db.open_direct(alice, bob, at(0)).await.expect("open");
    let mut msg = crate::support::new_message(conv.id, alice, "pic");
    msg.media = vec![on_message.id];
    db.send_message(&msg).await.expect("send");
    db.delete_message(msg.id, at(1))
        .await
        .expect("delete message");
    let bobs = new_media(bob, 10 * HOUR);
    db.create_media(&bobs).await.expect("bob's");
    db.delete_user(bob).await.expect("delete bob");

    let cutoff = at(DAY - 23 * HOUR); // uploads older than 1 h are orphans
    assert_eq!(
        db.collect_media_garbage(cutoff, at(DAY))
            .await
            .expect("collect"),
        4
    );
    assert_eq!(
        db.collect_media_garbage(cutoff, at(DAY))
            .await
            .expect("again"),
        0
    );
    for gone in [&orphan, &on_post, &on_message, &bobs] {
        assert!(
            db.media_by_id(gone.id).await.expect("m").is_none(),
            "{} collected",
            gone.original_key
        );
    }
    for stays in [&fresh, &kept] {
        assert!(
            db.media_by_id(stays.id).await.expect("m").is_some(),
            "{} kept",
            stays.original_key
        );
    }
    let pending = db.pending_object_deletions(100).await.expect("pending");
    assert_eq!(pending.len(), 8, "original and thumbnail of each");
    assert!(pending.contains(&orphan.original_key) && pending.contains(&bobs.thumbnail_key));
    assert_eq!(
        db.pending_object_deletions(3).await.expect("limit").len(),
        3
    );

    // Queueing is idempotent; forgetting removes exactly the named keys.
    db.queue_object_deletions(&[orphan.original_key.clone(), "extra".into()], at(DAY))
        .await
        .expect("queue");
    assert_eq!(
        db.pending_object_deletions(100)
            .await
            .expect("pending")
            .len(),
        9
    );
    db.forget_object_deletions(&pending).await.expect("forget");
    assert_eq!(
        db.pending_object_deletions(100).await.expect("pending"),
        vec!["extra".to_owned()]
    );
    db.forget_object_deletions(&[])
        .await
        .expect("forget nothing");
    db.queue_object_deletions(&[], at(DAY))
        .await
        .expect("queue nothing");
}

pub async fn alt_text_is_the_owners_to_write(backend: Backend) {
    let db = fresh_store(backend).await;
    let alice = user(&db, "alice").await;
    let bob = user(&db, "bob").await;
    let photo = new_media(alice, 0);
    db.create_media(&photo).await.expect("create");
    assert!(
        !db.set_media_alt_text(bob, photo.id, "not his")
            .await
            .expect("set")
    );
    assert!(
        db.set_media_alt_text(alice, photo.id, "A cat asleep on a keyboard")
            .await
            .expect("set")
    );
    let row = db.media_by_id(photo.id).await.expect("m").expect("e");
    assert_eq!(row.alt_text, "A cat asleep on a keyboard");
    assert!(
        !db.set_media_alt_text(alice, parley_core::MediaId::new(), "x")
            .await
            .expect("set")
    );
}
