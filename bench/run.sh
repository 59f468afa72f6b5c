#!/usr/bin/env bash
# The standard benchmark suite, one command:  bench/run.sh [--quick]
#   1. reference: Kafka's own producer benchmark (acks=all) on the same realistic events (payload file)
#   2. ingest, single-event requests, open throttle, 64 and 256 connections (wrk)
#   3. ingest, batches of 100 (wrk), then 5,000 single events/s (pulse-bench LoadGenerator)
#      Phases 2 and 3 measure ingest alone with the broker co-located, as the case study measured its API: the
#      enricher and the aggregator are paused (SIGSTOP) meanwhile, then drain the backlog before phase 4.
#   4. sustained 5,000 events/s for 60 s through the whole pipeline, with freshness probes (LoadGenerator)
#   5. stage throughput: 200,000 raw events straight into Kafka, through the enricher and the aggregator
#   6. query latency of the dashboard's trend call (wrk)
# Brings the stack up if needed (bin/pulse up), writes everything to bench/results/<UTC time>/, prints one
# table (each figure and its ratio to the reference, CPU and peak RSS of each service) and draws two charts.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
quick=""; [ "${1:-}" = "--quick" ] && quick=1
seconds=${PULSE_BENCH_SECONDS:-$([ -n "$quick" ] && echo 10 || echo 20)}
sustained=${PULSE_BENCH_SUSTAINED:-$([ -n "$quick" ] && echo 20s || echo 60s)}
results=$root/bench/results/$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$results"
say() { echo "bench: $*"; }
command -v wrk >/dev/null || { echo "bench: wrk is missing: apt-get install -y wrk" >&2; exit 1; }

bin/pulse status >/dev/null 2>&1 || bin/pulse up
eval "$(bin/pulse env)"
say "building pulse-bench"
mvn -B -q -DskipTests -pl bench -am package
cp="bench/target/classes:$(cat bench/target/classpath.txt)"
kafka_cp="$root/.pulse/kafka/lib/*"
basic="Basic $(printf '%s:' "$PULSE_WRITE_KEY" | base64 -w0)"
run_id=$(date +%s)

{
  echo "date: $(date -u +%FT%TZ)"
  echo "machine: $(nproc) cores, $(free -g | awk '/Mem/{print $2}') GB, $(uname -r)"
  echo "java: $(java -version 2>&1 | head -1)"
  echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
} | tee "$results/machine.txt"

# CPU seconds and peak RSS of each service during a phase.
pids() { for s in ingest enricher aggregator query; do echo "$s $(cat .pulse/run/$s.pid)"; done; echo "kafka $(cat .pulse/kafka/kafka.pid)"; }
cpu_of() { awk '{print $14 + $15}' "/proc/$1/stat"; }
[ -f "$results/resources.tsv" ] || printf 'phase\tservice\tcpu_seconds\tmax_rss_kb\n' > "$results/resources.tsv"
begin_phase() {
  phase=$1; declare -gA cpu_start=()
  while read -r s p; do cpu_start[$s]=$(cpu_of "$p"); echo 0 > "$results/.rss-$s"; done < <(pids)
  ( while true; do
      while read -r s p; do
        rss=$(awk '/VmRSS/{print $2}' "/proc/$p/status" 2>/dev/null || echo 0)
        [ "${rss:-0}" -gt "$(cat "$results/.rss-$s")" ] && echo "$rss" > "$results/.rss-$s"
      done < <(pids); sleep 0.5
    done ) & sampler=$!
}
end_phase() {
  kill "$sampler" 2>/dev/null; wait "$sampler" 2>/dev/null || true
  local hz; hz=$(getconf CLK_TCK)
  while read -r s p; do
    printf '%s\t%s\t%s\t%s\n' "$phase" "$s" "$(awk -v a="${cpu_start[$s]}" -v b="$(cpu_of "$p")" -v hz="$hz" 'BEGIN{printf "%.1f", (b-a)/hz}')" \
      "$(cat "$results/.rss-$s")" >> "$results/resources.tsv"
  done < <(pids)
  rm -f "$results"/.rss-*
}

# Phases 2 and 3 pause the consumers, so ingest has the cores the case study's API had.
consumers="$(cat .pulse/run/enricher.pid) $(cat .pulse/run/aggregator.pid)"
pause_consumers() { kill -STOP $consumers; }
resume_consumers() { kill -CONT $consumers 2>/dev/null || true; }
trap resume_consumers EXIT
# shellcheck source=bench/lib.sh
. bench/lib.sh
wait_drained() { # until neither consumer has moved for 3 s: no backlog is left to compete for the cores
  local last="" now quiet=0 started; started=$(date +%s)
  while [ "$quiet" -lt 3 ]; do
    sleep 1
    now="$(metric "$enricher_metrics" pulse_enricher_events_total) $(metric "$aggregator_metrics" pulse_aggregator_events_stored_total)"
    if [ "$now" = "$last" ]; then quiet=$((quiet + 1)); else quiet=0; fi
    last=$now
    printf '\r  draining: %4d s, enriched and stored so far: %s  ' "$(( $(date +%s) - started ))" "$now"
  done
  echo
}

# Every phase starts from an idle stack: a backlog left by an earlier run would take cores from the reference.
say "waiting for the consumers to be idle"
wait_drained

say "1/6 reference: Kafka ProducerPerformance, acks=all, realistic payloads"
java -cp "$cp" io.pulse.bench.LoadGenerator --write-payloads="$results/payloads.jsonl" --count=20000
java -cp "$kafka_cp" -Dlog4j2.configurationFile=infra/local/kafka/log4j2.properties org.apache.kafka.tools.TopicCommand \
  --bootstrap-server 127.0.0.1:9092 --create --if-not-exists --topic pulse.bench.reference --partitions 6 --replication-factor 1 >/dev/null
reference() { # records
  java -cp "$kafka_cp" -Dlog4j2.configurationFile=infra/local/kafka/log4j2.properties org.apache.kafka.tools.ProducerPerformance \
    --topic pulse.bench.reference --num-records "$1" --throughput -1 --payload-file "$results/payloads.jsonl" \
    --command-property acks=all bootstrap.servers=127.0.0.1:9092 enable.idempotence=true linger.ms=5 batch.size=131072 compression.type=snappy
}
# A just-started broker is still compiling its produce path: 500,000 records first, not counted (ingest gets the
# same courtesy below).
reference 500000 >/dev/null
begin_phase reference
reference $(( seconds * 100000 )) | tee "$results/reference-producer.txt" | tail -1
end_phase

wrk_phase() { # label script connections [batch size]
  local label=$1 script=$2 conns=$3 size=${4:-1}
  say "wrk $label: $conns connections, ${seconds}s"
  wrk -t2 -c"$conns" -d5s -s "bench/wrk/$script" -H "Authorization: $basic" "$PULSE_INGEST_URL" -- "warm-$run_id" "$size" >/dev/null
  begin_phase "$label"
  wrk -t2 -c"$conns" -d"${seconds}s" --latency -s "bench/wrk/$script" -H "Authorization: $basic" "$PULSE_INGEST_URL" \
    -- "$label-$run_id" "$size" | tee "$results/wrk-$label-b$size.txt" | grep -E "Requests/sec|Non-2xx|Socket errors|  99%" || true
  end_phase
}
say "2/6 ingest alone, single events (enricher and aggregator paused)"
pause_consumers
# A JVM that has just started is still compiling its hot paths for a minute or so under this load (start-up is
# measured apart, bench/startup.sh): ingest first gets 30 s of both request shapes, not counted.
say "warming ingest up: 20 s of single events, 10 s of batches (not counted)"
wrk -t2 -c256 -d20s -s bench/wrk/single.lua -H "Authorization: $basic" "$PULSE_INGEST_URL" -- "jit-$run_id" >/dev/null
wrk -t2 -c64 -d10s -s bench/wrk/batch.lua -H "Authorization: $basic" "$PULSE_INGEST_URL" -- "jit-$run_id" 100 >/dev/null
wrk_phase single-c64 single.lua 64
wrk_phase single-c256 single.lua 256
say "3/6 ingest, batches of 100"
wrk_phase batch100-c64 batch.lua 64 100
# The generator's own JVM starts cold: its first seconds fall behind the schedule and the queue takes a few more
# to clear, so the totals begin at 10 s (the timeline in the JSON keeps every second).
say "3/6 ingest alone, 5,000 single events/s for 30 s (LoadGenerator; latencies after a 10 s warm-up)"
begin_phase ingest-5000
java -cp "$cp" io.pulse.bench.LoadGenerator --label=ingest-alone-5000 --url="$PULSE_INGEST_URL" \
  --key="$PULSE_WRITE_KEY" --rate=5000 --connections=64 --duration=40s --warmup=10s \
  --out="$results/load-ingest-alone-5000.json" | tail -3 || true
end_phase
say "draining the backlog of the ingest phases (enricher and aggregator resumed)"
resume_consumers
wait_drained

say "4/6 sustained 5,000 events/s for $sustained with freshness probes"
begin_phase sustained-5000
java -cp "$cp" io.pulse.bench.LoadGenerator --label=sustained-5000 --url="$PULSE_INGEST_URL" --key="$PULSE_WRITE_KEY" \
  --rate=5000 --connections=64 --duration="$sustained" --warmup=5s --probes=10 --query-url="$PULSE_QUERY_URL" \
  --read-key="$PULSE_READ_KEY" --project="$PULSE_PROJECT" --out="$results/load-sustained-5000.json" || true
end_phase

say "5/6 stages: 200,000 raw events straight into Kafka, through the enricher and the aggregator"
begin_phase stages
bench/stage-flood.sh "$results" "${PULSE_BENCH_STAGE_EVENTS:-200000}" || true
end_phase

say "6/6 query: the dashboard's trend call (last 24 h by hour)"
from=$(date -u -d '24 hours ago' +%Y-%m-%dT%H:00:00Z); to=$(date -u +%Y-%m-%dT%H:%M:00Z)
begin_phase query-trends
wrk -t2 -c32 -d"${seconds}s" --latency -H "Authorization: Bearer $PULSE_READ_KEY" \
  "$PULSE_QUERY_URL/v1/projects/$PULSE_PROJECT/insights/trends?event=Page%20Viewed&interval=hour&from=$from&to=$to" \
  | tee "$results/wrk-query-trends-b1.txt" | grep -E "Requests/sec|Non-2xx|  99%" || true
end_phase

rm -f "$results/payloads.jsonl"
java -Djava.awt.headless=true -cp "$cp" io.pulse.bench.Report "$results"
say "results in $results (summary.md, summary.json, latency.png, throughput.png)"
