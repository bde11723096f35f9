#!/usr/bin/env bash
# Runs Hermod's image without a container engine, the way Kubernetes would with k8s/statefulset.yaml, and
# checks that it serves SMTP. Needs root (mount, chroot), python3 and jq.
#  1. unpacks the OCI archive's layers, in order, into a root directory;
#  2. makes that root read-only (readOnlyRootFilesystem) with tmpfs on /tmp and the spool (the volumes), the
#     configuration from k8s/configmap.yaml and trial secrets (k8s/dev-secrets.sh) where the pod mounts them,
#     and /proc, /dev nodes, /etc/hosts and /etc/resolv.conf as a runtime provides them;
#  3. runs the image's Entrypoint as the image's User (65532) with the pod's args, clustered (Hazelcast TCP
#     join with itself on loopback instead of the kubernetes join), listeners and ops server on loopback;
#  4. sends a message over SMTP, reads /health/ready and /metrics, then SIGTERM and waits for a clean stop.
# Usage: k8s/verify-image.sh [target/hermod-image.tar]
set -euo pipefail
cd "$(dirname "$0")/.."
tar=$(readlink -f "${1:-target/hermod-image.tar}")
[ "$(id -u)" = 0 ] || { echo "needs root (mount, chroot)" >&2; exit 1; }

work=$(mktemp -d /tmp/hermod-image.XXXXXX)
root=$work/root
pid=
mounts=()
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid"; fi
  for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do umount "${mounts[i]}" 2>/dev/null || umount -l "${mounts[i]}"; done
  rm -rf "$work"
}
trap cleanup EXIT

# 1. Layers (whiteout files cannot occur: every layer only adds files).
mkdir -p "$work/oci" "$root"
tar -xf "$tar" -C "$work/oci"
blob() { echo "$work/oci/blobs/${1/://}"; }
manifest=$(blob "$(jq -r '.manifests[0].digest' "$work/oci/index.json")")
config=$(blob "$(jq -r '.config.digest' "$manifest")")
for layer in $(jq -r '.layers[].digest' "$manifest"); do tar --warning=no-unknown-keyword -xzf "$(blob "$layer")" -C "$root"; done
user=$(jq -r '.config.User' "$config")
mapfile -t entrypoint < <(jq -r '.config.Entrypoint[]' "$config")
mapfile -t image_env < <(jq -r '.config.Env[]' "$config")
echo "image: $(du -sh "$root" | cut -f1) unpacked, $(du -h "$tar" | cut -f1) archive; user $user; entrypoint ${entrypoint[*]}"

# 2. What the pod mounts, and what a runtime adds.
mkdir -p "$root/etc/hermod/config" "$root/etc/hermod/tls" "$root/etc/hermod/users" "$root/etc/hermod/dkim" "$root/proc" "$root/dev"
awk '/^  hermod.json: \|/{on=1; next} on{sub(/^    /, ""); print}' k8s/configmap.yaml > "$root/etc/hermod/config/hermod.json"
k8s/dev-secrets.sh "$work/secrets" >/dev/null
cp "$work/secrets/tls.crt" "$work/secrets/tls.key" "$root/etc/hermod/tls/"
cp "$work/secrets/users" "$root/etc/hermod/users/users"
cp "$work/secrets/dkim.key" "$root/etc/hermod/dkim/dkim.key"
chmod -R a+rX "$root/etc/hermod"
printf '127.0.0.1 localhost hermod-0\n' > "$root/etc/hosts"
printf 'nameserver 127.0.0.1\n' > "$root/etc/resolv.conf"
for dev in null zero random urandom; do touch "$root/dev/$dev"; done
mount --bind "$root" "$root" && mounts+=("$root")
mount -o remount,bind,ro "$root"
mount -t proc proc "$root/proc" && mounts+=("$root/proc")
mount -t tmpfs -o mode=1777 tmpfs "$root/tmp" && mounts+=("$root/tmp")
mount -t tmpfs -o "uid=${user%%:*},gid=${user##*:},mode=0700" tmpfs "$root/var/spool/hermod" && mounts+=("$root/var/spool/hermod")
for dev in null zero random urandom; do mount --bind "/dev/$dev" "$root/dev/$dev" && mounts+=("$root/dev/$dev"); done
if touch "$root/probe" 2>/dev/null; then echo "root file system is writable" >&2; exit 1; fi

# 3. Ports on loopback: listeners, ops, Hazelcast, event bus.
base=$((20000 + RANDOM % 20000))
smtp=$base http=$((base + 1)) hz=$((base + 2)) bus=$((base + 3))
token=$(cat "$work/secrets/admin-token")
env -i "${image_env[@]}" \
  HERMOD_HTTP_ADMIN_TOKEN="$token" HERMOD_HTTP_HOST=127.0.0.1 HERMOD_HTTP_PORT=$http \
  HERMOD_LISTENERS="[{\"name\":\"mx\",\"host\":\"127.0.0.1\",\"port\":$smtp,\"role\":\"mx\"}]" \
  HERMOD_CLUSTER_JOIN=tcp HERMOD_CLUSTER_HOST=127.0.0.1 HERMOD_CLUSTER_MEMBERS=127.0.0.1:$hz \
  HERMOD_CLUSTER_HAZELCAST_PORT=$hz HERMOD_CLUSTER_PORT=$bus HERMOD_LOGGING_FORMAT=text \
  "$(command -v chroot)" --userspec="$user" "$root" "${entrypoint[@]}" -conf /etc/hermod/config/hermod.json > "$work/log" 2>&1 &
pid=$!
echo "started pid $pid (SMTP 127.0.0.1:$smtp, ops 127.0.0.1:$http)"

ready=no
for _ in $(seq 1 120); do
  kill -0 "$pid" 2>/dev/null || break
  if [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$http/health/ready")" = 200 ]; then ready=yes; break; fi
  sleep 0.5
done
if [ $ready != yes ]; then echo "not ready:"; cat "$work/log"; exit 1; fi

# 4. A message for a local domain, then the metrics that count it.
/usr/bin/python3 - "$smtp" <<'PY'
import smtplib, sys
with smtplib.SMTP("127.0.0.1", int(sys.argv[1]), timeout=20) as s:
    code, banner = s.ehlo("verify.example")
    assert code == 250 and s.has_extn("starttls"), (code, banner)
    refused = s.sendmail("", ["postmaster@example.org"], b"Subject: image check\r\n\r\nhello\r\n")
    assert not refused, refused
    print("SMTP: EHLO", code, "(STARTTLS offered), message to postmaster@example.org accepted")
PY
curl -sf "http://127.0.0.1:$http/metrics" | grep '^hermod_messages_accepted_total' | grep -q ' 1\.0$' \
  || { echo "metrics do not count the message"; exit 1; }
grep -q "Members {size:1" "$work/log" || { echo "Hazelcast did not form its cluster:"; cat "$work/log"; exit 1; }
echo "health: ready; metrics: hermod_messages_accepted_total 1; Hazelcast member up"

kill -TERM "$pid"
status=0
wait "$pid" || status=$?
pid=
case $status in
  0 | 143) echo "stopped on SIGTERM (exit $status)";;
  *) echo "exit status $status after SIGTERM:"; cat "$work/log"; exit 1;;
esac
grep -E 'WARNING|WARN ' "$work/log" | sed 's/^/log warning: /' | head -20 || true
if grep -q 'SEVERE' "$work/log"; then echo "errors in the log:"; grep -A3 SEVERE "$work/log"; exit 1; fi
echo "image OK"
