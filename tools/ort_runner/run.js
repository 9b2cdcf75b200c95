// Runs an ONNX model in ONNX Runtime (CPU) on tensors stored in the ONNX test-data
// layout and writes the outputs the same way.
//
//   node run.js MODEL.onnx DIR [--outputs a,b] [--threads N] [--repeat N]
//
// Reads DIR/input_<i>.pb (TensorProto, raw_data) for the model's inputs in order, writes
// DIR/output_<k>.pb for the requested outputs (default: all graph outputs), then prints
// one JSON line: {"outputs": [...names], "load_ms": .., "run_ms": ..}. With --repeat N the
// first run is a warm-up and N more are timed: "run_ms" is their median, "runs_ms" all of
// them (scripts/bench.sh). Errors go to stderr with exit code 1; exit code 2 means the run
// ended before it finished.
'use strict';
const fs = require('fs');
const path = require('path');
const ort = require('onnxruntime-node');

// ONNX TensorProto.DataType -> [ORT type name, TypedArray]
const TYPES = {
  1: ['float32', Float32Array], 2: ['uint8', Uint8Array], 3: ['int8', Int8Array],
  5: ['int16', Int16Array], 6: ['int32', Int32Array], 7: ['int64', BigInt64Array],
  9: ['bool', Uint8Array], 10: ['float16', Uint16Array], 11: ['float64', Float64Array],
};
const ONNX_TYPE_OF = Object.fromEntries(Object.entries(TYPES).map(([k, v]) => [v[0], Number(k)]));

function readVarint(buf, pos) {
  let result = 0n, shift = 0n, b;
  do {
    b = buf[pos++];
    result |= BigInt(b & 0x7f) << shift;
    shift += 7n;
  } while (b & 0x80);
  return [result, pos];
}

function decodeTensor(buf) {
  const dims = [];
  let dataType = 0, raw = Buffer.alloc(0), name = '';
  let pos = 0;
  while (pos < buf.length) {
    let key;
    [key, pos] = readVarint(buf, pos);
    const field = Number(key >> 3n), wire = Number(key & 7n);
    if (wire === 0) {
      let v;
      [v, pos] = readVarint(buf, pos);
      if (field === 1) dims.push(Number(BigInt.asIntN(64, v)));
      else if (field === 2) dataType = Number(v);
    } else if (wire === 2) {
      let len;
      [len, pos] = readVarint(buf, pos);
      const end = pos + Number(len);
      const bytes = buf.subarray(pos, end);
      if (field === 1) {  // packed dims
        let p = 0;
        while (p < bytes.length) { let v; [v, p] = readVarint(bytes, p); dims.push(Number(BigInt.asIntN(64, v))); }
      } else if (field === 8) name = bytes.toString('utf8');
      else if (field === 9) raw = bytes;
      pos = end;
    } else if (wire === 5) pos += 4;
    else if (wire === 1) pos += 8;
    else throw new Error(`unsupported protobuf wire type ${wire}`);
  }
  const type = TYPES[dataType];
  if (!type) throw new Error(`unsupported tensor data type ${dataType}`);
  const [typeName, Arr] = type;
  const copy = Buffer.from(raw);  // aligned copy
  const data = new Arr(copy.buffer, copy.byteOffset, copy.length / Arr.BYTES_PER_ELEMENT);
  return { name, tensor: new ort.Tensor(typeName, typeName === 'bool' ? Uint8Array.from(data).map(x => x ? 1 : 0) : data, dims) };
}

function varint(n) {
  let v = BigInt.asUintN(64, BigInt(n));
  const out = [];
  while (v >= 0x80n) { out.push(Number((v & 0x7fn) | 0x80n)); v >>= 7n; }
  out.push(Number(v));
  return Buffer.from(out);
}

function encodeTensor(name, tensor) {
  const parts = [];
  const dimsBuf = Buffer.concat(tensor.dims.map(d => varint(d)));
  parts.push(varint((1 << 3) | 2), varint(dimsBuf.length), dimsBuf);
  const onnxType = ONNX_TYPE_OF[tensor.type];
  if (!onnxType) throw new Error(`output '${name}' has unsupported type ${tensor.type}`);
  parts.push(varint(2 << 3), varint(onnxType));
  const nameBuf = Buffer.from(name, 'utf8');
  parts.push(varint((8 << 3) | 2), varint(nameBuf.length), nameBuf);
  const d = tensor.data;
  const raw = Buffer.from(d.buffer, d.byteOffset, d.byteLength);
  parts.push(varint((9 << 3) | 2), varint(raw.length), raw);
  return Buffer.concat(parts);
}

async function main() {
  const args = process.argv.slice(2);
  if (args.length < 2) throw new Error('usage: node run.js MODEL.onnx DIR [--outputs a,b] [--threads N]');
  const [modelPath, dir] = args;
  let wanted = null, threads = 0, repeat = 0;
  for (let i = 2; i < args.length; i++) {
    if (args[i] === '--outputs') wanted = args[++i].split(',').filter(Boolean);
    else if (args[i] === '--threads') threads = Number(args[++i]);
    else if (args[i] === '--repeat') repeat = Number(args[++i]);
    else throw new Error(`unknown argument '${args[i]}'`);
  }
  const options = { executionProviders: ['cpu'], graphOptimizationLevel: 'all', logSeverityLevel: 3 };
  if (threads > 0) options.intraOpNumThreads = threads;
  const t0 = Date.now();
  const session = await ort.InferenceSession.create(path.resolve(modelPath), options);
  const t1 = Date.now();
  const feeds = {};
  session.inputNames.forEach((name, i) => {
    const file = path.join(dir, `input_${i}.pb`);
    if (!fs.existsSync(file)) throw new Error(`missing ${file} for model input '${name}'`);
    feeds[name] = decodeTensor(fs.readFileSync(file)).tensor;
  });
  const outputNames = wanted || session.outputNames;
  const results = await session.run(feeds, outputNames);
  const t2 = Date.now();
  outputNames.forEach((name, k) => {
    fs.writeFileSync(path.join(dir, `output_${k}.pb`), encodeTensor(name, results[name]));
  });
  const report = { outputs: outputNames, load_ms: t1 - t0, run_ms: t2 - t1 };
  if (repeat > 0) {
    const runs = [];
    for (let r = 0; r < repeat; r++) {
      const start = process.hrtime.bigint();
      await session.run(feeds, outputNames);
      runs.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    const sorted = [...runs].sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    report.run_ms = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    report.runs_ms = runs;
  }
  process.stdout.write(JSON.stringify(report) + '\n');
}

// Node exits with 0 when its event loop empties while a promise is pending (seen, rarely,
// under load, with ONNX Runtime's native session): exit code 2 unless main() finished.
process.exitCode = 2;
main().then(() => { process.exitCode = 0; }).catch(err => {
  process.stderr.write(String(err && err.message ? err.message : err).split('\n')[0] + '\n');
  process.exit(1);
});
