#!/usr/bin/env bash
# What the bench scripts share: messages, the load generator, the release server, a load run.
# Sourced by bench/run.sh and bench/orders.sh (with OUT, BIN, CONNECTIONS, THREADS set).

say() { printf '\n== %s\n' "$*"; }
die() { printf 'bench: %s\n' "$*" >&2; exit 1; }

# --- load generator ---------------------------------------------------------------------------
TOOL=${BENCH_TOOL:-}
if [[ -z $TOOL ]]; then
  if command -v wrk >/dev/null; then
    TOOL=wrk
  elif command -v oha >/dev/null; then
    TOOL=oha
  else
    TOOL=wrk
  fi
fi
if [[ $TOOL == wrk ]] && ! command -v wrk >/dev/null; then
  say "installing wrk (Debian package)"
  SUDO=""
  [[ $(id -u) -eq 0 ]] || SUDO=sudo
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq wrk >/dev/null
fi
command -v "$TOOL" >/dev/null || die "$TOOL not found"
if [[ $TOOL == oha ]]; then
  command -v python3 >/dev/null || die "reading oha's JSON needs python3"
fi
command -v curl >/dev/null || die "curl not found"


# --- server -----------------------------------------------------------------------------------
SERVER_PID=""
stop_server() {
  if [[ -n $SERVER_PID ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=""
}
trap stop_server EXIT

# Starts the release binary on a free port (BIND=127.0.0.1:0) and sets BASE from what it prints.
start_server() {
  local log=$OUT/server.log
  : >"$log"
  SEED_DEMO=0 BIND=127.0.0.1:0 RUST_LOG=${BENCH_RUST_LOG:-warn} "$@" "$BIN" serve >"$log" 2>&1 &
  SERVER_PID=$!
  BASE=""
  for _ in $(seq 1 300); do
    BASE=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$log" | head -n1 || true)
    [[ -n $BASE ]] && break
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$log" >&2; die "the server stopped"; }
    sleep 0.1
  done
  [[ -n $BASE ]] || die "the server did not start (see $log)"
  for _ in $(seq 1 100); do
    [[ $(curl -s -o /dev/null -w '%{http_code}' "$BASE/healthz") == 200 ]] && return 0
    sleep 0.1
  done
  die "the server does not answer /healthz"
}


# Prints "<requests/s> <p50 ms> <p99 ms> <bytes per response> <bad responses>" for one run.
run_load() {
  local name=$1 duration=$2 url=$3
  shift 3
  local raw=$OUT/$TOOL-$name.txt
  if [[ $TOOL == wrk ]]; then
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$duration" --latency "$@" "$url" >"$raw"
    awk '
      function ms(v) {
        if (v ~ /us$/) return v / 1000
        if (v ~ /ms$/) return v + 0
        if (v ~ /s$/) return v * 1000
        return v + 0
      }
      function bytes(v) {
        if (v ~ /KB$/) return v * 1024
        if (v ~ /MB$/) return v * 1024 * 1024
        if (v ~ /GB$/) return v * 1024 * 1024 * 1024
        return v + 0
      }
      $1 == "50%" { p50 = ms($2) }
      $1 == "99%" { p99 = ms($2) }
      $1 == "Requests/sec:" { rps = $2 }
      / requests in / { n = $1; read = bytes($5) }
      /Non-2xx or 3xx responses:/ { bad += $NF }
      /Socket errors:/ { for (i = 3; i <= NF; i++) if ($i ~ /^[0-9]+,?$/) bad += $i + 0 }
      END { printf "%.0f %.2f %.2f %.0f %d\n", rps, p50, p99, (n ? read / n : 0), bad }
    ' "$raw"
  else
    local headers=()
    while (($#)); do headers+=("$1" "$2"); shift 2; done
    oha --no-tui --output-format json -z "$duration" -c "$CONNECTIONS" "${headers[@]}" "$url" \
      >"$raw" 2>/dev/null ||
      oha --no-tui -j -z "$duration" -c "$CONNECTIONS" "${headers[@]}" "$url" >"$raw"
    python3 - "$raw" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
s, p = d["summary"], d["latencyPercentiles"]
codes = d.get("statusCodeDistribution", {})
bad = sum(n for c, n in codes.items() if c != "200") + sum(d.get("errorDistribution", {}).values())
print("%.0f %.2f %.2f %.0f %d" % (s["requestsPerSec"], p["p50"] * 1000, p["p99"] * 1000,
                                  s.get("sizePerRequest") or 0, bad))
PY
  fi
}


# Other builds on the machine skew everything: say so next to the figures.
compilers() { ps -eo comm= | grep -cxE 'rustc|clippy-driver|rustdoc|cc|cc1|cc1plus|ld|ld\.lld' || true; }

# Signs in as $1 (password $2) and sets COOKIE to the session cookie.
sign_in() {
  JAR=$OUT/cookies.txt
  rm -f "$JAR"
  curl -s -c "$JAR" -b "$JAR" "$BASE/login" >"$OUT/login.html"
  CSRF=$(grep -o 'name="csrf_token" value="[^"]*"' "$OUT/login.html" | head -n1 | sed -E 's/.*value="([^"]*)"/\1/')
  [[ -n $CSRF ]] || die "no csrf_token on /login"
  status=$(curl -s -c "$JAR" -b "$JAR" -o /dev/null -w '%{http_code}' \
    --data-urlencode "csrf_token=$CSRF" \
    --data-urlencode "email=$1" \
    --data-urlencode "password=$2" \
    --data-urlencode "next=$3" \
    "$BASE/login")
  [[ $status == 303 ]] || die "sign-in answered $status, not 303"
  SESSION=$(awk '$6 == "sc_session" { print $7 }' "$JAR" | tail -n1)
  [[ -n $SESSION ]] || die "no sc_session cookie after sign-in"
  COOKIE="sc_session=$SESSION"
}
