"""Which passages give the ending away: every passage gets a spoiler reason or None, quotable or not.

Hiding a harmless sentence is the cheap error, showing an ending the expensive one, so detection errs
on the safe side. In order:
- after_warning: the passage follows the review's own spoiler warning (clean.clean_paragraphs);
- ending_theme: it carries a spoiler theme (the ending);
- reveal: it tells what happens (a death or a survival, a twist or a reveal, who ends up with whom,
  "finally leaves", "at the very end");
- ending_paragraph: it talks about the ending (the last shot, the climax, the twist…), or an earlier
  passage of its paragraph did or revealed something: a retelling goes on to the paragraph's end. What
  comes before in the paragraph (the set-up) stays in clear.
review_marked and moderator are set outside the text pipeline (the review's flag, a moderator's mark).
Pure, standard library only; each pattern is one linear scan (bounded repeats, no nested ones).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.corpus.reasons import SpoilerReason

# What happens: a death or a survival, a twist, who ends up with whom, the plot's last turn.
_REVEAL = re.compile(
    r"\b(?:dies|died|killed|kills (?:him|her|them|himself|herself|themselves|off)|murder(?:s|ed)|"
    r"commits suicide|takes (?:his|her|their) own life|shot dead|drowns|drowned|perish(?:es|ed)|"
    r"sacrifices (?:himself|herself|themselves)|mortal coil|posthumous\w*|survives|survived|"
    r"lucky to be alive|(?:is|was|are|were) still alive|back from the dead|the death of|killing of|dead by)\b"
    r"|\b(?:twists?|reveal(?:s|ed|ing)?|revelation|turns out|it transpires|all along|unmask\w*|"
    r"the killer (?:is|was)|whodunn?it|am your father|is (?:really|actually) (?:a|an|the|his|her|their)|"
    r"realis(?:es|ed) (?:that )?(?:he|she|they|it) (?:was|were|is|are|had|has)|"
    r"realiz(?:es|ed) (?:that )?(?:he|she|they|it) (?:was|were|is|are|had|has)|"
    r"(?:is|was) (?:his|her|their) (?:real |true |long-lost )?(?:father|mother|son|daughter|brother|sister|twin))\b"
    r"|\b(?:ends? up|ended up) (?:with|together|alone|married|dead|back|in|as|on)\b|\bget(?:s)? together\b"
    r"|\bmarr(?:ies|ied) (?!into)|\breunit(?:e|es|ed|ing)\b|\bwalks? (?:away|out)\b|\bleaves (?:him|her|them) "
    r"(?:for|behind)\b|\b(?:breaks?|split) up\b|\bquits\b"
    r"|\b(?:finally|eventually) (?:[a-z]+s|got|was|were|did|came|went|found|made|killed)\b"
    r"|\b(?:in|at|by|towards|near) the (?:very )?end\b(?! of (?:the|a|an|his|her|their|its) (?:day|road|line|"
    r"rope|tether|first|second|life|career|decade|century|year))"
    # "In the end, though, it is a minor Allen": the idiom ("ultimately") before a verdict is no reveal.
    r"(?!,? (?:though,? |however,? )?(?:it|that|this|what|there|the (?:film|movie)|[A-Z][\w'’-]+['’]s "
    r"(?:film|movie))\b)"
    r"|\bcredits roll\b|\bcuts? to black\b|\bfades? (?:to black|out)\b"
    r"|\b(?:ends|ended|ending) (?:with|on|by)\b|\b(?:ends|ended) (?:in|as) (?!(?:a|an|the) (?:draw|tie)\b)\w+",
    re.IGNORECASE,
)
# The paragraph is about the ending: every passage of it is hidden.
_ENDING_TALK = re.compile(
    r"\b(?:final|last|closing|concluding) (?:scenes?|shots?|images?|moments?|minutes|sequences?|frames?|reel|act|"
    r"twist|showdown|line|words|seconds|stretch|chapter)\b(?! at\b)"
    r"|\btwist(?:s|ed)?\b|\bclimax\w*|\bclimactic\b|\bfinales?\b|\bepilogue\b|\bcoda\b|\bd[eé]nouement\b"
    r"|\b(?:film|movie|story|picture|it) (?:ends|closes|concludes)\b(?! up\b)|\b(?:ends?|ended) (?:badly|happily|"
    r"tragically|poorly|abruptly|on a)\b|\bending (?:a|the) (?:movie|film|story)\b|\bways? (?:of|to) end\b|\bendings?\b|\bthe end of the (?:film|movie|story)\b",
    re.IGNORECASE,
)


def spoiler_reasons(
    texts: Sequence[str], paragraphs: Sequence[int], zones: Sequence[bool], ending_tagged: Sequence[bool]
) -> list[SpoilerReason | None]:
    """One reason (or None) per passage, in reading order (see the module doc).

    texts, paragraphs, zones, ending_tagged: per passage, its text, paragraph index, whether it is
    after a warning, whether it carries a spoiler theme.
    """
    reasons: list[SpoilerReason | None] = []
    spoiling: int | None = None  # the paragraph whose ending talk or reveal has begun
    for text, paragraph, zone, tagged in zip(texts, paragraphs, zones, ending_tagged, strict=True):
        if spoiling != paragraph:
            spoiling = None
        reason: SpoilerReason | None = None
        if zone:
            reason = SpoilerReason.AFTER_WARNING
        elif tagged:
            reason = SpoilerReason.ENDING_THEME
        elif _REVEAL.search(text):
            reason = SpoilerReason.REVEAL
        elif spoiling == paragraph or _ENDING_TALK.search(text):
            reason = SpoilerReason.ENDING_PARAGRAPH
        if reason in (SpoilerReason.REVEAL, SpoilerReason.ENDING_THEME, SpoilerReason.ENDING_PARAGRAPH):
            spoiling = paragraph
        reasons.append(reason)
    return reasons
