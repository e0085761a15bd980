#!/usr/bin/env bash
# Outside tools the test suites drive. They come with the project's machine image; this says
# clearly what is missing rather than letting a suite fail obscurely, and installs Postgres (a
# Debian package) when it can.
set -euo pipefail
missing=0
if ! command -v moto_server >/dev/null 2>&1; then
  echo "missing: moto_server (S3-compatible server for the lake tests): pip install 'moto[server]'" >&2
  missing=1
fi

if ! command -v cfn-lint >/dev/null 2>&1; then
  echo "missing: cfn-lint (lints the synthesized CloudFormation templates in the infra tests): pip install cfn-lint" >&2
  missing=1
fi

have_postgres() { compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null; }
if ! have_postgres; then
  if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "installing Postgres (the state store tests start a throwaway cluster): apt-get install -y postgresql" >&2
    # Quiet unless it fails; the failure message below says what to do.
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null || true
  fi
  if ! have_postgres; then
    echo "missing: Postgres server binaries (initdb under /usr/lib/postgresql/*/bin) for the state store tests: run 'apt-get install -y postgresql' as root" >&2
    missing=1
  fi
fi
exit "$missing"
