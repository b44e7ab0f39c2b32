"""The moderator role: granted, removed, deleted, cleared, never @everyone."""

from __future__ import annotations

from tests.helpers import (
    assert_ephemeral_reply,
    rows,
    table_digest,
)


async def _staff(world):
    staff = world.guild.create_role("Film Club Staff")
    world.env.backend.add_member_role(world.guild.id, world.alice.id, staff.id)
    assert_ephemeral_reply(await world.mod.slash(world.channel, "config moderator-role", role=staff), "Moderator role set")
    return staff


async def test_member_whose_moderator_role_was_removed_is_refused_next_time(world, settings):
    """Member whose moderator role was removed is refused next time."""
    await _staff(world)
    r = await world.alice.slash(world.channel, "schedule set", channel=world.channel, time="09:00")
    assert_ephemeral_reply(r, "Schedule set")
    staff_id = rows(settings, "SELECT moderator_role_id FROM guild_settings")[0][0]
    world.env.backend.remove_member_role(world.guild.id, world.alice.id, staff_id)

    before = table_digest(settings)
    assert_ephemeral_reply(await world.alice.slash(world.channel, "schedule pause", id=1), "Only moderators")
    assert_ephemeral_reply(await world.alice.slash(world.channel, "config timezone", zone="Asia/Tokyo"), "Only moderators")
    assert table_digest(settings) == before


async def test_deleted_moderator_role_grants_nothing(world, settings):
    """Deleted moderator role grants nothing."""
    staff = await _staff(world)
    world.env.backend.delete_role(world.guild.id, staff.id)
    before = table_digest(settings)
    r = await world.alice.slash(world.channel, "schedule set", channel=world.channel, time="09:00")
    assert_ephemeral_reply(r, "Only moderators")
    assert table_digest(settings) == before
    # Manage Server still works, and can clear the stale setting.
    assert_ephemeral_reply(await world.mod.slash(world.channel, "config moderator-role"), "cleared")
    assert rows(settings, "SELECT moderator_role_id FROM guild_settings") == [(None,)]


async def test_config_moderator_role_without_role_clears_it_and_is_audited(world, settings):
    """Config moderator role without role clears it and is audited."""
    await _staff(world)
    assert_ephemeral_reply(await world.mod.slash(world.channel, "config moderator-role"), "Moderator role cleared")
    shown = assert_ephemeral_reply(await world.bob.slash(world.channel, "config show"))
    assert "none: Manage Server only" in shown
    before = table_digest(settings)
    r = await world.alice.slash(world.channel, "schedule set", channel=world.channel, time="09:00")
    assert_ephemeral_reply(r, "Only moderators")
    assert table_digest(settings) == before
    audits = rows(settings, "SELECT action, actor_id FROM audit_log WHERE action = 'config'")
    assert audits == [("config", world.mod.id), ("config", world.mod.id)]


async def test_everyone_cannot_be_made_the_moderator_role(world, settings):
    """Everyone cannot be made the moderator role."""
    r = await world.mod.slash(world.channel, "config moderator-role", role=world.guild.default_role)
    before = table_digest(settings)
    r = await world.bob.slash(world.channel, "schedule set", channel=world.channel, time="09:00")
    assert_ephemeral_reply(r, "Only moderators")
    assert table_digest(settings) == before
