//! The media sweeper: re-queues thumbnail jobs whose worker died, moves
//! unwanted media rows (deleted posts, messages, accounts, replaced
//! avatars, uploads never attached within the orphan limit) to the deletion
//! queue, and deletes their files. Runs periodically, and right after any
//! deletion that may have freed files (`Media::sweep_soon`).

use crate::state::AppState;
use parley_core::Timestamp;
use std::time::Duration;

/// Object deletions per round trip to the database.
const DELETE_BATCH: u32 = 100;

pub async fn sweep_periodically(state: AppState) {
    let interval = state.media.config().sweep_interval;
    loop {
        if let Err(e) = sweep_once(&state).await {
            tracing::warn!(error = %e, "media sweep failed; retrying later");
        }
        tokio::select! {
            () = state.media.wait_for_sweep() => {}
            () = tokio::time::sleep(interval) => {}
        }
    }
}

/// One full sweep; returns how many files were deleted.
pub async fn sweep_once(state: &AppState) -> Result<u64, parley_core::Error> {
    let config = state.media.config();
    let now = Timestamp::now();
    let stale = Timestamp(now.as_millis() - millis(config.stale_job_after));
    let requeued = state.store.requeue_media_jobs(Some(stale)).await?;
    if requeued > 0 {
        tracing::warn!(jobs = requeued, "re-queued stale thumbnail jobs");
        state.media.job_queued();
    }
    let orphan_cutoff = Timestamp(now.as_millis() - millis(config.orphan_ttl));
    while state
        .store
        .collect_media_garbage(orphan_cutoff, now)
        .await?
        > 0
    {}
    let mut deleted = 0;
    loop {
        let keys = state.store.pending_object_deletions(DELETE_BATCH).await?;
        if keys.is_empty() {
            break;
        }
        let mut done = Vec::with_capacity(keys.len());
        for key in keys {
            match state.media.storage().delete(&key).await {
                Ok(()) => done.push(key),
                Err(e) => {
                    // Keep the key; the next sweep tries again.
                    tracing::warn!(key, error = %e, "deleting a media file failed");
                }
            }
        }
        if done.is_empty() {
            break;
        }
        deleted += u64::try_from(done.len()).unwrap_or(u64::MAX);
        state.store.forget_object_deletions(&done).await?;
    }
    if deleted > 0 {
        tracing::info!(files = deleted, "deleted unwanted media files");
        metrics::counter!("parley_media_files_deleted_total").increment(deleted);
    }
    Ok(deleted)
}

fn millis(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}
