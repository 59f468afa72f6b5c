#!/usr/bin/env bash
# Stage throughput: writes N distinct realistic raw events straight to pulse.events.raw (Kafka's own producer,
# no HTTP), then follows the enricher's and the aggregator's own counters until all N are stored.
# Prints and writes stage-enricher.json and stage-aggregator.json into the results folder given as $1.
#   bench/stage-flood.sh <results dir> [events]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
results=$1; n=${2:-200000}
cd "$root"
cp="bench/target/classes:$(cat bench/target/classpath.txt)"
kafka_cp="$root/.pulse/kafka/lib/*"
enricher=http://127.0.0.1:${PULSE_ENRICHER_PORT:-8082}/q/metrics
aggregator=http://127.0.0.1:${PULSE_AGGREGATOR_PORT:-8083}/q/metrics

metric() { # url name [label filter]
  curl -fsS "$1" | awk -v name="$2" -v filter="${3:-}" '$1 ~ "^"name"({|$)" && index($1, filter) {sum += $2} END {printf "%.0f", sum}'
}

echo "stage: writing $n distinct raw events"
java -cp "$cp" io.pulse.bench.LoadGenerator --write-payloads="$results/flood.jsonl" --count="$n" --seed=$RANDOM >/dev/null
enriched0=$(metric "$enricher" pulse_enricher_events_total)
stored0=$(metric "$aggregator" pulse_aggregator_events_stored_total)
tx0=$(metric "$aggregator" pulse_aggregator_transactions_total)
rows0=$(metric "$aggregator" pulse_aggregator_rows_written_total)
start=$(date +%s.%N)
# Each line once, in order: the console producer, acks=all, as ingest would write them.
java -cp "$kafka_cp" -Dlog4j2.configurationFile=infra/local/kafka/log4j2.properties org.apache.kafka.tools.ConsoleProducer \
  --bootstrap-server 127.0.0.1:9092 --topic pulse.events.raw \
  --command-property acks=all --command-property linger.ms=5 --command-property batch.size=131072 \
  --command-property compression.type=lz4 < "$results/flood.jsonl"
produced=$(date +%s.%N)
echo "stage: produced in $(awk -v a="$start" -v b="$produced" 'BEGIN{printf "%.1f", b-a}') s; following the stages"
enricher_done=""; series=()
for i in $(seq 1 240); do
  sleep 0.5
  now=$(date +%s.%N)
  e=$(( $(metric "$enricher" pulse_enricher_events_total) - enriched0 ))
  s=$(( $(metric "$aggregator" pulse_aggregator_events_stored_total) - stored0 ))
  series+=("$(awk -v a="$start" -v b="$now" 'BEGIN{printf "%.1f", b-a}') $e $s")
  [ -z "$enricher_done" ] && [ "$e" -ge "$n" ] && enricher_done=$now
  printf '\r  %5.1f s  enriched %7d  stored %7d' "$(awk -v a="$start" -v b="$now" 'BEGIN{print b-a}')" "$e" "$s"
  [ "$s" -ge "$n" ] && break
done
echo
end=$(date +%s.%N)
stored=$(( $(metric "$aggregator" pulse_aggregator_events_stored_total) - stored0 ))
tx=$(( $(metric "$aggregator" pulse_aggregator_transactions_total) - tx0 ))
rows=$(( $(metric "$aggregator" pulse_aggregator_rows_written_total) - rows0 ))
: "${enricher_done:=$end}"
enricher_rate=$(awk -v n="$n" -v a="$start" -v b="$enricher_done" 'BEGIN{printf "%.0f", n/(b-a)}')
aggregator_rate=$(awk -v n="$stored" -v a="$start" -v b="$end" 'BEGIN{printf "%.0f", n/(b-a)}')
valid=$([ "$stored" -ge "$n" ] && echo true || echo false)
cat > "$results/stage-enricher.json" <<JSON
{"phase": "enricher: raw -> enriched (Kafka to Kafka)", "valid": $valid, "eventsPerSecond": $enricher_rate, "events": $n}
JSON
cat > "$results/stage-aggregator.json" <<JSON
{"phase": "aggregator: enriched -> PostgreSQL + Redis", "valid": $valid, "eventsPerSecond": $aggregator_rate,
 "events": $stored, "transactionsPer1000Events": $(awk -v t="$tx" -v n="$stored" 'BEGIN{printf "%.2f", n ? 1000*t/n : 0}'),
 "rowsWrittenPer1000Events": $(awk -v r="$rows" -v n="$stored" 'BEGIN{printf "%.0f", n ? 1000*r/n : 0}'),
 "series": "$(printf '%s;' "${series[@]}")"}
JSON
rm -f "$results/flood.jsonl"
echo "stage: enricher $enricher_rate events/s; aggregator $aggregator_rate events/s into PostgreSQL;" \
  "$tx transactions and $rows rows for $stored events"
