#!/usr/bin/env bash
# Creates .venv from Python 3.10 and installs the exact pins; quick when nothing changed.
set -euo pipefail
cd "$(dirname "$0")/.."
stamp=.venv/.installed
if [ -f "$stamp" ] && [ "$stamp" -nt requirements.lock ] && [ -x .venv/bin/python ]; then
  exit 0
fi
find_python() {
  for candidate in "${PYTHON310:-}" python3.10 "$HOME"/.pyenv/versions/3.10*/bin/python3.10 /usr/bin/python3.10 /usr/local/bin/python3.10; do
    [ -n "$candidate" ] || continue
    if "$candidate" -c 'import sys, venv; assert sys.version_info[:2] == (3, 10)' >/dev/null 2>&1; then
      command -v "$candidate" || echo "$candidate"
      return 0
    fi
  done
  return 1
}
if [ ! -x .venv/bin/python ]; then
  if ! py=$(find_python); then
    echo "error: Python 3.10 is required (Rasa 3.6 supports 3.8-3.10)." >&2
    echo "Install it, e.g. 'pyenv install 3.10' or 'apt-get install python3.10 python3.10-venv'," >&2
    echo "or point PYTHON310 at a python3.10 binary." >&2
    exit 1
  fi
  echo "Creating .venv with $py"
  "$py" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check "pip==24.0"
# uv installs the same pins faster than pip (measured from a cold cache, bytecode compiled as pip
# does: 42 s against 115 s into a
# fresh venv, docs/benchmarks.md); its own version is pinned in the lock. pip is the fallback
# (no PyPI, only the machine's local indexes).
uv_pin=$(grep -E '^uv==' requirements.lock || true)
echo "Installing pinned requirements"
if [ -n "$uv_pin" ] && .venv/bin/python -m pip install --quiet --disable-pip-version-check "$uv_pin" \
    && .venv/bin/uv pip install --quiet --compile-bytecode --python .venv/bin/python -r requirements.lock; then
  :
else
  echo "uv was not usable here; installing with pip (about two minutes)"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
fi
touch "$stamp"
