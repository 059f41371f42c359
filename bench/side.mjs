// side.mjs: the scale workloads of cedar_scale.c run through the official
// engine, @cedar-policy/cedar-wasm (issue 10, side-by-side mode). Figures
// only, never assertions; bench/side.sh runs it beside cedar_scale and prints
// the ratio.
//
//   node [--no-liftoff --expose-gc] bench/side.mjs --modules DIR --workload static|template|action --n N
//                       [--seconds S] [--clock cpu|wall]
//
// The policy set is pre-parsed once (preparsePolicySet) and each request goes
// through statefulIsAuthorized with only the entities it needs (principal,
// resource, their parents), so what is timed is the authorization, not
// parsing the policies. Requests are the ones of cedar_scale.c: a matching
// one (allowed by exactly one policy) and a non-matching one (denied) per
// random k. Prints one line: median and p99 per authorization for both, in
// ns, and the pre-parse time. --clock cpu (the default) times each call in
// the process's CPU time (process.cpuUsage, microseconds: calls take 0.1 ms
// and more), which a loaded machine does not inflate as it does wall time;
// --clock wall uses the monotonic clock.
import path from "node:path";
import { createRequire } from "node:module";

const argv = process.argv.slice(2);
const opt = { modules: null, workload: "static", n: 10, seconds: 1, clock: "cpu" };
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === "--modules") opt.modules = argv[++i];
  else if (a === "--workload") opt.workload = argv[++i];
  else if (a === "--n") opt.n = Number(argv[++i]);
  else if (a === "--seconds") opt.seconds = Number(argv[++i]);
  else if (a === "--clock") opt.clock = argv[++i];
  else {
    console.error(`side.mjs: unknown argument ${a}`);
    process.exit(2);
  }
}
const require = createRequire(import.meta.url);
const cedar = require(path.resolve(opt.modules, "@cedar-policy/cedar-wasm/nodejs/cedar_wasm.js"));
const n = opt.n;
const w = opt.workload;

// The policies of cedar_scale.c.
const policies = {};
if (w === "static") {
  let text = "";
  for (let i = 0; i < n; i++)
    text += `@id("policy${i}")\npermit(principal == User::"u${i}", action == Action::"view", resource in Folder::"f${i}") when { principal.active };\n`;
  policies.staticPolicies = text;
} else if (w === "template") {
  policies.templates = {
    policy0: 'permit(principal == ?principal, action == Action::"view", resource in ?resource);',
  };
  policies.templateLinks = [];
  for (let i = 0; i < n; i++)
    policies.templateLinks.push({
      templateId: "policy0",
      newId: `link${i}`,
      values: { "?principal": { type: "User", id: `u${i}` }, "?resource": { type: "Folder", id: `f${i}` } },
    });
} else if (w === "action") {
  let text = "";
  for (let i = 0; i < n; i++)
    text += `@id("policy${i}")\npermit(principal in Group::"staff", action == Action::"a${i}", resource in Folder::"shared");\n`;
  policies.staticPolicies = text;
} else {
  console.error(`side.mjs: unknown workload ${w}`);
  process.exit(2);
}
cedar.checkParsePolicySet({ staticPolicies: "permit(principal, action, resource);" }); // load the module first
const t0 = process.hrtime.bigint();
const pre = cedar.preparsePolicySet("scale", policies);
const preparseMs = Number(process.hrtime.bigint() - t0) / 1e6;
if (pre.type !== "success") {
  console.error("side.mjs: preparsePolicySet failed:", JSON.stringify(pre.errors));
  process.exit(1);
}

// The policy text and objects built above are garbage now; collect them
// before timing (with --expose-gc), or V8's collector threads add their CPU
// time to the first timed calls.
if (globalThis.gc) globalThis.gc();

const uid = (type, id) => ({ type, id });
const user = (id, parents = []) => ({ uid: uid("User", id), attrs: { active: true }, parents });
const doc = (id, folder) => ({ uid: uid("Doc", id), attrs: {}, parents: [uid("Folder", folder)] });

// Request k, matching or not, as in cedar_scale.c.
function request(k, match) {
  if (w === "action") {
    const p = match ? "member" : "outsider";
    const ents = [
      user(p, match ? [uid("Group", "staff")] : []),
      { uid: uid("Group", "staff"), attrs: {}, parents: [] },
      doc("shared", "shared"),
    ];
    return { principal: uid("User", p), action: uid("Action", `a${k}`), resource: uid("Doc", "shared"), ents };
  }
  const d = match ? k : k + 1;
  return {
    principal: uid("User", `u${k}`),
    action: uid("Action", "view"),
    resource: uid("Doc", `d${d}`),
    ents: [user(`u${k}`), doc(`d${d}`, `f${d}`)],
  };
}

let rng = 42n;
function pick(m) {
  const mask = (1n << 64n) - 1n;
  rng ^= rng >> 12n;
  rng ^= (rng << 25n) & mask;
  rng ^= rng >> 27n;
  return Number((((rng * 0x2545f4914f6cdd1dn) & mask) >> 11n) % BigInt(m));
}

function authorize(rq) {
  const ans = cedar.statefulIsAuthorized({
    principal: rq.principal,
    action: rq.action,
    resource: rq.resource,
    context: {},
    preparsedPolicySetId: "scale",
    entities: rq.ents,
  });
  if (ans.type !== "success") {
    console.error("side.mjs: isAuthorized failed:", JSON.stringify(ans.errors));
    process.exit(1);
  }
  return ans.response.decision;
}

// Time single authorizations for about opt.seconds (at least 3), after a
// warm-up of up to 20 calls within a fifth of that (at 100,000 policies one
// call takes about a second: a fixed warm-up would take longer than the
// timing); median and p99 in ns.
function timeKind(match) {
  const want = match ? "allow" : "deny";
  const warm = process.hrtime.bigint() + BigInt(Math.round(opt.seconds * 2e8));
  for (let i = 0; i < 20 && (i === 0 || process.hrtime.bigint() < warm); i++)
    authorize(request(pick(n), match));
  const times = [];
  const end = process.hrtime.bigint() + BigInt(Math.round(opt.seconds * 1e9));
  while (times.length < 3 || (process.hrtime.bigint() < end && times.length < 100000)) {
    const rq = request(pick(n), match);
    const c = process.cpuUsage();
    const s = process.hrtime.bigint();
    const d = authorize(rq);
    if (opt.clock === "wall") times.push(Number(process.hrtime.bigint() - s));
    else {
      const u = process.cpuUsage(c);
      times.push((u.user + u.system) * 1000);
    }
    if (d !== want) {
      console.error(`side.mjs: unexpected decision ${d}`);
      process.exit(1);
    }
  }
  times.sort((a, b) => a - b);
  return [times[Math.floor(times.length / 2)], times[Math.min(times.length - 1, Math.floor(times.length * 0.99))]];
}

const [ym, yp] = timeKind(true);
const [nm, np] = timeKind(false);
console.log(
  `${w.padEnd(8)} N=${String(n).padEnd(7)} match median ${ym.toFixed(0).padStart(9)} ns p99 ${yp.toFixed(0).padStart(9)} ns | ` +
    `no-match median ${nm.toFixed(0).padStart(9)} ns p99 ${np.toFixed(0).padStart(9)} ns | preparse ${preparseMs.toFixed(0)} ms (wall) | ${opt.clock} time | cedar-wasm ${cedar.getCedarVersion()}`,
);
