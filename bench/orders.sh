#!/usr/bin/env bash
# Load test of Product Transaction (/console/orders) for a seller with 100 000 orders, the CSV
# export of all of them (the server's peak memory before and after), and the monthly bill job
# for every bench seller.
#
#   bash bench/orders.sh                                   # SQLite file under target/bench/
#   DATABASE_URL=postgres://user:pw@127.0.0.1/bench bash bench/orders.sh
#
# Knobs (environment): BENCH_SELLERS (10000), BENCH_PRODUCTS_PER_SELLER (10),
# BENCH_BIG_SELLER_ORDERS (100000), BENCH_ORDERS_PER_SELLER (20), BENCH_CONNECTIONS (64),
# BENCH_THREADS (2), BENCH_DURATION (20s), BENCH_WARMUP (5s), BENCH_FRESH=1, BENCH_NO_BUILD=1.
set -euo pipefail

cd "$(dirname "$0")/.."

SELLERS=${BENCH_SELLERS:-10000}
PER_SELLER=${BENCH_PRODUCTS_PER_SELLER:-10}
BIG=${BENCH_BIG_SELLER_ORDERS:-100000}
ORDERS=${BENCH_ORDERS_PER_SELLER:-20}
CONNECTIONS=${BENCH_CONNECTIONS:-64}
THREADS=${BENCH_THREADS:-2}
DURATION=${BENCH_DURATION:-20s}
WARMUP=${BENCH_WARMUP:-5s}
OUT=target/bench
BIN=${CARGO_TARGET_DIR:-target}/release/seller-console
mkdir -p "$OUT"
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"

if [[ -z ${BENCH_NO_BUILD:-} ]]; then
  say "cargo build --release"
  cargo build --release
fi
[[ -x $BIN ]] || die "$BIN missing (build with cargo build --release)"

if [[ -z ${DATABASE_URL:-} ]]; then
  DB_FILE=$OUT/orders-${SELLERS}x${PER_SELLER}.db
  if [[ -n ${BENCH_FRESH:-} ]]; then
    rm -f "$DB_FILE" "$DB_FILE-wal" "$DB_FILE-shm"
  fi
  DATABASE_URL=sqlite://$DB_FILE
fi
export DATABASE_URL
DB_SHOWN=$(sed -E 's#(://[^:/@]+):[^@]*@#\1:***@#' <<<"$DATABASE_URL")

say "bench data: $SELLERS sellers x $PER_SELLER products, then orders, in $DB_SHOWN"
"$BIN" bench-data --sellers "$SELLERS" --products-per-seller "$PER_SELLER" --if-missing
"$BIN" bench-orders --big-seller-orders "$BIG" --orders-per-seller "$ORDERS" --if-missing

start_server env
say "server on $BASE (pid $SERVER_PID)"
sign_in bench-seller-1@bench.example bench-seller-2026 /console/orders

check_orders() {
  local code rows
  code=$(curl -s -o "$OUT/orders.html" -w '%{http_code}' -H "Cookie: $COOKIE" "$BASE/console/orders")
  [[ $code == 200 ]] || die "/console/orders answered $code"
  rows=$(grep -c 'href="/console/orders/[0-9]*">#' "$OUT/orders.html" || true)
  [[ $rows == 50 ]] || die "/console/orders shows $rows rows, expected 50"
}
check_orders
check_orders
echo "Product Transaction: 200, 50 rows, $(wc -c <"$OUT/orders.html") bytes"

CONDITIONS="$(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) and $(compilers) compiler processes before the runs"
run_load warmup-orders "$WARMUP" "$BASE/console/orders" -H "Cookie: $COOKIE" >/dev/null
say "Product Transaction: $TOOL, $CONNECTIONS connections, $THREADS threads, $DURATION"
read -r PT_RPS PT_P50 PT_P99 PT_BYTES PT_BAD < <(run_load orders "$DURATION" "$BASE/console/orders" -H "Cookie: $COOKIE")
cat "$OUT/$TOOL-orders.txt"
check_orders
read -r F_RPS F_P50 F_P99 F_BYTES F_BAD < <(run_load orders-filtered "$DURATION" \
  "$BASE/console/orders?state=completed&page=3" -H "Cookie: $COOKIE")
cat "$OUT/$TOOL-orders-filtered.txt"

# --- CSV export: the server's peak resident memory (VmHWM) before and after ------------------
hwm() { awk '/VmHWM/ { print $2 }' "/proc/$SERVER_PID/status"; }
HWM_BEFORE=$(hwm)
csv_start=$(date +%s.%N)
curl -s -H "Cookie: $COOKIE" "$BASE/console/orders.csv" -o "$OUT/orders.csv"
CSV_SECS=$(awk -v a="$csv_start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
HWM_AFTER=$(hwm)
CSV_ROWS=$(($(wc -l <"$OUT/orders.csv") - 1))
CSV_BYTES=$(wc -c <"$OUT/orders.csv")
echo "CSV: $CSV_ROWS rows, $CSV_BYTES bytes in $CSV_SECS s; server peak memory ${HWM_BEFORE} kB before, ${HWM_AFTER} kB after"
stop_server

# --- the ceiling: a static page of the same size from the same binary, in the same run -------
PAGE_BYTES=$(wc -c <"$OUT/orders.html")
start_server env BENCH_CEILING_BYTES="$PAGE_BYTES"
run_load warmup-orders-ceiling "$WARMUP" "$BASE/bench/ceiling" >/dev/null
say "ceiling ($PAGE_BYTES bytes): $TOOL, $CONNECTIONS connections, $THREADS threads, $DURATION"
read -r CE_RPS CE_P50 CE_P99 CE_BYTES CE_BAD < <(run_load orders-ceiling "$DURATION" "$BASE/bench/ceiling")
cat "$OUT/$TOOL-orders-ceiling.txt"
stop_server

# --- the bill job -----------------------------------------------------------------------------
PERIOD=$(date -u -d "$(date -u +%Y-%m-01) -1 day" +%Y-%m)
say "bill job for $PERIOD (every bench seller)"
BILL=$("$BIN" bench-bill --period "$PERIOD" --again | tail -n1)
echo "$BILL"

{
  echo
  echo "== Summary ($(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?'))"
  echo "database:   $DB_SHOWN, $SELLERS sellers x $PER_SELLER products; $BIG orders for seller #1, $ORDERS for each other"
  echo "machine:    $CONDITIONS"
  printf '%-26s %12s %10s %10s %12s %6s\n' page "requests/s" "p50 ms" "p99 ms" "bytes/resp" bad
  printf '%-26s %12s %10s %10s %12s %6s\n' "Product Transaction" "$PT_RPS" "$PT_P50" "$PT_P99" "$PT_BYTES" "$PT_BAD"
  printf '%-26s %12s %10s %10s %12s %6s\n' "completed, page 3" "$F_RPS" "$F_P50" "$F_P99" "$F_BYTES" "$F_BAD"
  printf '%-26s %12s %10s %10s %12s %6s\n' "ceiling" "$CE_RPS" "$CE_P50" "$CE_P99" "$CE_BYTES" "$CE_BAD"
  echo "ratio:      Product Transaction serves $(awk -v a="$PT_RPS" -v b="$CE_RPS" 'BEGIN { printf "%.1f", (b > 0 ? 100 * a / b : 0) }')% of the ceiling's throughput"
  echo "target:     p99 < 10 ms: $(awk -v p="$PT_P99" 'BEGIN { print (p < 10 ? "met" : "MISSED") }')"
  echo "CSV:        $CSV_ROWS rows ($CSV_BYTES bytes) in $CSV_SECS s; peak memory $HWM_BEFORE kB -> $HWM_AFTER kB"
  echo "bill job:   $BILL"
} | tee "$OUT/orders-summary.txt"
[[ $PT_BAD == 0 && $F_BAD == 0 ]] || die "some responses failed"
