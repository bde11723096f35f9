#!/usr/bin/env bash
# Builds Hermod's container image without a Docker daemon or a registry: target/hermod-image.tar, an OCI
# image archive (Jib on the empty base image plus a jlink'd runtime, see the `image` profile in pom.xml and
# k8s/image-rootfs.sh). Then, with --verify, runs it the way a container runtime would (k8s/verify-image.sh).
# Load it with: docker load -i target/hermod-image.tar | ctr -n k8s.io images import target/hermod-image.tar
#           | skopeo copy oci-archive:target/hermod-image.tar docker://REGISTRY/hermod:TAG
set -euo pipefail
cd "$(dirname "$0")/.."

mvn -B -q -Pimage -DskipTests package
tar=target/hermod-image.tar
echo "image: $tar, $(du -h "$tar" | cut -f1) compressed"
if [ "${1:-}" = "--verify" ]; then
  k8s/verify-image.sh "$tar"
fi
