"""Split clean paragraphs into sentences and group them into quotable passages.

A passage is what the bot quotes in Discord, so it must be whole sentences
(never a cut-off clause) and short enough to read in an embed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.corpus.film_refs import names_another_film
from bot.corpus.quotes import InsideQuote
from bot.corpus.reasons import Refusal
from bot.corpus.standalone import dangling, standalone_problem, title_as_name

MIN_QUOTABLE = 40
MAX_PASSAGE = 450
# One sentence that is a whole thought may be longer than a passage (the
# 486-char homage sentence of the seeds); an embed description holds 4096, so
# this stays well inside it.  Longer sentences are cut at clause breaks.
MAX_SENTENCE = 1000
# A sentence glued to the one it leans on ("Neither is…") may push a passage
# a little past MAX_PASSAGE rather than be lost as a quote.
MAX_GLUED = 600
_MIN_GLUE_CHECK = 20
# Stop adding sentences once a passage is this long: a 2-sentence, 300-char
# excerpt reads better in chat than three sentences touching 450.
SOFT_TARGET = 120
MAX_SENTENCES = 3

# Candidate boundary: terminal punctuation (or an interrupting dash before a
# closing quote), any closing quotes/brackets, then whitespace.
# "…" inside our omission mark "[…]" is not an ellipsis ending a sentence.
# Linear time on any input: every run is consumed possessively (`++`, `*+`)
# and may only start where the run starts (the lookbehinds), so a 100 KB run
# of "!" is scanned once instead of once per character (ReDoS, O(n²)).
_BOUNDARY = re.compile(
    # A period after a lone capital ("J. K. Rowling", "Plan A. Then") is an initial (_is_abbreviation
    # says so too): skipped by the pattern itself, because hostile text repeats it tens of thousands of times.
    r"(?:(?<![.?!])(?:\.(?<![ \"“‘'(\[¿¡][A-Z]\.)(?<!^[A-Z]\.)|[?!])[.?!]*+|(?<![\[…])…++|—(?=[\"”’]))"
    r"[\"”’')\]]*+( ++)"
    # Chinese/Japanese full stops end a sentence with no space after them.
    r"|(?<![。！？])[。！？]++[」』\"”’')\]]*+( *+)"
)
_OPENERS = "\"“‘'([¿¡「『"
# Words that end with a period yet rarely end a sentence: they precede a name
# or a number ("Dr. Mia", "St. Louis", "No. 5", "Jan. 3").
_ABBREVIATIONS = frozenset(
    ["mr", "mrs", "ms", "mx", "dr", "st", "prof", "sen", "rep", "gen", "gov", "capt", "lt", "col", "sgt", "rev", "hon", "mt", "ft", "vs", "v", "no", "vol", "pp", "fig", "approx", "cf", "e.g", "i.e", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"]
)
_INITIALS = re.compile(r"(?:[A-Za-z]\.)*[A-Z]")
_TERMINAL_END = re.compile(r"[.?!…。！？][\"”’')\]」』]*$")
# The critic's own question: "?" at the very end, or before a bracket. A question inside quotation
# marks ('…the film asks, "What if?"', a title like "Who's Afraid of Virginia Woolf?") is not theirs.
_QUESTION_END = re.compile(r"[?？][')\]」』]*$")
_GAP_MARK = "[…]"
# More lost words than this and the excerpt misrepresents the critic.
_MAX_GAPS_QUOTABLE = 2


@dataclass(frozen=True)
class Passage:
    """One quotable unit of a review.

    quotable is False when the text should be kept (for search and context)
    but never shown as a quote:
    - shorter than 40 chars (a fragment like "Sebastian shrugs." on its own),
    - a piece of a single sentence longer than 1,000 chars (split to respect
      the length cap, so it is not a whole sentence),
    - not shaped like whole sentences (no capital start / terminal end),
    - mostly questions (rhetorical questions are not the critic's view),
    - more than two lost-word gaps "[…]" (too damaged to attribute),
    - not standing on its own (bot/corpus/standalone.py): opening with a
      sentence that leans on an earlier one, a run-on from lost punctuation,
      a fused heading, a listicle teaser, mostly someone else's words.
    """

    ordinal: int
    paragraph: int
    text: str
    quotable: bool
    refusal: Refusal | None = None  # why it is not quotable (None when it is)


def _word_before(text: str, end: int) -> str:
    """The token that ends at `end` (the position of the terminal period)."""
    start = end
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    return text[start:end].lstrip(_OPENERS)


def _is_abbreviation(token: str) -> bool:
    """Whether a period after `token` is an abbreviation/initial, not a full stop."""
    stem = token.rstrip(".")
    if stem.lower() in _ABBREVIATIONS:
        return True
    if len(stem) > 1 and "." not in stem:
        return False  # neither one initial nor dotted ones: skip the pattern (once per boundary)
    # Single initials ("L. A.", "J. K.") and dotted acronyms ("U.S", "L.A").
    # Trade-off: "in the U.S. The" stays one sentence, which is harmless;
    # splitting "L. A. traffic" would produce two non-sentences.
    return bool(_INITIALS.fullmatch(stem))


def _starts_sentence(text: str, pos: int) -> bool:
    """Whether the text at `pos` looks like a sentence start (opener + capital/digit).

    Letters of scripts without case (Chinese, Japanese, Arabic, Hebrew…) are neither upper nor
    lower case; they can start a sentence too.
    """
    while pos < len(text) and text[pos] in _OPENERS:
        pos += 1
    if pos >= len(text):
        return False
    char = text[pos]
    return char.isdigit() or (char.isalpha() and not char.islower())


def join_sentences(sentences: list[str]) -> str:
    """Sentences back into text: a space between them, none after a Chinese/Japanese full stop."""
    text = ""
    for sentence in sentences:
        text += sentence if not text or text[-1] in "。！？」』" else " " + sentence
    return text


def split_sentences(paragraph: str) -> list[str]:
    """Split one clean paragraph into sentences.

    Rule-based on purpose: generic splitters return a 5,700-char "sentence"
    on scraped text. A boundary needs terminal punctuation, optional closing
    quotes, whitespace and a capital/digit next, so "?” she asks" and
    "L. A. traffic" stay inside their sentence.
    """
    sentences: list[str] = []
    start = 0
    inside_quote = InsideQuote(paragraph)
    for match in _BOUNDARY.finditer(paragraph):
        cut = match.start(1) if match.group(1) is not None else match.start(2)
        if not _starts_sentence(paragraph, match.end()) or inside_quote(cut):
            continue  # no capital next, or inside someone's quoted words
        punct = paragraph[match.start()]
        if punct == "." and _is_abbreviation(_word_before(paragraph, match.start())):
            continue
        sentence = paragraph[start:cut].strip()
        if sentence:
            sentences.append(sentence)
        start = match.end()
    tail = paragraph[start:].strip()
    if tail:
        sentences.append(tail)
    return sentences


def _split_long(sentence: str) -> list[str]:
    """Cut an over-long sentence into pieces <= MAX_PASSAGE at clause breaks."""
    pieces: list[str] = []
    rest = sentence
    while len(rest) > MAX_PASSAGE:
        window = rest[: MAX_PASSAGE + 1]
        cut = -1
        for sep in ("; ", ": ", " — ", " – ", " - ", ", ", " "):
            found = window.rfind(sep, MAX_PASSAGE // 4)
            if found > 0:
                # keep ";" / "," with the clause they end, push a dash forward
                cut = found + (0 if sep.startswith(" ") else 1)
                break
        if cut <= 0:  # one unbroken token: hard cut is the only option
            cut = MAX_PASSAGE
        pieces.append(rest[:cut].strip())
        rest = rest[cut:].strip()
    if rest:
        pieces.append(rest)
    return [p for p in pieces if p]


def _fits(sentences: list[str], limit: int) -> bool:
    """Whether sentences make one passage of at most MAX_SENTENCES and `limit` chars."""
    return len(sentences) <= MAX_SENTENCES and len(join_sentences(sentences)) <= limit


def _chains(sentences: list[str]) -> list[list[str]]:
    """Each sentence with the following ones that lean on it ("Neither is…").

    Such a chain is never cut between passages: shown alone, the second half
    would be a quote about nobody.  A dangling sentence that cannot be glued
    starts its own chain (and will not be quotable).
    """
    chains: list[list[str]] = []
    for sentence in sentences:
        # Very short sentences skip the check (cost, not meaning: a 100 KB run of
        # "“Stop. " is 16,000 of them); greedy packing usually keeps them with
        # their neighbour, and a passage opening with one is still refused.
        glue = len(sentence) >= _MIN_GLUE_CHECK and dangling(sentence)
        if chains and glue and _fits(chains[-1] + [sentence], MAX_GLUED):
            chains[-1].append(sentence)
        else:
            chains.append([sentence])
    return chains


def _group(sentences: list[str]) -> list[tuple[list[str], bool]]:
    """Greedy grouping of chains: (sentences, whole) groups within one paragraph."""
    groups: list[tuple[list[str], bool]] = []
    current: list[str] = []
    for chain in _chains(sentences):
        oversized = len(chain) == 1 and len(chain[0]) > MAX_PASSAGE
        if current and (oversized or not _fits(current + chain, MAX_PASSAGE)
                        or len(join_sentences(current)) >= SOFT_TARGET):
            groups.append((current, True))
            current = []
        if oversized and len(chain[0]) > MAX_SENTENCE:
            groups.extend(([piece], False) for piece in _split_long(chain[0]))
        elif oversized:
            groups.append((chain, True))  # one long sentence, a whole thought
        else:
            current = current + chain
    if current:
        groups.append((current, True))
    return _merge_short_tail(groups)


def _merge_short_tail(groups: list[tuple[list[str], bool]]) -> list[tuple[list[str], bool]]:
    """Fold a too-short last group into the previous one when it fits."""
    if len(groups) < 2:
        return groups
    (prev, prev_whole), (last, last_whole) = groups[-2], groups[-1]
    merged = prev + last
    fits = len(merged) <= MAX_SENTENCES and len(join_sentences(merged)) <= MAX_PASSAGE
    if prev_whole and last_whole and len(join_sentences(last)) < MIN_QUOTABLE and fits:
        return groups[:-2] + [(merged, True)]
    return groups


def _refusal(
    sentences: list[str], whole: bool, film: str | None = None, previous: str | None = None
) -> Refusal | None:
    """Apply the quotability rules documented on Passage: the first that refuses, or None. `previous`: the
    review's sentence before the passage, if any."""
    text = join_sentences(sentences)
    limit = MAX_SENTENCE if len(sentences) == 1 else MAX_GLUED
    if not whole:
        return Refusal.CUT_SENTENCE
    if len(text) < MIN_QUOTABLE:
        return Refusal.TOO_SHORT
    if len(text) > limit:
        return Refusal.TOO_LONG
    if not all(_starts_sentence(s, 0) and _TERMINAL_END.search(s) for s in sentences):
        return Refusal.NOT_SENTENCES
    # Mostly rhetorical questions is not the critic's view.
    if 2 * sum(bool(_QUESTION_END.search(s)) for s in sentences) > len(sentences):
        return Refusal.QUESTIONS
    if text.count(_GAP_MARK) > _MAX_GAPS_QUOTABLE:
        return Refusal.GAPS
    # A pronoun title opening the passage ("It turns a prom into…" in a review of *It*) names the film, unless
    # the sentence before named another one (*Carrie* (1976)…): then "It" is that film, and the passage leans.
    opening = sentences[0] if previous and names_another_film(previous, film) else title_as_name(sentences[0], film)
    if dangling(opening):
        return Refusal.LEANS_BACK
    return standalone_problem(text, film)


def segment(paragraphs: list[str], film: str | None = None) -> list[Passage]:
    """Group whole sentences of each paragraph into passages of 1-3 sentences.

    Passages never cross paragraphs (a paragraph is the critic's own unit of
    thought) and never cut a sentence unless it alone exceeds MAX_PASSAGE.
    film: the review's film title when known (process_review passes it); only
    quotability uses it (a retold ending must name the film), never the cut.
    """
    passages: list[Passage] = []
    previous: str | None = None  # the sentence before, across paragraphs: what a leading pronoun may point at
    for p_index, paragraph in enumerate(paragraphs):
        for sentences, whole in _group(split_sentences(paragraph)):
            refusal = _refusal(sentences, whole, film, previous)
            previous = sentences[-1]
            passages.append(
                Passage(len(passages), p_index, join_sentences(sentences), refusal is None, refusal)
            )
    return passages
