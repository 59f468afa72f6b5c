#!/usr/bin/env bash
# Writes a runnable nginx configuration for Pulse from conf/nginx.conf.template into a folder of its own:
#   PULSE_NGINX_DIR=<dir> nginx/render.sh     then    nginx -p <dir> -c <dir>/nginx.conf
# Settings (environment):
#   PULSE_NGINX_DIR         where nginx.conf, logs/, temp/, cache/ and tls/ go (required)
#   PULSE_NGINX_INGEST      ingest instances, host:port separated by spaces (127.0.0.1:8081)
#   PULSE_NGINX_QUERY       query instances (127.0.0.1:8084)
#   PULSE_NGINX_LISTEN      address to listen on (127.0.0.1; 0.0.0.0 to serve other machines)
#   PULSE_NGINX_HTTPS_PORT  (8443)   PULSE_NGINX_HTTP_PORT (8080)
#   PULSE_NGINX_SERVER_NAME (localhost)
#   PULSE_NGINX_CERT, PULSE_NGINX_KEY   PEM certificate and key; when unset a self-signed pair for
#                           localhost/127.0.0.1 is generated once in <dir>/tls/ (openssl)
#   PULSE_NGINX_PID         pid file (<dir>/nginx.pid)
#   PULSE_NGINX_IP_RATE / _IP_BURST       tracking requests per second per client address (200 / 400)
#   PULSE_NGINX_KEY_RATE / _KEY_BURST     tracking requests per second per write key (500 / 1000)
#   PULSE_NGINX_QUERY_RATE / _QUERY_BURST read requests per second per client address (50 / 100)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
dir=${PULSE_NGINX_DIR:?set PULSE_NGINX_DIR to the folder the configuration goes to}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
nginx_bin=${PULSE_NGINX_BIN:-$(command -v nginx || echo /usr/sbin/nginx)}

servers() { # host:port... -> upstream server lines
  local line
  for address in $1; do
    # Passive health check: one failed connection or timeout leaves the instance out for 5 s.
    printf -v line '        server %s max_fails=1 fail_timeout=5s;\n' "$address"
    printf '%s' "$line"
  done
}

cert=${PULSE_NGINX_CERT:-}
key=${PULSE_NGINX_KEY:-}
if [ -z "$cert" ] || [ -z "$key" ]; then
  cert=$dir/tls/cert.pem key=$dir/tls/key.pem
  if [ ! -s "$cert" ] || [ ! -s "$key" ]; then
    command -v openssl >/dev/null || { echo "render.sh: openssl is needed for a self-signed certificate: apt-get install -y openssl" >&2; exit 1; }
    mkdir -p "$dir/tls"; chmod 700 "$dir/tls"
    openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 825 -subj "/CN=localhost" \
      -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
      -keyout "$key" -out "$cert" 2>/dev/null
    echo "render.sh: generated a self-signed certificate $cert (localhost, 127.0.0.1)" >&2
  fi
fi

https_port=${PULSE_NGINX_HTTPS_PORT:-8443}
http_port=${PULSE_NGINX_HTTP_PORT:-8080}
suffix=":$https_port"; [ "$https_port" = 443 ] && suffix=""

# nginx 1.25.1 moved HTTP/2 from the listen directive to "http2 on".
version=$("$nginx_bin" -v 2>&1 | sed -n 's|.*nginx/\([0-9.]*\).*|\1|p')
if [ -n "$version" ] && [ "$(printf '%s\n' "$version" 1.25.1 | sort -V | head -1)" = 1.25.1 ]; then
  http2_listen="" http2_directive="http2 on;"
else
  http2_listen="http2" http2_directive=""
fi

mkdir -p "$dir/logs" "$dir/temp" "$dir/cache"
# Started as root, nginx's workers run as nobody: they must be able to write their temp and cache folders.
user_line=""
if [ "$(id -u)" = 0 ]; then
  user_line="user nobody nogroup;"
  chown -R nobody:nogroup "$dir/temp" "$dir/cache"
fi
chmod 700 "$dir/cache"

conf=$(<"$here/conf/nginx.conf.template")
replace() { conf=${conf//"@@$1@@"/$2}; }
replace USER "$user_line"
replace DIR "$dir"
replace PID_FILE "${PULSE_NGINX_PID:-$dir/nginx.pid}"
replace INGEST_SERVERS "$(servers "${PULSE_NGINX_INGEST:-127.0.0.1:8081}")"
replace QUERY_SERVERS "$(servers "${PULSE_NGINX_QUERY:-127.0.0.1:8084}")"
replace LISTEN "${PULSE_NGINX_LISTEN:-127.0.0.1}"
replace HTTPS_PORT "$https_port"
replace HTTP_PORT "$http_port"
replace HTTPS_PORT_SUFFIX "$suffix"
replace HTTP2_LISTEN "$http2_listen"
replace HTTP2_DIRECTIVE "$http2_directive"
replace SERVER_NAME "${PULSE_NGINX_SERVER_NAME:-localhost}"
replace CERT "$cert"
replace KEY "$key"
replace IP_RATE "${PULSE_NGINX_IP_RATE:-200}"
replace IP_BURST "${PULSE_NGINX_IP_BURST:-400}"
replace KEY_RATE "${PULSE_NGINX_KEY_RATE:-500}"
replace KEY_BURST "${PULSE_NGINX_KEY_BURST:-1000}"
replace QUERY_RATE "${PULSE_NGINX_QUERY_RATE:-50}"
replace QUERY_BURST "${PULSE_NGINX_QUERY_BURST:-100}"
if left=$(grep -o '@@[A-Z_0-9]*@@' <<<"$conf"); then
  echo "render.sh: unfilled placeholder in the template: $(head -1 <<<"$left")" >&2
  exit 1
fi
cp "$here"/conf/pulse-*.conf "$dir/"
printf '%s\n' "$conf" > "$dir/nginx.conf"
echo "$dir/nginx.conf"
