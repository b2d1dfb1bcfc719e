# shellcheck shell=bash
# Shared by bin/demo and bin/test: find Odoo 19, install what it needs (idempotently),
# and run a PostgreSQL cluster owned by the project under .local/ (or use PG* variables).

set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LOCAL="$REPO/.local"
PYTHON=${PYTHON:-python3}
# One port per clone, so two checkouts (a developer's and CI's) never collide.
PG_PORT=${AMAZON_PUNCHOUT_PG_PORT:-$((54000 + $(printf '%s' "$REPO" | cksum | cut -d' ' -f1) % 900))}
# Likewise the test server's HTTP port (the demo keeps 8069).
TEST_HTTP_PORT=${AMAZON_PUNCHOUT_TEST_HTTP_PORT:-$((18000 + $(printf '%s' "$REPO" | cksum | cut -d' ' -f1) % 900))}
mkdir -p "$LOCAL"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf '\033[31mERROR: %s\033[0m\n' "$*" >&2; exit 1; }

# --- Odoo ------------------------------------------------------------------------------
# Without ODOO_SRC, use the first python3 on the machine that imports odoo, preferring
# one that also has Odoo's requirements (a shell without pyenv's PATH still finds it).
pick_python() {
    [ "$PYTHON" = python3 ] || return 0
    local candidate fallback=
    for candidate in $(type -a -p python3) "$HOME/.pyenv/shims/python3" /usr/local/bin/python3 /usr/bin/python3; do
        [ -x "$candidate" ] || continue
        if "$candidate" -c 'import odoo.release' 2>/dev/null; then
            if "$candidate" -c 'import psycopg2, werkzeug' 2>/dev/null; then
                PYTHON=$candidate; return 0
            fi
            fallback=${fallback:-$candidate}
        fi
    done
    [ -z "$fallback" ] || PYTHON=$fallback
}

# ODOO_SRC (a 19.0 source tree with odoo-bin) wins; else the `odoo` package python3 imports.
find_odoo() {
    if [ -n "${ODOO_SRC:-}" ]; then
        [ -f "$ODOO_SRC/odoo/release.py" ] || die "ODOO_SRC=$ODOO_SRC is not an Odoo source tree (no odoo/release.py)."
    else
        pick_python
        ODOO_SRC=$("$PYTHON" - 2>/dev/null <<'EOF' || true
import os, odoo.release
print(os.path.dirname(os.path.dirname(os.path.abspath(odoo.release.__file__))))
EOF
)
    fi
    if [ -z "${ODOO_SRC:-}" ] || [ ! -f "$ODOO_SRC/odoo/release.py" ]; then
        die "Odoo 19.0 not found. Provide an Odoo 19.0 Community source tree, either
    export ODOO_SRC=/path/to/odoo      (the folder holding odoo-bin, odoo/ and addons/)
or make it importable by $PYTHON, once for all commands:
    echo /path/to/odoo > \"\$($PYTHON -c 'import sysconfig; print(sysconfig.get_paths()[\"purelib\"])')/odoo-src.pth\""
    fi
    local version
    version=$(sed -n 's/^version_info = (\([0-9]*\), \([0-9]*\),.*/\1.\2/p' "$ODOO_SRC/odoo/release.py")
    [ "$version" = "19.0" ] || die "Odoo at $ODOO_SRC is version '$version'; amazon_punchout needs 19.0."
    ODOO_BIN="$ODOO_SRC/odoo-bin"
    [ -f "$ODOO_BIN" ] || die "No odoo-bin in $ODOO_SRC."
    ADDONS_PATH="$ODOO_SRC/odoo/addons,$ODOO_SRC/addons,$REPO"
    export ODOO_SRC ODOO_BIN ADDONS_PATH
    # Make `import odoo` work for pytest-odoo even when only ODOO_SRC was given.
    export PYTHONPATH="$ODOO_SRC${PYTHONPATH:+:$PYTHONPATH}"
}

# --- Debian packages -------------------------------------------------------------------
APT_UPDATED=
apt_install() {
    [ "$(id -u)" = 0 ] || die "Missing system packages ($*); install them as root: apt-get install $*"
    if [ -z "$APT_UPDATED" ]; then apt-get update -qq >&2; APT_UPDATED=1; fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >&2
}

ensure_system_packages() {
    local missing=()
    ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || [ -n "${PGHOST:-}" ] || missing+=(postgresql)
    command -v psql >/dev/null || missing+=(postgresql-client)
    command -v chromium >/dev/null || command -v google-chrome >/dev/null || missing+=(chromium)
    # headers to build psycopg2 and python-ldap from source
    [ -f /usr/include/postgresql/libpq-fe.h ] || missing+=(libpq-dev)
    [ -f /usr/include/ldap.h ] || missing+=(libldap2-dev libsasl2-dev)
    # msgmerge and msgfmt for bin/i18n-update; Japanese glyphs in browser screenshots
    command -v msgmerge >/dev/null || missing+=(gettext)
    [ -d /usr/share/fonts/opentype/noto ] && ls /usr/share/fonts/opentype/noto/NotoSansCJK* >/dev/null 2>&1 \
        || missing+=(fonts-noto-cjk)
    if ((${#missing[@]})); then
        say "Installing Debian packages: ${missing[*]}"
        apt_install "${missing[@]}"
    fi
}

# --- Python packages -------------------------------------------------------------------
# Odoo's pins for Python 3.11 (gevent 22, cbor2 5.4, cryptography 3.4 ...) no longer build
# from source with current setuptools; its pins for 3.12 ship wheels that work on 3.11.
ensure_python_packages() {
    local stamp req hash
    req="$LOCAL/odoo-requirements.txt"
    # Odoo pins greenlet 3.0.3 (for gevent); Playwright needs >= 3.1.1, which gevent accepts.
    "$PYTHON" "$REPO/bin/odoo_requirements.py" "$ODOO_SRC/requirements.txt" \
        | grep -v '^greenlet==' > "$req.new"
    cat "$REPO/requirements-dev.txt" >> "$req.new"
    mv "$req.new" "$req"
    hash=$( ("$PYTHON" --version; cat "$req") | sha256sum | cut -c1-16)
    stamp="$LOCAL/.python-packages-$hash"
    if [ -f "$stamp" ] && "$PYTHON" -c 'import psycopg2, werkzeug, lxml, pytest_odoo, websocket, playwright' 2>/dev/null; then
        return
    fi
    say "Installing Python packages (Odoo's requirements and the test tools)"
    local pip=("$PYTHON" -m pip install -q --disable-pip-version-check -r "$req")
    if ! "${pip[@]}" 2>"$LOCAL/pip.err"; then
        if grep -q externally-managed "$LOCAL/pip.err"; then
            "${pip[@]}" --break-system-packages
        else
            cat "$LOCAL/pip.err" >&2; die "pip install failed (see above)."
        fi
    fi
    rm -f "$LOCAL"/.python-packages-*
    touch "$stamp"
}

# --- PostgreSQL ------------------------------------------------------------------------
# With PGHOST set, use that server as is. Otherwise run our own cluster in .local/pg,
# owned by the `postgres` system user when we are root (initdb refuses root).
ensure_postgres() {
    if [ -n "${PGHOST:-}" ]; then
        DB_ARGS=(--db_host "$PGHOST" --db_port "${PGPORT:-5432}")
        [ -n "${PGUSER:-}" ] && DB_ARGS+=(--db_user "$PGUSER")
        [ -n "${PGPASSWORD:-}" ] && DB_ARGS+=(--db_password "$PGPASSWORD")
        export DB_ARGS
        return
    fi
    local bindir pgroot pgdata rundir as=()
    bindir=$(dirname "$(ls -d /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)")
    pgroot="$LOCAL/pg"
    if [ "$(id -u)" = 0 ]; then
        as=(runuser -u postgres --)
        # The postgres user must reach the cluster; a clone under a private folder
        # keeps it in /var/tmp instead (still one cluster per clone).
        # (Unix socket paths are also limited to about 100 characters.)
        if ! runuser -u postgres -- test -x "$LOCAL" || [ ${#LOCAL} -gt 70 ]; then
            pgroot="/var/tmp/amazon_punchout-pg-$(printf '%s' "$REPO" | cksum | cut -d' ' -f1)"
            [ -e "$LOCAL/pg" ] || ln -s "$pgroot" "$LOCAL/pg"
        fi
    fi
    pgdata="$pgroot/data"
    rundir="$pgroot/run"
    if [ ! -f "$pgdata/PG_VERSION" ]; then
        say "Creating a PostgreSQL cluster in $pgdata"
        mkdir -p "$pgdata" "$rundir"
        [ "$(id -u)" = 0 ] && chown -R postgres: "$pgroot"
        "${as[@]}" "$bindir/initdb" -D "$pgdata" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
    fi
    if "${as[@]}" "$bindir/pg_ctl" -D "$pgdata" status >/dev/null 2>&1; then
        PG_PORT=$(sed -n 4p "$pgdata/postmaster.pid")  # already running: its port
    else
        "${as[@]}" "$bindir/pg_ctl" -D "$pgdata" -l "$pgroot/server.log" -w start \
            -o "-p $PG_PORT -k $rundir -c listen_addresses='' -c fsync=off -c full_page_writes=off -c synchronous_commit=off" >/dev/null \
            || die "PostgreSQL did not start; see $pgroot/server.log"
    fi
    export PGHOST="$rundir" PGPORT="$PG_PORT"
    # Odoo refuses to connect as `postgres`: use a dedicated superuser role.
    psql -U postgres -d postgres -tAc "SELECT 1 FROM pg_roles WHERE rolname='odoo'" | grep -q 1 \
        || psql -U postgres -d postgres -qc "CREATE ROLE odoo LOGIN SUPERUSER" >/dev/null
    export PGUSER=odoo
    DB_ARGS=(--db_host "$PGHOST" --db_port "$PGPORT" --db_user odoo)
    export DB_ARGS
}

setup_all() {
    find_odoo
    ensure_system_packages
    ensure_python_packages
    ensure_postgres
}

# --- Translations ----------------------------------------------------------------------
# Used by bin/i18n-update and bin/test (which exports from its own test database).
write_i18n_conf() {  # path data_dir
    {
        echo "[options]"
        echo "addons_path = $ADDONS_PATH"
        echo "data_dir = $2"
        echo "db_host = $PGHOST"
        echo "db_port = ${PGPORT:-5432}"
        echo "db_user = ${PGUSER:-odoo}"
        [ -z "${PGPASSWORD:-}" ] || echo "db_password = $PGPASSWORD"
        echo "list_db = False"
        echo "without_demo = True"
        echo "log_level = warn"
        echo "http_interface = 127.0.0.1"
    } > "$1"
}

export_pot() {  # conf db addon output.pot: Odoo's own exporter (odoo-bin i18n export)
    "$PYTHON" "$ODOO_BIN" i18n export -c "$1" -d "$2" -o "$4" "$3" >"$4.log" 2>&1 \
        || { cat "$4.log" >&2; echo "Exporting the terms of $3 failed." >&2; return 1; }
}

# Addons of the repository with translations (an i18n/ folder), for bin/test's check.
i18n_addons() {
    local d
    for d in "$REPO"/*/i18n; do
        [ -f "$(dirname "$d")/__manifest__.py" ] && basename "$(dirname "$d")"
    done
    return 0
}

# --- Demo database -----------------------------------------------------------------------
# The demo database (bin/demo and the benchmarks): created with demo data on first use,
# upgraded when the addon's code changed since (so a pull never leaves it stale).
DEMO_DB=amazon_punchout_demo
DEMO="$LOCAL/demo"

write_demo_conf() {  # path [extra lines…]
    local conf=$1; shift
    mkdir -p "$DEMO/data"
    {
        echo "[options]"
        echo "addons_path = $ADDONS_PATH"
        echo "data_dir = $DEMO/data"
        echo "db_host = $PGHOST"
        echo "db_port = ${PGPORT:-5432}"
        echo "db_user = ${PGUSER:-odoo}"
        [ -z "${PGPASSWORD:-}" ] || echo "db_password = $PGPASSWORD"
        echo "db_name = $DEMO_DB"
        echo "dbfilter = ^$DEMO_DB\$"
        echo "list_db = False"
        printf '%s\n' "$@"
    } > "$conf"
}

prepare_demo_db() {  # conf
    local conf=$1 stamp="$DEMO/.addon-hash" hash
    hash=$(cd "$REPO" && find amazon_punchout -path '*/tests' -prune -o -type f \
        ! -name '*.pyc' -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16)
    if ! psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DEMO_DB'" | grep -q 1; then
        say "Creating the demo database $DEMO_DB with amazon_punchout and demo data (about a minute)"
        "$PYTHON" "$ODOO_BIN" -c "$conf" -i amazon_punchout --with-demo \
            --stop-after-init --logfile="$DEMO/install.log" \
            || die "Installing the demo failed; see $DEMO/install.log"
    elif [ "$(cat "$stamp" 2>/dev/null)" != "$hash" ]; then
        say "Upgrading amazon_punchout in the demo database (its code changed)"
        "$PYTHON" "$ODOO_BIN" -c "$conf" -u amazon_punchout --stop-after-init \
            --logfile="$DEMO/upgrade.log" \
            || die "Upgrading the demo failed; see $DEMO/upgrade.log (bin/demo --reset recreates it)"
    fi
    echo "$hash" > "$stamp"
}
