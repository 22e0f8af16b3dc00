#!/bin/sh
# `npm ci` for the image build (web/Dockerfile), trusting the CA in NPM_EXTRA_CA (PEM text) when it is set:
# behind a TLS-intercepting proxy npm refuses the registry's certificate otherwise. The CA file lives only for
# this command. Extra arguments go to npm ci.
set -eu
if [ -n "${NPM_EXTRA_CA:-}" ]; then
  ca=$(mktemp)
  printf '%s\n' "$NPM_EXTRA_CA" > "$ca"
  export NODE_EXTRA_CA_CERTS="$ca"
fi
npm ci --no-audit --no-fund --ignore-scripts "$@"
if [ -n "${NPM_EXTRA_CA:-}" ]; then rm -f "$ca"; fi
