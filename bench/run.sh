#!/usr/bin/env bash
# Load test of a seller's My Products page (50 rows, 1 000 000 products of 10 000 sellers)
# against a static page of the same size served by the same binary (the ceiling), then the
# public catalog search for a common, a rare, an absent and two Chinese words.
#
#   bash bench/run.sh                                   # SQLite file under target/bench/
#   DATABASE_URL=postgres://user:pw@127.0.0.1/bench bash bench/run.sh
#
# Knobs (environment): BENCH_SELLERS (10000), BENCH_PRODUCTS_PER_SELLER (100),
# BENCH_CONNECTIONS (64), BENCH_THREADS (2), BENCH_DURATION (20s), BENCH_WARMUP (5s),
# BENCH_FRESH=1 (delete the SQLite file first), BENCH_NO_BUILD=1, BENCH_RUST_LOG (warn),
# BENCH_TOOL=wrk|oha (default: wrk, installed with apt-get if missing; oha if it is present).
set -euo pipefail

cd "$(dirname "$0")/.."

SELLERS=${BENCH_SELLERS:-10000}
PER_SELLER=${BENCH_PRODUCTS_PER_SELLER:-100}
CONNECTIONS=${BENCH_CONNECTIONS:-64}
THREADS=${BENCH_THREADS:-2}
DURATION=${BENCH_DURATION:-20s}
WARMUP=${BENCH_WARMUP:-5s}
OUT=target/bench
BIN=${CARGO_TARGET_DIR:-target}/release/seller-console
mkdir -p "$OUT"
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"


# --- build and data ---------------------------------------------------------------------------
if [[ -z ${BENCH_NO_BUILD:-} ]]; then
  say "cargo build --release"
  cargo build --release
fi
[[ -x $BIN ]] || die "$BIN missing (build with cargo build --release)"

if [[ -z ${DATABASE_URL:-} ]]; then
  DB_FILE=$OUT/bench-${SELLERS}x${PER_SELLER}.db
  if [[ -n ${BENCH_FRESH:-} ]]; then
    rm -f "$DB_FILE" "$DB_FILE-wal" "$DB_FILE-shm"
  fi
  DATABASE_URL=sqlite://$DB_FILE
fi
export DATABASE_URL
# What gets printed: never a password.
DB_SHOWN=$(sed -E 's#(://[^:/@]+):[^@]*@#\1:***@#' <<<"$DATABASE_URL")

say "bench data: $SELLERS sellers x $PER_SELLER products in $DB_SHOWN"
load_start=$(date +%s)
"$BIN" bench-data --sellers "$SELLERS" --products-per-seller "$PER_SELLER" --if-missing \
  | tee "$OUT/bench-data.log"
echo "bench-data took $(($(date +%s) - load_start)) s (wall clock, including migrations)"
if [[ -n ${DB_FILE:-} ]]; then
  DB_SIZE=$(du -h "$DB_FILE" | cut -f1)
  echo "database file: $DB_FILE, $DB_SIZE"
elif command -v psql >/dev/null; then
  DB_SIZE=$(psql "$DATABASE_URL" -Atc "SELECT pg_size_pretty(pg_database_size(current_database()))" 2>/dev/null || echo "size unknown")
  echo "database size: $DB_SIZE"
else
  DB_SIZE="size unknown"
fi

start_server env
say "server on $BASE (pid $SERVER_PID)"

# --- sign in as bench seller #1 ---------------------------------------------------------------
sign_in bench-seller-1@bench.example bench-seller-2026 /console/products

# Fetches My Products with the session (and, as $1, the language cookie); fails unless it is
# the 50-row page itself, in that language.
check_my_products() {
  local cookie=$COOKIE lang=en code size rows
  if [[ -n ${1:-} ]]; then cookie="$COOKIE; lang=$1"; lang=$1; fi
  read -r code size < <(curl -s -o "$OUT/my-products.html" -w '%{http_code} %{size_download}\n' \
    -H "Cookie: $cookie" "$BASE/console/products")
  [[ $code == 200 ]] || die "/console/products answered $code (expected 200, signed in)"
  rows=$(grep -oE '/preview">[^<]+<' "$OUT/my-products.html" | wc -l || true)
  [[ $rows == 50 ]] || die "/console/products shows $rows rows, expected 50"
  grep -q "<html lang=\"$lang\">" "$OUT/my-products.html" || die "/console/products is not in $lang"
  PAGE_BYTES=$size
}
# The first view may still add the CSRF token to the session; measure the steady state.
check_my_products
check_my_products
echo "My Products: 200, 50 rows, $PAGE_BYTES bytes"

stop_server
start_server env BENCH_CEILING_BYTES="$PAGE_BYTES"
ceiling_size=$(curl -s -o /dev/null -w '%{http_code} %{size_download}' "$BASE/bench/ceiling")
[[ $ceiling_size == "200 $PAGE_BYTES" ]] || die "/bench/ceiling answered '$ceiling_size'"
check_my_products
say "server restarted with BENCH_CEILING_BYTES=$PAGE_BYTES on $BASE"

# --- load -------------------------------------------------------------------------------------
CONDITIONS="$(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) and $(compilers) compiler processes before the runs"
say "warm-up ($WARMUP each)"
run_load warmup-my-products "$WARMUP" "$BASE/console/products" -H "Cookie: $COOKIE" >/dev/null
run_load warmup-ceiling "$WARMUP" "$BASE/bench/ceiling" >/dev/null

say "My Products: $TOOL, $CONNECTIONS connections, $THREADS threads, $DURATION"
read -r MP_RPS MP_P50 MP_P99 MP_BYTES MP_BAD < <(run_load my-products "$DURATION" \
  "$BASE/console/products" -H "Cookie: $COOKIE")
[[ -n ${MP_RPS:-} ]] || die "the My Products run gave no figures (see $OUT/$TOOL-my-products.txt)"
cat "$OUT/$TOOL-my-products.txt"
# wrk counts a 303 to /login as a success: make sure the session held throughout.
check_my_products

# The same page in Chinese (the language cookie; the account has no language of its own).
check_my_products zh-CN
ZH_BYTES=$PAGE_BYTES
run_load warmup-my-products-zh "$WARMUP" "$BASE/console/products" -H "Cookie: $COOKIE; lang=zh-CN" >/dev/null
say "My Products in Chinese: $TOOL, $CONNECTIONS connections, $THREADS threads, $DURATION"
read -r ZH_RPS ZH_P50 ZH_P99 ZH_BYTES ZH_BAD < <(run_load my-products-zh "$DURATION" \
  "$BASE/console/products" -H "Cookie: $COOKIE; lang=zh-CN")
[[ -n ${ZH_RPS:-} ]] || die "the Chinese My Products run gave no figures"
cat "$OUT/$TOOL-my-products-zh.txt"
check_my_products zh-CN

say "ceiling: $TOOL, $CONNECTIONS connections, $THREADS threads, $DURATION"
read -r CE_RPS CE_P50 CE_P99 CE_BYTES CE_BAD < <(run_load ceiling "$DURATION" "$BASE/bench/ceiling")
[[ -n ${CE_RPS:-} ]] || die "the ceiling run gave no figures (see $OUT/$TOOL-ceiling.txt)"
cat "$OUT/$TOOL-ceiling.txt"

# --- catalog search ---------------------------------------------------------------------------
# A word in nearly every English product, one in about one product in 2 000, one in none, a
# three-character Chinese word and a two-character one (matched as a word of the text).
SEARCH_NAMES=(common rare none chinese chinese-2)
SEARCH_WORDS=(cloud quasar zyxwvut 数据库 安全)
declare -A SE_RPS SE_P50 SE_P99 SE_BYTES SE_BAD SE_FOUND
for i in "${!SEARCH_NAMES[@]}"; do
  name=${SEARCH_NAMES[$i]}
  word=${SEARCH_WORDS[$i]}
  q=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$word")
  url="$BASE/?q=$q"
  code=$(curl -s -o "$OUT/search-$name.html" -w '%{http_code}' "$url")
  [[ $code == 200 ]] || die "search for $word answered $code"
  SE_FOUND[$name]=$(grep -o 'Catalog <span class="muted">([^)]*)' "$OUT/search-$name.html" | sed -E 's/.*\((.*)/\1/')
  say "catalog search '$word' (${SE_FOUND[$name]}): $TOOL, $CONNECTIONS connections, $THREADS threads, $DURATION"
  run_load "warmup-search-$name" "$WARMUP" "$url" >/dev/null
  read -r r p50 p99 bytes bad < <(run_load "search-$name" "$DURATION" "$url")
  [[ -n ${r:-} ]] || die "the search run gave no figures (see $OUT/$TOOL-search-$name.txt)"
  cat "$OUT/$TOOL-search-$name.txt"
  SE_RPS[$name]=$r SE_P50[$name]=$p50 SE_P99[$name]=$p99 SE_BYTES[$name]=$bytes SE_BAD[$name]=$bad
done
LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg) and $(compilers) compiler processes"
stop_server

RATIO=$(awk -v a="$MP_RPS" -v b="$CE_RPS" 'BEGIN { printf "%.1f", (b > 0 ? 100 * a / b : 0) }')
P99_OK=$(awk -v p="$MP_P99" 'BEGIN { print (p < 10 ? "met" : "MISSED") }')
RATIO_OK=$(awk -v r="$RATIO" 'BEGIN { print (r >= 50 ? "met" : "MISSED") }')

{
  echo
  echo "== Summary ($(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?'))"
  echo "database:   $DB_SHOWN ($DB_SIZE), $SELLERS sellers x $PER_SELLER products"
  echo "machine:    $CONDITIONS, $LOAD_AFTER after"
  echo "load:       $TOOL, $CONNECTIONS connections, $THREADS threads, $DURATION per page"
  printf '%-14s %12s %10s %10s %12s %6s\n' page "requests/s" "p50 ms" "p99 ms" "bytes/resp" bad
  printf '%-14s %12s %10s %10s %12s %6s\n' "My Products" "$MP_RPS" "$MP_P50" "$MP_P99" "$MP_BYTES" "$MP_BAD"
  printf '%-14s %12s %10s %10s %12s %6s\n' "My Products zh" "$ZH_RPS" "$ZH_P50" "$ZH_P99" "$ZH_BYTES" "$ZH_BAD"
  printf '%-14s %12s %10s %10s %12s %6s\n' "ceiling" "$CE_RPS" "$CE_P50" "$CE_P99" "$CE_BYTES" "$CE_BAD"
  for name in "${SEARCH_NAMES[@]}"; do
    printf '%-14s %12s %10s %10s %12s %6s  %s\n' "search $name" "${SE_RPS[$name]}" "${SE_P50[$name]}" \
      "${SE_P99[$name]}" "${SE_BYTES[$name]}" "${SE_BAD[$name]}" "${SE_FOUND[$name]}"
  done
  echo "ratio:      My Products serves $RATIO% of the ceiling's throughput"
  echo "targets:    p99 < 10 ms: $P99_OK; throughput >= 50% of the ceiling: $RATIO_OK"
  echo "            in Chinese: p99 < 10 ms: $(awk -v p="$ZH_P99" 'BEGIN { print (p < 10 ? "met" : "MISSED") }'); $(awk -v a="$ZH_RPS" -v b="$CE_RPS" 'BEGIN { printf "%.1f", (b > 0 ? 100 * a / b : 0) }')% of the ceiling"
  for name in "${SEARCH_NAMES[@]}"; do
    echo "            search $name p99 < 50 ms: $(awk -v p="${SE_P99[$name]}" 'BEGIN { print (p < 50 ? "met" : "MISSED") }')"
  done
} | tee "$OUT/summary.txt"

if [[ $MP_BAD != 0 || $CE_BAD != 0 || $ZH_BAD != 0 ]]; then
  die "some responses failed (see $OUT/$TOOL-*.txt)"
fi
