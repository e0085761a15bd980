#!/usr/bin/env bash
# Installs the outside tools the test suites drive, so `make test` works on a fresh machine:
#   - Python tools (moto_server, cfn-lint; SQLAlchemy + psycopg2 for the BI client tests), pinned in
#     scripts/test-tools/, into a private virtual environment at .tools/python (the machine's Python
#     is left alone; re-installed only when the pins change);
#   - Postgres server binaries (Debian's postgresql), redis-server (the hot path's Redis store),
#     Chromium (the browser tests, driven by playwright-core), and a JDK with PgJDBC (the BI client
#     tests connect as Metabase, DBeaver and Tableau do) and libxgboost0 (the ML training tests
#     drive XGBoost's C API) with apt-get, as root or through passwordless sudo.
# Prints what it installs, and for anything it cannot install, what to run; exits non-zero then.
set -euo pipefail
cd "$(dirname "$0")/.."
tools=.tools
venv="$tools/python"
pins=(scripts/test-tools/requirements.txt scripts/test-tools/constraints.txt)
missing=0
say() { echo "install-test-tools: $*" >&2; }

# --- Python tools -----------------------------------------------------------------------------
want=$(cat "${pins[@]}" | sha256sum | cut -c1-16)
have=$(cat "$venv/.pins" 2>/dev/null || true)
if [[ "$want" != "$have" ]]; then
  python=$(command -v python3 || command -v python || true)
  if [[ -z "$python" ]]; then
    say "missing: Python 3 (needed to install moto[server] and cfn-lint with pip): install python3 with the venv module"
    missing=1
  else
    say "installing moto[server], cfn-lint, SQLAlchemy and psycopg2 (pinned in scripts/test-tools/) into $venv with pip — once, about a minute"
    rm -rf "$venv"
    if ! "$python" -m venv "$venv" >&2; then
      say "missing: Python's venv module: install it (Debian/Ubuntu: apt-get install -y python3-venv)"
      missing=1
    elif ! "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
        -r scripts/test-tools/requirements.txt -c scripts/test-tools/constraints.txt >&2; then
      say "pip could not install the pinned test tools (is PyPI reachable?)"
      rm -rf "$venv"
      missing=1
    else
      echo "$want" >"$venv/.pins"
    fi
  fi
fi
for tool in moto_server cfn-lint; do
  if [[ ! -x "$venv/bin/$tool" ]] && [[ "$missing" == 0 ]]; then
    say "missing: $tool in $venv/bin after installing: delete $tools and run make test again"
    missing=1
  fi
done
scripts/test-tools/install-mlflow.sh || missing=1 # the MLflow tracking server: its own venv, shared by the clones

# --- Debian packages --------------------------------------------------------------------------
# apt_install PACKAGE WHY — installs a Debian package as root, or with sudo when it needs no password.
apt_install() {
  local sudo=()
  if [[ "$(id -u)" != 0 ]]; then
    if sudo -n true 2>/dev/null; then sudo=(sudo -n); else return 1; fi
  fi
  command -v apt-get >/dev/null 2>&1 || return 1
  say "installing $1 ($2): apt-get install -y $1"
  # Quiet unless it fails; the caller says what to do when it does.
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get update -qq >/dev/null || true
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "$1" >/dev/null || true
}

have_postgres() { compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null; }
if ! have_postgres; then
  apt_install postgresql "the state store suites start throwaway clusters" || true
  if ! have_postgres; then
    say "missing: Postgres server binaries (initdb under /usr/lib/postgresql/*/bin): run 'apt-get install -y postgresql' as root"
    missing=1
  fi
fi
have_redis() { command -v redis-server >/dev/null 2>&1; }
if ! have_redis; then
  apt_install redis-server "the hot path's Redis tests start a throwaway redis-server" || true
  if ! have_redis; then
    say "missing: redis-server for the hot path's Redis tests: run 'apt-get install -y redis-server' as root"
    missing=1
  fi
fi
have_chromium() { command -v chromium >/dev/null 2>&1 || [[ -x /usr/bin/chromium ]]; }
if ! have_chromium; then
  apt_install chromium "the browser tests of gmp serve's pages run in headless Chromium" || true
  if ! have_chromium; then
    say "missing: Chromium (/usr/bin/chromium) for the browser tests: run 'apt-get install -y chromium' as root"
    missing=1
  fi
fi
have_javac() { command -v javac >/dev/null 2>&1; }
if ! have_javac; then
  apt_install openjdk-17-jdk-headless "the BI client tests compile a JDBC probe with javac" || true
  if ! have_javac; then
    say "missing: a JDK (javac and java) for the BI client tests: run 'apt-get install -y openjdk-17-jdk-headless' as root"
    missing=1
  fi
fi
have_pgjdbc() { [[ -f /usr/share/java/postgresql.jar ]]; }
if ! have_pgjdbc; then
  apt_install libpostgresql-jdbc-java "the BI client tests connect through PgJDBC, as Metabase, DBeaver and Tableau do" || true
  if ! have_pgjdbc; then
    say "missing: PgJDBC (/usr/share/java/postgresql.jar) for the BI client tests: run 'apt-get install -y libpostgresql-jdbc-java' as root"
    missing=1
  fi
fi
have_xgboost() { compgen -G '/usr/lib/*/libxgboost.so.0' >/dev/null || [[ -e /usr/lib/libxgboost.so.0 ]]; }
if ! have_xgboost; then
  apt_install libxgboost0 "the ML training tests drive XGBoost's C API in a child process" || true
  if ! have_xgboost; then
    say "missing: XGBoost's shared library (libxgboost.so.0) for the ML training tests: run 'apt-get install -y libxgboost0' as root"
    missing=1
  fi
fi
exit "$missing"
