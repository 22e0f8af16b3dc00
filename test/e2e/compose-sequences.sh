#!/usr/bin/env bash
# The docker compose sequences users run, end to end, for one profile (terraform or pulumi); each must end with
# a working app on :8080 whose uploads are served by public URL. Needs a Docker engine: the GitHub workflow's
# end-to-end job runs it (the project's own machines have none).
#   bash test/e2e/compose-sequences.sh terraform
# -E: the ERR trap also fires inside functions, so any failure dumps the logs.
set -Eeuo pipefail
profile=${1:?usage: compose-sequences.sh terraform|pulumi}
other=$([ "$profile" = terraform ] && echo pulumi || echo terraform)
reset() { docker compose --profile terraform --profile pulumi down --volumes --remove-orphans; }
trap 'docker compose --profile terraform --profile pulumi logs --no-color --tail=200 || true' ERR

# A 1x1 PNG.
printf '\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0\x90wS\xde\0\0\0\x0cIDATx\x9cc\xf8\xcf\xc0\0\0\x03\x01\x01\0\xc9\xfe\x92\xef\0\0\0\0IEND\xaeB`\x82' > pixel.png

# `up` with a profile, wait for its provisioner to exit 0 and for the app to be ready, then upload and fetch.
up_and_check() {
  local active=$1 step=$2
  echo "::group::$step ($active)"
  COMPOSE_PROFILES=$active docker compose up -d --build
  # `docker compose wait` exits with the container's status (and prints a sentence, not the number).
  docker compose wait "$active" || { echo "the $active provisioner failed (exit $?)"; exit 1; }
  for _ in $(seq 1 60); do curl -fsS http://localhost:8080/readyz >/dev/null 2>&1 && break; sleep 2; done
  curl -fsS http://localhost:8080/readyz
  [ "$(curl -fsS http://localhost:8080/inventory | jq length)" -ge 1 ]
  url=$(curl -fsS -F image_file=@pixel.png http://localhost:8080/inventory/1/image | jq -r .image_url)
  echo "stored at $url"
  curl -fsS "$url" -o fetched.png
  cmp pixel.png fetched.png
  echo "::endgroup::"
}

reset
up_and_check "$profile" 'first up'
up_and_check "$profile" 'second up'
docker compose stop
up_and_check "$profile" 'up after a stop (as after Ctrl-C)'
docker compose restart localstack
up_and_check "$profile" 'up after restart localstack'
up_and_check "$other" 'up with the other profile'
up_and_check "$profile" 'and back'
reset
[ -z "$(docker compose --profile terraform --profile pulumi ps --all --quiet)" ] || { echo 'containers left after the reset'; exit 1; }
! docker volume ls --format '{{.Name}}' | grep -E '_(terraform|pulumi)-state$' || { echo 'volumes left after the reset'; exit 1; }
up_and_check "$profile" 'up after the reset'
reset
