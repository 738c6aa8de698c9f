#!/usr/bin/env bash
# Benchmarks check, build, serve and import calendar at 1,000, 10,000 and 36,000 clients
# (the shape of seed 004, scaled), and the floor: reading every input once.
# Prints wall time, CPU time and peak RSS (GNU time), files read per second
# and pages written per second. Each figure is the median of BENCH_RUNS runs
# (default 3) after one warm-up run, so the page cache is warm for all.
# Usage: bench/run.sh [SIZES...] (default: 1000 10000 36000)
# Needs: cargo, GNU time (/usr/bin/time), bc and curl. Writes under ${BENCH_DIR:-target/bench}.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000 36000)
dir=${BENCH_DIR:-target/bench}
mkdir -p "$dir"
command -v /usr/bin/time >/dev/null || { echo "GNU time is needed: apt-get install time" >&2; exit 2; }
cargo build --release --quiet --bin clientele --example generate --example generate_calendar
bin=target/release/clientele
today=2026-11-22

# Every fresh output stays until the script ends. On ext4 without a journal
# (this kind of machine) a new file skips every inode freed in the last 60 s,
# or 360 s while its inode block is dirty, and creating files dirties those
# blocks: a build within six minutes of deleting 37,000 files is seconds
# slower, and that is the delete's cost, not the build's. So outputs are
# deleted when the script ends, the time is noted, and the next run waits
# until six minutes have passed.
deleted_at="$dir/.outputs-deleted-at"
pid=""
remove_outputs() {
  if [ -n "$(find "$dir" -mindepth 1 -maxdepth 1 \( -name 'fresh-*' -o -name 'out-*' \) | head -1)" ]; then
    rm -rf "$dir"/fresh-* "$dir"/out-*
    date +%s >"$deleted_at"
  fi
}
cleanup() {
  [ -z "$pid" ] || kill "$pid" 2>/dev/null || true
  remove_outputs
}
trap cleanup EXIT
remove_outputs # what a killed run left behind
if [ -f "$deleted_at" ]; then
  wait_s=$(( $(cat "$deleted_at") + 360 - $(date +%s) ))
  if [ "$wait_s" -gt 0 ]; then
    echo "outputs were deleted less than six minutes ago; waiting ${wait_s} s for ext4 to reuse their inodes"
    sync
    sleep "$wait_s"
  fi
fi

runs=${BENCH_RUNS:-3}
once() { # command...: prints "wall cpu rss_kib" of one run
  # Each run starts with nothing left to write back: a fresh 36,000-client
  # build leaves about 0.9 GB of dirty pages, which the kernel would
  # otherwise flush during the next timed run.
  sync
  read -r wall user sys rss <<<"$(/usr/bin/time -f "%e %U %S %M" "$@" 2>&1 >/dev/null | tail -1)"
  echo "$wall $(echo "$user + $sys" | bc) $rss"
}
measure() { # label, command...: one warm-up run, then $runs timed ones; prints the median run
  local label=$1; shift
  once "$@" >/dev/null
  local all; all=$(for _ in $(seq 1 "$runs"); do once "$@"; done | sort -n)
  read -r wall cpu rss <<<"$(echo "$all" | sed -n "$(( (runs + 1) / 2 ))p")"
  printf '%-28s wall %6.2f s   cpu %6.2f s   peak RSS %5d MiB   (wall of %d runs: %s s)\n' "$label" "$wall" "$cpu" "$((rss / 1024))" \
    "$runs" "$(echo "$all" | cut -d' ' -f1 | paste -sd' ')"
  LAST_WALL=$wall
}

for n in "${sizes[@]}"; do
  tiered=$((n * 8000 / 36000)); people=$((n * 350 / 36000)); [ "$people" -ge 5 ] || people=5
  notes=$((n * 100000 / 36000)); captured=$((n * 400000 / 36000))
  repo="$dir/firm-$n"
  if [ ! -d "$repo" ]; then
    target/release/examples/generate --clients "$n" --tiered "$tiered" --people "$people" \
      --notes "$notes" --captured "$captured" --violations 10 --out "$repo" >/dev/null
  fi
  files=$(find "$repo/" -type f | wc -l)
  echo "== $n clients ($tiered tiered, $people people, $notes notes, $captured captured; $files input files)"
  sync
  measure "floor: cat every file" sh -c "find '$repo/' -type f -print0 | xargs -0 cat"
  measure "check" "$bin" check "$repo" --today $today --format json
  printf '%-28s %d files/s\n' "  files read per second" "$(echo "$files / $LAST_WALL" | bc)"
  # Each fresh build gets a new folder, removed when the script ends (see
  # cleanup above).
  sync
  measure "build (fresh output)" sh -c "exec '$bin' build '$repo' --today $today --allow-errors --out '$dir/fresh-$n/'\$(date +%s%N)"
  pages=$(find "$(find "$dir/fresh-$n" -mindepth 1 -maxdepth 1 -type d | head -1)" -name '*.html' | wc -l)
  printf '%-28s %d pages/s (%d pages)\n' "  pages written per second" "$(echo "$pages / $LAST_WALL" | bc)" "$pages"
  # Replacing the output of the last build: unchanged pages are linked.
  measure "build (replacing output)" "$bin" build "$repo" --today $today --allow-errors --out "$dir/out-$n"
  # serve: one edited note, from the write to the reload event an open tab
  # gets (debounce included), and until the firm pages and exports caught up.
  log="$dir/serve-$n.log"
  "$bin" serve "$repo" --port 0 --today $today >"$log" 2>&1 &
  pid=$!
  for _ in $(seq 1 600); do grep -q "^watching" "$log" && break; sleep 0.2; done
  url=$(grep -o 'http://127.0.0.1:[0-9]*/' "$log" | head -1)
  note=$(find "$repo/clients" -path '*/activities/*.md' -print -quit)
  client=$(basename "$(dirname "$(dirname "$note")")")
  for round in 1 2 3; do
    events="$dir/events-$n.log"
    curl -sN --max-time 30 "${url}__clientele/events" | while IFS= read -r line; do
      case $line in event:*) echo "$(date +%s%N) $line";; esac
    done >"$events" &
    reader=$!
    sleep 0.5
    marker="Benchmark edit $(date +%s%N)"
    start=$(date +%s%N)
    echo "$marker." >>"$note"
    for _ in $(seq 1 300); do grep -q "event: reload" "$events" && break; sleep 0.01; done
    at=$(grep -m1 "event: reload" "$events" | cut -d' ' -f1)
    shown=$(curl -s "${url}clients/$client.html" | grep -c "$marker" || true)
    printf '%-28s %s ms to the reload event (note on the page: %s)\n' "serve: one edited note" \
      "$(( (${at:-$start} - start) / 1000000 ))" "$([ "$shown" -gt 0 ] && echo yes || echo NO)"
    for _ in $(seq 1 600); do [ "$(grep -c "^firm pages" "$log")" -ge "$round" ] && break; sleep 0.1; done
    kill $reader 2>/dev/null || true
  done
  grep "^rebuilt\|^firm pages" "$log" | sed 's/^/  /'
  # Serve holds the site in memory and, while it catches up, the next
  # firm pages and exports beside the ones it serves: its peak so far.
  hwm=$(awk '/^VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
  printf '%-28s %d MiB after the first build and three edits\n' "serve: peak RSS" "$(( ${hwm:-0} / 1024 ))"
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  pid=""
  # import calendar: a year of the team's calendar (as many events as the
  # firm has notes: 100,000 at 36,000 clients), matched and planned (dry
  # run), then written once into a copy of the firm made of hard links
  # (the import only adds files, so the firm itself is untouched).
  cal="$dir/calendar-$n.ics"
  [ -f "$cal" ] || target/release/examples/generate_calendar --clients "$n" --people "$people" --events "$notes" --out "$cal"
  measure "import calendar (dry run)" "$bin" import calendar "$cal" --dir "$repo" --today $today --dry-run
  copy="$dir/out-import-$n"
  rm -rf "$copy"
  cp -al "$repo" "$copy"
  read -r wall cpu rss <<<"$(once "$bin" import calendar "$cal" --dir "$copy" --today $today)"
  printf '%-28s wall %6.2f s   cpu %6.2f s   peak RSS %5d MiB   (one run; %d notes written)\n' "import calendar (writing)" "$wall" "$cpu" "$((rss / 1024))" \
    "$(( $(find "$copy/clients" -name '*.md' -newer "$cal" | wc -l) ))"
done
