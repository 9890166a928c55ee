// The book's search: mdBook's search bar, answered by Pagefind.
//
// mdBook's own search is off (book.toml), because its index drops every
// Chinese word. `cargo xtask build` (and `serve`) index the built site with
// Pagefind into `pagefind/`. Nothing of it is loaded until the reader opens
// the search bar (the icon, `s` or `/`); then `pagefind/pagefind.js` loads the
// index of the page's language (`<html lang>`) piece by piece, as the words
// typed need them. `?search=words` in a page's address opens the bar with
// those words, as mdBook's search did.
(function () {
    'use strict';
    const wrapper = document.getElementById('mdbook-search-wrapper');
    const toggle = document.getElementById('mdbook-search-toggle');
    const form = document.getElementById('mdbook-searchbar-outer');
    const bar = document.getElementById('mdbook-searchbar');
    const outer = document.getElementById('mdbook-searchresults-outer');
    const header = document.getElementById('mdbook-searchresults-header');
    const list = document.getElementById('mdbook-searchresults');
    if (!wrapper || !toggle || !bar || !list) {
        return;
    }
    const MAX_RESULTS = 10;
    // path_to_root is set by mdBook's template on every page.
    const root = new URL(typeof path_to_root === 'string' ? path_to_root : '', document.baseURI);
    let pagefind = null;

    // book.js asks this before treating a key as chapter navigation.
    window.search = Object.assign(window.search || {}, {
        hasFocus: () => document.activeElement === bar,
    });

    function load() {
        if (!pagefind) {
            form.classList.add('searching');
            pagefind = import(new URL('pagefind/pagefind.js', root).href)
                .then(async pf => {
                    await pf.options({ baseUrl: root.pathname, excerptLength: 20 });
                    await pf.init();
                    return pf;
                })
                .finally(() => form.classList.remove('searching'));
        }
        return pagefind;
    }

    function isOpen() {
        return !wrapper.classList.contains('hidden');
    }

    function open() {
        wrapper.classList.remove('hidden');
        toggle.setAttribute('aria-expanded', 'true');
        window.scrollTo(0, 0);
        bar.select();
        load().catch(() => {});
    }

    function close() {
        wrapper.classList.add('hidden');
        toggle.setAttribute('aria-expanded', 'false');
        if (window.search.hasFocus()) {
            bar.blur();
        }
    }

    function showResults(yes) {
        outer.classList.toggle('hidden', !yes);
    }

    function resultItem(page) {
        // The section that matched best, else the page itself.
        const section = (page.sub_results || []).find(s => s.url) || page;
        const li = document.createElement('li');
        const a = document.createElement('a');
        a.href = section.url;
        const pageTitle = page.meta && page.meta.title ? page.meta.title : page.url;
        a.textContent = section.title && section.title !== pageTitle
            ? pageTitle + ' » ' + section.title
            : pageTitle;
        const teaser = document.createElement('span');
        teaser.className = 'teaser';
        teaser.setAttribute('aria-label', 'Search Result Teaser');
        // Pagefind's excerpt is the page's escaped text with <mark> around matches.
        teaser.innerHTML = section.excerpt || page.excerpt || '';
        li.append(a, teaser);
        return li;
    }

    let latest = 0;
    async function run() {
        const term = bar.value.trim();
        const mine = ++latest;
        setUrlParameter(term);
        if (term === '') {
            list.replaceChildren();
            showResults(false);
            return;
        }
        let pf;
        try {
            pf = await load();
        } catch (error) {
            header.textContent = text.unavailable;
            showResults(true);
            console.error('Pagefind failed to load:', error);
            return;
        }
        const found = await pf.debouncedSearch(term, {}, 120);
        if (found === null || mine !== latest) {
            return;
        }
        const pages = await Promise.all(found.results.slice(0, MAX_RESULTS).map(r => r.data()));
        if (mine !== latest) {
            return;
        }
        const count = found.results.length;
        header.textContent = text.found(count, term);
        list.replaceChildren(...pages.map(resultItem));
        showResults(true);
    }

    // The bar's own words, in the page's language (theme/index.hbs has the rest).
    const texts = {
        en: {
            unavailable: 'Search is not available: its index was not built (cargo xtask build).',
            found: (count, term) => count === 0
                ? 'No search results for \u201c' + term + '\u201d.'
                : count + (count === 1 ? ' page matches' : ' pages match') + ' \u201c' + term + '\u201d'
                    + (count > MAX_RESULTS ? ' (the first ' + MAX_RESULTS + ' shown):' : ':'),
        },
        'zh-CN': {
            unavailable: '搜索不可用：没有构建搜索索引（cargo xtask build）。',
            found: (count, term) => count === 0
                ? '没有找到\u201c' + term + '\u201d。'
                : '有 ' + count + ' 页包含\u201c' + term + '\u201d'
                    + (count > MAX_RESULTS ? '（显示前 ' + MAX_RESULTS + ' 页）：' : '：'),
        },
    };
    const text = texts[document.documentElement.lang] || texts.en;

    function setUrlParameter(term) {
        const url = new URL(window.location.href);
        if (term) {
            url.searchParams.set('search', term);
        } else {
            url.searchParams.delete('search');
        }
        window.history.replaceState(window.history.state, '', url.href);
    }

    function results() {
        return Array.from(list.querySelectorAll('li > a'));
    }

    toggle.addEventListener('click', () => (isOpen() ? close() : open()));
    form.addEventListener('submit', e => e.preventDefault());
    bar.addEventListener('input', run);

    document.addEventListener('keydown', e => {
        if (e.altKey || e.ctrlKey || e.metaKey) {
            return;
        }
        const target = e.composedPath()[0] || e.target;
        const typing = /^(?:input|select|textarea)$/i.test(target.nodeName) && target !== bar;
        if (typing) {
            return;
        }
        const links = results();
        const at = links.indexOf(document.activeElement);
        if (e.key === 'Escape' && isOpen()) {
            e.preventDefault();
            close();
        } else if (!window.search.hasFocus() && at < 0 && !e.shiftKey && (e.key === 's' || e.key === '/')) {
            e.preventDefault();
            open();
        } else if (window.search.hasFocus() && (e.key === 'ArrowDown' || e.key === 'Enter') && links.length > 0) {
            e.preventDefault();
            if (e.key === 'Enter') {
                window.location.assign(links[0].href);
            } else {
                links[0].focus();
            }
        } else if (at >= 0 && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) {
            e.preventDefault();
            const next = at + (e.key === 'ArrowDown' ? 1 : -1);
            if (next < 0) {
                bar.focus();
            } else if (next < links.length) {
                links[next].focus();
            }
        }
    });

    const initial = new URL(window.location.href).searchParams.get('search');
    if (initial) {
        open();
        bar.value = initial;
        run();
    }
})();
