"""Spoiler-tagged passages stay hidden wherever they are shown; an unparsable URL is one rejected item."""

from __future__ import annotations

import json
import re

from tests.helpers import msgs
from tests.helpers import rows as db

JAZZ = ("The jazz in this film is loud and fierce, and the band rooms feel like boxing rings where every bar of music"
        " is a fight for the young drummer who wants greatness. The solos are long, sweaty and thrilling, and the"
        " jazz club scenes have a rough glamour that the camera adores in every frame.")
ENDING = ("The ending is a twist: in the final scene the hero dies alone on stage, and the last shot reveals that the"
          " whole story was only a dream he had on the bus.")
ENDING_MORE = (" That final reveal changes how the entire last act reads, and the closing moments linger long after the"
               " credits roll.")


def export(*items: dict) -> bytes:
    return json.dumps({"format": "filmbot-reviews", "version": 1, "reviews": list(items)}).encode()


def visible(text: str) -> str:
    """What a reader sees without clicking any spoiler."""
    return re.sub(r"\|\|.*?\|\|", "", text, flags=re.DOTALL)


async def import_mixed(world):
    item = {"film": "Drumline Test", "year": 2014, "critic": "Tester", "text": f"{JAZZ} {ENDING}{ENDING_MORE}"}
    r = await world.mod.slash(world.channel, "review import", file=("r.json", export(item)))
    assert "Imported 1 review" in " ".join(m.content or "" for m in msgs(r)), msgs(r)


async def test_more_context_hides_a_spoiler_neighbour_of_a_plain_quote(world):
    await import_mixed(world)
    q = await world.alice.slash(world.channel, "quote", critic="Tester", theme="music")  # jazz is La La Land's own
    assert "||" not in q.response.embeds[0].description
    shown = await world.alice.click(q.response, label="More context")
    content = shown.response.content
    assert "The ending is a twist" in content
    assert "twist" not in visible(content) and "band rooms" in visible(content)


async def test_review_show_hides_spoiler_tagged_passages(world, settings):
    await import_mixed(world)
    [(review_id,)] = db(settings, "SELECT r.id FROM reviews r JOIN films f ON f.id = r.film_id"
                        " WHERE f.title = 'Drumline Test'")
    r = await world.alice.slash(world.channel, "review show", review=str(review_id))
    description = r.response.embeds[0].description
    assert "band rooms" in visible(description)
    assert "twist" in description and "twist" not in visible(description)


async def test_import_with_an_unparsable_url_rejects_that_item_only(world):
    good = {"film": "Fine Film", "year": 2001, "critic": "Tester", "text": JAZZ}
    bad = {"film": "Bad Link", "year": 2002, "critic": "Tester", "url": "http://[oops", "text": JAZZ + " Other."}
    r = await world.mod.slash(world.channel, "review import", file=("r.json", export(good, bad)))
    text = " ".join(m.content or "" for m in msgs(r))
    assert "item 2 (Bad Link)" in text and "not a web address" in text, text


async def test_review_edit_with_an_unparsable_url_is_a_clear_refusal(world, settings):
    [(review_id,)] = db(settings, "SELECT id FROM reviews ORDER BY id LIMIT 1")
    r = await world.mod.slash(world.channel, "review edit", review=str(review_id), url="http://[oops")
    assert r.ephemeral and "not a web address" in r.response.content, r.response.content
