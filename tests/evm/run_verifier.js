#!/usr/bin/env node
// Compiles Groth16 verifier contracts with solc and runs them in an
// in-process EVM (@ethereumjs/evm, which implements the BN254 precompiles of
// EIP-196/197): each contract is deployed, then called with a proof's
// arguments as they are and tampered in every way a verifier must refuse.
//
//   node run_verifier.js NPM_DIR OUT.json CONTRACT.sol... -- CALLDATA.txt
//
// The first contract is zkacc's and is held to every case; the others
// (snarkjs's) to every case but trailing call data (see below).
//
// CALLDATA.txt: verifyProof's arguments as `zkacc export-calldata` (or
// snarkjs's `zkey export soliditycalldata`) prints them. OUT.json gets, per
// contract: its code size, and per case the result (true, false or
// "revert") and the gas: the call's execution gas and the transaction's
// (21,000 + 16 per non-zero and 4 per zero call data byte + execution).
// Contract and init code sizes are not limited (EIP-170 and EIP-3860 are
// switched off) so that verifiers of keys with hundreds of public inputs can
// still be measured; the size is reported instead (a chain refuses code
// over 24,576 bytes).
'use strict';
const fs = require('fs');
const path = require('path');

const R = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;
const Q = 21888242871839275222246405745257275088696311157297823662689037894645226208583n;

function fail(msg) {
  process.stderr.write(`run_verifier.js: ${msg}\n`);
  process.exit(1);
}

function compile(solc, file) {
  const source = fs.readFileSync(file, 'utf8');
  const input = {
    language: 'Solidity',
    sources: { [path.basename(file)]: { content: source } },
    settings: { optimizer: { enabled: true, runs: 200 }, outputSelection: { '*': { '*': ['evm.bytecode.object', 'evm.methodIdentifiers'] } } },
  };
  const out = JSON.parse(solc.compile(JSON.stringify(input)));
  const errors = (out.errors || []).filter((e) => e.severity === 'error');
  if (errors.length) fail(`${file}: solc: ${errors.map((e) => e.formattedMessage).join('\n')}`);
  const contracts = out.contracts[path.basename(file)];
  const name = Object.keys(contracts)[0];
  const c = contracts[name];
  const selectorKey = Object.keys(c.evm.methodIdentifiers).find((k) => k.startsWith('verifyProof('));
  if (!selectorKey) fail(`${file}: no verifyProof`);
  return { name, bytecode: c.evm.bytecode.object, selector: c.evm.methodIdentifiers[selectorKey], signature: selectorKey };
}

function words(calldataText) {
  return calldataText.replace(/["[\]\s]/g, '').split(',').filter((s) => s.length).map((s) => BigInt(s));
}

function encode(selector, ws) {
  return '0x' + selector + ws.map((w) => (w % (1n << 256n)).toString(16).padStart(64, '0')).join('');
}

function intrinsicGas(hex) {
  let g = 21000n;
  for (let i = 2; i < hex.length; i += 2) g += hex.slice(i, i + 2) === '00' ? 4n : 16n;
  return g;
}

async function main(argv) {
  const sep = argv.indexOf('--');
  if (sep < 3 || sep !== argv.length - 2) fail('usage: node run_verifier.js NPM_DIR OUT.json CONTRACT.sol... -- CALLDATA.txt');
  const [npmDir, outFile] = argv;
  const contractsFiles = argv.slice(2, sep);
  const calldataFile = argv[sep + 1];
  const solc = require(path.join(npmDir, 'node_modules', 'solc'));
  const { createEVM } = require(path.join(npmDir, 'node_modules', '@ethereumjs', 'evm'));
  const { hexToBytes, bytesToHex } = require(path.join(npmDir, 'node_modules', '@ethereumjs', 'util'));
  const evm = await createEVM({ allowUnlimitedContractSize: true, allowUnlimitedInitCodeSize: true });
  const base = words(fs.readFileSync(calldataFile, 'utf8'));
  if (base.length < 9) fail(`${calldataFile}: fewer than 9 words`);
  const nPublic = base.length - 8;

  // Each case: the words to send and whether a verifier may accept them.
  const cases = [
    { name: 'valid', ws: base, accept: true },
    { name: 'A negated (another point on the curve)', ws: base.map((w, i) => (i === 1 ? Q - w : w)), accept: false },
    { name: 'C replaced by A', ws: base.map((w, i) => (i === 6 ? base[0] : i === 7 ? base[1] : w)), accept: false },
    { name: 'B coordinates swapped', ws: base.map((w, i) => (i === 2 ? base[3] : i === 3 ? base[2] : w)), accept: false },
    { name: 'public input 0 plus one', ws: base.map((w, i) => (i === 8 ? (w + 1n) % R : w)), accept: false },
    { name: `public input ${nPublic - 1} plus one`, ws: base.map((w, i) => (i === base.length - 1 ? (w + 1n) % R : w)), accept: false },
    { name: 'public input 0 plus r (>= r, same residue)', ws: base.map((w, i) => (i === 8 ? w + R : w)), accept: false },
    { name: 'A.y plus q (>= q, same residue)', ws: base.map((w, i) => (i === 1 ? w + Q : w)), accept: false },
    // Solidity's ABI decoder ignores trailing call data: snarkjs's verifier
    // accepts it (the same proof of the same statement); zkacc's refuses.
    { name: 'one input word too many', ws: [...base, 0n], accept: false, zkacc_only: true },
    { name: 'one input word too few', ws: base.slice(0, -1), accept: false },
  ];

  const report = { public_inputs: nPublic, contracts: [] };
  let bad = 0;
  for (const [index, file] of contractsFiles.entries()) {
    const c = compile(solc, file);
    const deployed = await evm.runCall({ data: hexToBytes('0x' + c.bytecode), gasLimit: 0xffffffffn });
    if (deployed.execResult.exceptionError || !deployed.createdAddress) fail(`${file}: deployment failed: ${deployed.execResult.exceptionError && deployed.execResult.exceptionError.error}`);
    const code = await evm.stateManager.getCode(deployed.createdAddress);
    const entry = { file: path.basename(file), contract: c.name, signature: c.signature, code_bytes: code.length, cases: [] };
    for (const k of cases) {
      const data = encode(c.selector, k.ws);
      const res = await evm.runCall({ to: deployed.createdAddress, data: hexToBytes(data), gasLimit: 30000000n });
      let result;
      if (res.execResult.exceptionError) result = 'revert';
      else {
        const rv = bytesToHex(res.execResult.returnValue);
        result = BigInt(rv) === 1n ? true : BigInt(rv) === 0n ? false : `returned ${rv}`;
      }
      const gas = res.execResult.executionGasUsed;
      const checked = index === 0 || !k.zkacc_only;
      const ok = !checked || (k.accept ? result === true : result !== true);
      if (!ok) bad++;
      entry.cases.push({ case: k.name, result, expected: k.accept ? 'true' : 'false or revert', ok,
                         execution_gas: Number(gas), transaction_gas: Number(gas + intrinsicGas(data)) });
      console.log(`${!checked ? 'info' : ok ? 'ok  ' : 'FAIL'} ${path.basename(file)}: ${k.name}: ${result} (execution gas ${gas}, transaction ${gas + intrinsicGas(data)})`);
    }
    report.contracts.push(entry);
  }
  fs.writeFileSync(outFile, JSON.stringify(report, null, 1) + '\n');
  if (bad) fail(`${bad} case(s) wrong`);
}

main(process.argv.slice(2)).catch((e) => fail(e.stack || String(e)));
