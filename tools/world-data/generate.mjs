// Derives the built-in world's fact files from two npm data packages.
// Only the fields the world uses are kept; names are cleaned so that they never contain "."
// (the evaluator stops generation at ".") and so that one language has one English name.
import { createRequire } from "node:module";
import { writeFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const { countries, continents, languages } = require("countries-list");
const { elements } = require("chemical-elements");

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "..", "..", "src", "ForgetLab.Lab", "World", "Data");
mkdirSync(out, { recursive: true });

// "Washington D.C." -> "Washington DC", "St. George's" -> "St George's".
const clean = (s) => s.replace(/\./g, "").replace(/\s+/g, " ").trim();
// "Tagalog / Filipino" -> "Tagalog": the first of several alternative names.
const languageName = (code) => clean(languages[code].name.split("/")[0]);

const countryRows = Object.entries(countries)
  .filter(([, c]) => c.capital && c.capital.trim() !== "")
  .map(([code, c]) => ({
    code,
    name: clean(c.name),
    capital: clean(c.capital),
    continent: continents[c.continent],
    currency: (c.currency[0] ?? "").toUpperCase(),
    languages: c.languages.map(languageName),
  }))
  .sort((a, b) => a.code.localeCompare(b.code));

const elementRows = elements
  .map((e) => ({ number: e.number, symbol: e.symbol, name: e.name }))
  .sort((a, b) => a.number - b.number);

const write = (file, rows) =>
  writeFileSync(join(out, file), "[\n" + rows.map((r) => "  " + JSON.stringify(r)).join(",\n") + "\n]\n");
write("countries.json", countryRows);
write("elements.json", elementRows);
console.log(`wrote ${countryRows.length} countries and ${elementRows.length} elements to ${out}`);
