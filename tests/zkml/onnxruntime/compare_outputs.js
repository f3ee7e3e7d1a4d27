#!/usr/bin/env node
// Compares zkacc's dequantized output (output.json of `zkacc witness`) with
// onnxruntime's (run_ort.js) and fails if any value differs by more than the
// bound. When zkacc dropped a final Softmax or LogSoftmax (it proves the
// logits), its logits are put through that op first, so both sides are the
// ONNX output.
//
//   node compare_outputs.js zkacc_output.json ort.json BOUND NAME
//
// BOUND is absolute, or "rel:R": R·max(1, max |onnxruntime output|).
'use strict';
const fs = require('fs');
const [zkFile, ortFile, boundText, name] = process.argv.slice(2);
const zk = JSON.parse(fs.readFileSync(zkFile, 'utf8'));
const ort = JSON.parse(fs.readFileSync(ortFile, 'utf8'));
const relative = boundText.startsWith('rel:');
let ours = zk.output.map(Number);
if (zk.dropped_head === 'Softmax' || zk.dropped_head === 'LogSoftmax') {
  const m = Math.max(...ours);
  const lse = m + Math.log(ours.reduce((a, v) => a + Math.exp(v - m), 0));
  ours = ours.map((v) => (zk.dropped_head === 'Softmax' ? Math.exp(v - lse) : v - lse));
}
const theirs = ort.output.map(Number);
const bound = relative ? Number(boundText.slice(4)) * Math.max(1, ...theirs.map(Math.abs)) : Number(boundText);
if (ours.length !== theirs.length) {
  console.error(`FAIL ${name}: zkacc has ${ours.length} outputs, onnxruntime ${theirs.length}`);
  process.exit(1);
}
let worst = 0, at = 0;
ours.forEach((v, i) => {
  const d = Math.abs(v - theirs[i]);
  if (d > worst) { worst = d; at = i; }
});
const line = `${name}: max |zkacc - onnxruntime| = ${worst.toExponential(3)} at output ${at} (bound ${bound.toPrecision(3)})`;
if (!(worst <= bound)) {
  console.error(`FAIL ${line}`);
  process.exit(1);
}
console.log(`ok   ${line}`);
