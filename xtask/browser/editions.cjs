// The book's two editions in the browser check: English at the site's root,
// Chinese under zh-CN/ (xtask/src/editions.rs). On every page load it checks
// that <html lang> is the edition's, and that the language picker
// (theme/index.hbs) leads to the same page in the other edition: a page that
// exists there, in the other language.
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const EDITIONS = [
  { lang: 'zh-CN', dir: 'zh-CN/' },
  { lang: 'en', dir: '' },
];

// The edition a site-relative page belongs to.
function editionOf(page) {
  return EDITIONS.find((e) => page.startsWith(e.dir));
}

// Where the picker should lead from `page`: the same path in the other edition.
function counterpart(page) {
  const here = editionOf(page);
  const rel = page.slice(here.dir.length);
  const other = EDITIONS.find((e) => e !== here);
  return { page: other.dir + rel, lang: other.lang };
}

// What is wrong on one page, from facts read in the browser: its lang, the
// picker's href made site-relative (or null), and whether that file exists
// and in which language.
function problemsOf(page, facts) {
  const problems = [];
  const want = editionOf(page).lang;
  if (facts.lang !== want) problems.push(`<html lang="${facts.lang}">, expected "${want}"`);
  // toc.html is mdBook's sidebar for readers without JavaScript, shown in a
  // frame of every page: it has no menu bar, so no picker.
  if (path.posix.basename(page) === 'toc.html') return problems;
  const target = counterpart(page);
  if (facts.picker === null) {
    problems.push('no language picker (#book-language)');
  } else if (facts.picker !== target.page) {
    problems.push(`the language picker leads to ${facts.picker}, not ${target.page}`);
  } else if (!facts.targetExists) {
    problems.push(`the language picker leads to ${facts.picker}, which does not exist`);
  } else if (facts.targetLang !== target.lang) {
    problems.push(`the language picker leads to a page in "${facts.targetLang}", not "${target.lang}"`);
  }
  return problems;
}

function langOfFile(file) {
  const m = /<html[^>]*\slang="([^"]*)"/.exec(fs.readFileSync(file, 'utf8'));
  return m ? m[1] : null;
}

// A MODULES entry for check.cjs: probe(tab, ctx) on every load, table() once.
function checkModule(site, base) {
  const checked = new Set();
  let pickers = 0;
  return {
    name: 'editions',
    async probe(tab, ctx) {
      const facts = await tab.evaluate(() => {
        const a = document.getElementById('book-language');
        return { lang: document.documentElement.lang, href: a ? a.href : null };
      });
      let picker = null;
      if (facts.href !== null) {
        const url = new URL(facts.href);
        picker = url.href.startsWith(base) ? decodeURIComponent(url.pathname).replace(/^\//, '') : url.href;
        if (picker === '' || picker.endsWith('/')) picker += 'index.html';
      }
      const file = picker === null ? null : path.join(site, picker);
      const targetExists = file !== null && file.startsWith(site) && fs.existsSync(file) && fs.statSync(file).isFile();
      const problems = problemsOf(ctx.page, {
        lang: facts.lang,
        picker,
        targetExists,
        targetLang: targetExists ? langOfFile(file) : null,
      });
      if (!checked.has(ctx.page)) {
        checked.add(ctx.page);
        if (problems.length === 0) pickers += 1;
      }
      return { problems };
    },
    table() {
      const byLang = EDITIONS.map((e) => `${[...checked].filter((p) => editionOf(p) === e).length} ${e.lang}`);
      return [`\neditions: ${checked.size} pages (${byLang.join(', ')}); on ${pickers} of them <html lang> is right and the language picker leads to the same page in the other edition`];
    },
  };
}

// Proves the checks can fail, on made-up facts.
function selfTest() {
  const good = { lang: 'en', picker: 'zh-CN/tcp-udp/close.html', targetExists: true, targetLang: 'zh-CN' };
  const cases = [
    [problemsOf('tcp-udp/close.html', good).length === 0, 'a correct English page passes'],
    [problemsOf('zh-CN/tcp-udp/close.html', { lang: 'zh-CN', picker: 'tcp-udp/close.html', targetExists: true, targetLang: 'en' }).length === 0, 'a correct Chinese page passes'],
    [problemsOf('tcp-udp/close.html', { ...good, lang: 'zh-CN' }).length === 1, 'a wrong <html lang> fails'],
    [problemsOf('zh-CN/toc.html', { ...good, lang: 'en' }).length === 1, 'a wrong <html lang> fails on toc.html, which has no picker'],
    [problemsOf('tcp-udp/close.html', { ...good, picker: null }).length === 1, 'a missing picker fails'],
    [problemsOf('tcp-udp/close.html', { ...good, picker: 'zh-CN/index.html' }).length === 1, 'a picker to another page fails'],
    [problemsOf('tcp-udp/close.html', { ...good, targetExists: false }).length === 1, 'a picker to a missing page fails'],
    [problemsOf('tcp-udp/close.html', { ...good, targetLang: 'en' }).length === 1, 'a picker to a page in the same language fails'],
  ];
  const failed = cases.filter(([ok]) => !ok).map(([, what]) => what);
  if (failed.length) throw new Error(`editions self-test failed: ${failed.join('; ')}`);
  console.log(`editions self-test: ${cases.map(([, what]) => what).join('; ')}`);
}

module.exports = { checkModule, selfTest, editionOf, counterpart, problemsOf };
