#!/usr/bin/env bash
# Soak test: a mix of requests for SOAK_DURATION against the bench data (1 000 000 products of
# 10 000 sellers), to see that nothing fails, that searches are refused with 503 (not errors)
# past SEARCH_CONCURRENCY, that /healthz stays fast and that the server's memory stays flat.
#
#   bash bench/soak.sh                                  # SQLite file under target/bench/
#   DATABASE_URL=postgres://user:pw@127.0.0.1/bench bash bench/soak.sh
#   BENCH_SELLERS=200 BENCH_PRODUCTS_PER_SELLER=20 SOAK_DURATION=30s bash bench/soak.sh   # a trial
#
# The mix: one wrk process per route (bench/soak.lua), the connections split by SOAK_MIX:
#   my_products  GET /console/products as bench seller 1, a few ?page= / ?sort= / ?status=
#   catalog      GET /, a few ?page= / ?method=
#   search       GET /?q=<word>: a word that matches nothing, common ones, 数据
#   product      GET /products/{id} of listed products (bench seller 1's, then the catalog's)
#   autosave     POST /console/products/{id}/autosave of bench seller 1's drafts
# and, from loops of their own: a sign-in (GET /login, then POST /login with its visitor cookie
# and token) as bench sellers 2..20 in turn every SOAK_LOGIN_EVERY seconds (argon2 is slow by
# design), /healthz every second, and the server's VmRSS every few seconds.
#
# Knobs (environment): SOAK_DURATION (10m), SOAK_CONNECTIONS (64), SOAK_WARMUP (30s, the same
# mix, not counted), SOAK_MIX ("my_products=22 catalog=10 search=10 product=18 autosave=4":
# weights, scaled to SOAK_CONNECTIONS; 0 leaves a route out), SOAK_LOGIN_EVERY (0.5, seconds
# between sign-ins; 0 turns them off), SOAK_TIMEOUT (5s, wrk's per-request timeout),
# SOAK_RSS_EVERY (seconds between memory samples; default a sixth of the run, 5..60),
# BENCH_SELLERS (10000), BENCH_PRODUCTS_PER_SELLER (100), BENCH_FRESH=1, BENCH_NO_BUILD=1,
# BENCH_RUST_LOG (warn), DATABASE_URL.
#
# The server runs with the limits meant for one client lifted (MAX_CONNECTIONS_PER_CLIENT=0,
# LOGIN_FAILURES_PER_CLIENT and SIGNUPS_PER_CLIENT_HOUR at 1000000: every request comes from
# 127.0.0.1) and SEARCH_CONCURRENCY left as it is (default 2), so concurrent catalog queries
# are answered 503 after SEARCH_WAIT_MS: those are counted apart from errors. An error is any
# other status than the route's 200 (a 303 from a signed-in route is a lost session), or a
# socket error or timeout. Everything is kept under target/bench/soak-*.
set -euo pipefail

cd "$(dirname "$0")/.."

SELLERS=${BENCH_SELLERS:-10000}
PER_SELLER=${BENCH_PRODUCTS_PER_SELLER:-100}
DURATION=${SOAK_DURATION:-10m}
CONNECTIONS=${SOAK_CONNECTIONS:-64}
WARMUP=${SOAK_WARMUP:-30s}
MIX=${SOAK_MIX:-"my_products=22 catalog=10 search=10 product=18 autosave=4"}
LOGIN_EVERY=${SOAK_LOGIN_EVERY:-0.5}
TIMEOUT=${SOAK_TIMEOUT:-5s}
OUT=target/bench
BIN=${CARGO_TARGET_DIR:-target}/release/seller-console
mkdir -p "$OUT"

say() { printf '\n== %s\n' "$*"; }
die() { printf 'soak: %s\n' "$*" >&2; exit 1; }

# "90", "30s", "10m", "1h" -> seconds (the forms wrk's -d takes).
seconds_of() {
  local v=$1
  case $v in
    *h) echo $((${v%h} * 3600)) ;;
    *m) echo $((${v%m} * 60)) ;;
    *s) echo $((${v%s})) ;;
    *) echo $((v)) ;;
  esac
}
DURATION_S=$(seconds_of "$DURATION") || die "SOAK_DURATION=$DURATION: use e.g. 90s, 10m, 1h"
WARMUP_S=$(seconds_of "$WARMUP") || die "SOAK_WARMUP=$WARMUP: use e.g. 30s"
((DURATION_S > 0)) || die "SOAK_DURATION must be more than 0"
RSS_EVERY=${SOAK_RSS_EVERY:-$((DURATION_S / 6 < 5 ? 5 : DURATION_S / 6 > 60 ? 60 : DURATION_S / 6))}

# --- load generator ---------------------------------------------------------------------------
# wrk, for its Lua scripts (the per-route status counts); installed with apt-get as run.sh does.
if ! command -v wrk >/dev/null; then
  say "installing wrk (Debian package)"
  SUDO=""
  [[ $(id -u) -eq 0 ]] || SUDO=sudo
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq wrk >/dev/null
fi
command -v wrk >/dev/null || die "wrk not found"
command -v curl >/dev/null || die "curl not found"
[[ -f bench/soak.lua ]] || die "bench/soak.lua missing"

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

SERVER_ENV=(
  SEED_DEMO=0 BIND=127.0.0.1:0 RUST_LOG="${BENCH_RUST_LOG:-warn}"
  MAX_CONNECTIONS_PER_CLIENT=0 LOGIN_FAILURES_PER_CLIENT=1000000 SIGNUPS_PER_CLIENT_HOUR=1000000
)
say "soak settings"
cat <<EOF
SOAK_DURATION=$DURATION  SOAK_WARMUP=$WARMUP  SOAK_CONNECTIONS=$CONNECTIONS  SOAK_TIMEOUT=$TIMEOUT
SOAK_MIX="$MIX"
SOAK_LOGIN_EVERY=$LOGIN_EVERY  SOAK_RSS_EVERY=$RSS_EVERY
BENCH_SELLERS=$SELLERS  BENCH_PRODUCTS_PER_SELLER=$PER_SELLER  BENCH_NO_BUILD=${BENCH_NO_BUILD:-}  BENCH_FRESH=${BENCH_FRESH:-}
DATABASE_URL=$DB_SHOWN
server: ${SERVER_ENV[*]} SEARCH_CONCURRENCY=${SEARCH_CONCURRENCY:-2 (default)} SEARCH_WAIT_MS=${SEARCH_WAIT_MS:-1000 (default)} DB_BUDGET_MS=${DB_BUDGET_MS:-3000 (default)} LIST_CACHE_MB=${LIST_CACHE_MB:-64 (default)}
EOF

say "bench data: $SELLERS sellers x $PER_SELLER products in $DB_SHOWN"
load_start=$(date +%s)
"$BIN" bench-data --sellers "$SELLERS" --products-per-seller "$PER_SELLER" --if-missing \
  | tee "$OUT/soak-bench-data.log"
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

# --- server and the helpers' clean-up ---------------------------------------------------------
SERVER_PID=""
STOP=$OUT/soak-stop
rm -f "$STOP"
# Stops this script's own background jobs (wrk, the sampling loops) and the server.
cleanup() {
  touch "$STOP"
  local pid
  for pid in $(jobs -p); do
    [[ $pid == "$SERVER_PID" ]] || kill "$pid" 2>/dev/null || true
  done
  if [[ -n $SERVER_PID ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=""
}
trap cleanup EXIT

LOG=$OUT/soak-server.log
: >"$LOG"
# `env` execs the binary: $! is the server's own pid, whose /proc/<pid>/status is sampled.
env "${SERVER_ENV[@]}" "$BIN" serve >"$LOG" 2>&1 &
SERVER_PID=$!
BASE=""
for _ in $(seq 1 300); do
  BASE=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$LOG" | head -n1 || true)
  [[ -n $BASE ]] && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$LOG" >&2; die "the server stopped"; }
  sleep 0.1
done
[[ -n $BASE ]] || die "the server did not start (see $LOG)"
for _ in $(seq 1 100); do
  [[ $(curl -s -o /dev/null -w '%{http_code}' "$BASE/healthz") == 200 ]] && break
  sleep 0.1
done
[[ $(curl -s -o /dev/null -w '%{http_code}' "$BASE/healthz") == 200 ]] || die "the server does not answer /healthz"
say "server on $BASE (pid $SERVER_PID)"

csrf_of() { grep -o 'name="csrf_token" value="[^"]*"' "$1" | head -n1 | sed -E 's/.*value="([^"]*)"/\1/' || true; }

# --- sign in as bench seller #1 ---------------------------------------------------------------
JAR=$OUT/soak-cookies.txt
rm -f "$JAR"
curl -s -c "$JAR" -b "$JAR" "$BASE/login" >"$OUT/soak-login.html"
CSRF=$(csrf_of "$OUT/soak-login.html")
[[ -n $CSRF ]] || die "no csrf_token on /login"
status=$(curl -s -c "$JAR" -b "$JAR" -o /dev/null -w '%{http_code}' \
  --data-urlencode "csrf_token=$CSRF" \
  --data-urlencode "email=bench-seller-1@bench.example" \
  --data-urlencode "password=bench-seller-2026" \
  --data-urlencode "next=/console/products" \
  "$BASE/login")
[[ $status == 303 ]] || die "sign-in answered $status, not 303"
SESSION=$(awk '$6 == "sc_session" { print $7 }' "$JAR" | tail -n1)
[[ -n $SESSION ]] || die "no sc_session cookie after sign-in"
COOKIE="sc_session=$SESSION"

# The first signed-in page may still add the CSRF token to the session: take it from the second.
get() { curl -s -o "$2" -w '%{http_code}' -H "Cookie: $COOKIE" "$BASE$1"; }
[[ $(get /console/products "$OUT/soak-my-products.html") == 200 ]] || die "/console/products did not answer 200"
[[ $(get /console/products "$OUT/soak-my-products.html") == 200 ]] || die "/console/products did not answer 200"
TOKEN=$(csrf_of "$OUT/soak-my-products.html")
[[ -n $TOKEN ]] || die "no csrf_token on /console/products"
echo "signed in as bench-seller-1@bench.example"

# Bench seller 1's drafts, for the autosaves (at most 10, from the first page of the filter).
[[ $(get '/console/products?status=draft' "$OUT/soak-drafts.html") == 200 ]] \
  || die "/console/products?status=draft did not answer 200"
mapfile -t DRAFTS < <(grep -oE '/console/products/[0-9]+/edit' "$OUT/soak-drafts.html" \
  | grep -oE '[0-9]+' | awk '!seen[$0]++' | head -n 10)
((${#DRAFTS[@]} > 0)) || die "bench seller 1 has no drafts to autosave"
autosave_check=$(curl -s -o "$OUT/soak-autosave.txt" -w '%{http_code}' -H "Cookie: $COOKIE" \
  --data-urlencode "csrf_token=$TOKEN" --data-urlencode "name=Soak draft 0" \
  "$BASE/console/products/${DRAFTS[0]}/autosave")
[[ $autosave_check == 200 ]] || die "autosave of #${DRAFTS[0]} answered $autosave_check: $(head -c 300 "$OUT/soak-autosave.txt")"
echo "autosave: drafts ${DRAFTS[*]} (a first one answered: $(head -c 80 "$OUT/soak-autosave.txt"))"

# Listed products: bench seller 1's (the first 100 bench sellers' listed products have an
# approved release, which the product page reads), then the links of the first catalog pages.
# Each is opened once: only those that answer 200 go into the mix, and the others are reported.
LISTED=()
{
  for page in 1 2; do
    get "/console/products?status=listed&page=$page" "$OUT/soak-own-listed.html" >/dev/null
    grep -oE '/console/products/[0-9]+' "$OUT/soak-own-listed.html" | grep -oE '[0-9]+' || true
  done
  for page in 1 2 3; do
    curl -s "$BASE/?page=$page" | grep -oE 'href="/products/[0-9]+"' | grep -oE '[0-9]+' || true
  done
} >"$OUT/soak-listed.txt"
mapfile -t CANDIDATES < <(awk '!seen[$0]++' "$OUT/soak-listed.txt" | head -n 50)
((${#CANDIDATES[@]} > 0)) || die "no /products/{id} links on the catalog pages"
PRODUCT_NOTE=""
declare -A PRODUCT_STATUSES=()
for id in "${CANDIDATES[@]}"; do
  code=$(curl -s -o /dev/null -w '%{http_code}' "$BASE/products/$id")
  PRODUCT_STATUSES[$code]=$((${PRODUCT_STATUSES[$code]:-0} + 1))
  [[ $code == 200 ]] && LISTED+=("$id")
done
tally=$(for c in "${!PRODUCT_STATUSES[@]}"; do printf '%s x %s, ' "${PRODUCT_STATUSES[$c]}" "$c"; done)
tally=${tally%, }
echo "product pages: ${#CANDIDATES[@]} listed products on the catalog's first pages answer: $tally"
if ((${#LISTED[@]} == 0)); then
  PRODUCT_NOTE="no listed product's page answered 200 before the run ($tally): the product route runs on them anyway and counts their answers as errors"
  echo "WARNING: $PRODUCT_NOTE" >&2
  LISTED=("${CANDIDATES[@]}")
elif ((${#LISTED[@]} < ${#CANDIDATES[@]})); then
  PRODUCT_NOTE="only ${#LISTED[@]} of ${#CANDIDATES[@]} listed products' pages answered 200 before the run ($tally); the mix uses those"
  echo "WARNING: $PRODUCT_NOTE" >&2
fi

# --- the mix ----------------------------------------------------------------------------------
ROUTES=(my_products catalog search product autosave)
declare -A LABEL=(
  [my_products]="GET /console/products"
  [catalog]="GET /"
  [search]="GET /?q=<word>"
  [product]="GET /products/{id}"
  [autosave]="POST /console/products/{id}/autosave"
)
declare -A PATHS=(
  [my_products]="/console/products /console/products?page=2 /console/products?sort=name_asc /console/products?status=draft /console/products?status=listed&sort=updated_asc /console/products?sort=name_desc&page=2"
  [catalog]="/ /?page=2 /?method=saas /?page=200"
  # nothing matches the first; "cloud" and "backup" are in many bench names; 数据 ("data") in none
  [search]="/?q=qzxjvnothing /?q=cloud /?q=%E6%95%B0%E6%8D%AE /?q=backup&page=2"
  [product]="$(printf '/products/%s ' "${LISTED[@]}")"
  [autosave]="$(printf '/console/products/%s/autosave ' "${DRAFTS[@]}")"
)
declare -A WEIGHT=()
for kv in $MIX; do
  [[ $kv =~ ^([a-z_]+)=([0-9]+)$ && -n ${LABEL[${BASH_REMATCH[1]}]:-} ]] \
    || die "SOAK_MIX: '$kv' is not route=weight (routes: ${ROUTES[*]})"
  WEIGHT[${BASH_REMATCH[1]}]=${BASH_REMATCH[2]}
done
total_weight=0
for r in "${ROUTES[@]}"; do total_weight=$((total_weight + ${WEIGHT[$r]:-0})); done
((total_weight > 0)) || die "SOAK_MIX has no route"
declare -A CONNS=()
ACTIVE=()
for r in "${ROUTES[@]}"; do
  w=${WEIGHT[$r]:-0}
  ((w > 0)) || continue
  c=$(((CONNECTIONS * w + total_weight / 2) / total_weight))
  ((c > 0)) || c=1
  CONNS[$r]=$c
  ACTIVE+=("$r")
done
MIX_SHOWN=$(for r in "${ACTIVE[@]}"; do printf '%s %s, ' "$r" "${CONNS[$r]}"; done)
MIX_SHOWN=${MIX_SHOWN%, }

# Runs every route's wrk for $2 at once; their outputs are $OUT/soak-$1-<route>.txt.
run_mix() {
  local phase=$1 duration=$2 r pids=() pid failed=0
  for r in "${ACTIVE[@]}"; do
    local env=(SOAK_ROUTE="$r" SOAK_PATHS="${PATHS[$r]}" SOAK_EXPECT=200)
    case $r in
      my_products) env+=(SOAK_COOKIE="$COOKIE") ;;
      autosave) env+=(SOAK_COOKIE="$COOKIE" SOAK_METHOD=POST SOAK_CSRF="$TOKEN") ;;
    esac
    env "${env[@]}" wrk -t1 -c"${CONNS[$r]}" -d"$duration" --timeout "$TIMEOUT" --latency \
      -s bench/soak.lua "$BASE" >"$OUT/soak-$phase-$r.txt" 2>&1 &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do
    wait "$pid" || failed=1
  done
  ((failed == 0)) || die "a wrk run failed (see $OUT/soak-$phase-*.txt)"
}

# Other builds on the machine skew everything: say so next to the figures.
compilers() { ps -eo comm= | grep -cxE 'rustc|clippy-driver|rustdoc|cc|cc1|cc1plus|ld|ld\.lld' || true; }
CONDITIONS="$(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) and $(compilers) compiler processes before the run"

# --- samplers ---------------------------------------------------------------------------------
T0=$(date +%s%N)
elapsed() { local now; now=$(date +%s%N); echo $(((now - T0) / 1000000)); } # ms since T0

# "<ms> <VmRSS kB> <VmHWM kB> <threads> <open fds>" of the server.
memory_sample() {
  local status
  status=$(cat "/proc/$SERVER_PID/status" 2>/dev/null) || return 0
  awk -v t="$(elapsed)" -v fds="$(find "/proc/$SERVER_PID/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l)" '
    /^VmRSS:/ { rss = $2 } /^VmHWM:/ { hwm = $2 } /^Threads:/ { th = $2 }
    END { print t, rss, hwm, th, fds }' <<<"$status"
}

# Sleeps until $1 ms after T0, or the stop file.
sleep_until() { while [[ ! -e $STOP ]] && (($(elapsed) < $1)); do sleep 0.2; done; }

memory_loop() {
  local i=1
  while [[ ! -e $STOP ]]; do
    sleep_until $((i * RSS_EVERY * 1000))
    [[ -e $STOP ]] || memory_sample
    i=$((i + 1))
  done
}

healthz_loop() {
  local i=0 line
  while [[ ! -e $STOP ]]; do
    line=$(curl -s -o /dev/null --max-time 5 -w '%{http_code} %{time_total}' "$BASE/healthz" || true)
    echo "$(elapsed) ${line:-000 5}"
    i=$((i + 1))
    sleep_until $((i * 1000))
  done
}

# A sign-in as a browser does it: GET /login (sets the sc_visitor cookie its token is bound to),
# then POST /login with that cookie and token, as bench sellers 2..20 in turn.
# "<ms> <seller> <GET code> <GET s> <POST code> <POST s> <sc_session set: yes/no>"
login_loop() {
  local i=0 n k jar=$OUT/soak-login-jar.txt page=$OUT/soak-login-page.html
  local get_line post_line token session
  n=$((SELLERS < 20 ? SELLERS : 20))
  while [[ ! -e $STOP ]]; do
    k=$((n >= 2 ? 2 + i % (n - 1) : 1))
    rm -f "$jar"
    get_line=$(curl -s -c "$jar" -o "$page" --max-time 10 -w '%{http_code} %{time_total}' "$BASE/login" || true)
    token=$(csrf_of "$page")
    post_line=$(curl -s -b "$jar" -c "$jar" -o /dev/null --max-time 10 -w '%{http_code} %{time_total}' \
      --data-urlencode "csrf_token=$token" \
      --data-urlencode "email=bench-seller-$k@bench.example" \
      --data-urlencode "password=bench-seller-2026" \
      "$BASE/login" || true)
    session=no
    awk '$6 == "sc_session" { found = 1 } END { exit !found }' "$jar" 2>/dev/null && session=yes
    echo "$(elapsed) $k ${get_line:-000 10} ${post_line:-000 10} $session"
    i=$((i + 1))
    sleep "$LOGIN_EVERY"
  done
}

# The warm-up runs the whole mix, sign-ins included (each argon2 check takes 19 MiB, and the
# allocator keeps some of it): the first memory sample, after it, is the steady state's.
if ((WARMUP_S > 0)); then
  say "warm-up: the mix for $WARMUP ($MIX_SHOWN connections; sign-ins every ${LOGIN_EVERY}s)"
  T0=$(date +%s%N)
  LOGIN_PID=""
  if [[ $LOGIN_EVERY != 0 ]]; then
    login_loop >"$OUT/soak-logins-warmup.txt" &
    LOGIN_PID=$!
  fi
  run_mix warmup "$WARMUP"
  touch "$STOP"
  [[ -z $LOGIN_PID ]] || wait "$LOGIN_PID" 2>/dev/null || true
  rm -f "$STOP"
  echo "warm-up: $(awk '/^SOAK / { n += substr($3, 10) } END { print n + 0 }' "$OUT"/soak-warmup-*.txt) requests," \
    "$(wc -l <"$OUT/soak-logins-warmup.txt" 2>/dev/null || echo 0) sign-ins"
fi

say "soak: $DURATION, $MIX_SHOWN connections; sign-ins every ${LOGIN_EVERY}s; /healthz every 1 s; memory every ${RSS_EVERY}s"
T0=$(date +%s%N)
memory_sample >"$OUT/soak-memory.txt"
memory_loop >>"$OUT/soak-memory.txt" &
MEMORY_PID=$!
healthz_loop >"$OUT/soak-healthz.txt" &
HEALTHZ_PID=$!
: >"$OUT/soak-logins.txt"
LOGIN_PID=""
if [[ $LOGIN_EVERY != 0 ]]; then
  login_loop >"$OUT/soak-logins.txt" &
  LOGIN_PID=$!
fi
run_mix main "$DURATION"
touch "$STOP"
END_MS=$(elapsed)
END_SAMPLE=$(memory_sample)
for pid in "$MEMORY_PID" "$HEALTHZ_PID" $LOGIN_PID; do
  wait "$pid" 2>/dev/null || true
done
# Memory once the load is over, after a pause: what the allocator kept.
sleep 5
IDLE_SAMPLE=$(memory_sample)
# The signed-in session held throughout: wrk would count a 303 to /login only as a status.
final_check=$(get /console/products "$OUT/soak-my-products-after.html")
LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg) and $(compilers) compiler processes"
SERVER_WAS=$SERVER_PID
LOG_WARN=$(grep -c ' WARN ' "$LOG" || true)
LOG_ERROR=$(grep -c ' ERROR ' "$LOG" || true)
LOG_PANIC=$(grep -c 'panicked' "$LOG" || true)
kill -0 "$SERVER_PID" 2>/dev/null && SERVER_ALIVE=yes || SERVER_ALIVE=NO
cleanup

# --- report -----------------------------------------------------------------------------------
# A percentile of the numbers on stdin ("-" if there are none).
percentile() {
  sort -g | awk -v p="$1" '{ a[NR] = $1 } END {
    if (NR == 0) { print "-"; exit }
    i = int(p / 100 * NR + 0.999999); if (i < 1) i = 1; if (i > NR) i = NR; print a[i] }'
}
ms() { awk '{ if ($1 == "-") print "-"; else printf "%.2f\n", $1 * 1000 }'; } # seconds -> ms

# One line per route from its SOAK line:
# "<requests> <req/s> <ok> <503> <errors> <p50 ms> <p99 ms> <max ms> <what the errors were>"
route_line() {
  awk '
    /^SOAK / { found = 1; for (i = 3; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] } }
    END {
      if (!found) { print "0 0 0 0 1 - - - no-result-line"; exit }
      ok = 0; s503 = 0; err = 0; what = ""
      for (k in v) if (k ~ /^s[0-9]+$/) {
        code = substr(k, 2)
        if (code == v["expect"]) ok += v[k]
        else if (code == "503") s503 += v[k]
        else { err += v[k]; what = what (what == "" ? "" : ",") v[k] "x" code }
      }
      split("connect read write timeout", kinds, " ")
      for (j = 1; j <= 4; j++) if (v[kinds[j]] > 0) {
        err += v[kinds[j]]; what = what (what == "" ? "" : ",") v[kinds[j]] "x" kinds[j]
      }
      secs = v["duration_us"] / 1e6
      printf "%d %.0f %d %d %d %.2f %.2f %.2f %s\n", v["requests"], (secs > 0 ? v["requests"] / secs : 0),
        ok, s503, err, v["p50_us"] / 1000, v["p99_us"] / 1000, v["max_us"] / 1000, (what == "" ? "-" : what)
    }' "$1"
}

ROW='%-37s %5s %10s %8s %10s %8s %7s %9s %9s %9s\n'
TOTAL_REQ=0
TOTAL_503=0
TOTAL_ERR=0
ERROR_LINES=()
S503_LINES=()
{
  echo
  echo "== Soak summary ($(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?'))"
  echo "database:   $DB_SHOWN ($DB_SIZE), $SELLERS sellers x $PER_SELLER products"
  echo "machine:    $CONDITIONS, $LOAD_AFTER after"
  echo "server:     ${SERVER_ENV[*]} SEARCH_CONCURRENCY=${SEARCH_CONCURRENCY:-2} SEARCH_WAIT_MS=${SEARCH_WAIT_MS:-1000}" \
    "DB_BUDGET_MS=${DB_BUDGET_MS:-3000} LIST_CACHE_MB=${LIST_CACHE_MB:-64}"
  echo "load:       $DURATION after a $WARMUP warm-up; wrk -t1 per route, $MIX_SHOWN connections, timeout $TIMEOUT"
  if [[ $LOGIN_EVERY != 0 ]]; then
    echo "            sign-ins (GET+POST /login, sellers 2..$((SELLERS < 20 ? SELLERS : 20))) every ${LOGIN_EVERY}s and /healthz every 1 s, one at a time, from loops of their own"
  else
    echo "            no sign-ins (SOAK_LOGIN_EVERY=0); /healthz every 1 s from a loop of its own"
  fi
  echo "data used:  ${#DRAFTS[@]} drafts of bench seller 1 (autosave), ${#LISTED[@]} listed products (product pages)"
  [[ -z $PRODUCT_NOTE ]] || echo "NOTE:       $PRODUCT_NOTE"
  echo
  # shellcheck disable=SC2059
  printf "$ROW" route conns requests "req/s" ok 503 errors "p50 ms" "p99 ms" "max ms"
  for r in "${ACTIVE[@]}"; do
    read -r n rps ok s503 err p50 p99 max what < <(route_line "$OUT/soak-main-$r.txt")
    # shellcheck disable=SC2059
    printf "$ROW" "${LABEL[$r]}" "${CONNS[$r]}" "$n" "$rps" "$ok" "$s503" "$err" "$p50" "$p99" "$max"
    TOTAL_REQ=$((TOTAL_REQ + n))
    TOTAL_503=$((TOTAL_503 + s503))
    TOTAL_ERR=$((TOTAL_ERR + err))
    ((err == 0)) || ERROR_LINES+=("${LABEL[$r]}: ${what//,/, } (see $OUT/soak-main-$r.txt)")
    ((s503 == 0)) || S503_LINES+=("${LABEL[$r]} $s503 ($(awk -v a="$s503" -v b="$n" 'BEGIN { printf "%.1f", b ? 100 * a / b : 0 }')%)")
  done
  # Sign-ins: GET /login and POST /login, each with its own figures; a POST is right when it
  # answers 303 and sets sc_session.
  secs=$(awk -v ms="$END_MS" 'BEGIN { print ms / 1000 }')
  parts=(get post)
  [[ $LOGIN_EVERY != 0 ]] || parts=()
  for part in "${parts[@]}"; do
    if [[ $part == get ]]; then
      label="GET /login"
      stats=$(awk '{ n++; if ($3 == 200) ok++; else if ($3 == 503) s++; else { e++; w[$3]++ } }
        END { for (c in w) what = what (what == "" ? "" : ", ") w[c] "x" c; printf "%d %d %d %d %s\n", n, ok, s, e, (what == "" ? "-" : what) }' "$OUT/soak-logins.txt")
      col=4
    else
      label="POST /login"
      stats=$(awk '{ n++; if ($5 == 303 && $7 == "yes") ok++; else if ($5 == 503) s++; else { e++; w[$5 ($7 == "yes" ? "" : "-no-session")]++ } }
        END { for (c in w) what = what (what == "" ? "" : ", ") w[c] "x" c; printf "%d %d %d %d %s\n", n, ok, s, e, (what == "" ? "-" : what) }' "$OUT/soak-logins.txt")
      col=6
    fi
    read -r n ok s503 err what <<<"$stats"
    p50=$(awk -v c=$col '{ print $c }' "$OUT/soak-logins.txt" | percentile 50 | ms)
    p99=$(awk -v c=$col '{ print $c }' "$OUT/soak-logins.txt" | percentile 99 | ms)
    max=$(awk -v c=$col '{ print $c }' "$OUT/soak-logins.txt" | percentile 100 | ms)
    rps=$(awk -v n="$n" -v s="$secs" 'BEGIN { printf "%.1f", (s > 0 ? n / s : 0) }')
    # shellcheck disable=SC2059
    printf "$ROW" "$label" 1 "$n" "$rps" "$ok" "$s503" "$err" "$p50" "$p99" "$max"
    TOTAL_REQ=$((TOTAL_REQ + n))
    TOTAL_503=$((TOTAL_503 + s503))
    TOTAL_ERR=$((TOTAL_ERR + err))
    ((err == 0)) || ERROR_LINES+=("$label: $what (see $OUT/soak-logins.txt)")
    ((s503 == 0)) || S503_LINES+=("$label $s503")
  done
  read -r hn hok herr hwhat < <(awk '{ n++; if ($2 == 200) ok++; else { e++; w[$2]++ } }
    END { for (c in w) what = what (what == "" ? "" : ", ") w[c] "x" c; printf "%d %d %d %s\n", n, ok, e, (what == "" ? "-" : what) }' "$OUT/soak-healthz.txt")
  h50=$(awk '{ print $3 }' "$OUT/soak-healthz.txt" | percentile 50 | ms)
  h99=$(awk '{ print $3 }' "$OUT/soak-healthz.txt" | percentile 99 | ms)
  hmax=$(awk '{ print $3 }' "$OUT/soak-healthz.txt" | percentile 100 | ms)
  hslow=$(awk '$3 > 0.1 { n++ } END { print n + 0 }' "$OUT/soak-healthz.txt")
  # shellcheck disable=SC2059
  printf "$ROW" "GET /healthz" 1 "$hn" "1" "$hok" 0 "$herr" "$h50" "$h99" "$hmax"
  TOTAL_REQ=$((TOTAL_REQ + hn))
  TOTAL_ERR=$((TOTAL_ERR + herr))
  ((herr == 0)) || ERROR_LINES+=("GET /healthz: $hwhat (see $OUT/soak-healthz.txt)")
  # shellcheck disable=SC2059
  printf "$ROW" "total" "" "$TOTAL_REQ" "" "" "$TOTAL_503" "$TOTAL_ERR" "" "" ""
  echo "(latency as wrk measures it, 503s included; sign-ins and /healthz as curl measures them, each on a new connection)"
  echo
  if ((${#ERROR_LINES[@]} == 0)); then
    echo "errors:     none (target 0)"
  else
    echo "errors:     $TOTAL_ERR (target 0):"
    printf '              %s\n' "${ERROR_LINES[@]}"
  fi
  if ((${#S503_LINES[@]} == 0)); then
    echo "503s:       none"
  else
    joined=$(printf '%s; ' "${S503_LINES[@]}")
    echo "503s:       $TOTAL_503, the designed back-pressure (SEARCH_CONCURRENCY, DB_BUDGET_MS): ${joined%; }"
  fi
  HZ_OK=$(awk -v m="$hmax" -v e="$herr" 'BEGIN { print (m != "-" && m < 100 && e == 0 ? "met" : "MISSED") }')
  echo "/healthz:   $hn samples, p99 $h99 ms, max $hmax ms, $hslow over 100 ms: target (within 100 ms under any load) $HZ_OK"
  echo "server:     still running at the end: $SERVER_ALIVE; /console/products after the run: $final_check;" \
    "log: $LOG_WARN WARN, $LOG_ERROR ERROR, $LOG_PANIC panics ($LOG)"
  echo
  echo "memory (the server's /proc/$SERVER_WAS/status; the first sample is taken $([[ $WARMUP_S -gt 0 ]] && echo "after the warm-up" || echo "before any load")):"
  printf '  %9s %9s %9s %8s %6s\n' "at" "RSS MB" "peak MB" threads fds
  # "<label> <ms> <RSS kB> <peak kB> <threads> <fds>": the samples, the end and the idle one.
  {
    awk '{ print "-", $0 }' "$OUT/soak-memory.txt"
    [[ -z $END_SAMPLE ]] || echo "end $END_SAMPLE"
    [[ -z $IDLE_SAMPLE ]] || echo "idle $IDLE_SAMPLE"
  } >"$OUT/soak-memory-report.txt"
  awk '{
      t = int($2 / 1000)
      at = sprintf("%d:%02d", t / 60, t % 60)
      if ($1 == "end") at = "end " at
      if ($1 == "idle") at = "idle+5s"
      printf "  %9s %9.1f %9.1f %8d %6d\n", at, $3 / 1024, $4 / 1024, $5, $6
    }' "$OUT/soak-memory-report.txt"
  # Sign-ins move RSS in steps of 19 MiB (argon2's working memory, kept or given back by the
  # allocator per thread): compare the ranges of the two halves, not two samples.
  awk -v half="$((END_MS / 2))" -v start="$([[ $WARMUP_S -gt 0 ]] && echo "after the warm-up" || echo "at the start")" '
    NR == 1 { first = $3 } $1 == "end" { last = $3 } $1 == "idle" { idle = $3 }
    $1 != "idle" {
      if ($2 < half) { if (!a_min || $3 < a_min) a_min = $3; if ($3 > a_max) a_max = $3 }
      else { if (!b_min || $3 < b_min) b_min = $3; if ($3 > b_max) b_max = $3 }
    }
    END {
      if (!first || !last) exit
      printf "RSS:        %.1f MB %s, %.1f MB at the end (%+.1f MB), %.1f MB idle 5 s later\n",
        first / 1024, start, last / 1024, (last - first) / 1024, idle / 1024
      printf "            first half of the run %.1f-%.1f MB, second half %.1f-%.1f MB\n",
        a_min / 1024, a_max / 1024, b_min / 1024, b_max / 1024
    }' "$OUT/soak-memory-report.txt"
} >"$OUT/soak-summary.txt"
cat "$OUT/soak-summary.txt"

[[ $SERVER_ALIVE == yes ]] || die "the server stopped during the run (see $LOG)"
((TOTAL_ERR == 0)) || die "$TOTAL_ERR requests failed (see $OUT/soak-*.txt)"
