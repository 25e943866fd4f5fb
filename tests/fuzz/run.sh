#!/usr/bin/env bash
# tests/fuzz/run.sh SECONDS NAME... - runs each libFuzzer harness build-fuzz/fuzz_NAME (make fuzz
# builds them) for SECONDS, on a working corpus build-fuzz/corpus/NAME that starts from the
# committed seeds tests/fuzz/corpus/NAME (the seeds are only read). A failing input is saved as
# build-fuzz/artifacts/NAME-crash-* (or -timeout-, -oom-, -leak-); copy it into
# tests/fuzz/regressions/NAME/ once fixed, so that every test build replays it.
# tests/fuzz/NAME.dict, if there is one, is the harness's libFuzzer dictionary (tokens its
# mutations insert). Exit status 1 if any harness failed. Run from the repository's root.
set -u
secs=$1
shift
status=0
mkdir -p build-fuzz/artifacts
for name in "$@"; do
    work=build-fuzz/corpus/$name
    log=build-fuzz/fuzz-$name.log
    mkdir -p "$work"
    dict=()
    [ -f tests/fuzz/"$name".dict ] && dict=(-dict=tests/fuzz/"$name".dict)
    echo "fuzz $name: ${secs} s (log: $log)"
    # -timeout: one input taking over 10 s is a hang; -rss_limit_mb: libFuzzer's default (2 GB)
    if build-fuzz/fuzz_"$name" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 -artifact_prefix=build-fuzz/artifacts/"$name"- "${dict[@]}" \
        "$work" tests/fuzz/corpus/"$name" > "$log" 2>&1; then
        grep -E '^stat::(number_of_executed_units|new_units_added|peak_rss_mb)' "$log" |
            sed 's/^/    /'
        echo "    corpus: $(ls "$work" | wc -l) inputs"
    else
        status=1
        echo "FAIL fuzz $name:"
        grep -E 'ERROR|SUMMARY|Test unit written|artifact_prefix' "$log" | head -n 8 | sed 's/^/    /'
    fi
done
exit $status
