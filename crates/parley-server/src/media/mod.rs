//! Images: recognising them by their bytes ([`format`]), decoding them with
//! limits ([`decode`], [`limits`], [`exif`], [`gif`]), re-encoding,
//! resizing and thumbnailing them ([`process`], [`encode`], [`resize`],
//! [`thumbnail`]), and keeping their files ([`storage`], [`keys`]).
//! [`Media`] is the handle the rest of the server holds: the storage, the
//! settings, and the pool of CPU permits every image operation runs under.

pub mod config;
pub mod decode;
pub mod encode;
pub mod exif;
pub mod format;
pub mod gif;
pub mod keys;
pub mod limits;
pub mod process;
pub mod resize;
pub mod storage;
pub mod thumbnail;

use crate::media::config::MediaConfig;
use crate::media::limits::ImageError;
use crate::media::storage::Storage;
use std::sync::Arc;
use tokio::sync::{Notify, Semaphore};

/// Shared media state; cheap to clone.
#[derive(Clone)]
pub struct Media {
    inner: Arc<Inner>,
}

struct Inner {
    config: MediaConfig,
    storage: Storage,
    /// Image work is CPU-bound and memory-hungry: at most one operation per
    /// core runs at a time, uploads and thumbnails alike; the rest queue.
    cpu: Semaphore,
    /// Wakes idle thumbnail workers when a job is queued.
    jobs: Notify,
    /// Wakes the sweeper when something was deleted.
    sweep: Notify,
}

impl std::fmt::Debug for Media {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Media")
            .field("storage", &self.inner.storage)
            .finish_non_exhaustive()
    }
}

impl Media {
    pub fn open(config: &MediaConfig) -> anyhow::Result<Self> {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Ok(Self {
            inner: Arc::new(Inner {
                storage: Storage::open(&config.store)?,
                config: config.clone(),
                cpu: Semaphore::new(cores),
                jobs: Notify::new(),
                sweep: Notify::new(),
            }),
        })
    }

    pub fn config(&self) -> &MediaConfig {
        &self.inner.config
    }

    pub fn storage(&self) -> &Storage {
        &self.inner.storage
    }

    /// Runs image work on the blocking pool under a CPU permit, so it never
    /// stalls the async runtime and never runs more than one per core. A
    /// decoder that panics on hostile input refuses that input; the server
    /// carries on.
    pub async fn run_blocking<T, F>(&self, work: F) -> Result<T, ImageError>
    where
        T: Send + 'static,
        F: FnOnce() -> Result<T, ImageError> + Send + 'static,
    {
        let _permit = self
            .inner
            .cpu
            .acquire()
            .await
            .map_err(|_| ImageError::Encode("the image pool is closed".into()))?;
        match tokio::task::spawn_blocking(work).await {
            Ok(result) => result,
            Err(e) => {
                tracing::warn!(error = %e, "image work panicked; the input is refused");
                Err(ImageError::Invalid("the image could not be decoded".into()))
            }
        }
    }

    /// A thumbnail job was queued: wakes a worker.
    pub fn job_queued(&self) {
        self.inner.jobs.notify_one();
    }

    pub(crate) async fn wait_for_job(&self) {
        self.inner.jobs.notified().await;
    }

    /// Something was deleted whose files may now be unwanted: sweeps soon.
    pub fn sweep_soon(&self) {
        self.inner.sweep.notify_one();
    }

    pub(crate) async fn wait_for_sweep(&self) {
        self.inner.sweep.notified().await;
    }
}
