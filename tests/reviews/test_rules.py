"""Pure validation behind /review: uploads, metadata, export/import documents."""

from __future__ import annotations

import json
import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.config import DEFAULT_DATA_DIR
from bot.core.refusals import UserError
from bot.corpus import load_themes
from bot.reviews.rules import (
    FILE_MAX_BYTES,
    check_date,
    check_item,
    check_meta,
    check_url,
    clean_field,
    decode_upload,
    export_chunk,
    export_document,
    export_join,
    parse_import,
    prepare,
    split_film,
    themes_found,
)
from tests.helpers import nasty_text

THEMES = load_themes(DEFAULT_DATA_DIR / "themes.toml")
PROSE = "The jazz in this film is a battlefield, not a refuge. Every missed beat is treated as a betrayal."


@pytest.mark.parametrize("url", ["https://example.com/r", "http://example.com", "HTTPS://EXAMPLE.COM/a?b=c"])
def test_http_urls_are_accepted(url):
    """Absolute http(s) links pass unchanged."""
    assert check_url(url) == url


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "ftp://x.org/f", "example.com", "https:///nohost", "http://a b", "A://[", "http://["]
)
def test_other_urls_are_refused(url):
    """Anything that is not an absolute http(s) link is refused with the scheme rule."""
    with pytest.raises(UserError, match="http:// or https://"):
        check_url(url)


@pytest.mark.parametrize(
    ("given", "stored"), [("2016", "2016"), ("2016-12", "2016-12"), (" 2016-12-09 ", "2016-12-09")]
)
def test_dates_in_iso_shapes_are_kept(given, stored):
    """YYYY, YYYY-MM and YYYY-MM-DD are stored as given."""
    assert check_date(given) == stored


@pytest.mark.parametrize("given", ["2016-02-30", "9 Dec 2016", "2016-13", "20161209"])
def test_impossible_or_free_form_dates_are_refused(given):
    """A date that is not a real ISO date is refused with an example."""
    with pytest.raises(UserError, match="YYYY-MM-DD"):
        check_date(given)


def test_film_label_from_autocomplete_splits_into_title_and_year():
    """'La La Land (2016)' becomes title and year; a plain title keeps no year."""
    assert split_film("La La Land (2016)", None) == ("La La Land", 2016)
    assert split_film("  Whiplash ", None) == ("Whiplash", None)


def test_fields_are_cleaned_and_limited():
    """Control characters and runs of spaces go; an over-long name is refused naming the limit."""
    assert clean_field("Jane\x00  \u202eDoe", "critic name", 100) == "Jane Doe"
    assert clean_field("   ", "critic name", 100) is None
    with pytest.raises(UserError, match="limit is 100"):
        check_meta("Film", critic="x" * 101)


def test_year_out_of_range_is_refused():
    """A year outside 1870–2100 is refused."""
    with pytest.raises(UserError, match="out of range"):
        check_meta("Film", year=20160)


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("r.txt", b"a\x00b", "binary"),
        ("r.txt", "é".encode("latin-1"), "not UTF-8"),
        ("r.txt", b"x" * (FILE_MAX_BYTES + 1), "limited to 100 KB"),
        ("r.docx", b"text", "not a .txt or .md"),
        ("r.md", b" \n\t\r\n", "empty"),
    ],
)
def test_bad_uploads_are_refused(name, data, reason):
    """Binary, non-UTF-8, too big, wrong extension and blank files are refused."""
    with pytest.raises(UserError, match=reason):
        decode_upload(name, data)


def test_utf8_upload_with_bom_and_crlf_decodes():
    """A Windows-saved UTF-8 file (BOM, CRLF) decodes to clean text."""
    assert (
        decode_upload("R.TXT", "\ufeffUn film réussi.\r\nVraiment.".encode()) == "Un film réussi.\nVraiment."
    )


def test_text_without_quotable_passage_is_refused():
    """Headings and fragments alone give nothing to quote."""
    with pytest.raises(UserError, match="no quotable passage"):
        prepare(check_meta("Film"), "Whiplash\nDrums\n", THEMES)


def test_prepare_tags_themes():
    """The pipeline finds passages and themes in a prose review."""
    prepared = prepare(check_meta("Whiplash"), PROSE, THEMES)
    assert prepared.passages and themes_found(prepared.passages) == {"music": 1}


def test_export_document_round_trips_through_parse_import():
    """An export parses back to its items."""
    items = [{"film": "Whiplash", "year": 2014, "text": PROSE}]
    assert parse_import(export_document(items)) == items


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"not json", "not JSON"),
        (b'{"format": "other", "version": 1, "reviews": []}', "not a filmbot review export"),
        (b'{"format": "filmbot-reviews", "version": 2, "reviews": []}', "version 2 is not supported"),
        (b'{"format": "filmbot-reviews", "version": 1}', 'no "reviews" list'),
    ],
)
def test_wrong_import_files_are_refused(data, reason):
    """Non-JSON, foreign JSON, another version and a missing list are refused as a whole."""
    with pytest.raises(UserError, match=reason):
        parse_import(data)


@pytest.mark.parametrize(
    ("data", "said"),
    [
        (b"not json", ("That file is not JSON (its first mistake is at line 1, column 1). Use a file made by"
                       " `/review export`.")),
        (b'{"format": "filmbot-reviews",\n "version": 1,,}', "(its first mistake is at line 2, column 15)"),
        (b"\xff\xfe{}", "That file is not JSON (it is not UTF-8 text)."),
        (b'{"year": ' + b"9" * 5000 + b"}", "That file is not JSON I can read (a number in it is too long)."),
    ],
)
def test_a_file_that_is_not_json_is_refused_in_words_not_pythons(data, said):
    """The refusal says where the mistake is in words; never json's "Expecting value … (char 0)" nor
    "sys.set_int_max_str_digits()"."""
    with pytest.raises(UserError) as refused:
        parse_import(data)
    assert said in refused.value.message
    assert "char" not in refused.value.message and "sys." not in refused.value.message


@pytest.mark.parametrize(
    ("item", "reason"),
    [
        ("text", "not an object"),
        ({"film": "F", "year": "2014", "text": PROSE}, "whole number"),
        ({"film": "F", "spoiler": "yes", "text": PROSE}, "true or false"),
        ({"film": "F"}, "missing"),
        ({"film": "", "text": PROSE}, "film's title"),
        ({"film": "F", "url": "file:///etc/passwd", "text": PROSE}, "http"),
        ({"film": "F", "text": "x" * (FILE_MAX_BYTES + 1)}, "over 100 KB"),
    ],
)
def test_bad_import_items_are_rejected_with_reason(item, reason):
    """Each malformed item is rejected with its own reason."""
    with pytest.raises(UserError, match=reason):
        check_item(item, THEMES)


def test_good_import_item_keeps_its_metadata():
    """A valid item keeps film, year, critic, date and spoiler flag."""
    item = {"film": "F", "year": 2014, "critic": "C", "date": "2014-10-10", "spoiler": True, "text": PROSE}
    meta = check_item(json.loads(json.dumps(item)), THEMES).meta
    assert (meta.film, meta.year, meta.critic, meta.date, meta.spoiler) == (
        "F",
        2014,
        "C",
        "2014-10-10",
        True,
    )


def _storable(text: str) -> bool:
    return not any("\ud800" <= c <= "\udfff" for c in text)  # a database's UTF-8 holds no lone surrogate


_stored_text = nasty_text.filter(_storable)


@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "25")), deadline=None)
@given(st.lists(st.fixed_dictionaries({"film": _stored_text, "year": st.none() | st.integers(1870, 2030),
                                       "text": _stored_text, "spoiler": st.booleans()}), max_size=6),
       st.integers(1, 4))
def test_an_export_joined_from_chunks_is_byte_for_byte_export_document(items, per_chunk):
    """export_join of export_chunk pages equals export_document of the same items, for any text and paging."""
    chunks = [export_chunk(items[i : i + per_chunk]) for i in range(0, len(items), per_chunk)]
    assert export_join(chunks) == export_document(items)
