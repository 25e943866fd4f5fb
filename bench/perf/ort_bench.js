#!/usr/bin/env node
// ONNX Runtime contender of the inference-speed benchmark (bench/perf/run.sh runs it), with the
// npm package onnxruntime-node (its CPU execution provider) installed in bench/perf/node_modules.
//
//   node ort_bench.js run --model MODEL.onnx --ids IDS.txt --batch B --threads N [--probs-out F]
//   node ort_bench.js first-result --model MODEL.onnx --labels LABELS.txt   (ids on stdin)
//
// MODEL.onnx comes from export_onnx.py: inputs ids int64 [batch, seq] and lengths int64 [batch],
// output probs float32 [batch, labels]. The session uses intraOpNumThreads N, interOpNumThreads 1,
// sequential execution, all graph optimisations.
//
// `run` does what torch_bench.py run does: the ids of IDS.txt (`textclf tokenize --ids` output,
// one document per line) are parsed into one BigInt64Array before the clock starts and one
// warm-up call is made; timed: --batch 1 runs each document alone ([1, T], no padding; each call
// (tensor creation, session.run, copy out) is timed for the latency percentiles); --batch B > 1
// sorts the documents by length (stable), cuts batches of B padded to their longest document, and
// puts the probabilities back in input order. Both end with the argmax label of every document.
// Prints one JSON object on stdout (docs, tokens, padded_tokens, seconds, docs_per_s,
// tokens_per_s, latency_us for batch 1); --probs-out writes the probabilities as raw
// little-endian float32 [docs, labels] in input order (for the parity check).
//
// `first-result` is the whole-process start-up measurement: require onnxruntime-node, create the
// session, read one line of token ids from stdin, classify it, print "label<TAB>probability".
'use strict';
const fs = require('fs');
const path = require('path');
const ort = require(path.join(__dirname, 'node_modules', 'onnxruntime-node'));

function parseArgs(argv) {
  const a = { cmd: argv[0], batch: 1, threads: 1 };
  for (let i = 1; i < argv.length; i += 2) {
    const k = argv[i].replace(/^--/, '').replace(/-(.)/g, (_, c) => c.toUpperCase());
    if (i + 1 >= argv.length) throw new Error(`missing value for ${argv[i]}`);
    a[k] = argv[i + 1];
  }
  a.batch = Number(a.batch);
  a.threads = Number(a.threads);
  return a;
}

function sessionOptions(threads) {
  return { intraOpNumThreads: threads, interOpNumThreads: 1, executionMode: 'sequential',
           graphOptimizationLevel: 'all' };
}

// Documents of an ids file as one flat BigInt64Array plus offsets and lengths.
function readIds(file) {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  const lens = new Int32Array(lines.length);
  const offs = new Int32Array(lines.length);
  const toks = [];
  lines.forEach((line, i) => {
    const t = line.trim() === '' ? [] : line.trim().split(/ +/);
    offs[i] = toks.length;
    lens[i] = t.length;
    for (const x of t) toks.push(BigInt(x));
  });
  return { flat: BigInt64Array.from(toks), offs, lens };
}

function percentile(sorted, q) {   // nearest rank, as torch_bench.py
  return sorted[Math.max(0, Math.ceil((q / 100) * sorted.length) - 1)];
}

async function run(a) {
  const session = await ort.InferenceSession.create(a.model, sessionOptions(a.threads));
  const { flat, offs, lens } = readIds(a.ids);
  const n = lens.length;
  if (n === 0) throw new Error('no documents');
  let C = 0;
  const lat = [];
  let padded = 0;

  // Runs documents idx (ascending length when B > 1) as one padded batch; returns probs data.
  async function runBatch(idx) {
    let T = 1;
    for (const i of idx) T = Math.max(T, lens[i]);
    const ids = new BigInt64Array(idx.length * T);   // zero-filled: padding id 0
    const lengths = new BigInt64Array(idx.length);
    idx.forEach((i, r) => {
      ids.set(flat.subarray(offs[i], offs[i] + lens[i]), r * T);
      lengths[r] = BigInt(lens[i]);
    });
    const out = await session.run({
      ids: new ort.Tensor('int64', ids, [idx.length, T]),
      lengths: new ort.Tensor('int64', lengths, [idx.length]),
    });
    padded += ids.length;
    return out.probs;
  }

  const warm = await runBatch(a.batch === 1 ? [0] : Array.from({ length: Math.min(n, a.batch) }, (_, i) => i));
  C = warm.dims[1];
  padded = 0;
  const probs = new Float32Array(n * C);
  const t0 = process.hrtime.bigint();
  if (a.batch === 1) {
    for (let i = 0; i < n; i++) {
      const c0 = process.hrtime.bigint();
      const p = await runBatch([i]);
      probs.set(p.data, i * C);
      lat.push(Number(process.hrtime.bigint() - c0) / 1e3);
    }
  } else {
    const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => lens[x] - lens[y] || x - y);
    for (let s = 0; s < n; s += a.batch) {
      const idx = order.slice(s, s + a.batch);
      const p = (await runBatch(idx)).data;
      idx.forEach((i, r) => probs.set(p.subarray(r * C, (r + 1) * C), i * C));
    }
  }
  const predicted = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < C; c++) if (probs[i * C + c] > probs[i * C + best]) best = c;
    predicted[i] = best;
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  let tokens = 0;
  for (let i = 0; i < n; i++) tokens += lens[i];
  const res = { contender: 'ort', batch: a.batch, threads: a.threads, docs: n, tokens,
                padded_tokens: padded, seconds, docs_per_s: n / seconds,
                tokens_per_s: tokens / seconds, onnxruntime: ort.env.versions.node };
  if (lat.length) {
    lat.sort((x, y) => x - y);
    res.latency_us = { p50: percentile(lat, 50), p99: percentile(lat, 99),
                       mean: lat.reduce((s, x) => s + x, 0) / lat.length, calls: lat.length };
  }
  if (a.probsOut) fs.writeFileSync(a.probsOut, Buffer.from(probs.buffer));
  process.stdout.write(JSON.stringify(res) + '\n');
}

async function firstResult(a) {
  const labels = fs.readFileSync(a.labels, 'utf8').split('\n').filter((x) => x !== '');
  const session = await ort.InferenceSession.create(a.model, sessionOptions(a.threads));
  const line = await new Promise((resolve) => {
    let buf = '';
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (d) => {
      buf += d;
      const nl = buf.indexOf('\n');
      if (nl >= 0) { process.stdin.pause(); resolve(buf.slice(0, nl)); }
    });
    process.stdin.on('end', () => resolve(buf));
  });
  const t = line.trim() === '' ? [] : line.trim().split(/ +/).map(BigInt);
  const ids = t.length ? BigInt64Array.from(t) : new BigInt64Array(1);
  const out = await session.run({
    ids: new ort.Tensor('int64', ids, [1, ids.length]),
    lengths: new ort.Tensor('int64', BigInt64Array.from([BigInt(t.length)]), [1]),
  });
  const p = out.probs.data;
  let k = 0;
  for (let c = 1; c < p.length; c++) if (p[c] > p[k]) k = c;
  process.stdout.write(`${labels[k]}\t${p[k].toFixed(6)}\n`);
  process.exit(0);
}

const a = parseArgs(process.argv.slice(2));
(a.cmd === 'run' ? run(a) : a.cmd === 'first-result' ? firstResult(a)
  : Promise.reject(new Error('usage: ort_bench.js run|first-result ...')))
  .catch((e) => { process.stderr.write(`ort_bench.js: ${e.message}\n`); process.exit(1); });
