"""A critic's "masterclass in tension" is the filmmaking; a reviewed film without a theme's passage is still reviewed."""

from __future__ import annotations

from tests.helpers import World, embed_text, text_of

SLASHER = ("Lakeshore Dread is a lean slasher set in a fishing lodge out of season. The first hour is a masterclass in"
           " tension: long, still takes of the water at dusk, a door that should be locked and isn't.\n\n"
           "Nobody in the lodge is safe, and the film never lets you forget it.")


async def test_a_masterclass_in_tension_is_not_a_performances_passage(world: World):
    """/themes and /discuss theme:performances on a review whose only 'masterclass' is in tension: the sentence
    about the camera is never put under a question about whose performance stayed with you."""
    await world.mod.slash(world.channel, "review add", film="Lakeshore Dread", year=2020,
                          file=("dread.txt", SLASHER.encode()))
    themes = await world.alice.slash(world.channel, "themes", film="Lakeshore Dread")
    assert "The performances" not in text_of(themes), text_of(themes)
    await world.alice.slash(world.channel, "discuss", film="Lakeshore Dread", theme="performances")
    (prompt,) = [m for m in world.bot_messages() if m.embeds and "Discuss" in (m.embeds[0].title or "")]
    assert "masterclass" not in embed_text(prompt.embeds[0])


async def test_an_open_prompt_of_a_reviewed_film_does_not_say_no_critic_reviewed_it(world: World):
    """A film with a critic's review but no passage on any theme gets the open question, and the prompt says the
    reviews say nothing on the theme, not "No critic review of … here yet" (members can /quote that review)."""
    await world.mod.slash(world.channel, "review add", film="Lakeshore Dread", year=2020,
                          file=("dread.txt", SLASHER.encode()))
    quoted = await world.alice.slash(world.channel, "quote", film="Lakeshore Dread")
    assert "Lakeshore Dread" in text_of(quoted) and not quoted.ephemeral, text_of(quoted)
    await world.alice.slash(world.channel, "discuss", film="Lakeshore Dread", theme="performances")
    (prompt,) = [m for m in world.bot_messages() if m.embeds and "Discuss" in (m.embeds[0].title or "")]
    shown = embed_text(prompt.embeds[0])
    assert "No critic review" not in shown, shown
    assert "The critics' reviews of *Lakeshore Dread (2020)* here say nothing on this theme yet" in shown, shown
