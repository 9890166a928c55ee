// The packet lab in the page: the glue between the lab's WebAssembly module
// (packetlab.wasm, built from packetlab/ by `cargo xtask wasm`) and the
// widget of the chapters that hold a `<div class="lab-widget">`.
//
// The module has no imports and four exports (packetlab/src/wasm.rs):
// lab_input(len) gives the address of a Rust-owned buffer for the
// experiment's fragment, lab_run() runs it, lab_output_ptr/len(i) give each
// output. `load` below is all the protocol; packetlab/tests/run_module.cjs
// runs the same `load` in Node and compares its answers with the native lab.
(function () {
  'use strict';

  const OUTPUTS = ['fragment', 'table', 'mermaid', 'ladder', 'timeline', 'pcap', 'segments', 'error'];

  async function load(bytes) {
    const { instance } = await WebAssembly.instantiate(bytes, {});
    const e = instance.exports;
    const bytesOf = (i) => new Uint8Array(e.memory.buffer, e.lab_output_ptr(i), e.lab_output_len(i)).slice();
    const textOf = (i) => new TextDecoder().decode(bytesOf(i));
    return {
      // status 0: finished; 1: bad parameters (only `error`); 2: stopped early.
      run(fragment) {
        const input = new TextEncoder().encode(fragment);
        const at = e.lab_input(input.length);
        new Uint8Array(e.memory.buffer, at, input.length).set(input);
        const status = e.lab_run();
        const r = { status, error: textOf(OUTPUTS.indexOf('error')) };
        if (status === 1) return r;
        for (const name of ['fragment', 'table', 'mermaid', 'ladder', 'timeline']) r[name] = textOf(OUTPUTS.indexOf(name));
        r.pcap = bytesOf(OUTPUTS.indexOf('pcap'));
        r.segments = JSON.parse(textOf(OUTPUTS.indexOf('segments')));
        return r;
      },
    };
  }

  if (typeof module === 'object' && module.exports) {
    module.exports = { load, OUTPUTS };
    return;
  }

  // Every string the widget shows. The lab's own messages (errors, tables)
  // are program output and stay English; a Chinese page gets a Chinese
  // lead-in before them.
  const STRINGS = {
    en: {
      title: 'Try it: run the lab in this page',
      scenario: 'Scenario',
      latency: 'One-way latency (ms)',
      client: 'Client sends (bytes)',
      server: 'Server sends (bytes)',
      close: 'Who closes',
      closeNone: 'nobody', closeClient: 'client first', closeServer: 'server first', closeBoth: 'both at once',
      lose: 'Lose on the wire: click a segment (again to restore it)',
      allClient: 'all the client sends',
      allServer: 'all the server sends',
      run: 'Run', reset: 'Reset', pcap: 'Download .pcap', link: 'Copy link', copied: 'Link copied',
      diagram: 'Sequence diagram', timeline: 'States over time', table: 'Segment table', mermaid: 'Mermaid source',
      bad: 'This experiment cannot run:', stopped: 'The run stopped early:',
      ran: (n, ms) => `${n} segments, computed in this page in ${ms} ms.`,
      lost: 'lost', segment: 'segment',
      more: 'Data and close',
      start: 'Run this scenario here (loads the 150 KB lab)',
    },
    'zh-CN': {
      title: '动手试试：在本页运行实验室',
      scenario: '场景',
      latency: '单向延迟（毫秒）',
      client: '客户端发送（字节）',
      server: '服务器发送（字节）',
      close: '谁先关闭',
      closeNone: '不关闭', closeClient: '客户端先关', closeServer: '服务器先关', closeBoth: '同时关闭',
      lose: '在线路上丢弃：点击报文段（再点一次恢复）',
      allClient: '客户端发出的全部',
      allServer: '服务器发出的全部',
      run: '运行', reset: '重置', pcap: '下载 pcap', link: '复制链接', copied: '链接已复制',
      diagram: '时序图', timeline: '状态时间线', table: '报文段表', mermaid: 'Mermaid 源码',
      bad: '无法运行此实验：', stopped: '实验提前结束：',
      ran: (n, ms) => `共 ${n} 个报文段，在本页计算，用时 ${ms} 毫秒。`,
      lost: '丢弃', segment: '报文段',
      more: '数据与关闭',
      start: '在本页运行这个场景（加载 150 KB 的实验室）',
    },
  };
  const SCENARIOS = {
    handshake: ['Three-way handshake', '三次握手'],
    data: ['Data both ways', '双向数据'],
    close: ['Client-initiated close', '客户端发起关闭'],
    rst: ['SYN to a closed port', '向无人监听的端口发 SYN'],
    'lost-syn-ack': ['Lost SYN,ACK', '丢失 SYN,ACK'],
    backoff: ['Exponential backoff', '指数退避'],
    'lost-data': ['Lost data segment', '丢失数据报文段'],
    'simultaneous-close': ['Simultaneous close', '同时关闭'],
  };
  const zh = /^zh/i.test(document.documentElement.lang || '');
  const T = STRINGS[zh ? 'zh-CN' : 'en'];
  const root = typeof path_to_root === 'string' ? path_to_root : '';

  // The print page shows the static traces only.
  if (/print\.html$/.test(location.pathname)) return;

  const css = document.createElement('link');
  css.rel = 'stylesheet';
  css.href = root + 'assets/lab/lab.css';
  document.head.appendChild(css);

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === 'class') node.className = v;
      else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v);
    }
    for (const c of children) node.append(c);
    return node;
  }

  function parseFragment(text) {
    const p = {};
    for (const part of text.replace(/^#/, '').split('&')) {
      const i = part.indexOf('=');
      if (i > 0) p[part.slice(0, i)] = decodeURIComponent(part.slice(i + 1));
    }
    return p;
  }

  function widget(box, lab) {
    const compact = box.dataset.form === 'compact';
    const field = (label, input) => el('label', { class: 'lab-field' }, el('span', {}, label), input);
    const text = (name, max) => el('input', { type: 'text', inputmode: 'numeric', name, size: String(max), autocomplete: 'off' });
    const scenario = el('select', { name: 'scenario' });
    for (const [name, titles] of Object.entries(SCENARIOS)) scenario.append(el('option', { value: name }, titles[zh ? 1 : 0]));
    const latency = text('latency', 4);
    const client = text('client', 5);
    const server = text('server', 5);
    const close = el('select', { name: 'close' });
    for (const [v, k] of [['none', 'closeNone'], ['client', 'closeClient'], ['server', 'closeServer'], ['both', 'closeBoth']]) close.append(el('option', { value: v }, T[k]));
    const allClient = el('input', { type: 'checkbox', name: 'all-client' });
    const allServer = el('input', { type: 'checkbox', name: 'all-server' });
    const chips = el('div', { class: 'lab-chips', role: 'group', 'aria-label': T.lose });
    const status = el('p', { class: 'lab-status', role: 'status', 'aria-live': 'polite' });
    const error = el('p', { class: 'lab-error', role: 'alert', hidden: '' });
    const ladder = el('div', { class: 'lab-ladder-box' });
    const timeline = el('div', { class: 'lab-timeline-box' });
    const table = el('pre', { class: 'lab-table' });
    const mermaid = el('pre', { class: 'lab-mermaid' });
    const results = el('div', { class: 'lab-results' },
      el('h4', {}, T.diagram), ladder,
      el('h4', {}, T.timeline), timeline,
      compact ? el('details', {}, el('summary', {}, T.table), table) : el('div', {}, el('h4', {}, T.table), table),
      el('details', {}, el('summary', {}, T.mermaid), mermaid));
    let lose = new Set();
    let last = null;

    const fragment = () => {
      const items = [...lose].sort((a, b) => a - b).map(String);
      if (allClient.checked) items.push('client');
      if (allServer.checked) items.push('server');
      return `scenario=${scenario.value}&lose=${items.join(',')}&latency=${latency.value.trim()}` +
        `&client=${client.value.trim()}&server=${server.value.trim()}&close=${close.value}`;
    };

    function fill(canonical) {
      const p = parseFragment(canonical);
      scenario.value = p.scenario;
      latency.value = p.latency;
      client.value = p.client;
      server.value = p.server;
      close.value = p.close;
      const items = (p.lose || '').split(',').filter(Boolean);
      lose = new Set(items.filter((i) => /^\d+$/.test(i)).map(Number));
      allClient.checked = items.includes('client');
      allServer.checked = items.includes('server');
    }

    function run(share) {
      const started = performance.now();
      const r = lab.run(fragment());
      const ms = performance.now() - started;
      box.dataset.runMs = ms.toFixed(2);
      // The slowest run so far, the first one (which compiles) included.
      box.dataset.runMsMax = Math.max(ms, Number(box.dataset.runMsMax || 0)).toFixed(2);
      box.dataset.status = String(r.status);
      error.hidden = r.status === 0;
      error.textContent = r.status === 1 ? `${T.bad} ${r.error}` : r.status === 2 ? `${T.stopped} ${r.error}` : '';
      if (r.status === 1) {
        results.hidden = true;
        status.textContent = '';
        return;
      }
      last = r;
      results.hidden = false;
      ladder.innerHTML = r.ladder;
      timeline.innerHTML = r.timeline;
      table.textContent = r.table;
      mermaid.textContent = r.mermaid;
      chips.replaceChildren(...r.segments.map((s) => {
        const arrow = s.from === 'client' ? 'C→S' : 'S→C';
        const label = `${s.n} ${arrow} ${s.flags}${s.len ? ' ' + s.len : ''}`;
        return el('button', {
          type: 'button', class: 'lab-chip', 'data-n': String(s.n), 'aria-pressed': String(s.lost),
          title: `${T.segment} ${s.n}, ${s.ms} ms${s.lost ? ', ' + T.lost : ''}`,
          onclick: () => toggle(s.n),
        }, label);
      }));
      status.textContent = T.ran(r.segments.length, ms < 1 ? ms.toFixed(2) : ms.toFixed(1));
      if (share) history.replaceState(null, '', '#' + r.fragment);
    }

    function toggle(n) {
      if (lose.has(n)) lose.delete(n);
      else lose.add(n);
      run(true);
      const again = chips.querySelector(`[data-n="${n}"]`);
      if (again) again.focus();
    }

    function reset() {
      const r = lab.run(`scenario=${scenario.value}`);
      fill(r.fragment);
      run(true);
    }

    function download() {
      if (!last) return;
      const a = el('a', { href: URL.createObjectURL(new Blob([last.pcap], { type: 'application/vnd.tcpdump.pcap' })), download: `${scenario.value}-experiment.pcap` });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(a.href), 1000);
    }

    ladder.addEventListener('click', (ev) => {
      const g = ev.target.closest('[data-n]');
      if (g) toggle(Number(g.dataset.n));
    });
    ladder.addEventListener('keydown', (ev) => {
      const g = ev.target.closest('[data-n]');
      if (g && (ev.key === 'Enter' || ev.key === ' ')) {
        ev.preventDefault();
        toggle(Number(g.dataset.n));
      }
    });
    for (const input of [latency, client, server]) input.addEventListener('change', () => run(true));
    for (const input of [close, allClient, allServer]) input.addEventListener('change', () => run(true));
    scenario.addEventListener('change', reset);

    const dataAndClose = el('div', { class: 'lab-row' }, field(T.client, client), field(T.server, server), field(T.close, close));
    box.replaceChildren(
      el('p', { class: 'lab-title' }, T.title),
      el('div', { class: 'lab-row' },
        compact ? '' : field(T.scenario, scenario),
        field(T.latency, latency)),
      compact ? el('details', { class: 'lab-more' }, el('summary', {}, T.more), dataAndClose) : dataAndClose,
      el('p', { class: 'lab-lose' }, T.lose),
      chips,
      el('div', { class: 'lab-row' },
        el('label', { class: 'lab-check' }, allClient, T.allClient),
        el('label', { class: 'lab-check' }, allServer, T.allServer)),
      el('div', { class: 'lab-row lab-actions' },
        el('button', { type: 'button', class: 'lab-run', onclick: () => run(true) }, T.run),
        el('button', { type: 'button', class: 'lab-reset', onclick: reset }, T.reset),
        el('button', { type: 'button', class: 'lab-pcap', onclick: download }, T.pcap),
        el('button', {
          type: 'button', class: 'lab-link', onclick: async () => {
            run(true);
            try { await navigator.clipboard.writeText(location.href); status.textContent = T.copied; } catch (_) { /* the URL bar has it */ }
          },
        }, T.link)),
      error, status, results);

    // A shared experiment in the URL wins over the chapter's scenario.
    const shared = /(^|&)scenario=/.test(location.hash.slice(1)) ? location.hash.slice(1) : '';
    const first = shared ? lab.run(shared) : null;
    if (first && first.status === 1) {
      scenario.value = parseFragment(shared).scenario in SCENARIOS ? parseFragment(shared).scenario : box.dataset.scenario;
      fill(lab.run(`scenario=${scenario.value}`).fragment);
      run(false);
      error.hidden = false;
      error.textContent = `${T.bad} ${first.error}`;
    } else {
      fill(first ? first.fragment : lab.run(`scenario=${box.dataset.scenario}`).fragment);
      run(false);
      if (first) box.scrollIntoView();
    }
    box.hidden = false;
  }

  async function start() {
    const boxes = document.querySelectorAll('.lab-widget');
    if (boxes.length === 0) return;
    const url = root + 'assets/lab/packetlab.wasm';
    let lab = null;
    const getLab = async () => {
      if (!lab) lab = await load(await (await fetch(url)).arrayBuffer());
      return lab;
    };
    try {
      // No module (plain `mdbook serve`): the static traces stay.
      const head = await fetch(url, { method: 'HEAD' });
      if (!head.ok || typeof WebAssembly !== 'object') return;
    } catch (_) {
      return;
    }
    const shared = /(^|&)scenario=/.test(location.hash.slice(1));
    for (const box of boxes) {
      // A compact widget loads the module when the reader asks (or a shared
      // URL does), so the chapter stays light; the packet-lab chapter's full
      // form loads it at once.
      if (box.dataset.form === 'compact' && !shared) {
        const go = el('button', { type: 'button', class: 'lab-start' }, T.start);
        go.addEventListener('click', async () => {
          go.disabled = true;
          try { widget(box, await getLab()); } catch (e) { go.textContent = String(e); }
        });
        box.replaceChildren(el('p', { class: 'lab-title' }, T.title), go);
        box.hidden = false;
      } else {
        try { widget(box, await getLab()); } catch (_) { /* no WebAssembly: the static traces stay */ }
      }
    }
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
