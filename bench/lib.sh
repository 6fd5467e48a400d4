# Shell helpers shared by the benchmark scripts (bench/run-social.sh,
# bench/media/run.sh). Source it after setting WORK (a scratch folder that
# cleanup removes) and SERVER_PID="" (the server under test, if any).

log() { printf '\n== %s\n' "$*" >&2; }

# Stops the server under test: SIGTERM, up to 10 s to finish, then SIGKILL.
stop_server() {
  [[ -n "$SERVER_PID" ]] || return 0
  kill -TERM "$SERVER_PID" 2>/dev/null || true
  for _ in $(seq 1 100); do
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
}

cleanup() {
  stop_server
  rm -rf "$WORK"
}

# wait_ready URL LOG: waits (at most 60 s) until URL/healthz answers 200;
# exits with the server's log if it dies or never answers.
wait_ready() {
  for _ in $(seq 1 120); do
    if curl -fsS -o /dev/null --max-time 1 "$1/healthz"; then return 0; fi
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      echo "server died while starting; its log:" >&2
      tail -n 40 "$2" >&2
      exit 1
    fi
    sleep 0.5
  done
  echo "server at $1 not ready after 60 s; its log:" >&2
  tail -n 40 "$2" >&2
  exit 1
}

# The commit the run measured, marked +dirty when the tree had changes.
commit_label() {
  echo "$(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet HEAD -- 2>/dev/null || echo '+dirty')"
}

# write_section NAME SECTION_FILE DOC: replaces the part of DOC between
# `<!-- NAME:begin` and `<!-- NAME:end -->` with SECTION_FILE (which holds
# both markers), or appends it, creating DOC if need be; then prints it.
write_section() {
  local name=$1 section=$2 doc=$3
  if [[ -f "$doc" ]] && grep -q "^<!-- $name:begin" "$doc"; then
    awk -v section="$section" -v begin="^<!-- $name:begin" -v end="^<!-- $name:end -->" '
      $0 ~ begin { while ((getline line < section) > 0) print line; skip = 1; next }
      $0 ~ end { skip = 0; next }
      !skip { print }
    ' "$doc" >"$WORK/.merged-doc.md"
    cat "$WORK/.merged-doc.md" >"$doc"
  else
    if [[ ! -f "$doc" ]]; then
      printf '# Benchmarks\n\nEach section is written by the script it names; numbers from one run on one machine.\n\n' >"$doc"
    fi
    { echo; cat "$section"; } >>"$doc"
  fi
  cat "$section"
}
