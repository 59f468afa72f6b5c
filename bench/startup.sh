#!/usr/bin/env bash
# Start-up time and memory of each service in JVM mode, without and with the start-up archive that
# `mvn package -Dpulse.fast-start` writes beside quarkus-run.jar (AppCDS on Java 17, the AOT cache on Java 25+).
#   bench/startup.sh [results-dir] [runs]
# Restarts each service of the running stack (bin/pulse up) `runs` times each way (3 by default), and records what
# Quarkus reports ("started in …s": from main until it serves) and the resident memory once it is ready, then
# restarts the stack as it was. The java on the PATH runs the services: build and run with the same JDK.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
results=${1:-$root/bench/results/startup-$(date -u +%Y%m%dT%H%M%SZ)}
runs=${2:-3}
mkdir -p "$results"
say() { echo "startup: $*"; }

bin/pulse status >/dev/null 2>&1 || bin/pulse up >/dev/null
java_version=$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.runtime.version = //p')
say "java $java_version; $runs runs each, without and with the archive"
out="$results/startup.tsv"
printf 'service\tarchive\trun\tstarted_s\trss_mb\n' > "$out"
for service in ingest enricher aggregator query; do
  dir=services/$service/target/quarkus-app
  archive=none
  [ -f "$dir/app-cds.jsa" ] && archive=AppCDS
  [ -f "$dir/app.aot" ] && archive="AOT cache"
  [ "$archive" = none ] && say "$service has no start-up archive: build with mvn -DskipTests -Dpulse.fast-start package"
  for mode in off on; do
    [ "$mode" = on ] && [ "$archive" = none ] && continue
    for run in $(seq 1 "$runs"); do
      PULSE_START_ARCHIVE=$mode bin/pulse restart "$service" >/dev/null
      sleep 2   # settle: what it holds once serving, not a transient of start-up
      started=$(sed -n 's/.* started in \([0-9.]*\)s.*/\1/p' ".pulse/logs/$service.log" | tail -1)
      rss=$(awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$(cat ".pulse/run/$service.pid")/status")
      label=$([ "$mode" = on ] && echo "$archive" || echo none)
      printf '%s\t%s\t%s\t%s\t%s\n' "$service" "$label" "$run" "$started" "$rss" >> "$out"
      say "$service, archive $label, run $run: started in ${started} s, RSS ${rss} MB"
    done
  done
done
bin/pulse restart ingest enricher aggregator query >/dev/null   # as bin/pulse up leaves them
# Medians per service and archive, as a table.
{
  echo "java $java_version, $(nproc) cores; median of $runs runs (bench/startup.sh)"
  echo
  echo "| service | archive | started in (s) | RSS when ready (MB) |"
  echo "|---|---|---:|---:|"
  tail -n +2 "$out" | sort -t$'\t' -k1,1 -k2,2 | awk -F'\t' '
    function flush() { if (key != "") { n = asort(s); asort(r); m = int((n + 1) / 2);
                       printf "| %s | %s | %.2f | %d |\n", svc, arc, s[m], r[m] } }
    { k = $1 "\t" $2; if (k != key) { flush(); key = k; svc = $1; arc = $2; delete s; delete r; i = 0 }
      i++; s[i] = $4; r[i] = $5 }
    END { flush() }'
} | tee "$results/summary.md"
