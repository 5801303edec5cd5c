"""Motifs for food: heaps on a plate, saffron threads, pistachios, jars, petals, fruit."""

from __future__ import annotations

import math

from marketplace.demo.images.canvas import (
    CANVAS,
    Canvas,
    Color,
    ellipse_points,
    jitter,
    mix,
    scatter_in_ellipse,
)


def placed(
    c: Canvas, scale: tuple[float, float] = (0.36, 0.43), height: tuple[float, float] = (0.54, 0.6)
) -> tuple[float, float, float]:
    """Where the plate sits and how big it is: a little different in every picture."""
    r = CANVAS * c.rng.uniform(*scale)
    cx = CANVAS / 2 + c.rng.uniform(-1, 1) * (CANVAS * 0.48 - r)
    return cx, CANVAS * c.rng.uniform(*height), r


def pile(
    c: Canvas,
    colors: list[Color],
    *,
    size: float,
    elongation: float = 1.0,
    count: int = 420,
    plate_face: Color = (246, 240, 226),
    highlight: bool = True,
) -> None:
    """Small pieces (raisins, berries, seeds, kashk balls) heaped on a plate, back to front."""
    cx, cy, r = placed(c)
    c.plate(cx, cy, r, (226, 218, 200), plate_face)
    pieces = sorted(
        scatter_in_ellipse(c.rng, cx, cy - r * 0.05, r * 0.72, r * 0.36, count),
        key=lambda p: p[1],
    )
    for x, y in pieces:
        # Pieces near the middle sit higher: the heap has a little height.
        lift = (1 - ((x - cx) / (r * 0.72)) ** 2) * r * 0.16
        color = jitter(c.rng.choice(colors), c.rng, 10)
        a = c.rng.uniform(0, math.pi)
        s = size * c.rng.uniform(0.8, 1.2)
        c.draw.polygon(
            ellipse_points(x, y - lift, s * elongation, s, a, 18), fill=mix(color, (0, 0, 0), 0.35)
        )
        c.draw.polygon(
            ellipse_points(x, y - lift - s * 0.12, s * elongation * 0.9, s * 0.85, a, 18),
            fill=color,
        )
        if highlight:
            h = s * 0.28
            c.draw.ellipse(
                (
                    x - s * 0.35 - h,
                    y - lift - s * 0.45 - h,
                    x - s * 0.35 + h,
                    y - lift - s * 0.45 + h,
                ),
                fill=mix(color, (255, 255, 255), 0.45),
            )


def saffron(c: Canvas, grade: str) -> None:
    """Deep red threads on a small white dish, with crocus flowers around it."""
    spots = [(0.18, 0.22), (0.82, 0.2), (0.15, 0.8), (0.85, 0.78), (0.5, 0.12), (0.5, 0.9)]
    for fx, fy in c.rng.sample(spots, c.rng.randint(2, 5)):
        x, y = fx * CANVAS + c.rng.uniform(-60, 60), fy * CANVAS + c.rng.uniform(-60, 60)
        crocus(c, x, y, c.rng.uniform(110, 190))
    cx, cy, r = placed(c, scale=(0.26, 0.34), height=(0.5, 0.58))
    c.plate(cx, cy, r, (235, 232, 228), (252, 250, 246))
    red, deep = (196, 28, 24), (150, 14, 20)
    tip = {"pushal": (236, 190, 60), "dasteh": (240, 214, 120)}.get(grade, red)
    for x, y in scatter_in_ellipse(c.rng, cx, cy - 10, r * 0.62, r * 0.28, 260):
        a = c.rng.uniform(0, math.pi * 2)
        length = c.rng.uniform(50, 95)
        ex, ey = x + math.cos(a) * length, y + math.sin(a) * length * 0.5
        c.draw.line((x, y, ex, ey), fill=jitter(c.rng.choice([red, deep]), c.rng, 12), width=7)
        if tip != red and c.rng.random() < 0.7:
            c.draw.line((ex, ey, ex + math.cos(a) * 22, ey + math.sin(a) * 11), fill=tip, width=7)
        else:
            c.draw.ellipse((ex - 6, ey - 6, ex + 6, ey + 6), fill=(180, 20, 22))


def crocus(c: Canvas, cx: float, cy: float, r: float) -> None:
    petal = jitter((168, 120, 196), c.rng, 12)
    for i in range(6):
        a = i * math.pi / 3 + c.rng.uniform(-0.1, 0.1)
        px, py = cx + math.cos(a) * r * 0.45, cy + math.sin(a) * r * 0.45
        c.draw.polygon(
            ellipse_points(px, py, r * 0.55, r * 0.24, a, 24), fill=mix(petal, (90, 40, 120), 0.25)
        )
        c.draw.polygon(ellipse_points(px, py, r * 0.48, r * 0.18, a, 24), fill=petal)
    for i in range(3):
        a = i * 2 * math.pi / 3 + 0.4
        c.draw.line(
            (cx, cy, cx + math.cos(a) * r * 0.55, cy + math.sin(a) * r * 0.55),
            fill=(200, 30, 24),
            width=8,
        )
    c.draw.ellipse((cx - 14, cy - 14, cx + 14, cy + 14), fill=(240, 200, 60))


def pistachios(c: Canvas, shelled: bool) -> None:
    cx, cy, r = placed(c, scale=(0.38, 0.44))
    c.plate(cx, cy, r, (214, 196, 160), (236, 222, 190))
    points = sorted(
        scatter_in_ellipse(c.rng, cx, cy - 20, r * 0.68, r * 0.33, 150), key=lambda p: p[1]
    )
    for x, y in points:
        a = c.rng.uniform(0, math.pi)
        if shelled:
            kernel = jitter((122, 160, 62), c.rng, 16)
            c.draw.polygon(ellipse_points(x, y, 44, 26, a, 20), fill=mix(kernel, (60, 40, 60), 0.3))
            c.draw.polygon(ellipse_points(x - 3, y - 4, 40, 22, a, 20), fill=kernel)
            continue
        shell = jitter((232, 214, 178), c.rng, 10)
        c.draw.polygon(ellipse_points(x, y, 54, 36, a, 24), fill=mix(shell, (90, 70, 40), 0.35))
        c.draw.polygon(ellipse_points(x - 2, y - 4, 50, 32, a, 24), fill=shell)
        # The split of a smiling ("khandan") nut shows the green kernel.
        c.draw.polygon(
            ellipse_points(x - 2, y - 4, 34, 7, a, 16), fill=jitter((104, 150, 58), c.rng, 12)
        )


def jar(c: Canvas, fill: Color, *, comb: bool, lid: Color = (196, 156, 60)) -> None:
    if comb:
        honeycomb(c, mix(fill, (255, 255, 255), 0.35))
    w, h = CANVAS * c.rng.uniform(0.3, 0.4), CANVAS * c.rng.uniform(0.4, 0.48)
    x0, y0 = CANVAS / 2 - w / 2 + c.rng.uniform(-120, 120), CANVAS * 0.8 - h
    c.shadow((x0 - 30, y0 + h - 50, x0 + w + 30, y0 + h + 50), 90)
    c.draw.rounded_rectangle(
        (x0, y0, x0 + w, y0 + h), radius=70, fill=mix(fill, (255, 255, 255), 0.55)
    )
    c.draw.rounded_rectangle(
        (x0 + 14, y0 + h * 0.2, x0 + w - 14, y0 + h - 14), radius=60, fill=fill
    )
    c.draw.rounded_rectangle(
        (x0 + 40, y0 + h * 0.28, x0 + 80, y0 + h * 0.8),
        radius=20,
        fill=mix(fill, (255, 255, 255), 0.35),
    )
    c.draw.rounded_rectangle((x0 + 20, y0 - 70, x0 + w - 20, y0 + 10), radius=18, fill=lid)
    c.draw.rectangle((x0 + 20, y0 - 30, x0 + w - 20, y0 - 22), fill=mix(lid, (0, 0, 0), 0.2))
    # A paper label tied round the neck, as village jars have.
    c.draw.rectangle(
        (x0 + w * 0.22, y0 + h * 0.42, x0 + w * 0.78, y0 + h * 0.62), fill=(246, 238, 220)
    )
    c.draw.rectangle(
        (x0 + w * 0.26, y0 + h * 0.46, x0 + w * 0.74, y0 + h * 0.58),
        outline=mix(fill, (0, 0, 0), 0.3),
        width=6,
    )


def honeycomb(c: Canvas, color: Color) -> None:
    r = 70
    for row in range(-1, CANVAS // int(r * 1.5) + 2):
        for col in range(-1, CANVAS // int(r * 1.73) + 2):
            cx = col * r * 1.732 + (r * 0.866 if row % 2 else 0)
            cy = row * r * 1.5
            hexagon = [
                (
                    cx + r * math.cos(math.pi / 6 + i * math.pi / 3),
                    cy + r * math.sin(math.pi / 6 + i * math.pi / 3),
                )
                for i in range(6)
            ]
            c.draw.polygon(hexagon, outline=color, width=10)


def petals(c: Canvas, petal: Color, leaf: Color, cup: bool) -> None:
    for _ in range(70):
        x, y = c.rng.uniform(0, CANVAS), c.rng.uniform(0, CANVAS)
        a = c.rng.uniform(0, math.pi)
        if c.rng.random() < 0.3:
            c.draw.polygon(ellipse_points(x, y, 70, 24, a, 20), fill=jitter(leaf, c.rng))
            c.draw.line(
                (
                    x - math.cos(a) * 60,
                    y - math.sin(a) * 60,
                    x + math.cos(a) * 60,
                    y + math.sin(a) * 60,
                ),
                fill=mix(leaf, (0, 0, 0), 0.25),
                width=4,
            )
        else:
            c.draw.polygon(ellipse_points(x, y, 46, 36, a, 20), fill=jitter(petal, c.rng, 18))
    if cup:
        cx, cy = CANVAS / 2, CANVAS * 0.55
        c.shadow((cx - 300, cy + 120, cx + 300, cy + 260), 90)
        c.draw.ellipse((cx - 330, cy + 90, cx + 330, cy + 250), fill=(250, 248, 244))
        c.draw.chord((cx - 230, cy - 200, cx + 230, cy + 230), 0, 180, fill=(252, 252, 250))
        c.draw.ellipse((cx - 230, cy - 40, cx + 230, cy + 40), fill=(236, 232, 228))
        c.draw.ellipse((cx - 210, cy - 32, cx + 210, cy + 32), fill=mix(petal, (120, 40, 20), 0.45))
        c.draw.arc((cx + 180, cy - 10, cx + 320, cy + 130), 270, 90, fill=(252, 252, 250), width=26)


def fruit(c: Canvas, skin: Color, crown: bool, count: int = 5) -> None:
    spots = [(0.3, 0.62), (0.68, 0.64), (0.5, 0.42), (0.22, 0.36), (0.78, 0.34), (0.5, 0.8)]
    for fx, fy in sorted(spots[:count], key=lambda p: p[1]):
        x, y = fx * CANVAS + c.rng.uniform(-30, 30), fy * CANVAS + c.rng.uniform(-30, 30)
        r = c.rng.uniform(170, 220)
        c.shadow((x - r, y + r * 0.6, x + r, y + r * 1.05), 80)
        c.draw.ellipse((x - r, y - r, x + r, y + r), fill=mix(skin, (40, 0, 0), 0.3))
        c.draw.ellipse(
            (x - r * 0.96, y - r, x + r * 0.9, y + r * 0.92), fill=jitter(skin, c.rng, 10)
        )
        c.draw.ellipse(
            (x - r * 0.55, y - r * 0.7, x - r * 0.15, y - r * 0.35),
            fill=mix(skin, (255, 255, 255), 0.35),
        )
        if crown:
            top = y - r * 0.95
            points = []
            for i in range(10):
                a = -math.pi / 2 + i * math.pi / 5
                rr = 48 if i % 2 == 0 else 24
                points.append((x + math.cos(a) * rr, top + math.sin(a) * rr * 0.8))
            c.draw.polygon(points, fill=mix(skin, (60, 20, 10), 0.4))


def honeycomb_piece(c: Canvas) -> None:
    honeycomb(c, (236, 180, 60))
    x0, y0, x1, y1 = CANVAS * 0.2, CANVAS * 0.28, CANVAS * 0.8, CANVAS * 0.78
    c.shadow((x0, y1 - 60, x1 + 40, y1 + 60), 100)
    c.draw.rounded_rectangle((x0, y0, x1, y1), radius=40, fill=(220, 150, 30))
    r = 34
    for row in range(int((y1 - y0) / (r * 1.5)) + 1):
        for col in range(int((x1 - x0) / (r * 1.73)) + 1):
            cx = x0 + 30 + col * r * 1.732 + (r * 0.866 if row % 2 else 0)
            cy = y0 + 30 + row * r * 1.5
            if cx < x1 - 20 and cy < y1 - 20:
                c.draw.regular_polygon(
                    (cx, cy, r - 5), 6, rotation=30, fill=jitter((236, 170, 40), c.rng, 14)
                )
