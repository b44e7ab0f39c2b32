"""Every film is first-class: prompts and polls for a film ask that film's questions, never La La Land's."""

from __future__ import annotations

import re

import pytest

from tests.helpers import SPOILER_RE, World, embed_of, msg_text, msgs, prompt_question, text_of

LA_LA_NAMES = re.compile(r"\b(Mia|Sebastian|Seb|Keith|La La Land)\b")

# A review of another film whose ending paragraph uses wording of its own.
PARASITE = (
    "Parasite is a film about two families and the stairs between them. Bong Joon-ho stages the rich house "
    "like a fortress, and the poor family's basement flat floods when it rains.\n\n"
    "The performances are precise throughout, and the cast keeps the tone shifting from farce to dread.\n\n"
    "The final scene of Parasite is a devastating daydream about buying the house on the hill. "
    "In the closing moments Bong Joon-ho sinks the camera back down to the basement window, and the dream curdles."
)
ENDING_SENTENCE = "The final scene of Parasite"


async def add_by(world: World, how: str, title: str = "Parasite (2019)") -> None:
    """A moderator adds the review as a file, or through the form (modal)."""
    if how == "file":
        result = await world.mod.slash(world.channel, "review add", film=title, file=("p.txt", PARASITE.encode()))
    else:
        shown = await world.mod.slash(world.channel, "review add", film=title)
        assert shown.modal is not None
        result = await world.mod.submit_modal(shown, {"filmbot:review:text": PARASITE})
    assert "Added review" in text_of(result), text_of(result)


def prompt_of(world: World):
    return [m for m in world.bot_messages() if m.embeds and "Discuss:" in (m.embeds[0].title or "")][-1]


@pytest.mark.parametrize("how", ["file", "form"])
async def test_added_film_ending_is_quoted_spoiler_tagged_and_discussed_by_name(world: World, how):
    """A new film's ending (new wording) is quotable behind spoiler tags; its prompt names it, no Mia."""
    await add_by(world, how)
    quoted = await world.alice.slash(world.channel, "quote", film="Parasite", theme="ending")
    text = msg_text(msgs(quoted)[0])
    assert SPOILER_RE.search(text), text
    assert "Parasite" in text and ("final scene" in text or "closing moments" in text)
    await world.alice.slash(world.channel, "discuss", film="Parasite", theme="ending")
    prompt = prompt_of(world)
    question = prompt_question(embed_of(prompt).description)
    assert "Parasite" in question, question
    assert not LA_LA_NAMES.search(msg_text(prompt)), msg_text(prompt)
    [thread] = [t for t in world.channel.threads if t.id == prompt.id]
    assert "Parasite" in thread.name and not LA_LA_NAMES.search(thread.name)


async def test_film_theme_list_and_autocomplete_offer_only_its_themes(world: World):
    """La La Land's own themes (jazz) are neither offered nor accepted for another film."""
    await add_by(world, "file")
    await world.alice.slash(world.channel, "discuss", film="Parasite", theme="jazz")
    reply = text_of(await world.alice.slash(world.channel, "discuss", film="Parasite", theme="jazz"))
    assert "jazz" in reply.casefold() and "`ending`" in reply and not world.env.errors
    choices = await world.alice.autocomplete(world.channel, "discuss", "theme", "", film="Parasite")
    values = {c["value"] for c in choices}
    assert "ending" in values and not values & {"jazz", "los-angeles", "ambition-vs-love", "musical-homage"}


async def test_debate_without_two_reviews_says_so_and_suggests_a_theme(world: World):
    """One review of a film cannot make a debate: the reply says so and names a theme that can."""
    await add_by(world, "file")
    second = ("Parasite lives on its cast. The performances are superb: Song Kang-ho gives the best performance"
              " of his career, and the ensemble moves from farce to dread without a false note.")
    await world.mod.slash(world.channel, "review add", film="Parasite (2019)", file=("q.txt", second.encode()))
    reply = text_of(await world.alice.slash(world.channel, "debate", film="Parasite", theme="ending"))
    assert "two different reviews" in reply and "Parasite" in reply, reply
    assert "/debate theme:performances" in reply, reply
    await world.alice.slash(world.channel, "debate", film="La La Land", theme="jazz")
    lala = text_of(await world.alice.slash(world.channel, "debate", film="La La Land", theme="ending"))
    assert "Started a debate" in lala, lala


async def test_poll_theme_for_a_film_names_it(world: World):
    """/poll theme film:X asks the generic poll naming X, not La La Land's."""
    await add_by(world, "file")
    await world.alice.slash(world.channel, "poll theme", theme="ending", film="Parasite")
    [poll] = [m for m in world.bot_messages() if m.poll is not None]
    assert "Parasite" in poll.poll.question and not LA_LA_NAMES.search(poll.poll.question)
    assert ENDING_SENTENCE[:20] in "".join(msg_text(m) for m in world.bot_messages())


async def test_schedule_and_poll_theme_offer_only_the_films_themes(world: World):
    """A schedule for another film refuses La La Land's own theme; /poll theme autocomplete names the film."""
    await add_by(world, "file")
    reply = text_of(await world.mod.slash(world.channel, "schedule set", channel=world.channel, time="09:00",
                                          theme="jazz", film="Parasite"))
    assert "no theme called" in reply.casefold(), reply
    choices = await world.alice.autocomplete(world.channel, "poll theme", "theme", "", film="Parasite")
    assert choices and all("jazz" != c["value"] for c in choices)
    assert any("Parasite" in c["name"] for c in choices), choices


async def test_an_unreviewed_films_spoiler_theme_prompt_hides_its_question_and_names_the_film(world: World,
                                                                                              monkeypatch):
    """/discuss film:<a film no critic reviewed> theme:ending: the question (here a moderator's, naming the
    death) is behind spoiler bars as every spoiler theme's question is, and the thread is named after the
    film; it was shown in clear, and the thread called '⚠️ Spoilers: several films — the ending'."""
    await world.alice.slash(world.channel, "watchlist add", film="Quiet Harbour", year=2024)
    question = "Did the ferryman's drowning in the last shot of {film} feel earned?"
    added = await world.mod.slash(world.channel, "theme question add", theme="ending", question=question,
                                  film="Quiet Harbour")
    assert "ferryman" in text_of(added) or added.ephemeral
    import random

    from bot.discussion import post

    monkeypatch.setattr(post, "_RNG", random.Random(7))  # the question is drawn at random: the same draws each run
    for _ in range(12):  # the moderator's question comes up among them
        started = await world.alice.slash(world.channel, "discuss", film="Quiet Harbour", theme="ending")
        assert "Started a discussion on **The ending**" in text_of(started), text_of(started)
        prompt = prompt_of(world)
        shown = SPOILER_RE.sub("", msg_text(prompt))
        assert "final scene" not in shown and "drowning" not in shown and "?" not in shown, shown
        [thread] = [t for t in world.channel.threads if t.id == prompt.id]
        assert thread.name == "⚠️ Spoilers: Quiet Harbour — the ending", thread.name
    assert any("drowning" in msg_text(m) for m in world.bot_messages() if m.embeds)


async def test_a_drama_s_performances_theme_is_described_without_singing_and_dancing(world: World):
    """/themes and a /discuss prompt on a drama describe its performances theme as acting; "singing and dancing"
    belonged to La La Land, which keeps its own description."""
    await add_by(world, "file")
    listed = text_of(await world.alice.slash(world.channel, "themes", film="Parasite"))
    assert "The performances" in listed and not re.search(r"singing|dancing", listed), listed
    await world.alice.slash(world.channel, "discuss", film="Parasite", theme="performances")
    prompt = msg_text(prompt_of(world))
    assert "The performances" in prompt and not re.search(r"singing|dancing", prompt), prompt
    lala = text_of(await world.alice.slash(world.channel, "themes", film="La La Land"))
    assert "singing" in lala, lala
