#!/usr/bin/env bash
# The social benchmark: Parley against the Express + Sequelize peer on the
# same PostgreSQL data, and Parley alone on SQLite. Run by hand from anywhere:
#
#   bench/run-social.sh
#
# It builds `parley` and `parley-bench` in release mode, installs the peer
# (npm ci), then for PostgreSQL (a fresh database, dropped and recreated) and
# SQLite (a temporary directory):
#   1. seeds USERS users / POSTS posts (parley-bench seed),
#   2. starts `parley serve` with rate limits off and a fixed JWT secret,
#   3. signs in TOKENS users (parley-bench tokens),
#   4. runs the timeline and create-post loads (WARMUP, then DURATION measured,
#      CONNECTIONS keep-alive connections) against Parley and, on PostgreSQL,
#      against the Express peer reading the same tables with Parley's tokens,
# and writes the results into the social section of docs/benchmarks.md.
#
# Servers run one at a time and only ever on 127.0.0.1. Every wait is
# bounded, and every server is started under `timeout`, so nothing outlives
# the run even if this script is killed hard. Not part of `make test`.
#
# Settings (environment): USERS, POSTS, FOLLOWS, SEED, TOKENS, CONNECTIONS,
# DURATION, WARMUP, PG_ADMIN_URL, PG_BENCH_DB, PARLEY_PORT, EXPRESS_PORT.

set -euo pipefail

USERS=${USERS:-10000}
POSTS=${POSTS:-200000}
FOLLOWS=${FOLLOWS:-50}
SEED=${SEED:-42}
TOKENS=${TOKENS:-64}
CONNECTIONS=${CONNECTIONS:-32}
DURATION=${DURATION:-20s}
WARMUP=${WARMUP:-5s}
PG_ADMIN_URL=${PG_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}
PG_BENCH_DB=${PG_BENCH_DB:-parley_bench}
PARLEY_PORT=${PARLEY_PORT:-18080}
EXPRESS_PORT=${EXPRESS_PORT:-13000}
# Longest a server may live: far more than a run needs, so a server left
# behind by a killed script still goes away on its own.
SERVER_LIFETIME=${SERVER_LIFETIME:-1800}

case "$PG_BENCH_DB" in
  postgres|template0|template1|parley_test|'') echo "refusing to recreate database '$PG_BENCH_DB'" >&2; exit 1;;
esac

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN="$ROOT/target/release"
PEER="$ROOT/bench/express-peer"
DOC="$ROOT/docs/benchmarks.md"
PG_BENCH_URL="${PG_ADMIN_URL%/*}/$PG_BENCH_DB"
PARLEY_URL="http://127.0.0.1:$PARLEY_PORT"
EXPRESS_URL="http://127.0.0.1:$EXPRESS_PORT"
# A fixed, benchmark-only secret (64 bytes, base64): both servers verify the
# same tokens with it. Never use it anywhere else.
JWT_SECRET=$(printf 'parley-social-benchmark-only-secret-never-use-it-in-production!!' | base64 -w0)

WORK=$(mktemp -d /tmp/parley-social-bench.XXXXXX)
RESULTS="$WORK/results.jsonl"
COMMANDS="$WORK/commands.txt"
: >"$RESULTS"
: >"$COMMANDS"
SERVER_PID=""

# Runs a command and records it (with the secret elided) for the report.
run() {
  printf '%s\n' "$*" | sed "s|$JWT_SECRET|\$PARLEY_JWT_SECRET|g" >>"$COMMANDS"
  "$@"
}

# shellcheck source=lib.sh
source "$ROOT/bench/lib.sh"
trap cleanup EXIT
trap 'exit 130' INT TERM

# start_parley DATABASE_URL NAME
start_parley() {
  local log="$WORK/parley-$2.log"
  mkdir -p "$WORK/data-$2"
  # From the work directory, so no developer .env or parley.toml is picked up.
  (cd "$WORK" && PARLEY_RATE_LIMITS=off PARLEY_JWT_SECRET="$JWT_SECRET" \
    PARLEY_PUBLIC_URL="$PARLEY_URL" PARLEY_DATABASE_URL="$1" \
    exec timeout "$SERVER_LIFETIME" "$BIN/parley" serve --addr "127.0.0.1:$PARLEY_PORT" \
      --data-dir "$WORK/data-$2") >"$log" 2>&1 &
  SERVER_PID=$!
  printf 'PARLEY_RATE_LIMITS=off PARLEY_JWT_SECRET=$PARLEY_JWT_SECRET PARLEY_PUBLIC_URL=%s PARLEY_DATABASE_URL=%s target/release/parley serve --addr 127.0.0.1:%s --data-dir DIR\n' \
    "$PARLEY_URL" "$1" "$PARLEY_PORT" >>"$COMMANDS"
  wait_ready "$PARLEY_URL" "$log"
}

start_express() {
  local log="$WORK/express.log"
  (cd "$PEER" && DATABASE_URL="$PG_BENCH_URL" PARLEY_JWT_SECRET="$JWT_SECRET" \
    PARLEY_PUBLIC_URL="$PARLEY_URL" HOST=127.0.0.1 PORT="$EXPRESS_PORT" NODE_ENV=production \
    exec timeout "$SERVER_LIFETIME" node server.js) >"$log" 2>&1 &
  SERVER_PID=$!
  printf '(cd bench/express-peer && DATABASE_URL=%s PARLEY_JWT_SECRET=$PARLEY_JWT_SECRET PARLEY_PUBLIC_URL=%s PORT=%s NODE_ENV=production node server.js)\n' \
    "$PG_BENCH_URL" "$PARLEY_URL" "$EXPRESS_PORT" >>"$COMMANDS"
  wait_ready "$EXPRESS_URL" "$log"
}

# load BACKEND SERVER URL SCENARIO TOKENS_FILE: one measured run, appended
# to the results with its labels.
load() {
  log "$2 on $1: $4"
  local out
  out=$(run "$BIN/parley-bench" load --url "$3" --scenario "$4" --connections "$CONNECTIONS" \
    --duration "$DURATION" --warmup "$WARMUP" --tokens-file "$5")
  echo "$out" >&2
  jq -c --arg backend "$1" --arg server "$2" '. + {backend: $backend, server: $server}' \
    <<<"$out" >>"$RESULTS"
}

tokens() {
  run "$BIN/parley-bench" tokens --url "$PARLEY_URL" --count "$TOKENS" --out "$1"
}

# Counters must still equal the facts after both servers wrote posts.
check_posts_counts() {
  local wrong
  wrong=$(psql "$PG_BENCH_URL" -XAtq -c "SELECT COUNT(*) FROM users u WHERE u.posts_count <> \
    (SELECT COUNT(*) FROM posts p WHERE p.author_id = u.id)")
  if [[ "$wrong" != 0 ]]; then
    echo "error: $wrong users have a wrong posts_count after the run" >&2
    exit 1
  fi
}

log "building (release)"
run cargo build --release --locked --manifest-path "$ROOT/Cargo.toml" -p parley-server -p parley-bench --bin parley --bin parley-bench
log "installing the Express peer"
run npm ci --prefix "$PEER" --no-audit --no-fund --loglevel=error

# Other work on the machine skews every number; the report says how much.
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

# ---------------------------------------------------------------- PostgreSQL
log "PostgreSQL: fresh database $PG_BENCH_DB"
run psql "$PG_ADMIN_URL" -X -q -v ON_ERROR_STOP=1 \
  -c "DROP DATABASE IF EXISTS \"$PG_BENCH_DB\" WITH (FORCE)" -c "CREATE DATABASE \"$PG_BENCH_DB\""
run "$BIN/parley-bench" seed --database-url "$PG_BENCH_URL" --users "$USERS" --posts "$POSTS" \
  --follows "$FOLLOWS" --seed "$SEED" | tee "$WORK/seed-postgres.json"

# Timelines first on both servers, then writes: the posts a create-post run
# adds would otherwise change what the next timeline run reads.
start_parley "$PG_BENCH_URL" postgres
tokens "$WORK/tokens-postgres.txt"
load PostgreSQL Parley "$PARLEY_URL" timeline "$WORK/tokens-postgres.txt"
stop_server
start_express
load PostgreSQL Express "$EXPRESS_URL" timeline "$WORK/tokens-postgres.txt"
stop_server
start_parley "$PG_BENCH_URL" postgres
load PostgreSQL Parley "$PARLEY_URL" create-post "$WORK/tokens-postgres.txt"
stop_server
start_express
load PostgreSQL Express "$EXPRESS_URL" create-post "$WORK/tokens-postgres.txt"
stop_server
check_posts_counts

# -------------------------------------------------------------------- SQLite
SQLITE_URL="sqlite://$WORK/sqlite/parley.db"
mkdir -p "$WORK/sqlite"
log "SQLite: $SQLITE_URL"
run "$BIN/parley-bench" seed --database-url "$SQLITE_URL" --users "$USERS" --posts "$POSTS" \
  --follows "$FOLLOWS" --seed "$SEED" | tee "$WORK/seed-sqlite.json"
start_parley "$SQLITE_URL" sqlite
tokens "$WORK/tokens-sqlite.txt"
load SQLite Parley "$PARLEY_URL" timeline "$WORK/tokens-sqlite.txt"
load SQLite Parley "$PARLEY_URL" create-post "$WORK/tokens-sqlite.txt"
stop_server

# -------------------------------------------------------------------- report
log "writing $DOC"
CPU=$(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
SECTION="$WORK/section.md"
{
  echo "<!-- social:begin (written by bench/run-social.sh; edits inside are overwritten) -->"
  echo "## Social: timeline and create-post"
  echo
  echo "Parley against the Node peer the seeds used (Express 5 + Sequelize 6 on \`pg\`, one process,"
  echo "no cluster mode, \`bench/express-peer/\`), both reading and writing the **same PostgreSQL"
  echo "database** (same tables, same indexes), then Parley alone on SQLite. Data: $USERS users,"
  echo "$POSTS posts, $FOLLOWS follows per user (power-law-ish), hashtags, likes and comments, from"
  echo "\`parley-bench seed --seed $SEED\`. Load: \`parley-bench load\`, closed loop, $CONNECTIONS keep-alive"
  echo "connections rotating through $TOKENS signed-in users, $WARMUP warm-up then $DURATION measured;"
  echo "only 2xx answers count as requests."
  echo
  echo "- \`timeline\`: \`GET /api/v1/timeline?limit=20\` (own + followed users' posts, with authors,"
  echo "  hashtags, counts and \`liked_by_me\`; the session is checked in the database on every request)."
  echo "- \`create-post\`: \`POST /api/v1/posts\` with one hashtag (post, hashtags and the author's"
  echo "  \`posts_count\` in one transaction). Parley also does what the peer does not: it loads the"
  echo "  author's followers and emits \`post:created\` to each one's realtime room, and looks for"
  echo "  @mentions to notify."
  echo
  echo "The signed-in users (\`user1..user$TOKENS\`) are a random sample of the follow graph: the seed"
  echo "assigns popularity at random, so they are not its most followed accounts."
  echo
  echo "| Backend | Server | Scenario | rps | p50 ms | p99 ms | errors |"
  echo "|---|---|---|---:|---:|---:|---:|"
  jq -r '"| \(.backend) | \(.server) | \(.scenario) | \(.rps) | \(.p50_ms) | \(.p99_ms) | \(.errors) |"' "$RESULTS"
  echo
  echo "Parley / Express on PostgreSQL (throughput: higher is better for Parley; latency: Express's"
  echo "divided by Parley's, higher is better for Parley):"
  echo
  echo "| Scenario | rps ratio | p50 ratio | p99 ratio |"
  echo "|---|---:|---:|---:|"
  jq -rs '
    def r(x): (x * 100 | round) / 100;
    [ .[] | select(.backend == "PostgreSQL") ] | group_by(.scenario)[]
    | (map(select(.server == "Parley"))[0]) as $p | (map(select(.server == "Express"))[0]) as $e
    | select($p != null and $e != null)
    | "| \($p.scenario) | \(if $e.rps > 0 then "\(r($p.rps / $e.rps))×" else "n/a" end) | \(if $p.p50_ms > 0 then "\(r($e.p50_ms / $p.p50_ms))×" else "n/a" end) | \(if $p.p99_ms > 0 then "\(r($e.p99_ms / $p.p99_ms))×" else "n/a" end) |"
  ' "$RESULTS"
  echo
  echo "Seeding time: PostgreSQL $(jq .seconds "$WORK/seed-postgres.json") s, SQLite $(jq .seconds "$WORK/seed-sqlite.json") s"
  echo "($(jq '.follows' "$WORK/seed-postgres.json") follows, $(jq '.likes' "$WORK/seed-postgres.json") likes, $(jq '.comments' "$WORK/seed-postgres.json") comments, $(jq '.hashtags' "$WORK/seed-postgres.json") hashtag rows)."
  echo
  echo "**Machine**: $(nproc) cores, $CPU; $(free -g | awk '/^Mem:/ {print $2}') GiB RAM. The load generator,"
  echo "the server under test and PostgreSQL all share these $(nproc) cores, so the numbers measure the"
  echo "whole stack on one small box, not a server with cores to itself; the ratios are the point."
  echo "Load average (1, 5, 15 min) when the run started: $LOAD_BEFORE; when it ended: $(cut -d' ' -f1-3 /proc/loadavg)."
  if awk -v l="${LOAD_BEFORE%% *}" -v n="$(nproc)" 'BEGIN { exit !(l > n / 2) }'; then
    echo "**Other work was running on the machine during this run**, so absolute numbers are low and"
    echo "noisy and the servers, measured one after the other, did not see the same background load;"
    echo "rerun on an idle machine before quoting them."
  fi
  echo "Run $(date -u '+%Y-%m-%d %H:%M UTC'), commit \`$(commit_label)\`,"
  echo "$(rustc --version | cut -d' ' -f1-2), Node $(node --version), $(psql "$PG_ADMIN_URL" -XAtq -c 'SHOW server_version' | sed 's/^/PostgreSQL /;s/ (.*//')."
  echo
  echo "Reproduce with \`bench/run-social.sh\`; it ran exactly these commands (\$PARLEY_JWT_SECRET is a"
  echo "fixed benchmark-only key):"
  echo
  echo '```sh'
  sed "s|$ROOT/||g; s|$WORK|\$WORK|g" "$COMMANDS"
  echo '```'
  echo "<!-- social:end -->"
} >"$SECTION"

write_section social "$SECTION" "$DOC"
log "done: results in $DOC"
