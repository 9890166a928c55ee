// Search and table checks of the built book, called from check.cjs:
//
//   const ok = await require('./search.cjs').check(browser, base, site);
//
// Search (Pagefind, theme/search.js). Fails unless
//   - a page loads nothing of Pagefind before its search bar is opened;
//   - `s`, `/` and the search icon open the bar;
//   - each query finds its page among the results shown: TIME-WAIT, "three-way
//     handshake" and three Chinese terms of the glossary in the English
//     edition; 三次握手, 四次挥手, 协程, 队头阻塞, 时间等待 and TIME-WAIT in the
//     Chinese one (zh-CN/, its own index);
//   - the first search of each query (a fresh browser context: nothing cached)
//     downloads at most FIRST_SEARCH_BUDGET bytes of Pagefind's files.
// It prints those bytes for each query.
//
// Tables, at 1280 px and 390 px wide. Fails when
//   - a table cell breaks a byte string (`c6 05`), an erratum number (I-2) or
//     a hyphenated name in capitals (TIME-WAIT, FIN-WAIT-1) across lines;
//   - a table wider than the page, scrolled to its end, hides its first column.
// It prints, per width, how many tables there are and how many scroll.
//
// Both checks first prove they can fail: the search check on a query that
// matches nothing, the wrap check on a cell it narrows on purpose.
//
// SEARCH_SCREENSHOTS=<dir> also saves screenshots of the search open (light,
// dark and phone) for a person to look at.

'use strict';

const fs = require('node:fs');
const path = require('node:path');

const FIRST_SEARCH_BUDGET = 300 * 1000; // bytes
const SEARCH_TIMEOUT_MS = 15000;
const QUERIES = [
  { q: 'TIME-WAIT', page: 'tcp-udp/close.html', open: 's' },
  { q: 'three-way handshake', page: 'tcp-udp/handshake.html', open: '/' },
  { q: '三次握手', page: 'tcp-udp/handshake.html', open: 'icon' },
  { q: '协程', page: 'coroutines/what-is-a-coroutine.html', open: 's' },
  { q: '四次挥手', page: 'tcp-udp/close.html', open: 's' },
  // The Chinese edition (zh-CN/), searched from its own pages: its own index.
  { q: '三次握手', page: 'zh-CN/tcp-udp/handshake.html', open: 's', edition: 'zh-CN/' },
  { q: '四次挥手', page: 'zh-CN/tcp-udp/close.html', open: '/', edition: 'zh-CN/' },
  { q: '协程', page: 'zh-CN/coroutines/what-is-a-coroutine.html', open: 'icon', edition: 'zh-CN/' },
  { q: '队头阻塞', page: 'zh-CN/tcp-udp/tcp-vs-udp.html', open: 's', edition: 'zh-CN/' },
  { q: '时间等待', page: 'zh-CN/tcp-udp/close.html', open: 's', edition: 'zh-CN/' },
  { q: 'TIME-WAIT', page: 'zh-CN/tcp-udp/close.html', open: 's', edition: 'zh-CN/' },
];
// A deep page, so that the paths from a chapter to pagefind/ are exercised.
const FROM_PAGE = 'tcp-udp/header.html';
const WIDTHS = [1280, 390];
const PLAYGROUND = 'https://play.rust-lang.org/';

async function openSearch(tab, how) {
  if (how === 'icon') await tab.click('#mdbook-search-toggle');
  else await tab.keyboard.press(how === '/' ? 'Slash' : 'KeyS');
  await tab.waitForSelector('#mdbook-search-wrapper:not(.hidden)', { timeout: 5000 });
  const focused = await tab.evaluate(() => document.activeElement && document.activeElement.id);
  if (focused !== 'mdbook-searchbar') throw new Error(`opening search with ${how} did not focus the search bar (focus: ${focused})`);
}

// Runs one query in a fresh context; returns { hrefs, header, bytes, before, problems }.
async function search(browser, base, query, options = {}) {
  const context = await browser.newContext({ viewport: options.viewport || { width: 1280, height: 900 }, colorScheme: options.colorScheme || 'light' });
  if (options.theme) await context.addInitScript((t) => localStorage.setItem('mdbook-theme', t), options.theme);
  const tab = await context.newPage();
  const problems = [];
  let opened = false;
  let before = 0;
  let bytes = 0;
  const pending = [];
  await tab.route('**/*', async (route) => {
    const url = route.request().url();
    if (url.startsWith(base)) return route.continue();
    if (url.startsWith(PLAYGROUND)) {
      // The playground's crate list (book.js asks for it on pages with Rust); offline stub, as in check.cjs.
      return route.fulfill({ status: 200, contentType: 'application/json', headers: { 'Access-Control-Allow-Origin': '*' }, body: JSON.stringify({ crates: [] }) });
    }
    problems.push(`requested outside the site: ${url}`);
    return route.abort();
  });
  tab.on('console', (msg) => { if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`); });
  tab.on('pageerror', (err) => problems.push(`uncaught: ${err.message}`));
  tab.on('response', (response) => {
    if (!response.url().startsWith(base + (query.edition || '') + 'pagefind/')) return;
    pending.push(response.body().then((b) => { if (opened) bytes += b.length; else before += b.length; }, () => {}));
  });
  try {
    await tab.goto(base + (query.edition || '') + (options.from || FROM_PAGE), { waitUntil: 'load' });
    await tab.waitForTimeout(300);
    opened = true;
    await openSearch(tab, query.open);
    await tab.keyboard.type(query.q);
    await tab.waitForFunction((q) => {
      const h = document.getElementById('mdbook-searchresults-header');
      return h && h.textContent.includes(q) && !document.getElementById('mdbook-searchresults-outer').classList.contains('hidden');
    }, query.q, { timeout: SEARCH_TIMEOUT_MS });
    await Promise.all(pending);
    const found = await tab.evaluate(() => ({
      header: document.getElementById('mdbook-searchresults-header').textContent,
      hrefs: Array.from(document.querySelectorAll('#mdbook-searchresults li > a')).map((a) => a.href),
      teasers: Array.from(document.querySelectorAll('#mdbook-searchresults li .teaser')).filter((t) => t.querySelector('mark')).length,
    }));
    if (options.screenshot) await tab.screenshot({ path: options.screenshot, fullPage: false });
    return { ...found, bytes, before, problems };
  } finally {
    await context.close();
  }
}

function onPage(hrefs, base, page) {
  return hrefs.some((h) => h.split('#')[0] === base + page);
}

async function checkSearch(browser, base) {
  let ok = true;
  // Self-test: a word in no page (Old Cyrillic) gets the "no results" line and no
  // page; a query's results fail the page test for a page that lacks its word.
  // (Pagefind falls back to a prefix of an unknown Latin word, so a made-up
  // Latin word does find pages.)
  const none = await search(browser, base, { q: 'ꙮꙮ', open: 's' });
  const some = await search(browser, base, QUERIES[0]);
  if (none.hrefs.length !== 0 || !/No search results/.test(none.header) || onPage(some.hrefs, base, 'coroutines/generators.html') || !onPage(some.hrefs, base, QUERIES[0].page)) {
    console.log(`FAIL search self-test: ${JSON.stringify({ none, some })}`);
    return false;
  }
  console.log('search self-test: a word in no page shows "No search results"; a page without the word is not taken for a result');

  const shots = process.env.SEARCH_SCREENSHOTS;
  if (shots) fs.mkdirSync(shots, { recursive: true });
  console.log('\nsearch (first search of each query, nothing cached; KB = 1000 bytes)');
  console.log('| edition | query | opened with | results | right page | marked excerpts | Pagefind KB before opening | first search KB |');
  console.log('|---|---|---|---:|---|---:|---:|---:|');
  for (const query of QUERIES) {
    let r;
    try {
      r = await search(browser, base, query);
    } catch (e) {
      console.log(`FAIL search "${query.q}": ${e.message.split('\n')[0]}`);
      ok = false;
      continue;
    }
    const right = onPage(r.hrefs, base, query.page);
    console.log(`| ${query.edition ? 'zh-CN' : 'en'} | ${query.q} | ${query.open} | ${r.hrefs.length} | ${right ? 'yes' : 'NO'} ${query.page} | ${r.teasers} | ${(r.before / 1000).toFixed(1)} | ${(r.bytes / 1000).toFixed(1)} |`);
    if (!right) { console.log(`FAIL search "${query.q}": ${query.page} is not among ${JSON.stringify(r.hrefs)}`); ok = false; }
    if (r.teasers === 0) { console.log(`FAIL search "${query.q}": no result shows an excerpt with the match marked`); ok = false; }
    if (r.before > 0) { console.log(`FAIL search: ${r.before} bytes of Pagefind loaded before the search bar was opened`); ok = false; }
    if (r.bytes > FIRST_SEARCH_BUDGET) { console.log(`FAIL search "${query.q}": the first search downloaded ${r.bytes} bytes, over the ${FIRST_SEARCH_BUDGET}-byte budget`); ok = false; }
    for (const p of r.problems) { console.log(`FAIL search "${query.q}": ${p}`); ok = false; }
  }
  if (shots) {
    const q = QUERIES[0];
    await search(browser, base, q, { screenshot: path.join(shots, 'search-light.png') });
    await search(browser, base, q, { theme: 'navy', screenshot: path.join(shots, 'search-navy.png') });
    await search(browser, base, QUERIES[2], { theme: 'coal', viewport: { width: 390, height: 844 }, screenshot: path.join(shots, 'search-phone-coal.png') });
    console.log(`search screenshots in ${shots}`);
  }
  return ok;
}

// In the page: cells whose byte strings, erratum numbers or hyphenated names
// break across lines, and wide tables whose first column scrolls out of view.
function inspectTables() {
  const PATTERNS = [
    /\b[0-9a-f]{2}(?: [0-9a-f]{2})+\b/g, // byte strings
    /\b[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+\b/g, // I-2, TIME-WAIT, FIN-WAIT-1
  ];
  const broken = [];
  const tables = Array.from(document.querySelectorAll('main table'));
  for (const cell of document.querySelectorAll('main table td, main table th')) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const re of PATTERNS) {
        re.lastIndex = 0;
        for (let m = re.exec(node.data); m; m = re.exec(node.data)) {
          const range = document.createRange();
          range.setStart(node, m.index);
          range.setEnd(node, m.index + m[0].length);
          const tops = new Set(Array.from(range.getClientRects()).filter((r) => r.width > 0).map((r) => Math.round(r.top)));
          if (tops.size > 1) broken.push(m[0]);
        }
      }
    }
  }
  let scrolling = 0;
  const hidden = [];
  for (const table of tables) {
    const wrapper = table.closest('.table-wrapper');
    if (!wrapper || wrapper.scrollWidth <= wrapper.clientWidth + 1) continue;
    scrolling += 1;
    wrapper.scrollLeft = wrapper.scrollWidth;
    const first = table.querySelector('tbody tr td:first-child') || table.querySelector('tr > :first-child');
    const w = wrapper.getBoundingClientRect();
    const c = first.getBoundingClientRect();
    if (c.left < w.left - 1 || c.right > w.right + 1) hidden.push(first.textContent.trim().slice(0, 30));
    wrapper.scrollLeft = 0;
  }
  return { tables: tables.length, broken, scrolling, hidden };
}

async function checkTables(browser, base, pages) {
  let ok = true;
  // Self-test: a byte string in a cell narrowed to one byte's width must be caught.
  {
    const context = await browser.newContext({ viewport: { width: 390, height: 800 } });
    const tab = await context.newPage();
    await tab.goto(base + FROM_PAGE, { waitUntil: 'load' });
    const caught = await tab.evaluate((inspect) => {
      const main = document.querySelector('main');
      main.insertAdjacentHTML('afterbegin', '<div class="table-wrapper"><table><tbody><tr><td style="width:2ch;max-width:2ch;white-space:normal">c6 05 1f 48</td></tr></tbody></table></div>');
      // eslint-disable-next-line no-new-func
      return new Function(`return (${inspect})()`)().broken;
    }, inspectTables.toString());
    await context.close();
    if (!caught.includes('c6 05 1f 48')) {
      console.log(`FAIL table self-test: a byte string broken over lines was not caught (${JSON.stringify(caught)})`);
      return false;
    }
    console.log('table self-test: a byte string broken over lines is caught');
  }
  console.log('\ntables (every page, each width)');
  console.log('| width | pages with tables | tables | wider than the page (scroll) | first column hidden when scrolled | broken inside a word |');
  console.log('|---:|---:|---:|---:|---:|---:|');
  for (const width of WIDTHS) {
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    const tab = await context.newPage();
    let withTables = 0;
    let tables = 0;
    let scrolling = 0;
    let hidden = 0;
    let broken = 0;
    for (const page of pages) {
      await tab.goto(base + page, { waitUntil: 'load' });
      const r = await tab.evaluate((inspect) => new Function(`return (${inspect})()`)(), inspectTables.toString());
      if (r.tables === 0) continue;
      withTables += 1;
      tables += r.tables;
      scrolling += r.scrolling;
      hidden += r.hidden.length;
      broken += r.broken.length;
      for (const b of r.broken) { console.log(`FAIL ${page} at ${width} px: "${b}" breaks across lines in a table cell`); ok = false; }
      for (const h of r.hidden) { console.log(`FAIL ${page} at ${width} px: the first column ("${h}") scrolls out of view`); ok = false; }
    }
    await context.close();
    console.log(`| ${width} | ${withTables} | ${tables} | ${scrolling} | ${hidden} | ${broken} |`);
  }
  return ok;
}

function chapterPages(site) {
  const out = [];
  const walk = (rel) => {
    for (const entry of fs.readdirSync(path.join(site, rel), { withFileTypes: true })) {
      const r = path.posix.join(rel, entry.name);
      if (entry.isDirectory()) { if (entry.name !== 'pagefind' && entry.name !== 'assets') walk(r); }
      else if (entry.name.endsWith('.html') && !['print.html', 'toc.html', '404.html'].includes(entry.name)) out.push(r);
    }
  };
  walk('');
  return out.sort();
}

async function check(browser, base, site) {
  for (const edition of ['', 'zh-CN/']) {
    if (!fs.existsSync(path.join(site, edition, 'pagefind', 'pagefind.js'))) {
      console.log(`FAIL search: ${path.join(site, edition, 'pagefind')} has no index (is [output.pagefind] in book.toml?)`);
      return false;
    }
  }
  const searchOk = await checkSearch(browser, base);
  const tablesOk = await checkTables(browser, base, chapterPages(site));
  return searchOk && tablesOk;
}

module.exports = { check, checkSearch, checkTables, chapterPages };
