"""A newcomer's film: a review of a film the bot never saw, then every film-taking command on it."""

from __future__ import annotations

import re

from tests.helpers import World, assert_no_pings, check_all_payloads, message_payloads, msgs, text_of

BODY = ("This film is a patient drama about two sisters running a seaside hotel out of season. The photography is"
        " lovely, all pale blues and grey light on wet sand, and the score hums softly under every scene.\n\n"
        "The ending is devastating. In the final scene the younger sister walks into the winter sea and drowns,"
        " and the last shot shows the hotel sign switched off for good.")


def visible(text: str) -> str:
    return re.sub(r"\|\|.*?\|\|", "", text, flags=re.DOTALL)


async def test_a_film_reviewed_without_a_year_is_found_when_typed_with_its_year(world: World):
    """Reviewed as `Alien`, asked for as `Alien (1979)`: every film-taking command finds it (as `/watchlist add`
    and `/review add` already did, dating it), none says it does not know the film."""
    await world.mod.slash(world.channel, "review add", film="Alien", file=("alien.txt", BODY.encode()))
    for command, options in [("quote", {}), ("themes", {}), ("rate film", {"stars": 4.0}), ("ratings", {}),
                             ("compare", {}), ("film info", {})]:
        result = await world.alice.slash(world.channel, command, film="Alien (1979)", **options)
        assert "don't know a film" not in text_of(result), f"/{command}: {text_of(result)[:200]}"
    assert world.q("SELECT title, year FROM films WHERE norm_key = 'alien'") == [("Alien", None)]
    check_all_payloads(world.env)
    assert_no_pings(world.env)


async def test_a_screening_of_a_new_yearless_film_typed_with_its_year_holds_back_its_ending(world: World):
    """The screening is scheduled as `Alien (1979)` for a film reviewed as `Alien`: it is that film's screening,
    and its ending is shown nowhere, not even behind bars, until the screening ends."""
    await world.mod.slash(world.channel, "review add", film="Alien", file=("alien.txt", BODY.encode()))
    scheduled = await world.mod.slash(world.channel, "filmnight schedule", film="Alien (1979)",
                                      when="2026-01-03 20:00", where="The back room")
    assert "is scheduled" in text_of(scheduled), text_of(scheduled)
    mark = len(message_payloads(world.env))
    for command, options in [("quote", {"film": "Alien"}), ("quote", {"film": "Alien (1979)", "theme": "ending"}),
                             ("quote", {"theme": "ending"}), ("search", {"query": "sister"}),
                             ("discuss", {"film": "Alien"}), ("discuss", {"film": "Alien", "theme": "ending"})]:
        for _ in range(3):
            result = await world.alice.slash(world.channel, command, **options)
            assert msgs(result), f"/{command} {options}: no answer"
    shown = [str(body) for body in message_payloads(world.env)[mark:]]
    assert not [body[:200] for body in shown if "walks into the winter sea" in body]


async def test_a_watchlisted_film_without_a_year_is_supported_and_removed_when_typed_with_its_year(world: World):
    """Listed as `Alien`, named as `Alien (1979)`: `/watchlist support` and `/watchlist remove` find the entry
    (the rule every other film option follows), none says it is not on the watchlist."""
    await world.alice.slash(world.channel, "watchlist add", film="Alien")
    supported = await world.bob.slash(world.channel, "watchlist support", film="Alien (1979)")
    assert "You now support **Alien**" in text_of(supported), text_of(supported)
    removed = await world.alice.slash(world.channel, "watchlist remove", film="Alien (1979)")
    assert "Removed **Alien**" in text_of(removed), text_of(removed)
    assert world.count("watchlist", "status IN ('pending', 'active')") == 0


HER = ("Her is a tender science-fiction romance about a lonely letter writer who falls for his phone's operating"
       " system. Joaquin Phoenix is wonderful, and the pastel Los Angeles of the near future glows.\n\n"
       "The best scene in Her is a picnic on a mountain, where Theodore and the voice in his ear laugh like any"
       " other couple on a weekend away.")


async def test_a_film_whose_title_is_a_pronoun_is_reviewed_and_quoted(world: World):
    """A review of *Her* opening "Her is a tender…": the title is the film, not a pronoun leaning on an earlier
    sentence; /review add stores it with quotable passages and /quote film:Her quotes them."""
    added = await world.mod.slash(world.channel, "review add", film="Her", year=2013, file=("her.txt", HER.encode()))
    assert "Added review" in text_of(added), text_of(added)
    assert world.count("passages p JOIN reviews r ON r.id = p.review_id JOIN films f ON f.id = r.film_id",
                       "f.title = 'Her' AND p.quotable = 1") == 2
    quoted = await world.alice.slash(world.channel, "quote", film="Her")
    assert "Joaquin Phoenix" in text_of(quoted) or "picnic on a mountain" in text_of(quoted), text_of(quoted)


def remake_text(year: int) -> bytes:
    return (f"Suspiria ({year}) is a dance-academy horror film with a howling score and wild colours. The"
            f" performances are fierce, and the {year} version is a strange, cold nightmare from end to end.").encode()


async def test_the_quote_a_new_review_suggests_names_its_film_among_remakes(world: World):
    """After /review add of the 2018 *Suspiria* while the 1977 one is reviewed, the `/quote film:…` the reply
    suggests quotes that film (it named the bare title, which asks to pick between the two)."""
    await world.mod.slash(world.channel, "review add", film="Suspiria", year=1977, file=("a.txt", remake_text(1977)))
    added = await world.mod.slash(world.channel, "review add", film="Suspiria", year=2018, file=("b.txt", remake_text(2018)))
    suggested = re.search(r"`/quote film:(.+?)`", text_of(added))
    assert suggested, text_of(added)
    quoted = await world.alice.slash(world.channel, "quote", film=suggested.group(1))
    assert "2018 version" in text_of(quoted), text_of(quoted)


async def test_removing_a_review_of_a_remake_names_which_film(world: World):
    """/review remove's confirmation names the film with its year: *Suspiria (2018)*, not a bare *Suspiria*."""
    await world.mod.slash(world.channel, "review add", film="Suspiria", year=1977, file=("a.txt", remake_text(1977)))
    await world.mod.slash(world.channel, "review add", film="Suspiria", year=2018, file=("b.txt", remake_text(2018)))
    (review_id,) = world.q("SELECT r.id FROM reviews r JOIN films f ON f.id = r.film_id WHERE f.year = 2018")[0]
    asked = await world.mod.slash(world.channel, "review remove", review=str(review_id))
    assert "*Suspiria (2018)*" in text_of(asked), text_of(asked)


async def test_a_title_typed_with_its_year_and_the_same_year_option_is_that_film(world: World):
    """`/watchlist add film:Whiplash (2014) year:2014` and `/review add film:Whiplash (2014) year:2014` name
    Whiplash (2014): one film, none titled "Whiplash (2014)"."""
    await world.alice.slash(world.channel, "watchlist add", film="Whiplash (2014)", year=2014)
    await world.mod.slash(world.channel, "review add", film="Whiplash (2014)", year=2014,
                          file=("w.txt", BODY.replace("two sisters", "a drummer").encode()))
    assert world.q("SELECT title, year FROM films WHERE norm_key LIKE 'whiplash%'") == [("Whiplash", 2014)]


async def test_a_title_whose_year_contradicts_the_year_option_is_refused_and_nothing_is_stored(world: World):
    """`film:Suspiria (2018) year:1977` is refused privately by /watchlist add and /review add, naming both
    years; no film called "Suspiria (2018)" of 1977 is created."""
    before = world.digest()
    for who, command, extra in ((world.alice, "watchlist add", {}),
                                (world.mod, "review add", {"file": ("s.txt", BODY.encode())})):
        result = await who.slash(world.channel, command, film="Suspiria (2018)", year=1977, **extra)
        assert result.ephemeral and "2018" in text_of(result) and "1977" in text_of(result), text_of(result)
    assert world.digest() == before


TWIST = ("Mission: Impossible is a slick spy thriller in which Ethan Hunt is framed for the murder of his own team."
         " The Langley vault heist, with Cruise dangling on wires, is a classic set piece.\n\n"
         "The score is a pulsing update of the old television theme, and the photography of Prague at night glows.")


async def test_review_show_hides_what_quote_hides_and_holds_it_back_during_the_screening(world: World):
    """A passage the text rules hide (a reveal: "framed for the murder of his own team", no spoiler theme) is
    behind spoiler bars in /review show as in /quote; while the film's screening is upcoming it is not shown."""
    await world.mod.slash(world.channel, "review add", film="Mission: Impossible", year=1996,
                          file=("mi.txt", TWIST.encode()))
    assert world.q("SELECT spoiler_reason FROM passages WHERE text LIKE 'Mission%'")[0][0] is not None
    (review_id,) = world.q("SELECT max(id) FROM reviews")[0]
    phrase = "framed for the murder of his own team"
    shown = text_of(await world.alice.slash(world.channel, "review show", review=str(review_id)))
    assert phrase in shown and phrase not in visible(shown), shown
    await world.mod.slash(world.channel, "filmnight schedule", film="Mission: Impossible (1996)",
                          when="2026-01-03 20:00", where="The back room")
    shown = text_of(await world.alice.slash(world.channel, "review show", review=str(review_id)))
    assert phrase not in shown and "Prague at night" in shown, shown


CONTEXT = ("Mission: Impossible is a slick spy thriller with a cool, glassy look. The Langley vault heist, with Cruise"
           " dangling on wires above a white floor, is a classic set piece that still makes audiences hold their"
           " breath. Danny Elfman's score pulses under every chase, and the photography of Prague at night glows like"
           " wet neon. Midway through, Ethan Hunt is framed for the murder of his own team by the man who trained"
           " him. The train finale in the tunnel is loud, silly and great fun.")


async def test_more_context_hides_a_neighbour_the_text_rules_hide(world: World):
    """A harmless quote's "More context" shows its paragraph; the next passage, hidden by the text rules (a
    reveal, tagged only with the music theme), is behind spoiler bars there as in /quote."""
    await world.mod.slash(world.channel, "review add", film="Mission: Impossible", year=1996,
                          file=("mi.txt", CONTEXT.encode()))
    assert world.q("SELECT spoiler_reason FROM passages WHERE text LIKE 'Danny Elfman%'")[0][0] is not None
    quote = await world.alice.slash(world.channel, "quote", film="Mission: Impossible", about="Langley")
    assert "Langley vault heist" in text_of(quote), text_of(quote)
    context = text_of(await world.alice.click(quote.response, label="More context"))
    assert "framed for the murder" in context and "framed for the murder" not in visible(context), context


DOCUMENTARY = (
    "The Net Menders is a documentary of great patience: the filmmaker spent four winters in a fishing village,"
    " and her subjects stop performing for the camera somewhere in the first half hour.\n\n"
    "The interviews are the heart of the film. Old Jógvan talks about the boat he lost in 1987 without once raising"
    " his voice, and the director has the good sense to hold the shot long after he has finished speaking.")


async def test_a_documentarys_interview_passage_is_quoted_and_found(world: World):
    """A documentary's passage on its interviews, whose camera holds "long after he has finished speaking": a time
    clause, not two clauses fused; /search interviews and /quote about:interviews find it (they said no passage
    mentions the word)."""
    await world.mod.slash(world.channel, "review add", film="The Net Menders", year=2021, critic="Ruth Almond",
                          file=("menders.txt", DOCUMENTARY.encode()))
    found = await world.alice.slash(world.channel, "search", query="interviews")
    assert "Jógvan" in text_of(found), text_of(found)
    quoted = await world.alice.slash(world.channel, "quote", film="Net Menders", about="interviews")
    assert "long after he has finished speaking" in text_of(quoted), text_of(quoted)
