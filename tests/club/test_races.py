"""/rate when one member sends it from two clients at the same moment: one rating, each answer true."""

from __future__ import annotations

from tests.helpers import burst, text_of


async def test_rate_from_two_clients_at_once_keeps_one_rating_and_says_which(world):
    """Alice rates La La Land from her phone (2★) and her laptop (4.5★) at once: one row; one answer says
    'Rated', the other 'Updated your rating', and the row holds the stars and take of the 'Updated' one."""
    phone, laptop = await burst(world.env, [
        lambda: world.alice.slash(world.channel, "rate film", film="La La Land", stars=2, take="Too sweet."),
        lambda: world.alice.slash(world.channel, "rate film", film="La La Land", stars=4.5, take="Grew on me."),
    ])
    answers = {text_of(phone).split(" ")[0]: phone, text_of(laptop).split(" ")[0]: laptop}
    assert set(answers) == {"Rated", "Updated"}, (text_of(phone), text_of(laptop))
    [(stars_x2, take)] = [tuple(r) for r in world.q("SELECT stars_x2, take FROM club_ratings")]
    last = answers["Updated"]
    assert (stars_x2, take) == ((9, "Grew on me.") if last is laptop else (4, "Too sweet."))
    assert phone.ephemeral and laptop.ephemeral
    assert not world.env.errors
