"""bot/core/spoilers.py: takes, thread names, theme text and the gate, as pure functions."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.core.spoilers import Gate, passage_hidden, shown, spoiler_thread_name, take_text, theme_text, unseen
from bot.core.text import THREAD_NAME_MAX

_SPAN = re.compile(r"(?<!\\)\|\|.*?(?<!\\)\|\|", re.DOTALL)


@dataclass(frozen=True)
class T:
    spoiler: bool


THEMES = {"ending": T(True), "music": T(False)}


def visible(text: str) -> str:
    return _SPAN.sub("", text)


def test_a_members_spoiler_pair_stays_a_spoiler_and_the_rest_is_escaped():
    """'**Wow** ||Mia leaves||' keeps the member's tags and escapes their bold."""
    assert take_text("**Wow** ||Mia leaves||") == "\\*\\*Wow\\*\\* ||Mia leaves||"


def test_an_unbalanced_bar_pair_hides_everything_after_it():
    """'It ends || badly' hides ' badly': the member meant to hide it."""
    out = take_text("It ends || badly")
    assert "badly" not in visible(out) and "badly" in out and out.startswith("It ends ")


def test_a_take_of_only_bars_shows_the_bars_as_typed():
    """'||' and '||||' are shown as escaped bars, never as an empty spoiler."""
    assert take_text("||") == "\\|\\|"
    assert take_text("||||") == "\\|\\|\\|\\|"


def test_markdown_inside_a_members_spoiler_cannot_close_it_early():
    """A ` or | or ** inside the member's spoiler is escaped: the tag holds to its end."""
    out = take_text("ok ||the *dog* | dies `x`|| fine")
    assert visible(out) == "ok  fine" and "\\*dog\\*" in out and "\\|" in out


def test_a_long_take_is_cut_outside_or_closed_inside_a_spoiler():
    """Cut to the limit, a take never leaves a spoiler open."""
    out = take_text("a " * 10 + "||" + "secret " * 100 + "||", 60)
    assert len(out) <= 60 and out.count("||") % 2 == 0 and "secret" not in visible(out)


def test_a_passage_already_containing_bars_stays_behind_one_pair():
    """Corpus text with its own || is escaped inside the spoiler: nothing of it shows."""
    out = shown("He says || it ends || here, in the last scene.", True)
    assert visible(out) == "" and out.startswith("||") and out.endswith("||")


def test_shown_text_is_never_cut_inside_its_tags():
    """A clipped hidden passage still ends with the closing ||."""
    out = shown("word " * 500, True, 100)
    assert len(out) <= 100 and out.endswith("||") and visible(out) == ""


def test_thread_name_names_the_film_and_theme_only():
    """A spoiler prompt's thread: '⚠️ Spoilers: La La Land — the ending', within 100 characters."""
    assert spoiler_thread_name("La La Land", "The ending") == "⚠️ Spoilers: La La Land — the ending"
    assert len(spoiler_thread_name("x" * 200, "The ending")) <= THREAD_NAME_MAX


def test_spoiler_theme_text_is_hidden_and_other_themes_are_not():
    """A spoiler theme's question goes behind tags; another theme's stays plain (escaped)."""
    assert theme_text("Was it *happy*?", THEMES["ending"]) == "||Was it \\*happy\\*?||"
    assert theme_text("Was it *happy*?", THEMES["music"]) == "Was it \\*happy\\*?"


def test_places_that_cannot_hide_text_show_a_placeholder():
    """Autocomplete and labels show [spoiler] for a spoiler, the text otherwise."""
    assert unseen("The last shot", True, 100) == "[spoiler]"
    assert unseen("The   score", False, 100) == "The score"


def test_a_passage_is_hidden_by_its_review_or_a_spoiler_theme():
    """Review marked spoiler, or any spoiler theme: hidden; other themes: not."""
    assert passage_hidden(True, (), THEMES) and passage_hidden(False, ("music", "ending"), THEMES)
    assert not passage_hidden(False, ("music", "unknown"), THEMES)


def test_the_gate_holds_its_film_by_id_and_says_when():
    """The gate covers its film id only, and its refusal carries a Discord relative timestamp."""
    gate = Gate(7, "La La Land (2016)", "2026-01-03T21:00:00+00:00", ("ending",))
    assert gate.covers(7) and not gate.covers(8) and not gate.covers(None)
    assert gate.held(7, True) and not gate.held(7, False) and not gate.held(8, True)
    assert "<t:1767474000:R>" in gate.refusal("That") and "La La Land (2016)" in gate.refusal("That")


def test_a_held_take_sends_none_of_what_its_author_hid_and_keeps_the_rest():
    """With `held_until`, each `||…||` of a take (an unbalanced one too) is replaced by a note, never sent."""
    text = take_text("**Great** ||he dies|| then ||she leaves", 400, held_until="<t:1:R>")
    assert "dies" not in text and "leaves" not in text and text.count("held back") == 2, text
    assert text.startswith("\\*\\*Great\\*\\*") and "then" in text, text
    assert "held back" not in take_text("x ||y||", 4, held_until="<t:1:R>")  # no room: left out, not cut


def test_a_take_in_a_file_leaves_out_what_it_hides_on_the_gated_film_only():
    """Gate.file_take (the /rate export): on the gated film each `||…||` (an unbalanced one: the rest) is left
    out with a note saying until when; an empty pair and other films' takes stay as written."""
    gate = Gate(7, "La La Land (2016)", "2026-01-03T21:00:00+00:00", ("ending",))
    note = "[spoiler held back until the screening ends, 2026-01-03T21:00:00+00:00]"
    assert gate.file_take("Sad ||Mia leaves|| but ||the song||!", 7) == (
        f"Sad {note} but {note}!", "2026-01-03T21:00:00+00:00")
    assert gate.file_take("Sad ||Mia leaves", 7) == (f"Sad {note}", "2026-01-03T21:00:00+00:00")
    assert gate.file_take("Pipes |||| only", 7) == ("Pipes |||| only", None)
    assert gate.file_take("Sad ||Mia leaves||", 8) == ("Sad ||Mia leaves||", None)
    assert gate.file_take("No bars at all", 7) == ("No bars at all", None)


def test_a_long_titles_spoiler_thread_keeps_its_theme_and_year():
    """A 200-character 'Title (Year)' clips the title, never the theme nor the year ('… — the ending' was cut off)."""
    name = spoiler_thread_name("Keeper " + "Lighthouse " * 17 + "(2001)", "The ending")
    assert name.endswith("… (2001) — the ending") and len(name) <= THREAD_NAME_MAX, name
