"""The club's charts drawn with Pillow: plain data in, PNG bytes out (pure: no discord, no store, no I/O
but the font file).

A chart is a card of a few rectangles, lines and short texts, so it is drawn straight onto an image:
2–5 ms of CPU, against matplotlib's 50–100 ms and its thousands of Python objects (whose allocations set
off full collections of the bot's heap, session 7). bot/club/charts.py runs it in the chart thread.

Charts are cards with their own dark background: a transparent chart loses its text on one of Discord's
two themes, and a white one glares on the dark theme most members use. The bar colours come from the
Okabe-Ito palette, told apart with every common colour-vision deficiency. What a chart writes is film
labels and numbers only (never a take or a passage): cleaned of control characters and clipped, in
characters before any layout and then to the pixels it has.
"""

from __future__ import annotations

import importlib.util
import io
import math
import threading
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from PIL import Image, ImageColor, ImageDraw, ImageFont

BACKGROUND = "#2b2d31"  # Discord's own dark card colour: reads as a card on the light theme too
TEXT = "#f2f3f5"
GRID = "#4e5058"
COLOURS = ("#56b4e9", "#e69f00", "#009e73", "#f0e442", "#cc79a7")  # club first, critics second

TITLE_SIZE, LABEL_SIZE, VALUE_SIZE = 17, 14, 12  # pixels (matplotlib's 12, 10 and 8 pt at its 100 dpi)
TITLE_CHARS = 80  # a title is clipped to this many characters, then to the card's width
LABEL_CHARS = 32  # a bar's label likewise (a film label; the alt text carries the whole one)
PNG_LEVEL = 6  # zlib level: a flat card compresses to a few kB either way; 6 is Pillow's default

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont
_fonts = threading.local()  # a FreeType face is not safe to share between threads: one set per thread


def _font_file() -> str | None:
    """DejaVu Sans (Latin, Greek, Cyrillic: the font matplotlib drew these charts with): matplotlib's copy,
    found without importing it, else the system's; None: Pillow's own font."""
    spec = importlib.util.find_spec("matplotlib")
    places = [Path(p) / "mpl-data" / "fonts" / "ttf" for p in (spec.submodule_search_locations or [])] if spec else []
    places.append(Path("/usr/share/fonts/truetype/dejavu"))
    for place in places:
        if (place / "DejaVuSans.ttf").is_file():
            return str(place / "DejaVuSans.ttf")
    return None


_FONT_FILE = _font_file()


def font(size: int) -> Font:
    """The chart font at `size` pixels, loaded once per thread."""
    cache: dict[int, Font] = _fonts.__dict__.setdefault("by_size", {})
    if size not in cache:
        cache[size] = ImageFont.truetype(_FONT_FILE, size) if _FONT_FILE else ImageFont.load_default(size)
    return cache[size]


def printable(text: str, limit: int) -> str:
    """`text` without control, format or unassigned characters (a NUL, a bidi override), at most `limit`
    characters (the last one then an ellipsis): bounded before any layout, whatever its length."""
    kept = "".join(" " if c.isspace() else c for c in text[: limit * 4] if not unicodedata.category(c).startswith("C")
                   or c.isspace())
    kept = " ".join(kept.split())
    return kept if len(kept) <= limit else kept[: limit - 1].rstrip() + "…"


def fit(draw: ImageDraw.ImageDraw, text: str, size: int, width: float) -> str:
    """`text` as drawn in `width` pixels: whole, or its longest prefix that fits with an ellipsis."""
    face = font(size)
    if draw.textlength(text, font=face) <= width:
        return text
    low, high = 0, len(text)
    while low < high:  # the longest prefix whose "prefix…" fits
        middle = (low + high + 1) // 2
        if draw.textlength(text[:middle].rstrip() + "…", font=face) <= width:
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip() + "…" if low else ""


def _card(width: int, height: int, title: str) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    image = Image.new("RGB", (width, height), BACKGROUND)
    draw = ImageDraw.Draw(image)
    heading = fit(draw, printable(title, TITLE_CHARS), TITLE_SIZE, width - 24)
    draw.text((width / 2, 10), heading, font=font(TITLE_SIZE), fill=TEXT, anchor="mt")
    return image, draw


RAMP = 48  # text's antialiasing levels kept (a 256-level ramp looks the same)


def _palette() -> Image.Image:
    """The card's colours and RAMP steps from the background to the text (antialiased text is drawn on the
    background only): every pixel a chart draws has its colour here or next to it."""
    background, text = ImageColor.getrgb(BACKGROUND)[:3], ImageColor.getrgb(TEXT)[:3]
    flat: list[int] = [*background, *ImageColor.getrgb(GRID)[:3]]
    for colour in COLOURS:
        flat += ImageColor.getrgb(colour)[:3]
    for k in range(1, RAMP + 1):
        flat += [round(b + (t - b) * k / RAMP) for b, t in zip(background, text, strict=True)]
    palette = Image.new("P", (1, 1))
    palette.putpalette(flat)
    return palette


_PALETTE = _palette()


def _png(image: Image.Image) -> bytes:
    """The PNG of a card, in its own palette: a byte a pixel instead of three, so 2–3 times faster to
    encode and a fifth of the size (9 kB for twelve films), the same to the eye; the card's colours exact."""
    out = io.BytesIO()
    image.quantize(palette=_PALETTE, dither=Image.Dither.NONE).save(out, format="PNG", compress_level=PNG_LEVEL)
    return out.getvalue()


def integer_ticks(top: int, most: int = 6) -> list[int]:
    """0, step, 2·step, … up to the first tick ≥ `top`: at most `most` ticks, steps of 1, 2 or 5 × 10ⁿ."""
    top = max(top, 1)
    step = 1
    while math.ceil(top / step) + 1 > most:
        step = next(s * 10 ** e for e in range(12) for s in (1, 2, 5) if s * 10 ** e > step)
    return list(range(0, math.ceil(top / step) * step + 1, step))


def bars_png(title: str, labels: Sequence[str], counts: Sequence[int], *, x_label: str, y_label: str,
             size: tuple[int, int] = (600, 300)) -> bytes:
    """Vertical bars, one per label, of whole counts: a y axis of whole numbers and its grid."""
    width, height = size
    image, draw = _card(width, height, title)
    ticks = integer_ticks(max(counts, default=0))
    left, right, top, bottom = 56, width - 16, 58, height - 50
    scale = (bottom - top) / ticks[-1]
    draw.text((12, top - 14), fit(draw, printable(y_label, 20), LABEL_SIZE, width / 3), font=font(LABEL_SIZE),
              fill=TEXT, anchor="lb")  # the y axis' unit, above it
    for tick in ticks:
        y = round(bottom - tick * scale)
        draw.line([(left, y), (right, y)], fill=GRID, width=1)
        draw.text((left - 8, y), str(tick), font=font(LABEL_SIZE), fill=TEXT, anchor="rm")
    slot = (right - left) / max(len(labels), 1)
    for index, (label, count) in enumerate(zip(labels, counts, strict=True)):
        middle = left + slot * (index + 0.5)
        if count > 0:  # at least 2 px: one rating among thousands still shows
            draw.rectangle([round(middle - slot * 0.4), min(round(bottom - count * scale), bottom - 2),
                            round(middle + slot * 0.4) - 1, bottom], fill=COLOURS[0])
        draw.text((middle, bottom + 8), fit(draw, printable(label, 12), LABEL_SIZE, slot), font=font(LABEL_SIZE),
                  fill=TEXT, anchor="mt")
    draw.line([(left, bottom), (right, bottom)], fill=GRID, width=1)
    draw.text(((left + right) / 2, height - 8), fit(draw, printable(x_label, 40), LABEL_SIZE, right - left),
              font=font(LABEL_SIZE), fill=TEXT, anchor="mb")
    return _png(image)


def hbars_png(title: str, bars: Sequence[tuple[str, float, str]], *, x_ticks: Sequence[float], x_max: float,
              x_label: str, width: int = 700) -> bytes:
    """Horizontal bars, top to bottom, each (label, value, the value's text written after the bar), on an
    x axis from 0 to `x_max` with a grid at `x_ticks`; the card is as tall as its bars need."""
    row = 36
    height = row * len(bars) + 98
    image, draw = _card(width, height, title)
    labels = [printable(label, LABEL_CHARS) for label, _, _ in bars]
    widest = max((draw.textlength(label, font=font(LABEL_SIZE)) for label in labels), default=0.0)
    left = round(min(max(widest, 40.0), width * 0.45)) + 24
    right, top = width - 20, 46
    bottom = top + row * len(bars)
    scale = (right - left) / x_max
    for tick in x_ticks:
        x = round(left + tick * scale)
        draw.line([(x, top), (x, bottom)], fill=GRID, width=1)
        draw.text((x, bottom + 8), f"{tick:g}", font=font(LABEL_SIZE), fill=TEXT, anchor="mt")
    for index, (label, (_, value, value_text)) in enumerate(zip(labels, bars, strict=True)):
        middle = top + row * (index + 0.5)
        end = left + max(0.0, min(value, x_max)) * scale
        draw.rectangle([left, round(middle - row * 0.4), round(end), round(middle + row * 0.4) - 1], fill=COLOURS[0])
        draw.text((left - 10, middle), fit(draw, label, LABEL_SIZE, left - 20), font=font(LABEL_SIZE), fill=TEXT,
                  anchor="rm")
        draw.text((end + 5, middle), fit(draw, printable(value_text, 24), VALUE_SIZE, max(right + 16 - end, 0)),
                  font=font(VALUE_SIZE), fill=TEXT, anchor="lm")
    draw.line([(left, top), (left, bottom)], fill=GRID, width=1)
    draw.text(((left + right) / 2, height - 8), fit(draw, printable(x_label, 40), LABEL_SIZE, right - left),
              font=font(LABEL_SIZE), fill=TEXT, anchor="mb")
    return _png(image)
