// Renders mermaid diagrams to SVG at build time; run by `cargo xtask build`
// (xtask/src/diagrams.rs), which caches the results.
//
//   node render.cjs <mermaid.min.js> <mermaid-loader.js> <chromium> <in.json> <out.json>
//
// in.json:  [{ "id": "mmd-1a2b3c4d", "where": "tcp-udp/close.html, diagram 2 (sequenceDiagram)", "source": "..." }]
// out.json: [{ "id": ..., "html": "<svg ...>", "merged": true, "light_bytes": n, "dark_bytes": n }]   (same order)
//
// Each diagram is rendered twice with the vendored mermaid in headless
// Chromium: mermaid's "default" theme (light) and its "dark" theme, each at
// its natural size (`useMaxWidth: false`), with the settings that
// theme/mermaid-loader.js uses under `mdbook serve` (`bookMermaidConfig`). A diagram mermaid cannot render
// fails the run, naming it.
//
// The two renders are then merged into one SVG whose dark colours are CSS:
// the light render is kept whole; the dark render's <style> rules that differ
// are added under `:is(.coal,.navy,.ayu) #id` inside `@media screen` (so
// printing always uses the light colours), and each colour attribute that
// differs (mermaid writes a few fills and strokes inline) gets a class and a
// dark rule. Ids that mermaid numbers per page (`actor35`) or shares between
// diagrams (`arrowhead`) are prefixed with the diagram's id, so several
// diagrams rendered at different times can sit on one page. If the two
// renders differ in structure, the result holds both SVGs and CSS shows one
// (`"merged": false`). Definitions that nothing in the SVG points at are
// dropped (mermaid puts three icon symbols, 14 KB, in every sequence
// diagram). A merged SVG has two <style>s: mermaid's CSS for the diagram's
// kind (light, then dark), which the build keeps once per page
// (`share_styles` in diagrams.rs), and the diagram's own dark colours.
'use strict';

const fs = require('node:fs');
const { chromium } = require('playwright-core');

// Runs in the page: one SVG per diagram from its light and dark renders.
function merge(results) {
  const DARK = ':is(.coal,.navy,.ayu)';
  const parse = (svg) => { const t = document.createElement('template'); t.innerHTML = svg; return t.content.firstElementChild; };
  // Top-level CSS rules (at-rules kept whole), as text.
  const rules = (css) => {
    const out = [];
    let depth = 0, start = 0;
    for (let i = 0; i < css.length; i++) {
      if (css[i] === '{') depth++;
      else if (css[i] === '}' && --depth === 0) { out.push(css.slice(start, i + 1).trim()); start = i + 1; }
    }
    return out;
  };
  const all = (root) => [root, ...root.querySelectorAll('*')];
  function prefixIds(svg) {
    const id = svg.id;
    const rename = new Map();
    for (const el of svg.querySelectorAll('[id]')) {
      if (!el.id.startsWith(id)) { rename.set(el.id, `${id}-${el.id}`); el.id = `${id}-${el.id}`; }
    }
    if (rename.size === 0) return;
    const ref = /url\(#([^)]+)\)|^#(.+)$/g;
    for (const el of all(svg)) {
      for (const a of Array.from(el.attributes)) {
        const v = a.value.replace(ref, (m, u, h) => {
          const n = rename.get(u || h);
          return n ? (u ? `url(#${n})` : `#${n}`) : m;
        });
        if (v !== a.value) el.setAttribute(a.name, v);
      }
    }
    for (const style of svg.querySelectorAll('style')) {
      style.textContent = style.textContent.replace(/#([\w-]+)/g, (m, name) => rename.has(name) ? `#${rename.get(name)}` : m);
    }
  }
  // Definitions nothing points at: mermaid puts three icon symbols (computer,
  // database, clock: 14 KB) and all its arrow markers in every sequence
  // diagram, whether its participants and messages use them or not.
  function dropUnused(svg) {
    const used = new Set();
    const ref = /url\(#([^)]+)\)|^#(.+)$/g;
    for (const el of all(svg)) {
      for (const a of Array.from(el.attributes)) {
        for (const m of a.value.matchAll(ref)) used.add(m[1] || m[2]);
      }
    }
    for (const el of Array.from(svg.querySelectorAll('defs > [id]'))) {
      if (!used.has(el.id)) el.remove();
    }
    for (const defs of Array.from(svg.querySelectorAll('defs'))) {
      if (!defs.firstElementChild && !defs.textContent.trim()) defs.remove();
    }
  }
  const counterId = (a, b) => a.replace(/\d+/g, '') === b.replace(/\d+/g, '');
  return results.map((r) => {
    const light = parse(r.light), dark = parse(r.dark);
    const id = light.id;
    const lightStyle = light.querySelector('style'), darkStyle = dark.querySelector('style');
    const lightRules = new Set(rules(lightStyle ? lightStyle.textContent : ''));
    const darkRules = rules(darkStyle ? darkStyle.textContent : '').filter((rule) => !lightRules.has(rule));
    const extra = [];
    const le = all(light), de = all(dark);
    let same = le.length === de.length;
    for (let i = 0; same && i < le.length; i++) {
      const a = le[i], b = de[i];
      if (a.tagName !== b.tagName || a.attributes.length !== b.attributes.length) { same = false; break; }
      if (a.tagName.toLowerCase() === 'style') continue;
      const ownText = (e) => Array.from(e.childNodes).filter((n) => n.nodeType === 3).map((n) => n.data).join('');
      if (ownText(a) !== ownText(b)) { same = false; break; }
      const colours = [];
      for (const attr of Array.from(a.attributes)) {
        const other = b.getAttribute(attr.name);
        if (other === attr.value) continue;
        if (other === null) { same = false; break; }
        if (attr.name === 'fill' || attr.name === 'stroke' || attr.name === 'color' || attr.name === 'stop-color') colours.push(`${attr.name}:${other}!important`);
        else if (attr.name === 'style') colours.push(...other.split(';').filter((d) => d.trim() && !attr.value.includes(d.trim())).map((d) => `${d.trim()}!important`));
        else if (!counterId(attr.value, other)) { same = false; break; }
      }
      if (colours.length) {
        const cls = `${id}-d${extra.length}`;
        a.classList.add(cls);
        extra.push(`${DARK} #${id} .${cls}{${colours.join(';')}}`);
      }
    }
    let html;
    if (same) {
      const scoped = darkRules.map((rule) => rule.replaceAll(`#${id}`, `${DARK} #${id}`));
      // Two <style> elements: the first holds mermaid's CSS for this kind of
      // diagram (light, then its dark rules), the same for every diagram of
      // the kind but for the id, so that the build can keep one copy per
      // page (diagrams.rs, `share_styles`); the second holds this diagram's
      // own dark colours.
      const style = lightStyle || light.insertBefore(document.createElementNS('http://www.w3.org/2000/svg', 'style'), light.firstChild);
      style.textContent += `@media screen{${scoped.join('')}}`;
      if (extra.length) {
        const own = document.createElementNS('http://www.w3.org/2000/svg', 'style');
        own.textContent = `@media screen{${extra.join('')}}`;
        style.after(own);
      }
      prefixIds(light);
      dropUnused(light);
      html = light.outerHTML;
    } else {
      light.classList.add('mermaid-light');
      dark.classList.add('mermaid-dark');
      dark.id = `${id}-dark`;
      for (const style of dark.querySelectorAll('style')) style.textContent = style.textContent.replaceAll(`#${id}`, `#${id}-dark`);
      prefixIds(light);
      prefixIds(dark);
      dropUnused(light);
      dropUnused(dark);
      html = light.outerHTML + dark.outerHTML;
    }
    return { id: r.id, html, merged: same, light_bytes: r.light.length, dark_bytes: r.dark.length };
  });
}

async function main() {
  const [mermaidJs, loaderJs, chromiumPath, inFile, outFile] = process.argv.slice(2);
  const diagrams = JSON.parse(fs.readFileSync(inFile, 'utf8'));
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  let failed = false;
  try {
    const page = await browser.newPage();
    page.on('console', (msg) => { if (msg.type() === 'error') console.error(`mermaid console: ${msg.text()}`); });
    await page.setContent('<!doctype html><html><head><meta charset="utf-8"></head><body></body></html>');
    await page.addScriptTag({ path: mermaidJs });
    // The loader returns at once on a page without diagrams, leaving its settings.
    await page.addScriptTag({ path: loaderJs });
    const results = await page.evaluate(async ({ diagrams }) => {
      const out = diagrams.map((d) => ({ id: d.id }));
      for (const [key, theme] of [['light', 'default'], ['dark', 'dark']]) {
        mermaid.initialize(window.bookMermaidFor(theme));
        for (let i = 0; i < diagrams.length; i++) {
          if (out[i].error) continue;
          try {
            const { svg } = await mermaid.render(diagrams[i].id, diagrams[i].source);
            if (svg.includes('aria-roledescription="error"')) throw new Error('mermaid rendered its error diagram');
            out[i][key] = svg;
          } catch (e) {
            out[i].error = String((e && e.message) || e);
          }
        }
      }
      return out;
    }, { diagrams });
    for (let i = 0; i < results.length; i++) {
      if (results[i].error) {
        failed = true;
        const first = diagrams[i].source.split('\n').find((l) => l.trim()) || '';
        console.error(`diagram ${diagrams[i].where}, first line "${first.trim()}": ${results[i].error}`);
      }
    }
    const merged = await page.evaluate(merge, results.filter((r) => !r.error));
    fs.writeFileSync(outFile, JSON.stringify(merged));
  } finally {
    await browser.close();
  }
  if (failed) process.exit(1);
}

main().catch((e) => { console.error(e); process.exit(1); });
