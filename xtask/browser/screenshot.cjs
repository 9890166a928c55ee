// Screenshots of built pages, for reviewing what a reader sees:
//   node screenshot.cjs <site dir> <chromium> <out dir> <page.html>...
// Each page is shot in the light theme and in the navy (dark) theme, at a
// desktop (1280 px) and a phone (390 px) width, full page, and each diagram
// on its own.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { chromium } = require('playwright-core');

async function main() {
  const [site, chromiumPath, outDir, ...pages] = process.argv.slice(2);
  fs.mkdirSync(outDir, { recursive: true });
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  for (const page of pages) {
    for (const [theme, width] of [['light', 1280], ['navy', 1280], ['light', 390], ['navy', 390]]) {
      const context = await browser.newContext({ viewport: { width, height: 900 } });
      await context.addInitScript((t) => localStorage.setItem('mdbook-theme', t), theme);
      await context.route(/^https?:\/\/(?!127\.0\.0\.1)/, (route) => route.abort());
      const tab = await context.newPage();
      await tab.addInitScript(() => { window.print = () => {}; });
      await tab.goto('file://' + path.resolve(site, page));
      // Under `mdbook serve` output, wait for the client-side renderer.
      await tab.waitForFunction(() => Array.from(document.querySelectorAll('pre.mermaid')).every((p) => p.querySelector('svg')), null, { timeout: 20000 }).catch(() => {});
      const file = path.join(outDir, `${page.replace(/[\/.]/g, '_')}-${theme}-${width}.png`);
      // A viewport as tall as the page, rather than `fullPage`, which paints
      // what lies below the first screen without the theme's background.
      const height = await tab.evaluate(() => document.documentElement.scrollHeight);
      await tab.setViewportSize({ width, height: Math.min(height, 16000) });
      await tab.waitForTimeout(300);
      await tab.screenshot({ path: file });
      console.log(file);
      // Each diagram on its own, for a close look.
      const diagrams = tab.locator('.diagram, pre.mermaid');
      for (let i = 0; i < await diagrams.count(); i++) {
        const shot = file.replace(/\.png$/, `-diagram-${i + 1}.png`);
        await diagrams.nth(i).screenshot({ path: shot });
        console.log(shot);
      }
      await context.close();
    }
  }
  await browser.close();
}

main().catch((e) => { console.error(e); process.exit(1); });
