"""bot/core/text: the one plural helper every message counts with; NameIndex (autocomplete from a prefix index);
context_window (what the More context button shows)."""

from __future__ import annotations

import time

import discord
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.text import NameIndex, clip, context_window, counted, escape_markdown, inert, plural
from tests.helpers import live_masked_links


def test_plural_agrees_with_the_count():
    """1 takes the singular; 0 and 2+ the plural, regular or given."""
    assert [counted(n, "film") for n in (0, 1, 2)] == ["0 films", "1 film", "2 films"]
    assert counted(1, "reply", "replies") == "1 reply" and counted(3, "reply", "replies") == "3 replies"
    assert plural(1, "supporter") == "supporter" and plural(0, "supporter") == "supporters"


def test_prefix_matches_first_then_word_matches_in_order() -> None:
    """Names starting with the typed text (any case) come first, then names with a word starting with it."""
    index = NameIndex(["The Land", "La La Land (2016)", "Whiplash (2014)", "landscape", "Critic 001"])
    assert index.matches("LA") == ["La La Land (2016)", "landscape", "The Land"]
    assert index.matches("land") == ["landscape", "La La Land (2016)", "The Land"]
    assert index.matches("") == ["Critic 001", "La La Land (2016)", "landscape", "The Land", "Whiplash (2014)"]
    assert index.matches("zz") == []


def test_at_most_25_and_cost_independent_of_the_number_of_names() -> None:
    """25 answers at most; a keystroke over 200,000 names costs about what it costs over 2,000."""
    small = NameIndex([f"Critic {n:06d}" for n in range(2_000)])
    big = NameIndex([f"Critic {n:06d}" for n in range(200_000)])
    assert len(big.matches("crit")) == 25 and big.matches("critic 1999")[0] == "Critic 199900"

    def cost(index: NameIndex) -> float:
        start = time.thread_time()
        for _ in range(2_000):
            index.matches("critic 00")
        return time.thread_time() - start

    assert cost(big) < 3 * cost(small) + 0.05


def test_names_added_and_removed_answer_as_a_fresh_index() -> None:
    """add and remove (a corpus write's new or last critic or film) leave the index as one built anew."""
    names = ["The Land", "La La Land (2016)", "Whiplash (2014)", "landscape", "Critic 001"]
    index = NameIndex(names)
    index.add("Land of Mine (2015)")
    index.add("the land")
    index.add("The Land")  # already there: nothing changes
    index.remove("landscape")
    index.remove("Not There")
    fresh = NameIndex(["The Land", "La La Land (2016)", "Whiplash (2014)", "Critic 001", "Land of Mine (2015)",
                       "the land"])
    for typed in ("", "la", "land", "the", "mine", "x"):
        assert index.matches(typed) == fresh.matches(typed)


# context_window serves More context (bot/quotes/views.py); these replace the tests of the unused
# sentence-level window that lived in bot/corpus/context.py (issue 23 item 4).
PARAGRAPH = [("One is short.", False, False), ("Two follows.", False, False), ("Three is the passage.", True, False),
             ("Four is a spoiler.", False, True), ("Five ends it.", False, False)]


def test_context_window_shows_the_passage_in_bold_among_its_neighbours() -> None:
    """The quoted passage is bold; a spoiler neighbour sits behind its own bars; nothing is cut when it fits."""
    assert context_window(PARAGRAPH) == (
        "One is short. Two follows. **Three is the passage.** ||Four is a spoiler.|| Five ends it."
    )


def test_context_window_stays_within_the_limit_and_marks_what_it_left_out() -> None:
    """Neighbours that would overflow are left out whole, nearest first, and the cut is marked with an ellipsis."""
    parts = [("A" * 300 + ".", False, False), ("Short one.", False, False), ("Middle passage here.", True, False),
             ("B" * 300 + ".", False, False)]
    window = context_window(parts, 60)
    assert window == "… Short one. **Middle passage here.** …" and len(window) <= 60


@settings(max_examples=600, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab _\\~|*`>#-[]()<:/.hps \n\t@é"), max_size=40) | st.text(max_size=40))
def test_escape_markdown_is_discords_with_or_without_the_quick_look(text: str) -> None:
    """escape_markdown skips text where no markdown can match (most passages): the result is still, for
    any text, discord.py's escape_markdown(as_needed=False)."""
    assert escape_markdown(text) == discord.utils.escape_markdown(text, as_needed=False)


@given(st.text(alphabet=st.sampled_from("ab _*`|[]@\x00#-é\n"), max_size=260) | st.text(max_size=260),
       st.none() | st.integers(min_value=1, max_value=300))
def test_inert_is_the_same_text_cached_or_not(text: str, limit: int | None) -> None:
    """inert keeps its results for short text (names, titles repeat on every quote and prompt): asked twice,
    short or long, it answers what escaping, bracket-quoting, mention-breaking and clipping give."""
    bare = text.replace("\x00", "")  # brackets escaped once, out of escape_markdown's sight (text.py)
    clean = escape_markdown(bare.replace("[", "\x00o").replace("]", "\x00c")).replace("\x00o", "\\[").replace("\x00c", "\\]")
    expected = discord.utils.escape_mentions(clean)
    expected = clip(expected, limit) if limit else expected
    assert inert(text, limit) == expected
    assert inert(text, limit) == expected  # the second answer comes from the cache for short text


@settings(max_examples=600, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab [](<>)\\*_|:/h.\n"), max_size=40))
def test_inert_text_never_holds_a_masked_link(text: str) -> None:
    """No text comes out of inert with a link a reader could click behind other words: '[x](http://evil)' came
    out as '\\\\[x\\](http://evil)', a literal backslash, then a live bracket: a masked link after all."""
    assert live_masked_links(inert(text)) == [], (text, inert(text))
    assert live_masked_links(inert("[free](http://evil.example)")) == []


def test_clip_never_cuts_inside_a_grapheme():
    """An emoji's ZWJ sequence, a flag and a letter with its accents are kept whole or left out whole."""
    family = "👩\u200d👩\u200d👧\u200d👦"
    for limit in range(2, 40):
        for text in (family * 12, "🇫🇷" * 20, "e\u0301\u0302" * 30):
            kept = clip(text, limit)[:-1]
            assert len(clip(text, limit)) <= limit and text.startswith(kept)
            assert not kept.endswith("\u200d") and (not kept or text[len(kept)] == text[0]), (limit, kept)


def test_clip_keeps_a_film_labels_year():
    """'Title… (2001)': a clipped film label still says which film of that title it is."""
    assert clip("Keeper " + "Lighthouse " * 17 + "(2001)", 60) == "Keeper Lighthouse Lighthouse Lighthouse Lighthouse… (2001)"
    assert clip("Page count (1234) and more words here", 20).endswith("…")


def test_clip_keeps_the_text_of_a_pile_of_marks_and_costs_little():
    """A take of 10k combining marks or joiners clipped to 280 keeps 279 of them (it was a bare '…': the whole pile
    read as one grapheme) in well under a millisecond of CPU (it stepped back once per character: 1.6 ms at 4096)."""
    for pile in ("a" + "\u0301" * 10_000, "\U0001F469\u200d" * 5_000):
        assert len(clip(pile, 280)) == 280 and clip(pile, 280).startswith(pile[:200])
        started = time.thread_time()
        for _ in range(50):
            clip(pile, 4096)
        assert (time.thread_time() - started) / 50 < 0.0005


def test_clip_cuts_a_long_run_of_flags_between_pairs_quickly():
    """10k regional indicators: cut between two flags, never inside one, at any limit, in well under a millisecond."""
    flags = "\U0001F1EB\U0001F1F7" * 5_000
    for limit in (100, 101, 4096):
        cut = clip(flags, limit)
        assert len(cut) <= limit and (len(cut) - 1) % 2 == 0 and cut.endswith("…")
    started = time.thread_time()
    for _ in range(50):
        clip(flags, 4096)
    assert (time.thread_time() - started) / 50 < 0.0005
