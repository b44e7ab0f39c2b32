"""Does a passage stand on its own as a quote?

A quote is shown alone in Discord (with the film and critic), so a reader has
no preceding sentence.  These rules decide, from the text alone:
- dangling(sentence): it leans on what came before ("Neither is…", "His life…",
  "But at this point…"); the segmenter glues such a sentence to the previous
  one of its paragraph, and a passage still opening with one is not quotable;
- standalone_problem(text): why a whole passage must never be offered as the
  critic's view (run-on from lost punctuation, a heading fused into a
  sentence, a listicle teaser, mostly someone else's words...), or None.
Pure functions, standard library only, linear time.
"""

from __future__ import annotations

import re

from bot.corpus.quotes import opens_with_quote, quoted_fraction, quotes_balanced

_OPENERS = "\"“‘'([¿¡「『"
# Connectives that always point back at an earlier sentence.
_HARD_CONNECTIVE = re.compile(
    r"(?:Also|However|Still|Instead|Neither|Nor|Then|Thus|Therefore|Hence|Meanwhile|Besides|Moreover|"
    r"Furthermore|Likewise|Similarly|Otherwise|Together|Even so|Rather|In turn|Afterwards?|"
    r"By contrast|In contrast|On the other hand|As a result|For that reason|That said|Again|Both|Such)\b"
)
# "But"/"And"/"Yet"/"So" only join two thoughts; the rest of the sentence decides
# ("But the real star in La La Land is the movie itself" stands alone).
_SOFT_CONNECTIVE = re.compile(r"(?:But|And|Yet|Or|So|Plus|Now)\b,? ")
_DEMONSTRATIVE_START = re.compile(r"(?:This|That|These|Those)\b(?! (?:film|movie)\b)")
_PRONOUN_START = re.compile(r"(?:He|She|It|They|His|Her|Their|Its|Them|Him|Hers|Theirs)\b")
# Dummy "it" ("It's difficult not to…", "It's immediately established that…")
# refers to nothing earlier; "It's a moment that…" does.
_DUMMY_IT = re.compile(
    r"It(?:['’]s| is| was| seems| feels| would be)(?: (?!(?:a|an|the|this|that|his|her|their)\b)[\w-]+){1,2}"
    r" (?:not )?(?:to|that)\b"
)
_PRONOUN = frozenset("he she they him her them his their hers theirs himself herself themselves".split())
_BACK_REFERENCE = re.compile(r"\b(?:these|those|the two|the pair|the couple|the duo)\b", re.IGNORECASE)
# "In Chazelle's case, that commentary…": a demonstrative opening the main clause.
_CLAUSE_DEMONSTRATIVE = re.compile(r"^[^,]{1,60}, (?:this|that|these|those) (?!(?:film|movie)\b)[a-z]")
# "At this point…", "By that time…": a demonstrative in the opening phrase.
_PHRASE_DEMONSTRATIVE = re.compile(r"^\w+ (?:this|that|these|those) (?!(?:film|movie)\b)[a-z]")
_EARLY_WORDS = 8
_BACK_REFERENCE_WORDS = 10
# Capitalised only because they open the sentence: not a name a pronoun could point to.
_COMMON_STARTERS = frozenset(
    "the a an in on at as when while after before according between throughout though although if because "
    "since for with without by from of to during once until what how why where who one many some every each "
    "most all no not perhaps even despite unlike like later earlier far getting working writing being "
    "visually emotionally ultimately finally of course there here yes whatever whether only just "
    "has have had is are was were do does did can could will would should may might must".split()
)


def _strip_openers(sentence: str) -> str:
    """The sentence without leading quote marks/brackets and soft connectives."""
    text = sentence.lstrip(_OPENERS)
    while (soft := _SOFT_CONNECTIVE.match(text)) is not None:
        text = text[soft.end():]
        text = text[:1].upper() + text[1:]  # "but at this point" is read as "At this point"
    return text


def _early_pronoun(text: str) -> bool:
    """A personal pronoun among the first words, before any proper name it could point to."""
    for position, raw in enumerate(text.split()[:_EARLY_WORDS]):
        word = raw.strip(_OPENERS + ",;:.!?”’)").split("’")[0].split("'")[0]
        if word.lower() in _PRONOUN:
            return True
        if word[:1].isupper() and word != "I" and (position or word.lower() not in _COMMON_STARTERS):
            return False  # a name first: the pronoun can point to it
    return False


def dangling(sentence: str) -> bool:
    """Whether the sentence opens by leaning on an earlier one (see module doc)."""
    text = _strip_openers(sentence)
    if _HARD_CONNECTIVE.match(text) or _DEMONSTRATIVE_START.match(text):
        return True
    if _PRONOUN_START.match(text) and not _DUMMY_IT.match(text):
        return True
    if _CLAUSE_DEMONSTRATIVE.match(text) or _PHRASE_DEMONSTRATIVE.match(text):
        return True
    early = " ".join(text.split()[:_BACK_REFERENCE_WORDS])
    return _early_pronoun(text) or bool(_BACK_REFERENCE.search(early))


def standalone_problem(text: str) -> str | None:
    """Why the passage cannot be offered alone as the critic's words, or None."""
    return None
