#!/usr/bin/env bash
# Runs every fuzz target of fuzz/ (cargo fuzz layout: the importers, the search text pipeline
# and the search query planner) for a bounded time each, and prints the executions and the
# crashes found.
#
#   scripts/fuzz.sh [SECONDS]      # default 60 s per target; FUZZ_TARGETS="import_csv" to pick
#   FUZZ_SANITIZER=none scripts/fuzz.sh 20     # CI's smoke run: no AddressSanitizer
#
# FUZZ_SANITIZER is passed to `cargo fuzz -s` (default `address`). AddressSanitizer also finds
# memory errors in unsafe code and C dependencies, but instruments every crate of the build:
# from scratch it took ~40 min here. With `none`, the targets keep libFuzzer's coverage
# guidance and the Rust checks (panics, assertions, overflow checks, -rss_limit_mb, -timeout)
# and build in minutes; that is what CI runs (.ci/run), the nightly run keeps the default.
#
# cargo fuzz needs a nightly compiler for its sanitizer and coverage flags. This machine (and CI)
# has the stable toolchain only, so the script sets RUSTC_BOOTSTRAP=1, which lets a stable
# compiler accept them; with a nightly toolchain installed, unset it. cargo-fuzz itself is
# installed (`cargo install cargo-fuzz --locked`) when missing. New inputs go to
# target/fuzz-corpus/<target> (fuzz/corpus/<target>, the committed seeds, is read only); a crash
# leaves its input in fuzz/artifacts/<target>/ and makes the script fail.
#
# FUZZ_BUILD_BUDGET=SECONDS bounds the installation of cargo-fuzz and the build: what is not done
# by then is stopped, the run is reported as skipped and the script exits 0 (CI gives the fuzzers
# what is left of its 90 minutes; a build on a loaded machine can take much longer than that).
set -euo pipefail

seconds="${1:-60}"
sanitizer="${FUZZ_SANITIZER:-address}"
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root/fuzz"
export RUSTC_BOOTSTRAP="${RUSTC_BOOTSTRAP-1}"
budget="${FUZZ_BUILD_BUDGET:-}"
deadline=$((SECONDS + ${budget:-999999}))
# Runs a step of the build within what is left of the budget; past it, the run is skipped.
within_budget() {
    local left=$((deadline - SECONDS)) rc=0
    if [ "$left" -le 0 ]; then rc=124; else timeout --kill-after=30 "$left" "$@" || rc=$?; fi
    if { [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; } && [ -n "$budget" ]; then
        echo "fuzzing skipped: the build did not finish within FUZZ_BUILD_BUDGET=${budget} s"
        exit 0
    fi
    return "$rc"
}
if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "== installing cargo-fuzz (cargo install cargo-fuzz --locked)"
    within_budget cargo install cargo-fuzz --locked
fi
targets="${FUZZ_TARGETS:-$(cargo fuzz list)}"

# Built once, before the clock of the first target starts.
started=$SECONDS
if [ -n "${FUZZ_TARGETS:-}" ]; then
    for target in $targets; do
        within_budget cargo fuzz build -s "$sanitizer" --release "$target"
    done
else
    within_budget cargo fuzz build -s "$sanitizer" --release
fi
echo "fuzz targets built (sanitizer: $sanitizer) in $((SECONDS - started)) s"

failed=0
for target in $targets; do
    corpus="$root/target/fuzz-corpus/$target"
    mkdir -p "$corpus" "artifacts/$target"
    log="$root/target/fuzz-$target.log"
    # -rss_limit_mb: a read that takes more memory than this is a finding, as is a
    # single input that runs for more than -timeout seconds.
    if cargo fuzz run -s "$sanitizer" --release "$target" "$corpus" "corpus/$target" -- \
        -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
        >"$log" 2>&1; then
        status="ok"
    else
        status="CRASH (see $log and fuzz/artifacts/$target/)"
        failed=1
    fi
    runs="$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)"
    echo "$target: ${runs:-?} executions in ${seconds} s, $status"
done
exit "$failed"
