#!/usr/bin/env bash
# Stage throughput: writes N distinct realistic raw events straight to pulse.events.raw (Kafka's own producer,
# no HTTP), then follows the enricher's and the aggregator's own counters until all N are stored.
# Prints and writes stage-enricher.json and stage-aggregator.json into the results folder given as $1.
#   bench/stage-flood.sh <results dir> [events] [--isolated]
# --isolated measures each stage alone on the machine's cores: both are paused (SIGSTOP) while the backlog is
# written, then the enricher drains it with the aggregator still paused, then the aggregator drains its own
# backlog. Each rate runs from the stage's first output to its last, so the producer's time is not in it.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
results=$1; n=${2:-200000}; isolated=""; [ "${3:-}" = "--isolated" ] && isolated=1
cd "$root"
cp="bench/target/classes:$(cat bench/target/classpath.txt)"
kafka_cp="$root/.pulse/kafka/lib/*"
# shellcheck source=bench/lib.sh
. bench/lib.sh
enricher=$enricher_metrics
aggregator=$aggregator_metrics
steps=(dedup enrich send save)
step_micros() { # the enricher's summed wall time of each step, in microseconds
  for step in "${steps[@]}"; do
    curl -fsS "$enricher" | awk -v f="step=\"$step\"" '$1 ~ /^pulse_enricher_batch_step_seconds_sum/ && index($1, f) {s += $2} END {printf "%.0f ", s * 1e6}'
  done
}

echo "stage: writing $n distinct raw events"
java -cp "$cp" io.pulse.bench.LoadGenerator --write-payloads="$results/flood.jsonl" --count="$n" --seed=$RANDOM >/dev/null
enriched0=$(metric "$enricher" pulse_enricher_events_total)
read -r -a steps0 <<< "$(step_micros)"
stored0=$(metric "$aggregator" pulse_aggregator_events_stored_total)
tx0=$(metric "$aggregator" pulse_aggregator_transactions_total)
rows0=$(metric "$aggregator" pulse_aggregator_rows_written_total)
enricher_pid=$(cat .pulse/run/enricher.pid); aggregator_pid=$(cat .pulse/run/aggregator.pid)
enricher_cpu0=$(awk '{print $14 + $15}' "/proc/$enricher_pid/stat")
aggregator_cpu0=$(awk '{print $14 + $15}' "/proc/$aggregator_pid/stat")
resume() { kill -CONT "$enricher_pid" "$aggregator_pid" 2>/dev/null || true; }
trap resume EXIT
# SIGSTOP is short enough here (well under the consumers' session timeout) that no rebalance follows.
[ -n "$isolated" ] && kill -STOP "$enricher_pid" "$aggregator_pid"
start=$(date +%s.%N)
# Each line once, in order: the console producer, acks=all, as ingest would write them.
java -cp "$kafka_cp" -Dlog4j2.configurationFile=infra/local/kafka/log4j2.properties org.apache.kafka.tools.ConsoleProducer \
  --bootstrap-server 127.0.0.1:9092 --topic pulse.events.raw \
  --command-property acks=all --command-property linger.ms=5 --command-property batch.size=131072 \
  --command-property compression.type=snappy < "$results/flood.jsonl"
produced=$(date +%s.%N)
echo "stage: produced in $(awk -v a="$start" -v b="$produced" 'BEGIN{printf "%.1f", b-a}') s; following the stages"
[ -n "$isolated" ] && kill -CONT "$enricher_pid"
enricher_first=""; enricher_done=""; aggregator_first=""; series=(); e=0; s=0
for i in $(seq 1 480); do
  sleep 0.5
  now=$(date +%s.%N)
  e=$(( $(metric "$enricher" pulse_enricher_events_total) - enriched0 ))
  if [ -z "$isolated" ] || [ -n "$enricher_done" ]; then
    s=$(( $(metric "$aggregator" pulse_aggregator_events_stored_total) - stored0 ))
  fi
  [ -z "$enricher_first" ] && [ "$e" -gt 0 ] && enricher_first=$now
  [ -z "$aggregator_first" ] && [ "$s" -gt 0 ] && aggregator_first=$now
  series+=("$(awk -v a="$start" -v b="$now" 'BEGIN{printf "%.1f", b-a}') $e $s")
  if [ -z "$enricher_done" ] && [ "$e" -ge "$n" ]; then
    enricher_done=$now
    read -r -a steps1 <<< "$(step_micros)"
    enricher_cpu=$(awk -v c0="$enricher_cpu0" '{printf "%.1f", ($14 + $15 - c0) / 100}' "/proc/$enricher_pid/stat")
    [ -n "$isolated" ] && kill -CONT "$aggregator_pid"
  fi
  printf '\r  %5.1f s  enriched %7d  stored %7d' "$(awk -v a="$start" -v b="$now" 'BEGIN{print b-a}')" "$e" "$s"
  [ "$s" -ge "$n" ] && break
done
echo
end=$(date +%s.%N)
stored=$(( $(metric "$aggregator" pulse_aggregator_events_stored_total) - stored0 ))
tx=$(( $(metric "$aggregator" pulse_aggregator_transactions_total) - tx0 ))
rows=$(( $(metric "$aggregator" pulse_aggregator_rows_written_total) - rows0 ))
: "${enricher_done:=$end}" "${enricher_cpu:=0}"
[ -n "${steps1+x}" ] || read -r -a steps1 <<< "$(step_micros)"
step_json=""
for i in "${!steps[@]}"; do
  step_json+="$([ -n "$step_json" ] && echo ", ")\"${steps[$i]}\": $(awk -v a="${steps0[$i]}" -v b="${steps1[$i]}" -v n="$n" 'BEGIN{printf "%.1f", (b-a)/n}')"
done
aggregator_cpu=$(awk -v c0="$aggregator_cpu0" '{printf "%.1f", ($14 + $15 - c0) / 100}' "/proc/$aggregator_pid/stat")
# Together: from the first record written. Isolated: from the stage's first output (the first poll of 0.5 s
# that saw one, so a stage's rate is understated by up to half a second's work).
enricher_from=$start; aggregator_from=$start
if [ -n "$isolated" ]; then enricher_from=${enricher_first:-$start}; aggregator_from=${aggregator_first:-$start}; fi
enricher_rate=$(awk -v n="$n" -v a="$enricher_from" -v b="$enricher_done" 'BEGIN{printf "%.0f", n/(b-a)}')
aggregator_rate=$(awk -v n="$stored" -v a="$aggregator_from" -v b="$end" 'BEGIN{printf "%.0f", n/(b-a)}')
mode=$([ -n "$isolated" ] && echo "alone" || echo "together")
valid=$([ "$stored" -ge "$n" ] && echo true || echo false)
cat > "$results/stage-enricher.json" <<JSON
{"phase": "enricher: raw -> enriched (Kafka to Kafka, stages $mode)", "valid": $valid, "eventsPerSecond": $enricher_rate, "events": $n,
 "cpuMicrosPerEvent": $(awk -v c="$enricher_cpu" -v n="$n" 'BEGIN{printf "%.0f", 1e6*c/n}'),
 "stepWallMicrosPerEvent": {$step_json}}
JSON
cat > "$results/stage-aggregator.json" <<JSON
{"phase": "aggregator: enriched -> PostgreSQL + Redis (stages $mode)", "valid": $valid, "eventsPerSecond": $aggregator_rate,
 "cpuMicrosPerEvent": $(awk -v c="$aggregator_cpu" -v n="$stored" 'BEGIN{printf "%.0f", n ? 1e6*c/n : 0}'),
 "events": $stored, "transactionsPer1000Events": $(awk -v t="$tx" -v n="$stored" 'BEGIN{printf "%.2f", n ? 1000*t/n : 0}'),
 "rowsWrittenPer1000Events": $(awk -v r="$rows" -v n="$stored" 'BEGIN{printf "%.0f", n ? 1000*r/n : 0}'),
 "series": "$(printf '%s;' "${series[@]}")"}
JSON
rm -f "$results/flood.jsonl"
echo "stage ($mode): enricher $enricher_rate events/s ($enricher_cpu CPU s); aggregator $aggregator_rate events/s" \
  "into PostgreSQL ($aggregator_cpu CPU s); $tx transactions and $rows rows for $stored events"
echo "stage: enricher's wall time per event by step (µs): $step_json"
