"""Turn scraped review text into clean paragraphs.

Scraped reviews arrive with image captions, promo links, section headings,
layout whitespace and holes where words were lost.  Everything here is pure
text processing (standard library only) so it can run anywhere, including in
tests and in the import pipeline, without discord or a database.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

from bot.corpus.segment import join_sentences, split_sentences

# Journalistic omission mark used wherever a word was lost in scraping.  We
# never silently close such a gap: quoting "an actress" when the critic wrote
# "an Oscar-winning actress" would put words in their mouth.
GAP_MARK = "[…]"

# Bidi overrides/isolates, BOM and zero-width space: invisible, can reorder or
# disguise text in a Discord embed, and carry no meaning in a review.  ZWJ and
# ZWNJ are kept because emoji sequences and some scripts depend on them.
_INVISIBLE = re.compile("[\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")

# Two or more blanks between word-ish characters = a lost word.  A comma or
# semicolon on the left counts too ("the surreal,   sets"): layout never puts
# a run of spaces after a comma, a deleted adjective does.  A dash or a
# sentence end on the left is just sloppy spacing, so it is not matched.
_WORD_GAP = re.compile(r"(?<=[\w,;]) {2,}(?=[\w“‘\"(])")
# "dream. ”" -> "dream.”": the closing quote got detached from its sentence.
_DETACHED_CLOSE = re.compile(r"([.?!,;:…]) +([”’\"])(?= |$)")
_SPACES = re.compile(r" {2,}")
# Unicode categories Cc (C0/C1 controls) and Cs (surrogates), minus \n and \t.
# One regex pass instead of a per-character category lookup: 4x faster on 100 KB.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
# str patterns: \s is exactly str.isspace() (tab, NBSP, thin space, ...).
_BLANK = re.compile(r"\s")
_TERMINAL_END = re.compile(r"[.?!…。！？][\"”’')\]」』]*$")

# Lines that are promo or credit boilerplate whatever their punctuation.
_PROMO = re.compile(
    r"^(related|read more|read next|see also|also read|recommended|more from|"
    r"advertisement|sponsored|subscribe|sign up|watch|listen)\b\s*[:|–—-]",
    re.IGNORECASE,
)
_CREDIT = re.compile(
    r"^(sourced via|source:|via\b|images? (via|by|courtesy)|photos? (via|by|courtesy|credit)|"
    r"photograph(ed)? by|courtesy of|credit:|image credit|photo:|getty images)",
    re.IGNORECASE,
)
_URL = re.compile(r"^(https?://|www\.)\S*$", re.IGNORECASE)
# Spoiler/affiliate disclaimers opening a paragraph: a sentence about the
# article, not about the film, so it must never be quoted as the critic's view.
# The sentence body is taken possessively and checked for the keyword in code:
# "[^.?!]*(?:spoilers?)[^.?!]*" backtracked quadratically on a long sentence
# repeating the keyword without a full stop.
_DISCLAIMER = re.compile(
    r"^(?:(?:spoiler )?warning: )?this (?:post|article|review|piece|story) contains "
    r"([^.?!]*+)[.!] *+",
    re.IGNORECASE,
)
_DISCLAIMER_TOPIC = re.compile(r"spoiler|affiliate link", re.IGNORECASE)
_MAX_HEADING_WORDS = 15
# A short line that ends a sentence inside it and opens a list with a colon is prose, not a heading: "The
# cast! Every single one of them was perfect:". An IMDb-style title ("Had potential. But a lazy ending") has
# no colon and stays a heading; "Mr. Smith Goes…" is caught as title case; "Dr." has two letters.
_LIST_OPENER = re.compile(r"(?:[!?]|(?<=[a-z]{3})\.)\s+[A-Z][a-z][^:]*:$")


# A review's own spoiler warning: everything after it is spoiler until the review says it is over.
# Sentence-level, case-insensitive; bounded repeats only (linear on any input).
_WARNING = re.compile(
    r"\bspoilers? (?:ahead|below|follow|warning|alert|abound|galore|coming|zone)\b"
    r"|\[ ?spoilers? ?\]|\( ?spoilers? ?\)|\*+ ?spoilers? ?\*+|^\W{0,5}spoilers?\W{0,5}$"
    r"|\b(?:major|mild|heavy|massive|big|full|some|minor|plot|ending) spoilers\b|\bbeware (?:of )?spoilers\b"
    r"|\bwarning:? (?:\w+ )?spoilers?\b|\bcontains? (?:\w+ )?spoilers\b|\bspoilers? for (?:the|this|its|all|every)"
    r"|\bwhat follows (?:discusses|reveals|describes|gives away|spoils|gets into)\b"
    r"|\bthe rest of (?:this|the|my) (?:review|piece|article|post) (?:discusses|reveals|describes|gives away|spoils|contains)\b"
    r"|\bstop reading (?:now|here)\b|\bfrom here on(?: in| out)?,? (?:there (?:will be|are) )?spoilers\b",
    re.IGNORECASE,
)
_WARNING_END = re.compile(
    r"\bend (?:of )?(?:the )?spoilers?\b|\bspoilers? (?:end|ends|over|done|finished)\b|\[/ ?spoilers? ?\]"
    r"|\bspoiler-free from here\b|\bno more spoilers\b",
    re.IGNORECASE,
)
# "This review is spoiler-free", "no spoilers here", "without spoiling it": never starts a zone.
_NO_SPOILERS = re.compile(
    r"\b(?:no|without|free of|won['’]t|will not|wo not|don['’]t|not|avoid|avoiding|minimal|light on|zero) "
    r"(?:\w+ ){0,2}spoil|\bspoiler-free\b|\bspoiler free\b",
    re.IGNORECASE,
)
_SPOIL = re.compile(r"spoil", re.IGNORECASE)
# ... but the critic's own invention is not the film's ending: "An Alternate Ending", "My Ending", "A Better Ending".
_INVENTED_ENDING = re.compile(r"\b(?:alternate|alternative|my|our|a better|a different|my own|an? (?:new|fan))\b[^.!?]{0,20}\bending", re.IGNORECASE)
# A section heading that names the ending ("The Real Ending", "The Twist", "Ending explained", "How it ends",
# "The End"): what follows retells it, so it opens a spoiler zone like a warning, until the next heading (a
# "Conclusion", "Verdict"…) or the review says it is over. Checked on short unpunctuated lines only (headings);
# not "Conclusion" (the critic's), not "The End of an Era" (the whole line must be the heading).
_ENDING_HEADING = re.compile(
    r"^\W{0,5}(?:\d{1,2}[.)] )?(?:(?:about|on|explaining|understanding|so|and) )?"
    r"(?:(?:the|that|this|an?|its|my|our|their) )?(?:[\w'’-]+ ){0,2}(?:endings?|twists?|finale|climax|d[eé]nouement)"
    r"(?:,? (?:explained|revealed|spoilers?|\(spoilers?\)))?\W{0,5}$"
    r"|^\W{0,5}(?:the )?(?:very )?end\W{0,5}$|^\W{0,5}(?:the )?ending,? explained\b"
    r"|^\W{0,5}how (?:it|(?:the|this) (?:film|movie|story|book)|[\w'’-]+) (?:all )?ends\W{0,5}$",
    re.IGNORECASE,
)
# "Spoiler warning: Scottie drags Judy…": the label opens the sentence that spoils; the rest is kept.
_WARNING_PREFIX = re.compile(
    r"\W{0,3}(?:spoilers?(?: (?:warning|alert|ahead))?|warning: spoilers?|major spoilers)\W{0,3}[:—–-]\W{0,2} *",
    re.IGNORECASE,
)
_MIN_AFTER_PREFIX = 20
_MAX_META_WORDS = 12  # a sentence this short that talks about spoilers is about the article

# Promotions, listings and navigation: never a passage. Checked on short sentences only.
_JUNK = re.compile(
    r"(?:^|[:|–—-] ?)read more\b|\bread more (?:at|here|about|on|from)\b|\bread (?:the|our) (?:full|rest|whole|original|complete) (?:review|article|piece|story)\b"
    r"|\bread the rest\b|\bcontinue reading\b|\bkeep reading\b|\bclick here\b|\b(?:sign up|subscribe) (?:to|for|now)\b"
    r"|\bnewsletters?\b|\binbox\b|^advertisement\b|\bshowtimes\b|\bbuy tickets\b|\bbook (?:your )?tickets\b"
    r"|\bin (?:uk |us |irish |australian |select |selected )?(?:cinemas|theaters|theatres) (?:from|on|now|nationwide|everywhere|this|today)\b"
    r"|\b(?:showing|screening|playing|opens|arrives|released|out|is) (?:in|at) (?:[\w'’-]+ ){0,4}?"
    r"(?:cinemas|theaters|theatres)\b[^.!?]{0,30}\b(?:from|now|nationwide|everywhere|this (?:week|friday|weekend)|today)\b"
    r"|\b(?:streaming|available to stream|out now|available now) on\b|\bis (?:now )?streaming\b"
    r"|\brelated articles?\b|\brelated (?:stories|reading|content)\b|\bmpaa\b|(?-i:^Rated (?:G|PG|PG-13|R|NC-17)\b)"
    r"|\b(?:bbfc )?certificate\b|^running time\b|\breview pipeline\b|\b(?:return|go back|back) to (?:the|our) review\b"
    r"|^(?:synopsis|plot summary|starring|cast|directed by|director|writers?|screenplay|genre|release date|"
    r"running time|runtime|rating|certificate)\s?:"
    r"|\bsubscrib(?:ed|ing)\b|\b(?:not |now )?(?:currently )?(?:in|playing in|showing in) (?:theaters|theatres|cinemas)\.?$"
    r"|\bfound this (?:review )?helpful\b|\bwas this review helpful\b|\bsign in to vote\b|^permalink\b"
    r"|\bfollow us on\b|\bshare this (?:article|review|story)\b|\baffiliate links?\b",
    re.IGNORECASE,
)
# A reader's call to comment: "Leave a comment and let me know!", "What are your thoughts on this…?"; the
# questions to the reader around it ("Is this something you'd prefer?") go with it. Never a passage.
_READER_CALL = re.compile(
    r"\bleave (?:a|your) comments?\b|\b(?:in|to) the comments\b|(?<!\bto )\blet (?:me|us) know(?: (?:what you think|your thoughts|in the comments|below|down below))?\W{0,3}$"
    r"|^(?:(?:so|and|now|or),? )?what (?:are|were) your thoughts\b|^(?:(?:so|and|now|or),? )?what do you (?:all )?think\b",
    re.IGNORECASE,
)
_TO_READER = re.compile(r"\byou", re.IGNORECASE)
_RATING = re.compile(r"[★☆✩✪⭐]|\b\d{1,2}(?:\.\d)? ?(?:/|out of) ?(?:4|5|10|100)\b", re.IGNORECASE)
_MAX_JUNK_WORDS = 30
_MAX_RATING_WORDS = 8
# Worth a closer look (a sentence split) only when one of these is in the line: most lines skip it.
# Plain substring tests on the lowercased line: a C scan each, far cheaper than one regex alternation.
_HINTS = (
    "spoil", "read", "continue", "click", "sign up", "subscri", "newsletter", "inbox", "advert", "showtime",
    "ticket", "cinemas", "theaters", "theatres", "stream", "out now", "available now", "related", "mpaa",
    "rated", "certificate", "running time", "pipeline", "review", "follow us", "share this", "affiliate",
    "stop reading", "what follows", "helpful", "sign in", "permalink", "comment", "let me know",
    "let us know", "your thoughts", "do you think", "synopsis", "starring", "cast:", "director", "writer", "genre", "runtime", "★", "☆", "✩", "✪", "⭐", "out of", "/",
)


def _hints_in(text: str) -> tuple[str, ...]:
    """The hints present anywhere in the review: lines are only checked for these (often none)."""
    low = text.lower()
    return tuple(hint for hint in _HINTS if hint in low)


def _worth_a_look(line: str, hints: tuple[str, ...]) -> bool:
    if not hints:
        return False
    low = line.lower()
    return any(hint in low for hint in hints)


@dataclass(frozen=True)
class Paragraph:
    """One clean paragraph; spoiler_zone = it comes after the review's own spoiler warning."""

    text: str
    spoiler_zone: bool = False


def sentence_kind(sentence: str) -> str:
    """'warning', 'warning_end', 'junk' (promotion, listing, navigation, spoiler meta-talk) or 'prose'."""
    words = len(sentence.split(maxsplit=_MAX_JUNK_WORDS + 1))
    if _SPOIL.search(sentence):
        if _WARNING_END.search(sentence):
            return "warning_end"
        if _WARNING.search(sentence) and not _NO_SPOILERS.search(sentence):
            return "warning"
        if words <= _MAX_META_WORDS:
            return "junk"  # "Avoiding spoilers?", "This review is spoiler-free."
    if words <= _MAX_JUNK_WORDS and (_JUNK.search(sentence) or _READER_CALL.search(sentence)):
        return "junk"
    if words <= _MAX_RATING_WORDS and _RATING.search(sentence):
        return "junk"
    return "prose"


def _split_meta(line: str, zone: bool, hints: tuple[str, ...]) -> tuple[list[Paragraph], bool]:
    """The line's prose as paragraphs (a warning cuts it: the rest is in the zone), and the zone after it."""
    if not _worth_a_look(line, hints):
        return [Paragraph(line, zone)], zone
    out: list[Paragraph] = []
    kept: list[str] = []
    call = bool(_READER_CALL.search(line))  # the reader's questions around a call to comment go with it
    for sentence in split_sentences(line):
        if (call and sentence.rstrip("’”'\")").endswith("?") and len(sentence.split()) <= _MAX_JUNK_WORDS
                and _TO_READER.search(sentence)):
            continue
        prefix = _WARNING_PREFIX.match(sentence)
        if prefix and len(sentence) - prefix.end() >= _MIN_AFTER_PREFIX:  # "Spoiler warning: Scottie drags…"
            if kept:
                out.append(Paragraph(join_sentences(kept), zone))
            kept, zone = [], True
            sentence = sentence[prefix.end():]
        kind = sentence_kind(sentence)
        if kind == "prose":
            kept.append(sentence)
        elif kind in ("warning", "warning_end"):
            if kept:
                out.append(Paragraph(join_sentences(kept), zone))
                kept = []
            zone = kind == "warning"
    if kept:
        out.append(Paragraph(join_sentences(kept), zone))
    return out, zone


def strip_control(text: str) -> str:
    """Remove NUL and other control characters, keeping newlines and tabs.

    Used on user input as well as scraped text: control bytes can break
    Discord rendering and SQLite text handling.  CR/CRLF become LF first so a
    Windows line ending is not lost as a paragraph break.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text)


def _normalise_line(line: str) -> str:
    """Fix spacing in one line: mark lost words, reattach quotes, collapse runs."""
    line = _INVISIBLE.sub("", line)
    # Every kind of blank (tab, NBSP, thin space...) counts as one space.
    line = _BLANK.sub(" ", line).strip()
    line = _WORD_GAP.sub(f" {GAP_MARK} ", line)
    line = _DETACHED_CLOSE.sub(r"\1\2", line)
    return _SPACES.sub(" ", line)


def _is_title_case(words: list[str]) -> bool:
    """True when every content word (4+ letters) is capitalised, as in headings."""
    content = [w for w in words if sum(c.isalpha() for c in w) >= 4]
    return len(content) >= 3 and all(w[0].isupper() for w in content)


def is_boilerplate(line: str) -> bool:
    """Whether a cleaned line is a caption, credit, promo, slug or heading.

    The rules are general rather than a list of known strings: real prose
    paragraphs end with sentence punctuation and are not Title Case.
    """
    if not line or _PROMO.match(line) or _URL.match(line):
        return True
    words = line.split()
    short = len(words) <= _MAX_HEADING_WORDS
    if short and _CREDIT.match(line):
        return True
    if len(words) == 1 and not _TERMINAL_END.search(line):  # slugs, file names, a bare studio name
        return True  # (Chinese/Japanese prose has no spaces, but it does end in 。！？)
    if short and not _TERMINAL_END.search(line) and not _LIST_OPENER.search(line):  # heading or caption
        return True
    return short and len(words) <= 12 and _is_title_case(words)


def clean_paragraphs(raw: str) -> list[Paragraph]:
    """The review's prose paragraphs, boilerplate, promotions and spoiler warnings dropped, gaps marked.

    A paragraph is one non-empty line: the seeds use both single and blank-line separators, and a
    scraped line never spans two paragraphs. A spoiler warning ("Spoilers ahead.", a "Spoilers"
    heading, "This review contains spoilers") is never kept; every paragraph after it is in the
    spoiler zone until the review says the spoilers are over ("End of spoilers").
    """
    paragraphs: list[Paragraph] = []
    zone = False
    by_heading = False  # the zone was opened by a heading naming the ending: the next heading closes it
    text = strip_control(raw)
    hints = _hints_in(text)
    spoil = "spoil" in hints
    for raw_line in text.split("\n"):
        if not raw_line or raw_line.isspace():  # cheap skip: 10,000 blank lines cost nothing
            continue
        line = _normalise_line(raw_line)
        if is_boilerplate(line):
            if spoil and line and _SPOIL.search(line) and sentence_kind(line) in ("warning", "warning_end"):
                zone = sentence_kind(line) == "warning"  # a "Spoilers" heading: short and unpunctuated
                by_heading = False
            elif _ENDING_HEADING.search(line) and not _INVENTED_ENDING.search(line):
                by_heading, zone = by_heading or not zone, True  # a warning's zone stays a warning's
            elif by_heading and not _TERMINAL_END.search(line):  # (an "Alternate Ending" heading too)
                zone = by_heading = False  # the next section
            continue
        disclaimer = _DISCLAIMER.match(line)
        if disclaimer and _DISCLAIMER_TOPIC.search(disclaimer.group(1)):
            zone = zone or bool(_SPOIL.search(disclaimer.group(1)))
            line = line[disclaimer.end():].strip()
        if line:
            kept, after = _split_meta(line, zone, hints)
            by_heading = by_heading and after == zone
            zone = after
            paragraphs += kept
    return paragraphs


def clean_review(raw: str) -> list[str]:
    """Return the review's prose paragraphs (clean_paragraphs without the spoiler zones)."""
    return [paragraph.text for paragraph in clean_paragraphs(raw)]


def normalise_for_hash(text: str) -> str:
    """Canonical form for duplicate detection.

    Two scrapes of one review differ in whitespace, quote style, dashes,
    accents and omission marks; only the letters and word order matter.
    """
    text = unicodedata.normalize("NFKD", strip_control(text)).casefold()
    kept = []
    for ch in text:
        cat = unicodedata.category(ch)
        if cat.startswith(("L", "N")):
            kept.append(ch)
        elif ch.isspace():
            kept.append(" ")
        # punctuation, symbols and combining accents are dropped entirely, so
        # "don’t" and "don't" both become "dont".
    return " ".join("".join(kept).split())


def content_hash(text: str) -> str:
    """SHA-256 hex digest of the normalised text (stable duplicate key)."""
    return hashlib.sha256(normalise_for_hash(text).encode("utf-8")).hexdigest()
