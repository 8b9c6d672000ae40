#!/usr/bin/env bash
# Run the cs_helpdesk benchmarks on a fresh database and print one table.
#
#   bench/run_all.sh                 # drop + create cs_bench (cs_helpdesk + crm, no demo), run all
#   bench/run_all.sh --keep-db       # reuse cs_bench, only upgrade cs_helpdesk to the current code
#   bench/run_all.sh --quick         # smaller volumes (1k tickets, 1k/10k SLA lines, 100k report rows)
#
# Connection: CS_DB_HOST (127.0.0.1), CS_DB_PORT (55432), CS_DB_USER (odoo), CS_DB_PASSWORD (odoo),
# CS_BENCH_DB (cs_bench). Exit code 1 when a target is missed.
set -u -o pipefail

cd "$(dirname "$0")/.."
DB=${CS_BENCH_DB:-cs_bench}
HOST=${CS_DB_HOST:-127.0.0.1}
PORT=${CS_DB_PORT:-55432}
DB_USER=${CS_DB_USER:-odoo}
DB_PASSWORD=${CS_DB_PASSWORD:-odoo}
PYTHON=${PYTHON:-python3}
KEEP_DB=0
QUICK=0
for arg in "$@"; do
    case "$arg" in
        --keep-db) KEEP_DB=1 ;;
        --quick) QUICK=1 ;;
        -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
        *) echo "unknown option: $arg" >&2; exit 2 ;;
    esac
done

CONN=(--db_host "$HOST" --db_port "$PORT" -r "$DB_USER" -w "$DB_PASSWORD")
ODOO=("$PYTHON" -m odoo -c odoo.conf --addons-path addons --data-dir .local/data "${CONN[@]}"
      -d "$DB" --db-filter "^${DB}\$" --stop-after-init --without-demo=all)
LOG_DIR=${TMPDIR:-/tmp}/cs_bench.$$
mkdir -p "$LOG_DIR"
RESULTS="$LOG_DIR/results.jsonl"
: > "$RESULTS"

if [ "$KEEP_DB" = 0 ]; then
    echo "== creating database $DB (cs_helpdesk + crm, without demo data); log: $LOG_DIR/install.log"
    PGPASSWORD="$DB_PASSWORD" dropdb --if-exists -h "$HOST" -p "$PORT" -U "$DB_USER" "$DB" || exit 2
    "${ODOO[@]}" -i cs_helpdesk,crm --logfile "$LOG_DIR/install.log" || { echo "install failed" >&2; exit 2; }
else
    echo "== upgrading cs_helpdesk in $DB; log: $LOG_DIR/install.log"
    "${ODOO[@]}" -u cs_helpdesk --logfile "$LOG_DIR/install.log" || { echo "upgrade failed" >&2; exit 2; }
fi

if [ "$QUICK" = 1 ]; then
    CREATE_ARGS=(--count 1000 --core-count 1000)
    SLA_ARGS=(--scales 1000,10000)
    REPORT_ARGS=(--count 100000)
    CTI_ARGS=(--calls 333 --core-count 200)
else
    CREATE_ARGS=()
    SLA_ARGS=()
    REPORT_ARGS=()
    CTI_ARGS=()
fi

STATUS=0
run() {
    local name=$1
    shift
    echo "== $name (output: $LOG_DIR/$name.log)"
    local start=$SECONDS
    "$PYTHON" "bench/$name.py" --db "$DB" "${CONN[@]}" --result-file "$RESULTS" "$@" > "$LOG_DIR/$name.log" 2>&1
    local rc=$?
    echo "   finished in $((SECONDS - start)) s, exit code $rc"
    [ "$rc" = 0 ] || STATUS=1
}

run bench_ticket_create "${CREATE_ARGS[@]}"
run bench_sla_cron "${SLA_ARGS[@]}"
run bench_report "${REPORT_ARGS[@]}"
run bench_cti "${CTI_ARGS[@]}"

"$PYTHON" - "$RESULTS" <<'EOF'
import json
import sys

lines = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8") if line.strip()]
if not lines:
    print("no results: see the logs above")
    sys.exit(0)
width = max(len(label) for result in lines for label, _value in result["rows"]) + 2
print()
print(f"{'benchmark':<16} {'figure':<{width}} value")
print("-" * (16 + width + 16))
for result in lines:
    for label, value in result["rows"]:
        shown = f"{value:,.3f}" if isinstance(value, float) else str(value)
        print(f"{result['bench']:<16} {label:<{width}} {shown}")
    for text, ok in result["verdicts"]:
        print(f"{result['bench']:<16} {'target: ' + text:<{width}} {'PASS' if ok else 'FAIL'}")
    print("-" * (16 + width + 16))
EOF
echo "logs: $LOG_DIR"
exit $STATUS
