//! Media settings: where files are stored (`PARLEY_MEDIA_URL`: a folder, or
//! an S3 bucket and prefix), how big an upload may be
//! (`PARLEY_MAX_UPLOAD_BYTES`), the decoding limits, and the background
//! workers' pace.

use crate::media::limits::ImageLimits;
use anyhow::bail;
use std::path::{Path, PathBuf};
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct MediaConfig {
    pub store: MediaStore,
    /// Largest accepted upload, in bytes (413 above).
    pub max_upload_bytes: u64,
    pub limits: ImageLimits,
    /// Thumbnail jobs this node runs at once; 0 runs none (an API-only node).
    pub workers: usize,
    /// Uploads never attached are deleted after this long.
    pub orphan_ttl: Duration,
    /// How often the sweeper looks for unwanted files (it also runs right
    /// after every deletion that frees some).
    pub sweep_interval: Duration,
    /// How often idle workers look for jobs queued by other nodes or due for a retry.
    pub poll_interval: Duration,
    /// Tries per thumbnail before the media is marked `failed`.
    pub job_attempts: u32,
    /// Delay before the first retry; doubled for each further one.
    pub retry_delay: Duration,
    /// A job `running` for this long belongs to a node that died; it is re-queued.
    pub stale_job_after: Duration,
}

impl MediaConfig {
    /// Defaults: files under `data_dir/media`, 5 MiB uploads.
    pub fn defaults(data_dir: &Path) -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Self {
            store: MediaStore::Local {
                root: data_dir.join("media"),
            },
            max_upload_bytes: 5 * 1024 * 1024,
            limits: ImageLimits::default(),
            // One core is left to the API: thumbnails never starve requests.
            workers: cores.saturating_sub(1).max(1),
            orphan_ttl: Duration::from_secs(24 * 3600),
            sweep_interval: Duration::from_secs(600),
            poll_interval: Duration::from_secs(5),
            job_attempts: 3,
            retry_delay: Duration::from_secs(10),
            stale_job_after: Duration::from_secs(600),
        }
    }
}

/// Where media files live.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MediaStore {
    /// A folder on this machine (`file://PATH`; default `DATA_DIR/media`).
    Local { root: PathBuf },
    /// An S3 bucket (`s3://bucket/prefix`), or any S3-compatible server.
    S3(S3Location),
}

/// An S3 bucket and key prefix. Credentials, region and endpoint left `None`
/// come from the usual `AWS_*` variables (`AWS_ACCESS_KEY_ID`,
/// `AWS_SECRET_ACCESS_KEY`, `AWS_REGION`, `AWS_ENDPOINT_URL`, ...).
#[derive(Clone, PartialEq, Eq)]
pub struct S3Location {
    pub bucket: String,
    pub prefix: String,
    pub endpoint: Option<String>,
    pub region: Option<String>,
    pub access_key_id: Option<String>,
    pub secret_access_key: Option<String>,
}

impl std::fmt::Debug for S3Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("S3Location")
            .field("bucket", &self.bucket)
            .field("prefix", &self.prefix)
            .field("endpoint", &self.endpoint)
            .field("region", &self.region)
            .finish_non_exhaustive()
    }
}

impl MediaStore {
    /// Parses `file://PATH` or `s3://bucket[/prefix]`.
    pub fn parse(url: &str) -> anyhow::Result<Self> {
        if let Some(path) = url.strip_prefix("file://") {
            if path.is_empty() {
                bail!(
                    "PARLEY_MEDIA_URL {url:?}: file:// needs a folder, e.g. file:///var/lib/parley/media"
                );
            }
            return Ok(Self::Local {
                root: PathBuf::from(path),
            });
        }
        if let Some(rest) = url.strip_prefix("s3://") {
            let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
            if bucket.is_empty() {
                bail!("PARLEY_MEDIA_URL {url:?}: s3:// needs a bucket, e.g. s3://my-bucket/parley");
            }
            return Ok(Self::S3(S3Location {
                bucket: bucket.to_owned(),
                prefix: prefix.trim_matches('/').to_owned(),
                endpoint: None,
                region: None,
                access_key_id: None,
                secret_access_key: None,
            }));
        }
        bail!("PARLEY_MEDIA_URL {url:?} must be file://PATH or s3://bucket/prefix")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_store_urls() {
        assert_eq!(
            MediaStore::parse("file:///srv/media").ok(),
            Some(MediaStore::Local {
                root: "/srv/media".into()
            })
        );
        assert_eq!(
            MediaStore::parse("file://./media").ok(),
            Some(MediaStore::Local {
                root: "./media".into()
            })
        );
        let Ok(MediaStore::S3(s3)) = MediaStore::parse("s3://bucket/some/prefix/") else {
            panic!("s3 url");
        };
        assert_eq!(
            (s3.bucket.as_str(), s3.prefix.as_str()),
            ("bucket", "some/prefix")
        );
        let Ok(MediaStore::S3(s3)) = MediaStore::parse("s3://bucket") else {
            panic!("s3 url");
        };
        assert_eq!(s3.prefix, "");
        for bad in ["file://", "s3://", "/srv/media", "http://x/y", ""] {
            assert!(MediaStore::parse(bad).is_err(), "{bad}");
        }
    }
}
