// Renders every conversation fixture with every real chat template through @huggingface/jinja (the
// renderer transformers.js uses; trim_blocks and lstrip_blocks on, as transformers renders), and writes
// the outputs beside the fixtures as <template>.<conversation>.txt. ForgetLab's C# renderer is compared
// with these files byte for byte (tests/ForgetLab.Core.Tests/ChatTemplates/).
//   usage: node render.mjs TEMPLATE_DIR FIXTURE_DIR
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { Template } from "@huggingface/jinja";

const [templateDir, fixtureDir] = process.argv.slice(2);
if (!templateDir || !fixtureDir) {
  console.error("usage: node render.mjs TEMPLATE_DIR FIXTURE_DIR");
  process.exit(2);
}
const templates = readdirSync(templateDir).filter((f) => f.endsWith(".jinja")).sort();
const conversations = readdirSync(fixtureDir).filter((f) => f.endsWith(".json")).sort();
for (const t of templates) {
  const template = new Template(readFileSync(join(templateDir, t), "utf8"));
  for (const c of conversations) {
    const conversation = JSON.parse(readFileSync(join(fixtureDir, c), "utf8"));
    const out = template.render(conversation);
    const name = `${basename(t, ".jinja")}.${basename(c, ".json")}.txt`;
    writeFileSync(join(fixtureDir, name), out, "utf8");
    console.log(`${name}: ${Buffer.byteLength(out, "utf8")} bytes`);
  }
}
