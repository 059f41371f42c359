// Compares our schema translation (`cedar translate-schema`) with the
// official engine's (cedar-wasm schemaToText / schemaToJson) on schema files:
// `.cedarschema` (Cedar schema syntax) and `.cedarschema.json` (JSON).
//   text source:  our JSON  == official JSON (as JSON)
//                 our text (text -> JSON -> text) == official text, byte for byte
//   JSON source:  our text  == official text, byte for byte
//                 our JSON of our text == official JSON of the official text
//   both:         our text read back: the official JSON and text of the
//                 official text
// Usage: node schema.mjs --modules DIR --cedar CEDAR_BINARY [--list FILE] FILE|DIR...
// (--list: a file of paths, one a line). Prints one line per difference and
// `schemas: N passed, M failed, K skipped` (skipped: the official engine
// rejects the schema; those our parser accepts are counted apart).
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { execFileSync } from "node:child_process";

const argv = process.argv.slice(2);
let modules = null, cedarBin = null;
const inputs = [];
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === "--modules") modules = argv[++i];
  else if (argv[i] === "--cedar") cedarBin = argv[++i];
  else if (argv[i] === "--list") inputs.push(...fs.readFileSync(argv[++i], "utf8").split("\n").filter(Boolean));
  else inputs.push(argv[i]);
}
const require = createRequire(import.meta.url);
const cedar = require(path.resolve(modules, "@cedar-policy/cedar-wasm/nodejs/cedar_wasm.js"));

const isSchema = (f) => f.endsWith(".cedarschema") || f.endsWith(".cedarschema.json");
function files(p) {
  if (!fs.statSync(p).isDirectory()) return [p];
  return fs.readdirSync(p).sort().flatMap((f) => {
    const q = path.join(p, f);
    return fs.statSync(q).isDirectory() ? files(q) : isSchema(f) ? [q] : [];
  });
}

// Deep equality of JSON values (object key order ignored).
function same(a, b) {
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => same(x, b[i]));
  if (a && typeof a === "object") {
    if (!b || typeof b !== "object" || Array.isArray(b)) return false;
    const ka = Object.keys(a).sort(), kb = Object.keys(b).sort();
    return same(ka, kb) && ka.every((k) => same(a[k], b[k]));
  }
  return a === b;
}

// `cedar translate-schema` on text (standard input): its output without
// the newline println adds, or {error}.
function ours(dir, input) {
  try {
    const out = execFileSync(cedarBin, ["translate-schema", "--direction", dir], {
      input, encoding: "utf8", stdio: ["pipe", "pipe", "pipe"],
      env: { ...process.env, CEDAR_ERROR_FORMAT: "plain" },
    });
    return out.endsWith("\n") ? out.slice(0, -1) : out;
  } catch (e) {
    return { error: (e.stderr || e.message).trim().slice(0, 300) };
  }
}
function parses(file, format) {
  try {
    execFileSync(cedarBin, ["check-parse", "--schema", file, "--schema-format", format], { stdio: "ignore" });
    return true;
  } catch { return false; }
}
function firstDiff(a, b) {
  let d = 0;
  while (d < a.length && a[d] === b[d]) d++;
  return `official ...${JSON.stringify(a.slice(Math.max(0, d - 60), d + 60))}... ours ...${JSON.stringify(b.slice(Math.max(0, d - 60), d + 60))}...`;
}

let pass = 0, fail = 0, skip = 0, acceptedRejected = 0, jsonBytes = 0;
const report = (f, msg) => { fail++; console.log(`DIFF ${f}: ${msg}`); };
let seen = 0;
for (const f of inputs.flatMap(files)) {
  // a running count, so that a long run cut short still tells what it did
  if (++seen % 200 === 0) console.log(`progress: ${seen} files: ${pass} passed, ${fail} failed, ${skip} skipped`);
  const src = fs.readFileSync(f, "utf8");
  const fromJson = f.endsWith(".json");
  let srcVal = src;
  if (fromJson) {
    try { srcVal = JSON.parse(src); } catch { skip++; continue; }
  }
  const offText = cedar.schemaToText(srcVal), offJson = cedar.schemaToJson(srcVal);
  if (offJson.type !== "success") {
    skip++;
    if (parses(f, fromJson ? "json" : "cedar")) {
      acceptedRejected++;
      console.log(`NOTE ${f}: the official engine rejects it, our parser accepts it: ${offJson.errors[0].message.slice(0, 200)}`);
    }
    continue;
  }
  let ok = true;
  let myText;
  if (!fromJson) {
    const myJson = ours("cedar-to-json", src);
    if (typeof myJson !== "string") { report(f, `cedar-to-json fails: ${myJson.error}`); continue; }
    if (!same(JSON.parse(myJson), offJson.json)) { report(f, `JSON: ${firstDiff(JSON.stringify(offJson.json), myJson)}`); continue; }
    if (myJson === JSON.stringify(offJson.json)) jsonBytes++;
    myText = ours("json-to-cedar", myJson);
  } else {
    myText = ours("json-to-cedar", src);
  }
  if (offText.type !== "success") {
    // e.g. a JSON entity shape that is not a record: we must fail too
    if (typeof myText === "string") report(f, `the official text output fails (${offText.errors[0].message.slice(0, 120)}), ours does not`);
    else pass++;
    continue;
  }
  if (typeof myText !== "string") { report(f, `json-to-cedar fails: ${myText.error}`); continue; }
  if (myText !== offText.text) { report(f, `text: ${firstDiff(offText.text, myText)}`); continue; }
  // our text read back: the official JSON of the official text, and the same text
  const back = ours("cedar-to-json", myText);
  const offBack = cedar.schemaToJson(offText.text);
  if (typeof back !== "string" || offBack.type !== "success" || !same(JSON.parse(back), offBack.json)) {
    report(f, `text -> JSON: ${typeof back === "string" ? firstDiff(JSON.stringify(offBack.json), back) : back.error}`);
    ok = false;
  } else {
    // and back to text: the official text of the official text (not always
    // the first text: an empty namespace of a JSON source is not kept)
    const again = ours("json-to-cedar", back), offAgain = cedar.schemaToText(offText.text);
    if (offAgain.type !== "success" || again !== offAgain.text) {
      report(f, `text -> JSON -> text: ${typeof again === "string" && offAgain.text ? firstDiff(offAgain.text, again) : "failed"}`);
      ok = false;
    }
  }
  if (ok) pass++;
}
console.log(`(JSON byte for byte equal to JSON.stringify of the official value: ${jsonBytes}; official rejects but we parse: ${acceptedRejected})`);
console.log(`schemas: ${pass} passed, ${fail} failed, ${skip} skipped`);
process.exit(fail ? 1 : 0);
