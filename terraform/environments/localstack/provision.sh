#!/bin/sh
# Provisions the image bucket in LocalStack with the root next to this script: init, apply, outputs.
# docker compose's one-shot `terraform` service runs it (see docker-compose.yml); the tests run the same file
# against moto (test/terraform/provision.spec.ts).
#
#   TF_WORK_DIR=<writable dir> sh terraform/environments/localstack/provision.sh
#
# The sources are copied into TF_WORK_DIR next to the state, so the repository can stay read-only (compose
# mounts it so) and the state survives between runs.
#
# It converges from whatever state LocalStack and TF_WORK_DIR are in, because `apply` refreshes first:
# - both empty (first run, or after `docker compose down -v`): everything is created;
# - LocalStack already provisioned: the plan is empty and nothing changes;
# - LocalStack restarted (community LocalStack keeps nothing across a restart) but the state still lists the
#   resources: the refresh finds them gone, drops them from the state, and the apply creates them again.
# Endpoints come from TF_VAR_localstack_endpoint and TF_VAR_public_endpoint (see variables.tf).
set -eu

root_dir=$(cd "$(dirname "$0")" && pwd)
sources=$(cd "$root_dir/../.." && pwd)
work=${TF_WORK_DIR:?set TF_WORK_DIR to a writable directory for the working copy and the state}
run="$work/run"

# A plugin cache (compose keeps one in the state volume) must exist before init uses it.
if [ -n "${TF_PLUGIN_CACHE_DIR:-}" ]; then mkdir -p "$TF_PLUGIN_CACHE_DIR"; fi

# Replace the .tf files of the previous run with today's, keeping the state and the installed provider.
mkdir -p "$run"
find "$run" -name .terraform -prune -o -type f -name '*.tf' -exec rm -f {} +
(cd "$sources" && find modules environments/localstack -name .terraform -prune -o -type f -name '*.tf' -print) |
  while IFS= read -r file; do
    mkdir -p "$run/$(dirname "$file")"
    cp "$sources/$file" "$run/$file"
  done

cd "$run/environments/localstack"
terraform init -input=false
terraform apply -input=false -auto-approve
terraform output
