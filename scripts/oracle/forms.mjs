// The surface forms of Cedar text that the generators vary (line terminators
// ending comments, Unicode whitespace between tokens, \u{..} escapes with `_`
// and leading zeros, the like star spelled as an escape, runs of `!` and `-`),
// each in one small policy set authorized by the official engine
// (@cedar-policy/cedar-wasm) and by our `cedar` CLI: decision or parse error.
// Usage: node forms.mjs MODULES_DIR CEDAR_CLI WORK_DIR   (exit 1 on a difference)
import { createRequire } from "node:module";
import fs from "node:fs";
import path from "node:path";
import { execFileSync } from "node:child_process";
const [MODULES, CLI_ARG, WORK] = process.argv.slice(2);
const CLI = path.resolve(CLI_ARG);
const require = createRequire(import.meta.url);
const cedar = require(path.resolve(MODULES, "@cedar-policy/cedar-wasm/nodejs/cedar_wasm.js"));
process.chdir(WORK);
const ents = [{ uid: { type: "User", id: "a*b" }, attrs: { s: "a*b", t: "axb" }, parents: [] }];
fs.writeFileSync("f_ents.json", JSON.stringify(ents));
const forms = {
  "NEL between tokens": 'permit(principal,\u0085action, resource)\u0085when { true };',
  "U+2028 between tokens": 'permit(principal,\u2028action, resource) when {\u2028true };',
  "U+2029 between tokens": 'permit(principal, action,\u2029resource) when { true };',
  "VT and FF": 'permit(principal,\u000baction,\u000cresource);',
  "NBSP between tokens": 'permit(principal,\u00a0action, resource);',
  "comment ended by lone CR": 'permit(principal, action, resource) // c\rwhen { true };',
  "comment ended by CRLF": 'permit(principal, action, resource) // c\r\nwhen { true };',
  "comment at end of input": 'permit(principal, action, resource); // end',
  "comment ended by NEL": 'permit(principal, action, resource) // c\u0085when { false };',
  "comment ended by U+2028": 'permit(principal, action, resource) // c\u2028when { false };',
  "like \\u{2a} on star text": 'permit(principal, action, resource) when { principal.s like "a\\u{2a}b" };',
  "like \\u{2a} on other text": 'permit(principal, action, resource) when { principal.t like "a\\u{2a}b" };',
  "like \\x2a on other text": 'permit(principal, action, resource) when { principal.t like "a\\x2ab" };',
  "like \\* on other text": 'permit(principal, action, resource) when { principal.t like "a\\*b" };',
  "like * on other text": 'permit(principal, action, resource) when { principal.t like "a*b" };',
  "\\u{0_2a} underscore": 'permit(principal, action, resource) when { "\\u{0_2a}" == "*" };',
  "\\u{00002a} leading zeros": 'permit(principal, action, resource) when { "\\u{00002a}" == "*" };',
  "\\u{2a_} trailing underscore": 'permit(principal, action, resource) when { "\\u{2a_}" == "*" };',
  "\\u{_2a} leading underscore": 'permit(principal, action, resource) when { "\\u{_2a}" == "*" };',
  "\\u{} empty": 'permit(principal, action, resource) when { "\\u{}" == "" };',
  "\\u{0000002a} 8 digits": 'permit(principal, action, resource) when { "\\u{0000002a}" == "*" };',
  "!!!! four nots": 'permit(principal, action, resource) when { !!!!true };',
  "!!!!! five nots": 'permit(principal, action, resource) when { !!!!!false };',
  "---- four negs": 'permit(principal, action, resource) when { ----1 == 1 };',
  "----- five negs": 'permit(principal, action, resource) when { -----1 == -1 };',
  "NEL in string": 'permit(principal, action, resource) when { "\u0085" == "\\u{85}" };',
  "tab in string": 'permit(principal, action, resource) when { "\t" == "\\t" };',
  "\\0 escape": 'permit(principal, action, resource) when { "\\0" == "\\u{0}" };',
  "\\' escape": "permit(principal, action, resource) when { \"\\'\" == \"'\" };",
  "\\x7f": 'permit(principal, action, resource) when { "\\x7f" == "\\u{7f}" };',
  "\\x80 invalid": 'permit(principal, action, resource) when { "\\x80" == "" };',
  "BOM at start": '\ufeffpermit(principal, action, resource);',
  "ZWSP between tokens": 'permit(principal,\u200baction, resource);',
  "U+3000 between tokens": 'permit(principal,\u3000action, resource);',
  "U+1680 between tokens": 'permit(principal,\u1680action, resource);',
};
let diff = 0, n = 0;
for (const [name, text] of Object.entries(forms)) {
  n++;
  const r = cedar.isAuthorized({ principal: { type: "User", id: "a*b" }, action: { type: "Action", id: "v" },
    resource: { type: "User", id: "a*b" }, context: {}, policies: { staticPolicies: text }, entities: ents });
  const off = r.type === "success" ? r.response.decision.toUpperCase() + (r.response.diagnostics.errors.length ? "+err" : "") : "PARSE-ERROR";
  fs.writeFileSync("f_pol.cedar", text);
  let ours;
  try {
    const out = execFileSync(CLI, ["authorize", "--entities", "f_ents.json", "--policies", "f_pol.cedar",
      "--principal", 'User::"a*b"', "--action", 'Action::"v"', "--resource", 'User::"a*b"'], { stdio: ["ignore", "pipe", "pipe"] }).toString();
    ours = out.trim().split("\n").filter(Boolean)[0];
  } catch (e) {
    const out = (e.stdout || "").toString().trim();
    ours = e.status === 2 && out.startsWith("DENY") ? "DENY" : "PARSE-ERROR";
    if (ours === "PARSE-ERROR" && !(e.stderr || "").toString().match(/parse|unexpected|invalid|error/i)) ours = "ERR:" + e.status;
  }
  const oursN = ours.replace(/\s.*/, "");
  const offN = off.replace("+err", "");
  const same = oursN === offN;
  if (!same) diff++;
  console.log(`${same ? "same" : "DIFF"}  ${name}: official ${off}, ours ${ours}`);
}
console.log(`${n} forms, ${diff} differences`);
process.exit(diff ? 1 : 0);
