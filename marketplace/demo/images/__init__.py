"""Product pictures for the demo catalogue, drawn with Pillow from a seed (no downloads).

Each motif paints something a buyer recognises at thumbnail size (saffron threads on a
plate, a pile of pistachios, a rug's border and medallion, a turquoise ring) in the
product's colours, over a soft gradient; the same seed always gives the same picture.
"""

from __future__ import annotations

import io
import random
from collections.abc import Callable

from PIL import Image, ImageDraw

from marketplace.demo.images.canvas import SCALE, Canvas, gradient, hex_color, jitter
from marketplace.demo.images.crafts import inlaid_plate, jewellery, rug, vase, wood
from marketplace.demo.images.food import (
    fruit,
    honeycomb_piece,
    jar,
    petals,
    pile,
    pistachios,
    saffron,
)

BACKGROUNDS: dict[str, tuple[str, str]] = {
    "saffron": ("#5a1631", "#a3324a"),
    "cumin": ("#c9a66b", "#8a6a3a"),
    "raisin-green": ("#d9d39a", "#9aa05a"),
    "raisin-golden": ("#f0d28a", "#c48a3a"),
    "raisin-red": ("#e8c3a0", "#8a4a3a"),
    "barberry": ("#f6e6e0", "#d9a0a0"),
    "mulberry": ("#efe6d2", "#c9b48a"),
    "jujube": ("#f0dcc8", "#a8644a"),
    "apricot": ("#fbe2b8", "#e39b4a"),
    "pistachio": ("#dfeac2", "#8fb36a"),
    "pistachio-kernel": ("#f1eedb", "#b7c98a"),
    "kashk": ("#dbe8f2", "#7fa3c4"),
    "butter": ("#f7efcf", "#d8c27a"),
    "chickpea": ("#efe2c4", "#b59a6a"),
    "lentil": ("#f2e0c0", "#c07a4a"),
    "honey": ("#f6d27a", "#c4861e"),
    "molasses": ("#e9c79a", "#7a3c1e"),
    "rob": ("#f3d6c8", "#9a2a2a"),
    "golab": ("#f6e2ea", "#d79ab0"),
    "rose": ("#f8e1e8", "#e3a3b8"),
    "herb": ("#e4efd6", "#8fb07a"),
    "pomegranate": ("#f4e3cf", "#caa27a"),
    "grapes": ("#eef0d8", "#b9c27a"),
    "rug": ("#e8e2d6", "#b9aa94"),
    "vase": ("#efe6d8", "#c2ab8a"),
    "jewel": ("#1f2a44", "#3c4a6e"),
    "wood": ("#eadfcd", "#b79a76"),
}


def _motifs() -> dict[str, tuple[str, Callable[[Canvas], None]]]:
    """Motif name → (background, painter)."""
    return {
        "saffron-sargol": ("saffron", lambda c: saffron(c, "sargol")),
        "saffron-negin": ("saffron", lambda c: saffron(c, "negin")),
        "saffron-pushal": ("saffron", lambda c: saffron(c, "pushal")),
        "saffron-dasteh": ("saffron", lambda c: saffron(c, "dasteh")),
        "cumin": (
            "cumin",
            lambda c: pile(
                c,
                [(120, 100, 60), (150, 128, 80)],
                size=12,
                elongation=2.6,
                count=900,
                highlight=False,
            ),
        ),
        "raisin-green": (
            "raisin-green",
            lambda c: pile(
                c, [(150, 150, 60), (176, 168, 80), (130, 128, 50)], size=22, elongation=1.3
            ),
        ),
        "raisin-golden": (
            "raisin-golden",
            lambda c: pile(
                c, [(196, 140, 50), (220, 170, 70), (170, 110, 40)], size=20, elongation=1.8
            ),
        ),
        "raisin-red": (
            "raisin-red",
            lambda c: pile(
                c, [(110, 40, 36), (140, 60, 44), (90, 30, 30)], size=22, elongation=1.3
            ),
        ),
        "barberry": (
            "barberry",
            lambda c: pile(
                c, [(200, 20, 40), (220, 40, 50), (170, 10, 30)], size=15, elongation=1.5, count=700
            ),
        ),
        "mulberry": (
            "mulberry",
            lambda c: pile(
                c, [(236, 222, 190), (220, 200, 160), (200, 180, 140)], size=22, elongation=1.4
            ),
        ),
        "jujube": (
            "jujube",
            lambda c: pile(
                c, [(140, 50, 30), (160, 70, 40), (120, 40, 30)], size=34, elongation=1.3, count=160
            ),
        ),
        "apricot": (
            "apricot",
            lambda c: pile(
                c,
                [(232, 140, 50), (240, 160, 70), (214, 120, 40)],
                size=44,
                elongation=1.1,
                count=90,
            ),
        ),
        "pistachio": ("pistachio", lambda c: pistachios(c, shelled=False)),
        "pistachio-kernel": ("pistachio-kernel", lambda c: pistachios(c, shelled=True)),
        "kashk": (
            "kashk",
            lambda c: pile(c, [(246, 242, 230), (236, 230, 214)], size=40, count=110),
        ),
        "qurut": (
            "kashk",
            lambda c: pile(c, [(60, 40, 34), (80, 54, 40)], size=30, elongation=1.2, count=160),
        ),
        "butter": ("butter", lambda c: jar(c, (240, 214, 120), comb=False, lid=(120, 150, 190))),
        "chickpea": (
            "chickpea",
            lambda c: pile(c, [(222, 196, 140), (206, 178, 120)], size=20, count=500),
        ),
        "lentil": (
            "lentil",
            lambda c: pile(
                c,
                [(190, 120, 60), (120, 110, 60)],
                size=13,
                elongation=1.1,
                count=900,
                highlight=False,
            ),
        ),
        "grain": (
            "chickpea",
            lambda c: pile(
                c,
                [(200, 160, 90), (180, 140, 70)],
                size=10,
                elongation=2.0,
                count=1200,
                highlight=False,
            ),
        ),
        "honey": ("honey", lambda c: jar(c, (214, 138, 20), comb=True)),
        "honeycomb": ("honey", lambda c: honeycomb_piece(c)),
        "molasses": ("molasses", lambda c: jar(c, (96, 40, 20), comb=False, lid=(170, 120, 70))),
        "rob": ("rob", lambda c: jar(c, (140, 20, 30), comb=False, lid=(60, 90, 60))),
        "golab": ("golab", lambda c: jar(c, (240, 210, 220), comb=False, lid=(200, 120, 150))),
        "rose": ("rose", lambda c: petals(c, (214, 90, 130), (96, 140, 80), cup=False)),
        "rose-tea": ("rose", lambda c: petals(c, (214, 90, 130), (96, 140, 80), cup=True)),
        "herb": ("herb", lambda c: petals(c, (150, 170, 100), (90, 130, 70), cup=False)),
        "herb-tea": ("herb", lambda c: petals(c, (180, 160, 90), (90, 130, 70), cup=True)),
        "pomegranate": ("pomegranate", lambda c: fruit(c, (190, 30, 40), crown=True)),
        "grapes": (
            "grapes",
            lambda c: pile(c, [(170, 190, 80), (150, 176, 70)], size=34, count=140),
        ),
        "rug-mashhad": ("rug", lambda c: rug(c, "mashhad", "rug")),
        "rug-baluch": ("rug", lambda c: rug(c, "baluch", "rug")),
        "rug-tableau": ("rug", lambda c: rug(c, "mashhad", "tableau")),
        "kilim": ("rug", lambda c: rug(c, "kilim", "kilim")),
        "felt": ("rug", lambda c: rug(c, "felt", "rug")),
        "vase-turquoise": ("vase", lambda c: vase(c, (184, 110, 60), inlay=True)),
        "vase-clay": ("vase", lambda c: vase(c, (196, 120, 70), inlay=False)),
        "plate-inlaid": ("vase", inlaid_plate),
        "ring": ("jewel", lambda c: jewellery(c, "ring")),
        "earrings": ("jewel", lambda c: jewellery(c, "earrings")),
        "necklace": ("jewel", lambda c: jewellery(c, "necklace")),
        "tasbih": ("jewel", lambda c: jewellery(c, "tasbih")),
        "stones": ("jewel", lambda c: jewellery(c, "stones")),
        "wood": ("wood", wood),
    }


MOTIFS = _motifs()


def render(motif: str, seed: int) -> Image.Image:
    """The picture for `motif`, varied by `seed` (same inputs, same pixels)."""
    background, painter = MOTIFS[motif]
    rng = random.Random(seed)
    top, bottom = (hex_color(v) for v in BACKGROUNDS[background])
    image = gradient(jitter(top, rng, 8), jitter(bottom, rng, 8))
    canvas = Canvas(image=image, draw=ImageDraw.Draw(image), rng=rng)
    painter(canvas)
    # A box filter over each 2×2 block: the anti-aliasing the drawing lacked, and fast.
    return image.reduce(SCALE)


def render_jpeg(motif: str, seed: int, quality: int = 84) -> bytes:
    buffer = io.BytesIO()
    render(motif, seed).save(buffer, "JPEG", quality=quality, optimize=True, progressive=True)
    return buffer.getvalue()
