#!/usr/bin/env bash
# Provisions the image bucket in LocalStack with the Pulumi program: the twin of
# terraform/environments/localstack/provision.sh, run by docker compose's `pulumi` service.
#
#   PULUMI_WORK_DIR=<writable dir> LOCALSTACK_ENDPOINT=http://localstack:4566 bash pulumi/provision.sh
#
# It converges whatever state LocalStack and PULUMI_WORK_DIR are in: `pulumi up --refresh` first reads what
# really exists, so after LocalStack restarted empty (community LocalStack keeps nothing across a restart) the
# resources the state still lists are found gone and created again. A plain `pulumi up` would trust the state,
# report "unchanged", and never bring the bucket back.
#
# Dependencies: only the program's own packages, at the versions the repository's package-lock.json resolves,
# installed once into PULUMI_WORK_DIR (a volume in compose) and again only when those versions change, so a
# later `up` starts in seconds. (The program runs transpile-only here: `npm test` type-checks it.)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
sources=$(cd "$here/.." && pwd)
work=${PULUMI_WORK_DIR:?set PULUMI_WORK_DIR to a writable directory for the dependencies and the project copy}
endpoint=${LOCALSTACK_ENDPOINT:?set LOCALSTACK_ENDPOINT, for example http://localstack:4566}
project="$work/project"
deps="$work/dependencies"

packages=$(node -e '
  const lock = require(process.argv[1]);
  const wanted = ["@pulumi/pulumi", "@pulumi/aws", "typescript"];
  console.log(wanted.map((name) => `${name}@${lock.packages[`node_modules/${name}`].version}`).join(" "));
' "$sources/package-lock.json")
if [ "$(cat "$deps/installed" 2>/dev/null || true)" != "$packages" ]; then
  echo "Installing the Pulumi program's dependencies: $packages"
  rm -rf "$deps"
  mkdir -p "$deps"
  echo '{ "private": true }' > "$deps/package.json"
  # shellcheck disable=SC2086 # one argument per package
  (cd "$deps" && npm install --no-audit --no-fund --ignore-scripts --no-package-lock $packages)
  echo "$packages" > "$deps/installed"
fi

# Pulumi's file backend needs its folder to exist (pulumi/pulumi issues 15841 and 24316).
case "${PULUMI_BACKEND_URL:-}" in file://*) mkdir -p "${PULUMI_BACKEND_URL#file://}" ;; esac

# Today's program and settings. The stack's encryption salt belongs to the stack in this backend (`stack init`
# here wrote it): it is carried over, and a salt in the repository's copy (from a `pulumi stack init` on the
# host, against another backend) is dropped, so the file never holds two.
mkdir -p "$project"
salt=$(grep '^encryptionsalt:' "$project/Pulumi.localstack.yaml" 2>/dev/null || true)
rm -rf "$project/pulumi"
# The runtime compiles the program with pulumi/tsconfig.json (it looks in the program's folder, `main`).
cp -R "$sources/pulumi" "$sources/Pulumi.yaml" "$project/"
grep -v '^encryptionsalt:' "$sources/Pulumi.localstack.yaml" > "$project/Pulumi.localstack.yaml"
if [ -n "$salt" ]; then echo "$salt" >> "$project/Pulumi.localstack.yaml"; fi
ln -sfn "$deps/node_modules" "$project/node_modules"

cd "$project"
pulumi stack select --create localstack
for service in s3 iam sts; do
  pulumi config set --path "aws:endpoints[0].$service" "$endpoint"
done
pulumi up --yes --refresh --skip-preview --stack localstack
pulumi stack output --stack localstack
