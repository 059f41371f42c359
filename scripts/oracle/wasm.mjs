// What the oracle scripts share: the official engine (@cedar-policy/cedar-wasm)
// loaded from an npm folder, with a way to start a fresh instance, and the
// .cedar files below a path.
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";

// engine.cedar is the module; engine.reload() replaces it by a fresh
// instance: after a crash (its stack overflows on deeply nested expressions)
// the old one's memory is not usable any more.
export function wasmEngine(modules) {
  const require = createRequire(import.meta.url);
  const wasmPath = path.resolve(modules, "@cedar-policy/cedar-wasm/nodejs/cedar_wasm.js");
  const engine = {
    cedar: require(wasmPath),
    reload() {
      delete require.cache[require.resolve(wasmPath)];
      engine.cedar = require(wasmPath);
    },
  };
  return engine;
}

// p itself when it is a file, else every .cedar file below it, sorted.
export function cedarFiles(p) {
  if (!fs.statSync(p).isDirectory()) return [p];
  return fs.readdirSync(p).sort().flatMap((f) => {
    const q = path.join(p, f);
    return fs.statSync(q).isDirectory() ? cedarFiles(q) : f.endsWith(".cedar") ? [q] : [];
  });
}
