// What a dApp does with a model proof whose input is hashed: recompute the
// commitment from the raw input and the circuit's settings with circomlibjs
// alone, and compare it with the proof's public input. The encoding is
// zkml/commitment.hpp's (docs/zkml.md "Public inputs"):
//   quantize: q = round(x · 2^frac), ties away from zero
//   pack:     k = floor(253 / B) values to an element, each as q + 2^(B−1),
//             least significant first
//   chain:    Poseidon of the first ≤ 16 elements, then Poseidon(h, next ≤ 15)
// Usage: node input_commitment.js <npm dir with circomlibjs> <input.json> <settings.json> <public.json>
// Exits 1 when the commitment differs from the last public signal.
"use strict";
const fs = require("fs");
const path = require("path");

async function main() {
  const [npmDir, inputPath, settingsPath, publicPath] = process.argv.slice(2);
  const { buildPoseidon } = require(path.join(npmDir, "node_modules", "circomlibjs"));
  const poseidon = await buildPoseidon();
  const F = poseidon.F;

  const input = JSON.parse(fs.readFileSync(inputPath, "utf8"));
  const values = [input.input ?? input.input_data].flat(Infinity);
  const settings = JSON.parse(fs.readFileSync(settingsPath, "utf8"));
  if (settings.visibility?.input !== "hashed") throw new Error(`${settingsPath}: the input is not hashed`);
  const { frac, bits } = settings.input;

  const scale = 2 ** frac;
  const q = values.map((x) => { const y = x * scale; return Math.sign(y) * Math.round(Math.abs(y)); });
  const k = Math.floor(253 / bits);
  const half = 1n << BigInt(bits - 1);
  const elements = [];
  for (let j = 0; j < q.length; j += k) {
    let e = 0n;
    q.slice(j, j + k).forEach((v, i) => { e += (BigInt(v) + half) << BigInt(bits * i); });
    elements.push(e);
  }
  let h = poseidon(elements.slice(0, 16));
  for (let at = 16; at < elements.length; at += 15) h = poseidon([h, ...elements.slice(at, at + 15)]);
  const commitment = F.toObject(h).toString();

  const pub = JSON.parse(fs.readFileSync(publicPath, "utf8"));
  const got = pub[pub.length - 1];
  console.log(`input commitment (circomlibjs, from ${path.basename(inputPath)}): ${commitment}`);
  if (got !== commitment) {
    console.error(`FAIL: the proof's public input is ${got}`);
    process.exit(1);
  }
  console.log(`equals the proof's last public input (${values.length} values in ${elements.length} elements)`);
}

main().catch((e) => { console.error(e.stack || String(e)); process.exit(1); });
