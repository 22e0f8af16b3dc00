#!/usr/bin/env bash
# What users do with docker compose, end to end, for one profile: from nothing to a working app on :8080, uploads
# fetched back by their public URL, a second `up`, LocalStack restarted under the running app, a stop during an
# upload, `down -v` and up again. The same script runs on GitHub (the real images, LocalStack 4.14.0) and on the
# project's machines, which reach no registry (E2E_IMAGES=airgap: test/e2e/airgap/, built beforehand by its
# build-images.sh). Prints `timing <what> <seconds>` lines. Leaves nothing running.
#   bash test/e2e/compose-sequences.sh terraform|pulumi
# Environment: E2E_IMAGES=upstream|airgap (default upstream); E2E_SWITCH_PROFILES=0 skips switching to the other
# profile and back (the air gap has no Pulumi image).
# -E: the ERR trap also fires inside functions, so any failure shows the logs. inherit_errexit: a check that fails
# inside $(...) (upload_and_fetch) fails the script, rather than only printing to stderr.
set -Eeuo pipefail
shopt -s inherit_errexit
cd "$(dirname "$0")/../.."
profile=${1:?usage: compose-sequences.sh terraform|pulumi}
other=$([ "$profile" = terraform ] && echo pulumi || echo terraform)
# The air-gap override sets pull_policy: never on the images it builds; `up --pull never` must not be used on top
# of it: it overrides web's pull_policy: build too, and compose then runs whatever web image it has, however old.
if [ "${E2E_IMAGES:-upstream}" = airgap ]; then
  export COMPOSE_FILE=docker-compose.yml:test/e2e/airgap/compose.airgap.yml
fi
export COMPOSE_PROFILES=$profile
app=http://localhost:8080
bucket_url=http://localhost:4566/inventory-images
work=$(mktemp -d)

reset() { docker compose --profile terraform --profile pulumi down --volumes --remove-orphans >/dev/null 2>&1; }
trap 'echo "FAILED at line $LINENO"; docker compose --profile terraform --profile pulumi logs --no-color --tail=80 || true' ERR
trap 'reset; rm -rf "$work"' EXIT
fail() {
  echo "FAIL: $*" >&2
  return 1
}
now() { date +%s.%N; }
timing() { awk -v what="$1" -v from="$2" -v to="$(now)" 'BEGIN { printf "timing %s %.1f\n", what, to - from }'; }
step() { echo "== $*"; }
up() { docker compose up -d --wait; }
web_id() { docker compose ps --all --quiet web; }
sha() { sha256sum | cut -d' ' -f1; }
status_of() { curl -s -o /dev/null -w '%{http_code}' "$1"; }

# Until the provisioner exited 0 and the app answers /readyz with the inventory seeded (what `up --wait` does not
# wait for: the README says so).
converge() {
  docker compose wait "$COMPOSE_PROFILES" >/dev/null || fail "the $COMPOSE_PROFILES provisioner failed (exit $?)"
  for _ in $(seq 1 150); do
    curl -fsS "$app/readyz" >/dev/null 2>&1 && [ "$(curl -fsS "$app/inventory" | jq length)" -ge 3 ] && return
    sleep 1
  done
  fail "the app was not ready with a seeded inventory 150 s after its provisioner finished"
}

seeded() {
  [ "$(curl -fsS "$app/inventory" | jq -c '[.[] | select(.id <= 3) | .name]')" = '["Spoon","Fork","Knife"]' ] ||
    fail "the inventory is not the seeded one: $(curl -sS "$app/inventory")"
}

create_item() { # id
  [ "$(curl -sS -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
    -d "{\"id\":$1,\"name\":\"E2E item $1\",\"quantity\":1}" "$app/inventory")" = 201 ] || fail "creating item $1"
}

# Uploads a file to an item, fetches the image by its public URL from the host, compares sha256; prints the URL.
upload_and_fetch() { # id file [curl options]
  local id=$1 file=$2 url
  shift 2
  url=$(curl -fsS "$@" -F "image_file=@$file;type=image/jpeg" "$app/inventory/$id/image" | jq -r .image_url)
  [ "$(curl -fsS "$url" | sha)" = "$(sha <"$file")" ] || fail "$file: the object at $url differs from what was uploaded"
  echo "$url"
}

# What a bucket listing names (LocalStack lets anyone list); a listing that fails prints so, never nothing.
listed() { # query element
  local xml
  xml=$(curl -fsS "$bucket_url?$1") || { echo "(listing $1 failed)"; return; }
  grep -o "<$2>[^<]*</$2>" <<<"$xml" || true
}
objects_under() { listed "list-type=2&prefix=$1" Key; }
pending_multipart_uploads() { listed uploads UploadId; }

# Images: a real 60 KB photo, and 3 MB and 40 MB JPEGs (the photo's head, then random bytes).
photo=test/fixtures/photo-60k.jpg
jpeg_of() { { head -c 20000 "$photo"; head -c $(($1 - 20000)) /dev/urandom; } >"$2"; }
jpeg_of $((3 * 1024 * 1024)) "$work/3mb.jpg"
jpeg_of $((40 * 1024 * 1024)) "$work/40mb.jpg"
jpeg_of $((40 * 1024 * 1024)) "$work/40mb-b.jpg"

step "first up, from nothing ($profile; images: ${E2E_IMAGES:-upstream})"
reset
started=$(now)
up
timing first-up-wait "$started"
converge
timing first-up-to-provisioned-and-ready "$started"
seeded

step 'the web container: uid 1000, node is PID 1, healthy'
[ "$(docker compose exec -T web id -u)" = 1000 ] || fail 'web does not run as uid 1000'
[ "$(docker compose exec -T web cat /proc/1/comm)" = node ] || fail 'node is not PID 1 in web'
[ "$(docker inspect -f '{{.State.Health.Status}}' "$(web_id)")" = healthy ] || fail 'web is not healthy'

step 'create items; upload 60 KB, 3 MB and 40 MB images and fetch each by its public URL'
for id in 101 102 103; do create_item $id; done
url_60k=$(upload_and_fetch 101 "$photo")
upload_and_fetch 102 "$work/3mb.jpg" >/dev/null
upload_and_fetch 103 "$work/40mb.jpg" >/dev/null
# The real photo gets its thumbnails (made in the web container by sharp's prebuilt libvips), served as WebP.
item_101=$(curl -fsS "$app/inventory/101")
for field_and_scale in thumbnail_url:1x thumbnail_2x_url:2x; do
  field=${field_and_scale%%:*}
  thumb=$(jq -r ".$field" <<<"$item_101")
  [ "$thumb" = "${url_60k%.jpg}.thumb-${field_and_scale##*:}.webp" ] || fail "$field of item 101 is $thumb"
  [ "$(curl -fsS -o /dev/null -w '%{content_type}' "$thumb")" = image/webp ] || fail "$thumb is not served as image/webp"
done

step 'replace an image: the old object and its thumbnails are gone'
url_new=$(upload_and_fetch 101 "$work/3mb.jpg")
[ "$url_new" != "$url_60k" ] || fail 'the replacement has the same URL'
[ "$(status_of "$url_60k")" = 404 ] || fail "the replaced image still answers at $url_60k"
[ "$(status_of "${url_60k%.jpg}.thumb-1x.webp")" = 404 ] || fail "the replaced image's thumbnail still answers"

step 'delete an item: the item and its objects are gone'
[ "$(curl -sS -o /dev/null -w '%{http_code}' -X DELETE "$app/inventory/101")" = 200 ] || fail 'DELETE /inventory/101'
[ "$(status_of "$app/inventory/101")" = 404 ] || fail 'item 101 still answers'
[ -z "$(objects_under images/101/)" ] || fail "objects left under images/101/: $(objects_under images/101/)"
[ "$(status_of "$url_new")" = 404 ] || fail "the deleted item's image still answers"

step 'second up: nothing changes, web is not recreated'
web_before=$(web_id)
started=$(now)
up
timing second-up-wait "$started"
converge
[ "$(web_id)" = "$web_before" ] || fail 'the second up recreated web'
# (Read into a variable first: grep -q would stop reading early, and pipefail count that as a failure.)
provisioner_log=$(docker compose logs --no-log-prefix "$profile")
if [ "$profile" = terraform ]; then
  grep -q 'No changes.' <<<"$provisioner_log" || fail 'the second terraform apply changed something'
else
  grep -qE '[0-9]+ unchanged' <<<"$provisioner_log" || fail 'the second pulumi up changed something'
fi
[ "$(curl -fsS "$app/inventory/102" | jq -r .name)" = 'E2E item 102' ] || fail 'item 102 was lost by the second up'

step 'restart localstack, then up: the bucket is back, the items seeded again, web not restarted'
started_at=$(docker inspect -f '{{.State.StartedAt}}' "$(web_id)")
started=$(now)
docker compose restart localstack >/dev/null
up
timing restart-localstack-up-wait "$started"
until curl -fsS "$app/readyz" >/dev/null 2>&1; do sleep 0.5; done
timing restart-localstack-to-readyz "$started"
converge
timing restart-localstack-to-provisioned-and-ready "$started"
seeded
[ "$(web_id)" = "$web_before" ] && [ "$(docker inspect -f '{{.State.StartedAt}}' "$(web_id)")" = "$started_at" ] ||
  fail 'web was restarted or recreated'
create_item 104
upload_and_fetch 104 "$photo" >/dev/null

step 'stop web during an upload: it finishes the upload, then exits 0; nothing half-committed'
create_item 105
curl -fsS --limit-rate 8M -F "image_file=@$work/40mb-b.jpg;type=image/jpeg" "$app/inventory/105/image" \
  >"$work/answer.json" 2>"$work/curl.err" &
uploader=$!
sleep 2
started=$(now)
docker compose stop web >/dev/null
timing stop-web-during-upload "$started"
wait "$uploader" || fail "the upload in flight was cut off: $(cat "$work/curl.err")"
[ "$(docker inspect -f '{{.State.ExitCode}}' "$(web_id)")" = 0 ] || fail 'web did not exit 0 on stop'
url=$(jq -r .image_url "$work/answer.json")
[ "$(curl -fsS "$url" | sha)" = "$(sha <"$work/40mb-b.jpg")" ] || fail 'the image uploaded during the stop differs'
[ -z "$(pending_multipart_uploads)" ] || fail "multipart uploads left pending: $(pending_multipart_uploads)"
up
converge
[ "$(curl -fsS "$app/inventory/105" | jq -r .image_url)" = "$url" ] || fail 'item 105 does not name its image'

if [ "${E2E_SWITCH_PROFILES:-1}" = 1 ]; then
  step "switch to the $other profile and back"
  COMPOSE_PROFILES=$other up
  COMPOSE_PROFILES=$other converge
  seeded
  up
  converge
  seeded
fi

step 'down -v, then up from nothing again'
reset
started=$(now)
up
converge
timing up-after-down-v-to-provisioned-and-ready "$started"
seeded
[ "$(status_of "$app/inventory/105")" = 404 ] || fail 'an item survived down -v'
create_item 106
upload_and_fetch 106 "$photo" >/dev/null
echo "compose sequences passed ($profile)"
