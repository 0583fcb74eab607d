#!/usr/bin/env bash
# Runs the terminal suites (real ptys, socat serial pairs, the console) once more with three busy loops
# competing for the CPU, as on a slow board: their waits are events (a prompt, a line), never fixed sleeps,
# so they must still pass. The busy loops are ours and are ended on every way out.
#   scripts/test-under-contention.sh                the terminal suites once (CI)
#   scripts/test-under-contention.sh --full [N]     the whole npm test suite N times in a row (default 3); stops at
#                                                   the first failing run
set -euo pipefail
cd "$(dirname "$0")/.."

suites=(
  tests/integration/serial-console.test.ts
  tests/integration/console-pty.test.ts
  tests/integration/pager-pty.test.ts
  tests/integration/demo-pty.test.ts
  tests/integration/terminal-safety.test.ts
  tests/integration/password-input.test.ts
)
hogs=()
stop_hogs() { [ ${#hogs[@]} -eq 0 ] || kill "${hogs[@]}" 2>/dev/null || true; }
trap stop_hogs EXIT
for _ in 1 2 3; do
  ( while :; do :; done ) &
  hogs+=("$!")
done
if [ "${1:-}" = "--full" ]; then
  times="${2:-3}"
  for run in $(seq 1 "$times"); do
    echo "== full suite under contention: run $run of $times ($(date -u +%H:%M:%S)) =="
    npm test
  done
  echo "== $times of $times full runs passed under contention =="
else
  npx vitest run "${suites[@]}" "$@"
fi
