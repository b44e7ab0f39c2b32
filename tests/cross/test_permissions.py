"""Every moderator-only command, run by a plain member: refused privately, no table changes."""

from __future__ import annotations

import pytest
from tests.helpers import table_digest

MODERATOR_ONLY = [
    ("config moderator-role", {}),
    ("config timezone", {"zone": "Europe/Paris"}),
    ("config log-channel", {}),
    ("review add", {"film": "Whiplash", "file": ("w.txt", b"Whiplash is loud. It is also a very precise film.")}),
    ("review add", {"film": "Whiplash"}),
    ("review edit", {"review": "1", "critic": "Somebody"}),
    ("review remove", {"review": "1"}),
    ("review export", {}),
    ("review import", {"file": ("r.json", b'{"format": "filmbot-reviews", "version": 1, "reviews": []}')}),
    ("review history", {}),
    ("schedule set", {"time": "09:00"}),
    ("schedule pause", {"id": 1}),
    ("schedule resume", {"id": 1}),
    ("schedule remove", {"id": 1}),
    ("schedule skip", {"id": 1}),
    ("schedule test", {"id": 1}),
]


@pytest.fixture
async def prepared(world):
    """A schedule and a poll exist, so the id-taking commands have a real target."""
    await world.mod.slash(world.channel, "schedule set", channel=world.channel, time="09:00")
    await world.mod.slash(world.channel, "poll create", question="Best song?", options="City of Stars|Audition")
    return world


@pytest.mark.parametrize(("command", "options"), MODERATOR_ONLY, ids=[c for c, _ in MODERATOR_ONLY])
async def test_member_is_refused_and_nothing_changes(prepared, settings, command, options):
    """A member without Manage Server or the moderator role changes nothing."""
    world = prepared
    if command == "schedule set":
        options = {**options, "channel": world.channel}
    before = table_digest(settings.database)
    result = await world.alice.slash(world.channel, command, **options)
    assert result.ephemeral
    assert "moderator" in result.response.content.lower()
    assert table_digest(settings.database) == before


async def test_member_cannot_close_someone_elses_poll(prepared, settings):
    """Only the creator or a moderator may close a poll."""
    world = prepared
    before = table_digest(settings.database)
    result = await world.bob.slash(world.channel, "poll close", poll="1")
    assert result.ephemeral
    assert table_digest(settings.database) == before
