// Encodes and decodes every test text with every tokenizer folder (real ones from models/, laid out by install.sh)
// and every synthetic tokenizer.json through @huggingface/tokenizers (Hugging Face's JavaScript tokenizers, the
// ones transformers.js uses), and writes what it produced as <name>.expected.json beside the texts. ForgetLab's
// tokenizer tests compare their own ids and decoded text with these files.
// GPT-2's ids are also checked against two implementations that share no code with it: gpt-3-encoder (OpenAI's
// encoder.js port) and js-tiktoken's gpt2 ranks; the script stops if they disagree.
//   usage: node encode.mjs MODELS_DIR FIXTURE_DIR
import { readFileSync, readdirSync, writeFileSync, existsSync } from "node:fs";
import { join, basename } from "node:path";
import { Tokenizer } from "@huggingface/tokenizers";
import gpt3 from "gpt-3-encoder";
import { getEncoding } from "js-tiktoken";

const [modelsDir, fixtureDir] = process.argv.slice(2);
if (!modelsDir || !fixtureDir) { console.error("usage: node encode.mjs MODELS_DIR FIXTURE_DIR"); process.exit(2); }
const texts = JSON.parse(readFileSync(join(fixtureDir, "texts.json"), "utf8"));
const syntheticTexts = JSON.parse(readFileSync(join(fixtureDir, "synthetic-texts.json"), "utf8"));

// One case a line, so a regenerated file diffs by text.
export const caseLines = (header, cases) =>
  JSON.stringify(header).slice(0, -1) + ',"cases":[\n' + cases.map((c) => JSON.stringify(c)).join(",\n") + "\n]}\n";

function run(name, tokenizerJson, config, texts) {
  const tokenizer = new Tokenizer(tokenizerJson, config);
  // ForgetLab's rule for clean_up_tokenization_spaces: the config's value, false when it has none (transformers' default).
  const cleanUp = config.clean_up_tokenization_spaces ?? false;
  // The reference refuses to decode an empty list; the decoded text of no ids is "".
  const decode = (ids, skip) => (ids.length === 0 ? "" : tokenizer.decode(ids, { skip_special_tokens: skip, clean_up_tokenization_spaces: cleanUp }));
  const cases = texts.map((text) => {
    const ids = tokenizer.encode(text, { add_special_tokens: true }).ids;
    const plain = tokenizer.encode(text, { add_special_tokens: false }).ids;
    return {
      text,
      ids,
      ids_without_special_tokens: plain,
      decoded: decode(ids, false),
      decoded_skipping_special_tokens: decode(ids, true),
    };
  });
  const tokens = cases.reduce((n, c) => n + c.ids.length, 0);
  writeFileSync(join(fixtureDir, `${name}.expected.json`), caseLines({ tokenizer: name, reference: "@huggingface/tokenizers 0.2.0" }, cases));
  console.log(`${name}: ${cases.length} texts, ${tokens} tokens`);
  return cases;
}

for (const name of readdirSync(modelsDir).filter((d) => existsSync(join(modelsDir, d, "tokenizer.json"))).sort()) {
  const json = JSON.parse(readFileSync(join(modelsDir, name, "tokenizer.json"), "utf8"));
  const config = JSON.parse(readFileSync(join(modelsDir, name, "tokenizer_config.json"), "utf8"));
  const cases = run(name, json, config, texts);
  if (name === "gpt2") {
    const tiktoken = getEncoding("gpt2");
    let checked = 0;
    for (const c of cases) {
      if (c.text.includes("<|endoftext|>")) continue;
      const a = gpt3.encode(c.text), b = tiktoken.encode(c.text);
      if (JSON.stringify(a) !== JSON.stringify(c.ids_without_special_tokens) || JSON.stringify(b) !== JSON.stringify(c.ids_without_special_tokens)) {
        console.error(`gpt2: the references disagree on ${JSON.stringify(c.text)}`);
        process.exit(1);
      }
      checked++;
    }
    console.log(`gpt2: gpt-3-encoder and js-tiktoken agree with @huggingface/tokenizers on ${checked} texts`);
  }
}
const syntheticDir = join(fixtureDir, "synthetic");
for (const file of readdirSync(syntheticDir).filter((f) => f.endsWith(".json") && !f.endsWith(".expected.json") && !f.endsWith(".rust.json")).sort()) {
  const json = JSON.parse(readFileSync(join(syntheticDir, file), "utf8"));
  run(join("synthetic", basename(file, ".json")), json, {}, [...texts, ...syntheticTexts]);
}
