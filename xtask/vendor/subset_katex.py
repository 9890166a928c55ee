"""Cuts KaTeX's fonts down to the characters the book's math uses.

Run by `cargo xtask vendor` in a virtual environment with the fontTools and
brotli versions pinned in tools.toml ([vendor]); never at build time.

    python subset_katex.py <built site> <katex package dist/> <output dir>

It reads every page of the built site, collects the characters KaTeX drew
(the text of every `.katex-html` element: the MathML copy is for screen
readers), and writes to <output dir>:
  - fonts/BookMath_<style>.woff2: each of KaTeX's woff2 fonts cut to those
    characters;
  - katex.min.css: KaTeX's stylesheet with the new family and file names,
    and only the woff2 source of each font (every browser that runs the book's
    scripts reads woff2; the woff and ttf files are not published).
The fonts' licence (SIL OFL 1.1) reserves each family name ("KaTeX_Main", ...)
for the original: a subset is a Modified Version, so the families are renamed
"BookMath_..." in the fonts' name tables and in the stylesheet. The copyright
and licence entries are kept. The output is byte-for-byte reproducible.
"""

import glob
import os
import re
import sys
from html.parser import HTMLParser

from fontTools import subset
from fontTools.ttLib import TTFont

OLD, NEW = "KaTeX_", "BookMath_"


class MathText(HTMLParser):
    """Collects the text inside elements whose class list has `katex-html`."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []  # True where an open element is inside .katex-html
        self.chars = set()

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        classes = (dict(attrs).get("class") or "").split()
        inside = bool(self.stack and self.stack[-1]) or "katex-html" in classes
        self.stack.append(inside)

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        if self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if self.stack and self.stack[-1]:
            self.chars.update(c for c in data if not c.isspace())


def main() -> None:
    site, dist, out = sys.argv[1:4]
    parser = MathText()
    pages = sorted(glob.glob(os.path.join(site, "**", "*.html"), recursive=True))
    for page in pages:
        with open(page, encoding="utf-8") as f:
            parser.feed(f.read())
        parser.stack.clear()
    chars = "".join(sorted(parser.chars))
    if not chars:
        raise SystemExit(f"no KaTeX output in {site}: build the book first (`cargo xtask build`)")
    print(f"the book's math draws {len(chars)} distinct characters: {chars}")

    os.makedirs(os.path.join(out, "fonts"), exist_ok=True)
    for source in sorted(glob.glob(os.path.join(dist, "fonts", OLD + "*.woff2"))):
        name = os.path.basename(source).replace(OLD, NEW)
        font = TTFont(source, recalcTimestamp=False)
        options = subset.Options()
        options.flavor = "woff2"
        options.recalc_timestamp = False
        options.name_IDs = ["*"]
        options.notdef_outline = True
        subsetter = subset.Subsetter(options)
        subsetter.populate(text=chars + " ")
        subsetter.subset(font)
        for record in font["name"].names:
            if record.nameID in (1, 3, 4, 6, 16, 21):
                record.string = record.toUnicode().replace(OLD, NEW)
            if record.nameID in (1, 3, 4, 6, 16, 21) and OLD in record.toUnicode():
                raise SystemExit(f"{name}: name {record.nameID} still holds the reserved name")
        font.flavor = "woff2"
        target = os.path.join(out, "fonts", name)
        font.save(target, reorderTables=False)
        print(f"{target}: {len(font.getBestCmap())} characters, {os.path.getsize(target)} bytes (was {os.path.getsize(source)})")

    with open(os.path.join(dist, "katex.min.css"), encoding="utf-8") as f:
        css = f.read()
    # src:url(a.woff2) format("woff2"),url(a.woff) format("woff"),url(a.ttf) format("truetype")
    css, n = re.subn(r'(src:url\([^)]*\.woff2\) format\("woff2"\)),url\([^)]*\.woff\) format\("woff"\),url\([^)]*\.ttf\) format\("truetype"\)', r"\1", css)
    if n == 0 or ".woff)" in css or ".ttf)" in css:
        raise SystemExit("katex.min.css: the @font-face rules are not in the expected form")
    css = css.replace(OLD, NEW)
    with open(os.path.join(out, "katex.min.css"), "w", encoding="utf-8") as f:
        f.write(css)
    print(f"katex.min.css: {n} fonts, woff2 only, families renamed {OLD}* -> {NEW}*")


if __name__ == "__main__":
    main()
