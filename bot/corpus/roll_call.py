"""A roll call of crafts is the critic's overall verdict, not a discussion of any one of them.

"The music, visuals, and acting are all on point." / "The plot, the pacing, the cinematography, the everything was
just superb." / "Everything from his storybook cinematography, to his bold production design, to his soundtracks…":
three or more crafts named in one list with one stock verdict (or "Everything from … to …") say the film is good,
and nothing about its music, look or acting. Such a sentence is left out of theme scoring (the idiom traps of the
retired blind sets v10-v12, issue 28 item 1, theme round 6). A list that says something of the crafts ("The
cinematography, performances, and story reveal new details with every look") is kept: it has no stock verdict.
Nor is a list whose items each get a verdict of their own ("March is excellent, the rest of cast is strong, the
camerawork is interesting, and the story compelling": blind set v13, theme round 7): the critic weighed each craft
apart, where "The special effects are great, the plot is great, and the ending is great" says one word three times.
A roll call of stock participles is one too: "It's well constructed, well directed, and has excellent acting" (blind
set v13, theme round 8), "Well shot, well acted and well written".
"""

from __future__ import annotations

import re

_CRAFT = (
    r"(?:plot|story|pacing|cinematography|photography|camerawork|camera work|lighting|visuals|visual effects|"
    r"special effects|effects|music|score|songs|soundtracks?|sound design|sound|acting|performances|cast|casting|"
    r"script|screenplay|writing|dialogue|direction|directing|editing|production design|art direction|design|"
    r"costumes|make-?up|sets|ending|characters|action|humou?r|jokes|everything)"
)
# one item of the list, with up to three words before the craft ("his bold production design") and its own short
# verdict ("the plot is great")
_ITEM = rf"(?:(?:the|his|her|its|their)\s+)?(?:[\w-]+\s+){{0,3}}?{_CRAFT}(?:\s+(?:is|are|was|were)\s+(?:\w+\s+){{0,2}}?\w+)?"
_LIST = re.compile(rf"\b{_ITEM},\s+{_ITEM},?\s+(?:and\s+|to\s+|,\s*)?{_ITEM}\b", re.IGNORECASE)
_VERDICT = re.compile(
    r"\b(?:is|are|was|were)\s+(?:(?:all|just|also|really|pretty|so|very)\s+)*(?:great|good|superb|fine|excellent|"
    r"amazing|solid|awesome|incredible|fantastic|top-notch|on point|spot on|brilliant|wonderful|terrific|perfect|bad|"
    r"terrible|awful|decent|ok|okay)\b|^\s*Everything from\b",
    re.IGNORECASE,
)
# "well constructed, well directed, and has excellent acting": three stock participles, or two and a craft with an
# adjective, in one list (the verdict is in every item)
_STOCK = (
    r"(?:well|nicely|beautifully|expertly|competently|superbly|wonderfully|brilliantly|poorly|badly)[- ]"
    r"(?:[a-z]{2,15}(?:ed|en|ot|wn|ht)|lit|cut|cast|set|made|done|told|sung)\b"
)
_PARTICIPLES = re.compile(
    rf"\b{_STOCK},\s+{_STOCK},?\s+(?:and\s+)?(?:{_STOCK}|(?:has|with|boasts)\s+(?:[\w-]+\s+){{0,2}}?{_CRAFT})\b",
    re.IGNORECASE,
)
_SENTENCE = re.compile(r"[^.!?]+[.!?]*")
# each verdict a list item is given: "is excellent", "are all on point" -> its last word
_PREDICATE = re.compile(
    r"\b(?:is|are|was|were)\s+(?:(?:all|just|also|really|pretty|so|very|quite)\s+)*(?:on\s+|spot\s+)?([\w-]+)",
    re.IGNORECASE,
)


def _one_verdict(sentence: str) -> bool:
    """The list's verdict is one word, said once or repeated; two or more different verdicts weigh each craft."""
    return len({word.lower() for word in _PREDICATE.findall(sentence)}) <= 1


def without_roll_calls(text: str) -> str:
    """The text without its roll-call sentences (unchanged when it has none)."""
    if "," not in text or not (_LIST.search(text) or _PARTICIPLES.search(text)):
        return text
    kept = [s for s in _SENTENCE.findall(text)
            if not ((_LIST.search(s) and _VERDICT.search(s) and _one_verdict(s)) or _PARTICIPLES.search(s))]
    return " ".join(s.strip() for s in kept)
