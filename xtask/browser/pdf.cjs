// The book as one PDF, printed from print.html; run by `cargo xtask pdf`
// and `cargo xtask build`.
//
//   node pdf.cjs <site dir> <chromium> <out.pdf>
//
// Light theme, print media, A4, page numbers in the footer, and an outline
// (bookmarks) built by Chromium from the headings. print.html holds every
// diagram as inline SVG already (xtask/src/diagrams.rs), so the diagrams and
// the KaTeX math print as vectors; the script fails if a diagram is missing.
'use strict';

const path = require('node:path');
const { chromium } = require('playwright-core');

async function main() {
  const [site, chromiumPath, out] = process.argv.slice(2);
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const context = await browser.newContext();
    // Light theme whatever the reader last chose; print.html's own
    // window.print() would block a headless page.
    await context.addInitScript(() => {
      localStorage.setItem('mdbook-theme', 'light');
      window.print = () => {};
    });
    await context.route(/^https?:/, (route) => route.abort());
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto('file://' + path.resolve(site, 'print.html'), { waitUntil: 'load' });
    await page.evaluate(() => document.fonts.ready);
    const state = await page.evaluate(() => ({
      unrendered: document.querySelectorAll('pre.mermaid').length,
      diagrams: document.querySelectorAll('.diagram svg').length,
      theme: document.documentElement.className,
    }));
    if (state.unrendered > 0 || state.diagrams === 0) {
      throw new Error(`print.html: ${state.unrendered} diagram(s) left as mermaid source, ${state.diagrams} as SVG; run \`cargo xtask build\``);
    }
    // Offline, book.js's request for the playground's crate list fails; the
    // browser check is where page errors fail the build.
    for (const e of errors) console.log(`pdf: print.html page error (ignored here): ${e}`);
    await page.emulateMedia({ media: 'print', colorScheme: 'light' });
    const footer = '<div style="font-size:8px;width:100%;text-align:center;color:#444"><span class="pageNumber"></span> / <span class="totalPages"></span></div>';
    await page.pdf({
      path: out,
      format: 'A4',
      margin: { top: '16mm', bottom: '16mm', left: '14mm', right: '14mm' },
      displayHeaderFooter: true,
      headerTemplate: '<span></span>',
      footerTemplate: footer,
      printBackground: true,
      outline: true,
      tagged: true,
    });
    console.log(`pdf: ${state.diagrams} diagrams, theme ${state.theme}`);
  } finally {
    await browser.close();
  }
}

main().catch((e) => { console.error(e.message || e); process.exit(1); });
