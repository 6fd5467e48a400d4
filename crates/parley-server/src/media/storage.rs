//! Media files through `object_store`: a local folder or an S3 bucket behind
//! one small interface (put, get, delete by key). Keys come from
//! `media::keys` only. A missing object is `None` (or, for delete, success),
//! everything else is a storage failure, which the API reports as 503.

use crate::media::config::{MediaStore, S3Location};
use crate::media::format::ImageFormat;
use anyhow::Context;
use bytes::Bytes;
use object_store::aws::AmazonS3Builder;
use object_store::local::LocalFileSystem;
use object_store::path::Path;
use object_store::prefix::PrefixStore;
use object_store::{
    Attribute, AttributeValue, Attributes, GetResult, ObjectStore, ObjectStoreExt, PutOptions,
    PutPayload,
};
use std::sync::Arc;

/// The storage could not be reached or refused the operation.
#[derive(Debug, thiserror::Error)]
#[error("media storage: {0}")]
pub struct StorageError(String);

impl From<object_store::Error> for StorageError {
    fn from(e: object_store::Error) -> Self {
        Self(e.to_string())
    }
}

impl From<StorageError> for parley_core::Error {
    fn from(e: StorageError) -> Self {
        Self::Unavailable(e.to_string())
    }
}

#[derive(Clone)]
pub struct Storage {
    store: Arc<dyn ObjectStore>,
    /// S3 keeps a `Content-Type` per object; the local store cannot (and
    /// does not need to: the type is in the key's extension).
    records_content_type: bool,
    description: String,
}

impl std::fmt::Debug for Storage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.description)
    }
}

impl Storage {
    pub fn open(config: &MediaStore) -> anyhow::Result<Self> {
        match config {
            MediaStore::Local { root } => {
                std::fs::create_dir_all(root)
                    .with_context(|| format!("creating media folder {}", root.display()))?;
                let store = LocalFileSystem::new_with_prefix(root)
                    .with_context(|| format!("opening media folder {}", root.display()))?;
                Ok(Self {
                    store: Arc::new(store),
                    records_content_type: false,
                    description: format!("file://{}", root.display()),
                })
            }
            MediaStore::S3(s3) => Self::open_s3(s3),
        }
    }

    fn open_s3(s3: &S3Location) -> anyhow::Result<Self> {
        let mut builder = AmazonS3Builder::from_env().with_bucket_name(&s3.bucket);
        if let Some(endpoint) = &s3.endpoint {
            builder = builder.with_endpoint(endpoint);
        }
        if let Some(region) = &s3.region {
            builder = builder.with_region(region);
        }
        if let Some(key) = &s3.access_key_id {
            builder = builder.with_access_key_id(key);
        }
        if let Some(secret) = &s3.secret_access_key {
            builder = builder.with_secret_access_key(secret);
        }
        // A plain-http endpoint (a local S3-compatible server) must be allowed explicitly.
        let endpoint = s3
            .endpoint
            .clone()
            .or_else(|| std::env::var("AWS_ENDPOINT_URL").ok());
        if endpoint.is_some_and(|e| e.starts_with("http://")) {
            builder = builder.with_allow_http(true);
        }
        let bucket = builder
            .build()
            .with_context(|| format!("configuring S3 bucket {}", s3.bucket))?;
        let store: Arc<dyn ObjectStore> = if s3.prefix.is_empty() {
            Arc::new(bucket)
        } else {
            Arc::new(PrefixStore::new(bucket, s3.prefix.as_str()))
        };
        Ok(Self {
            store,
            records_content_type: true,
            description: format!("s3://{}/{}", s3.bucket, s3.prefix),
        })
    }

    pub async fn put(&self, key: &str, bytes: Vec<u8>) -> Result<(), StorageError> {
        let mut attributes = Attributes::new();
        if self.records_content_type
            && let Some(format) = crate::media::keys::parse(key)
        {
            attributes.insert(
                Attribute::ContentType,
                AttributeValue::from(format.content_type()),
            );
        }
        let options = PutOptions {
            attributes,
            ..PutOptions::default()
        };
        self.store
            .put_opts(&Path::from(key), PutPayload::from(bytes), options)
            .await?;
        Ok(())
    }

    /// Opens an object for streaming; `None` if there is none.
    pub async fn get(&self, key: &str) -> Result<Option<GetResult>, StorageError> {
        match self.store.get(&Path::from(key)).await {
            Ok(found) => Ok(Some(found)),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// The whole object; `None` if there is none.
    pub async fn read(&self, key: &str) -> Result<Option<Bytes>, StorageError> {
        match self.get(key).await? {
            Some(found) => Ok(Some(found.bytes().await?)),
            None => Ok(None),
        }
    }

    /// Deletes an object; one that is already gone counts as deleted.
    pub async fn delete(&self, key: &str) -> Result<(), StorageError> {
        match self.store.delete(&Path::from(key)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }

    /// The type an object is served with: the one its key was made for.
    pub fn content_type(key: &str) -> Option<&'static str> {
        crate::media::keys::parse(key).map(ImageFormat::content_type)
    }
}
