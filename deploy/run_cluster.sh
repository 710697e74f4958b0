#!/usr/bin/env bash
# Run the Cross-Entropy Explorer as N `streamlit run app.py` processes behind nginx (sticky sessions).
# Stays in the foreground; Ctrl-C or SIGTERM stops nginx and every Streamlit process. See deploy/README.md.
#
#   deploy/run_cluster.sh [--processes N] [--host ADDR] [--port PORT] [--upstream-ports P1,P2,...]
#                         [--run-dir DIR]
#
#   --processes N       Streamlit processes (default 2), on ports PORT+1 .. PORT+N unless
#   --upstream-ports    lists them (then N is their number). They listen on 127.0.0.1 only.
#   --host, --port      where nginx listens (default 0.0.0.0:8501).
#   --run-dir DIR       nginx.conf, pid files, logs (default: a new temporary directory, removed at exit).
#
# Environment: PYTHON (default python3: the one with the app's requirements), NGINX (default nginx),
# STREAMLIT_SERVER_COOKIE_SECRET (default: random, generated here and shared by all processes).
# Written to the run directory: nginx.conf, upstreams.pid (one Streamlit pid per line), nginx.pid,
# streamlit-PORT.log, access.log (with upstream=ADDR per request), error.log.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
python="${PYTHON:-python3}"
nginx="${NGINX:-nginx}"
processes=2
host=0.0.0.0
port=8501
upstream_ports=""
run_dir=""

usage() { sed -n '2,17s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; }

while [ $# -gt 0 ]; do
    case "$1" in
        --processes) processes="$2"; shift 2 ;;
        --host) host="$2"; shift 2 ;;
        --port) port="$2"; shift 2 ;;
        --upstream-ports) upstream_ports="$2"; shift 2 ;;
        --run-dir) run_dir="$2"; shift 2 ;;
        -h | --help) usage; exit 0 ;;
        *) echo "run_cluster: unknown argument $1" >&2; usage >&2; exit 2 ;;
    esac
done

if ! command -v "$nginx" >/dev/null 2>&1; then
    echo "run_cluster: nginx is not installed (Debian: apt-get install -y nginx)" >&2
    exit 1
fi

if [ -n "$upstream_ports" ]; then
    IFS=, read -r -a ports <<<"$upstream_ports"
else
    ports=()
    for ((i = 1; i <= processes; i++)); do ports+=("$((port + i))"); done
fi

remove_run_dir=0
if [ -z "$run_dir" ]; then
    run_dir="$(mktemp -d -t explorer-cluster.XXXXXX)"
    remove_run_dir=1
fi
mkdir -p "$run_dir"
run_dir="$(cd "$run_dir" && pwd)"
# When started as root, nginx's workers run as an unprivileged user and must reach their temp dirs.
chmod 755 "$run_dir"

# Streamlit signs its auth cookies (st.login) with server.cookieSecret, random per process unless set:
# one secret for all processes lets such a cookie from one process be read by any other. (The XSRF
# cookie is a double-submit token compared with the request's header, valid on every process anyway.)
if [ -z "${STREAMLIT_SERVER_COOKIE_SECRET:-}" ]; then
    STREAMLIT_SERVER_COOKIE_SECRET="$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')"
fi
export STREAMLIT_SERVER_COOKIE_SECRET

streamlit_pids=()
nginx_pid=""

# Wait up to 10 s for the pids to exit, then kill what is left.
stop_pids() {
    local pid
    for ((i = 0; i < 100; i++)); do
        local alive=0
        for pid in "$@"; do kill -0 "$pid" 2>/dev/null && alive=1; done
        [ "$alive" -eq 0 ] && return 0
        sleep 0.1
    done
    for pid in "$@"; do kill -KILL "$pid" 2>/dev/null || true; done
}

cleanup() {
    local status=$?
    trap - EXIT INT TERM
    echo "run_cluster: stopping nginx and ${#streamlit_pids[@]} Streamlit process(es)" >&2
    local pids=("${streamlit_pids[@]}")
    [ -n "$nginx_pid" ] && pids+=("$nginx_pid")
    if [ "${#pids[@]}" -gt 0 ]; then
        kill -TERM "${pids[@]}" 2>/dev/null || true
        stop_pids "${pids[@]}"
        wait 2>/dev/null || true
    fi
    rm -f "$run_dir/upstreams.pid"
    [ "$remove_run_dir" -eq 1 ] && rm -rf "$run_dir"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# 0 when http://127.0.0.1:PORT/_stcore/health answers 200 (bash's /dev/tcp: no curl needed).
healthy() {
    local status_line
    { exec 3<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null || return 1
    printf 'GET /_stcore/health HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3
    IFS= read -r -t 2 status_line <&3 || true
    exec 3<&- 3>&-
    [[ "$status_line" == "HTTP/1.1 200"* ]]
}

wait_healthy() {
    local upstream_port="$1" pid="$2"
    for ((i = 0; i < 240; i++)); do
        if ! kill -0 "$pid" 2>/dev/null; then
            echo "run_cluster: Streamlit on port $upstream_port exited; see $run_dir/streamlit-$upstream_port.log" >&2
            return 1
        fi
        healthy "$upstream_port" && return 0
        sleep 0.25
    done
    echo "run_cluster: Streamlit on port $upstream_port not healthy after 60 s" >&2
    return 1
}

cd "$root"
for upstream_port in "${ports[@]}"; do
    "$python" -m streamlit run app.py --server.address 127.0.0.1 --server.port "$upstream_port" \
        </dev/null >"$run_dir/streamlit-$upstream_port.log" 2>&1 &
    streamlit_pids+=("$!")
done
printf '%s\n' "${streamlit_pids[@]}" >"$run_dir/upstreams.pid"
for i in "${!ports[@]}"; do
    wait_healthy "${ports[$i]}" "${streamlit_pids[$i]}"
done

upstream_lines=""
for upstream_port in "${ports[@]}"; do
    upstream_lines+="        server 127.0.0.1:$upstream_port max_fails=3 fail_timeout=10s;"$'\n'
done
template="$(<"$here/nginx.conf.template")"
config="${template//@RUN_DIR@/$run_dir}"
config="${config//@LISTEN@/$host:$port}"
config="${config//@UPSTREAMS@/${upstream_lines%$'\n'}}"
printf '%s\n' "$config" >"$run_dir/nginx.conf"

nginx_args=(-p "$run_dir" -c "$run_dir/nginx.conf" -e "$run_dir/error.log")
"$nginx" -t -q "${nginx_args[@]}"
"$nginx" "${nginx_args[@]}" -g 'daemon off;' </dev/null &
nginx_pid="$!"

echo "run_cluster: http://$host:$port -> ${#ports[@]} Streamlit process(es) on ports ${ports[*]} (run dir $run_dir)"
# Runs until Ctrl-C / SIGTERM, or until any process exits (then everything stops, with its status).
wait -n
exit $?
