#!/usr/bin/env bash
# A real Apache Kafka 4.4.0 broker (KRaft, single node) for development, tests and benchmarks.
#   infra/local/kafka.sh start    fetch jars once, format once, start, wait until ready, create topics
#   infra/local/kafka.sh stop     SIGTERM and wait (SIGKILL after 30 s)
#   infra/local/kafka.sh status   exit 0 when running and answering
# Idempotent: start leaves a running broker alone; stop on a stopped broker does nothing.
# Environment: PULSE_KAFKA_PORT (9092), PULSE_KAFKA_CONTROLLER_PORT (9093), PULSE_KAFKA_HEAP (512m),
#              PULSE_KAFKA_PARTITIONS (6), PULSE_HOME (<project>/.pulse), PULSE_KAFKA_DIR ($PULSE_HOME/kafka).
# bin/pulse test runs a second broker (port 19092, dir .pulse/kafka-test) so tests never share one with `up`.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
home=${PULSE_HOME:-$root/.pulse}
lib=$home/kafka/lib                       # jars, shared by every broker of this checkout
dir=${PULSE_KAFKA_DIR:-$home/kafka}       # this broker's config, data, log and pid
port=${PULSE_KAFKA_PORT:-9092}
controller_port=${PULSE_KAFKA_CONTROLLER_PORT:-9093}
heap=${PULSE_KAFKA_HEAP:-512m}
partitions=${PULSE_KAFKA_PARTITIONS:-6}
bootstrap=127.0.0.1:$port
topics=(pulse.events.raw pulse.events.enriched pulse.events.dlq)
java_bin=${JAVA:-java}

say() { echo "kafka: $*"; }
die() { echo "kafka: $*" >&2; exit 1; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

running_pid() {
  [ -f "$dir/kafka.pid" ] || return 1
  local pid; pid=$(cat "$dir/kafka.pid")
  kill -0 "$pid" 2>/dev/null && echo "$pid"
}

tool() { # run a Kafka tool class on the broker's classpath
  "$java_bin" -Xmx256m -cp "$lib/*" -Dlog4j2.configurationFile="$here/kafka/log4j2.properties" "$@"
}

fetch_jars() {
  if [ -f "$lib/.complete" ] && [ "$lib/.complete" -nt "$here/kafka/pom.xml" ]; then return; fi
  say "fetching Kafka 4.4.0 jars from Maven Central into $lib (once)"
  rm -rf "$lib"; mkdir -p "$lib"
  mvn -B -q -f "$here/kafka/pom.xml" dependency:copy-dependencies -DoutputDirectory="$lib" \
    || die "could not fetch the Kafka jars; check that Maven Central is reachable (mvn -f $here/kafka/pom.xml dependency:copy-dependencies)"
  touch "$lib/.complete"
}

configure() {
  mkdir -p "$dir/data"
  sed -e "s#@PORT@#$port#g" -e "s#@CONTROLLER_PORT@#$controller_port#g" -e "s#@DATA_DIR@#$dir/data#g" \
    "$here/kafka/server.properties.template" > "$dir/server.properties"
  if [ ! -f "$dir/data/meta.properties" ]; then
    say "formatting storage in $dir/data (once)"
    local cluster_id; cluster_id=$(tool kafka.tools.StorageTool random-uuid)
    tool kafka.tools.StorageTool format --standalone -t "$cluster_id" -c "$dir/server.properties" >/dev/null
  fi
}

create_topics() {
  local existing; existing=$(tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$bootstrap" --list)
  for t in "${topics[@]}"; do
    grep -qx "$t" <<<"$existing" && continue
    tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$bootstrap" --create --if-not-exists \
      --topic "$t" --partitions "$partitions" --replication-factor 1 >/dev/null
    say "created topic $t ($partitions partitions)"
  done
}

start() {
  if pid=$(running_pid); then
    say "already running (pid $pid) on $bootstrap"
    create_topics
    return
  fi
  if port_open "$port"; then
    die "port $port is taken by another process; stop it or set PULSE_KAFKA_PORT"
  fi
  fetch_jars
  configure
  say "starting broker on $bootstrap (log: $dir/kafka.log)"
  : > "$dir/kafka.log"
  nohup "$java_bin" -Xms"$heap" -Xmx"$heap" -XX:+UseG1GC -cp "$lib/*" \
    -Dlog4j2.configurationFile="$here/kafka/log4j2.properties" \
    kafka.Kafka "$dir/server.properties" >> "$dir/kafka.log" 2>&1 < /dev/null &
  echo $! > "$dir/kafka.pid"
  local waited=0
  until grep -q "Kafka Server started" "$dir/kafka.log"; do
    kill -0 "$(cat "$dir/kafka.pid")" 2>/dev/null || { tail -20 "$dir/kafka.log" >&2; die "broker exited during start-up (log above)"; }
    [ $waited -ge 120 ] && die "broker not ready after 60 s; see $dir/kafka.log"
    sleep 0.5; waited=$((waited + 1))
  done
  say "ready after $((waited / 2)) s"
  create_topics
}

stop() {
  local pid
  if ! pid=$(running_pid); then say "not running"; rm -f "$dir/kafka.pid"; return; fi
  say "stopping broker (pid $pid)"
  kill -TERM "$pid"
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  if kill -0 "$pid" 2>/dev/null; then say "still running after 30 s: SIGKILL"; kill -KILL "$pid"; fi
  rm -f "$dir/kafka.pid"
  say "stopped"
}

status() {
  if pid=$(running_pid) && port_open "$port"; then
    say "running (pid $pid) on $bootstrap"
  else
    say "not running"; return 1
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
