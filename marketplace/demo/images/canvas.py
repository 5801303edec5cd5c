"""Drawing helpers shared by the picture motifs: colours, shapes and a canvas drawn at
twice the output size (scaled down at the end, which smooths ImageDraw's jagged edges)."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFilter

SIZE = 800
SCALE = 2
CANVAS = SIZE * SCALE

Color = tuple[int, int, int]
Point = tuple[float, float]


def hex_color(value: str) -> Color:
    value = value.lstrip("#")
    return (int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16))


def mix(a: Color, b: Color, t: float) -> Color:
    return (
        round(a[0] + (b[0] - a[0]) * t),
        round(a[1] + (b[1] - a[1]) * t),
        round(a[2] + (b[2] - a[2]) * t),
    )


def jitter(color: Color, rng: random.Random, amount: int = 14) -> Color:
    return tuple(max(0, min(255, c + rng.randint(-amount, amount))) for c in color)  # type: ignore[return-value]


def ellipse_points(cx: float, cy: float, rx: float, ry: float, angle: float = 0.0, n: int = 36):
    cos_a, sin_a = math.cos(angle), math.sin(angle)
    points = []
    for i in range(n):
        t = 2 * math.pi * i / n
        x, y = rx * math.cos(t), ry * math.sin(t)
        points.append((cx + x * cos_a - y * sin_a, cy + x * sin_a + y * cos_a))
    return points


def gradient(top: Color, bottom: Color) -> Image.Image:
    """A vertical gradient: one column of colours stretched sideways, which is cheap."""
    strip = Image.new("RGB", (1, CANVAS))
    strip.putdata([mix(top, bottom, i / (CANVAS - 1)) for i in range(CANVAS)])
    return strip.resize((CANVAS, CANVAS), Image.Resampling.NEAREST)


@dataclass
class Canvas:
    image: Image.Image
    draw: ImageDraw.ImageDraw
    rng: random.Random

    def shadow(self, box: tuple[float, float, float, float], strength: int = 70) -> None:
        """A soft shadow under an object, blurred at an eighth of the size around it only."""
        pad = 64
        left, top = int(box[0]) - pad, int(box[1]) - pad
        width = (int(box[2]) + pad - left) // 8 * 8
        height = (int(box[3]) + pad - top) // 8 * 8
        mask = Image.new("L", (width // 8, height // 8), 0)
        small = [(box[0] - left) / 8, (box[1] - top) / 8, (box[2] - left) / 8, (box[3] - top) / 8]
        ImageDraw.Draw(mask).ellipse(small, fill=strength)
        mask = mask.filter(ImageFilter.GaussianBlur(4)).resize(
            (width, height), Image.Resampling.BILINEAR
        )
        self.image.paste((0, 0, 0), (left, top), mask)

    def plate(self, cx: float, cy: float, r: float, rim: Color, face: Color) -> None:
        self.shadow((cx - r, cy - r * 0.55 + r * 0.12, cx + r, cy + r * 0.55 + r * 0.22))
        self.draw.ellipse((cx - r, cy - r * 0.55, cx + r, cy + r * 0.55), fill=rim)
        i = r * 0.84
        self.draw.ellipse((cx - i, cy - i * 0.55, cx + i, cy + i * 0.55), fill=face)


def scatter_in_ellipse(rng: random.Random, cx, cy, rx, ry, n: int):
    for _ in range(n):
        while True:
            x, y = rng.uniform(-1, 1), rng.uniform(-1, 1)
            if x * x + y * y <= 1:
                break
        yield cx + x * rx, cy + y * ry
