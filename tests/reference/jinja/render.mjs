// Renders every conversation fixture with every real chat template through @huggingface/jinja (the
// renderer transformers.js uses; trim_blocks and lstrip_blocks on, as transformers renders), and writes
// the outputs beside the fixtures as <template>.<conversation>.txt. ForgetLab's C# renderer is compared
// with these files byte for byte (tests/ForgetLab.Core.Tests/ChatTemplates/).
// With SNIPPETS.json (a list of {name, template, variables}) it also renders each snippet and writes
// SNIPPETS.expected.json ({name: output}), the reference for the Jinja subset's smaller constructs.
//   usage: node render.mjs TEMPLATE_DIR FIXTURE_DIR [SNIPPETS.json]
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { Template } from "@huggingface/jinja";

const [templateDir, fixtureDir, snippetsFile] = process.argv.slice(2);
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
if (snippetsFile) {
  const expected = {};
  for (const { name, template, variables } of JSON.parse(readFileSync(snippetsFile, "utf8"))) {
    try {
      expected[name] = new Template(template).render(variables);
    } catch (e) {
      console.error(`${name}: ${e.message}`);
      process.exitCode = 1;
    }
  }
  if (process.exitCode) process.exit();
  const out = snippetsFile.replace(/\.json$/, ".expected.json");
  writeFileSync(out, JSON.stringify(expected, null, 2) + "\n", "utf8");
  console.log(`${basename(out)}: ${Object.keys(expected).length} snippets`);
}
