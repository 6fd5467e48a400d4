//! `parley-bench thumbs`: the Rust side of the media benchmark
//! (`bench/media/run.sh` drives it, beside `bench/media/thumbs.mjs` for sharp).
//!
//! - `image` writes the test photo: a photo-like 12-megapixel JPEG (smooth
//!   shapes plus sensor-like noise, so it has a camera file's entropy).
//! - `rate` measures thumbnails per second of that JPEG in this process, at
//!   a given concurrency, with the very function the server's workers run
//!   (`make_thumbnail`: DCT-scaled decode, Lanczos3 resize, JPEG q80).
//! - `queue` gives a server a backlog of thumbnail jobs: it uploads the photo
//!   once through the API, then adds jobs re-thumbnailing the stored
//!   original straight into the database, so the latency run has thumbnails
//!   to make for its whole window without hours of uploads.
//! - `pending` prints how many jobs are still queued or running.

use crate::client::{Connection, Target};
use anyhow::{Context, bail};
use http::{HeaderValue, Method, header};
use parley_server::media::format::ImageFormat;
use parley_server::media::limits::ImageLimits;
use parley_server::media::thumbnail::make_thumbnail;
use parley_store::media::NewMedia;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

#[derive(Debug, clap::Args)]
pub struct ThumbsArgs {
    #[command(subcommand)]
    command: ThumbsCommand,
}

#[derive(Debug, clap::Subcommand)]
enum ThumbsCommand {
    /// Write a photo-like test JPEG.
    Image(ImageArgs),
    /// Thumbnails per second of a JPEG, in process. Prints one JSON object.
    Rate(RateArgs),
    /// Upload a JPEG once, then queue JOBS thumbnail jobs of it in the database.
    Queue(QueueArgs),
    /// Print the queued and running thumbnail jobs as JSON.
    Pending(PendingArgs),
}

#[derive(Debug, clap::Args)]
struct ImageArgs {
    #[arg(long, default_value = "photo.jpg")]
    out: PathBuf,
    #[arg(long, default_value_t = 4000)]
    width: u32,
    #[arg(long, default_value_t = 3000)]
    height: u32,
    #[arg(long, default_value_t = 92)]
    quality: i32,
}

#[derive(Debug, clap::Args)]
struct RateArgs {
    #[arg(long)]
    image: PathBuf,
    /// Thumbnails made at once, each on its own thread.
    #[arg(long, default_value_t = 1)]
    concurrency: usize,
    /// Measured window in seconds.
    #[arg(long, default_value_t = 10.0)]
    seconds: f64,
    /// Unmeasured work before the window, in seconds.
    #[arg(long, default_value_t = 2.0)]
    warmup: f64,
}

#[derive(Debug, clap::Args)]
struct QueueArgs {
    /// The server's origin (running, so the upload goes through the API).
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    url: String,
    /// Its database, where the extra jobs go.
    #[arg(long)]
    database_url: String,
    /// A file whose first line is an access token.
    #[arg(long)]
    tokens_file: PathBuf,
    #[arg(long)]
    image: PathBuf,
    #[arg(long, default_value_t = 500)]
    jobs: usize,
    #[arg(long)]
    allow_remote: bool,
}

#[derive(Debug, clap::Args)]
struct PendingArgs {
    #[arg(long)]
    database_url: String,
}

pub async fn run(args: ThumbsArgs) -> anyhow::Result<()> {
    match args.command {
        ThumbsCommand::Image(args) => image(&args),
        ThumbsCommand::Rate(args) => tokio::task::spawn_blocking(move || rate(&args)).await?,
        ThumbsCommand::Queue(args) => queue(args).await,
        ThumbsCommand::Pending(args) => pending(&args).await,
    }
}

/// Smooth shapes and gradients plus per-pixel noise of a few levels: what a
/// camera JPEG's entropy decoder faces (a clean gradient would be unfairly fast).
fn image(args: &ImageArgs) -> anyhow::Result<()> {
    let (w, h) = (args.width, args.height);
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut noise = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        i32::try_from(state % 25).unwrap_or(0) - 12
    };
    let photo = image::RgbImage::from_fn(w, h, |x, y| {
        let (fx, fy) = (f64::from(x) / f64::from(w), f64::from(y) / f64::from(h));
        let wave = ((fx * 9.0).sin() * (fy * 7.0).cos() * 60.0) as i32;
        let disc = if ((fx - 0.6).powi(2) + (fy - 0.4).powi(2)) < 0.04 {
            70
        } else {
            0
        };
        let mut channel = |base: f64, k: i32| {
            let v = (base * 200.0) as i32 + wave * k + disc + noise();
            u8::try_from(v.clamp(0, 255)).unwrap_or(0)
        };
        image::Rgb([channel(fx, 1), channel(fy, -1), channel(1.0 - fx * fy, 1)])
    });
    let jpeg = parley_server::media::encode::encode_jpeg(
        &image::DynamicImage::ImageRgb8(photo),
        args.quality,
    )
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    std::fs::write(&args.out, &jpeg).with_context(|| format!("writing {}", args.out.display()))?;
    println!(
        "{}",
        serde_json::json!({ "image": args.out, "width": w, "height": h, "bytes": jpeg.len() })
    );
    Ok(())
}

fn rate(args: &RateArgs) -> anyhow::Result<()> {
    let data =
        std::fs::read(&args.image).with_context(|| format!("reading {}", args.image.display()))?;
    let limits = ImageLimits::default();
    let sample =
        make_thumbnail(&data, ImageFormat::Jpeg, &limits).map_err(|e| anyhow::anyhow!("{e}"))?;
    let count = AtomicU64::new(0);
    let measuring = std::sync::atomic::AtomicBool::new(false);
    let start = Instant::now();
    let warmup = Duration::from_secs_f64(args.warmup);
    let end = warmup + Duration::from_secs_f64(args.seconds);
    let mut window_start = None;
    std::thread::scope(|scope| {
        for _ in 0..args.concurrency.max(1) {
            scope.spawn(|| {
                while start.elapsed() < end {
                    if make_thumbnail(&data, ImageFormat::Jpeg, &limits).is_ok()
                        && measuring.load(Ordering::Relaxed)
                    {
                        count.fetch_add(1, Ordering::Relaxed);
                    }
                }
            });
        }
        std::thread::sleep(warmup);
        window_start = Some(Instant::now());
        measuring.store(true, Ordering::Relaxed);
    });
    let seconds = window_start.map_or(0.0, |t| t.elapsed().as_secs_f64());
    let made = count.load(Ordering::Relaxed);
    let per_second = if seconds > 0.0 {
        made as f64 / seconds
    } else {
        0.0
    };
    println!(
        "{}",
        serde_json::json!({
            "tool": "parley",
            "concurrency": args.concurrency,
            "thumbnails": made,
            "seconds": (seconds * 100.0).round() / 100.0,
            "per_second": (per_second * 10.0).round() / 10.0,
            "thumbnail": format!("{}x{}", sample.width, sample.height),
            "thumbnail_bytes": sample.bytes.len(),
        })
    );
    Ok(())
}

async fn queue(args: QueueArgs) -> anyhow::Result<()> {
    let token = std::fs::read_to_string(&args.tokens_file)?
        .lines()
        .next()
        .context("no token in the tokens file")?
        .trim()
        .to_owned();
    let data = std::fs::read(&args.image)?;
    let target = Target::parse(&args.url, args.allow_remote)?;
    let mut conn = Connection::open(&target).await?;
    let boundary = "parley-bench-boundary-7f3a";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"photo.jpg\"\r\n\
         Content-Type: image/jpeg\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(&data);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let mut request = target.request(Method::POST, "/api/v1/media", Some(&token), Some(body))?;
    request.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&format!("multipart/form-data; boundary={boundary}"))?,
    );
    let (status, answer) = conn.send(request).await?;
    if !status.is_success() {
        bail!(
            "upload failed: {status} {}",
            String::from_utf8_lossy(&answer)
        );
    }
    let media: serde_json::Value = serde_json::from_slice(&answer)?;
    let id: parley_core::MediaId = media["id"].as_str().context("no media id")?.parse()?;
    let store = parley_store::Store::connect(&args.database_url).await?;
    let uploaded = store
        .media_by_id(id)
        .await?
        .context("the upload is not in the database")?;
    let owner = uploaded.owner_id.context("the upload has no owner")?;
    for _ in 1..args.jobs {
        let keys = parley_server::media::keys::upload(ImageFormat::Jpeg, ImageFormat::Jpeg);
        store
            .create_media(&NewMedia {
                id: parley_core::MediaId::new(),
                owner_id: owner,
                content_type: uploaded.content_type.clone(),
                // Every job re-thumbnails the one stored original.
                original_key: uploaded.original_key.clone(),
                thumbnail_key: keys.thumbnail,
                width: u32::try_from(uploaded.width)?,
                height: u32::try_from(uploaded.height)?,
                size_bytes: u64::try_from(uploaded.size_bytes)?,
                created_at: parley_core::Timestamp::now(),
            })
            .await?;
    }
    store.close().await;
    println!(
        "{}",
        serde_json::json!({ "media_id": id, "jobs": args.jobs, "original": uploaded.original_key })
    );
    Ok(())
}

async fn pending(args: &PendingArgs) -> anyhow::Result<()> {
    let store = parley_store::Store::connect(&args.database_url).await?;
    let (queued, running) = store.media_job_counts().await?;
    store.close().await;
    println!(
        "{}",
        serde_json::json!({ "queued": queued, "running": running })
    );
    Ok(())
}
