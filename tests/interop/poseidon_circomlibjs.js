#!/usr/bin/env node
// zkacc's Poseidon against circomlibjs's (the pinned 0.1.7 of install_npm.sh,
// its buildPoseidon: the hash circomlib's Poseidon circuit computes): for
// every arity 1..16, the all-zero and all-(r − 1) inputs, 1..n, and seeded
// random field elements, both must give the same hash.
//
//   node poseidon_circomlibjs.js PATH/TO/poseidon_hash_driver
//
// ZKACC_TEST_SEED sets the seed (printed), ZKACC_TEST_N multiplies the
// number of random vectors (8 per arity).
'use strict';
const { execFileSync } = require('child_process');
const crypto = require('crypto');
const path = require('path');

const R = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;
const MAX_INPUTS = 16;

function fail(msg) {
  process.stderr.write(`poseidon_circomlibjs.js: ${msg}\n`);
  process.exit(1);
}

// Uniform elements below r: SHA-256 of (seed, counter) cut to 254 bits,
// drawn again when ≥ r.
function randomElements(seed) {
  let counter = 0;
  return () => {
    for (;;) {
      const digest = crypto.createHash('sha256').update(`${seed}:${counter++}`).digest('hex');
      const v = BigInt('0x' + digest) >> 2n;
      if (v < R) return v;
    }
  };
}

async function main() {
  const driver = process.argv[2];
  if (!driver) fail('usage: node poseidon_circomlibjs.js PATH/TO/poseidon_hash_driver');
  const npmDir = execFileSync('bash', [path.join(__dirname, 'install_npm.sh')], { encoding: 'utf8' }).trim();
  const { buildPoseidon } = require(path.join(npmDir, 'node_modules', 'circomlibjs'));
  const poseidon = await buildPoseidon();

  const seed = process.env.ZKACC_TEST_SEED || '20261124';
  const perArity = 8 * Number(process.env.ZKACC_TEST_N || '1');
  const next = randomElements(seed);
  const vectors = [];
  for (let n = 1; n <= MAX_INPUTS; ++n) {
    vectors.push(Array(n).fill(0n), Array(n).fill(R - 1n), Array.from({ length: n }, (_, i) => BigInt(i + 1)));
    for (let k = 0; k < perArity; ++k) vectors.push(Array.from({ length: n }, next));
  }

  const expected = vectors.map((v) => poseidon.F.toObject(poseidon(v)).toString());
  const request = JSON.stringify(vectors.map((v) => v.map(String)));
  let actual;
  try {
    actual = JSON.parse(execFileSync(driver, [], { input: request, encoding: 'utf8' }));
  } catch (e) {
    fail(`${driver} failed: ${e.message}`);
  }
  if (actual.length !== expected.length) fail(`${driver} returned ${actual.length} hashes for ${expected.length} inputs`);
  let mismatches = 0;
  vectors.forEach((v, i) => {
    if (actual[i] === expected[i]) return;
    if (++mismatches <= 5)
      process.stderr.write(`MISMATCH (${v.length} inputs) [${v.join(', ')}]: zkacc ${actual[i]}, circomlibjs ${expected[i]}\n`);
  });
  if (mismatches) fail(`${mismatches} of ${vectors.length} hashes differ (ZKACC_TEST_SEED=${seed})`);
  console.log(`PASS: ${vectors.length} hashes of 1..${MAX_INPUTS} inputs equal circomlibjs's (ZKACC_TEST_SEED=${seed})`);
}

main().catch((e) => fail(e.stack || String(e)));
