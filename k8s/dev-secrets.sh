#!/usr/bin/env bash
# Writes the files k8s/kustomization.yaml turns into Secrets, for a trial deployment:
#   tls.crt, tls.key   a self-signed certificate for HOSTNAME (replace with a real one for production)
#   dkim.key           an Ed25519 DKIM key (PKCS#8 PEM) for the domain in configmap.yaml's dkim.keys
#   users              the SMTP AUTH user file, empty; add users with
#                      java -jar target/hermod.jar user add NAME --file k8s/secrets/users
#   admin-token        a random bearer token for the queue admin API (http.adminToken)
# Existing files are kept, so real keys put there are never overwritten.
# Usage: k8s/dev-secrets.sh [DIR (default k8s/secrets)] [HOSTNAME (default mx.example.org)]
set -euo pipefail

dir=${1:-"$(dirname "$0")/secrets"}
host=${2:-mx.example.org}
mkdir -p "$dir"
umask 077

if [ ! -f "$dir/tls.crt" ] || [ ! -f "$dir/tls.key" ]; then
  openssl req -x509 -newkey rsa:2048 -nodes -days 365 -subj "/CN=$host" -addext "subjectAltName=DNS:$host" \
    -keyout "$dir/tls.key" -out "$dir/tls.crt" 2>/dev/null
  echo "wrote $dir/tls.crt and tls.key (self-signed for $host)"
fi
if [ ! -f "$dir/dkim.key" ]; then
  openssl genpkey -algorithm ed25519 -out "$dir/dkim.key"
  # RFC 8463: the DNS record carries the raw 32-byte public key, base64 (the last 32 bytes of the DER).
  pub=$(openssl pkey -in "$dir/dkim.key" -pubout -outform DER | tail -c 32 | base64)
  echo "wrote $dir/dkim.key; publish: <selector>._domainkey.<domain> TXT \"v=DKIM1; k=ed25519; p=$pub\""
fi
if [ ! -f "$dir/users" ]; then
  echo '# Hermod users: name:$pbkdf2-sha256$iterations$salt$hash (docs/security.md)' > "$dir/users"
  echo "wrote $dir/users (no users yet)"
fi
if [ ! -f "$dir/admin-token" ]; then
  openssl rand -hex 32 | tr -d '\n' > "$dir/admin-token"
  echo "wrote $dir/admin-token"
fi
