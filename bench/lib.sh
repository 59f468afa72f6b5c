# Shared by bench/*.sh (sourced): the consumers' metrics endpoints and one counter read from them.
enricher_metrics=http://127.0.0.1:${PULSE_ENRICHER_PORT:-8082}/q/metrics
aggregator_metrics=http://127.0.0.1:${PULSE_AGGREGATOR_PORT:-8083}/q/metrics

metric() { # metrics-url name [label filter]: the counter summed over its series, as an integer
  curl -fsS "$1" | awk -v name="$2" -v filter="${3:-}" '$1 ~ "^"name"({|$)" && index($1, filter) {sum += $2} END {printf "%.0f", sum}'
}
