"""The club's charts drawn with Pillow (bot/club/chart_draw.py): data in, a PNG out that shows the data,
on the house card, whatever the titles hold, in a few milliseconds of CPU."""

from __future__ import annotations

import io
import time

from hypothesis import given, settings
from PIL import Image

from bot.club import chart_draw, rules
from bot.club.render import chart_png
from bot.club.stats import chart_png as stats_png
from bot.club.stats_rules import FilmScore
from tests.helpers import NASTY, nasty_text

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
BACKGROUND = (0x2B, 0x2D, 0x31)
BAR = (0x56, 0xB4, 0xE9)


def _image(png: bytes) -> Image.Image:
    assert png.startswith(PNG_SIGNATURE)
    image = Image.open(io.BytesIO(png))
    image.load()
    return image.convert("RGB")


def _films(count: int, label: str = "Generated Film {n:05d} (2001)") -> tuple[FilmScore, ...]:
    return tuple(FilmScore(n, label.format(n=n), 1 + n % 5, 5 - n * 0.3, 0.5) for n in range(count))


def test_the_ratings_chart_is_a_600_by_300_dark_card():
    """/ratings' chart: a PNG of 600×300 pixels on the dark card colour."""
    image = _image(chart_png(rules.summarise([8, 6, 10]), "The club on La La Land (2016)"))
    assert image.size == (600, 300) and image.getpixel((0, 0)) == BACKGROUND


def test_the_ratings_chart_draws_a_bar_only_where_members_rated():
    """A bucket with ratings has a bar in its column, an empty bucket none, and one rating among
    thousands still shows (a bar at least 2 px high)."""
    counts = [0] * 10
    counts[7], counts[0] = 5_000, 1  # 4 stars by thousands, 0.5 by one member
    summary = rules.Summary(sum(counts), 4.0, tuple(counts))
    image = _image(chart_png(summary, "The club on La La Land (2016)"))
    left, right, bottom = 56, 600 - 16, 300 - 50
    slot = (right - left) / 10

    def column(index: int, above: int) -> tuple[int, int, int]:
        return image.getpixel((round(left + slot * (index + 0.5)), bottom - above))

    assert column(7, 1) == BAR and column(7, 150) == BAR  # the tall bar
    assert column(0, 1) == BAR  # the one rating
    assert column(3, 1) == BACKGROUND and column(3, 150) == BACKGROUND  # nobody gave 2 stars


def test_the_club_stats_chart_grows_with_its_films():
    """/club stats' chart: 700 pixels wide, one 36-pixel row per film, twelve films at most."""
    two, twelve = _image(stats_png(2026, _films(2))), _image(stats_png(2026, _films(12)))
    assert two.size == (700, 2 * 36 + 98) and twelve.size == (700, 12 * 36 + 98)
    assert twelve.getpixel((699, 0)) == BACKGROUND


def test_the_longest_bar_is_the_best_film_at_the_top():
    """Bars are as long as the averages, best film first (at the top)."""
    films = (FilmScore(1, "Best", 3, 5.0, 0.0), FilmScore(2, "Worst", 3, 1.0, 0.0))
    image = _image(stats_png(2026, films))
    top_row, bottom_row = 46 + 18, 46 + 36 + 18

    def bar_length(y: int) -> int:
        return sum(1 for x in range(image.width) if image.getpixel((x, y)) == BAR)

    assert bar_length(top_row) > 4 * bar_length(bottom_row) > 0


def test_empty_charts_are_drawn():
    """No ratings at all, or no film: still a valid card (axes only), never an error."""
    assert _image(chart_png(rules.summarise([]), "The club on Nothing Yet")).size == (600, 300)
    assert _image(stats_png(2026, ())).size == (700, 98)


def test_hostile_titles_are_drawn_within_the_card():
    """10,000 characters, emoji, a NUL, a lone surrogate, bidi overrides, newlines: every one drawn,
    clipped to the card, the card's size unchanged."""
    for text in NASTY:
        assert _image(chart_png(rules.summarise([4, 9]), f"The club on {text}")).size == (600, 300)
    assert _image(stats_png(2026, tuple(FilmScore(n, t, 2, 3.0, 1.0) for n, t in enumerate(NASTY[:12])))).size \
        == (700, 12 * 36 + 98)


@settings(max_examples=25, deadline=None)
@given(title=nasty_text, label=nasty_text)
def test_any_text_draws_a_png(title, label):
    """Whatever the title and film labels hold, a PNG of the expected size comes out."""
    assert _image(chart_png(rules.summarise([1, 10]), title)).size == (600, 300)
    films = (FilmScore(1, label, 1, 4.5, 0.0), FilmScore(2, title, 2, 0.5, 0.0))
    assert _image(stats_png(2026, films)).size == (700, 2 * 36 + 98)


def test_printable_drops_control_characters_and_bounds_the_length():
    """What a chart writes: no control or format character, at most the limit, an ellipsis if cut."""
    assert chart_draw.printable("a\x00b\u202ec\n\td", 80) == "abc d"
    assert chart_draw.printable("\ud800lone", 80) == "lone"
    clipped = chart_draw.printable("x" * 10_000, 32)
    assert len(clipped) == 32 and clipped.endswith("…")


def test_integer_ticks_are_few_and_round():
    """The y axis of counts: whole steps of 1, 2 or 5 × 10ⁿ, at most six ticks, the last ≥ the top."""
    assert chart_draw.integer_ticks(0) == [0, 1]
    assert chart_draw.integer_ticks(3) == [0, 1, 2, 3]
    assert chart_draw.integer_ticks(7) == [0, 2, 4, 6, 8]
    assert chart_draw.integer_ticks(1_234) == [0, 500, 1000, 1500]
    for top in range(1, 3_000, 7):
        ticks = chart_draw.integer_ticks(top)
        assert len(ticks) <= 6 and ticks[-1] >= top


def test_a_chart_takes_milliseconds_of_cpu():
    """Issue 30: a twelve-film chart costs a few ms of CPU (matplotlib's took 50–100): well under 50 ms."""
    films = _films(12)
    stats_png(2026, films)  # the fonts loaded
    started = time.thread_time()
    for _ in range(5):
        stats_png(2026, films)
        chart_png(rules.summarise([8, 6, 10]), "The club on La La Land (2016)")
    assert (time.thread_time() - started) / 5 < 0.05
