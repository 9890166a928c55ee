// The browser check of the built book; run by `cargo xtask browser` and `cargo xtask ci`.
//
//   node check.cjs <site dir> <chromium path>
//
// It serves the site on 127.0.0.1 (port 0), loads every page in headless
// Chromium and fails when a page
//   - logs a console error or throws,
//   - leaves a <pre class="mermaid"> without an SVG,
//   - renders mermaid's error diagram (aria-roledescription="error"),
//   - requests anything outside the site other than the Rust playground
//     (answered here with a stub, since the machine is offline),
//   - or breaks a rule of weight.cjs (page weight budget, playground, code font).
// It checks that diagrams follow the light, dark and "auto" (OS) themes,
// prints a page-weight table, and first proves on a broken copy of a page
// that it does catch a broken diagram and an outside request.

'use strict';

const fs = require('node:fs');
const path = require('node:path');
const http = require('node:http');
const os = require('node:os');
const { chromium } = require('playwright-core');
const weight = require('./weight.cjs');

const MERMAID_TIMEOUT_MS = 20000;
const CONCURRENCY = 3;
const PLAYGROUND = 'https://play.rust-lang.org/';

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.woff2': 'font/woff2', '.woff': 'font/woff', '.ttf': 'font/ttf', '.svg': 'image/svg+xml', '.png': 'image/png', '.json': 'application/json', '.txt': 'text/plain' };

function serve(dir) {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    let file = path.join(dir, decodeURIComponent(url.pathname));
    if (!file.startsWith(dir)) { res.writeHead(403).end(); return; }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
    fs.readFile(file, (err, data) => {
      if (err) { res.writeHead(404).end('not found'); return; }
      res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] || 'application/octet-stream' });
      res.end(data);
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function htmlPages(dir, rel = '') {
  const out = [];
  for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const r = path.posix.join(rel, entry.name);
    if (entry.isDirectory()) out.push(...htmlPages(dir, r));
    else if (entry.name.endsWith('.html')) out.push(r);
  }
  return out.sort();
}

function bucket(resourceType) {
  switch (resourceType) {
    case 'document': return 'html';
    case 'script': return 'js';
    case 'stylesheet': return 'css';
    case 'font': return 'fonts';
    default: return 'other';
  }
}

async function checkPage(browser, base, page, options = {}) {
  const context = await browser.newContext({ colorScheme: options.colorScheme || 'light' });
  if (options.theme) {
    await context.addInitScript((theme) => localStorage.setItem('mdbook-theme', theme), options.theme);
  }
  const tab = await context.newPage();
  const problems = [];
  const bytes = { html: 0, js: 0, css: 0, fonts: 0, other: 0 };
  const pending = [];
  await tab.route('**/*', async (route) => {
    const url = route.request().url();
    if (url.startsWith(base)) return route.continue();
    if (url.startsWith(PLAYGROUND)) {
      // The playground's crate list, as play.rust-lang.org would answer it (offline stub).
      return route.fulfill({ status: 200, contentType: 'application/json', headers: { 'Access-Control-Allow-Origin': '*' }, body: JSON.stringify({ crates: [{ id: 'tokio', name: 'tokio', version: '1' }] }) });
    }
    problems.push(`requested outside the site: ${url}`);
    return route.abort();
  });
  tab.on('console', (msg) => { if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`); });
  tab.on('pageerror', (err) => problems.push(`uncaught: ${err.message}`));
  tab.on('response', (response) => {
    if (!response.url().startsWith(base)) return;
    const kind = bucket(response.request().resourceType());
    pending.push(response.body().then((b) => { bytes[kind] += b.length; }, () => {}));
  });
  // print.html calls window.print(); make it a no-op in the check.
  await tab.addInitScript(() => { window.print = () => {}; });

  const watcher = weight.watch(tab);
  await tab.goto(base + page, { waitUntil: 'load' });
  const diagrams = await tab.locator('pre.mermaid').count();
  let theme = null;
  if (diagrams > 0) {
    try {
      await tab.waitForFunction(() => Array.from(document.querySelectorAll('pre.mermaid')).every((p) => p.dataset.mermaidTheme && p.querySelector('svg')), null, { timeout: MERMAID_TIMEOUT_MS });
    } catch (_) { /* reported below */ }
    const state = await tab.evaluate(() => {
      const blocks = Array.from(document.querySelectorAll('pre.mermaid'));
      return {
        unrendered: blocks.filter((p) => !p.querySelector('svg')).length,
        errors: blocks.filter((p) => p.querySelector('svg[aria-roledescription="error"]')).length,
        themes: Array.from(new Set(blocks.map((p) => p.dataset.mermaidTheme || 'none'))),
      };
    });
    if (state.unrendered) problems.push(`${state.unrendered} of ${diagrams} mermaid diagram(s) not rendered to an SVG`);
    if (state.errors) problems.push(`${state.errors} mermaid diagram(s) rendered as mermaid's error diagram (syntax error)`);
    theme = state.themes.join(',');
  }
  await tab.waitForTimeout(200);
  await Promise.all(pending);
  const facts = await watcher.facts();
  await context.close();
  const total = Object.values(bytes).reduce((a, b) => a + b, 0);
  return { page, problems, bytes, total, diagrams, theme, weight: facts };
}

async function runPool(items, worker) {
  const results = [];
  let next = 0;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await worker(items[i]);
    }
  }));
  return results;
}

// Proves the check can fail: a copy of a page with a broken diagram and an outside image.
async function selfTest(browser, site) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'book-selftest-'));
  fs.cpSync(site, tmp, { recursive: true });
  const html = fs.readFileSync(path.join(tmp, 'index.html'), 'utf8');
  const broken = '<pre class="mermaid">sequenceDiagram\n    Client-&gt;&gt;Server SYN without a colon (\n</pre>\n<img src="https://example.invalid/hotlinked.png" alt="">\n';
  fs.writeFileSync(path.join(tmp, '__selftest__.html'), html.replace('<main>', '<main>' + broken));
  const server = await serve(tmp);
  const base = `http://127.0.0.1:${server.address().port}/`;
  try {
    const result = await checkPage(browser, base, '__selftest__.html');
    const caughtDiagram = result.problems.some((p) => p.includes('error diagram') || p.includes('not rendered'));
    const caughtOutside = result.problems.some((p) => p.includes('outside the site'));
    if (!caughtDiagram || !caughtOutside) {
      throw new Error(`self-test: the check missed a broken diagram (${caughtDiagram}) or an outside request (${caughtOutside}): ${JSON.stringify(result.problems)}`);
    }
    console.log(`self-test: a broken diagram and an outside request are caught (${result.problems.length} problems reported)`);
  } finally {
    server.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

async function main() {
  const [siteArg, chromiumPath] = process.argv.slice(2);
  const site = path.resolve(siteArg);
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  let failed = false;
  try {
    await selfTest(browser, site);

    const server = await serve(site);
    const base = `http://127.0.0.1:${server.address().port}/`;
    const pages = htmlPages(site);
    const started = Date.now();
    const results = await runPool(pages, (p) => checkPage(browser, base, p));

    // Themes: the first page with a diagram, in light, dark (navy) and auto under a dark OS.
    const withDiagram = results.find((r) => r.diagrams > 0);
    if (withDiagram) {
      const cases = [
        { name: 'light theme', options: { theme: 'light' }, want: 'default' },
        { name: 'navy (dark) theme', options: { theme: 'navy' }, want: 'dark' },
        { name: 'auto theme, OS dark', options: { colorScheme: 'dark' }, want: 'dark' },
        { name: 'auto theme, OS light', options: { colorScheme: 'light' }, want: 'default' },
      ];
      for (const c of cases) {
        const r = await checkPage(browser, base, withDiagram.page, c.options);
        const ok = r.theme === c.want && r.problems.length === 0;
        console.log(`theme: ${withDiagram.page} in ${c.name}: mermaid theme ${r.theme} ${ok ? 'ok' : `FAIL (want ${c.want})`}`);
        if (!ok) { failed = true; r.problems.forEach((p) => console.log(`  ${p}`)); }
      }
    }
    // Search (Pagefind) and tables: xtask/browser/search.cjs.
    if (!(await require('./search.cjs').check(browser, base, site))) failed = true;
    failed = (await weight.report(browser, base, site, results)) || failed;
    server.close();

    for (const r of results) {
      for (const p of r.problems) { console.log(`FAIL ${r.page}: ${p}`); failed = true; }
    }
    const diagrams = results.reduce((a, r) => a + r.diagrams, 0);
    console.log(`checked ${results.length} pages (${diagrams} diagrams, all rendered: ${!results.some((r) => r.problems.length)}) in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  } finally {
    await browser.close();
  }
  if (failed) {
    console.log('browser check: FAILED');
    process.exit(1);
  }
  console.log('browser check: ok');
}

main().catch((e) => { console.error(e); process.exit(1); });
