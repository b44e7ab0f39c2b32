"""Pure rules of film metadata: title matching, the year check, parsing recorded answers, links, the card."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from bot.core.config import ConfigError, Settings
from bot.metadata import rules
from bot.metadata.render import film_card
from bot.metadata.rules import FilmMetadata, match, norm_title
from bot.metadata.tmdb import parse_details, parse_summary
from bot.metadata.wikidata import parse_entity
from tests.helpers import check_payload

DATA = Path(__file__).parent / "data"


def load(name: str):
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def tmdb_search() -> list[FilmMetadata]:
    return [f for item in load("tmdb/search-la-la-land.json")["results"] if (f := parse_summary(item))]


def test_unicode_forms_articles_and_punctuation_share_one_key():
    """NFC and NFD Amélie, 'The Matrix' and 'matrix', 'Amélie!' all normalise alike."""
    nfc, nfd = unicodedata.normalize("NFC", "Amélie"), unicodedata.normalize("NFD", "Amélie")
    assert nfc != nfd and norm_title(nfc) == norm_title(nfd) == norm_title("AMELIE!")
    assert norm_title("The Matrix") == norm_title("matrix") and norm_title("La La Land") == "la la land"
    assert norm_title("…!!") == "" and norm_title("\u202e\x00") == ""


def test_a_different_year_is_never_matched():
    """TMDB answering the 2016 film to a question about 2017 gives no match."""
    assert match(tmdb_search(), "La La Land", 2017) is None
    found = match(tmdb_search(), "La La Land", 2016)
    assert found is not None and found.tmdb_id == 313369


def test_without_a_year_two_films_of_that_title_are_not_guessed():
    """The 2016 film and a 2011 namesake: no year → no match (never a silent pick)."""
    assert match(tmdb_search(), "La La Land", None) is None
    assert match(tmdb_search()[:2], "la la land", None).year == 2016


def test_a_namesake_title_is_not_a_match():
    """A featurette whose title only starts with the film's does not match."""
    assert all(m.tmdb_id != 441130 for m in filter(None, [match(tmdb_search(), "La La Land", 2017)]))
    assert match(tmdb_search(), "La La Land: Behind the Scenes", 2017).tmdb_id == 441130
    assert match(tmdb_search(), "", 2016) is None


def test_tmdb_details_are_read_in_full():
    """movie/{id} with credits and external ids → runtime, director (once), genres, IMDb and Wikidata ids."""
    meta = parse_details(load("tmdb/movie-313369.json"))
    assert (meta.title, meta.year, meta.runtime_minutes, meta.director) == ("La La Land", 2016, 129, "Damien Chazelle")
    assert meta.genres == ("Comedy", "Drama", "Romance", "Music")
    assert (meta.imdb_id, meta.wikidata_id, meta.tmdb_id) == ("tt3783958", "Q20090118", 313369)
    assert meta.poster_url.endswith("/uDO8zWDhfWwoFdKS4fzkUJt0Rf0.jpg")
    assert meta.attribution == rules.TMDB_ATTRIBUTION


def test_wikidata_keeps_only_films_and_reads_their_statements():
    """The album and the TV series are dropped; the film gives its earliest year, runtime and ids."""
    entities = load("wikidata/entities-la-la-land.json")["entities"]
    labels = {"Q5212140": "Damien Chazelle", "Q842256": "musical film"}
    films = [m for e in entities.values() if (m := parse_entity(e, labels))]
    [meta] = films
    assert (meta.year, meta.runtime_minutes, meta.director) == (2016, 128, "Damien Chazelle")
    assert (meta.imdb_id, meta.letterboxd_id, meta.genres) == ("tt3783958", "la-la-land", ("musical film",))


def test_hostile_provider_values_are_dropped():
    """Ids of the wrong shape, absurd years and runtimes, a poster path with a host: none survive."""
    hostile = {"id": 1, "title": "X\x00", "release_date": "9999-01-01", "runtime": 10**9,
               "poster_path": "//evil.example/x.jpg", "imdb_id": "tt1)[x](http://e)",
               "external_ids": {"wikidata_id": "Q1 OR 1"}, "genres": "Comedy", "credits": []}
    meta = parse_details(hostile)
    assert (meta.title, meta.year, meta.runtime_minutes, meta.poster_url, meta.imdb_id) == ("X", None, None, None, None)
    assert rules.links(FilmMetadata("X", letterboxd_id="a/../../b", imdb_id="javascript:x")) == []
    assert parse_summary({"id": True, "title": "X"}) is None and parse_details({"title": 3}) is None


def test_cached_records_round_trip_and_foreign_rows_are_ignored():
    """to_json/from_json give the same record; a row of another shape reads as None."""
    meta = parse_details(load("tmdb/movie-313369.json"))
    assert FilmMetadata.from_json(json.loads(json.dumps(meta.to_json()))) == meta
    assert FilmMetadata.from_json({"title": "X", "colour": "red"}) is None


def test_full_card_within_discord_limits_and_inert():
    """A 5,000-character overview is clipped, markdown and mentions in provider text are made inert."""
    meta = FilmMetadata("@everyone **Film**", 2016, 95, "A || B", ("Drama",) * 20, "word " * 1000,
                        tmdb_id=1, imdb_id="tt0000001", letterboxd_id="film", source="tmdb",
                        attribution=rules.TMDB_ATTRIBUTION)
    embed = film_card(meta, "@everyone **Film**", 2016, 3.25, 4, 2, 17)
    check_payload({"embeds": [embed.to_dict()], "allowed_mentions": {"parse": []}})
    assert len(embed.description) <= 350 and "@\u200beveryone" in embed.title and "\\*\\*" in embed.title
    fields = {f.name: f.value for f in embed.fields}
    assert fields["Runtime"] == "1 h 35 min" and fields["Director"] == "A \\|\\| B"
    assert fields["The club"] == "**3.25★** average from 4 ratings"
    assert fields["Critics"].startswith("2 critic reviews · 17 quotable passages")
    assert embed.footer.text == rules.TMDB_ATTRIBUTION


def test_bare_card_has_title_year_and_counts_only():
    """No metadata: title and year, the club's and critics' lines, no links, no footer."""
    embed = film_card(None, "Whiplash", 2014, None, 0, 0, 0)
    assert embed.title == "Whiplash (2014)" and embed.thumbnail.url is None and embed.footer.text is None
    assert [f.name for f in embed.fields] == ["The club", "Critics"]
    assert "No critic reviews yet" in embed.fields[1].value


def test_settings_read_the_metadata_switch_key_and_urls():
    """On by default from the environment, off by keyword; a bad switch or URL is refused; the key is hidden."""
    env = Settings.from_env({"TMDB_API_KEY": " secret ", "FILMBOT_TMDB_URL": "http://127.0.0.1:1/3"})
    assert env.metadata and env.tmdb_api_key == "secret" and env.tmdb_base_url == "http://127.0.0.1:1/3"
    assert "secret" not in repr(env) and not Settings().metadata
    assert not Settings.from_env({"FILMBOT_METADATA": "off"}).metadata
    with pytest.raises(ConfigError, match="FILMBOT_METADATA"):
        Settings.from_env({"FILMBOT_METADATA": "maybe"})
    with pytest.raises(ConfigError, match="FILMBOT_WIKIDATA_URL"):
        Settings.from_env({"FILMBOT_WIKIDATA_URL": "ftp://x"})


def test_what_the_catalogue_kept_credits_every_source_whose_data_it_shows():
    """A film row last filled from Wikidata but still holding TMDB's poster: both credited (TMDB's notice is
    due wherever its data is shown); a row never filled: nothing to show, no credit."""
    from bot.films.rules import Film

    film = Film(id=1, title="La La Land", year=2016, norm_key="la la land", runtime_minutes=128,
                poster_url="https://image.tmdb.org/t/p/w342/a.jpg", letterboxd="la-la-land",
                metadata_source=rules.WIKIDATA)
    kept = FilmMetadata.kept(film)
    assert kept is not None and kept.runtime_minutes == 128 and kept.poster_url
    assert rules.TMDB_ATTRIBUTION in kept.attribution and rules.WIKIDATA_ATTRIBUTION in kept.attribution
    bare = Film(id=2, title="Heat", year=1995, norm_key="heat")
    assert FilmMetadata.kept(bare) is None
    wikidata_only = Film(id=3, title="Ran", year=1985, norm_key="ran", director="Akira Kurosawa",
                         metadata_source=rules.WIKIDATA)
    assert FilmMetadata.kept(wikidata_only).attribution == rules.WIKIDATA_ATTRIBUTION


def test_an_overview_is_cut_before_its_first_sentence_that_tells_the_ending():
    """The corpus's spoiler rules read the overview: its set-up is kept, the ending from its first reveal on."""
    from bot.metadata.rules import overview_parts

    setup = "Two brothers drive a truck of salt across the desert."
    ending = "In the end the older brother dies in a crash. The younger one drives on."
    assert overview_parts(f"{setup} {ending}") == (setup, ending)
    assert overview_parts(setup) == (setup, "")
    assert overview_parts("A keeper welcomes his daughter home, until he dies in the final scene.")[0] == ""


def test_a_record_found_by_an_alias_is_the_club_film_only_as_far_as_their_ids_say() -> None:
    """ids_agree: no id the film holds contradicts the record's; ids_prove: one id both hold is the same, or the
    film holds none yet (only then is the record written onto it)."""
    from bot.films.rules import Film
    from bot.metadata.rules import FilmMetadata, ids_agree, ids_prove

    bare = Film(1, "Amélie", 2001, "amelie")
    same = Film(1, "Amélie", 2001, "amelie", tmdb_id=194)
    other = Film(1, "Amélie", 2001, "amelie", tmdb_id=999)
    only_wikidata = Film(1, "Amélie", 2001, "amelie", wikidata_id="Q484048")
    record = FilmMetadata("Le Fabuleux Destin d'Amélie Poulain", 2001, tmdb_id=194)
    assert ids_agree(bare, record) and ids_prove(bare, record)
    assert ids_agree(same, record) and ids_prove(same, record)
    assert not ids_agree(other, record)
    assert ids_agree(only_wikidata, record) and not ids_prove(only_wikidata, record)
