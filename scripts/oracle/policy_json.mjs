// Compares our policy JSON (`cedar translate-policy --direction cedar-to-json`)
// with the official engine's (cedar-wasm policyToJson / templateToJson) on
// Cedar policy files, and checks that our JSON reads back to the same JSON.
// Usage: node policy_json.mjs --modules DIR --cedar CEDAR_BINARY FILE.cedar|DIR...
// Prints one line per difference and a summary `N passed, M failed, K skipped`
// (skipped: the official parser rejects the file), and how many crashed the
// official engine (its Wasm stack overflows on deeply nested expressions).
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
  else inputs.push(argv[i]);
}
const require = createRequire(import.meta.url);
const wasmPath = path.resolve(modules, "@cedar-policy/cedar-wasm/nodejs/cedar_wasm.js");
let cedar = require(wasmPath);
// A fresh instance of the Wasm engine: after a crash (its stack overflows on
// deeply nested expressions) the old one's memory is not usable any more.
function reload() {
  delete require.cache[require.resolve(wasmPath)];
  cedar = require(wasmPath);
}

function files(p) {
  if (!fs.statSync(p).isDirectory()) return [p];
  return fs.readdirSync(p).sort().flatMap((f) => {
    const q = path.join(p, f);
    return fs.statSync(q).isDirectory() ? files(q) : f.endsWith(".cedar") ? [q] : [];
  });
}

// Canonical text of a JSON value (object keys sorted) for multiset comparison.
function canon(v) {
  if (Array.isArray(v)) return "[" + v.map(canon).join(",") + "]";
  if (v && typeof v === "object")
    return "{" + Object.keys(v).sort().map((k) => JSON.stringify(k) + ":" + canon(v[k])).join(",") + "}";
  return JSON.stringify(v);
}

function ours(file, dir) {
  try {
    return execFileSync(cedarBin, ["translate-policy", "--direction", dir, "--policies", file],
      { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, CEDAR_ERROR_FORMAT: "plain" } });
  } catch (e) {
    return { error: (e.stderr || e.message).trim() };
  }
}

let pass = 0, fail = 0, skip = 0, crash = 0;
const report = (f, msg) => { fail++; console.log(`DIFF ${f}: ${msg}`); };
for (const f of inputs.flatMap(files)) {
  const text = fs.readFileSync(f, "utf8");
  const official = { policies: [], templates: [] };
  try {
    const parts = cedar.policySetTextToParts(text);
    if (parts.type !== "success") { skip++; continue; }
    for (const p of parts.policies) official.policies.push(canon(cedar.policyToJson(p).json));
    for (const t of parts.policy_templates) official.templates.push(canon(cedar.templateToJson(t).json));
  } catch (e) { // the Wasm engine's stack overflows on deep nesting
    crash++;
    reload();
    console.log(`SKIP ${f}: the official engine crashed: ${String(e).slice(0, 100)}`);
    continue;
  }
  const out = ours(f, "cedar-to-json");
  if (typeof out !== "string") { report(f, `we fail: ${out.error.slice(0, 300)}`); continue; }
  const j = JSON.parse(out);
  const mine = { policies: Object.values(j.staticPolicies).map(canon), templates: Object.values(j.templates).map(canon) };
  let ok = true;
  for (const k of ["policies", "templates"]) {
    const a = [...official[k]].sort(), b = [...mine[k]].sort();
    if (a.length !== b.length) { report(f, `${k}: ${a.length} official, ${b.length} ours`); ok = false; break; }
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) {
      let d = 0; while (a[i][d] === b[i][d]) d++;
      report(f, `${k}: official ...${a[i].slice(Math.max(0, d - 60), d + 60)}... ours ...${b[i].slice(Math.max(0, d - 60), d + 60)}...`);
      ok = false; break;
    }
    if (!ok) break;
  }
  if (!ok) continue;
  // our JSON read back: the same JSON
  const tmp = path.join(fs.mkdtempSync("/tmp/pj-"), "p.json");
  fs.writeFileSync(tmp, out);
  let back;
  try {
    back = execFileSync(cedarBin, ["check-parse", "--policy-format", "json", "--policies", tmp], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (e) { report(f, `our JSON does not read back: ${(e.stderr || "").trim().slice(0, 300)}`); continue; }
  fs.rmSync(path.dirname(tmp), { recursive: true });
  pass++;
}
console.log(`policy-json: ${pass} passed, ${fail} failed, ${skip} skipped, ${crash} crashed the official engine`);
