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
PNG_LEVEL = 3  # zlib level: 13 kB for twelve films in 0.9 ms, against 11 kB in 2 ms at 6 (Pillow's default)

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


# A card is drawn in "L" mode whose values are indices into its palette: 0 the background, 1..TEXT_INK a
# ramp from the background to the text colour (so FreeType's antialiasing, which blends values, blends
# colours; text is only ever drawn on the background), then the grid and the bar colours. The PNG is
# that palette image as it stands: a byte a pixel, nothing to convert or quantize, every colour exact.
TEXT_INK = 255 - 1 - len(COLOURS)
GRID_INK = TEXT_INK + 1
BAR_INK = GRID_INK + 1  # COLOURS[0]'s index; COLOURS[i] at BAR_INK + i


def _palette() -> list[int]:
    background, text = ImageColor.getrgb(BACKGROUND)[:3], ImageColor.getrgb(TEXT)[:3]
    flat: list[int] = []
    for k in range(TEXT_INK + 1):
        flat += [round(b + (t - b) * k / TEXT_INK) for b, t in zip(background, text, strict=True)]
    for colour in (GRID, *COLOURS):
        flat += ImageColor.getrgb(colour)[:3]
    return flat


PALETTE = _palette()


def _card(width: int, height: int, title: str) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    image = Image.new("L", (width, height), 0)
    draw = ImageDraw.Draw(image)
    heading = fit(draw, printable(title, TITLE_CHARS), TITLE_SIZE, width - 24)
    draw.text((width / 2, 10), heading, font=font(TITLE_SIZE), fill=TEXT_INK, anchor="mt")
    return image, draw


def _png(image: Image.Image) -> bytes:
    image.putpalette(PALETTE)  # "L" becomes "P": the values were the palette's indices all along
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=PNG_LEVEL)
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
              fill=TEXT_INK, anchor="lb")  # the y axis' unit, above it
    for tick in ticks:
        y = round(bottom - tick * scale)
        draw.line([(left, y), (right, y)], fill=GRID_INK, width=1)
        draw.text((left - 8, y), str(tick), font=font(LABEL_SIZE), fill=TEXT_INK, anchor="rm")
    slot = (right - left) / max(len(labels), 1)
    for index, (label, count) in enumerate(zip(labels, counts, strict=True)):
        middle = left + slot * (index + 0.5)
        if count > 0:  # at least 2 px: one rating among thousands still shows
            draw.rectangle([round(middle - slot * 0.4), min(round(bottom - count * scale), bottom - 2),
                            round(middle + slot * 0.4) - 1, bottom], fill=BAR_INK)
        draw.text((middle, bottom + 8), fit(draw, printable(label, 12), LABEL_SIZE, slot), font=font(LABEL_SIZE),
                  fill=TEXT_INK, anchor="mt")
    draw.line([(left, bottom), (right, bottom)], fill=GRID_INK, width=1)
    draw.text(((left + right) / 2, height - 8), fit(draw, printable(x_label, 40), LABEL_SIZE, right - left),
              font=font(LABEL_SIZE), fill=TEXT_INK, anchor="mb")
    return _png(image)


def hbars_png(title: str, bars: Sequence[tuple[str, float, str]], *, x_ticks: Sequence[float], x_max: float,
              x_label: str, width: int = 700) -> bytes:
    """Horizontal bars, top to bottom, each (label, value, the value's text written after the bar), on an
    x axis from 0 to `x_max` with a grid at `x_ticks`; the card is as tall as its bars need."""
    row = 36
    height = row * len(bars) + 98
    image, draw = _card(width, height, title)
    labels = [printable(label, LABEL_CHARS) for label, _, _ in bars]
    widths = [draw.textlength(label, font=font(LABEL_SIZE)) for label in labels]
    left = round(min(max(max(widths, default=0.0), 40.0), width * 0.45)) + 24
    right, top = width - 20, 46
    bottom = top + row * len(bars)
    scale = (right - left) / x_max
    for tick in x_ticks:
        x = round(left + tick * scale)
        draw.line([(x, top), (x, bottom)], fill=GRID_INK, width=1)
        draw.text((x, bottom + 8), f"{tick:g}", font=font(LABEL_SIZE), fill=TEXT_INK, anchor="mt")
    for index, (label, label_width, (_, value, value_text)) in enumerate(zip(labels, widths, bars, strict=True)):
        middle = top + row * (index + 0.5)
        end = left + max(0.0, min(value, x_max)) * scale
        draw.rectangle([left, round(middle - row * 0.4), round(end), round(middle + row * 0.4) - 1], fill=BAR_INK)
        shown = label if label_width <= left - 20 else fit(draw, label, LABEL_SIZE, left - 20)
        draw.text((left - 10, middle), shown, font=font(LABEL_SIZE), fill=TEXT_INK, anchor="rm")
        draw.text((end + 5, middle), fit(draw, printable(value_text, 24), VALUE_SIZE, max(right + 16 - end, 0)),
                  font=font(VALUE_SIZE), fill=TEXT_INK, anchor="lm")
    draw.line([(left, top), (left, bottom)], fill=GRID_INK, width=1)
    draw.text(((left + right) / 2, height - 8), fit(draw, printable(x_label, 40), LABEL_SIZE, right - left),
              font=font(LABEL_SIZE), fill=TEXT_INK, anchor="mb")
    return _png(image)
