// Hidden lines of long listings, fetched when the reader asks for them (issue 16).
//
// A `noplayground` block that includes a listing with `rustdoc_include` keeps
// the rest of the file as hidden lines, so that its doctest compiles: up to
// 33 KB a block. `cargo xtask build` (xtask/src/light.rs) moves the hidden
// lines of such blocks out of the published page into `<page>.hidden.json`,
// leaves one empty `.boring` span so that book.js still adds its "Show hidden
// lines" button, and puts this script, inline, on those pages only. A click
// on that button (caught here before book.js toggles the lines) fetches the
// file once, puts the block's whole code back and highlights it again.
// Runnable blocks keep their hidden lines in the page: "Run" sends them.
(() => {
    const url = document.currentScript.dataset.hidden;
    let file = null;
    document.addEventListener('click', (event) => {
        const button = event.target.closest('pre > .buttons > button');
        if (!button || !/hidden lines/i.test(button.title)) return;
        const code = button.closest('pre').querySelector('code[data-hidden]');
        if (!code) return;
        const index = code.dataset.hidden;
        code.removeAttribute('data-hidden');
        file = file || fetch(url).then((response) => {
            if (!response.ok) throw new Error(`${url}: ${response.status}`);
            return response.json();
        });
        file.then((blocks) => {
            code.innerHTML = blocks[index];
            hljs.highlightBlock(code);
        }).catch((error) => {
            file = null;
            code.dataset.hidden = index;
            console.warn(`hidden lines not loaded: ${error.message}`);
        });
    }, true);
})();
