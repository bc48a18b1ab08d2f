#!/usr/bin/env bash
# Decision-to-SMTP latency (SPEC §9: an approval's email reaches the SMTP server within 1 s).
# Runs the `mail_latency` test in release mode (the suite runs it with 40): MAIL_BENCH_N
# approvals (1000) through `review::decide`, each waking the outbox worker as the review handler does, delivered to the
# suite's in-process SMTP receiver; prints p50/p99/max from each commit to the message's arrival.
#
#   bash bench/mail.sh                                   # SQLite
#   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres bash bench/mail.sh
#
# Knobs: MAIL_BENCH_N (1000), MAIL_BENCH_RATE approvals per second (50; 0 = all at once).
set -euo pipefail
cd "$(dirname "$0")/.."
MAIL_BENCH_N=${MAIL_BENCH_N:-1000} cargo test --release --test api mail_latency -- --nocapture 2>&1 | grep -E 'mail_latency|test result|panicked'
