"""The words a theme phrase cannot match without, so a substring test can rule the phrase out before its regex runs.

Tagging runs every theme's phrases (~390 case-insensitive regexes) over every passage, and those searches were half
of a review's processing. Most phrases cannot match unless the passage holds one of a few words ("chemistry", one
of "actor", "actress", "cast"): `required_literals` reads them off the pattern, and `may_match` is a plain `in`
test. It is exact by construction: a pattern is read only as far as it is sure (literal runs, groups, alternations,
quantifiers, escapes, classes, lookarounds), and anything else (back-references, verbose mode, a case-sensitive
part, non-ASCII letters) yields None, which means "search it".

Pure: no discord, no store.
"""

from __future__ import annotations

from functools import lru_cache

MIN_LENGTH = 3  # shorter literals rule out too little to pay for the test
_ZERO_WIDTH = frozenset("bBAZ")  # \b \B \A \Z
_CLASSES = frozenset("wWsSdD")
_FLAGS = frozenset("aiLmsux-")  # scoped inline flags, as in (?-i:…)
_CHAR_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "f": "\f", "v": "\v"}
Requirement = frozenset[str] | None  # one of these strings is in every match; None: nothing certain


class _Unsure(Exception):
    """A construct this reader does not follow: the pattern gets no literals."""


class _Reader:
    """A recursive descent over Python's regex syntax, keeping only what every match must contain."""

    def __init__(self, pattern: str) -> None:
        self.text, self.at = pattern, 0

    def peek(self) -> str:
        return self.text[self.at] if self.at < len(self.text) else ""

    def take(self) -> str:
        if self.at >= len(self.text):
            raise _Unsure("unexpected end")
        char = self.text[self.at]
        self.at += 1
        return char

    def alternation(self) -> Requirement:
        """Alternatives up to ')' or the end: a requirement only if every alternative has one."""
        options = [self.sequence()]
        while self.peek() == "|":
            self.take()
            options.append(self.sequence())
        if any(option is None for option in options):
            return None
        return frozenset().union(*(option for option in options if option is not None))

    def sequence(self) -> Requirement:
        best: Requirement = None
        run: list[str] = []

        def keep(found: Requirement) -> None:
            nonlocal best
            if found is not None and (best is None or _better(found, best)):
                best = found

        def end_run() -> None:
            if len(run) >= MIN_LENGTH:
                keep(frozenset(["".join(run)]))
            run.clear()

        while self.peek() not in ("", "|", ")"):
            kind, value = self.atom()
            low, high = self.quantifier()
            if kind == "zero":  # \b, ^, $: no character between two literals
                if (low, high) != (1, 1):
                    raise _Unsure("quantified assertion")
                continue
            if kind == "char" and (low, high) == (1, 1):
                run.append(value)  # type: ignore[arg-type]
                continue
            end_run()
            if kind == "group" and low >= 1:
                keep(value)  # type: ignore[arg-type]
        end_run()
        return best

    def atom(self) -> tuple[str, object]:
        """('char', c) for a literal ASCII character, ('group', requirement), ('zero', None) for an assertion, or
        ('other', None) for anything matching a character we cannot name (a class, '.', a non-ASCII letter)."""
        char = self.take()
        if char == "\\":
            return self.escape()
        if char in "^$":
            return "zero", None
        if char == ".":
            return "other", None
        if char == "[":
            self.char_class()
            return "other", None
        if char == "(":
            return self.group()
        if char in "*+?{":
            raise _Unsure("quantifier with nothing before it")
        return _literal(char)

    def escape(self) -> tuple[str, object]:
        char = self.take()
        if char in _ZERO_WIDTH:
            return "zero", None
        if char in _CLASSES:
            return "other", None
        if char in _CHAR_ESCAPES:
            return _literal(_CHAR_ESCAPES[char])
        if char == "x":
            return _literal(chr(int(self.take() + self.take(), 16)))
        if char.isascii() and not char.isalnum():
            return _literal(char)  # an escaped punctuation mark: itself
        raise _Unsure(f"escape \\{char}")  # back-references, \u, \N{…}, \g<…>: not followed

    def char_class(self) -> None:
        """Skip to the class's closing ']' (a ']' first, or escaped, belongs to the class)."""
        if self.peek() == "^":
            self.take()
        if self.peek() == "]":
            self.take()
        while (char := self.take()) != "]":
            if char == "\\":
                self.take()
            elif char == "[":
                raise _Unsure("nested set")

    def group(self) -> tuple[str, object]:
        if self.peek() != "?":
            return self.closed("group", self.alternation())
        self.take()
        kind = self.take()
        if kind == ":":
            return self.closed("group", self.alternation())
        if kind in "=!" or (kind == "<" and self.peek() in "=!"):
            if kind == "<":
                self.take()
            self.alternation()  # a lookaround: it asserts, it consumes nothing of the match
            return self.closed("other", None)
        if kind == "P" and self.peek() == "<":
            while self.take() != ">":
                pass
            return self.closed("group", self.alternation())
        if kind == "#":  # a comment: nothing matched
            while self.take() != ")":
                pass
            return "zero", None
        flags = kind
        while (char := self.take()) != ":":
            if char not in _FLAGS:  # global flags '(?i)', conditionals, atomic groups: not followed
                raise _Unsure(f"group (?{flags}{char}")
            flags += char
        if kind not in _FLAGS or "x" in flags:  # verbose: spaces and '#' mean something else inside
            raise _Unsure(f"group (?{flags}:")
        inner = self.alternation()
        if "-" in flags and "i" in flags.split("-", 1)[1]:
            return self.closed("other", None)  # a case-sensitive part: its letters are not matched as lowered
        return self.closed("group", inner)

    def closed(self, kind: str, value: object) -> tuple[str, object]:
        if self.take() != ")":
            raise _Unsure("unclosed group")
        return kind, value

    def quantifier(self) -> tuple[int, int]:
        """(least, most) repetitions of the atom just read (most -1: unbounded); (1, 1) without one."""
        char = self.peek()
        if char in ("?", "*", "+"):
            self.take()
            bounds = {"?": (0, 1), "*": (0, -1), "+": (1, -1)}[char]
        elif char == "{" and (closing := self.text.find("}", self.at)) != -1 \
                and _bounds(self.text[self.at + 1:closing]) is not None:
            bounds = _bounds(self.text[self.at + 1:closing])  # type: ignore[assignment]
            self.at = closing + 1
        else:
            return 1, 1
        if self.peek() in ("?", "+"):  # lazy or possessive: the same bounds
            self.take()
        return bounds


def _bounds(inside: str) -> tuple[int, int] | None:
    """'2' → (2, 2), '1,3' → (1, 3), '2,' → (2, -1), ',3' → (0, 3); None when '{…}' is a literal brace."""
    low, comma, high = inside.partition(",")
    if not (low.isdigit() or (comma and not low)) or (high and not high.isdigit()) or not (low or high):
        return None
    least = int(low) if low else 0
    return (least, int(high) if high else -1) if comma else (least, least)


def _literal(char: str) -> tuple[str, object]:
    # A non-ASCII letter may match characters whose lower case is not its own (re's extra cases, 'ſ' for 's'):
    # not named, only skipped.
    return ("char", char.lower()) if char.isascii() else ("other", None)


def _better(found: frozenset[str], best: frozenset[str]) -> bool:
    """Longer shortest string first (rules out more), then fewer alternatives."""
    return (min(map(len, found)), -len(found)) > (min(map(len, best)), -len(best))


@lru_cache(maxsize=8192)
def required_literals(pattern: str) -> tuple[str, ...] | None:
    """Lower-cased ASCII strings, one of which every match of `pattern` (compiled case-insensitively) contains, or
    None when no such set is certain."""
    reader = _Reader(pattern)
    try:
        found = reader.alternation()
        if reader.at != len(pattern):
            return None  # an unbalanced ')'
    except (_Unsure, ValueError):
        return None
    return tuple(sorted(found)) if found else None


# Characters that re.IGNORECASE matches to an ASCII letter although str.lower() does not give that letter:
# 'ı' and 'ſ' (re's extra cases for 'i' and 's'), 'İ' (whose full lower case is two characters).
_CASE_EXTRAS = ("ı", "ſ", "İ")


def lowered_for_literals(text: str) -> str | None:
    """The text as `may_match` reads it, or None when it holds a character that makes the test unsound."""
    return None if any(extra in text for extra in _CASE_EXTRAS) else text.lower()


def may_match(pattern: str, lowered: str | None) -> bool:
    """False only when the pattern cannot match: none of its required literals is in the lowered text."""
    if lowered is None:
        return True
    literals = required_literals(pattern)
    return literals is None or any(literal in lowered for literal in literals)
