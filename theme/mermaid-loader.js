// For authors (`mdbook serve`): renders the page's mermaid diagrams in the
// browser, and loads mermaid.js (2.7 MB) only on pages that hold one. The
// published site (`cargo xtask build`) has its diagrams rendered at build time
// with the same settings (`window.bookMermaidConfig`, read by
// xtask/browser/render.cjs) and does not load this script. The diagrams follow mdBook's theme: light themes
// (light, rust) use mermaid's "default" theme, dark ones (coal, navy, ayu)
// its "dark" theme. "Auto" works too: mdBook turns the OS preference into one
// of those classes on <html>, and a class change re-renders the diagrams in
// place, without reloading the page.
window.bookMermaidConfig = (() => {
    // Natural size for every diagram type: with `useMaxWidth` on, mermaid
    // shrinks a diagram to the column, and its labels with it.
    const natural = { useMaxWidth: false };
    return {
        startOnLoad: false,
        securityLevel: 'strict',
        flowchart: natural,
        sequence: natural,
        state: natural,
        class: natural,
        er: natural,
        gantt: natural,
        journey: natural,
        pie: natural,
        packet: natural,
    };
})();

// The settings for one of mermaid's themes ("default" for light pages, "dark").
// packet-beta takes its colours from `themeVariables.packet` alone, black by
// default, which leaves its bit numbers black on a dark page: the dark theme
// gets light text on dark blocks. Its bit numbers are 10 px by default; the
// book's floor is 12 px.
window.bookMermaidFor = (theme) => {
    const packet = theme === 'dark'
        ? {
            byteFontSize: '12px',
            startByteColor: '#d0d0d0',
            endByteColor: '#d0d0d0',
            labelColor: '#f0f0f0',
            titleColor: '#f0f0f0',
            blockStrokeColor: '#d0d0d0',
            blockFillColor: '#2b3245',
        }
        : { byteFontSize: '12px' };
    return { ...window.bookMermaidConfig, theme, themeVariables: { packet } };
};

(() => {
    const blocks = Array.from(document.querySelectorAll('pre.mermaid'));
    if (blocks.length === 0) {
        return;
    }
    const darkThemes = ['coal', 'navy', 'ayu'];
    const html = document.documentElement;
    const isDark = () => darkThemes.some((theme) => html.classList.contains(theme));
    for (const block of blocks) {
        block.dataset.source = block.textContent;
    }

    let renderedDark = null;
    let queue = Promise.resolve();
    function render() {
        const dark = isDark();
        if (dark === renderedDark) {
            return;
        }
        renderedDark = dark;
        const theme = dark ? 'dark' : 'default';
        queue = queue.then(async () => {
            for (const block of blocks) {
                block.removeAttribute('data-processed');
                block.textContent = block.dataset.source;
            }
            mermaid.initialize(window.bookMermaidFor(theme));
            try {
                await mermaid.run({ nodes: blocks });
            } catch (error) {
                console.error('mermaid could not render a diagram:', error);
            }
            for (const block of blocks) {
                block.dataset.mermaidTheme = theme;
            }
        });
    }

    const script = document.createElement('script');
    script.src = path_to_root + 'assets/mermaid/mermaid.min.js';
    script.onload = () => {
        render();
        new MutationObserver(render).observe(html, { attributes: true, attributeFilter: ['class'] });
    };
    script.onerror = () => console.error('could not load ' + script.src);
    document.head.appendChild(script);
})();
