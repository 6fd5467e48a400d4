//! Builds the web client (`web/` → `web/dist`) before a release build embeds
//! it (`src/http/web_client/embedded.rs`), so `cargo build --release` alone
//! makes a binary that carries the current client.
//!
//! - When: release builds (the ones that embed), or any build with
//!   `PARLEY_BUILD_WEB=1`; never with `PARLEY_BUILD_WEB=0`. Debug builds read
//!   `web/dist` from disk at run time, so they never need it.
//! - Only when stale: a source (`web/src`, `web/index.html`, the lockfile...)
//!   is newer than `web/dist/index.html`, or there is no build yet. Cargo
//!   reruns this script when one of those paths changes.
//! - Without npm it warns and goes on (a fresh clone without Node.js still
//!   builds; the binary then serves the 503 page saying how to build the
//!   client, or embeds the older `web/dist` it found). A failing `npm run
//!   build` fails the build: embedding a stale client silently is worse.

use std::env;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::SystemTime;

/// What the client is built from (relative to `web/`); missing ones are skipped.
const SOURCES: [&str; 8] = [
    "src",
    "public",
    "index.html",
    "package.json",
    "package-lock.json",
    "vite.config.ts",
    "tsconfig.json",
    "tsconfig.node.json",
];

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=PARLEY_BUILD_WEB");
    let Some(manifest) = env::var_os("CARGO_MANIFEST_DIR") else {
        return;
    };
    let web = PathBuf::from(manifest).join("../../web");
    // rust-embed compiles the files in exactly when debug assertions are off.
    let embeds = env::var_os("CARGO_CFG_DEBUG_ASSERTIONS").is_none();
    let build = match env::var("PARLEY_BUILD_WEB").as_deref() {
        Ok("1" | "on" | "true") => true,
        Ok("0" | "off" | "false") => false,
        Ok("") | Err(_) => embeds,
        Ok(other) => panic!("PARLEY_BUILD_WEB must be 1 or 0, not {other:?}"),
    };
    if !(build || embeds) {
        return;
    }
    for source in SOURCES {
        let path = web.join(source);
        if path.exists() {
            println!("cargo:rerun-if-changed={}", path.display());
        }
    }
    // The whole folder: a client built by hand (or by `make web`) is embedded
    // too. While it does not exist Cargo reruns this script on every build,
    // which is cheap, and repeats the warning below, which is the point.
    println!("cargo:rerun-if-changed={}", web.join("dist").display());
    if build && is_stale(&web) {
        build_client(&web);
    }
}

fn is_stale(web: &Path) -> bool {
    let Some(built) = mtime(&web.join("dist/index.html")) else {
        return true;
    };
    newest_source(web).is_some_and(|newest| newest > built)
}

fn build_client(web: &Path) {
    let has_npm = Command::new("npm")
        .arg("--version")
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !has_npm {
        let what = if web.join("dist/index.html").is_file() {
            "embedding the existing web/dist, which is older than its sources"
        } else {
            "the binary will carry no web client (`/` answers 503 saying how to build it)"
        };
        println!(
            "cargo:warning=npm not found, so the web client was not built: {what}. Install \
             Node.js 20+ with npm (Debian: apt-get install -y nodejs npm) and build again, \
             or use `make run`."
        );
        return;
    }
    let lock = web.join("package-lock.json");
    let installed = web.join("node_modules/.package-lock.json");
    if mtime(&installed).is_none() || mtime(&lock) > mtime(&installed) {
        npm(web, &["ci", "--no-audit", "--no-fund"]);
    }
    npm(web, &["run", "build"]);
    settle_mtimes(web);
}

/// Runs npm in `web/`; its output goes to stderr, because Cargo reads this
/// script's stdout for instructions.
fn npm(web: &Path, args: &[&str]) {
    let status = Command::new("npm")
        .args(args)
        .current_dir(web)
        .stdout(Stdio::from(std::io::stderr()))
        .status();
    match status {
        Ok(status) if status.success() => {}
        Ok(status) => panic!(
            "`npm {}` in web/ failed ({status}); fix the client, or set PARLEY_BUILD_WEB=0 to \
             embed web/dist as it is",
            args.join(" ")
        ),
        Err(e) => panic!("could not run `npm {}` in web/: {e}", args.join(" ")),
    }
}

/// Dates the fresh `web/dist` like its newest source. Cargo compares watched
/// paths with the time this script *started*, so files written by the build
/// would otherwise make the next `cargo build` rerun the script and recompile
/// (and relink) the server once more for nothing.
fn settle_mtimes(web: &Path) {
    let Some(newest) = newest_source(web) else {
        return;
    };
    let mut paths = Vec::new();
    collect(&web.join("dist"), &mut paths);
    for path in paths {
        let file = std::fs::File::open(&path);
        if let Err(e) = file.and_then(|f| f.set_modified(newest)) {
            println!("cargo:warning=could not date {}: {e}", path.display());
        }
    }
}

fn newest_source(web: &Path) -> Option<SystemTime> {
    let mut paths = Vec::new();
    for source in SOURCES {
        collect(&web.join(source), &mut paths);
    }
    paths.iter().filter_map(|p| mtime(p)).max()
}

/// `path` and, for a folder, everything under it (folders included).
fn collect(path: &Path, out: &mut Vec<PathBuf>) {
    let Ok(meta) = std::fs::metadata(path) else {
        return;
    };
    out.push(path.to_owned());
    if meta.is_dir()
        && let Ok(entries) = std::fs::read_dir(path)
    {
        for entry in entries.flatten() {
            collect(&entry.path(), out);
        }
    }
}

fn mtime(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}
