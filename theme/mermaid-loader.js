// Renders the page's mermaid diagrams, and loads mermaid.js (2.7 MB) only on
// pages that hold one. The diagrams follow mdBook's theme: light themes
// (light, rust) use mermaid's "default" theme, dark ones (coal, navy, ayu)
// its "dark" theme. "Auto" works too: mdBook turns the OS preference into one
// of those classes on <html>, and a class change re-renders the diagrams in
// place, without reloading the page.
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
            mermaid.initialize({ startOnLoad: false, theme });
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
