// The packet lab's widget in the browser (issue 13), a module of check.cjs:
//
//   - handshake.html: lose segment 2 (the SYN,ACK): the client stays in
//     SYN-SENT until the retransmitted SYN,ACK arrives about 1 s later;
//   - lose everything the server sends: the clean message that the client
//     retransmitted its SYN until the lab stopped the run;
//   - download the run's .pcap and parse it: one record per segment;
//   - the experiment's URL, opened on the packet-lab page, gives the same
//     table; a URL with a segment the run never reaches gives its message;
//   - the budget table: module and glue sizes (as served, and gzipped) and
//     the slowest run of the eight scenarios and of the longest experiment,
//     failing above budget;
//   - the Chinese edition's widget: Chinese buttons, a Chinese lead-in.
// Every predicate is first fed bad observations (self-test) and must fail.
//
// Standalone, for screenshots of the widget (light, navy, 390 px):
//   node lab.cjs <site dir> <chromium> <out dir>
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');

const BUDGET = { module: 200 * 1024, glue: 30 * 1024, runMs: 50 };
const WIDGET = '.lab-widget:not([hidden])';

// ---- predicates: observations in, problems out --------------------------------
function synAckLoss(o) {
  const p = [];
  if (!o.lostChip) p.push('segment 2 is not marked lost after a click');
  if (!/<td>client<\/td><td>SYN-SENT<\/td><td>0\.000<\/td><td>1\.100<\/td>/.test(o.timeline)) p.push(`the client is not in SYN-SENT from 0.000 until 1.100 s: ${o.timeline.slice(0, 300)}`);
  const again = o.segments.find((s) => s.n > 2 && s.from === 'server' && s.flags === 'SYN,ACK' && !s.lost);
  if (!again || Math.abs(again.ms - 1050) > 100) p.push(`no retransmitted SYN,ACK about 1 s later: ${JSON.stringify(o.segments)}`);
  return p;
}

function gaveUp(o) {
  return /^The run stopped early: The client retransmitted its SYN \d+ times \(sent at .*\) and it was never acknowledged\. .*The lab stops every run at \d+ s/.test(o.error) && o.status === '2'
    ? [] : [`no clean "never acknowledged" message with everything the server sends lost: status ${o.status}, ${JSON.stringify(o.error)}`];
}

function pcapProblems(buf, segments) {
  const p = [];
  if (buf.length < 24 || buf.readUInt32LE(0) !== 0xa1b2c3d4) return ['the download is not a pcap file (magic a1b2c3d4)'];
  if (buf.readUInt16LE(4) !== 2 || buf.readUInt16LE(6) !== 4) p.push('pcap version is not 2.4');
  if (buf.readUInt32LE(20) !== 101) p.push('pcap link type is not 101 (raw IP)');
  let at = 24;
  const records = [];
  while (at + 16 <= buf.length) {
    const secs = buf.readUInt32LE(at); const usecs = buf.readUInt32LE(at + 4);
    const incl = buf.readUInt32LE(at + 8); const orig = buf.readUInt32LE(at + 12);
    const packet = buf.subarray(at + 16, at + 16 + incl);
    if (incl !== orig || packet.length !== incl) { p.push(`record ${records.length + 1} is cut short`); break; }
    if (packet[0] >> 4 !== 4 || packet[9] !== 6) p.push(`record ${records.length + 1} is not IPv4 carrying TCP`);
    records.push({ ms: secs * 1000 + usecs / 1000, from: packet[15] === 1 ? 'client' : 'server' });
    at += 16 + incl;
  }
  if (at !== buf.length) p.push('trailing bytes after the last record');
  if (records.length !== segments.length) p.push(`${records.length} records for ${segments.length} segments`);
  records.forEach((r, i) => {
    const s = segments[i];
    if (s && (s.from !== r.from || Math.round(r.ms) !== s.ms)) p.push(`record ${i + 1}: ${r.from} at ${r.ms} ms, the table says ${s.from} at ${s.ms} ms`);
  });
  return p;
}

function budgetProblems(figures) {
  const p = [];
  if (figures.module > BUDGET.module) p.push(`the module is ${figures.module} bytes, over ${BUDGET.module}`);
  if (figures.glue > BUDGET.glue) p.push(`the glue is ${figures.glue} bytes, over ${BUDGET.glue}`);
  if (!(figures.runMs < BUDGET.runMs)) p.push(`a run took ${figures.runMs} ms, budget under ${BUDGET.runMs} ms`);
  return p;
}

function selfTest() {
  const caught = [
    synAckLoss({ lostChip: true, timeline: '<td>client</td><td>SYN-SENT</td><td>0.000</td><td>0.100</td>', segments: [] }).length > 0,
    synAckLoss({ lostChip: false, timeline: '', segments: [] }).length > 0,
    gaveUp({ status: '0', error: '' }).length > 0,
    gaveUp({ status: '2', error: 'The run stopped early: Nothing was left to happen' }).length > 0,
    pcapProblems(Buffer.from('not a pcap file, really not'), []).length > 0,
    budgetProblems({ module: 300 * 1024, glue: 1, runMs: 1 }).length > 0,
    budgetProblems({ module: 1, glue: 1, runMs: 80 }).length > 0,
  ];
  if (caught.includes(false)) throw new Error(`lab self-test: a bad observation passed (${caught})`);
  console.log(`lab self-test: ${caught.length} bad observations (state, message, pcap, budgets) are caught`);
}

// ---- the widget, driven ------------------------------------------------------------
async function open(browser, url, options = {}) {
  const context = await browser.newContext({ viewport: options.viewport || { width: 1280, height: 900 }, acceptDownloads: true });
  if (options.theme) await context.addInitScript((t) => localStorage.setItem('mdbook-theme', t), options.theme);
  const tab = await context.newPage();
  const errors = [];
  tab.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  tab.on('pageerror', (e) => errors.push(e.message));
  await tab.goto(url, { waitUntil: 'load' });
  await tab.waitForSelector(WIDGET, { timeout: 30000 });
  // A compact widget waits for the reader before it loads the module.
  const start = await tab.$(`${WIDGET} .lab-start`);
  if (start) await start.click();
  await tab.waitForSelector(`${WIDGET} .lab-run`, { timeout: 30000 });
  return { context, tab, errors };
}

const observe = (tab) => tab.evaluate((sel) => {
  const box = document.querySelector(sel);
  return {
    status: box.dataset.status,
    runMs: Number(box.dataset.runMsMax),
    error: box.querySelector('.lab-error').hidden ? '' : box.querySelector('.lab-error').textContent,
    timeline: box.querySelector('.lab-timeline-box').innerHTML,
    table: box.querySelector('.lab-table').textContent,
    segments: Array.from(box.querySelectorAll('.lab-chip')).map((c) => {
      const [n, arrow, flags] = c.textContent.split(' ');
      return { n: Number(n), from: arrow === 'C→S' ? 'client' : 'server', flags, lost: c.getAttribute('aria-pressed') === 'true', ms: Number(c.title.split(', ')[1].replace(' ms', '')) };
    }),
    lostChip: box.querySelector('.lab-chip[data-n="2"]')?.getAttribute('aria-pressed') === 'true',
    hash: location.hash,
  };
}, WIDGET);

async function check(browser, base, site) {
  const problems = [];
  const fail = (what, ps) => ps.forEach((p) => problems.push(`${what}: ${p}`));
  selfTest();

  const moduleFile = path.join(site, 'assets/lab/packetlab.wasm');
  if (!fs.existsSync(moduleFile)) {
    console.log('FAIL lab: no assets/lab/packetlab.wasm in the site (cargo xtask build makes it)');
    return false;
  }
  const module = fs.readFileSync(moduleFile);
  const glue = Buffer.concat(['lab.js', 'lab.css'].map((f) => fs.readFileSync(path.join(site, 'assets/lab', f))));
  const gz = (b) => zlib.gzipSync(b, { level: 9 }).length;

  // 1. The handshake with its SYN,ACK lost, by a click on segment 2.
  const a = await open(browser, base + 'tcp-udp/handshake.html');
  await a.tab.click(`${WIDGET} .lab-chip[data-n="2"]`);
  const lost = await observe(a.tab);
  fail('lose the SYN,ACK', synAckLoss(lost));
  console.log(`lab: SYN,ACK lost on handshake.html: ${lost.segments.length} segments, client SYN-SENT until 1.100 s: ${synAckLoss(lost).length ? 'FAIL' : 'ok'}`);

  // 2. The pcap of that run.
  const [download] = await Promise.all([a.tab.waitForEvent('download'), a.tab.click(`${WIDGET} .lab-pcap`)]);
  const pcap = fs.readFileSync(await download.path());
  fail('downloaded pcap', pcapProblems(pcap, lost.segments));
  console.log(`lab: downloaded ${download.suggestedFilename()}, ${pcap.length} bytes, ${lost.segments.length} records: ${pcapProblems(pcap, lost.segments).length ? 'FAIL' : 'ok'}`);

  // 3. Everything the server sends lost.
  await a.tab.check(`${WIDGET} input[name="all-server"]`);
  const gave = await observe(a.tab);
  fail('lose everything the server sends', gaveUp(gave));
  console.log(`lab: everything from the server lost: "${gave.error.slice(0, 90)}...": ${gaveUp(gave).length ? 'FAIL' : 'ok'}`);
  let slowest = Math.max(lost.runMs, gave.runMs);
  fail('handshake.html', a.errors);
  await a.context.close();

  // 4. The shared URL of the first experiment, opened on another page.
  const b = await open(browser, base + 'tcp-udp/packet-lab.html' + lost.hash);
  const shared = await observe(b.tab);
  if (shared.table !== lost.table || !lost.hash.includes('lose=2&')) problems.push(`the shared URL ${lost.hash} does not give the same table on packet-lab.html`);
  console.log(`lab: shared URL ${lost.hash} on packet-lab.html gives the same trace: ${shared.table === lost.table ? 'ok' : 'FAIL'}`);
  // Every scenario, chosen in the full form: the slowest run.
  const names = await b.tab.$$eval(`${WIDGET} select[name="scenario"] option`, (os) => os.map((o) => o.value));
  for (const name of names) {
    await b.tab.selectOption(`${WIDGET} select[name="scenario"]`, name);
    const o = await observe(b.tab);
    if (o.status !== '0') problems.push(`scenario ${name} did not finish in the page: ${o.error}`);
    slowest = Math.max(slowest, o.runMs);
  }
  fail('packet-lab.html', b.errors);
  await b.context.close();

  // 5. A URL naming a segment the run never reaches.
  const c = await open(browser, base + 'tcp-udp/handshake.html#scenario=handshake&lose=9');
  const bad = await observe(c.tab);
  if (!bad.error.includes('segment 9 does not exist, this run put only 3 segments on the wire')) problems.push(`a URL with lose=9 does not explain itself: ${JSON.stringify(bad.error)}`);
  console.log(`lab: URL with lose=9: "${bad.error}"`);
  fail('handshake.html#lose=9', c.errors);
  await c.context.close();

  // 6. The Chinese edition's widget speaks Chinese; the lab's message stays English after a Chinese lead-in.
  if (fs.existsSync(path.join(site, 'zh-CN/tcp-udp/handshake.html'))) {
    const z = await open(browser, base + 'zh-CN/tcp-udp/handshake.html');
    await z.tab.check(`${WIDGET} input[name="all-server"]`);
    const run = await z.tab.textContent(`${WIDGET} .lab-run`);
    const zo = await observe(z.tab);
    if (run !== '运行' || !zo.error.startsWith('实验提前结束： The client retransmitted its SYN')) problems.push(`the Chinese widget: button "${run}", message "${zo.error.slice(0, 60)}"`);
    console.log(`lab: zh-CN/tcp-udp/handshake.html: button "${run}", message "${zo.error.slice(0, 40)}...": ${run === '运行' ? 'ok' : 'FAIL'}`);
    fail('zh-CN/tcp-udp/handshake.html', z.errors);
    slowest = Math.max(slowest, zo.runMs);
    await z.context.close();
  }

  const figures = { module: module.length, glue: glue.length, runMs: slowest };
  fail('budget', budgetProblems(figures));
  console.log(`\npacket lab budgets (KB = 1024 bytes; slowest of every run on three page loads, first runs included: ${names.length} scenarios and 3 experiments, in Chromium)`);
  console.log('| what | measured | gzipped | budget |');
  console.log('|---|---:|---:|---:|');
  console.log(`| module packetlab.wasm | ${(module.length / 1024).toFixed(1)} KB | ${(gz(module) / 1024).toFixed(1)} KB | ${BUDGET.module / 1024} KB |`);
  console.log(`| glue lab.js + lab.css | ${(glue.length / 1024).toFixed(1)} KB | ${(gz(glue) / 1024).toFixed(1)} KB | ${BUDGET.glue / 1024} KB |`);
  console.log(`| slowest run in the page | ${slowest.toFixed(2)} ms | | under ${BUDGET.runMs} ms |`);

  for (const p of problems) console.log(`FAIL lab: ${p}`);
  return problems.length === 0;
}

async function screenshots(browser, base, outDir) {
  fs.mkdirSync(outDir, { recursive: true });
  const full = 'tcp-udp/packet-lab.html#scenario=handshake&lose=2&latency=50&client=0&server=0&close=none';
  for (const [page, theme, width] of [[full, 'light', 1280], [full, 'navy', 1280], [full, 'light', 390], [full, 'navy', 390], ['tcp-udp/close.html', 'light', 1280], ['tcp-udp/retransmission.html', 'navy', 390]]) {
    const s = await open(browser, base + page, { theme, viewport: { width, height: 900 } });
    // The sticky menu bar would cover part of the element's shot.
    await s.tab.addStyleTag({ content: '#mdbook-menu-bar, .menu-bar { position: static !important; }' });
    const file = path.join(outDir, `lab-widget-${page.split(/[/.#]/)[1]}-${theme}-${width}.png`);
    await s.tab.locator(WIDGET).screenshot({ path: file });
    console.log(file);
    await s.context.close();
  }
}

module.exports = { check, screenshots, selfTest, BUDGET };

if (require.main === module) {
  (async () => {
    const { chromium } = require('playwright-core');
    const [site, chromiumPath, outDir] = process.argv.slice(2);
    const http = require('node:http');
    const root = path.resolve(site);
    const server = http.createServer((req, res) => {
      let file = path.join(root, decodeURIComponent(new URL(req.url, 'http://x').pathname));
      if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
      fs.readFile(file, (err, data) => {
        if (err) { res.writeHead(404).end(); return; }
        res.writeHead(200, { 'Content-Type': { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm', '.svg': 'image/svg+xml' }[path.extname(file)] || 'application/octet-stream' });
        res.end(data);
      });
    });
    await new Promise((r) => server.listen(0, '127.0.0.1', r));
    const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox', '--disable-gpu'] });
    const base = `http://127.0.0.1:${server.address().port}/`;
    try {
      const ok = await check(browser, base, root);
      await screenshots(browser, base, outDir);
      if (!ok) process.exitCode = 1;
    } finally {
      await browser.close();
      server.close();
    }
  })().catch((e) => { console.error(e); process.exit(1); });
}
