//! The S3 backend, against a real S3-compatible server: `s3s-fs` (installed
//! by `make test` into `.tools/`), started here on a free port over a
//! temporary folder. Uploads, thumbnails, serving (proxied through Parley,
//! with the same headers) and deletion all go through the bucket. A missing
//! or failing `s3s-fs` fails the test: it is never skipped.

use crate::helpers::*;
use crate::media_support::*;
use parley_server::media::config::{MediaStore, S3Location};
use reqwest::StatusCode;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tempfile::TempDir;

both_backends!(media_live_in_an_s3_bucket);

pub(crate) const BUCKET: &str = "parley-test";
pub(crate) const PREFIX: &str = "media/test";
pub(crate) const ACCESS_KEY: &str = "parley-test-access";
pub(crate) const SECRET_KEY: &str = "parley-test-secret-key";

/// A running `s3s-fs`, stopped (its own process only) when dropped.
pub(crate) struct S3Server {
    child: Child,
    root: TempDir,
    pub(crate) endpoint: String,
}

impl Drop for S3Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `.tools/bin/s3s-fs` at the workspace root, or `PARLEY_TEST_S3S_FS`.
fn s3s_fs_binary() -> PathBuf {
    if let Some(path) = std::env::var_os("PARLEY_TEST_S3S_FS") {
        return PathBuf::from(path);
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.tools/bin/s3s-fs")
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

pub(crate) fn start_s3() -> S3Server {
    let binary = s3s_fs_binary();
    assert!(
        binary.is_file(),
        "{} not found: the S3 tests need s3s-fs 0.14.1. Run `make test` (it installs it), or \
         `cargo install s3s-fs --version 0.14.1 --locked --features binary --root .tools`, or \
         point PARLEY_TEST_S3S_FS at the binary.",
        binary.display()
    );
    let root = tempfile::Builder::new()
        .prefix("parley-s3-")
        .tempdir()
        .expect("a temporary folder");
    std::fs::create_dir(root.path().join(BUCKET)).expect("create the bucket");
    let port = free_port();
    let mut child = Command::new(&binary)
        .args(["--host", "127.0.0.1", "--port", &port.to_string()])
        .args(["--access-key", ACCESS_KEY, "--secret-key", SECRET_KEY])
        .arg(root.path())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("starting {}: {e}", binary.display()));
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        if let Ok(Some(status)) = child.try_wait() {
            let mut stderr = String::new();
            if let Some(mut pipe) = child.stderr.take() {
                let _ = std::io::Read::read_to_string(&mut pipe, &mut stderr);
            }
            panic!("s3s-fs exited at start ({status}): {stderr}");
        }
        if started.elapsed() > Duration::from_secs(15) {
            let _ = child.kill();
            panic!("s3s-fs did not listen on 127.0.0.1:{port} within 15 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    S3Server {
        child,
        root,
        endpoint: format!("http://127.0.0.1:{port}"),
    }
}

/// Object files under the bucket's prefix, by name.
fn objects(s3: &S3Server) -> Vec<String> {
    let dir = s3.root.path().join(BUCKET).join(PREFIX);
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(Result::ok)
                .filter(|e| e.path().is_file())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| !n.starts_with('.'))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

async fn media_live_in_an_s3_bucket(backend: Backend) {
    let s3 = start_s3();
    let endpoint = s3.endpoint.clone();
    let app = TestApp::spawn_with(backend, move |c| {
        c.media.store = MediaStore::S3(S3Location {
            bucket: BUCKET.into(),
            prefix: PREFIX.into(),
            endpoint: Some(endpoint),
            region: Some("us-east-1".into()),
            access_key_id: Some(ACCESS_KEY.into()),
            secret_access_key: Some(SECRET_KEY.into()),
        });
    })
    .await;
    let alice = app.signup("alice").await;
    let media = upload_ready(&app, &alice, jpeg_with_exif(&jpeg(900, 300), 1)).await;
    let url = media["url"].as_str().expect("url");
    let thumbnail_url = media["thumbnail_url"].as_str().expect("thumbnail");
    let key = |u: &str| u.trim_start_matches("/media/").to_owned();
    let mut expected = vec![key(url), key(thumbnail_url)];
    expected.sort();
    assert_eq!(
        objects(&s3),
        expected,
        "both files are in the bucket, under the prefix"
    );
    assert!(
        stored_files(&app).is_empty(),
        "nothing in the local media folder"
    );

    let original = fetch_file(&app, url, "image/jpeg").await;
    assert_eq!(dimensions(&original), (900, 300));
    assert!(!contains(&original, EXIF_SECRET.as_bytes()));
    let thumbnail = fetch_file(&app, thumbnail_url, "image/jpeg").await;
    assert_eq!(dimensions(&thumbnail), (200, 67));

    // Refused uploads store nothing in the bucket either.
    let response = upload_raw(&app, &alice.access_token, png_bomb(30_000, 30_000)).await;
    assert_error(
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(objects(&s3).len(), 2);

    // Deleting the post deletes the objects.
    let post = expect_json(
        post_with_media(&app, &alice, &[media["id"].as_str().expect("id")]).await,
        StatusCode::CREATED,
    )
    .await;
    expect_status(
        app.bearer_delete(
            &alice.access_token,
            &format!("/api/v1/posts/{}", post["id"].as_str().expect("id")),
            None,
        )
        .await,
        StatusCode::NO_CONTENT,
    )
    .await;
    let started = Instant::now();
    while !objects(&s3).is_empty() {
        assert!(
            started.elapsed() < PATIENCE,
            "objects left: {:?}",
            objects(&s3)
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let (status, _, _) = fetch(&app, url).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
