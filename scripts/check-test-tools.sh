#!/usr/bin/env bash
# Outside tools the test suites drive. They come with the project's machine image; this says
# clearly what is missing rather than letting a suite fail obscurely.
set -euo pipefail
missing=0
if ! command -v moto_server >/dev/null 2>&1; then
  echo "missing: moto_server (S3-compatible server for the lake tests): pip install 'moto[server]'" >&2
  missing=1
fi
exit "$missing"
