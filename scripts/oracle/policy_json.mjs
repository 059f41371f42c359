// Compares our policy JSON (`cedar translate-policy --direction cedar-to-json`)
// with the official engine's (cedar-wasm policyToJson / templateToJson) on
// Cedar policy files, and checks that our JSON reads back to the same JSON.
// Usage: node policy_json.mjs --modules DIR --cedar CEDAR_BINARY FILE.cedar|DIR...
// Prints one line per difference and a summary `N passed, M failed, K skipped`
// (skipped: the official parser rejects the file), and how many crashed the
// official engine (its Wasm stack overflows on deeply nested expressions).
import fs from "node:fs";
import path from "node:path";
import { wasmEngine, cedarFiles } from "./wasm.mjs";
import { execFileSync, spawnSync } from "node:child_process";

const argv = process.argv.slice(2);
let modules = null, cedarBin = null, batchBin = null;
const inputs = [];
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === "--modules") modules = argv[++i];
  else if (argv[i] === "--cedar") cedarBin = argv[++i];
  else if (argv[i] === "--batch") batchBin = argv[++i];
  else inputs.push(argv[i]);
}
const engine = wasmEngine(modules);

// Canonical text of a JSON value (object keys sorted) for multiset comparison.
function canon(v) {
  if (Array.isArray(v)) return "[" + v.map(canon).join(",") + "]";
  if (v && typeof v === "object")
    return "{" + Object.keys(v).sort().map((k) => JSON.stringify(k) + ":" + canon(v[k])).join(",") + "}";
  return JSON.stringify(v);
}

// --batch CEDAR_BATCH_BINARY: our JSON of every file from one process of
// build/core/cedar-batch (which also checks that it reads back), instead of
// two processes per file.
const all = inputs.flatMap(cedarFiles);
const batch = new Map(), backErr = new Map();
let deep = 0;
if (batchBin) {
  const dir = fs.mkdtempSync("/tmp/pj-batch-");
  for (let k = 0; k < all.length; k += 2000) {
    const part = all.slice(k, k + 2000);
    const r = spawnSync(batchBin, ["json", dir, ...part], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`cedar-batch failed: ${r.stderr}`);
    part.forEach((f, i) => {
      const out = path.join(dir, `${i}.out`), err = path.join(dir, `${i}.err`), back = path.join(dir, `${i}.back`);
      batch.set(f, fs.existsSync(out) ? fs.readFileSync(out, "utf8") : { error: fs.readFileSync(err, "utf8") });
      if (fs.existsSync(back)) backErr.set(f, fs.readFileSync(back, "utf8"));
      for (const p of [out, err, back]) fs.rmSync(p, { force: true });
    });
  }
  fs.rmSync(dir, { recursive: true });
}

function ours(file, dir) {
  if (batchBin) return batch.get(file);
  try {
    return execFileSync(cedarBin, ["translate-policy", "--direction", dir, "--policies", file],
      { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, CEDAR_ERROR_FORMAT: "plain" } });
  } catch (e) {
    return { error: (e.stderr || e.message).trim() };
  }
}

let pass = 0, fail = 0, skip = 0, crash = 0;
const report = (f, msg) => { fail++; console.log(`DIFF ${f}: ${msg}`); };
for (const f of all) {
  const text = fs.readFileSync(f, "utf8");
  const official = { policies: [], templates: [] };
  try {
    const parts = engine.cedar.policySetTextToParts(text);
    if (parts.type !== "success") { skip++; continue; }
    for (const p of parts.policies) official.policies.push(canon(engine.cedar.policyToJson(p).json));
    for (const t of parts.policy_templates) official.templates.push(canon(engine.cedar.templateToJson(t).json));
  } catch (e) { // the Wasm engine's stack overflows on deep nesting
    crash++;
    engine.reload();
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
  if (batchBin) { // cedar-batch read our JSON back
    const e = backErr.get(f);
    // JSON nested deeper than 127 levels: the official CLI's reader (serde_json)
    // refuses it too; cedar-wasm takes JS objects and has no such limit
    if (e && /nested too deeply/.test(e)) deep++;
    else if (e) { report(f, `our JSON does not read back: ${e.slice(0, 300)}`); continue; }
    pass++;
    continue;
  }
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
console.log(`policy-json: ${pass} passed (${deep} of them nested too deeply for JSON text to read back, as for the official CLI), ${fail} failed, ${skip} skipped, ${crash} crashed the official engine`);
