#!/usr/bin/env bash
# Hermod vs Postfix vs the rig's ceiling, in one run:  benchmarks/run.sh [--quick] [--rounds N] [--messages N] [--no-build]
#   [--only throughput,fsync,latency,concurrency,big,submission] [--listener-instances N] [--jar PATH]
#   [--latency-rate MSGS_PER_S]
# Sending at scale instead:  benchmarks/run.sh [--quick] [--no-build] [--dead-destination] [--campaign]
#   [--dead-messages N] [--campaign-messages N] [--campaign-domains N] [--backoff SECONDS]
# Load above relay capacity:  benchmarks/run.sh [--quick] [--no-build] --sustained [--sustained-seconds N]
# A deep queue (issue #13):  benchmarks/run.sh [--quick] [--no-build] [--jar PATH] --only deepqueue
#   [--deep-messages N] [--deep-postfix-messages N] [--deep-drain-limit SECONDS] [--deep-hold SECONDS]
# The event feed (issue #19): benchmarks/run.sh [--quick] [--no-build] [--jar PATH] --only feed
# Bus submission against SMTP intake (issue #19):  benchmarks/run.sh [--quick] [--no-build] [--rounds N] --only bussubmit
# Across a long link (few connections, 40 ms RTT):  benchmarks/run.sh [--quick] [--no-build] [--jar PATH] --only wan
# Everything listens on 127.0.0.0/8 only, on free ports (never 25); everything started is stopped by PID.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
WORK=$HERE/work
RESULTS=$HERE/results
ARGS=()
BUILD=1
JAR_ARG=""
SHAPING=0
SUSTAINED=0

while [ $# -gt 0 ]; do
  case "$1" in
    --quick) ARGS+=(--quick) ;;
    --rounds) [ $# -ge 2 ] || { echo "--rounds needs a number" >&2; exit 64; }; ARGS+=(--rounds "$2"); shift ;;
    --messages) [ $# -ge 2 ] && [[ "$2" =~ ^[0-9]+$ ]] || { echo "--messages needs a number" >&2; exit 64; }
      ARGS+=(--messages "$2"); shift ;;
    --no-build) BUILD=0 ;;
    --only) [ $# -ge 2 ] || { echo "--only needs a list" >&2; exit 64; }; ARGS+=(--only "$2"); shift ;;
    --listener-instances) [ $# -ge 2 ] || { echo "--listener-instances needs a number" >&2; exit 64; }
      ARGS+=(--listener-instances "$2"); shift ;;
    --latency-rate) [ $# -ge 2 ] && [[ "$2" =~ ^[0-9]+$ ]] && [ "$2" -gt 0 ] || { echo "$1 needs a number" >&2; exit 64; }
      ARGS+=("$1" "$2"); shift ;;
    --jar) [ $# -ge 2 ] || { echo "--jar needs a path" >&2; exit 64; }; JAR_ARG=$2; BUILD=0; shift ;;
    --dead-destination|--campaign) ARGS+=("$1"); SHAPING=1 ;;
    --sustained) ARGS+=("$1"); SUSTAINED=1 ;;
    --sustained-seconds) [ $# -ge 2 ] && [[ "$2" =~ ^[0-9]+$ ]] || { echo "$1 needs a number" >&2; exit 64; }
      ARGS+=("$1" "$2"); shift ;;
    --dead-messages|--campaign-messages|--campaign-domains|--backoff|--deep-messages|--deep-postfix-messages|--deep-drain-limit|--deep-hold)
      [ $# -ge 2 ] && [[ "$2" =~ ^[0-9]+$ ]] || { echo "$1 needs a number" >&2; exit 64; }
      ARGS+=("$1" "$2"); shift ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 64 ;;
  esac
  shift
done

say() { echo "[run.sh] $*"; }

# Stop what we started, by PID only: the private Postfix (its own config dir) and every pid file bench.py wrote.
cleanup() {
  for pf in "$WORK/postfix" "$WORK/postfix-shaping" "$WORK/postfix-deepqueue"; do
    if [ -f "$pf/main.cf" ] && { [ -f "$pf/queue/pid/master.pid" ] || [ -f "$pf-queue/pid/master.pid" ]; }; then
      timeout 60 postfix -c "$pf" stop >/dev/null 2>&1 || true
    fi
  done
  for f in "$WORK"/pids/*.pid; do
    [ -e "$f" ] || continue
    pid=$(cat "$f")
    # only a process that is still what we started (PIDs get reused): a sink, a peer, our dnsmasq, our strace or
    # perf record, Hermod, or our Postfix master
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null &&
       { tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qE "smtp-sink|sink\.py|peer\.py|\.jar -conf|example\.(EmbeddedHermod|ClusterApp) |FeedConsumer\.java|dovecot -c $WORK/dovecot/|dnsmasq .*--conf-file=$WORK/|^strace .* -o $WORK/|^perf record .* -o $WORK/" ||
         tr '\0' '\n' <"/proc/$pid/environ" | grep -qxE "MAIL_CONFIG=$WORK/postfix(-shaping|-deepqueue)?"; }; then
      kill "$pid" 2>/dev/null || true
      for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$pid" 2>/dev/null || break; sleep 0.3; done
      kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$f"
  done
}
trap cleanup EXIT

# --- packages (fresh machines): command -> Debian package
need=()
command -v postfix >/dev/null || need+=(postfix)
command -v smtp-source >/dev/null || need+=(postfix)
command -v swaks >/dev/null || need+=(swaks)
command -v strace >/dev/null || need+=(strace)  # fsyncs per message (procs.SyscallCounter)
command -v gnuplot >/dev/null || need+=(gnuplot-nox)
[ -x /usr/bin/python3 ] || need+=(python3)
command -v java >/dev/null || need+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null || need+=(maven)
command -v openssl >/dev/null || need+=(openssl)
[ -x /usr/sbin/dovecot ] || need+=(dovecot-core)  # Postfix's SASL in the submission scenario (a private instance)
[ "$SHAPING" = 0 ] || command -v dnsmasq >/dev/null || [ -x /usr/sbin/dnsmasq ] || need+=(dnsmasq-base)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    say "missing packages (${need[*]}) and not root: install them first"; exit 3
  fi
  say "installing: ${need[*]}"
  echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
  export DEBIAN_FRONTEND=noninteractive
  timeout 600 apt-get update -qq || say "apt-get update failed (continuing)"
  # No package may start its system daemon (Dovecot): Debian's policy-rc.d convention, only for this install.
  policy_added=no
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && policy_added=yes
  fi
  timeout 900 apt-get install -y -qq --no-install-recommends "${need[@]}" || { say "apt-get install failed"; exit 3; }
  if [ "$policy_added" = yes ]; then rm -f /usr/sbin/policy-rc.d; fi
fi

# --- file descriptors for 10,000 idle sessions (client side, and Postfix's anvil which counts them)
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" || true
say "ulimit -n $(ulimit -n)"

mkdir -p "$WORK/pids" "$RESULTS"
cleanup  # a previous run that was killed hard may have left its private Postfix or sinks running

# --- Hermod's jar: a failed build is reported in the results; the Postfix and ceiling columns still run
JAR=${JAR_ARG:-$ROOT/target/hermod.jar}
NOTE=""
if [ "$BUILD" = 1 ]; then
  say "building Hermod (mvn -q -B package -DskipTests, log in benchmarks/work/build.log)"
  if ! (cd "$ROOT" && timeout 900 mvn -q -B package -DskipTests) >"$WORK/build.log" 2>&1; then
    NOTE="(the build failed: see benchmarks/work/build.log)"
    say "build failed; Hermod's columns will say so"
  fi
fi

PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
set +e
"$PY" "$HERE/bench.py" --work "$WORK" --results "$RESULTS" --jar "$JAR" --jar-note "$NOTE" "${ARGS[@]}"
rc=$?
set -e
LATEST=$RESULTS/latest.md
for i in "${!ARGS[@]}"; do  # --only a,b: bench.py writes latest-a-b.md (the full list: latest.md)
  if [ "${ARGS[$i]}" = --only ] && [ "${ARGS[$((i + 1))]// /}" != throughput,fsync,latency,concurrency,big,submission ]; then
    only=${ARGS[$((i + 1))]// /}; LATEST=$RESULTS/latest-${only//,/-}.md
  fi
done
[ "$SHAPING" = 0 ] || LATEST=$RESULTS/latest-shaping.md
[ "$SUSTAINED" = 0 ] || LATEST=$RESULTS/latest-sustained.md
[[ " ${ARGS[*]} " != *" --only deepqueue "* ]] || LATEST=$RESULTS/latest-deepqueue.md
[[ " ${ARGS[*]} " != *" --only bussubmit "* ]] || LATEST=$RESULTS/latest-bussubmit.md
[[ " ${ARGS[*]} " != *" --only feed "* ]] || LATEST=$RESULTS/latest-feed.md
[ $rc -eq 0 ] && say "done: $LATEST" || say "the harness failed (exit $rc)"
exit $rc
