#!/usr/bin/env bash
# Installs parliament (IAM policy linter, offline) into a venv of its own, outside the
# clone, and prints its bin folder. Idempotent: a second run takes a second.
#   "$(scripts/setup-parliament.sh)/python" scripts/parliament-stacks.py stacks
set -euo pipefail
cache="${BB_CACHE:-$HOME/.cache/bubblebatch}"
venv="$cache/venv-parliament"
stamp="$venv/.bubblebatch-parliament-v1"
if [ ! -f "$stamp" ]; then
  mkdir -p "$cache"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "parliament==1.6.4" >&2
  touch "$stamp"
fi
echo "$venv/bin"
