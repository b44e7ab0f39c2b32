"""/club stats' "Club vs critics" line: the film whose members' takes talk about other themes than its critics."""

from __future__ import annotations

from tests.helpers import embed_text, msgs

TAKES = ("The music carried it: every song, the score, the piano theme stayed with me.",
         "I came out humming the songs; the jazz numbers and the score are the whole film.")


async def test_club_stats_names_the_film_the_club_and_its_critics_talk_about_differently(world):
    """The critics' theme counts were asked of a film titled by its id ("1"), never of the film: no reviewed film had
    counts, so the line never came."""
    for n, take in enumerate(TAKES):
        member = world.guild.add_member(world.env.create_user(f"rater{n}"))
        await member.slash(world.channel, "rate film", film="La La Land", stars=4, take=take)
    [message] = msgs(await world.bob.slash(world.channel, "club stats"))
    fields = {field.name: field.value for field in message.embeds[0].fields}
    assert "La La Land" in fields.get("Club vs critics: most different", ""), embed_text(message.embeds[0])
    assert not world.env.errors
