#!/usr/bin/env bash
# RSS of the release dashboard once it holds about 100,000 invoices (every reachable team's
# Invoices tab visited), against a separate `gigdash sandbox --scale 110000`.
# Needs tmux. Usage: scripts/memory_100k.sh
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=target/release/gigdash
PORT=${PORT:-18555}
"$BIN" sandbox --port "$PORT" --scale 110000 > /tmp/gigdash-sandbox.out 2>&1 &
SB=$!
trap 'kill $SB 2>/dev/null; tmux kill-session -t gigmem 2>/dev/null || true' EXIT
for _ in $(seq 100); do grep -q eyJ /tmp/gigdash-sandbox.out 2>/dev/null && break; sleep 0.1; done
KEY=$(grep -m1 -o 'eyJ[^ ]*' /tmp/gigdash-sandbox.out)
tmux new-session -d -s gigmem -x 120 -y 40 \
  "env LC_ALL= GIGDASH_LANG= LANG=C.UTF-8 XDG_STATE_HOME=$(mktemp -d) GIGSTACK_API_BASE_URL=http://127.0.0.1:$PORT/v2 GIGSTACK_API_KEY=$KEY $BIN"
sleep 2
tmux send-keys -t gigmem 3
total=0
for i in $(seq 11); do
  for _ in $(seq 200); do
    screen=$(tmux capture-pane -p -t gigmem)
    if ! grep -q loading <<<"$screen" && grep -q "Invoices 1 of" <<<"$screen"; then break; fi
    sleep 0.1
  done
  n=$(grep -o 'Invoices 1 of [0-9,]*' <<<"$screen" | grep -o '[0-9,]*$' | tr -d ,)
  total=$((total + n))
  tmux send-keys -t gigmem ']'
  sleep 0.3
done
PID=$(pgrep -f "^$BIN$" | head -1)
echo "invoices held: about $total (11 visits)"
grep -E 'VmRSS|VmHWM' /proc/"$PID"/status
