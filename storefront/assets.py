"""Builds the storefront's third-party static assets from the installed npm packages
(`npm ci` by `make`): the Vazirmatn font cut down with fonttools to the characters the
pages use (Persian and Latin letters, both digit sets, punctuation), as WOFF2.

Nothing built here is committed: the output folder is one of STATICFILES_DIRS, and
collectstatic hashes and compresses it like any other static file. Run with
`python -m storefront.assets`; it rebuilds only what is older than its source.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / "node_modules"
OUTPUT = ROOT / ".assets" / "static"
FONT_DIR = OUTPUT / "storefront" / "fonts"

# (source in the npm package, built file name under storefront/fonts/)
FONTS = {
    "vazirmatn/fonts/ttf/Vazirmatn-Regular.ttf": "vazirmatn-regular.woff2",
    "vazirmatn/fonts/ttf/Vazirmatn-Bold.ttf": "vazirmatn-bold.woff2",
}

# Latin for the English pages and product codes; the Arabic block's letters that Persian
# writes, its marks and separators; Persian digits; ZWNJ and the direction marks; the
# typographic punctuation that translations use.
UNICODES = [
    *range(0x20, 0x7F),
    0xA0,
    0xAB,
    0xBB,
    0xD7,
    0x060C,
    0x061B,
    0x061F,
    *range(0x0621, 0x063B),
    *range(0x0640, 0x0656),
    *range(0x0660, 0x066E),
    0x0670,
    0x067E,
    0x0686,
    0x0698,
    0x06A9,
    0x06AF,
    0x06BE,
    0x06C0,
    0x06CC,
    *range(0x06F0, 0x06FA),
    *range(0x200C, 0x2010),
    0x2013,
    0x2014,
    *range(0x2018, 0x201F),
    0x2022,
    0x2026,
    0x2039,
    0x203A,
    0x2192,
    0x2190,
]


def subset_font(source: Path, target: Path) -> None:
    from fontTools import subset

    options = subset.Options()
    options.flavor = "woff2"
    # fontTools' default layout features already keep what Persian needs (init, medi,
    # fina, rlig, marks, kerning); only naming and hinting, unused by browsers, go.
    options.name_IDs = [0, 1, 2]
    options.hinting = False
    options.desubroutinize = True
    font = subset.load_font(str(source), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=UNICODES)
    subsetter.subset(font)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".part")
    subset.save_font(font, str(partial), options)
    partial.replace(target)


def build(force: bool = False) -> list[Path]:
    """The built files; FileNotFoundError, naming the command to run, when the npm
    package is not installed."""
    built = []
    for source_name, target_name in FONTS.items():
        source = NODE_MODULES / source_name
        target = FONT_DIR / target_name
        if not source.exists():
            raise FileNotFoundError(f"{source} is missing: run `npm ci` first (make does).")
        if force or not target.exists() or target.stat().st_mtime < source.stat().st_mtime:
            subset_font(source, target)
        built.append(target)
    return built


def main() -> int:
    try:
        built = build(force="--force" in sys.argv)
    except FileNotFoundError as exc:
        print(exc, file=sys.stderr)
        return 1
    for path in built:
        print(f"{path.relative_to(ROOT)}: {path.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
