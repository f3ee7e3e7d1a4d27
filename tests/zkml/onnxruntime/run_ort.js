#!/usr/bin/env node
// Runs an ONNX model in float32 with onnxruntime-node, the reference runtime
// that zkacc's quantized outputs are compared against.
//
//   node run_ort.js ORT_DIR MODEL.onnx INPUT.json OUTPUT.json
//
// ORT_DIR      the directory install_ort.sh prints (or its node_modules)
// INPUT.json   {"input": [floats], ...}: the flat input (a list nested in
//              lists, as in models/inputs/*.json, is flattened); other keys
//              are ignored. Or a list of inputs (each such an object or a
//              list of numbers): the model runs on each
// OUTPUT.json  written as {"output": [floats], "shape": [...],
//              "runtime": "onnxruntime-node <version>"} for the model's first
//              output; for a list, "outputs": [[floats], ...] instead of
//              "output"
//
// The model must have exactly one float32 input (or int64/int32 token ids). Its shape comes from the
// model; symbolic or unknown dimensions are taken as 1 (batch 1). Any error
// prints one line naming the file and the problem to stderr and exits 1.
'use strict';

const fs = require('fs');
const path = require('path');

class Fail extends Error {}
function fail(file, msg) {
  throw new Fail(file ? `${file}: ${msg}` : msg);
}
function oneLine(e) {
  return String((e && e.message) || e).replace(/\s*\n\s*/g, ' ').trim();
}

function loadOrt(dir) {
  const candidates = [
    path.join(dir, 'node_modules', 'onnxruntime-node'),
    path.join(dir, 'onnxruntime-node'),
  ];
  const pkgDir = candidates.find((d) => fs.existsSync(path.join(d, 'package.json')));
  if (!pkgDir) fail(dir, 'no onnxruntime-node here (run tests/zkml/onnxruntime/install_ort.sh)');
  let ort, version;
  try {
    version = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8')).version;
    ort = require(pkgDir);
  } catch (e) {
    fail(pkgDir, `cannot load onnxruntime-node: ${oneLine(e)}`);
  }
  return { ort, version };
}

function readInput(file) {
  let text, json;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    fail(file, e.code === 'ENOENT' ? 'no such file' : `cannot read: ${e.code || oneLine(e)}`);
  }
  try {
    json = JSON.parse(text);
  } catch (e) {
    fail(file, `bad JSON: ${oneLine(e)}`);
  }
  const one = (item, where) => {
    const list = Array.isArray(item) ? item : item !== null && typeof item === 'object' ? item.input : undefined;
    if (!Array.isArray(list)) fail(file, `${where}no "input" list`);
    const flat = list.flat(Infinity);
    flat.forEach((v, i) => {
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        fail(file, `${where}"input" value ${i} is not a finite number (${JSON.stringify(v)})`);
      }
    });
    return flat;
  };
  if (Array.isArray(json)) {
    if (json.length === 0) fail(file, 'the list of inputs is empty');
    return { inputs: json.map((item, k) => one(item, `input ${k}: `)), list: true };
  }
  return { inputs: [one(json, '')], list: false };
}

async function main(argv) {
  if (argv.length !== 4) {
    fail('', 'usage: node run_ort.js ORT_DIR MODEL.onnx INPUT.json OUTPUT.json');
  }
  const [ortDir, modelFile, inputFile, outputFile] = argv;
  const { ort, version } = loadOrt(ortDir);
  if (!fs.existsSync(modelFile)) fail(modelFile, 'no such file');
  const { inputs, list } = readInput(inputFile);

  let session;
  try {
    session = await ort.InferenceSession.create(modelFile, {
      executionProviders: ['cpu'],
      intraOpNumThreads: 1,
      interOpNumThreads: 1,
      logSeverityLevel: 3,
    });
  } catch (e) {
    fail(modelFile, `onnxruntime cannot load the model: ${oneLine(e)}`);
  }

  if (session.inputNames.length !== 1) {
    fail(modelFile, `expected exactly one input, the model has ${session.inputNames.length} (${session.inputNames.join(', ')})`);
  }
  const meta = session.inputMetadata[0];
  if (!meta.isTensor || !['float32', 'int64', 'int32'].includes(meta.type)) {
    fail(modelFile, `input "${meta.name}" is not a float32, int64 or int32 tensor (${meta.isTensor ? meta.type : 'non-tensor'})`);
  }
  const dims = meta.shape.map((d) => (typeof d === 'number' && d > 0 ? d : 1));
  const size = dims.reduce((a, b) => a * b, 1);
  const outputs = [];
  let shape;
  for (const [k, input] of inputs.entries()) {
    const where = list ? `input ${k}: ` : '';
    if (meta.type !== 'float32' && !input.every(Number.isInteger)) fail(inputFile, `${where}"input" has a non-integer for an ${meta.type} input`);
    if (input.length !== size) {
      fail(inputFile, `${where}"input" has ${input.length} values, model input "${meta.name}" of shape [${dims}] needs ${size}`);
    }
    let result;
    try {
      const data = meta.type === 'int64' ? BigInt64Array.from(input, BigInt)
        : meta.type === 'int32' ? Int32Array.from(input) : Float32Array.from(input);
      const feeds = { [meta.name]: new ort.Tensor(meta.type, data, dims) };
      result = await session.run(feeds);
    } catch (e) {
      fail(modelFile, `${where}onnxruntime failed to run the model: ${oneLine(e)}`);
    }
    const outName = session.outputNames[0];
    const out = result[outName];
    if (typeof out.data === 'string' || !out.data || typeof out.data.length !== 'number') {
      fail(modelFile, `output "${outName}" is not a numeric tensor (${out.type})`);
    }
    const values = Array.from(out.data, Number);
    if (!values.every(Number.isFinite)) {
      fail(modelFile, `${where}output "${outName}" has non-finite values`);
    }
    outputs.push(values);
    shape = Array.from(out.dims, Number);
  }

  const doc = list ? { outputs, shape, runtime: `onnxruntime-node ${version}` }
    : { output: outputs[0], shape, runtime: `onnxruntime-node ${version}` };
  try {
    fs.writeFileSync(outputFile, JSON.stringify(doc) + '\n');
  } catch (e) {
    fail(outputFile, `cannot write: ${e.code === 'ENOENT' ? 'no such directory' : e.code || oneLine(e)}`);
  }
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (e) => {
    process.stderr.write(`run_ort.js: ${e instanceof Fail ? e.message : oneLine(e)}\n`);
    process.exit(1);
  },
);
