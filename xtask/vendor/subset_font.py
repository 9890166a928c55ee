"""Cuts mdBook's Source Code Pro down to the characters the book's code uses.

Run by `cargo xtask vendor` in a virtual environment with the fontTools and
brotli versions pinned in tools.toml ([vendor]); never at build time.

    python subset_font.py <input.woff2> <output.woff2> <unicode ranges> <new family name>

The font's licence (SIL OFL 1.1) reserves the name "Source" for the original:
a subset is a Modified Version, so the subset is renamed (name table entries
1, 3, 4, 6) and served under the new family name. The copyright, trademark and
licence entries are kept. The output is byte-for-byte reproducible: the
`head` table's timestamp is left as it was in the input.
"""

import sys

from fontTools import subset
from fontTools.ttLib import TTFont


def main() -> None:
    source, output, unicodes, family = sys.argv[1:5]
    font = TTFont(source, recalcTimestamp=False)
    options = subset.Options()
    options.flavor = "woff2"
    options.recalc_timestamp = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=subset.parse_unicodes(unicodes))
    subsetter.subset(font)

    postscript = family.replace(" ", "")
    for record in font["name"].names:
        text = record.toUnicode()
        if record.nameID in (1, 3, 4, 6):
            text = text.replace("Source Code Pro", family).replace("SourceCodePro", postscript)
            record.string = text
        if record.nameID in (1, 3, 4, 6) and "Source" in record.toUnicode():
            raise SystemExit(f"name {record.nameID} still holds the reserved name: {text!r}")
    font.flavor = "woff2"
    font.save(output, reorderTables=False)
    covered = sorted(font.getBestCmap())
    print(f"{output}: {len(covered)} characters")


if __name__ == "__main__":
    main()
