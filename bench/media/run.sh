#!/usr/bin/env bash
# The media benchmark. Run by hand from anywhere (not part of `make test`):
#
#   bench/media/run.sh
#
# 1. Thumbnails per second of one 12-megapixel JPEG (a photo-like test card
#    made by `parley-bench thumbs image`), fit in 200x200, JPEG q80: Parley's
#    own thumbnail function in process (`parley-bench thumbs rate`) against
#    sharp doing the same resize (`bench/media/thumbs.mjs`), at concurrency 1
#    and 2, alternating in the same run. sharp runs twice: with one libvips
#    thread per image (N images on N threads, as in Parley; also sharp's
#    default on glibc Linux) and with one libvips thread per core per image.
# 2. The p99 of an unrelated request (`GET /api/v1/timeline`, through
#    `parley-bench load`) on a running `parley serve`, idle and then while
#    its workers make thumbnails from a backlog of JOBS jobs
#    (`parley-bench thumbs queue`); the backlog must outlast the window.
#
# Results go into the "Media" section of docs/benchmarks.md (between the
# media:begin/end markers; other sections are left alone).
#
# Each throughput figure is the median of ROUNDS runs, the tools taking
# turns, so a burst of other activity on the machine hits them alike.
#
# Settings (environment): SECONDS_PER_RUN, ROUNDS, WARMUP, JOBS, CONNECTIONS,
# DURATION, USERS, POSTS, PARLEY_PORT.

set -euo pipefail

SECONDS_PER_RUN=${SECONDS_PER_RUN:-8}
ROUNDS=${ROUNDS:-3}
WARMUP=${WARMUP:-2}
JOBS=${JOBS:-1500}
CONNECTIONS=${CONNECTIONS:-8}
DURATION=${DURATION:-15s}
USERS=${USERS:-200}
POSTS=${POSTS:-5000}
PARLEY_PORT=${PARLEY_PORT:-18090}
SERVER_LIFETIME=${SERVER_LIFETIME:-900}

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BIN="$ROOT/target/release"
HERE="$ROOT/bench/media"
DOC="$ROOT/docs/benchmarks.md"
URL="http://127.0.0.1:$PARLEY_PORT"
WORK=$(mktemp -d /tmp/parley-media-bench.XXXXXX)
RATES="$WORK/rates.jsonl"
LATENCY="$WORK/latency.jsonl"
: >"$RATES"
: >"$LATENCY"
SERVER_PID=""

# shellcheck source=../lib.sh
source "$ROOT/bench/lib.sh"
trap cleanup EXIT
trap 'exit 130' INT TERM

# start_parley [WORKERS]: parley on SQLite in $WORK/data, rate limits off;
# without WORKERS, the default number of thumbnail workers.
start_parley() {
  local log="$WORK/parley-${1:-default}.log"
  local workers=()
  [[ -n "${1:-}" ]] && workers=("PARLEY_MEDIA_WORKERS=$1")
  (cd "$WORK" && exec env "${workers[@]}" PARLEY_RATE_LIMITS=off \
    PARLEY_MAX_UPLOAD_BYTES=$((32 * 1024 * 1024)) PARLEY_DATABASE_URL="$DB" \
    timeout "$SERVER_LIFETIME" "$BIN/parley" serve --addr "127.0.0.1:$PARLEY_PORT" \
      --data-dir "$WORK/data") >"$log" 2>&1 &
  SERVER_PID=$!
  wait_ready "$URL" "$log"
}

# timeline LABEL: one measured closed-loop run of GET /api/v1/timeline.
timeline() {
  log "timeline p99: $1"
  local out
  out=$("$BIN/parley-bench" load --url "$URL" --scenario timeline --connections "$CONNECTIONS" \
    --duration "$DURATION" --warmup 2s --tokens-file "$WORK/tokens.txt")
  echo "$out" >&2
  jq -c --arg phase "$1" '. + {phase: $phase}' <<<"$out" >>"$LATENCY"
}

log "building (release)"
cargo build --release --locked --manifest-path "$ROOT/Cargo.toml" -p parley-server -p parley-bench \
  --bin parley --bin parley-bench
log "installing sharp"
npm ci --prefix "$HERE" --no-audit --no-fund --loglevel=error

PHOTO="$WORK/photo.jpg"
"$BIN/parley-bench" thumbs image --out "$PHOTO" | tee "$WORK/photo.json"

# ------------------------------------------------------------ throughput
for round in $(seq 1 "$ROUNDS"); do
  for concurrency in 1 2; do
    log "thumbnails per second, concurrency $concurrency, round $round of $ROUNDS"
    "$BIN/parley-bench" thumbs rate --image "$PHOTO" --concurrency "$concurrency" \
      --seconds "$SECONDS_PER_RUN" --warmup "$WARMUP" | tee -a "$RATES"
    UV_THREADPOOL_SIZE=4 node "$HERE/thumbs.mjs" --image "$PHOTO" --concurrency "$concurrency" \
      --seconds "$SECONDS_PER_RUN" --warmup "$WARMUP" --threads 1 | tee -a "$RATES"
    UV_THREADPOOL_SIZE=4 node "$HERE/thumbs.mjs" --image "$PHOTO" --concurrency "$concurrency" \
      --seconds "$SECONDS_PER_RUN" --warmup "$WARMUP" --threads "$(nproc)" | tee -a "$RATES"
  done
done

# ------------------------------------------------------------ latency
DB="sqlite://$WORK/data/parley.db"
mkdir -p "$WORK/data"
log "seeding $USERS users, $POSTS posts"
"$BIN/parley-bench" seed --database-url "$DB" --users "$USERS" --posts "$POSTS" --follows 20 >/dev/null
start_parley 0
"$BIN/parley-bench" tokens --url "$URL" --count 16 --out "$WORK/tokens.txt"
timeline "idle"
log "queueing $JOBS thumbnail jobs"
"$BIN/parley-bench" thumbs queue --url "$URL" --database-url "$DB" --tokens-file "$WORK/tokens.txt" \
  --image "$PHOTO" --jobs "$JOBS" | tee "$WORK/queue.json"
stop_server
start_parley # the default workers: one per core but one
started=$(date +%s.%N)
timeline "while making thumbnails"
left=$("$BIN/parley-bench" thumbs pending --database-url "$DB")
echo "$left" >&2
pending=$(jq '.queued + .running' <<<"$left")
if [[ "$pending" -eq 0 ]]; then
  echo "error: the backlog of $JOBS jobs drained before the window ended; raise JOBS" >&2
  exit 1
fi
made=$((JOBS - pending))
drain_rate=$(awk -v made="$made" -v from="$started" -v to="$(date +%s.%N)" 'BEGIN { printf "%.1f", made / (to - from) }')
stop_server

# ------------------------------------------------------------ report
log "writing $DOC"
CPU=$(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
PHOTO_BYTES=$(jq .bytes "$WORK/photo.json")
SECTION="$WORK/section.md"
{
  echo "<!-- media:begin (written by bench/media/run.sh; edits inside are overwritten) -->"
  echo "## Media: thumbnails"
  echo
  echo "One photo-like 4000×3000 JPEG (12 MP, $((PHOTO_BYTES / 1024)) KiB, q92; sensor-like noise so it"
  echo "decodes like a camera file) made into a thumbnail that fits 200×200 (200×150), JPEG q80,"
  echo "from memory to memory, as fast as possible for ${SECONDS_PER_RUN} s after ${WARMUP} s of warm-up; medians of
$ROUNDS runs, the tools taking turns."
  echo "Parley: \`parley-bench thumbs rate\`, the function its workers run (libjpeg-turbo 3 decoding"
  echo "at 1/8 scale, \`fast_image_resize\` Lanczos3, libjpeg-turbo encoding), one thread per"
  echo "thumbnail. sharp: \`bench/media/thumbs.mjs\`, the same resize (\`fit: inside\`, no"
  echo "enlargement, Lanczos3, q80 4:2:0, shrink-on-load on, libvips cache off), run with one libvips"
  echo "thread per image (like Parley, and sharp's own default on glibc Linux) and with one per core."
  echo
  echo "| Concurrency | Parley thumbs/s | sharp, 1 thread/image | sharp, $(nproc) threads/image | Parley ÷ sharp (1 thread) | Parley ÷ sharp ($(nproc) threads) |"
  echo "|---:|---:|---:|---:|---:|---:|"
  jq -rs '
    def r(x): (x * 100 | round) / 100;
    def median: sort_by(.per_second) | .[(length / 2 | floor)];
    group_by(.concurrency)[]
    | (map(select(.tool == "parley")) | median) as $p
    | (map(select(.tool == "sharp" and .threads_per_image == 1)) | median) as $s1
    | (map(select(.tool == "sharp" and .threads_per_image != 1)) | median) as $sd
    | "| \($p.concurrency) | \($p.per_second) | \($s1.per_second) | \($sd.per_second) | \(r($p.per_second / $s1.per_second))× | \(r($p.per_second / $sd.per_second))× |"
  ' "$RATES"
  echo
  echo "Every run (thumbnails per second, in run order):"
  echo
  echo "| Concurrency | Parley | sharp, 1 thread/image | sharp, $(nproc) threads/image |"
  echo "|---:|---|---|---|"
  jq -rs '
    group_by(.concurrency)[]
    | "| \(.[0].concurrency) | \(map(select(.tool == "parley") | .per_second) | join(", ")) | \(map(select(.tool == "sharp" and .threads_per_image == 1) | .per_second) | join(", ")) | \(map(select(.tool == "sharp" and .threads_per_image != 1) | .per_second) | join(", ")) |"
  ' "$RATES"
  echo
  echo "Latency of an unrelated request while thumbnails are made: \`parley serve\` (release, SQLite,"
  echo "$USERS users and $POSTS posts seeded), \`GET /api/v1/timeline?limit=20\` from \`parley-bench load\`"
  echo "($CONNECTIONS keep-alive connections, closed loop, $DURATION measured after 2 s of warm-up), first idle, then"
  echo "right after a restart with a backlog of $JOBS thumbnail jobs of the 12 MP photo and the default"
  echo "workers (cores − 1 = $(( $(nproc) > 1 ? $(nproc) - 1 : 1 ))); $pending jobs were still pending when the window ended, so"
  echo "thumbnails were being made all along (about $drain_rate per second)."
  echo
  echo "| Phase | timeline rps | p50 ms | p99 ms | errors |"
  echo "|---|---:|---:|---:|---:|"
  jq -r '"| \(.phase) | \(.rps) | \(.p50_ms) | \(.p99_ms) | \(.errors) |"' "$LATENCY"
  echo
  echo "**Machine**: $(nproc) cores, $CPU; $(free -g | awk '/^Mem:/ {print $2}') GiB RAM. The benchmark tools, the"
  echo "server and (for the latency run) the load generator share these cores."
  echo "Run $(date -u '+%Y-%m-%d %H:%M UTC'), commit \`$(commit_label)\`,"
  echo "$(rustc --version | cut -d' ' -f1-2), Node $(node --version), sharp $(jq -rs 'map(select(.tool == "sharp"))[0].versions | "\(.sharp) (libvips \(.vips))"' "$RATES")."
  echo "Reproduce with \`bench/media/run.sh\`."
  echo "<!-- media:end -->"
} >"$SECTION"

write_section media "$SECTION" "$DOC"
log "done: results in $DOC"
