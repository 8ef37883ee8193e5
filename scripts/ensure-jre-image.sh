#!/usr/bin/env bash
# Makes a Java 17 runtime base image in the local Docker engine when no registry can be reached: a Debian
# bookworm minbase root file system (debootstrap) with openjdk-17-jre-headless and curl (the sample's
# HEALTHCHECK uses it), imported with `docker import` and tagged as the name the Dockerfiles' FROM expects.
# Cached: does nothing when the tag exists. Needs root (debootstrap, chroot, mount) and apt access.
#   usage: scripts/ensure-jre-image.sh [tag]      (default eclipse-temurin:17-jre; DOCKER_HOST as for docker)
set -euo pipefail
export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"
tag="${1:-eclipse-temurin:17-jre}"
log() { printf '[jre-image] %s\n' "$*" >&2; }

if docker image inspect "$tag" >/dev/null 2>&1; then
  log "$tag exists"
  exit 0
fi
# One build at a time on this machine (other checkouts may ask for the same tag).
exec 9>"${TMPDIR:-/tmp}/migrate-ensure-jre-image.lock"
flock 9
if docker image inspect "$tag" >/dev/null 2>&1; then
  log "$tag exists"
  exit 0
fi
command -v debootstrap >/dev/null || { log "installing debootstrap"; apt-get install -y -qq debootstrap >/dev/null || { apt-get update -qq >/dev/null; apt-get install -y -qq debootstrap >/dev/null; }; }

root="$(mktemp -d "${TMPDIR:-/tmp}/migrate-jre-root.XXXXXX")"
cleanup() {
  umount "$root/proc" 2>/dev/null || true
  rm -rf "$root"
}
trap cleanup EXIT
log "debootstrap --variant=minbase bookworm (about 2 minutes)"
debootstrap --variant=minbase bookworm "$root" >"$root.log" 2>&1 || { tail -20 "$root.log" >&2; exit 1; }
rm -f "$root.log"
cp /etc/resolv.conf "$root/etc/resolv.conf"
mount -t proc proc "$root/proc"
log "installing openjdk-17-jre-headless and curl in the chroot"
chroot "$root" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
  openjdk-17-jre-headless curl ca-certificates >/dev/null
chroot "$root" apt-get clean
rm -rf "$root"/var/lib/apt/lists/*
umount "$root/proc"
: >"$root/etc/resolv.conf"
log "docker import as $tag"
tar -C "$root" -c . | docker import \
  --change 'ENV JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64' \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'CMD ["bash"]' - "$tag" >/dev/null
docker run --rm --network none "$tag" java -version 2>&1 | head -1 >&2
log "done: $tag"
