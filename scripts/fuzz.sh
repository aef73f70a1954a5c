#!/usr/bin/env bash
# Runs every fuzz target for a bounded time and stops by itself.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]     default: 60 s each, every target
#
# Needs cargo-fuzz (installed here with `cargo install` when missing) and a C++
# compiler (libFuzzer). Only the stable toolchain is needed: cargo-fuzz passes
# nightly flags (sanitizer coverage, -Zsanitizer=address) to rustc, which
# stable rustc accepts under RUSTC_BOOTSTRAP=1; the AddressSanitizer runtime
# ships with the stable toolchain. FUZZ_SANITIZER=none builds without ASan
# (faster, still coverage-guided).
#
# Logs go to fuzz/logs/. A crash leaves its input in fuzz/artifacts/<target>/, minimised; the script
# exits 1 and names it. Turn it into a regression test under tests/.
set -uo pipefail
cd "$(dirname "$0")/../fuzz"

secs=${1:-60}
shift || true
all=(plain_text check_file rule_file formats)
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=("${all[@]}")
sanitizer=${FUZZ_SANITIZER:-address}

if ! command -v cargo-fuzz >/dev/null 2>&1; then
    echo "== installing cargo-fuzz"
    cargo install cargo-fuzz --locked || exit 2
fi
export RUSTC_BOOTSTRAP=1

# Seeds: the bundled articles and clean texts for the text targets, the
# default rule pack for the rule loader. Copied, so the repo stays clean.
seed() {
    local target=$1 dir=corpus/$1
    mkdir -p "$dir"
    case $target in
        rule_file) find ../rules -name '*.toml' -exec cp {} "$dir/" \; ;;
        *) cp ../corpus/*.txt ../tests/fixtures/clean/*.txt "$dir/" 2>/dev/null ;;
    esac
}

echo "== building (sanitizer: $sanitizer)"
cargo fuzz build --sanitizer "$sanitizer" || exit 2
failed=()
mkdir -p logs
for t in "${targets[@]}"; do
    seed "$t"
    rm -rf "artifacts/$t"
    echo "== $t for ${secs}s"
    # -timeout: one input slower than 10 s is a hang; -rss_limit_mb: more
    # than 2 GiB is unbounded memory. timeout(1) is the last resort.
    timeout --signal=INT $((secs + 120)) \
        cargo fuzz run --sanitizer "$sanitizer" "$t" "corpus/$t" -- \
        -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
        -print_final_stats=1 >"logs/$t.log" 2>&1
    status=$?
    grep -E 'stat::number_of_executed_units|stat::peak_rss_mb' "logs/$t.log" | tr '\n' ' '
    echo
    crashes=$(find "artifacts/$t" -type f 2>/dev/null)
    if [ $status -ne 0 ] || [ -n "$crashes" ]; then
        failed+=("$t")
        tail -40 "logs/$t.log"
        for a in $crashes; do
            echo "== $t: $a; minimising"
            timeout 300 cargo fuzz tmin --sanitizer "$sanitizer" "$t" "$a" 2>&1 | tail -5
        done
    fi
done
if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzz: failures in ${failed[*]} (inputs under fuzz/artifacts/)"
    exit 1
fi
echo "fuzz: ${targets[*]}: no crash, hang or memory blow-up in ${secs}s each"
