"""Which passages give the ending away: every passage gets a spoiler reason or None, quotable or not.

Hiding a harmless sentence is the cheap error, showing an ending the expensive one, so detection errs
on the safe side. In order:
- after_warning: the passage follows the review's own spoiler warning (clean.clean_paragraphs);
- ending_theme: it carries a spoiler theme (the ending);
- reveal: it tells what happens (a death or a survival, also in other words, a fate told outright, a twist
  or who it really was, who was behind the crime, who ends up with whom, how the arc comes out, caught or
  cleared, the film's own end: "at the story's end", "finally leaves", "at the very end"; essay-style: the twist
  argued ("the condition is invented"), an outcome by ellipsis or a wink ("and then…", ", guess who"), the arc read
  for its meaning ("it is only when … that he", "finds peace"); a title holding such words is read as "the film");
- ending_paragraph: it talks about the ending (the last shot, the climax, the twist, the last third…), or it
  follows a passage of its paragraph that did or revealed something: the next passage is hidden, and the
  retelling goes on while characters still act in the present tense ("he asks", "Starling receives"); a
  passage opening on the film as a film or the critic's "I" ends it (the aside is shown). A reveal closing a
  paragraph carries into the next paragraph's first passage the same way. What comes before in the paragraph
  (the set-up) stays in clear, except the plot's turn told just before a reveal ("But then Anne tells her…").
- narration (bot/corpus/narration.py, run last on what the rules above left clear): it retells the plot
  past the review's set-up, with no outcome word at all: characters (learned from the review) acting, none of the
  critic's register, after the first narration paragraph, or after a spoiler in its paragraph, or anywhere in an
  essay about the ending; or it goes on with a reveal's topic (two topic words shared, two passages on at most).
review_marked and moderator are set outside the text pipeline (the review's flag, a moderator's mark).
Pure, standard library only; each pattern is one linear scan (bounded repeats, no nested ones).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.corpus.narration import Reading, narration_reasons
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
    r"|\bmarr(?:ies|ied) (?!into)|\breunit(?:e|es|ed|ing)\b|\bwalk(?<!\bI walk)(?<!\bwe walk)s? (?:away|out)\b|\bleaves (?:him|her|them) "
    r"(?:for|behind)\b|\b(?:breaks?|split) up\b|\bquits\b"
    r"|\b(?:finally|eventually|at last) (?:[a-z]+s|got|was|were|did|came|went|found|made|killed)\b"
    # A fate told outright: "does not die", "meets her fate", "he's doomed", "stabs to death", "a dead man walking".
    r"|(?<!trying )(?<!attempting )(?<!struggling )(?<!struggle )(?<!fighting )(?<!fight )(?<!order )(?<!enough )"
    r"\b(?:does|did|will|would|must|to|not|never|n't|n’t) (?:die|survive)\b(?! for\b)|\b(?:lies|lay|left) dying\b"
    r"|\bmeets? (?:his|her|their|its) (?:fate|end|death|maker|doom|demise)\b"
    r"|\b(?:is|was|are|were|be|he[’']s|she[’']s|they[’']re) (?:already |ultimately |finally )?doomed\b"
    r"|\bdead (?:man|woman|men) walking\b"
    r"|\b(?:stabs?|stabbed|beats?|beaten|bludgeon(?:s|ed)?|strangles?|strangled|burns?|burned|burnt|hacks?|hacked|"
    r"crushe[sd]|starve[sd]|tortured?|poisoned|shoots?|shot)(?: (?:him|her|them|himself|herself|themselves|it))? "
    r"to death\b"
    # Whodunnit: who was behind it all.
    r"|\bresponsible for (?:the|his|her|their|its) (?:[a-z]+ )?(?:crimes?|murders?|killings?|deaths?|"
    r"disappearances?|massacre)\b|\b(?:real|true|actual) (?:killer|culprit|murderer|informer|traitor|mastermind)\b"
    r"|\bbehind (?:the|his|her|their|all the) (?:murders?|killings?|crimes?|disappearances?|attacks?)\b"
    r"|\bconfess(?:es|ed|ing)? to (?:the|his|her|their|a) (?:crime|murder|killing)s?\b"
    # How it comes out: "the denunciation of Quinlan", "ends up confessing", "until the very end".
    r"|\bthe (?:denunciation|exposure|downfall|unmasking|undoing|comeuppance|demise|arrest|capture|execution) of\b"
    r"|\b(?:ends?|ended) up [a-z]+ing\b|\buntil (?:after|the (?:final|last|closing) )"
    r"|\b(?:last|final) (?:\d{1,3} |few )?(?:hours|days|weeks|months|night|day|summer|year)\b[^.;!?]{0,40}\btogether\b"
    r"|\b(?:in|at|by|towards|near|until) the (?:very )?(?:end|close)\b(?![-‐]| credits)(?! of (?:the|a|an|his|her|their|its) (?:day|road|line|"
    r"rope|tether|first|second|life|career|decade|century|year))"
    # "In the end, though, it is a minor Allen": the idiom ("ultimately") before a verdict is no reveal.
    r"(?!,? (?:though,? |however,? )?(?:I|we|you|it|that|this|what|there|the (?:film|movie)|[A-Z][\w'’-]+['’]s "
    r"(?:film|movie))\b)"
    # Found dead, gunned down, alive after all: a death or a survival told without "dies".
    r"|\b(?:found|turns? up|turned up|lies|lay|lying|drops?|dropped|left for|play(?:s|ing)?) dead\b"
    r"|\bfound (?:hanged|hanging|drowned|murdered|stabbed|shot|strangled|alive)\b|\bsurvivors?\b"
    r"|\b(?:is|are|was|were) (?:still |actually |very much |in fact )?alive\b(?! (?:with|to)\b)"
    r"|\b(?:not|never|n't|n’t) live to\b|\blives? to (?:see|tell)\b|\b(?:his|her|their) (?:deathbed|funeral|grave)\b"
    # The solution given: "the payoff is that…", "the solution, delivered by the butler, is…".
    r"|\bthe (?:payoff|pay-off|solution|explanation|upshot|answer to the (?:mystery|riddle|puzzle))(?: is|,)"
    # The trial's outcome: "the verdict goes against them", "found guilty".
    r"|\b(?:the|a|its) verdict (?:goes|is|was|comes)\b|\b(?:found|pronounced|declared|proved|proven) (?:not )?"
    r"(?:guilty|innocent)\b|\bfinds? (?:[\w'’-]+ ){1,3}(?:not )?guilty\b"
    r"|\bthe real [a-z]+ confesses\b"
    # Understanding comes late: "we come to understand", "by the time he grasps this the trap has closed".
    r"|\bwe (?:[a-z]+ly )?(?:come to )?(?:learn|discover|understand|realise|realize|find out|grasp|sense|gather)\b"
    r"|\bby the time\b|\bit (?:[a-z]+ly )?(?:becomes|became|is made|was made) (?:[a-z]+ly )?clear\b"
    # Resolved, settled, chosen: "it is resolved in the most Simenon-like way", "she chooses to stay", "for good".
    r"|\b(?:is|are|was|were|gets?|got) (?:[a-z]+ly )?resolved\b|\bresolves? itself\b|\bcomes? to a head\b"
    r"|\bchooses? to (?:stay|leave|die|return|go|remain|forgive|let|give)\b|\bgets? out(?=[;,.]| alive\b)"
    r"|\bfor good\b(?! (?:reason|measure|cause)\b)|\bends it\b|\bgo(?:es)? (?:their|his|her) separate ways\b"
    r"|\bpart(?:s|ed)? ways\b|\bone (?:last|final) time\b"
    r"|\bthe trap (?:closes|has closed|shuts|springs)\b|\bsuffice (?:it )?to say\b(?!,? (?:I|we)\b)|\bfrom the end\b"
    r"|\b(?:falls?|fell|plunges?|plunged|tumbles?|tumbled|jumps?|jumped|leaps?|leapt) (?:from|off|to (?:his|her|their) "
    r"death)\b(?! grace)"
    # The surprise owned up to: "I was not ready for the part where…", "nothing prepares you for", "saw it coming".
    r"|\b(?:not|n't|n’t) (?:ready|prepared) for\b|\bnothing (?:could (?:have )?)?prepares? (?:you|me|us) for\b"
    r"|\bsee (?:it|that|this) coming\b|\bsaw (?:it|that|this) coming\b"
    # The reveal announced: "the truth, when it comes", "what the film withholds until", "what happens next".
    r"|\b(?:the truth|the secret|the answer)(?:, when it (?:comes|arrives|emerges),| (?:comes out|emerges|is revealed|"
    r"finally))|\bwhat (?:the film|the story|it) (?:withholds|hides|keeps back|does next)\b|\bwhat happens next\b"
    r"|\b(?:is|was) (?:the )?[A-Z]?[a-z]+['’]s (?:real |true |long-lost )?(?:father|mother|son|daughter|brother|"
    r"sister|twin|lover|killer)\b|\bgiven up for adoption\b"
    r"|\b(?:gunned|shot|cut|struck|mowed|mown) down\b"
    # "at the story's end", "by the film's close", "the picture's final scene": the film's own end.
    r"|\b(?:story|film|movie|picture|tale|narrative|plot|novel|play)['’]s (?:very )?(?:end|close|conclusion|"
    r"climax|finale|resolution|final|last|closing)\b"
    # An arc told to its outcome: "drawn to the mystery, only to withdraw", "only to find him gone".
    r"|(?:,|–|—|\s-) only to [a-z]+\b|\bonly to (?:be|find|discover|learn|lose|die|see|return|realis\w*|realiz\w*|"
    r"end|wind)\b"
    # A fate: "condemned to re-enact", "doomed to repeat" (not "destined to become a classic").
    r"|\b(?:condemned|doomed|fated) to\b|\bdestined to (?!(?:be|become) (?:a|an|the|one)\b)"
    # The investigation's outcome: "discover the role that she played", "learns the truth", "finds out who".
    r"|\b(?:discover|uncover|learn|find out|finds out|found out|unravel|figure out|work out)(?:s|ed|ing)? "
    r"(?:the truth|who (?:really|killed|was|is)|what really|the (?:role|identity|secret|real|true)\b)"
    # How it comes out for the characters: caught, convicted, gets away with it, goes to prison.
    r"|\b(?:is|are|was|were|gets?|got|getting|be|being) (?:finally |eventually |ultimately |later )?(?:arrested|caught(?! up| in)|"
    r"captured(?! (?:by|on) (?:the )?(?:camera|film|lens))|exposed|convicted|cleared|pardoned|exonerated|freed|acquitted|hanged|jailed|imprisoned|rescued|redeemed|punished|avenged|exiled|banished|deported|"
    r"executed|sentenced)\b"
    # Who did it and how it comes out for them: "it is the quiet accountant who poisoned the wine", "was in on it",
    # "hands himself in", "signs the confession", "the car skids off the road", "is left alone in the bar".
    r"|\bit (?:is|was) (?:the|his|her|their) (?:[\w'’-]+ ){0,2}[a-z]+ who (?:[a-z]+ed|did|stole|shot|took|set|wrote|sent|"
    r"made|began|started|fired|let|hid|sold|told|slew|drove|threw|pushed)\b"
    r"|\b(?:was|were|is|are|had been) in on (?:it|the (?:plan|scheme|plot|con|heist|murder|crime|robbery))\b"
    r"|\b(?:hands?|turns?|gives?) (?:himself|herself|themselves) (?:in|over|up)\b|\bsigns? (?:a|the|his|her) confession\b"
    r"|\b(?:skids|skidded|veers|veered|plunges|careens|spins|goes|went) off (?:the|a) (?:[a-z]+ ){0,2}(?:road|cliff|bridge|"
    r"edge|pier|roof|rails)\b"
    r"|\b(?:is|are|was|were) left (?:alone|behind|with nothing|for dead|holding|to (?:die|rot|fend))\b"
    r"|\bcollapse(?<!\bfilm collapse)(?<!\bplot collapse)(?<!\bstory collapse)(?<!\bit collapse)s? (?:at|on|in|into) (?:the|his|her|their) (?!(?:third|second|last|final) )"
    r"|\bgo(?:es)? (?:free|to (?:jail|prison))\b|\bgets? away with\b|\bescapes? (?:unpunished|justice)\b"
    r"|\b(?:we|the audience) (?:last|finally) see\b|\bthe last (?:we see|time we see|(?:we|you) (?:hear|see|saw|heard) of)\b"
    # Killed in other words: "shot by his oldest friend", "it costs him his life", "goes down with the ship".
    r"|\b(?:shot|stabbed|strangled|poisoned|murdered|killed|ambushed|executed|run over|gunned down) by (?:his|her|their|"
    r"the|a|an|one|its)\b"
    r"|\bcosts? (?:him|her|them) (?:his|her|their) (?:life|lives)\b|\b(?:his|her|their) (?:self-)?sacrifice\b"
    r"|\bgoes? down with\b|\bburns? (?:down|to the ground)\b|\b(?:swept|sent|led|dragged|hauled|carted) (?:away|off)\b"
    r"|\b(?:last (?:man|woman|one)|only one [^.;!?]{0,30}) (?:left )?standing\b"
    r"|\b(?:never )?makes? it (?:home|out|back|alive|through)\b|\bnever makes? it\b|\bnone of them (?:make|makes|survive)\b"
    # How the plan or the chase comes out: "the plan succeeds", "their escape fails", "wins … but loses",
    # "chooses the convent over the captain", "lets him go", "walks off into the fog".
    r"|\b(?:plan|scheme|escape|experiment|heist|mission|attempt|gambit|ruse|con|revenge|plot|revolution|uprising|rebellion|"
    r"coup|strike|invasion|rescue|search|hunt|expedition|investigation|operation) (?:\w+ )?(?:succeeds|fails|"
    r"backfires|works|pays off|goes wrong|falls apart|unravels)\b|\bwins? [^.;!?]{0,30}\bbut (?:loses|lost)\b|\bchooses? [^.;!?]{0,30}\bover\b"
    r"|\blets? (?:him|her|them) (?:go|escape|live|die|walk|off|get away)\b|\bspares? (?:him|her|them|the [a-z]+)\b"
    r"|\b(?:rides?|sails?|drives?|walks?|flies|fly|heads?|wanders?|limps?|disappears?|vanish(?:es)?)(?: off| away)? "
    r"into the (?:sunset|fog|night|distance|snow|desert|dawn|darkness|horizon|sea|mist|crowd)\b"
    r"|\b(?:rides?|rode|sails?|sailed|drives?|drove|limps?|limped) (?:off|out|away)\b"
    r"|\bbur(?:y|ies|ied) (?:him|her|them|his|her|their|the body)\b|(?<=[a-z] )after all\b(?![,])"
    r"|\b(?:returned|found|rescued) (?:unharmed|alive|safe)\b|\breconciled\b|\bgrows? up to (?:be|become)\b"
    # Who it really was: "it emerges", "it was all a dream", "has been a ghost", "it is the daughter, not the
    # stranger, who…", "the murderer is the vicar", "the whole time".
    r"|\bit (?:emerges|is revealed|was revealed)\b|\bwas (?:all )?(?:just )?a dream\b|\b(?:has|had) been (?:dead|a ghost)\b"
    r"|\b(?:is|was) a ghost\b|\bit (?:is|was) [^.;!?]{1,40}, not [^.;!?]{1,40}, who\b|\bthe whole time\b"
    r"|\bthe (?:murderer|killer|culprit|villain|traitor|thief|informer|mole|kidnapper|stalker|blackmailer|poisoner|"
    r"arsonist|strangler|assassin|saboteur|impostor|imposter)(?:, [^,.;!?]{1,60},| (?:in|inside|at|on|within|among|behind) "
    r"(?:the|his|her|their) [a-z]+)? (?:is|was|turns)\b"
    r"|\bwhen the (?:film|movie|story|plot) (?:gets|comes) (?:round|around) to\b"
    # The film's last moments: "she finishes the film alone", "before the credits", "a closing title card".
    r"|\b(?:finish(?:es)?|ends?|leaves?) the (?:film|movie|picture|story)\b|\bbefore the (?:end )?credits\b"
    r"|\btitle cards?\b|\bclosing (?:titles?|captions?|text)\b|\bflash-?forward\b"
    # The outcome told after "ultimately": a character acting, not a verdict on the film.
    r"|\b(?:ultimately|eventually|in the end),? (?!(?:the |this |it )?(?:film|movie|picture|story|it|this|that|there)\b)"
    r"(?:the |his |her |their )?[a-z]+ (?!is\b|was\b|has\b|does\b|seems\b|feels\b|remains\b|looks\b)[a-z]+s\b"
    r"|(?<!end )\bcredits roll\b|\bcuts? to black\b|\bfades? (?:to black|out)\b"
    # The climax retold: "the Shredder always defeats them", "they attack once again and defeat him", "a
    # dying man", "instead of Julia surviving", "gets to stay partners", "while Julia moves on".
    r"|\b(?:defeats?|defeated|defeating|overpowers?|overpowered|vanquish(?:es|ed)?|outwits?|outwitted) (?:him|her|them|"
    r"it|the [a-z]+|(?-i:[A-Z][a-z]+))\b|\b(?:is|was|are|were|lies|lay) dying\b|(?-i:\b[A-Z][a-z]+) surviv(?:ing|al)\b"
    r"|\bgets? to (?:stay|keep|live|go home|be together|walk free|leave)\b"
    # An outcome told plainly, with no word of dying or ending: who wins or loses the contest, what blows up or
    # sinks, who is beaten, what was never real, who never sees whom again, the jump forward to the epilogue.
    r"|\b(?:wins?|won|loses) (?:the|her|his|their) (?:[a-z]+ )?(?:race|duel|fight|election|case|war|battle|title|match|"
    r"tournament|championship|trial|bet|contest|bout|final|custody|lottery|vote|showdown|game)\b(?! of\b)"
    r"|\bloses (?:his|her|their) (?:arm|arms|leg|legs|hand|hands|eye|eyes|sight|life|lives|mind)\b"
    r"|\b(?:is|are|was|were|gets?|got) (?:[a-z]+ly )?(?:blown up|blown to (?:bits|pieces)|destroyed|defeated|beaten back|"
    r"driven (?:off|back|out)|wiped out|eaten|devoured|adopted by)\b"
    r"|\b(?:plane|car|ship|bomb|house|building|station|bus|truck|van|rocket|reactor|boat|tower|bridge|dam) "
    r"(?:explodes|exploded|blows up|blew up|goes off|went off|sinks|sank|goes down|went down|crashes|collapses)\b"
    r"(?! (?:with|into|in) (?:colou?r|song|laughter|life|energy|light|noise|excitement)\b)"
    r"|\bsinks? (?:into|beneath|below|under) the (?:[a-z]+ )?(?:water|waves|sea|surface|ice|river|lake|ocean)\b"
    r"|\bfalls? (?:in)?to (?:the|his|her|their) (?:[a-z]+ )?(?:death|river|sea|abyss|water|canyon|chasm|flames|pit|depths)\b"
    r"|\blets? go of (?:the|his|her|their|him|them|(?-i:[A-Z]))|\bthe others are (?:gone|dead)\b"
    r"|(?-i:\bleaves [A-Z][a-z]+) (?:at|on|behind|for|standing|alone|waiting)\b|\bwalks? off\b"
    r"|\b(?:villain|killer|monster|culprit|murderer|thief|kidnapper) (?:escapes|gets away)\b|\bbut (?:he|she|they|it) escapes?\b"
    r"|\bonly (?:[\w'’-]+ ){1,4}(?:is|are|remains?) (?:left|alive)\b"
    r"|\bnever(?<!\bI never)(?<!\bwe never)(?<!\byou never)(?<!\bwill never)(?<!ll never)(?<!\bwould never)(?<!\bcould never) "
    r"(?:[a-z]+ ){1,5}?again\b|\bnever (?:find|finds|found|recover|recovers) (?:the|his|her|their) (?:body|bodies|remains)\b"
    r"|\b(?:was|were|is|had been) (?:never|not) (?:really )?real\b|\bthe (?:whole|entire) [a-z]+ (?:was|had been) "
    r"(?:a|an|all|never|just|only)\b|\bwas (?:a|an) (?:fever )?(?:dream|hallucination|test|set-?up|simulation|fantasy|"
    r"lie|hoax|fake|forgery|trick|trap|con)\b(?! (?:of|on|for|to)\b)"
    r"|\b(?:jumps|flashes|skips|leaps) (?:forward|ahead) (?:(?:some|about|another|a few) )?(?:[a-z]+ |\d{1,3} )?(?:years|decades)\b|\bscreen (?:goes|turns|fades|cuts) (?:to )?(?:white|black|dark)\b"
    r"|\bthe (?:war|siege|strike|trial|race|battle|affair|marriage) (?:ends|is over|is won|is lost)\b"
    r"|\b(?:goes|comes|returns|gets) (?:back )?home to (?:find|discover)\b"
    r"|(?-i:\b(?!(?:It|We|One|This|That|There|Life|Time|Everyone|Everybody)\b)[A-Z][a-z]+|\b[Hh]e|\b[Ss]he) moves on\b"
    r"|\b(?:ends|ended|ending) (?:with|on|by)\b|\b(?:ends|ended) (?:in|as) (?!(?:a|an|the) (?:draw|tie)\b)\w+"
    # Essay-style outcomes (issue 25 round 3, set v6): the twist stated as the critic's argument ("the condition is
    # invented", "Lenny was never an investigator"), the outcome by ellipsis or a wink ("and then…", "guess who he
    # is going to choose"), the arc read for its meaning ("only when he lands … that he gains the catharsis",
    # "finds peace", "would end up isolated", "leaving the couple alone", "the only solution"), a killing named.
    r"|\b(?:is|was|are|were) (?:all |entirely |completely |simply |just )?(?:invented|imaginary|imagined|fabricated|"
    r"made up|a figment)\b"
    r"|(?-i:\b[A-Z][a-z]+ (?:was|were|had) never (?:really |actually )?(?:been )?(?:an?|the|his|her|their)\b)"
    r"|\b(?:and|but) then ?(?:…|\.\.\.)|(?<![A-Za-z’'] )(?<![A-Za-z])guess (?:who|what|which|how|whether)\b(?! (?:I|we)\b)"
    r"|\bit (?:is|was) only (?:when|after|once|as) [^.;!?]{5,140}\bthat (?:he|she|they|[A-Z][a-z]+)\b"
    r"|(?:\b(?:he|she|they|who)|(?-i:\b(?!(?:It|This|That|The|There)\b)[A-Z][a-z]+)|\bthe (?!(?:film|movie|production|"
    r"picture|story|script|director|cast|score|camera|edit|ending)\b)(?:[a-z]+ )?[a-z]+) (?:finally |eventually |at last )?"
    r"(?:finds?|found|gains?|gained|achieves?|achieved|reaches?|reached) (?:the |some |a |his |her |their )?"
    r"(?:[a-z]+ )?(?:peace|closure|catharsis|redemption|forgiveness|absolution)\b"
    r"|\b(?:end|ends|ended) up (?:[a-z]+ )?(?:isolated|broke|ruined|penniless|destitute|divorced|homeless|abandoned|"
    r"alone|dead|childless|forgotten)\b"
    r"|\bleav(?:es|ing) (?:the|his|her|their|him|them) (?:[\w'’-]+ ){0,3}?(?:alone|to (?:his|her|their) (?:husband|wife|"
    r"fiancée?|new|fate|own))\b"
    r"|\b(?:loss|death|suicide|murder) of (?:his|her|their|the [\w'’-]+['’]s?|(?-i:[A-Z][a-z]+['’]s)) (?:only |young |infant |"
    r"little |baby )?(?:daughter|son|child|wife|husband|mother|father|brother|sister|partner|fiancée?|twin)\b"
    r"|\bonly one (?:solution|way out|possible (?:outcome|end|ending)|outcome)\b|\bwhose endpoint\b"
    r"|(?-i:\b[A-Z][a-z]+ (?:standing|stands|left) alone\b)"
    r"|(?-i:\b(?:justify |ends up |after )?(?:killing|murdering|shooting|poisoning) [A-Z][a-z]+\b(?! (?:[A-Z]|of\b)))"
    # Spoiler round 6 (sets v11/v12 retired into tuning): the twist as a thing ("it was all a lie", beside the
    # existing "was a lie", "was all a dream"); a fate named ahead of time ("before his eventual fall", "her eventual
    # death"); a person made up by a character, the imagined-companion twist ("comforted by imagining her", "a
    # figment of his imagination", "an imaginary persona", "he creates Tyler").
    r"|\b(?:was|were|is|it['’]s) (?:all|just|only|merely|nothing but) (?:a|an) (?:fever )?(?:dream|hallucination|"
    r"simulation|fantasy|lie|hoax|fake|trick|trap|con|illusion|ruse|set-?up)\b(?! (?:of|on|for|to)\b)"
    r"|\beventual (?:fall|death|downfall|demise|betrayal|fate|descent|defeat|capture|arrest|reunion|break-?up|"
    r"separation|murder|suicide|corruption|collapse|undoing|redemption|escape|return|reconciliation|divorce|"
    r"marriage|wedding|estrangement|rescue|release|breakdown)\b"
    r"|\bimagin(?:ing|es|ed) (?:him|her|them)\b(?! (?:as|to be|that|in|doing|being|saying)\b)"
    r"|\b(?:figment|fragment|product|creation) of (?:his|her|their|(?-i:[A-Z][a-z]+)['’]s?) (?:own )?"
    r"(?:imagination|mind|psyche|fantasy|delusions?)\b"
    r"|\bimaginary (?:persona|companion|person|girlfriend|boyfriend|wife|husband|lover|figure|double|alter ego)\b"
    r"|(?-i:\b(?:[Hh]e|[Ss]he|[Tt]hey) (?:creates|created|invents|invented|conjures|conjured|imagines|imagined|"
    r"dreams up|dreamed up) [A-Z][a-z]+)"
    # Spoiler round 7 (set v15 retired into tuning): the one who gets out ("the only one to break out of the
    # cycle"); a survival inferred ("so we know they must have got down"); a death named as kept off-screen; the way
    # back down told as done (a documentary's outcome).
    r"|\bthe only (?:one|person|survivor|member|character|boy|girl|man|woman|kid) (?:[a-z]+ ){0,3}?(?:to|who) "
    r"(?:break(?:s)? out|escape[sd]?|survive[sd]?|get(?:s)? out|got out|make[s]? it out|made it out)\b"
    r"|\bmust have (?:survived|made it|got (?:down|out|back|away|home)|gotten (?:down|out|back|away|home))\b"
    r"|\b(?:deaths?|killings?|murders?|suicides?|drowning|demise)\b[^.;!?]{0,40}\boff-?screen\b"
    r"|\boff-?screen (?:deaths?|killings?|murders?|suicides?|drowning|demise)\b"
    # ... and the way back told as done ("had to endure to make their journeys back down"), not the premise's task
    # ("must make his way back home"; "makes it back" is above), nor a career's comeback ("making his way back to
    # comedy").
    r"|(?<!\bmust )(?<!\bto )\b(?:makes|made|making) (?:their|his|her) (?:[a-z]+ )?(?:way|journeys?) back "
    r"(?:down|home|alive)\b"
    r"|\b(?:endure|endured|endures|survive|survived) to make (?:their|his|her) (?:[a-z]+ )?(?:way|journeys?) back\b",
    re.IGNORECASE,
)
# The paragraph is about the ending: every passage of it is hidden.
_ENDING_TALK = re.compile(
    r"\b(?:final|last|closing|concluding) (?:scenes?|shots?|images?|moments?|minutes|sequences?|frames?|reel|act|"
    r"twist|showdown|line|words|seconds|stretch|chapter|reveal|revelation|confrontation|reckoning|shoot-?out|battle|"
    r"duel|turn|take|tableau|fade|beat|note|pages?|bit|part|section|stretch)\b(?! at\b)"
    # not the last part of a series: "the final part of the Dollars trilogy"
    r"(?! (?:of|in) (?:the |a |an |his |her |their )?(?:[\w'’-]+ ){0,2}(?:trilogy|series|saga|franchise|anthology|cycle))"
    r"|\bthird act\b"
    # "the last third of the film", "the final half-hour": the stretch where the ending happens.
    r"|\b(?:final|last|closing|concluding) (?:third|quarter|half|half-hour|half hour|hour|(?:ten|fifteen|twenty|"
    r"thirty) minutes)\b|\b(?:second|latter|back) half\b"
    r"|\btwist(?:s|ed)?\b|\bclimax\w*|\bclimactic\b|\bfinales?\b|\bepilogue\b|\bcoda\b|\bd[eé]nouement\b"
    r"|\b(?:film|movie|story|picture|it) (?:ends|closes|concludes)\b(?! up\b)|\b(?:ends?|ended) (?:badly|happily|"
    r"tragically|poorly|abruptly|on a)\b|\bending (?:a|the) (?:movie|film|story)\b|\bways? (?:of|to) end\b|\bendings?\b|\bthe end of the (?:film|movie|story)\b",
    re.IGNORECASE,
)


# After a reveal or ending talk, the next passage of the paragraph is hidden too (the retelling goes on), and
# the one after that while a character is still acting in the present tense; a critic's aside that follows
# (the director, the book, the box office) is shown again.
_CARRY = 1
# A paragraph that ends while its retelling is still hidden spills into the next one: its first passage is
# hidden too (and on while characters act), as a retelling goes on across a paragraph break.
_SPILLS = (SpoilerReason.REVEAL,)
# ... unless that passage turns to the critic's aside: the making, the film as a film, the critic's "I".
_ASIDE = re.compile(
    r"\b(?:films?|movies?|pictures?|cinema|director|directed|directing|film-?makers?|screenplay|script\w*|camera|"
    r"cinematograph\w*|photography|mise[- ]en[- ]sc[eè]ne|stylistic\w*|audiences?|viewers?|critics?|box[- ]office|"
    r"premiere|studio|producers?|genre|noirs?|adaptation|actors?|actress(?:es)?|cast|casting|performances?|roles?|"
    r"characters?|characteri[sz]ation|effects|sound design|soundtrack|musical score|editing|pacing|budget|dialogue|"
    r"screenwriters?|lens|costumes?|running time|predictab\w*|in real life)\b"
    r"|\bI\b|^(?:(?:Yet|But|Still|And) )?(?:[Ii]t|[Tt]his) (?:is|was)\b",
    re.IGNORECASE,
)
# Endings in general, no plot: "Endings can be ambiguous", "we remember the endings", "our thirst for a satisfying
# ending", "twists are a cheap trick". A passage whose only ending words are these talks about endings, not this
# film's: it is shown (unless a warning or a heading zone covers it, or it follows a retelling).
_GENERIC_ENDING = re.compile(
    r"(?<!\bthe )(?<!\bits )(?<!\bhis )(?<!\bher )(?<!\btheir )(?<!\bfilm['’]s )(?<!\bmovie['’]s )(?<!\bthese )"
    r"(?<!\bboth )\b(?:endings|twists|climaxes|finales)\b"
    r"|\b(?:for|need|needs|want|wants|crave|craves|about|like) an? (?:[\w-]+ ){0,2}(?:ending|twist|climax|finale)\b",
    re.IGNORECASE,
)
_GENERIC_WORDS = ("ending", "twist", "climax", "finale")
# What, left over, still points at this film's end: any ending word at all.
_ENDING_WORD = re.compile(
    r"\b(?:end|ends|ended|ending|endings|final\w*|last|climax\w*|closing|closes|close|conclu\w+|resol\w+|epilogue|coda|"
    r"twists?|reveal\w*|outcome)\b",
    re.IGNORECASE,
)
_SENTENCES = re.compile(r"(?<=[.!?])[’”'\")\]]?\s+(?=[A-Z‘“'\"])")
# The plot's next turn, told as a sequence ("But then…", "Later…", "Eventually…"): when the very next passage
# reveals the outcome, this one leads into it.
_NEXT_TURN = re.compile(
    r"(?:^|[.!?][’”'\")\]]?\s)(?:(?:But|And) )?(?:[Tt]hen|[Ll]ater|[Ee]ventually|[Ff]inally|[Aa]fterwards?|[Ss]oon after)\b"
)
# A retelling goes on: a character still acting in the present tense ("he asks", "she learns").
_RETELLING = re.compile(
    r"(?:\b(?:[Hh]e|[Ss]he|who)|\b(?!(?:The|This|That|These|Those|Its?|In|As|An?|But|And|Or|So|If|When|While|What|"
    r"There|Here|One|All|Each|Both)\b)[A-Z][a-z]{2,20}) (?!(?:is|was|has|does|seems|his|this|its|hers|theirs|us|as|"
    r"thus|plus|less|unless|across|always|perhaps|yes)\b)[a-z]{2,20}s\b"
)


def _general_talk(text: str) -> bool:
    """It talks about endings in general ("Endings can be ambiguous"): no other ending word, no reveal."""
    low = text.lower()
    if not any(word in low for word in _GENERIC_WORDS) or not _GENERIC_ENDING.search(text):  # a C scan first
        return False
    rest = _GENERIC_ENDING.sub(" ", text)
    return not (_ENDING_WORD.search(rest) or _REVEAL.search(rest))


def spoiler_reasons(
    texts: Sequence[str], paragraphs: Sequence[int], zones: Sequence[bool], ending_tagged: Sequence[bool],
    film: str | None = None, reading: Reading | None = None,
) -> list[SpoilerReason | None]:
    """One reason (or None) per passage, in reading order (see the module doc).

    texts, paragraphs, zones, ending_tagged: per passage, its text, paragraph index, whether it is
    after a warning, whether it carries a spoiler theme. film: the review's film, if known (a passage
    naming it by its title is the critic's talk about the film). reading: narration.read_review of the texts, when
    the caller has it (process_review shares it with the reveal zone).
    """
    title = film.casefold() if film and len(film) >= 3 else None
    # A title with an ending word in it ("I'm Thinking of Ending Things", "The Last Picture Show") is no ending
    # talk: the rules read the passage without it, and its theme tag counts only if an ending word is left.
    # So is a title with a reveal's words in it ("The Killing of a Sacred Deer", "Dead Man Walking"): named, it is
    # the film, not a death.
    ending_title = bool(film and _ENDING_WORD.search(film))
    masked = (re.compile(re.escape(film), re.IGNORECASE)
              if film and title and (ending_title or _REVEAL.search(film)) else None)

    def aside(text: str) -> bool:
        """It opens on the film as a film (its making, its cast, its title) or on the critic's own voice."""
        first = _SENTENCES.split(text, maxsplit=1)[0]
        return bool(_ASIDE.search(first)) or bool(title and title in first.casefold())

    reasons: list[SpoilerReason | None] = []
    spoiling: int | None = None  # the paragraph whose ending talk or reveal has begun
    left = 0  # passages the retelling still covers
    for text, paragraph, zone, tagged in zip(texts, paragraphs, zones, ending_tagged, strict=True):
        if masked and masked.search(text):
            text = masked.sub("the film", text)
            tagged = tagged and (not ending_title or bool(_ENDING_WORD.search(text)))
        if spoiling != paragraph:
            spoiling, left = None, 0
            if reasons and paragraphs[len(reasons) - 1] != paragraph and reasons[-1] in _SPILLS and not aside(text):
                spoiling, left = paragraph, _CARRY  # the retelling ran to the paragraph's end: it goes on
        reason: SpoilerReason | None = None
        general = _general_talk(text)
        if zone:
            reason = SpoilerReason.AFTER_WARNING
        elif general:
            pass
        elif tagged:
            reason = SpoilerReason.ENDING_THEME
        elif _REVEAL.search(text):
            reason = SpoilerReason.REVEAL
        elif _ENDING_TALK.search(text):
            reason = SpoilerReason.ENDING_PARAGRAPH
        elif spoiling == paragraph and left > 0:
            if _RETELLING.search(text) or not aside(text):
                reason = SpoilerReason.ENDING_PARAGRAPH
            else:
                left = 0  # the critic's aside: the retelling is over
        if (reason is SpoilerReason.REVEAL and reasons and reasons[-1] is None and spoiling != paragraph
                and paragraphs[len(reasons) - 1] == paragraph and _NEXT_TURN.search(texts[len(reasons) - 1])):
            reasons[-1] = SpoilerReason.ENDING_PARAGRAPH  # "But then Anne tells her…": the turn that leads to it
        if reason in (SpoilerReason.REVEAL, SpoilerReason.ENDING_THEME) or (
                reason is SpoilerReason.ENDING_PARAGRAPH and _ENDING_TALK.search(text)):
            spoiling, left = paragraph, _CARRY
        elif reason is SpoilerReason.ENDING_PARAGRAPH and not _RETELLING.search(text):
            left -= 1
        reasons.append(reason)
    return narration_reasons(texts, paragraphs, reasons, film, reading)
