#!/usr/bin/env bash
# Runs every test project of the solution, and the inspector app's own tests (`npm test` in
# clients/inspector-web, when node is on PATH; nothing is installed for them), and ends with
# "N passed, N failed, N skipped" over both.
# Installs the Debian packages the tests need when they are missing (chromium for browser tests,
# imagemagick for photo-like test images, ffmpeg for the fake camera, nginx for the deployment guide's proxy,
# fonts-dejavu-core for the report's PDF: its Vietnamese glyphs).
set -uo pipefail
cd "$(dirname "$0")"

need=()
for pkg in chromium imagemagick ffmpeg nginx fonts-dejavu-core; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "Installing test dependencies: ${need[*]}"
  if [ "$(id -u)" = 0 ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}") >/dev/null \
      || echo "warning: could not install ${need[*]}; the tests that need them will fail or skip"
  else
    echo "warning: not root; install ${need[*]} with apt-get for the browser and QR tests"
  fi
fi

results=TestResults
rm -rf "$results"
mkdir -p "$results"
dotnet test --solution Traceability.sln -c Release --results-directory "$results" --report-xunit-trx "$@" 2>&1 | tee "$results/run.log"
code=${PIPESTATUS[0]}

# The counts come from the runner's own summary over every project: trx files are named by host and
# time, and two projects ending in the same instant left one file (89 tests went uncounted once).
count() { sed -n '/Test run summary/,$p' "$results/run.log" | grep -oE "^\s+$1: [0-9]+" | grep -oE '[0-9]+$' | tail -1; }
passed=$(count succeeded); failed=$(count failed); skipped=$(count skipped)
if [ -z "$passed" ]; then # no summary (the runner died): count the trx files
  passed=0; failed=0; skipped=0
  for trx in $(find "$results" -name '*.trx' 2>/dev/null); do
    p=$(grep -o 'outcome="Passed"' "$trx" | wc -l)
    s=$(grep -o 'outcome="NotExecuted"' "$trx" | wc -l)
    all=$(grep -o '<UnitTestResult ' "$trx" | wc -l)
    passed=$((passed + p)); skipped=$((skipped + s)); failed=$((failed + all - p - s))
  done
fi
failed=${failed:-0}; skipped=${skipped:-0}
[ "$code" -ne 0 ] && [ "$failed" -eq 0 ] && [ "$passed" -eq 0 ] && failed=1

# The inspector app's tests (node's built-in runner, no packages needed): its summary lines
# "# pass N", "# fail N", "# skipped N" (TAP, as written to a pipe) are added to the counts.
if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
  (cd clients/inspector-web && npm test --silent) > "$results/inspector-web.log" 2>&1
  node_code=$?
  node_count() { grep -oE "^# $1 [0-9]+$" "$results/inspector-web.log" | grep -oE '[0-9]+$' | tail -1; }
  node_passed=$(node_count pass); node_failed=$(node_count fail); node_skipped=$(node_count skipped)
  if [ -z "$node_passed" ]; then # no summary: the runner itself failed
    node_passed=0; node_failed=1; node_skipped=0
  fi
  [ "$node_code" -ne 0 ] && [ "${node_failed:-0}" -eq 0 ] && node_failed=1
  echo "clients/inspector-web (npm test): $node_passed passed, ${node_failed:-0} failed, ${node_skipped:-0} skipped (log: $results/inspector-web.log)"
  grep -E '^not ok ' "$results/inspector-web.log" | sed 's/^/inspector-web /'
  passed=$((passed + node_passed)); failed=$((failed + ${node_failed:-0})); skipped=$((skipped + ${node_skipped:-0}))
  [ "$node_code" -ne 0 ] && [ "$code" -eq 0 ] && code=$node_code
else
  echo "clients/inspector-web (npm test): not run, node is not on PATH (the .NET tests do not need it)"
fi
# The failed tests' names again, just above the summary, where a truncated log still shows them.
find "$results" -name '*.trx' -exec grep -ho '<UnitTestResult testName="[^"]*" outcome="\(Failed\|Error\|Timeout\|Aborted\)"' {} + 2>/dev/null \
  | sed 's/<UnitTestResult testName="\([^"]*\)" outcome="\([^"]*\)"/\2: \1/' | sort -u
echo "$passed passed, $failed failed, $skipped skipped"
exit "$code"
