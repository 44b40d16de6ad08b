#!/usr/bin/env bash
# Peak RSS and wall time of `gigdash sync --full` over every team of a separate
# `gigdash sandbox --teams 200 --scale N` (N invoices in all; default 200000), the client's
# rate limit lifted by a config profile so the store, not the limiter, is measured.
# Peak RSS from /usr/bin/time -v, else VmHWM read from /proc while it runs.
# Usage: scripts/sync_memory.sh [scale] [binary]
set -euo pipefail
cd "$(dirname "$0")/.."
SCALE=${1:-200000}
BIN=${2:-target/release/gigdash}
PORT=${PORT:-18556}
WORK=$(mktemp -d)
"$BIN" sandbox --port "$PORT" --teams 200 --scale "$SCALE" > "$WORK/sandbox.out" 2>&1 &
SB=$!
trap 'kill $SB 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 600); do grep -q eyJ "$WORK/sandbox.out" 2>/dev/null && break; sleep 0.2; done
KEY=$(grep -m1 -o 'eyJ[^ ]*' "$WORK/sandbox.out")
mkdir -p "$WORK/config/gigdash"
cat > "$WORK/config/gigdash/config.toml" <<TOML
profile = "measure"
[profiles.measure]
requests_per_second = 1000.0
burst = 1000
concurrency = 4
TOML
run() {
  env LC_ALL= GIGDASH_LANG= LANG=C.UTF-8 XDG_STATE_HOME="$WORK" XDG_CONFIG_HOME="$WORK/config" \
    XDG_CACHE_HOME="$WORK/cache" GIGSTACK_API_BASE_URL="http://127.0.0.1:$PORT/v2" \
    GIGSTACK_API_KEY="$KEY" "$@"
}
if [ -x /usr/bin/time ]; then
  run /usr/bin/time -v "$BIN" sync --full > "$WORK/sync.out" 2> "$WORK/time.out" || true
  tail -1 "$WORK/sync.out"
  grep -v -E '^\s' "$WORK/time.out" | tail -3 || true
  grep -E 'Maximum resident|Elapsed' "$WORK/time.out"
else
  run "$BIN" sync --full > "$WORK/sync.out" 2>&1 &
  P=$!; peak=0
  while kill -0 $P 2>/dev/null; do
    h=$(awk '/VmHWM/ {print $2}' /proc/$P/status 2>/dev/null || echo 0)
    [ "${h:-0}" -gt "$peak" ] && peak=$h
    sleep 0.05
  done
  tail -1 "$WORK/sync.out"; echo "VmHWM peak: $peak kB"
fi
du -sh "$WORK/cache/gigdash"
