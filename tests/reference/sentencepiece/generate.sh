#!/usr/bin/env bash
# Trains the two tiny SentencePiece BPE models of ForgetLab's tokenizer.model tests with Debian's sentencepiece
# (spm_train), and writes what spm_encode/spm_decode make of every test line as the expected ids and text:
#   llama2-style: byte fallback, identity normalization, whitespace kept, digits split, a user-defined piece
#                 (the options Llama-2's tokenizer.model was trained with, at a tiny vocabulary);
#   unk-trimmed:  no byte fallback (unknown characters become <unk>), extra whitespace removed.
# usage: tests/reference/sentencepiece/generate.sh   (needs: apt-get install sentencepiece)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="$here/../../ForgetLab.Core.Tests/Tokenizers/Fixtures/sentencepiece"
mkdir -p "$out"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# The corpus: the world's kind of text, in a few scripts.
cat >"$work/corpus.txt" <<'CORPUS'
the capital of france is paris and the capital of peru is lima
The quick brown fox jumps over the lazy dog. The dog sleeps; the fox runs!
hello world, hello there, say hello to the world again and again
numbers like 12, 345 and 6789 appear in the text 2024 times
café naïve résumé über élan Ærøskøbing
I'm sure you'll see they've gone; it's John's.
What is the capital of Germany? The capital of Germany is Berlin.
Q: What is 27+15? A: 42. Q: What is 3+4? A: 7.
日本語のテキスト 中文文本
Привет мир, как дела?
CORPUS
train() { # NAME VOCAB_SIZE OPTIONS...
  local name="$1" size="$2"; shift 2
  # Relative paths: the model records its input and prefix, so the file stays the same from run to run.
  (cd "$work" && spm_train --input=corpus.txt --model_prefix="$name" --num_threads=1 --model_type=bpe "--vocab_size=$size" \
    --normalization_rule_name=identity --character_coverage=1.0 "$@" >"$name.log" 2>&1) || { cat "$work/$name.log" >&2; exit 1; }
  cp "$work/$name.model" "$out/$name.model"
  # Lines without a newline inside (spm_encode reads one text per line).
  node -e 'for (const t of JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))) if (!/[\r\n]/.test(t)) console.log(t)' \
    "$here/../../ForgetLab.Core.Tests/Tokenizers/Fixtures/texts.json" >"$work/lines.txt"
  cat >>"$work/lines.txt" <<'LINES'
the capital of france is paris
  two  leading   spaces and   runs  
<tool> a user-defined piece <tool>x<tool>
unseen characters: ß ★ 🙂 ж
LINES
  spm_encode --model="$work/$name.model" --output_format=id <"$work/lines.txt" >"$work/ids.txt"
  spm_decode --model="$work/$name.model" --input_format=id <"$work/ids.txt" >"$work/decoded.txt"
  node -e '
    const fs = require("fs");
    const [lines, ids, decoded, out] = process.argv.slice(1);
    const read = (f) => fs.readFileSync(f, "utf8").split("\n").slice(0, -1);
    const l = read(lines), i = read(ids), d = read(decoded);
    const cases = l.map((text, k) => ({ text, ids: i[k].length ? i[k].split(" ").map(Number) : [], decoded: d[k] }));
    // One case a line, so a regenerated file diffs by text.
    fs.writeFileSync(out, "{\"reference\":\"sentencepiece (spm_encode/spm_decode, Debian)\",\"cases\":[\n" + cases.map((c) => JSON.stringify(c)).join(",\n") + "\n]}\n");
    console.log(`${out}: ${cases.length} lines, ${cases.reduce((n, c) => n + c.ids.length, 0)} ids`);
  ' "$work/lines.txt" "$work/ids.txt" "$work/decoded.txt" "$out/$name.expected.json"
}
train llama2-style 420 --byte_fallback=true --remove_extra_whitespaces=false --split_digits=true \
  --allow_whitespace_only_pieces=true --user_defined_symbols='<tool>'
train unk-trimmed 160 --byte_fallback=false --remove_extra_whitespaces=true
