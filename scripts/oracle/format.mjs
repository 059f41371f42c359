// Compares our formatter (`cedar format`) with the official one (cedar-wasm
// formatPolicies) on Cedar policy files: the same text, or both refusing.
// Usage: node format.mjs --modules DIR (--cedar CEDAR_BINARY | --batch
//        CEDAR_BATCH_BINARY) [--line-width N] [--indent-width N]
//        [--show N] FILE.cedar|DIR...
// (--batch formats all files in one process of build/core/cedar-batch
// first: much faster than a `cedar format` process per file.)
// Prints one line per difference (the first differing line of each) and a
// summary `N passed, M failed, K refused by both, C crashed the official
// formatter` (its Wasm stack overflows on deeply nested expressions).
import fs from "node:fs";
import path from "node:path";
import { wasmEngine, cedarFiles } from "./wasm.mjs";
import { spawnSync } from "node:child_process";

const argv = process.argv.slice(2);
let modules = null, cedarBin = null, batchBin = null, width = 80, indent = 2, show = 0;
const inputs = [];
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === "--modules") modules = argv[++i];
  else if (argv[i] === "--cedar") cedarBin = argv[++i];
  else if (argv[i] === "--batch") batchBin = argv[++i];
  else if (argv[i] === "--line-width") width = Number(argv[++i]);
  else if (argv[i] === "--indent-width") indent = Number(argv[++i]);
  else if (argv[i] === "--show") show = Number(argv[++i]);
  else inputs.push(argv[i]);
}
const engine = wasmEngine(modules);

const all = inputs.flatMap(cedarFiles);
const batch = new Map();
if (batchBin) {
  const dir = fs.mkdtempSync("/tmp/fmt-batch-");
  for (let k = 0; k < all.length; k += 2000) {
    const part = all.slice(k, k + 2000);
    const r = spawnSync(batchBin, ["format", String(width), String(indent), dir, ...part], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`cedar-batch failed: ${r.stderr}`);
    part.forEach((f, i) => {
      const out = path.join(dir, `${i}.out`), err = path.join(dir, `${i}.err`);
      batch.set(f, fs.existsSync(out) ? { text: fs.readFileSync(out, "utf8") } : { error: fs.readFileSync(err, "utf8") });
      fs.rmSync(out, { force: true });
      fs.rmSync(err, { force: true });
    });
  }
  fs.rmSync(dir, { recursive: true });
}

function ours(file) {
  if (batchBin) return batch.get(file);
  const r = spawnSync(cedarBin, ["format", "-l", String(width), "-i", String(indent), "-p", file],
    { encoding: "utf8", env: { ...process.env, CEDAR_ERROR_FORMAT: "plain" } });
  return r.status === 0 ? { text: r.stdout } : { error: (r.stderr || "").trim() };
}

let pass = 0, fail = 0, bothRefuse = 0, crash = 0;
for (const f of all) {
  const text = fs.readFileSync(f, "utf8");
  let off;
  try {
    off = engine.cedar.formatPolicies({ policyText: text, lineWidth: width, indentWidth: indent });
  } catch (e) { // the Wasm engine's stack overflows on deep nesting
    crash++;
    engine.reload();
    console.log(`SKIP ${f}: the official formatter crashed: ${String(e).slice(0, 100)}`);
    continue;
  }
  const mine = ours(f);
  if (off.type !== "success") {
    if (mine.error !== undefined) { bothRefuse++; continue; }
    fail++;
    console.log(`DIFF ${f}: official refuses (${JSON.stringify(off.errors).slice(0, 200)}), we format`);
    continue;
  }
  if (mine.error !== undefined) {
    fail++;
    console.log(`DIFF ${f}: we refuse: ${mine.error.slice(0, 200)}`);
    continue;
  }
  if (mine.text === off.formatted_policy) { pass++; continue; }
  fail++;
  const a = off.formatted_policy.split("\n"), b = mine.text.split("\n");
  let i = 0; while (i < a.length && a[i] === b[i]) i++;
  console.log(`DIFF ${f}:${i + 1}: official ${JSON.stringify(a[i])} ours ${JSON.stringify(b[i])}`);
  if (show-- > 0) console.log(`--- official\n${off.formatted_policy}--- ours\n${mine.text}---`);
}
console.log(`${pass} passed, ${fail} failed, ${bothRefuse} refused by both, ${crash} crashed the official formatter`);
process.exit(fail ? 1 : 0);
