"""Pure pieces of discussion prompts: the rotation choice and the rendering."""

from __future__ import annotations

import dataclasses
import random
from pathlib import Path

import pytest

from bot.corpus import load_themes, themes_for_film
from bot.corpus.passage import Quote
from bot.discussion.question import absent_names, strip_instructions
from bot.discussion.render import QuestionEdits, render_prompt, thread_name
from bot.discussion.rotation import RotationState, choose_passages, critic_key

THEMES = load_themes(Path(__file__).resolve().parents[2] / "data" / "themes.toml")
ENDING, NOSTALGIA = THEMES["ending"], THEMES["nostalgia"]


def quote(
    pid: int, review: int, text: str = "A plain sentence.", critic: str | None = None, **kw: bool
) -> Quote:
    return Quote(
        passage_id=pid,
        review_id=review,
        text=text,
        paragraph=0,
        ordinal=pid,
        critic=critic,
        outlet=None,
        url=None,
        published=None,
        review_spoiler=kw.get("review_spoiler", False),
        film_title="La La Land",
        film_year=2016,
        themes=(),
    )


def state(cycle: int = 0, used: set[int] = frozenset(), last: str | None = None) -> RotationState:
    return RotationState(cycle, frozenset(used), last)


def test_first_prompt_is_cycle_one_and_not_a_restart():
    """Nothing posted yet: the pick counts for cycle 1 and is no restart."""
    choice = choose_passages([quote(1, 1)], state(), theme=NOSTALGIA, rng=random.Random(1))
    assert [(q.passage_id, c) for q, c in choice.picks] == [(1, 1)] and not choice.cycle_restarted


def test_only_unused_passages_are_picked():
    """Passages used in the current cycle are skipped."""
    pool = [quote(1, 1), quote(2, 2), quote(3, 3)]
    for seed in range(20):
        choice = choose_passages(pool, state(1, {1, 2}), theme=NOSTALGIA, rng=random.Random(seed))
        assert choice.picks[0][0].passage_id == 3


def test_exhausted_cycle_restarts():
    """When every passage was used, the next pick opens cycle 2 and reports the restart."""
    pool = [quote(1, 1), quote(2, 2)]
    choice = choose_passages(pool, state(1, {1, 2}, "review:2"), theme=NOSTALGIA, rng=random.Random(0))
    assert choice.cycle_restarted and choice.picks[0][1] == 2 and choice.picks[0][0].passage_id == 1


def test_last_critic_is_avoided_when_another_has_passages():
    """The critic of the previous prompt is skipped while another critic has unused passages."""
    pool = [quote(1, 1, critic="A. Critic"), quote(2, 2, critic="a. critic "), quote(3, 3)]
    for seed in range(20):
        choice = choose_passages(pool, state(1, set(), "a. critic"), theme=NOSTALGIA, rng=random.Random(seed))
        assert choice.picks[0][0].passage_id == 3


def test_critic_with_most_passages_left_goes_first():
    """Among allowed critics, the one with most passages left is picked, so big reviews interleave."""
    pool = [quote(1, 1), quote(2, 2), quote(3, 2), quote(4, 2)]
    choice = choose_passages(pool, state(), theme=NOSTALGIA, rng=random.Random(0))
    assert choice.picks[0][0].review_id == 2


def test_critic_key_groups_named_critics_and_splits_unattributed():
    """A named critic is one person across reviews; unattributed reviews are each their own."""
    assert critic_key(quote(1, 1, critic="Jane Doe")) == critic_key(quote(2, 9, critic="jane doe"))
    assert critic_key(quote(1, 1)) != critic_key(quote(2, 2))


def test_debate_pairs_two_reviews_with_opposite_wording():
    """A debate pairs different reviews and prefers a cathartic excerpt against a bitter one."""
    pool = [
        quote(1, 1, "The ending is cathartic and full of hope."),
        quote(2, 1, "The ending is bitter and cruel."),
        quote(3, 2, "The ending is a bitter heartbreak."),
        quote(4, 2, "The epilogue happens."),
    ]
    for seed in range(20):
        choice = choose_passages(pool, state(), theme=ENDING, count=2, rng=random.Random(seed))
        assert [q.passage_id for q, _ in choice.picks] == [1, 3]


def test_debate_from_one_review_is_impossible():
    """All passages in one review: no debate can be made."""
    pool = [quote(1, 1), quote(2, 1)]
    assert choose_passages(pool, state(), theme=ENDING, count=2) is None


def test_debate_finishes_a_cycle_and_borrows_from_the_next():
    """Leftovers from one review: one finishes the cycle, the other excerpt opens cycle 2."""
    pool = [quote(1, 1), quote(2, 2), quote(3, 2)]
    choice = choose_passages(pool, state(1, {2, 3}), theme=ENDING, count=2, rng=random.Random(0))
    cycles = {q.passage_id: c for q, c in choice.picks}
    assert choice.cycle_restarted and cycles[1] == 1 and set(cycles.values()) == {1, 2}


def test_thread_name_fits_and_warns_about_spoilers():
    """Thread names stay within 100 characters and spoiler themes start with the warning."""
    name = thread_name(ENDING, "Why " * 60)
    assert len(name) <= 100 and name.startswith("⚠️ Spoilers")
    assert thread_name(NOSTALGIA, "Is it warm?") == "Is it warm?"


def test_spoiler_theme_excerpt_is_hidden_and_mentions_are_inert():
    """An ending excerpt is spoiler-tagged and an @everyone in it is defused."""
    rendered = render_prompt(
        ENDING, [quote(1, 1, "@everyone the ending **wins**")], kind="discuss", themes=THEMES
    )
    assert "||" in rendered.embed.description and "@everyone" not in rendered.embed.description
    lala = themes_for_film(THEMES, "La La Land", 2016)["ending"]
    assert rendered.thread_name.startswith("⚠️ Spoilers") and rendered.question in lala.questions_for("La La Land")


@pytest.mark.parametrize("spoiler_review", [False, True])
def test_nostalgia_excerpt_hidden_only_for_spoiler_reviews(spoiler_review):
    """A non-spoiler theme shows its excerpt unless the review spoils throughout."""
    rendered = render_prompt(
        NOSTALGIA,
        [quote(1, 1, "Old Hollywood.", review_spoiler=spoiler_review)],
        kind="discuss",
        themes=THEMES,
    )
    assert ("||" in rendered.embed.description) is spoiler_review


def test_debate_render_shows_both_excerpts_and_the_side_question():
    """A debate embed carries two attributed excerpts and ends with the take-a-side question."""
    rendered = render_prompt(ENDING, [quote(1, 1), quote(2, 2)], kind="debate", themes=THEMES)
    description = rendered.embed.description
    assert "Unattributed review #1" in description and "Unattributed review #2" in description
    question = strip_instructions(themes_for_film(THEMES, "La La Land", 2016)["ending"].debate_question_for("La La Land"))
    assert question in description and rendered.question == question
    assert rendered.embed.title == "⚖️ Debate: The ending"
    assert description.endswith("Take a side in the thread.") and "Pick a side" not in description


def test_debate_without_disagreement_is_offered_as_two_takes():
    """With no disagreeing pair, the prompt says so and never calls itself a debate."""
    rendered = render_prompt(ENDING, [quote(1, 1), quote(2, 2)], kind="debate", themes=THEMES, disagree=False)
    assert rendered.embed.title == "🔍 Two takes on The ending"
    shown = rendered.content + rendered.embed.description
    assert "debate" not in shown.casefold() and "opposite sides" in shown
    assert "**One take:**" in shown and "**Another take:**" in shown


def test_debate_question_naming_someone_absent_falls_back_to_the_film():
    """A question naming Keith when neither excerpt mentions him becomes a generic one naming the film."""
    jazz = THEMES["jazz"]
    absent = render_prompt(jazz, [quote(1, 1, "Sebastian loves jazz."), quote(2, 2)], kind="debate", themes=THEMES)
    assert "Keith" not in absent.question and "La La Land" in absent.question
    assert "Keith" not in absent.embed.description and "Keith" not in absent.thread_name
    present = render_prompt(
        jazz, [quote(1, 1, "Sebastian loves jazz."), quote(2, 2, "Keith's band is slick.")], kind="debate", themes=THEMES
    )
    assert present.question == strip_instructions(jazz.debate_question)


def test_question_names_are_checked_against_the_excerpts():
    """Capitalised names count as mentioned when an excerpt names them; question words never count."""
    question = "Stone or Gosling: who gives the better performance? Pick a side."
    assert strip_instructions(question) == "Stone or Gosling: who gives the better performance?"
    assert absent_names(question, ["Emma Stone sings."], "La La Land") == ["Gosling"]
    assert absent_names("Is the ending of La La Land cruel?", ["x"], "La La Land") == []


def test_long_excerpts_stay_within_discord_limits():
    """Two maximal excerpts still fit the embed description and total limits."""
    long = "word " * 2000
    rendered = render_prompt(ENDING, [quote(1, 1, long), quote(2, 2, long)], kind="debate", themes=THEMES)
    assert len(rendered.embed.description) <= 4096 and len(rendered.embed) <= 6000
    assert rendered.embed.description.count("||") == 6  # both excerpts and the ending question


def test_role_mention_leads_the_content():
    """With a role to ping, the content is that role's mention: the embed title is the only heading."""
    rendered = render_prompt(NOSTALGIA, [quote(1, 1)], kind="discuss", themes=THEMES, mention_role_id=42)
    assert rendered.content == "<@&42>"


def test_discuss_prompt_has_one_heading():
    """Without a ping a /discuss prompt has no content line repeating the embed title."""
    rendered = render_prompt(NOSTALGIA, [quote(1, 1)], kind="discuss", themes=THEMES)
    assert rendered.content == "" and rendered.embed.title == f"💬 Discuss: {NOSTALGIA.name}"


@pytest.mark.parametrize("disagree", [True, False])
def test_debate_prompt_has_one_heading(disagree):
    """A debate (or two takes) has no content line above its embed: the embed title is the one heading."""
    rendered = render_prompt(ENDING, [quote(1, 1), quote(2, 2)], kind="debate", themes=THEMES, disagree=disagree)
    assert rendered.content == ""
    assert rendered.embed.title in ("⚖️ Debate: The ending", "🔍 Two takes on The ending")


def test_passage_just_shown_under_another_theme_is_avoided():
    """A passage tagged with two themes is not picked again right after it appeared under the other one."""
    first, second = quote(1, review=1), quote(2, review=2)
    rotation = RotationState(cycle=1, used=frozenset(), last_critic=None, recent=frozenset({1}))
    for seed in range(20):
        choice = choose_passages([first, second], rotation, theme=NOSTALGIA, rng=random.Random(seed))
        assert choice.picks[0][0].passage_id == 2


def whiplash(pid: int, review: int) -> Quote:
    return dataclasses.replace(quote(pid, review), film_title="Whiplash", film_year=2014)


@pytest.mark.parametrize("kind", ["discuss", "debate"])
@pytest.mark.parametrize("pid", range(6))
def test_another_films_prompt_names_it_and_no_la_la_land_character(kind, pid):
    """A Whiplash prompt asks the generic question naming Whiplash, never Mia, Sebastian or Keith."""
    quotes = [whiplash(pid, 1)] + ([whiplash(pid + 10, 2)] if kind == "debate" else [])
    question = render_prompt(ENDING, quotes, kind=kind, themes=THEMES).question
    assert "Whiplash" in question
    assert not {"Mia", "Sebastian", "Keith", "La La Land"} & set(question.replace("?", " ").split())


def test_moderator_questions_join_and_hidden_ones_leave():
    """Added questions are asked (naming the film); a hidden TOML question never is."""
    generic = ENDING.templates.questions
    edits = QuestionEdits(added=("Would {film} work without its last scene?",),
                          removed=frozenset(q.casefold() for q in generic[1:]))
    asked = {render_prompt(ENDING, [whiplash(pid, 1)], kind="discuss", themes=THEMES, edits=edits).question
             for pid in range(8)}
    assert asked == {ENDING.questions_for("Whiplash")[0], "Would Whiplash work without its last scene?"}
