#!/usr/bin/env bash
# Installs the MLflow tracking server that the MLflow mirror tests start (tests/helpers/mlflow-server.ts):
# mlflow pinned in scripts/test-tools/mlflow-requirements.txt (transitively by mlflow-constraints.txt),
# with pip, into its own virtual environment — not .tools/python, whose Flask, SQLAlchemy, … moto and
# the BI client tests pin for themselves. The venv lives outside the clone, so every clone on this
# machine shares it (about 850 MB):
#   ${XDG_CACHE_HOME:-~/.cache}/gmp-test-tools/mlflow-<hash of the pins and the Python> → its build folder
# and .tools/mlflow links to that. A venv is built in a fresh folder and gets its name (a symlink,
# renamed into place) only once pip has finished, so a half-built one is never used; a lock keeps two
# clones from building the same pins at once. Prints what it installs and how long it took; for
# anything it cannot install, what is missing; exits non-zero then.
set -euo pipefail
cd "$(dirname "$0")/../.."
tools=.tools
pins=(scripts/test-tools/mlflow-requirements.txt scripts/test-tools/mlflow-constraints.txt)
say() { echo "install-test-tools: $*" >&2; }

python=$(command -v python3 || command -v python || true)
if [[ -z "$python" ]]; then
  say "missing: Python 3 (needed to install mlflow with pip): install python3 with the venv module"
  exit 1
fi
# A venv only works with the interpreter it was made from, so that interpreter is part of the name.
interpreter=$("$python" -c 'import os, sys; print(os.path.realpath(sys.executable), sys.version)')
hash=$({ cat "${pins[@]}"; echo "$interpreter"; } | sha256sum | cut -c1-16)
cache="${XDG_CACHE_HOME:-$HOME/.cache}/gmp-test-tools"
venv="$cache/mlflow-$hash"
version=$(sed -n 's/^mlflow==//p' scripts/test-tools/mlflow-requirements.txt)

if [[ ! -x "$venv/bin/mlflow" ]]; then
  mkdir -p "$cache"
  exec 9>"$venv.lock"
  flock 9
  # Another clone may have finished the same build while this one waited for the lock.
  if [[ ! -x "$venv/bin/mlflow" ]]; then
    rm -rf "$venv" "$venv".build-* # a link to a broken venv, or builds that died half-way
    build=$(mktemp -d "$venv.build-XXXXXX")
    say "installing mlflow $version (pinned in scripts/test-tools/mlflow-*.txt, ~90 packages) into $venv with pip — once per machine, about a minute"
    started=$SECONDS
    if ! "$python" -m venv "$build" >&2; then
      rm -rf "$build"
      say "missing: Python's venv module: install it (Debian/Ubuntu: apt-get install -y python3-venv)"
      exit 1
    fi
    if ! "$build/bin/python" -m pip install --quiet --disable-pip-version-check \
        -r scripts/test-tools/mlflow-requirements.txt -c scripts/test-tools/mlflow-constraints.txt >&2; then
      rm -rf "$build"
      say "missing: mlflow $version: pip could not install the pinned MLflow (is PyPI reachable?)"
      exit 1
    fi
    # The venv stays in its build folder (its scripts name that path); the name is a symlink to it.
    ln -s "$(basename "$build")" "$venv.new"
    mv -T "$venv.new" "$venv"
    say "installed mlflow $version into $venv in $((SECONDS - started)) s"
  fi
  exec 9>&-
fi

if [[ "$(readlink "$tools/mlflow" 2>/dev/null || true)" != "$venv" ]]; then
  mkdir -p "$tools"
  ln -sfn "$venv" "$tools/mlflow.new"
  mv -T "$tools/mlflow.new" "$tools/mlflow"
fi
if [[ ! -x "$tools/mlflow/bin/mlflow" ]]; then
  say "missing: mlflow in $tools/mlflow/bin after installing: delete $venv and run make test again"
  exit 1
fi
