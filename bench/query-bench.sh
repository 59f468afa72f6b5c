#!/usr/bin/env bash
# Query benchmark (issue #6): 30 days of data for 10 million events, then wrk on the dashboard's calls.
#   bench/query-bench.sh [results-dir]
# Seeds once into the running stack's database (project bench-30d; ~10 minutes, progress per day), then measures
# each call uncached (Cache-Control: no-cache, so PostgreSQL answers) one request at a time, then cached answers
# under 32 connections. The reference in the same run: the same 30-day hourly trend in a time zone half an hour
# off UTC (Asia/Kolkata), which the rollups answer from minutes, as every chart did before hour rollups.
# Writes wrk outputs, summary.md/json and latency.png to the results dir (bench/results/query-<time> by default).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
results=${1:-$root/bench/results/query-$(date -u +%Y%m%dT%H%M%SZ)}
events=${PULSE_BENCH_QUERY_EVENTS:-10000000}
persons=${PULSE_BENCH_QUERY_PERSONS:-300000}
seconds=${PULSE_BENCH_SECONDS:-20}
days=30
project=bench-30d
mkdir -p "$results"
say() { echo "query-bench: $*"; }
command -v wrk >/dev/null || { echo "query-bench: wrk is missing: apt-get install -y wrk" >&2; exit 1; }

bin/pulse status >/dev/null 2>&1 || bin/pulse up
eval "$(bin/pulse env)"
psql_q() { psql -h "${PULSE_PG_HOST:-127.0.0.1}" -U "${PULSE_PG_USER:-postgres}" -d "${PULSE_DB:-pulse}" -v ON_ERROR_STOP=1 -qAt "$@"; }

# The data set ends at today's midnight (UTC): closed ranges, the same answers every run of the day.
end_day=$(date -u +%F)
first_day=$(date -u -d "$end_day - $days days" +%F)
per_day=$(( (events + days - 1) / days ))
stored=$(psql_q -c "SELECT coalesce(sum(events), 0) FROM rollup_event_hour WHERE project_id = '$project'
                      AND hour >= '$first_day' AND hour < '$end_day'")
if [ "$stored" != "$((per_day * days))" ]; then
  say "seeding $((per_day * days)) events over $days days ($first_day to $end_day) for $persons persons"
  psql_q <<SQL
DELETE FROM events WHERE project_id = '$project';
DELETE FROM rollup_event_minute WHERE project_id = '$project';
DELETE FROM rollup_dimension_minute WHERE project_id = '$project';
DELETE FROM rollup_event_hour WHERE project_id = '$project';
DELETE FROM rollup_dimension_hour WHERE project_id = '$project';
DELETE FROM rollup_event_day WHERE project_id = '$project';
DELETE FROM rollup_dimension_day WHERE project_id = '$project';
INSERT INTO projects (id, name) VALUES ('$project', 'query benchmark') ON CONFLICT DO NOTHING;
SQL
  started=$(date +%s)
  for i in $(seq 0 $((days - 1))); do
    day=$(date -u -d "$first_day + $i days" +%F)
    psql_q -v project="$project" -v day="$day" -v events="$per_day" -v persons="$persons" -v seed="$((i + 1))" \
      -f bench/sql/seed-day.sql >/dev/null
    say "  day $((i + 1))/$days ($day) stored, $(( $(date +%s) - started )) s"
  done
  psql_q -c "ANALYZE events; ANALYZE rollup_event_minute; ANALYZE rollup_dimension_minute;
             ANALYZE rollup_event_hour; ANALYZE rollup_dimension_hour; ANALYZE rollup_event_day;
             ANALYZE rollup_dimension_day;"
fi
# A read key of this run only, stored hashed like every key.
read_key="rk_bench_$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
psql_q -c "INSERT INTO api_keys (key_hash, project_id, kind, label)
           VALUES (encode(sha256(convert_to('$read_key', 'UTF8')), 'hex'), '$project', 'read', 'query-bench')"
auth="Authorization: Bearer $read_key"
base="$PULSE_QUERY_URL/v1/projects/$project/insights"
range="from=${first_day}T00:00:00Z&to=${end_day}T00:00:00Z"
last_day="from=$(date -u -d "$end_day - 1 day" +%F)T00:00:00Z&to=${end_day}T00:00:00Z"

{
  echo "date: $(date -u +%FT%TZ)"
  echo "machine: $(nproc) cores, $(free -g | awk '/Mem/{print $2}') GB, $(uname -r)"
  echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "data: $((per_day * days)) events, $days days ($first_day to $end_day), $persons persons, project $project"
} | tee "$results/machine.txt"

check() { # url: one request, its status and time, so a broken call fails the run instead of timing errors
  local out
  out=$(curl -s -o "$results/last-body.json" -w '%{http_code} %{time_total}' -H "$auth" -H 'Cache-Control: no-cache' "$1")
  [ "${out%% *}" = 200 ] || { say "FAILED ($out): $1"; cat "$results/last-body.json" >&2; exit 1; }
  echo "${out#* }"
}
uncached() { # label url [seconds] [connections]
  local connections=${4:-1}
  say "$1: $(check "$2") s for the first request; wrk, $connections connection(s), no-cache, ${3:-$seconds} s"
  wrk -t"$(( connections > 1 ? 2 : 1 ))" -c"$connections" -d"${3:-$seconds}s" --timeout 10s --latency -H "$auth" \
    -H 'Cache-Control: no-cache' "$2" > "$results/wrk-query-$1.txt"
  grep -E "Requests/sec|Non-2xx|  99%" "$results/wrk-query-$1.txt" | sed 's/^/    /'
}

uncached trend-30d-by-hour "$base/trends?event=Page%20Viewed&$range&interval=hour"
uncached trend-30d-by-hour-4-connections "$base/trends?event=Page%20Viewed&$range&interval=hour" "$seconds" 4
uncached reference-trend-30d-by-hour-from-minutes \
  "$base/trends?event=Page%20Viewed&$range&interval=hour&tz=Asia/Kolkata" 10
uncached trend-30d-by-day-paris "$base/trends?event=Page%20Viewed&$range&interval=day&tz=Europe/Paris"
uncached breakdown-country-30d-by-hour "$base/trends?event=Page%20Viewed&$range&interval=hour&breakdown=country"
uncached top-paths-30d "$base/top?dimension=path&$range&limit=10"
uncached funnel-3-steps-1-day "$base/funnel?steps=Signed%20Up,Activated,Purchased&window=PT1H&$last_day" 10

say "cached: the dashboard's calls, 32 connections, ${seconds} s"
paths=("/v1/projects/$project/insights/trends?event=Page%20Viewed&$range&interval=hour"
       "/v1/projects/$project/insights/trends?event=Page%20Viewed&$range&interval=day"
       "/v1/projects/$project/insights/trends?event=Page%20Viewed&$range&interval=hour&breakdown=country"
       "/v1/projects/$project/insights/top?dimension=path&$range&limit=10"
       "/v1/projects/$project/insights/top?dimension=country&$range&limit=10"
       "/v1/projects/$project/insights/top?dimension=browser&$range&limit=10")
for p in "${paths[@]}"; do curl -sf -o /dev/null -H "$auth" "$PULSE_QUERY_URL$p"; done   # fill the cache
wrk -t2 -c32 -d"${seconds}s" --latency -s bench/wrk/rotate.lua -H "$auth" "$PULSE_QUERY_URL" -- "${paths[@]}" \
  > "$results/wrk-query-dashboard-cached-32-connections.txt"
grep -E "Requests/sec|Non-2xx|  99%" "$results/wrk-query-dashboard-cached-32-connections.txt" | sed 's/^/    /'

psql_q -c "DELETE FROM api_keys WHERE label = 'query-bench' AND project_id = '$project'"
rm -f "$results/last-body.json"
say "report"
mvn -B -q -DskipTests -pl bench -am package
java -cp "bench/target/classes:$(cat bench/target/classpath.txt)" io.pulse.bench.Report "$results"
