//! Thumbnail workers. Each worker claims the next due job from the database
//! (`media_jobs`), reads the stored original, makes the thumbnail on the
//! image pool, stores it and marks the media `ready`. A storage failure is
//! retried with a doubling delay; an image that cannot be thumbnailed, or a
//! job out of tries, marks the media `failed` with the reason. Workers wake
//! when an upload queues a job, and poll now and then for jobs queued by
//! other nodes or due for a retry.

use crate::media::format::ImageFormat;
use crate::media::limits::ImageError;
use crate::media::thumbnail::make_thumbnail;
use crate::state::AppState;
use parley_core::Timestamp;
use parley_store::media::MediaRecord;
use parley_store::media_jobs::ClaimedJob;
use std::time::Duration;
use tokio::task::JoinHandle;

/// Starts the configured number of workers, after taking back the jobs a
/// stopped process left `running` (they would otherwise wait forever).
pub async fn start(state: &AppState) -> Vec<JoinHandle<()>> {
    let workers = state.media.config().workers;
    if workers == 0 {
        return Vec::new();
    }
    match state.store.requeue_media_jobs(None).await {
        Ok(0) => {}
        Ok(n) => tracing::info!(jobs = n, "re-queued thumbnail jobs left running"),
        Err(e) => tracing::warn!(error = %e, "re-queuing thumbnail jobs failed"),
    }
    (0..workers)
        .map(|_| tokio::spawn(work(state.clone())))
        .collect()
}

async fn work(state: AppState) {
    let poll = state.media.config().poll_interval;
    loop {
        match state.store.claim_media_job(Timestamp::now()).await {
            Ok(Some(job)) => run(&state, job).await,
            Ok(None) => {
                tokio::select! {
                    () = state.media.wait_for_job() => {}
                    () = tokio::time::sleep(poll) => {}
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, "claiming a thumbnail job failed");
                tokio::time::sleep(poll).await;
            }
        }
    }
}

/// Why one attempt failed.
enum Failure {
    /// Worth another try (storage or database trouble).
    Transient(String),
    /// Will fail the same way every time.
    Permanent(String),
}

async fn run(state: &AppState, job: ClaimedJob) {
    let media = match state.store.media_by_id(job.media_id).await {
        Ok(Some(media)) => media,
        Ok(None) => return, // deleted meanwhile; its job went with it
        Err(e) => return retry_or_fail(state, &job, Failure::Transient(e.to_string())).await,
    };
    let started = std::time::Instant::now();
    match thumbnail(state, &media).await {
        Ok(blurhash) => {
            metrics::histogram!("parley_thumbnail_seconds").record(started.elapsed());
            match state
                .store
                .finish_media_job(media.id, blurhash.as_deref())
                .await
            {
                Ok(true) => {
                    metrics::counter!("parley_thumbnails_total", "outcome" => "ready").increment(1)
                }
                // Deleted while we worked: the new thumbnail is garbage too.
                Ok(false) => discard(state, &media).await,
                Err(e) => retry_or_fail(state, &job, Failure::Transient(e.to_string())).await,
            }
        }
        Err(failure) => retry_or_fail(state, &job, failure).await,
    }
}

/// Reads the original, makes the thumbnail off the runtime, stores it;
/// returns the image's BlurHash.
async fn thumbnail(state: &AppState, media: &MediaRecord) -> Result<Option<String>, Failure> {
    let key = media
        .thumbnail_key
        .clone()
        .ok_or_else(|| Failure::Permanent("no thumbnail key".into()))?;
    let output = crate::media::keys::parse(&key)
        .filter(|f| matches!(f, ImageFormat::Jpeg | ImageFormat::Png))
        .ok_or_else(|| Failure::Permanent("bad thumbnail key".into()))?;
    let original = state
        .media
        .storage()
        .read(&media.original_key)
        .await
        .map_err(|e| Failure::Transient(e.to_string()))?
        .ok_or_else(|| Failure::Permanent("the original file is missing".into()))?;
    let limits = state.media.config().limits;
    let thumb = state
        .media
        .run_blocking(move || make_thumbnail(&original, output, &limits))
        .await
        .map_err(|e| match e {
            ImageError::Encode(why) => Failure::Transient(why),
            other => Failure::Permanent(other.to_string()),
        })?;
    state
        .media
        .storage()
        .put(&key, thumb.bytes)
        .await
        .map_err(|e| Failure::Transient(e.to_string()))?;
    Ok(thumb.blurhash)
}

async fn retry_or_fail(state: &AppState, job: &ClaimedJob, failure: Failure) {
    let config = state.media.config();
    let attempts = u32::try_from(job.attempts).unwrap_or(u32::MAX);
    let outcome = match failure {
        Failure::Transient(why) if attempts < config.job_attempts => {
            let delay = config
                .retry_delay
                .saturating_mul(1 << attempts.saturating_sub(1).min(16));
            tracing::warn!(media = %job.media_id, attempts, error = %why, retry_in = ?delay, "thumbnail failed; will retry");
            let at = Timestamp::now().plus(delay.min(Duration::from_secs(3600)));
            state.store.retry_media_job(job.media_id, at).await
        }
        Failure::Transient(why) | Failure::Permanent(why) => {
            tracing::warn!(media = %job.media_id, attempts, error = %why, "thumbnail failed");
            metrics::counter!("parley_thumbnails_total", "outcome" => "failed").increment(1);
            state
                .store
                .fail_media_job(job.media_id, &why)
                .await
                .map(|_| ())
        }
    };
    if let Err(e) = outcome {
        // The job stays `running`; the sweeper re-queues it once it is stale.
        tracing::warn!(media = %job.media_id, error = %e, "recording a thumbnail failure failed");
    }
}

/// Queues a thumbnail made for a media deleted meanwhile for deletion.
async fn discard(state: &AppState, media: &MediaRecord) {
    let keys: Vec<String> = media.thumbnail_key.iter().cloned().collect();
    match state
        .store
        .queue_object_deletions(&keys, Timestamp::now())
        .await
    {
        Ok(()) => state.media.sweep_soon(),
        Err(e) => tracing::warn!(error = %e, "queueing an orphan thumbnail for deletion failed"),
    }
}
