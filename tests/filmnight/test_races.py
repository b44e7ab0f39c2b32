"""Film night when members (or moderators) act at the same moment: nothing doubled, each told the truth."""

from __future__ import annotations

from tests.helpers import assert_ephemeral_reply, burst


async def test_two_picks_started_at_once_open_one_and_refuse_the_other_privately(world):
    """Two moderators run /filmnight pick at the same moment: one pick opens (one public ballot), the other is
    told privately a pick is already open. Both used to pass the check and the server had two open picks."""
    for film, year in (("La La Land", 2016), ("Whiplash", 2014), ("Paterson", 2016)):
        await world.alice.slash(world.channel, "watchlist add", film=film, year=year)
    first, second = await burst(world.env, [
        lambda: world.mod.slash(world.channel, "filmnight pick", candidates=2, hours=2),
        lambda: world.mod.slash(world.channel, "filmnight pick", candidates=3, hours=4),
    ])
    assert world.q("SELECT count(*) FROM filmnight_picks WHERE closed_at IS NULL") == [(1,)]
    opened = [r for r in (first, second) if not r.ephemeral]
    refused = [r for r in (first, second) if r.ephemeral]
    assert len(opened) == 1 and len(refused) == 1
    assert opened[0].response.embeds[0].title.startswith("🗳️ Pick the next film night")
    assert_ephemeral_reply(refused[0], "A pick is already open in this server")
    assert not world.env.errors
