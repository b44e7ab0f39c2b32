"""The question a debate prompt asks, checked against what its excerpts say (pure, no I/O).

A theme's question may name characters ("Sebastian or Keith?"); a prompt whose excerpts never
mention them would ask about someone the members were not shown. And the prompt already says
once, at its end, what to do in the thread, so the question keeps only the question itself.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.corpus.themes_model import fold_quotes

# Sentences that tell members what to do rather than ask: the prompt says that once, itself.
_INSTRUCTION = re.compile(
    r"^(pick|take|choose) (a|your) side\b|^make (the|your) case\b|^defend\b|^argue\b|^discuss\b", re.IGNORECASE
)
_SENTENCE = re.compile(r"[^.?!]+[.?!]*")
_CAPITALISED = re.compile(r"(?<![\w'’])[A-Z][\w’'.-]*\w")
# Capitalised words that are not names: question words and auxiliaries opening a sentence.
_NOT_NAMES = frozenset(
    {
        "is", "are", "was", "were", "do", "does", "did", "has", "have", "had", "can", "could", "should",
        "would", "will", "what", "which", "who", "whom", "whose", "how", "why", "when", "where", "i",
        "in", "on", "for", "if", "a", "an", "the", "and", "or", "but", "pick", "take", "make", "tell",
    }
)


def strip_instructions(question: str) -> str:
    """The question without its "Pick a side…" sentences (the prompt says it once, at the end)."""
    kept = [s.strip() for s in _SENTENCE.findall(question) if s.strip() and not _INSTRUCTION.match(s.strip())]
    return " ".join(kept) or question.strip()


def _word_in(word: str, texts: Sequence[str]) -> bool:
    pattern = re.compile(rf"(?<!\w){re.escape(word)}(?!\w)", re.IGNORECASE)
    return any(pattern.search(text) for text in texts)


def _opens_sentence(text: str, start: int) -> bool:
    before = text[:start].rstrip()
    return not before or before[-1] in ".?!:;\"("


def _looks_like_a_name(text: str, match: re.Match[str]) -> bool:
    """A sentence-opening word is a name when possessive ("Mia's") or paired ("Stone or Gosling")."""
    return match.group().endswith("'s") or bool(re.match(r"\s+(or|and|vs\.?)\s+[A-Z]", text[match.end():]))


def absent_names(question: str, texts: Sequence[str], film_title: str | None = None) -> list[str]:
    """Capitalised words (names) in the question that neither the texts nor the film title mention."""
    sources = [fold_quotes(t) for t in texts] + ([film_title] if film_title else [])
    absent = []
    folded = fold_quotes(question)
    for match in _CAPITALISED.finditer(folded):
        word = re.sub(r"'s$", "", match.group())
        if word.casefold() in _NOT_NAMES or _word_in(word, sources):
            continue
        if _opens_sentence(folded, match.start()) and not _looks_like_a_name(folded, match):
            continue  # "Purist or modernizer: …" — capitalised because it opens the sentence
        absent.append(word)
    return absent


def generic_question(film_title: str | None, *, disagree: bool) -> str:
    """A question naming only the film."""
    film = film_title or "the film"
    if disagree:
        return f"Which of these critics has {film} right?"
    return f"Which of these two takes on {film} is closer to yours?"


def debate_question(
    question: str, texts: Sequence[str], film_title: str | None, *, disagree: bool
) -> str:
    """The theme's question without instructions, or a generic one when it names someone absent."""
    question = strip_instructions(question)
    if absent_names(question, texts, film_title):
        return generic_question(film_title, disagree=disagree)
    return question
