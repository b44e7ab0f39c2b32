"""/review add and /review edit carry a spoiler flag: every quote of such a review is behind spoiler tags."""

from __future__ import annotations

from tests.helpers import rows as db

# A review of a film the seeds never mention, whose passages do not use any ending vocabulary:
# only the moderator's flag can make its quotes spoilers.
REVIEW = (
    "The Lighthouse Keeper's Daughter is a slow, salt-stained drama about a family on a northern rock. "
    "Its two leads carry every scene with quiet, patient work.\n\n"
    "The photography turns fog and lamp light into a kind of music, and the sound design is just as careful."
)


async def add(world, **options):
    return await world.mod.slash(
        world.channel, "review add", film="The Lighthouse Keeper's Daughter", year=2031,
        file=("keeper.txt", REVIEW.encode()), **options,
    )


def quote_text(result) -> str:
    embed = result.response.embeds[0]
    return embed.description or ""


async def test_review_added_as_spoiler_is_quoted_behind_spoiler_tags(world, settings):
    """`spoiler:True` on /review add stores the flag and every quote of the review is hidden."""
    await add(world, spoiler=True)
    assert db(settings, "SELECT spoiler FROM reviews WHERE source = 'moderator'") == [(1,)]
    for _ in range(4):
        shown = quote_text(await world.alice.slash(world.channel, "quote", film="The Lighthouse Keeper's Daughter"))
        assert "||" in shown and "salt" not in shown.split("||")[0]


async def test_review_edit_turns_the_spoiler_flag_on_and_off(world, settings):
    """`/review edit spoiler:` changes whether quotes are hidden, at once, and is audited."""
    await add(world)
    ((review_id,),) = db(settings, "SELECT id FROM reviews WHERE source = 'moderator'")
    plain = quote_text(await world.alice.slash(world.channel, "quote", film="The Lighthouse Keeper's Daughter"))
    assert "||" not in plain
    result = await world.mod.slash(world.channel, "review edit", review=str(review_id), spoiler=True)
    assert result.ephemeral
    hidden = quote_text(await world.alice.slash(world.channel, "quote", film="The Lighthouse Keeper's Daughter"))
    assert "||" in hidden
    assert db(settings, "SELECT spoiler FROM reviews WHERE id = ?", (review_id,)) == [(1,)]
    audits = db(settings, "SELECT after_json FROM audit_log WHERE action = 'edit' AND target_id = ?", (review_id,))
    assert audits and '"spoiler": true' in audits[-1][0]


async def test_member_cannot_flag_a_review_as_spoiler(world, settings):
    """A member's /review edit spoiler:True is refused privately and changes nothing."""
    await add(world)
    ((review_id,),) = db(settings, "SELECT id FROM reviews WHERE source = 'moderator'")
    result = await world.alice.slash(world.channel, "review edit", review=str(review_id), spoiler=True)
    assert result.ephemeral
    assert db(settings, "SELECT spoiler FROM reviews WHERE id = ?", (review_id,)) == [(0,)]
