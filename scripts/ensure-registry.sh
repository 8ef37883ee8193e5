#!/usr/bin/env bash
# Installs Debian's OCI registry (distribution 2.8, `docker-registry`) when missing. Tests start their own
# instance on a free loopback port with a temporary storage directory (test/helpers/oci-registry.ts); the
# package's own service is not used.
set -euo pipefail
export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"
if ! command -v docker-registry >/dev/null; then
  printf '[registry] installing docker-registry from Debian\n' >&2
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-registry >/dev/null
fi
