#!/usr/bin/env bash
# Makes this Debian 12 machine run `docker compose` as users do: Debian's Docker engine, started if it is not
# running, and Compose v2 and buildx as CLI plugins. Debian 12 packages only Compose v1, so both plugins come
# from Debian 13's packages (their binaries run on Debian 12), fetched with apt from the mirror this machine is
# configured with, using a private apt state so the system's own stays Debian 12. Needs root.
set -euo pipefail

if ! command -v dockerd >/dev/null 2>&1; then
  echo "Installing Debian's Docker engine"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker.io >/dev/null
fi
if ! docker info >/dev/null 2>&1; then
  echo "Starting dockerd"
  (dockerd >/var/log/dockerd.log 2>&1 &)
  for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
  docker info >/dev/null || { tail -20 /var/log/dockerd.log >&2; exit 1; }
fi

plugins="${DOCKER_CONFIG:-$HOME/.docker}/cli-plugins"
if ! docker compose version 2>/dev/null | grep -q 'v2\.' || ! docker buildx version >/dev/null 2>&1; then
  echo "Installing Compose v2 and buildx from Debian 13's packages"
  apt_dir=$(mktemp -d)
  trap 'rm -rf "$apt_dir"' EXIT
  mirror=$(sh "$(dirname "$0")/debian-mirror.sh")
  echo "deb $mirror trixie main" >"$apt_dir/sources.list"
  mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial"
  apt_private=(-o APT::Sandbox::User=root -o "Dir::Etc::SourceList=$apt_dir/sources.list" -o Dir::Etc::SourceParts=/dev/null
    -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache")
  apt-get -qq "${apt_private[@]}" update
  (cd "$apt_dir" && apt-get -qq "${apt_private[@]}" download docker-compose docker-buildx 2>/dev/null)
  mkdir -p "$plugins"
  for deb in "$apt_dir"/*.deb; do dpkg-deb -x "$deb" "$apt_dir/root"; done
  cp "$apt_dir"/root/usr/libexec/docker/cli-plugins/docker-{compose,buildx} "$plugins/"
fi
echo "$(docker version --format 'Docker engine {{.Server.Version}}'), $(docker compose version), $(docker buildx version | cut -d' ' -f1-2)"
