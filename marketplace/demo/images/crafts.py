"""Motifs for crafts: rugs, kilims and tableau rugs, pottery, turquoise, turned wood."""

from __future__ import annotations

import itertools
import math

from PIL import ImageDraw

from marketplace.demo.images.canvas import CANVAS, Canvas, Color, ellipse_points, jitter, mix

RUG_PALETTES: dict[str, list[Color]] = {
    "mashhad": [(142, 28, 38), (24, 38, 82), (238, 226, 198), (196, 150, 70), (80, 120, 110)],
    "baluch": [(98, 24, 30), (30, 30, 60), (200, 180, 150), (150, 70, 40), (60, 40, 40)],
    "kilim": [(196, 60, 40), (236, 196, 120), (40, 90, 120), (240, 232, 214), (110, 40, 50)],
    "felt": [(206, 190, 160), (120, 70, 50), (60, 50, 44), (230, 220, 196), (160, 110, 70)],
}


def rug(c: Canvas, palette: str, kind: str) -> None:
    """A rug seen from above: fringes, nested borders, a field of motifs, a medallion."""
    colors = RUG_PALETTES[palette]
    field, ground, light, accent, extra = colors
    if kind == "rug" and c.rng.random() < 0.5:
        # Weavers swap the field and the border colours from one rug to the next.
        field, ground = ground, field
    x0, y0, x1, y1 = CANVAS * 0.16, CANVAS * 0.07, CANVAS * 0.84, CANVAS * 0.93
    c.shadow((x0 - 20, y0 + 30, x1 + 40, y1 + 50), 80)
    for x in range(int(x0) + 10, int(x1) - 10, 18):
        c.draw.line((x, y0 - 40, x + c.rng.randint(-4, 4), y0), fill=light, width=6)
        c.draw.line((x, y1, x + c.rng.randint(-4, 4), y1 + 40), fill=light, width=6)
    c.draw.rectangle((x0, y0, x1, y1), fill=ground)
    if kind == "kilim":
        kilim_bands(c, (x0, y0, x1, y1), colors)
        return
    inset = 0
    for band, color in enumerate([light, field, accent, ground]):
        inset += 26 if band % 2 == 0 else 44
        c.draw.rectangle((x0 + inset, y0 + inset, x1 - inset, y1 - inset), fill=color)
    # Repeating small motifs (boteh-like lozenges) along the main border.
    step = 70
    for x in range(int(x0 + 100), int(x1 - 90), step):
        for y in (y0 + 48, y1 - 48):
            diamond(c.draw, x, y, 18, 16, light)
    for y in range(int(y0 + 100), int(y1 - 90), step):
        for x in (x0 + 48, x1 - 48):
            diamond(c.draw, x, y, 16, 18, light)
    fx0, fy0, fx1, fy1 = x0 + inset, y0 + inset, x1 - inset, y1 - inset
    c.draw.rectangle((fx0, fy0, fx1, fy1), fill=field)
    if kind == "tableau":
        tableau(c, (fx0, fy0, fx1, fy1))
        return
    motif = c.rng.choice([light, accent, extra])
    gap = c.rng.choice([70, 84, 96])
    for gy in range(int(fy0 + gap / 2), int(fy1), gap):
        for gx in range(int(fx0 + gap / 2), int(fx1), gap):
            if (gx // gap + gy // gap) % 2 == 0:
                diamond(c.draw, gx, gy, 14, 18, mix(field, motif, 0.55))
    cx, cy = (fx0 + fx1) / 2, (fy0 + fy1) / 2
    for scale, color in (
        (1.0, ground),
        (0.8, light),
        (0.62, accent),
        (0.44, field),
        (0.22, ground),
    ):
        diamond(c.draw, cx, cy, (fx1 - fx0) * 0.36 * scale, (fy1 - fy0) * 0.3 * scale, color)
    corner = c.rng.uniform(100, 190)
    for sx, sy in ((fx0, fy0), (fx1, fy0), (fx0, fy1), (fx1, fy1)):
        # Quarter medallions in the corners (the "lachak").
        c.draw.pieslice((sx - corner, sy - corner, sx + corner, sy + corner), 0, 360, fill=ground)
        inner = corner * 0.68
        c.draw.pieslice((sx - inner, sy - inner, sx + inner, sy + inner), 0, 360, fill=accent)
    c.draw.rectangle((x0, y0, x1, y1), outline=mix(ground, (0, 0, 0), 0.3), width=4)


def diamond(draw: ImageDraw.ImageDraw, cx: float, cy: float, rx: float, ry: float, color: Color):
    draw.polygon([(cx, cy - ry), (cx + rx, cy), (cx, cy + ry), (cx - rx, cy)], fill=color)


def kilim_bands(c: Canvas, box, colors: list[Color]) -> None:
    x0, y0, x1, y1 = box
    y = y0
    while y < y1:
        h = c.rng.choice([30, 40, 90, 130])
        color = c.rng.choice(colors)
        c.draw.rectangle((x0, y, x1, min(y + h, y1)), fill=color)
        if h >= 90:
            other = c.rng.choice([k for k in colors if k != color])
            w = h * 0.9
            x = x0 + w / 2
            while x < x1:
                diamond(c.draw, x, y + h / 2, w / 2 - 6, h / 2 - 8, other)
                diamond(c.draw, x, y + h / 2, w / 4, h / 4, color)
                x += w
        y += h


# Fields a tableau rug shows: saffron in flower, ripe wheat, green spring crops.
FIELD_ROWS: tuple[tuple[Color, Color], ...] = (
    ((150, 90, 170), (92, 112, 50)),
    ((214, 176, 80), (170, 130, 60)),
    ((120, 160, 70), (80, 120, 50)),
)
SKIES: tuple[Color, ...] = ((150, 186, 204), (236, 190, 150), (180, 200, 220))


def tableau(c: Canvas, box) -> None:
    """A pictorial rug: sky, hills and rows of a field, as the tableau weavers draw them."""
    x0, y0, x1, y1 = box
    horizon = y0 + (y1 - y0) * c.rng.uniform(0.35, 0.55)
    c.draw.rectangle((x0, y0, x1, horizon), fill=c.rng.choice(SKIES))
    sun = c.rng.uniform(x0 + 60, x1 - 170)
    c.draw.ellipse((sun, y0 + 60, sun + 110, y0 + 170), fill=(246, 222, 150))
    for i, shade in enumerate([(120, 110, 130), (150, 130, 110)]):
        points = [(x0, horizon)]
        for k in range(9):
            points.append((x0 + (x1 - x0) * k / 8, horizon - c.rng.uniform(40, 200) + i * 50))
        points.append((x1, horizon))
        c.draw.polygon(points, fill=shade)
    first, second = c.rng.choice(FIELD_ROWS)
    c.draw.rectangle((x0, horizon, x1, y1), fill=second)
    rows = c.rng.randint(9, 14)
    for row in range(rows):
        y = horizon + (row + 1) * (y1 - horizon) / (rows + 1)
        c.draw.line((x0, y, x1, y), fill=first if row % 2 == 0 else second, width=12 + row * 2)


def vase(c: Canvas, glaze: Color, inlay: bool) -> None:
    cx, base = CANVAS / 2, CANVAS * 0.86
    # Every pot thrown on the wheel comes out a little wider or slimmer, and fired darker.
    girth = c.rng.uniform(0.8, 1.12)
    glaze = jitter(glaze, c.rng, 18)
    profile = [
        (t, w * girth)
        for t, w in ((0.0, 0.16), (0.1, 0.24), (0.3, 0.3), (0.5, 0.26), (0.7, 0.14), (0.85, 0.11))
    ] + [(1.0, 0.14 * girth)]
    height = CANVAS * c.rng.uniform(0.58, 0.7)
    left = [(cx - w * CANVAS, base - t * height) for t, w in profile]
    right = [(cx + w * CANVAS, base - t * height) for t, w in reversed(profile)]
    c.shadow((cx - 300, base - 60, cx + 300, base + 60), 90)
    c.draw.polygon(left + right, fill=glaze)
    c.draw.polygon(
        [(x + 30, y) for x, y in left[1:5]] + [(cx - 40, base - 0.5 * height)],
        fill=mix(glaze, (255, 255, 255), 0.25),
    )
    for t in (0.12, 0.2, 0.62, 0.8):
        w = _profile_width(profile, t) * CANVAS
        c.draw.line(
            (cx - w, base - t * height, cx + w, base - t * height),
            fill=mix(glaze, (40, 20, 10), 0.5),
            width=10,
        )
    if inlay:
        # Turquoise chips set in copper or clay (firuzeh-kubi): a dense mosaic of dots.
        for _ in range(700):
            t = c.rng.uniform(0.24, 0.58)
            w = _profile_width(profile, t) * CANVAS * 0.9
            x = cx + c.rng.uniform(-w, w)
            r = c.rng.uniform(6, 12)
            c.draw.ellipse(
                (x - r, base - t * height - r, x + r, base - t * height + r),
                fill=jitter((64, 190, 196), c.rng, 20),
            )
    else:
        for i in range(14):
            t = 0.42
            w = _profile_width(profile, t) * CANVAS
            x = cx - w + (2 * w) * (i + 0.5) / 14
            c.draw.polygon(
                [
                    (x - 22, base - t * height + 40),
                    (x, base - t * height - 40),
                    (x + 22, base - t * height + 40),
                ],
                fill=mix(glaze, (30, 20, 10), 0.55),
            )


def _profile_width(profile, t: float) -> float:
    for (t0, w0), (t1, w1) in itertools.pairwise(profile):
        if t0 <= t <= t1:
            return w0 + (w1 - w0) * (t - t0) / (t1 - t0)
    return profile[-1][1]


def inlaid_plate(c: Canvas) -> None:
    cx, cy, r = CANVAS / 2, CANVAS / 2 + 20, CANVAS * 0.38
    c.shadow((cx - r, cy - r + 60, cx + r + 20, cy + r + 60), 90)
    c.draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=(184, 110, 60))
    c.draw.ellipse(
        (cx - r * 0.92, cy - r * 0.92, cx + r * 0.92, cy + r * 0.92), fill=(66, 186, 190)
    )
    for _ in range(2600):
        a, d = c.rng.uniform(0, 2 * math.pi), math.sqrt(c.rng.random()) * r * 0.9
        x, y, s = cx + math.cos(a) * d, cy + math.sin(a) * d, c.rng.uniform(5, 11)
        c.draw.ellipse((x - s, y - s, x + s, y + s), fill=jitter((70, 196, 200), c.rng, 24))
    for ring in (0.34, 0.62):
        rr = r * ring
        c.draw.ellipse((cx - rr, cy - rr, cx + rr, cy + rr), outline=(184, 110, 60), width=16)


def turquoise_stone(
    c: Canvas, x: float, y: float, rx: float, ry: float, angle: float = 0.0
) -> None:
    base = jitter((58, 178, 186), c.rng, 16)
    c.draw.polygon(ellipse_points(x, y, rx, ry, angle, 40), fill=mix(base, (20, 60, 70), 0.35))
    c.draw.polygon(
        ellipse_points(x - rx * 0.05, y - ry * 0.08, rx * 0.94, ry * 0.9, angle, 40), fill=base
    )
    # The dark "spiderweb" veins of Neyshabur stone.
    for _ in range(4):
        px, py = x + c.rng.uniform(-rx, rx) * 0.6, y + c.rng.uniform(-ry, ry) * 0.6
        for _ in range(3):
            nx, ny = px + c.rng.uniform(-rx, rx) * 0.35, py + c.rng.uniform(-ry, ry) * 0.35
            c.draw.line((px, py, nx, ny), fill=(90, 80, 60), width=4)
            px, py = nx, ny
    c.draw.polygon(
        ellipse_points(x - rx * 0.35, y - ry * 0.4, rx * 0.22, ry * 0.12, -0.5, 16),
        fill=mix(base, (255, 255, 255), 0.6),
    )


def jewellery(c: Canvas, kind: str) -> None:
    silver, dark = (200, 204, 210), (120, 124, 132)
    cx, cy = CANVAS / 2, CANVAS / 2
    if kind == "ring":
        # The band seen from slightly above, with the bezel and stone on top.
        c.shadow((cx - 300, cy + 200, cx + 300, cy + 330), 110)
        c.draw.ellipse((cx - 260, cy - 60, cx + 260, cy + 300), outline=dark, width=64)
        c.draw.ellipse((cx - 252, cy - 60, cx + 252, cy + 292), outline=silver, width=48)
        c.draw.arc(
            (cx - 230, cy - 40, cx + 230, cy + 270), 200, 260, fill=(240, 242, 246), width=14
        )
        c.draw.polygon(ellipse_points(cx, cy - 110, 200, 145, 0, 48), fill=dark)
        c.draw.polygon(ellipse_points(cx, cy - 118, 186, 132, 0, 48), fill=silver)
        turquoise_stone(c, cx, cy - 122, 160, 108)
    elif kind == "earrings":
        for dx in (-200, 200):
            x = cx + dx
            c.draw.arc((x - 50, cy - 330, x + 50, cy - 230), 180, 360, fill=silver, width=14)
            c.draw.line((x, cy - 280, x, cy - 160), fill=silver, width=14)
            c.draw.polygon(ellipse_points(x, cy + 20, 120, 180, 0, 40), fill=dark)
            turquoise_stone(c, x, cy + 20, 100, 160)
    elif kind == "necklace":
        points = [
            (cx + math.cos(t / 40 * math.pi) * 460, cy - 300 + math.sin(t / 40 * math.pi) * 520)
            for t in range(41)
        ]
        c.draw.line(points, fill=silver, width=12)
        for i in (8, 14, 20, 26, 32):
            x, y = points[i]
            turquoise_stone(c, x, y + 30, 44 if i != 20 else 110, 44 if i != 20 else 80)
    elif kind == "tasbih":
        for i in range(33):
            t = i / 33 * 2 * math.pi
            x, y = cx + math.cos(t) * 430, cy + math.sin(t) * 330
            turquoise_stone(c, x, y, 38, 38)
        c.draw.line((cx, cy + 330, cx, cy + 560), fill=(120, 90, 60), width=10)
        turquoise_stone(c, cx, cy + 560, 40, 60)
    else:  # loose stones
        for _ in range(9):
            x, y = c.rng.uniform(220, CANVAS - 220), c.rng.uniform(220, CANVAS - 220)
            r = c.rng.uniform(80, 150)
            c.shadow((x - r, y - r * 0.4 + 40, x + r, y + r * 0.8 + 40), 70)
            turquoise_stone(c, x, y, r, r * c.rng.uniform(0.6, 0.9), c.rng.uniform(0, math.pi))


WOODS: tuple[tuple[Color, Color, Color], ...] = (
    ((112, 70, 36), (140, 90, 48), (176, 118, 66)),  # walnut
    ((150, 96, 50), (182, 124, 70), (214, 160, 100)),  # apricot
    ((130, 100, 40), (164, 130, 60), (204, 170, 96)),  # mulberry
)


def wood(c: Canvas) -> None:
    """A turned bowl: the outside as a half ellipse, the rim and growth rings inside."""
    dark, mid, light = c.rng.choice(WOODS)
    cx, cy, r = CANVAS / 2, CANVAS * c.rng.uniform(0.46, 0.52), CANVAS * c.rng.uniform(0.3, 0.38)
    h = r * c.rng.uniform(0.7, 0.95)  # how deep the bowl is
    c.shadow((cx - r * 0.8, cy + h * 0.7, cx + r * 0.8, cy + h * 1.1), 110)
    c.draw.chord((cx - r, cy - h, cx + r, cy + h), 0, 180, fill=dark)
    c.draw.chord((cx - r * 0.96, cy - h * 0.96, cx + r * 0.9, cy + h * 0.9), 0, 180, fill=mid)
    for i in range(1, 6):
        k = i / 6
        box = (cx - r * 0.96, cy - h * 0.96 * k, cx + r * 0.96, cy + h * 0.96 * (0.2 + k))
        c.draw.arc(box, 10, 170, fill=mix(mid, dark, 0.5), width=5)
    c.draw.rectangle((cx - r * 0.3, cy + h * 0.95, cx + r * 0.3, cy + h * 1.04), fill=dark)
    c.draw.ellipse((cx - r, cy - r * 0.34, cx + r, cy + r * 0.34), fill=light)
    for i in range(1, 12):
        k = 1 - i * 0.08
        c.draw.ellipse(
            (cx - r * k, cy - r * 0.34 * k, cx + r * k, cy + r * 0.34 * k),
            outline=mix(light, dark, 0.3 if i % 2 else 0.42),
            width=5,
        )
