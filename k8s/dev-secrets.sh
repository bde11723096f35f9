#!/usr/bin/env bash
# Writes the files k8s/kustomization.yaml turns into Secrets, for a trial deployment:
#   tls.crt, tls.key   a self-signed certificate for HOSTNAME (replace with a real one for production)
#   dkim.key           an Ed25519 DKIM key (PKCS#8 PEM) for the domain in configmap.yaml's dkim.keys
#   users              the SMTP AUTH user file, empty; add users with
#                      java -jar target/hermod.jar user add NAME --file k8s/secrets/users
#   admin-token        a random bearer token for the queue admin API (http.adminToken)
# Existing files are kept, so real keys put there are never overwritten.
# The host name and the DKIM domain and selector are read from configmap.yaml: edit it first (your host name,
# local domains and DKIM domain in place of mx.example.org and example.org).
# Usage: k8s/dev-secrets.sh [DIR (default k8s/secrets)] [HOSTNAME (default configmap.yaml's "hostname")]
set -euo pipefail

here=$(dirname "$0")
configmap="$here/configmap.yaml"
# The first value of a JSON key in the ConfigMap's hermod.json ("hostname", "domain", "selector").
first() { sed -n "/\"$1\": *\"/{s/.*\"$1\": *\"\([^\"]*\)\".*/\1/p;q;}" "$configmap"; }
dir=${1:-"$here/secrets"}
host=${2:-$(first hostname)}
dkim_domain=$(first domain)
dkim_selector=$(first selector)
mkdir -p "$dir"
umask 077

if grep -q 'example\.org' "$configmap"; then
  echo "note: $configmap still names example.org (hostname, localDomains, dkim.keys):" \
    "replace them with your own before kubectl apply -k" >&2
fi

if [ ! -f "$dir/tls.crt" ] || [ ! -f "$dir/tls.key" ]; then
  openssl req -x509 -newkey rsa:2048 -nodes -days 365 -subj "/CN=$host" -addext "subjectAltName=DNS:$host" \
    -keyout "$dir/tls.key" -out "$dir/tls.crt" 2>/dev/null
  echo "wrote $dir/tls.crt and tls.key (self-signed for $host)"
fi
if [ ! -f "$dir/dkim.key" ]; then
  openssl genpkey -algorithm ed25519 -out "$dir/dkim.key"
  # RFC 8463: the DNS record carries the raw 32-byte public key, base64 (the last 32 bytes of the DER).
  pub=$(openssl pkey -in "$dir/dkim.key" -pubout -outform DER | tail -c 32 | base64)
  echo "wrote $dir/dkim.key; publish: ${dkim_selector:-SELECTOR}._domainkey.${dkim_domain:-DOMAIN} TXT \"v=DKIM1; k=ed25519; p=$pub\""
fi
if [ ! -f "$dir/users" ]; then
  echo '# Hermod users: name:$pbkdf2-sha256$iterations$salt$hash (docs/security.md)' > "$dir/users"
  echo "wrote $dir/users (no users yet)"
fi
if [ ! -f "$dir/admin-token" ]; then
  openssl rand -hex 32 | tr -d '\n' > "$dir/admin-token"
  echo "wrote $dir/admin-token"
fi
