#!/usr/bin/env bash
# Regenerates src/ForgetLab.Lab/World/Data/{countries,elements}.json from the pinned npm packages.
set -euo pipefail
cd "$(dirname "$0")"
npm ci --no-audit --no-fund
node generate.mjs
