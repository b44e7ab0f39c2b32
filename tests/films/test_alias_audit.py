"""`/film alias` is audited as every other moderator's decision: who added or took back which other title of which
film, written with the change, and shown in `/review history` to this server's moderators only."""

from __future__ import annotations

import json

import discord

from tests.helpers import add_review_file, check_all_payloads, text_of, unique_review

JAPANESE, ENGLISH = "千と千尋の神隠し", "Spirited Away"


async def test_adding_and_removing_an_alias_is_audited_and_shown_in_review_history(world):
    """The moderator adds "Spirited Away" and takes it back: two audit rows naming them, the film and the title;
    /review history lists both, newest first; a refused or repeated add writes no row."""
    await add_review_file(world, unique_review(0), film=JAPANESE, year=2001, critic="Critic")
    [(film_id,)] = world.q("SELECT id FROM films WHERE title = ?", JAPANESE)
    await world.mod.slash(world.channel, "film alias", film=f"film:{film_id}", title=ENGLISH)
    await world.mod.slash(world.channel, "film alias", film=f"film:{film_id}", title=ENGLISH)  # already: no row
    await world.alice.slash(world.channel, "film alias", film=f"film:{film_id}", title="Chihiro")  # refused
    await world.mod.slash(world.channel, "film alias", film=f"film:{film_id}", title=ENGLISH, remove=True)
    audited = world.q("SELECT guild_id, actor_id, action, target_type, target_id, before_json, after_json"
                      " FROM audit_log WHERE target_type = 'film-alias' ORDER BY id")
    entry = {"film": f"{JAPANESE} (2001)", "title": ENGLISH}
    assert [(g, a, act, t, i, json.loads(b) if b else None, json.loads(af) if af else None)
            for g, a, act, t, i, b, af in audited] == [
        (world.guild.id, world.mod.id, "alias.add", "film-alias", film_id, None, entry),
        (world.guild.id, world.mod.id, "alias.remove", "film-alias", film_id, entry, None)]
    shown = text_of(await world.mod.slash(world.channel, "review history"))
    lines = [line for line in shown.splitlines() if ENGLISH in line]
    assert len(lines) == 2 and "**took back** “Spirited Away” as another title of" in lines[0], shown
    assert "**added** “Spirited Away” as another title of" in lines[1] and "alias." not in shown, shown
    assert f"<@{world.mod.id}>" in lines[0] and JAPANESE in lines[0]
    check_all_payloads(world.env)
    assert not world.env.errors


async def test_another_servers_moderators_never_see_this_servers_alias_changes(world):
    """Another server's moderator reading /review history sees the reviews (every server's) but not this
    server's other titles."""
    await add_review_file(world, unique_review(0), film=JAPANESE, year=2001, critic="Critic")
    await world.mod.slash(world.channel, "film alias", film=JAPANESE, title=ENGLISH)
    other = world.env.create_guild(name="Other Club")
    channel = other.create_text_channel("films")
    mods = other.create_role("Mods", permissions=discord.Permissions(manage_guild=True))
    stranger = other.add_member(world.env.create_user("stranger"), roles=[mods])
    there = text_of(await stranger.slash(channel, "review history"))
    assert "add" in there and ENGLISH not in there and "alias" not in there, there
