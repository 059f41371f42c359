// Replays tests in the Cedar integration-test format through the official
// engine (@cedar-policy/cedar-wasm) and compares its answers with the expected
// ones (ours). Usage:
//   node oracle.mjs --root REPO --modules DIR --out RESULTS.json TEST.json|DIR...
// The Wasm JSON API reads numbers as doubles: a case whose entity or request
// data holds an integer beyond 2^53 cannot be given to it faithfully, so it is
// marked and skipped (and counted).
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";

const argv = process.argv.slice(2);
const opt = { root: ".", modules: null, out: null, validate: false };
const inputs = [];
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === "--root") opt.root = argv[++i];
  else if (a === "--modules") opt.modules = argv[++i];
  else if (a === "--out") opt.out = argv[++i];
  else if (a === "--validate") opt.validate = true;
  else inputs.push(a);
}
const require = createRequire(import.meta.url);
const wasmJs = path.resolve(opt.modules, "@cedar-policy/cedar-wasm/nodejs/cedar_wasm.js");
// A fresh instance of the module (after a stack overflow its memory is not trusted).
function loadCedar() {
  for (const k of Object.keys(require.cache)) if (k.includes("cedar-wasm")) delete require.cache[k];
  return require(wasmJs);
}
let cedar = loadCedar();

function testFiles(p) {
  const st = fs.statSync(p);
  if (!st.isDirectory()) return [p];
  return fs.readdirSync(p).sort().flatMap((f) => {
    const q = path.join(p, f);
    if (fs.statSync(q).isDirectory()) return testFiles(q);
    const isTest = f.endsWith(".json") && !f.endsWith(".entities.json") && !f.endsWith(".cedarschema.json");
    return isTest ? [q] : [];
  });
}

// True when the JSON text has an integer literal outside strings whose
// magnitude exceeds 2^53 (a double would change it).
const LIMIT = 2n ** 53n;
function hasBigInteger(text) {
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === "\\") i++;
    } else if (c === "-" || (c >= "0" && c <= "9")) {
      let j = i + (c === "-" ? 1 : 0);
      while (j < text.length && text[j] >= "0" && text[j] <= "9") j++;
      const digits = text.slice(c === "-" ? i + 1 : i, j);
      if (digits.length > 15 && BigInt(digits) > LIMIT) return true;
      i = j - 1;
    }
  }
  return false;
}

const sorted = (xs) => [...xs].sort();
const same = (a, b) => JSON.stringify(sorted(a)) === JSON.stringify(sorted(b));
const brief = (errs) => (errs || []).map((e) => e.message + (e.help ? ` (${e.help})` : "")).join("; ");

const res = { tests: 0, requests: 0, compared: 0, agree: 0, skipped_big_integer: 0,
              validation_valid: 0, validation_invalid: 0, disagreements: [], skipped: [],
              validation: [], stack_overflow: [] };
for (const input of inputs) {
  for (const file of testFiles(input)) {
    res.tests++;
    const raw = fs.readFileSync(file, "utf8");
    const test = JSON.parse(raw);
    const read = (p) => fs.readFileSync(path.resolve(opt.root, p), "utf8");
    const entitiesText = read(test.entities);
    const schemaText = read(test.schema);
    const schema = test.schemaFormat === "json" ? JSON.parse(schemaText) : schemaText;
    const policies = { staticPolicies: read(test.policies) };
    res.requests += test.requests.length;
    if (hasBigInteger(entitiesText) || hasBigInteger(raw)) {
      res.skipped_big_integer += test.requests.length;
      res.skipped.push(file);
      continue;
    }
    const entities = JSON.parse(entitiesText);
    // what a test adds to the counts, taken back when it does not finish
    const mark = [res.compared, res.agree, res.validation_valid, res.validation_invalid,
                  res.disagreements.length, res.validation.length];
    const undo = () => {
      [res.compared, res.agree, res.validation_valid, res.validation_invalid] = mark;
      res.disagreements.length = mark[4];
      res.validation.length = mark[5];
    };
    try {
      try {
        compare(file, test, schema, policies, entities);
      } catch (e) {
        // a test after an overflow can fail only because the overflow
        // corrupted the instance: once more in a fresh one
        if (!(e instanceof RangeError || e instanceof WebAssembly.RuntimeError)) throw e;
        undo();
        cedar = loadCedar();
        compare(file, test, schema, policies, entities);
      }
    } catch (e) {
      undo();
      // the Wasm build recurses on deep expressions (a generated chain of
      // thousands of terms): the JS stack overflows (RangeError), or Rust's
      // stack in linear memory does ("memory access out of bounds"). Counted,
      // not compared.
      if (!(e instanceof RangeError || e instanceof WebAssembly.RuntimeError)) throw e;
      res.stack_overflow.push(file);
      cedar = loadCedar();
    }
  }
}

function compare(file, test, schema, policies, entities) {
  {
    // strict validation of the whole policy set: the official verdict against
    // the test's shouldValidate (ours), both ways
    if (opt.validate) {
      const v = cedar.validate({ schema, policies, validationSettings: { mode: "strict" } });
      const errs = v.type === "success" ? v.validationErrors : v.errors;
      const valid = v.type === "success" && errs.length === 0;
      if (valid !== Boolean(test.shouldValidate)) {
        res.validation.push({ test: file, ours: Boolean(test.shouldValidate), official: valid,
                              errors: errs.map((e) => `${e.policyId || ""}: ${e.error ? e.error.message : e.message}`) });
      } else if (valid) res.validation_valid++;
      else res.validation_invalid++;
    }
    test.requests.forEach((rq, k) => {
      const ans = cedar.isAuthorized({
        principal: rq.principal, action: rq.action, resource: rq.resource, context: rq.context,
        schema, validateRequest: rq.validateRequest !== false, policies, entities,
      });
      res.compared++;
      const ours = { decision: rq.decision, reason: sorted(rq.reason), errors: sorted(rq.errors) };
      let official, kind = null;
      if (ans.type !== "success") {
        official = { failure: brief(ans.errors) };
        kind = "official engine rejects the input";
      } else {
        const d = ans.response.diagnostics;
        official = { decision: ans.response.decision, reason: sorted(d.reason),
                     errors: sorted(d.errors.map((e) => e.policyId)),
                     error_messages: d.errors.map((e) => `${e.policyId}: ${e.error.message}`) };
        if (official.decision !== ours.decision) kind = "decision";
        else if (!same(official.reason, ours.reason)) kind = "reason";
        else if (!same(official.errors, ours.errors)) kind = "errors";
      }
      if (kind) res.disagreements.push({ test: file, request: k, description: rq.description, kind, ours, official });
      else res.agree++;
    });
  }
}
if (opt.out) fs.writeFileSync(opt.out, JSON.stringify(res, null, 1) + "\n");
console.log(`oracle: ${res.tests} tests, ${res.compared} requests compared, ${res.agree} agree, ` +
            `${res.disagreements.length} disagree, ${res.skipped_big_integer} skipped (integers beyond 2^53), ` +
            `${res.stack_overflow.length} tests overflowed the official engine's stack` +
            (opt.validate ? `; strict validation: ${res.validation_valid + res.validation_invalid} agree, ` +
                            `${res.validation.length} disagree` : ""));
process.exitCode = res.disagreements.length || res.validation.length ? 1 : 0;
