// Page weight, lazy loading and the code font (issue 16), for check.cjs.
//
//   const weight = require('./weight.cjs');
//   const watch = weight.watch(tab);            // before tab.goto
//   ... result.weight = await watch.facts();     // after the page has loaded
//   failed = (await weight.report(browser, base, site, results)) || failed;
//
// It prints, for the heaviest page of each kind (no diagram, with diagrams,
// lab page, Chinese page), the bytes Chromium loaded by type (and, for
// information, gzipped as a static host sends text), the bytes of the whole
// published site, and which pages load search code or contact the Rust
// playground; and it fails
//   - when a page other than print.html loads more than 300 KB, in both
//     editions (pages under zh-CN/ too); a lab page (one with a packet-lab
//     widget) may weigh 450 KB once the lab has run: the module and its glue
//     count there whether the page fetched them at load (the packet-lab
//     chapter) or fetches them when the reader presses the widget's button
//     (the compact widgets),
//   - when a page without a runnable block contacts the Rust playground,
//   - when a character of the book's code, other than CJK (which falls back
//     to the reader's CJK font by design), is not drawn with the book's code
//     font, i.e. is missing from the subset in theme/fonts/,
//   - when a character of the book's math is not drawn by the KaTeX fonts,
//     cut to the characters of the book's math (src/assets/katex/),
//   - when "Show hidden lines" on a block whose hidden lines the build moved
//     out of the page (xtask/src/light.rs) does not bring back exactly the
//     code in <page>.hidden.json.
// Each of the last four first proves on a page broken on purpose that it fails.

'use strict';

const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');

const KB = 1000;
const BUDGET = 300 * KB; // bytes as loaded, every page but print.html and lab pages
const BUDGET_LAB = 450 * KB; // a page with a packet-lab widget, module and glue included
// The lab's files: counted on every lab page, fetched or not yet fetched.
const LAB_FILES = ['assets/lab/packetlab.wasm', 'assets/lab/lab.js', 'assets/lab/lab.css'];
let labSizes = null; // [path, bytes] pairs, read from the site by report()
const PLAYGROUND = 'https://play.rust-lang.org/';
// Search code (mdBook's built-in search, or Pagefind) must wait until the reader opens search.
const SEARCH = /\/(searcher|elasticlunr|mark\.min|searchindex|pagefind)[^/]*$|\/pagefind\//;
// Characters that may fall back to the reader's fonts: CJK ideographs, kana,
// CJK symbols and punctuation, full-width forms.
const CJK = /[\u2E80-\u2FFF\u3000-\u30FF\u3100-\u31FF\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFFEF]/u;
// Not in the subset (Cyrillic): the font check's self-test must flag it.
const NOT_IN_SUBSET = '\u0416';

// Gzipped sizes by URL: the site's files are shared by many pages.
const gzipCache = new Map();
function gzipSize(url, body) {
  if (!gzipCache.has(url)) gzipCache.set(url, zlib.gzipSync(body).length);
  return gzipCache.get(url);
}

function watch(tab) {
  const urls = [];
  const sizes = [];
  tab.on('request', (request) => urls.push(request.url()));
  tab.on('response', (response) => {
    // [url, bytes, bytes gzipped as a static host such as GitHub Pages sends text]
    const text = /^(text\/|application\/(javascript|json)|image\/svg)/.test(response.headers()['content-type'] || '');
    sizes.push(response.body().then((b) => [response.url(), b.length, text ? gzipSize(response.url(), b) : b.length], () => [response.url(), 0, 0]));
  });
  return {
    async facts() {
      const loaded = await Promise.all(sizes);
      const page = await tab.evaluate(() => ({
        lang: document.documentElement.lang || '',
        playgrounds: document.querySelectorAll('pre.playground').length,
        diagrams: document.querySelectorAll('pre.mermaid, svg[aria-roledescription]').length,
        codeChars: Array.from(new Set(Array.from(document.querySelectorAll('code'), (c) => c.textContent).join(''))).join(''),
        lazyHidden: document.querySelectorAll('code[data-hidden]').length,
        labWidgets: document.querySelectorAll('.lab-widget').length,
        math: document.querySelectorAll('.katex').length,
      }));
      return { ...page, urls: urls.slice(), loaded };
    },
  };
}

function isLab(r) {
  return r.weight.labWidgets > 0 || r.weight.urls.some((u) => new URL(u).pathname.endsWith('.wasm'));
}

// The bytes the budget counts: as loaded, plus on a lab page the lab's files
// it has not fetched with a body yet (a compact widget fetches them on a press).
function counted(r) {
  if (!isLab(r) || !labSizes) return r.total;
  let extra = 0;
  for (const [file, bytes] of labSizes) {
    const fetched = r.weight.loaded.some(([u, n]) => new URL(u).pathname.endsWith('/' + file) && n > 0);
    if (!fetched) extra += bytes;
  }
  return r.total + extra;
}

function kind(r) {
  const w = r.weight;
  if (isLab(r)) return 'lab page';
  if (/^zh/i.test(w.lang) || /^zh[-_/]/i.test(r.page)) return 'Chinese page';
  if (w.diagrams > 0) return 'with diagrams';
  return 'no diagram';
}

function gzipped(r) {
  return r.weight.loaded.reduce((a, [, , z]) => a + z, 0);
}

function edition(page) {
  return page.replace(/^zh[-_][A-Za-z]+\//, '');
}

function budgetOf(r) {
  if (edition(r.page) === 'print.html') return null;
  return kind(r) === 'lab page' ? BUDGET_LAB : BUDGET;
}

function kb(n) { return (n / KB).toFixed(1).padStart(7); }

function siteBytes(dir) {
  let bytes = 0;
  let files = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      const sub = siteBytes(p);
      bytes += sub.bytes;
      files += sub.files;
    } else {
      bytes += fs.statSync(p).size;
      files += 1;
    }
  }
  return { bytes, files };
}

// Problems of one page: over budget, or the playground contacted without a runnable block.
function pageProblems(r) {
  const problems = [];
  const budget = budgetOf(r);
  const bytes = counted(r);
  if (budget !== null && bytes > budget) {
    problems.push(kind(r) === 'lab page'
      ? `${bytes} bytes with the packet lab loaded (${r.total} at page load), over the ${budget / KB} KB budget of a lab page`
      : `${bytes} bytes loaded, over the ${budget / KB} KB budget of a page`);
  }
  const playground = r.weight.urls.filter((u) => u.startsWith(PLAYGROUND));
  if (r.weight.playgrounds === 0 && playground.length > 0) {
    problems.push(`contacts the Rust playground without a runnable block: ${playground[0]}`);
  }
  return problems;
}

// The characters of `chars` that are not drawn with the book's code font,
// asked of Chromium itself (CSS.getPlatformFontsForNode) on a page of the site.
async function notInCodeFont(browser, base, chars) {
  const context = await browser.newContext();
  const tab = await context.newPage();
  await tab.route(/^https?:\/\/(?!127\.0\.0\.1)/, (route) => route.abort());
  await tab.goto(base + 'index.html', { waitUntil: 'load' });
  await tab.evaluate((list) => {
    const probe = document.createElement('pre');
    probe.id = 'font-probe';
    const code = document.createElement('code');
    for (const c of list) {
      const span = document.createElement('span');
      span.textContent = c;
      code.append(span);
    }
    probe.append(code);
    document.querySelector('main').append(probe);
  }, Array.from(chars));
  await tab.evaluate(() => document.fonts.ready);
  const cdp = await context.newCDPSession(tab);
  await cdp.send('DOM.enable');
  await cdp.send('CSS.enable');
  const { root } = await cdp.send('DOM.getDocument', { depth: -1 });
  const { nodeIds } = await cdp.send('DOM.querySelectorAll', { nodeId: root.nodeId, selector: '#font-probe span' });
  const missing = [];
  const list = Array.from(chars);
  let family = null;
  for (let i = 0; i < nodeIds.length; i++) {
    const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId: nodeIds[i] });
    const custom = fonts.find((f) => f.isCustomFont);
    if (custom) family = custom.familyName;
    if (!custom || fonts.some((f) => !f.isCustomFont)) missing.push(list[i]);
  }
  await context.close();
  return { missing, family, probed: nodeIds.length };
}

function describe(c) {
  return `U+${c.codePointAt(0).toString(16).toUpperCase().padStart(4, '0')} ${JSON.stringify(c)}`;
}

async function checkCodeFont(browser, base, results) {
  const used = new Set();
  for (const r of results) for (const c of r.weight.codeChars) if (c >= ' ') used.add(c);
  const chars = Array.from(used).sort();
  // Self-test: a character the subset lacks must be reported.
  const { missing, family, probed } = await notInCodeFont(browser, base, chars.concat([NOT_IN_SUBSET]));
  if (probed !== chars.length + 1) throw new Error(`code font check: probed ${probed} of ${chars.length + 1} characters`);
  if (!missing.includes(NOT_IN_SUBSET)) {
    throw new Error(`code font self-test: ${describe(NOT_IN_SUBSET)} is not in the subset but was not reported`);
  }
  const fallback = missing.filter((c) => c !== NOT_IN_SUBSET);
  const cjk = fallback.filter((c) => CJK.test(c));
  const wrong = fallback.filter((c) => !CJK.test(c));
  const beyondAscii = chars.filter((c) => c > '~');
  console.log(`code font (${family}): the book's code uses ${chars.length} distinct characters, ${beyondAscii.length} beyond ASCII (${beyondAscii.filter((c) => !CJK.test(c)).join('')}); ${cjk.length} CJK fall back by design; self-test: ${describe(NOT_IN_SUBSET)} reported`);
  for (const c of wrong) console.log(`FAIL code font: ${describe(c)} is used in the book's code but falls back to another font; add it to FONT_UNICODES in xtask/src/vendor.rs and run \`cargo xtask vendor\``);
  return wrong.length > 0;
}

// The math: every character KaTeX draws (the text of `.katex-html`) must be
// drawn by one of the book's KaTeX fonts, cut to the book's math characters
// (src/assets/katex/, `cargo xtask vendor`), CJK excepted. Asked of Chromium
// (CSS.getPlatformFontsForNode) for every leaf element of the math on each
// page that has math; on the first, a math element holding a character the
// subset lacks is added, and must be reported.
async function checkMathFont(browser, base, results) {
  const pages = results.filter((r) => r.weight.math > 0);
  const missing = new Map(); // character -> first page
  let probed = 0;
  for (const [i, r] of pages.entries()) {
    const context = await browser.newContext();
    const tab = await context.newPage();
    await tab.route(/^https?:\/\/(?!127\.0\.0\.1)/, (route) => route.abort());
    await tab.goto(base + r.page, { waitUntil: 'load' });
    await tab.evaluate((selfTest) => {
      if (selfTest) {
        const probe = document.createElement('p');
        probe.innerHTML = `<span class="katex" id="math-probe"><span class="katex-html"><span class="base"><span class="mord">${selfTest}</span></span></span></span>`;
        document.querySelector('main').append(probe);
      }
      let n = 0;
      for (const el of document.querySelectorAll('.katex-html *')) {
        const own = Array.from(el.childNodes).filter((c) => c.nodeType === 3).map((c) => c.data).join('');
        if (own.trim()) el.setAttribute('data-math-probe', n++);
      }
    }, i === 0 ? NOT_IN_SUBSET : null);
    await tab.evaluate(() => document.fonts.ready);
    const cdp = await context.newCDPSession(tab);
    await cdp.send('DOM.enable');
    await cdp.send('CSS.enable');
    const { root } = await cdp.send('DOM.getDocument', { depth: -1 });
    const { nodeIds } = await cdp.send('DOM.querySelectorAll', { nodeId: root.nodeId, selector: '[data-math-probe]' });
    const texts = await tab.evaluate(() => Array.from(document.querySelectorAll('[data-math-probe]'), (el) => Array.from(el.childNodes).filter((c) => c.nodeType === 3).map((c) => c.data).join('')));
    let caught = false;
    for (let k = 0; k < nodeIds.length; k++) {
      const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId: nodeIds[k] });
      probed++;
      if (fonts.some((f) => !f.isCustomFont)) {
        for (const c of texts[k]) {
          if (c.trim() === '' || CJK.test(c)) continue;
          if (c === NOT_IN_SUBSET && i === 0) { caught = true; continue; }
          if (!missing.has(c)) missing.set(c, r.page);
        }
      }
    }
    if (i === 0 && !caught) throw new Error(`math font self-test: ${describe(NOT_IN_SUBSET)} in a .katex-html element on ${r.page} was not reported`);
    await context.close();
  }
  console.log(`math font: ${probed} pieces of math text on ${pages.length} pages drawn by the book's KaTeX subset${pages.length ? `; self-test: ${describe(NOT_IN_SUBSET)} reported` : ''}`);
  for (const [c, page] of missing) console.log(`FAIL math font: ${describe(c)} (${page}) is drawn in a font other than KaTeX's: new math with a character the subset lacks (run \`cargo xtask build\`, then \`cargo xtask vendor\`), or a formula that puts it in a style KaTeX has no glyph for (look at the formula)`);
  return missing.size > 0;
}

// "Show hidden lines" on every block whose hidden lines were moved out of
// its page: after the click, the block's text must be exactly that of the
// code in the page's .hidden.json, and the lines must be shown. Runs in the
// page; returns problems.
async function expandHidden(tab) {
  return tab.evaluate(async () => {
    const problems = [];
    const script = document.querySelector('script[data-hidden]');
    if (!script) return ['blocks with data-hidden but no hidden-lines script'];
    const response = await fetch(script.dataset.hidden);
    const blocks = response.ok ? await response.json().catch(() => null) : null;
    const codes = Array.from(document.querySelectorAll('code[data-hidden]'));
    for (const code of codes) {
      const index = code.dataset.hidden;
      const button = code.closest('pre').querySelector('.buttons button[title="Show hidden lines"]');
      if (!button) { problems.push(`block ${index}: no "Show hidden lines" button`); continue; }
      button.click();
      const t0 = Date.now();
      while (code.querySelectorAll('.boring').length < 2 && Date.now() - t0 < 5000) await new Promise((r) => setTimeout(r, 50));
      const template = document.createElement('template');
      template.innerHTML = blocks && typeof blocks[index] === 'string' ? blocks[index] : '';
      const expected = template.content.textContent;
      if (!expected || code.textContent !== expected) problems.push(`block ${index}: after "Show hidden lines" it holds ${code.textContent.length} characters, not the ${expected.length} of its hidden-lines file`);
      else if (code.classList.contains('hide-boring')) problems.push(`block ${index}: hidden lines loaded but still hidden`);
    }
    return problems;
  });
}

async function checkHiddenLines(browser, base, results) {
  const pages = results.filter((r) => r.weight.lazyHidden > 0);
  let failed = false;
  let blocks = 0;
  for (const [i, r] of pages.entries()) {
    const context = await browser.newContext();
    const tab = await context.newPage();
    await tab.route(/^https?:\/\/(?!127\.0\.0\.1)/, (route) => route.abort());
    // Self-test, on the first page: a hidden-lines file that lost a block must be caught.
    if (i === 0) {
      await tab.route(/\.hidden\.json$/, async (route) => {
        const response = await route.fetch();
        const list = await response.json();
        list[0] = '';
        await route.fulfill({ response, body: JSON.stringify(list) });
      });
      await tab.goto(base + r.page, { waitUntil: 'load' });
      const caught = await expandHidden(tab);
      if (!caught.some((p) => p.startsWith('block 0:'))) throw new Error(`hidden lines self-test: a broken ${r.page} hidden-lines file was not caught: ${JSON.stringify(caught)}`);
      await tab.unrouteAll();
      await tab.route(/^https?:\/\/(?!127\.0\.0\.1)/, (route) => route.abort());
    }
    await tab.goto(base + r.page, { waitUntil: 'load' });
    const problems = await expandHidden(tab);
    blocks += r.weight.lazyHidden;
    for (const p of problems) { console.log(`FAIL hidden lines, ${r.page}: ${p}`); failed = true; }
    await context.close();
  }
  console.log(`hidden lines: ${blocks} blocks on ${pages.length} pages load theirs when shown, each checked against its file${pages.length ? '; self-test: a broken file is caught' : ''}`);
  return failed;
}

// Self-test of the per-page rules: a page without a runnable block that calls the playground.
function selfTestPlayground() {
  const fake = { page: '__selftest__.html', total: BUDGET + 1, weight: { playgrounds: 0, urls: [PLAYGROUND + 'meta/crates'], loaded: [] } };
  const problems = pageProblems(fake);
  if (problems.length !== 2) throw new Error(`weight self-test: expected an over-budget and a playground problem, got ${JSON.stringify(problems)}`);
  // A compact widget's page under the budget at load, over it once the lab runs.
  const lab = { page: '__selftest_lab__.html', total: BUDGET_LAB - 1000, weight: { playgrounds: 0, labWidgets: 1, urls: [], loaded: [] } };
  if (pageProblems(lab).length !== 1) throw new Error(`weight self-test: a lab page that passes ${BUDGET_LAB / KB} KB only once its module is fetched was not caught`);
}

async function report(browser, base, site, results) {
  labSizes = LAB_FILES.map((f) => [f, fs.statSync(path.join(site, f)).size]);
  selfTestPlayground();
  let failed = false;
  for (const r of results) {
    for (const p of pageProblems(r)) { console.log(`FAIL ${r.page}: ${p}`); failed = true; }
  }
  const budgeted = results.filter((r) => budgetOf(r) !== null);
  const heaviest = budgeted.slice().sort((a, b) => counted(b) / budgetOf(b) - counted(a) / budgetOf(a))[0];
  console.log(`\npage weight budget: ${BUDGET / KB} KB a page, ${BUDGET_LAB / KB} KB a lab page, both editions, print.html none; ${budgeted.length} pages checked${heaviest ? `, the closest to its budget ${heaviest.page} at ${kb(counted(heaviest)).trim()} KB` : ''}`);

  console.log('\npage weight, heaviest page of each kind (KB = 1000 bytes, as loaded by Chromium; print.html has no budget)');
  console.log('| kind | page | HTML | JS | CSS | fonts | other | total | budget | gzipped |');
  console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const k of ['no diagram', 'with diagrams', 'lab page', 'Chinese page']) {
    // Heaviest by the bytes the budget counts.
    const heaviest = results.filter((r) => edition(r.page) !== 'print.html' && kind(r) === k).sort((a, b) => counted(b) - counted(a))[0];
    if (!heaviest) { console.log(`| ${k} | (none in this build) | | | | | | | | |`); continue; }
    const b = heaviest.bytes;
    console.log(`| ${k} | ${heaviest.page} | ${kb(b.html)} | ${kb(b.js)} | ${kb(b.css)} | ${kb(b.fonts)} | ${kb(b.other)} | ${kb(counted(heaviest))} | ${budgetOf(heaviest) / KB} | ${kb(gzipped(heaviest))} |`);
  }
  const print = results.find((r) => r.page === 'print.html');
  if (print) console.log(`| print | print.html | ${kb(print.bytes.html)} | ${kb(print.bytes.js)} | ${kb(print.bytes.css)} | ${kb(print.bytes.fonts)} | ${kb(print.bytes.other)} | ${kb(print.total)} | none | ${kb(gzipped(print))} |`);
  console.log('gzipped: the same bytes with text compressed, as a static host sends them (not budgeted; the budget counts bytes as loaded)');
  console.log(`lab page: its total counts the packet lab's module and glue (${labSizes.map(([f, n]) => `${path.posix.basename(f)} ${kb(n).trim()} KB`).join(', ')}) whether the page fetched them at load or fetches them when the reader presses the widget's button`);
  const whole = siteBytes(site);
  console.log(`whole published site: ${whole.files} files, ${(whole.bytes / 1e6).toFixed(2)} MB`);

  const searchAtLoad = results.filter((r) => r.weight.urls.some((u) => SEARCH.test(new URL(u).pathname)));
  console.log(`search code loaded before search is opened: on ${searchAtLoad.length} of ${results.length} pages${searchAtLoad.length ? ` (e.g. ${searchAtLoad[0].page}: ${searchAtLoad[0].weight.urls.filter((u) => SEARCH.test(new URL(u).pathname)).map((u) => path.posix.basename(new URL(u).pathname)).join(', ')})` : ''}`);
  const playgroundPages = results.filter((r) => r.weight.urls.some((u) => u.startsWith(PLAYGROUND)));
  console.log(`the Rust playground is contacted by ${playgroundPages.length} pages; ${results.filter((r) => r.weight.playgrounds > 0).length} pages have a runnable block`);

  failed = (await checkCodeFont(browser, base, results)) || failed;
  failed = (await checkMathFont(browser, base, results)) || failed;
  failed = (await checkHiddenLines(browser, base, results)) || failed;
  return failed;
}

module.exports = { watch, report, pageProblems, BUDGET, BUDGET_LAB };
