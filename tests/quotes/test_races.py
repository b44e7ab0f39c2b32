"""/quote's buttons pressed at the same moment: each press answered once, as meant, nothing doubled."""

from __future__ import annotations

from tests.helpers import burst, embed_of


async def test_another_pressed_twice_at_once_posts_two_other_quotes(world):
    """"Another" pressed by two members (and twice by one) at the same moment on one /quote message: each press
    gets its own public quote, none the quote they pressed it under, and the search is saved once."""
    first = await world.alice.slash(world.channel, "quote", theme="ending")
    assert not first.ephemeral
    shown = embed_of(first.response).description
    presses = await burst(world.env, [
        lambda: world.alice.click(first.response, label="Another"),
        lambda: world.bob.click(first.response, label="Another"),
        lambda: world.bob.click(first.response, label="Another"),
    ])
    for press in presses:
        assert not press.ephemeral, press.response.content
        assert "||" in embed_of(press.response).description  # the ending theme stays spoiler-tagged
        assert embed_of(press.response).description != shown
    assert world.q("SELECT count(*) FROM quote_queries") == [(1,)]
    assert not world.env.errors
