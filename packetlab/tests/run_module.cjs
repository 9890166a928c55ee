// Runs the packet lab's WebAssembly module in Node through the page's own
// glue (src/assets/lab/lab.js), for packetlab/tests/wasm.rs:
//
//   node run_module.cjs <module.wasm> <lab.js> <fragments.txt> <out dir>
//
// For the i-th line of fragments.txt it writes <out>/<i>.<output> for every
// output of the run (status, fragment, table, mermaid, ladder, timeline,
// pcap, segments, error), and prints the slowest run's time.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const [wasmPath, glue, list, out] = process.argv.slice(2);
const { load } = require(path.resolve(glue));
(async () => {
  const lab = await load(fs.readFileSync(wasmPath));
  const fragments = fs.readFileSync(list, 'utf8').split('\n').filter((l) => l.length > 0);
  let slowest = 0;
  fragments.forEach((fragment, i) => {
    const started = performance.now();
    const r = lab.run(fragment);
    slowest = Math.max(slowest, performance.now() - started);
    const write = (name, data) => fs.writeFileSync(path.join(out, `${i}.${name}`), data);
    write('status', String(r.status));
    write('error', r.error);
    if (r.status === 1) return;
    for (const name of ['fragment', 'table', 'mermaid', 'ladder', 'timeline']) write(name, r[name]);
    write('pcap', r.pcap);
    write('segments', JSON.stringify(r.segments));
  });
  console.log(`${fragments.length} runs, slowest ${slowest.toFixed(2)} ms`);
})().catch((e) => { console.error(e); process.exit(1); });
