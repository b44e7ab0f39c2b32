"""Turn untrusted keywords into a safe FTS5 MATCH expression."""

from __future__ import annotations

import re
import unicodedata

from bot.core.text import without_invisibles
from bot.corpus.themes_model import word_set

# Word characters only: FTS5 operators (AND OR NOT NEAR * ^ : ( ) " -) can never survive.
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
# FTS5's operators, which it reads in capitals only: typed so, they are query syntax, not words.
_OPERATORS = frozenset({"AND", "OR", "NOT", "NEAR"})
# Connectives that say nothing of a passage beside other words: dropped then, kept when a query has nothing else.
_CONNECTIVES = frozenset({"and", "or", "not"})
# Scripts written without spaces between words (Han, kana) or with particles glued on (Hangul): both tokenizers
# keep a whole run as one token ("기생충은", "千と千尋の神隠し"), so such a word is searched as the start of a token.
_UNSPACED = re.compile(r"[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
# English's common words (PostgreSQL's tsearch_data/english.stop): both indexes hold them (PostgreSQL's since migration
# 238), so a query of only these matches nearly everything, or, when it misses, is told to add a word.
STOP_WORDS = word_set(
    "i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her hers herself"
    " it its itself they them their theirs themselves what which who whom this that these those am is are was were be"
    " been being have has had having do does did doing a an the and but if or because as until while of at by for"
    " with about against between into through during before after above below to from up down in out on off over"
    " under again further then once here there when where why how all any both each few more most other some such no"
    " nor not only own same so than too very s t can will just don should now")
MAX_TERMS = 8
MAX_TERM_LENGTH = 40


def keywords(text: str) -> list[str]:
    """The distinct search words in `text`, lowercased, in order, capped in number and length.

    Invisible characters are dropped first ('sea\u200bside' is 'seaside', not 'sea' and 'side'). Operators in
    capitals (AND OR NOT NEAR, as FTS5 reads them) are syntax and dropped; otherwise "near" is a word like any
    other (a film called *Near*: each word is quoted, and the operator `or` is fts_pg's
    to drop), and "and", "or", "not" are dropped beside other words but kept alone (a search for *Or*).
    Compatibility forms are folded (NFKC): fullwidth letters an East Asian keyboard types ('ｊａｚｚ') and
    ligatures ('ﬁnale') are the words the index holds, which neither tokenizer folds itself."""
    plain = unicodedata.normalize("NFKC", without_invisibles(text or ""))
    found = (match.group(0) for match in _WORD.finditer(plain))
    words = list(dict.fromkeys(word.lower()[:MAX_TERM_LENGTH] for word in found if word not in _OPERATORS))
    meaningful = [word for word in words if word not in _CONNECTIVES]
    return (meaningful or words)[:MAX_TERMS]


def match_expression(text: str, *, any_word: bool = False) -> str | None:
    """Each keyword as a quoted FTS5 string (a CJK one as a prefix), joined by AND (default) or OR (stop words
    dropped when others remain); None when no words."""
    words = keywords(text)
    if not words:
        return None
    if any_word:
        words = any_word_terms(words)
    joiner = " OR " if any_word else " "
    return joiner.join(f'"{word}"*' if unspaced(word) else f'"{word}"' for word in words)


def any_word_terms(words: list[str]) -> list[str]:
    """An any-word search's terms: "sea at dawn" is not matched by a passage with only "at" (both backends, fts_pg
    too), so common words are left out beside others, and kept when they are all there is (a film called *It*)."""
    return [word for word in words if word not in STOP_WORDS] or words


def unspaced(word: str) -> bool:
    """A word in a script the tokenizers do not split into words (CJK): matched as a token's prefix, so
    "계급" finds "계급에" and "千と千尋" finds "千と千尋の神隠し"."""
    return _UNSPACED.search(word) is not None


def only_common_words(text: str) -> bool:
    """The query's words are all common words ("It", "the end of"): a search that matches nearly everything, so
    one that missed is told to add a word rather than that no passage mentions them."""
    words = keywords(text)
    return bool(words) and all(word.casefold() in STOP_WORDS for word in words)
