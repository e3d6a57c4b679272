// Writes the small synthetic tokenizer.json files of ForgetLab's tokenizer tests, each built to exercise options
// the real files do not (add_prefix_space, ignore_merges, byte fallback, unknown tokens, Metaspace, subword prefix
// and suffix, every added-token flag, TemplateProcessing / Roberta post-processors, SentencePiece-style decoders).
// The BPE merges are learned here from a small corpus by plain pair counting: they need only be consistent, not good.
//   usage: node synthetic.mjs OUT_DIR
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const out = process.argv[2];
if (!out) { console.error("usage: node synthetic.mjs OUT_DIR"); process.exit(2); }
mkdirSync(out, { recursive: true });

const corpus = [
  "the capital of france is paris and the capital of peru is lima",
  "The quick brown fox jumps over the lazy dog. The dog sleeps; the fox runs!",
  "hello world, hello there, say hello to the world again and again",
  "numbers like 12, 345 and 6789 appear in the text 2024 times",
  "café naïve résumé straße über élan",
  "I'm sure you'll see they've gone; it's John's.",
];

// GPT-2's byte-to-character table.
const byteToChar = (() => {
  const map = []; let n = 0;
  for (let b = 0; b < 256; b++) {
    const printable = (b >= 33 && b <= 126) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
    map[b] = String.fromCodePoint(printable ? b : 256 + n++);
  }
  return map;
})();
const byteLevel = (s) => [...new TextEncoder().encode(s)].map((b) => byteToChar[b]).join("");
const gpt2 = /'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+/gu;

// Learns `count` merges over words (arrays of symbols); returns [a, b] pairs in order.
function learn(words, count, join = (a, b) => a + b) {
  const merges = [];
  words = words.map((w) => [...w]);
  for (let m = 0; m < count; m++) {
    const counts = new Map();
    for (const w of words) for (let i = 0; i + 1 < w.length; i++) {
      const key = w[i] + "\u0000" + w[i + 1];
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    let best = null, bestCount = 1;
    for (const [k, c] of [...counts].sort((x, y) => (x[0] < y[0] ? -1 : 1))) if (c > bestCount) { best = k; bestCount = c; }
    if (!best) break;
    const [a, b] = best.split("\u0000");
    merges.push([a, b]);
    const merged = join(a, b);
    words = words.map((w) => {
      const r = [];
      for (let i = 0; i < w.length; i++) {
        if (i + 1 < w.length && w[i] === a && w[i + 1] === b) { r.push(merged); i++; } else r.push(w[i]);
      }
      return r;
    });
  }
  return merges;
}

function vocabOf(symbols, merges, join = (a, b) => a + b, extra = []) {
  const vocab = {};
  for (const s of [...extra, ...symbols, ...merges.map(([a, b]) => join(a, b))]) if (!(s in vocab)) vocab[s] = Object.keys(vocab).length;
  return vocab;
}

const added = (id, content, flags = {}) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: false, ...flags });
const write = (name, json) => { writeFileSync(join(out, `${name}.json`), JSON.stringify(json, null, 1) + "\n"); console.log(`synthetic.mjs: ${name}.json`); };
const base = { version: "1.0", truncation: null, padding: null };

// A: byte-level with a prefix space, NFC, added tokens with every flag, a BOS/EOS template, pair-form merges.
{
  const words = corpus.flatMap((t) => (" " + t).match(gpt2)).map(byteLevel);
  const merges = learn(words, 120);
  const vocab = vocabOf(byteToChar, merges);
  const n = Object.keys(vocab).length;
  write("bytelevel-prefix-template", {
    ...base,
    added_tokens: [
      added(n, "<bos>", { special: true }), added(n + 1, "<eos>", { special: true }),
      added(n + 2, "<mask>", { special: true, lstrip: true }),
      added(n + 3, "[word]", { single_word: true }),
      added(n + 4, "hello world", { normalized: true, rstrip: true }),
      added(n + 5, "<sep>", { special: true, rstrip: true, lstrip: true }),
    ],
    normalizer: { type: "NFC" },
    pre_tokenizer: { type: "ByteLevel", add_prefix_space: true, trim_offsets: true, use_regex: true },
    post_processor: {
      type: "TemplateProcessing",
      single: [{ SpecialToken: { id: "<bos>", type_id: 0 } }, { Sequence: { id: "A", type_id: 0 } }, { SpecialToken: { id: "<eos>", type_id: 0 } }],
      pair: [{ Sequence: { id: "A", type_id: 0 } }, { Sequence: { id: "B", type_id: 1 } }],
      special_tokens: { "<bos>": { id: "<bos>", ids: [n], tokens: ["<bos>"] }, "<eos>": { id: "<eos>", ids: [n + 1], tokens: ["<eos>"] } },
    },
    decoder: { type: "ByteLevel", add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: { type: "BPE", dropout: null, unk_token: null, continuing_subword_prefix: null, end_of_word_suffix: null, fuse_unk: false, byte_fallback: false, ignore_merges: false, vocab, merges },
  });
}

// B: Llama-3's layout (Split with its regex, Isolated; ByteLevel without regex; ignore_merges; string merges) and
// the newer Llama-3 post-processor, Sequence[ByteLevel, TemplateProcessing] adding <|begin_of_text|>.
{
  const llama3 = /(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+/gu;
  const words = corpus.flatMap((t) => t.match(llama3)).map(byteLevel);
  const merges = learn(words, 100);
  // Whole words the merges cannot build: with ignore_merges they are still one token each.
  const vocab = vocabOf(byteToChar, merges, undefined, []);
  for (const w of ["Ġunreachable", "Ġcapital", "Ġfrance", "Ġworld"]) if (!(w in vocab)) vocab[w] = Object.keys(vocab).length;
  const n = Object.keys(vocab).length;
  write("split-llama3-ignore-merges", {
    ...base,
    added_tokens: [added(n, "<|begin_of_text|>", { special: true }), added(n + 1, "<|end_of_text|>", { special: true }), added(n + 2, "<|eot_id|>", { special: true })],
    normalizer: null,
    pre_tokenizer: {
      type: "Sequence",
      pretokenizers: [
        { type: "Split", pattern: { Regex: "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+" }, behavior: "Isolated", invert: false },
        { type: "ByteLevel", add_prefix_space: false, trim_offsets: true, use_regex: false },
      ],
    },
    post_processor: {
      type: "Sequence",
      processors: [
        { type: "ByteLevel", add_prefix_space: true, trim_offsets: false, use_regex: true },
        {
          type: "TemplateProcessing",
          single: [{ SpecialToken: { id: "<|begin_of_text|>", type_id: 0 } }, { Sequence: { id: "A", type_id: 0 } }],
          pair: [{ SpecialToken: { id: "<|begin_of_text|>", type_id: 0 } }, { Sequence: { id: "A", type_id: 0 } }, { SpecialToken: { id: "<|begin_of_text|>", type_id: 1 } }, { Sequence: { id: "B", type_id: 1 } }],
          special_tokens: { "<|begin_of_text|>": { id: "<|begin_of_text|>", ids: [n], tokens: ["<|begin_of_text|>"] } },
        },
      ],
    },
    decoder: { type: "ByteLevel", add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: { type: "BPE", dropout: null, unk_token: null, continuing_subword_prefix: null, end_of_word_suffix: null, fuse_unk: false, byte_fallback: false, ignore_merges: true, vocab, merges: merges.map(([a, b]) => `${a} ${b}`) },
  });
}

// C and D: SentencePiece converted to tokenizer.json (Llama-2 / Mistral style): Prepend + Replace normalizer, no
// pre-tokenizer, BPE over characters; C falls back to <0xXX> bytes, D to a fused <unk>.
for (const [name, byteFallback] of [["sentencepiece-byte-fallback", true], ["sentencepiece-fused-unk", false]]) {
  const words = corpus.map((t) => "▁" + t.replaceAll(" ", "▁"));
  const merges = learn(words.map((w) => w.split(/(?=▁)/)).flat(), 120);
  const chars = [...new Set(words.join(""))].filter((c) => c !== "ß").sort();
  const bytes = byteFallback ? [...Array(256).keys()].map((b) => `<0x${b.toString(16).toUpperCase().padStart(2, "0")}>`) : [];
  const vocab = vocabOf(chars, merges, undefined, ["<unk>", "<s>", "</s>", ...bytes]);
  write(name, {
    ...base,
    added_tokens: [added(0, "<unk>", { special: true }), added(1, "<s>", { special: true }), added(2, "</s>", { special: true })],
    normalizer: { type: "Sequence", normalizers: [{ type: "Prepend", prepend: "▁" }, { type: "Replace", pattern: { String: " " }, content: "▁" }] },
    pre_tokenizer: null,
    post_processor: {
      type: "TemplateProcessing",
      single: [{ SpecialToken: { id: "<s>", type_id: 0 } }, { Sequence: { id: "A", type_id: 0 } }],
      pair: [{ SpecialToken: { id: "<s>", type_id: 0 } }, { Sequence: { id: "A", type_id: 0 } }, { SpecialToken: { id: "<s>", type_id: 1 } }, { Sequence: { id: "B", type_id: 1 } }],
      special_tokens: { "<s>": { id: "<s>", ids: [1], tokens: ["<s>"] } },
    },
    decoder: { type: "Sequence", decoders: [{ type: "Replace", pattern: { String: "▁" }, content: " " }, { type: "ByteFallback" }, { type: "Fuse" }, { type: "Strip", content: " ", start: 1, stop: 0 }] },
    model: { type: "BPE", dropout: null, unk_token: "<unk>", continuing_subword_prefix: null, end_of_word_suffix: null, fuse_unk: true, byte_fallback: byteFallback, ignore_merges: false, vocab, merges: merges.map(([a, b]) => `${a} ${b}`) },
  });
}

// E: Metaspace pre-tokenizer and decoder (prepend_scheme "first"), NFKC, an unfused <unk>.
{
  const words = corpus.flatMap((t) => ("▁" + t.replaceAll(" ", "▁")).split(/(?=▁)/));
  const merges = learn(words, 100);
  const chars = [...new Set(words.join(""))].sort();
  const vocab = vocabOf(chars, merges, undefined, ["<unk>", "<s>", "</s>"]);
  write("metaspace-unk", {
    ...base,
    added_tokens: [added(0, "<unk>", { special: true }), added(1, "<s>", { special: true }), added(2, "</s>", { special: true })],
    normalizer: { type: "NFKC" },
    pre_tokenizer: { type: "Metaspace", replacement: "▁", prepend_scheme: "first", split: true },
    post_processor: null,
    decoder: { type: "Metaspace", replacement: "▁", prepend_scheme: "first", split: true },
    model: { type: "BPE", dropout: null, unk_token: "<unk>", continuing_subword_prefix: null, end_of_word_suffix: null, fuse_unk: false, byte_fallback: false, ignore_merges: false, vocab, merges },
  });
}

// F: lower-casing, accent stripping, whitespace and digit splitting, a subword prefix and a word suffix, Roberta's
// post-processor, no decoder (tokens joined by spaces).
{
  const norm = (t) => t.normalize("NFD").replace(/\p{Mn}/gu, "").toLowerCase().trim();
  const words = corpus.flatMap((t) => norm(t).split(/\s+/).flatMap((w) => w.split(/(\p{N})/u)).filter((w) => w.length > 0));
  const prefix = "##", suffix = "</w>";
  const symbolize = (w) => [...w].map((c, i) => (i > 0 ? prefix : "") + c + (i === [...w].length - 1 ? suffix : ""));
  const merges = learn(words.map(symbolize), 80, (a, b) => a + b.slice(prefix.length));
  const symbols = [...new Set(words.flatMap(symbolize))].sort();
  const vocab = vocabOf(symbols, merges, (a, b) => a + b.slice(prefix.length), ["<s>", "</s>", "[UNK]"]);
  write("prefix-suffix-roberta", {
    ...base,
    added_tokens: [added(0, "<s>", { special: true }), added(1, "</s>", { special: true }), added(2, "[UNK]", { special: true })],
    normalizer: { type: "Sequence", normalizers: [{ type: "NFD" }, { type: "StripAccents" }, { type: "Lowercase" }, { type: "Strip", strip_left: true, strip_right: true }] },
    pre_tokenizer: { type: "Sequence", pretokenizers: [{ type: "WhitespaceSplit" }, { type: "Digits", individual_digits: true }] },
    post_processor: { type: "RobertaProcessing", sep: ["</s>", 1], cls: ["<s>", 0], trim_offsets: true, add_prefix_space: false },
    decoder: null,
    model: { type: "BPE", dropout: null, unk_token: "[UNK]", continuing_subword_prefix: prefix, end_of_word_suffix: suffix, fuse_unk: false, byte_fallback: false, ignore_merges: false, vocab, merges },
  });
}
