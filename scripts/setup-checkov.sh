#!/usr/bin/env bash
# Installs checkov (policy scanner for the committed templates) into a venv of its own,
# outside the clone (its pinned dependencies clash with moto's), and prints its bin folder.
# Idempotent: a second run with checkov present takes a second.
#   "$(scripts/setup-checkov.sh)/checkov" -d stacks --framework cloudformation --compact
set -euo pipefail
cache="${BB_CACHE:-$HOME/.cache/bubblebatch}"
venv="$cache/venv-checkov"
stamp="$venv/.bubblebatch-checkov-v1"
if [ ! -f "$stamp" ]; then
  mkdir -p "$cache"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "checkov==3.2.469" >&2
  touch "$stamp"
fi
echo "$venv/bin"
