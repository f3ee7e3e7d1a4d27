#!/usr/bin/env node
// Deploys the model's verifier and FootwearGate into an in-process EVM
// (@ethereumjs/evm, solc: the pinned packages of tests/evm/install_evm.sh)
// and submits proofs to FootwearGate.list:
//   - the footwear image's proof: listed (label, logit, gas printed);
//   - the same proof again: refused (already listed);
//   - the same proof with another image commitment: refused (invalid proof);
//   - a valid proof of a non-footwear image: refused (not footwear).
// Exits 1 if any of these goes otherwise.
//
//   node run.js NPM_DIR Verifier.sol FootwearGate.sol FOOTWEAR_CALLDATA.txt OTHER_CALLDATA.txt
'use strict';
const fs = require('fs');
const path = require('path');

const LABELS = ['T-shirt/top', 'trouser', 'pullover', 'dress', 'coat', 'sandal', 'shirt', 'sneaker', 'bag', 'ankle boot'];

function fail(msg) {
  process.stderr.write(`run.js: ${msg}\n`);
  process.exit(1);
}

function words(text) {
  return text.replace(/["[\]\s]/g, '').split(',').filter((s) => s.length).map((s) => BigInt(s));
}

function word(v) {
  return (BigInt.asUintN(256, v)).toString(16).padStart(64, '0');
}

function intrinsicGas(hex) {
  let g = 21000n;
  for (let i = 2; i < hex.length; i += 2) g += hex.slice(i, i + 2) === '00' ? 4n : 16n;
  return g;
}

async function main(argv) {
  if (argv.length !== 5) fail('usage: node run.js NPM_DIR Verifier.sol FootwearGate.sol FOOTWEAR_CALLDATA.txt OTHER_CALLDATA.txt');
  const [npmDir, verifierFile, gateFile, footwearFile, otherFile] = argv;
  const solc = require(path.join(npmDir, 'node_modules', 'solc'));
  const { createEVM } = require(path.join(npmDir, 'node_modules', '@ethereumjs', 'evm'));
  const { hexToBytes, bytesToHex } = require(path.join(npmDir, 'node_modules', '@ethereumjs', 'util'));

  const sources = {};
  for (const f of [verifierFile, gateFile]) sources[path.basename(f)] = { content: fs.readFileSync(f, 'utf8') };
  const out = JSON.parse(solc.compile(JSON.stringify({
    language: 'Solidity', sources,
    settings: { optimizer: { enabled: true, runs: 200 },
                outputSelection: { '*': { '*': ['evm.bytecode.object', 'evm.methodIdentifiers'] } } },
  })));
  const errors = (out.errors || []).filter((e) => e.severity === 'error');
  if (errors.length) fail(`solc: ${errors.map((e) => e.formattedMessage).join('\n')}`);
  const pick = (file, name) => {
    const cs = out.contracts[path.basename(file)];
    const key = name || Object.keys(cs).find((k) => cs[k].evm.bytecode.object.length > 0);
    return cs[key];
  };
  const verifier = pick(verifierFile);
  const gate = pick(gateFile, 'FootwearGate');

  const evm = await createEVM();
  const deploy = async (bytecodeHex, what) => {
    const r = await evm.runCall({ data: hexToBytes('0x' + bytecodeHex), gasLimit: 30000000n });
    if (r.execResult.exceptionError || !r.createdAddress) fail(`deploying ${what} failed`);
    return r.createdAddress;
  };
  const verifierAddr = await deploy(verifier.evm.bytecode.object, 'the verifier');
  const gateAddr = await deploy(gate.evm.bytecode.object + word(BigInt(verifierAddr.toString())), 'FootwearGate');
  const codeBytes = (await evm.stateManager.getCode(verifierAddr)).length;

  const listSel = gate.evm.methodIdentifiers['list(uint256[2],uint256[2][2],uint256[2],uint256[11])'];
  // A revert's Error(string): selector 08c379a0, offset, length, bytes.
  const revertReason = (hex) => {
    if (!hex.startsWith('0x08c379a0') || hex.length < 10 + 128) return null;
    const len = Number(BigInt('0x' + hex.slice(74, 138)));
    return Buffer.from(hex.slice(138, 138 + 2 * len), 'hex').toString('utf8');
  };
  const call = async (ws) => {
    const data = '0x' + listSel + ws.map(word).join('');
    const r = await evm.runCall({ to: gateAddr, data: hexToBytes(data), gasLimit: 30000000n });
    const gas = r.execResult.executionGasUsed + intrinsicGas(data);
    if (r.execResult.exceptionError) {
      const reason = revertReason(bytesToHex(r.execResult.returnValue)) || r.execResult.exceptionError.error;
      return { ok: false, reason, gas };
    }
    return { ok: true, label: Number(BigInt(bytesToHex(r.execResult.returnValue))), gas, logs: r.execResult.logs };
  };

  const footwear = words(fs.readFileSync(footwearFile, 'utf8'));
  const other = words(fs.readFileSync(otherFile, 'utf8'));
  if (footwear.length !== 19 || other.length !== 19) fail('expected call data of 8 proof words and 11 public signals');
  let bad = 0;
  const expect = (cond, msg) => { console.log(`${cond ? 'ok  ' : 'FAIL'} ${msg}`); if (!cond) bad++; };

  const listed = await call(footwear);
  expect(listed.ok && [5, 7, 9].includes(listed.label),
         `footwear image listed: ${listed.ok ? `label ${listed.label} (${LABELS[listed.label]})` : `refused: ${listed.reason}`}, ` +
         `${listed.gas.toLocaleString('en-US')} gas for the transaction (the verifier's code: ${codeBytes.toLocaleString('en-US')} bytes)`);
  if (listed.ok) console.log(`     image commitment ${footwear[18]} recorded by the Listed event (${listed.logs.length} log)`);
  const again = await call(footwear);
  expect(!again.ok && /already listed/.test(again.reason), `the same proof again: ${again.ok ? 'accepted' : `refused (${again.reason})`}`);
  const swapped = footwear.map((w, i) => (i === 18 ? w + 1n : w));
  const forged = await call(swapped);
  expect(!forged.ok && /invalid proof/.test(forged.reason),
         `the proof with another image commitment: ${forged.ok ? 'accepted' : `refused (${forged.reason})`}`);
  const shirt = await call(other);
  expect(!shirt.ok && /not footwear/.test(shirt.reason),
         `a valid proof of a non-footwear image: ${shirt.ok ? 'accepted' : `refused (${shirt.reason})`}`);
  if (bad) fail(`${bad} check(s) failed`);
}

main(process.argv.slice(2)).catch((e) => fail(e.stack || String(e)));
