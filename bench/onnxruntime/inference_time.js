#!/usr/bin/env node
// The float inference time of ONNX models in onnxruntime-node (CPU, one
// thread, batch 1): the other denominator of the proof overhead that
// `zkacc bench --ops cost` reports against zkacc's own float evaluator.
// Each model runs on a zero input for at least MIN_MS after a warm-up;
// prints the median of 5 timed batches, in milliseconds per inference.
//
//   node inference_time.js ORT_DIR MIN_MS MODEL.onnx...
//
// ORT_DIR: the directory tests/zkml/onnxruntime/install_ort.sh prints.
'use strict';
const path = require('path');

async function main([ortDir, minMsText, ...models]) {
  if (!ortDir || !models.length) throw new Error('usage: node inference_time.js ORT_DIR MIN_MS MODEL.onnx...');
  const ort = require(path.join(ortDir, 'node_modules', 'onnxruntime-node'));
  const minMs = Number(minMsText);
  for (const file of models) {
    const session = await ort.InferenceSession.create(file, { intraOpNumThreads: 1, interOpNumThreads: 1 });
    const meta = session.inputMetadata[0];
    const dims = meta.shape.map((d) => (typeof d === 'number' && d > 0 ? d : 1));
    const size = dims.reduce((a, b) => a * b, 1);
    const feeds = { [meta.name]: new ort.Tensor('float32', new Float32Array(size), dims) };
    for (let i = 0; i < 20; ++i) await session.run(feeds);  // warm-up
    let batch = 1;
    for (;;) {  // a batch takes at least a tenth of MIN_MS
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < batch; ++i) await session.run(feeds);
      if (Number(process.hrtime.bigint() - t0) / 1e6 >= minMs / 10) break;
      batch *= 2;
    }
    const perCall = [];
    const start = process.hrtime.bigint();
    while (perCall.length < 5 || Number(process.hrtime.bigint() - start) / 1e6 < minMs) {
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < batch; ++i) await session.run(feeds);
      perCall.push(Number(process.hrtime.bigint() - t0) / 1e6 / batch);
    }
    perCall.sort((a, b) => a - b);
    console.log(`${path.basename(file)}: ${perCall[Math.floor(perCall.length / 2)].toPrecision(3)} ms per inference (onnxruntime-node, 1 thread)`);
  }
}

main(process.argv.slice(2)).catch((e) => {
  console.error(`inference_time.js: ${e.message}`);
  process.exit(1);
});
