"""A fetched web page → the review article in it (main text and metadata), with trafilatura.

Pure: bytes in, an `Article` out; no network (trafilatura only parses what it is given), no Discord,
no database. It runs in a worker process (`bot.corpus.pool.run_isolated`): parsing outside HTML is
CPU work on hostile input, and the bot's event loop must not wait on it.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, AnyStr

MIN_ARTICLE_CHARS = 400  # less than this is a teaser, a stub or a page of links, not a review
MAX_TREE_ELEMENTS = 60_000  # trafilatura's own guard against enormous documents
MAX_BYTES_SCANNED = 2 * 1024 * 1024
# schema.org's paywall markup (isAccessibleForFree: false) and the phrases of a subscription wall.
_PAYWALL_MARKUP = re.compile(rb'"isAccessibleForFree"\s*:\s*"?(false|False|FALSE)"?')
_PAYWALL_WORDS = re.compile(
    r"(subscribe (now )?to (continue|keep) reading|to continue reading|subscribers only|for subscribers|"
    r"already a subscriber|this (article|story|content) is (only )?(available|reserved) (to|for) (subscribers|members)|"
    r"sign in to (continue|read)|log in to (continue|read)|start your (free )?trial|"
    r"subscribe to read (the|this) (full|rest|whole|entire)|(full|rest of the) (review|article|story) is for subscribers)",
    re.IGNORECASE,
)
# A page that ranks or gathers many films ("The 10 best films of 2024", "Top 5 movies to watch this week"):
# an article, but no review of one film; its headline says so at its start, or its JSON-LD is an ItemList.
# A number ranks ("The 10 best films", "Top 5 movies"); a superlative alone heads a list only when a list's scope
# follows the films ("of 2024", "of all time", "to watch", "right now", "ever") or the headline ends there: "The
# best horror films don't explain: Hollow Pines review" is one film's review, and was refused as a list.
_LIST_HEADLINE = re.compile(
    r"^\s*(the\s+|our\s+)?((top\s+\d{1,3}|\d{1,3})\s+(\w+\s+){0,2}?(films|movies|documentaries)\b"
    r"|(the\s+)?(best|worst|greatest|essential|favou?rite|scariest|funniest|most\s+\w+)"
    r"\s+(\w+\s+){0,2}?(films|movies|documentaries)"
    r"(\s+(of|ever|to\s+(watch|see|stream)|on|for|from|in|this|right\s+now|so\s+far)\b|\s*($|[|:–—-])))",
    re.IGNORECASE,
)
# Where a review goes on over another page: a link saying "Page 2" or "Next page" (not <link rel="next">, which
# WordPress prints for the next post of a blog as well).
# Every `[^<>]` below stops a tag at the next "<": a page of 100k "<a " with no ">" is then read once, not
# once per "<a " (quadratic: 80 KB took 2.8 s). Contents are cut the same way (`_elements`).
_NEXT_LINK = re.compile(rb"<a\b([^<>]*)>\s*(page\s*2|next\s+page)\b", re.IGNORECASE)
_HREF = re.compile(rb"\bhref\s*=\s*[\"']?([^\"'\s>]+)", re.IGNORECASE)
_META_CHARSET = re.compile(rb"<meta[^<>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]{1,40})", re.IGNORECASE)
# Tails trafilatura sometimes keeps from the page furniture: one-line promos, never a review's prose.
_FURNITURE = re.compile(
    r"^(read more|related|advertisement|sign up|subscribe|share( this)?|follow us|more from|"
    r"newsletter|most (read|popular)|comments?)\b.{0,80}$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Article:
    """What a page holds: text (paragraphs separated by blank lines) and the metadata it states.

    `refusal` is set instead when the page holds no article to keep (empty, paywalled, not an article).
    """

    text: str = ""
    title: str | None = None
    author: str | None = None
    sitename: str | None = None
    date: str | None = None
    film: str | None = None  # the film the page's structured data says it reviews
    film_year: int | None = None  # that film's year, from its dateCreated / datePublished
    continues: str | None = None  # the page's "Page 2" link: the review goes on past what this page holds
    refusal: str | None = None

    @property
    def paragraphs(self) -> list[str]:
        return [p for p in self.text.split("\n\n") if p.strip()]


_WIDE = {"utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"}


def decode(body: bytes, charset: str | None) -> str | bytes:
    """The page as text when the charset its HTTP header declared really reads it; else the bytes, for
    trafilatura to sniff (meta charset, then detection).

    A header that lies is common (a server's default, a page saved in another encoding): a body that
    does not decode in the declared charset is sniffed instead of stored with replacement characters,
    and a body declared in a one-byte charset that reads as UTF-8 is UTF-8 (a legacy-encoded page with
    accents is practically never valid UTF-8; read as Latin-1 it would be mojibake).
    """
    charset = _whatwg(charset or _meta_charset(body))
    if not charset:
        return body
    try:
        text = body.decode(charset)
    except (LookupError, UnicodeDecodeError):
        return body
    if charset.lower() not in _WIDE and not body.isascii():
        try:
            return body.decode("utf-8")
        except UnicodeDecodeError:
            pass
    return text


def _meta_charset(body: bytes) -> str | None:
    """The charset a page declares in its own <meta> (within its first 8 KB), as a browser's prescan finds it."""
    match = _META_CHARSET.search(body[:8192])
    if match is None:
        return None
    label = match.group(1).decode("ascii")
    # A page whose markup could be read to find this label is not UTF-16, whatever it says (browsers read UTF-8).
    return "utf-8" if label.lower().replace("_", "-").startswith(("utf-16", "utf16", "ucs-2", "unicode")) else label


def _whatwg(label: str | None) -> str | None:
    """A declared charset as browsers read it: ISO-8859-1 (latin1) and ASCII are Windows-1252 (WHATWG's Encoding
    standard), so a page's curly quotes and dashes, bytes 0x80-0x9F, are not read as invisible control characters
    ("Tati’s" was "Tati\x92s", shown as "Tatis"). None for a label no codec knows, or one only Python knows
    (`undefined` fails on every byte, `unicode_escape` rewrites backslashes, `rot13` is no charset): the page is
    then sniffed as a browser would, ignoring the label."""
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip()).name
    except LookupError:
        return None
    if not name.startswith(_WEB_CHARSETS) or name in _EBCDIC:
        return None
    return "cp1252" if name in ("iso8859-1", "latin-1", "ascii") else name


# The codecs (by the name `codecs.lookup` gives) of the encodings the web uses (WHATWG's Encoding standard).
_WEB_CHARSETS = ("utf-8", "utf-16", "utf-32", "cp", "iso8859", "latin-1", "ascii", "koi8", "mac-", "shift_jis",
                 "euc", "iso2022", "gb", "big5", "hz", "tis-620")
_EBCDIC = {"cp037", "cp273", "cp424", "cp500", "cp875", "cp1026", "cp1140"}  # "cp" codecs no web page is in


def _plain_text(body: bytes, charset: str | None) -> str:
    """A text/plain page as text: its declared charset when that reads it, else UTF-8, else Windows-1252."""
    text = decode(body, charset)
    if isinstance(text, str):
        return text
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return body.decode("cp1252", errors="replace")


def extract_article(body: bytes, content_type: str, charset: str | None, url: str) -> Article:
    """The article of a fetched page; an `Article` with `refusal` set when there is none to keep."""
    if content_type == "text/plain":
        text = _plain_text(body, charset)
        return _checked(Article(text=_paragraphs(text)), paywalled=False)
    import trafilatura  # in the worker only: the bot's own process never loads it

    document: Any
    try:
        document = trafilatura.bare_extraction(
            decode(body, charset),
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            include_images=False,
            include_links=False,
            favor_precision=True,
            config=_config(),
        )
    except (ValueError, TypeError, RecursionError, MemoryError):  # pragma: no cover - parser gave up
        document = None
    paywalled = bool(_PAYWALL_MARKUP.search(body[:MAX_BYTES_SCANNED]))
    if document is None:
        return _checked(Article(), paywalled)
    title = _one_line(document.title)
    declared = charset or _meta_charset(body)
    ld = _json_ld(body, declared)
    if ld.is_list or _LIST_HEADLINE.search(title or ""):
        return Article(title=title, refusal=(
            f"That page is a list of films (“{(title or 'untitled')[:120]}”), not a review of one film:"
            " add a review from its own page, or paste it with `/review add`."))
    text = document.text or ""
    walled = _walled(_visible(body, declared), text)
    return _checked(
        Article(
            text=_paragraphs(text, title),
            title=title,
            author=_one_line(document.author) or ld.author,
            sitename=_own_name(document.sitename, url) or ld.publisher,
            date=_one_line(document.date),
            film=ld.film,
            film_year=ld.film_year,
            continues=_next_page(body, url),
        ),
        paywalled,
        walled,
    )


WALL_REACH = 600  # how far after a teaser's last words its subscription prompt is looked for (visible characters)


def _walled(visible: str, text: str) -> bool:
    """The page shows a subscription prompt where its article's text stops: the wall after a teaser.

    The prompt is page furniture trafilatura leaves out of the text, so it is looked for in the visible page,
    just after the text's last words: an "Already a subscriber? Sign in" in the site's header above a short,
    complete review is not a wall (such a review was refused as a teaser). When those last words cannot be
    found in the visible page (markup inside them, entities), the whole page is searched, as before."""
    last = " ".join(text.split())[-40:]
    at = visible.rfind(last) if last else -1
    if at < 0:
        return _PAYWALL_WORDS.search(visible) is not None
    return _PAYWALL_WORDS.search(visible, at, at + len(last) + WALL_REACH) is not None


def _own_name(sitename: str | None, url: str) -> str | None:
    """The site's name as the page states it; None when trafilatura fell back to the URL's host
    ("127.0.0.1:8000", "framerate.example"): an address is not an outlet, and none is invented."""
    from urllib.parse import urlsplit

    name = _one_line(sitename)
    if name is None:
        return None
    parts = urlsplit(url)
    hosts = {parts.netloc.lower(), (parts.hostname or "").lower()}
    hosts |= {h.removeprefix("www.") for h in hosts}
    return None if name.lower().removeprefix("www.") in hosts else name


def _next_page(body: bytes, url: str) -> str | None:
    """The address of the review's next page when the page links one ("Page 2 →", "Next page")."""
    from urllib.parse import urljoin

    match = _NEXT_LINK.search(body[:MAX_BYTES_SCANNED])
    if match is None:
        return None
    href = _HREF.search(match.group(1))
    return urljoin(url, href.group(1).decode("ascii", "replace")) if href else url


_TAG = re.compile(r"<[^<>]*>")
_HIDDEN = {"script": re.compile(r"</script", re.IGNORECASE), "style": re.compile(r"</style", re.IGNORECASE)}
_HIDDEN_OPEN = re.compile(r"<(script|style)\b[^<>]*>", re.IGNORECASE)


def _visible(body: bytes, charset: str | None) -> str:
    """The page's text with its tags, scripts and styles taken out (roughly what a reader sees)."""
    text = _plain_text(body[:MAX_BYTES_SCANNED], charset)
    shown = [text[start:end] for start, end, _ in _elements(text, _HIDDEN_OPEN, lambda m: _HIDDEN[m.group(1).lower()])]
    return " ".join(_TAG.sub(" ", " ".join(shown)).split())


def _elements(
    text: AnyStr, opening: re.Pattern[AnyStr], closing: Callable[[re.Match[AnyStr]], re.Pattern[AnyStr]]
) -> list[tuple[int, int, tuple[int, int] | None]]:
    """(start, end) of each stretch of `text` outside the elements `opening` starts and `closing(match)` ends,
    each with the (start, end) of the element's content that follows it (None for the last, or one left open),
    in one pass. An
    element left open hides the rest of the page, and no later opening is looked for (its closing could only
    come after the one already missing): hostile markup costs one read of the page, not one per opening (a
    lazy `<script.*?</script>` over 100k unclosed openings was quadratic: 290 KB took 31 s)."""
    spans: list[tuple[int, int, tuple[int, int] | None]] = []
    at = 0
    while (found := opening.search(text, at)) is not None:
        end = closing(found).search(text, found.end())
        if end is None:
            spans.append((at, found.start(), None))  # its content never ends: not an element's content
            return spans
        spans.append((at, found.start(), (found.end(), end.start())))
        at = end.start()
    spans.append((at, len(text), None))
    return spans


_LD_OPEN = re.compile(rb"<script[^<>]*type\s*=\s*[\"']?application/ld\+json[\"']?[^<>]*>", re.IGNORECASE)
_SCRIPT_CLOSE = re.compile(rb"</script>", re.IGNORECASE)
_LD_TYPES = {"review", "criticreview", "article", "newsarticle", "blogposting", "reportagenewsarticle",
             "opinionnewsarticle", "webpage"}


@dataclass(frozen=True)
class _PageData:
    """What a page's JSON-LD (schema.org) states."""

    author: str | None = None
    publisher: str | None = None
    film: str | None = None
    film_year: int | None = None
    is_list: bool = False  # an ItemList and no review or article: a ranking of films


def _json_ld(body: bytes, charset: str | None = None) -> _PageData:
    """The author, publisher and film reviewed (with its year) that the page's JSON-LD names: a byline that
    exists only in structured data is still the page's own statement. Read in the page's own encoding
    (`_plain_text`'s rule), not as UTF-8 regardless: "Amélie" on a Windows-1252 page was "Am\ufffdlie"."""
    import json

    listed = False
    scanned = body[:MAX_BYTES_SCANNED]
    blocks = [scanned[a:b] for _, _, inner in _elements(scanned, _LD_OPEN, lambda _: _SCRIPT_CLOSE) if inner
              for a, b in (inner,)]
    for block in blocks:
        try:
            data = json.loads(_plain_text(block, charset))
        except (ValueError, RecursionError):  # malformed, or nested past the parser's depth by a hostile page
            continue
        items = data if isinstance(data, list) else data.get("@graph", [data]) if isinstance(data, dict) else []
        for item in items:
            if not isinstance(item, dict):
                continue
            kinds = item.get("@type")
            kinds = {str(k).lower() for k in (kinds if isinstance(kinds, list) else [kinds])}
            listed = listed or "itemlist" in kinds
            if kinds & _LD_TYPES:
                author, publisher = _ld_name(item.get("author")), _ld_name(item.get("publisher"))
                reviewed = item.get("itemReviewed")
                movie = isinstance(reviewed, dict) and reviewed.get("@type") == "Movie"
                film = _ld_name(reviewed) if movie else None
                year = _ld_year(reviewed) if movie and film else None
                if author or publisher or film:
                    return _PageData(author, publisher, film, year)
    return _PageData(is_list=listed)


def _ld_year(movie: Any) -> int | None:
    for key in ("dateCreated", "datePublished"):
        value = movie.get(key)
        if isinstance(value, (str, int)) and re.fullmatch(r"(18|19|20)\d\d", str(value)[:4]):
            return int(str(value)[:4])
    return None


def _ld_name(value: object) -> str | None:
    if isinstance(value, list):
        names = [n for n in (_ld_name(v) for v in value[:5]) if n]
        return ", ".join(names) or None
    if isinstance(value, dict):
        value = value.get("name")
    return _one_line(value) if isinstance(value, str) else None


def _config() -> Any:
    """trafilatura's settings (a ConfigParser), built once per worker."""
    global _CONFIG
    if _CONFIG is None:
        from trafilatura.settings import use_config

        _CONFIG = use_config()
        _CONFIG.set("DEFAULT", "MAX_TREE_SIZE", str(MAX_TREE_ELEMENTS))
        _CONFIG.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")  # our worker has its own time limit
        _CONFIG.set("DEFAULT", "EXTENSIVE_DATE_SEARCH", "off")  # a date the page states, not a guess
    return _CONFIG


_CONFIG: Any = None


def _one_line(value: str | None) -> str | None:
    text = " ".join((value or "").split())
    return text or None


def _paragraphs(text: str, title: str | None = None) -> str:
    """One paragraph per non-empty line (trafilatura's text output), page furniture lines and a
    heading that repeats the title dropped."""
    lines = [" ".join(line.split()) for line in text.replace("\r", "\n").split("\n")]
    kept = [line for line in lines if line and not _FURNITURE.match(line)]
    if kept and title and kept[0].casefold() == title.casefold():
        kept = kept[1:]
    return "\n\n".join(kept)


def _checked(article: Article, paywalled: bool, walled: bool = False) -> Article:
    """`walled`: the page shows a subscription prompt somewhere (a teaser when the text is short)."""
    size = len(article.text)
    teaser = (walled or bool(_PAYWALL_WORDS.search(article.text[-600:]))) and size < 3 * MIN_ARTICLE_CHARS
    if (paywalled or teaser) and size < 6 * MIN_ARTICLE_CHARS:
        return Article(title=article.title, refusal=(
            "That page looks paywalled: it shows only a teaser of the article."
            " Paste the review with `/review add` instead."))
    if size == 0:
        return Article(title=article.title, refusal=(
            "That page has no article text I can find: an empty page, or not a review article."))
    if size < MIN_ARTICLE_CHARS:
        return Article(title=article.title, refusal=(
            f"That page holds only {size} characters of article text: not a review article"
            " (a front page, a list of links or a teaser?)."))
    return article
