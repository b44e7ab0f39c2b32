"""/config: moderators set the moderator role, time zone and log channel."""

from __future__ import annotations

from tests.helpers import table_digest


async def test_moderator_sets_timezone(world):
    """A Manage Server member sets a valid IANA zone."""
    result = await world.mod.slash(world.channel, "config timezone", zone="Europe/Paris")
    assert result.ephemeral and "Europe/Paris" in result.response.content
    settings = await world.bot.store.guilds.get(world.guild.id)
    assert settings.timezone == "Europe/Paris"


async def test_bad_timezone_is_named_with_an_example(world):
    """An unknown zone is refused, naming the value and an example."""
    result = await world.mod.slash(world.channel, "config timezone", zone="Mars/Olympus")
    assert result.ephemeral and "Mars/Olympus" in result.response.content
    assert "Europe/Paris" in result.response.content


async def test_member_cannot_change_settings(world, settings):
    """A plain member is refused and nothing is written."""
    before = table_digest(settings.database)
    result = await world.alice.slash(world.channel, "config timezone", zone="Europe/Paris")
    assert result.ephemeral and "moderators" in result.response.content.lower()
    assert table_digest(settings.database) == before


async def test_role_holder_counts_as_moderator(world):
    """A member holding the configured moderator role may change settings."""
    role = world.guild.create_role("Club staff")
    await world.mod.slash(world.channel, "config moderator-role", role=role)
    staff = world.guild.add_member(world.env.create_user("staff"), roles=[role])
    result = await staff.slash(world.channel, "config timezone", zone="Asia/Tokyo")
    assert "Asia/Tokyo" in result.response.content
