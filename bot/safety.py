"""The safety screen: emergencies and crisis, found before any intent is guessed.

Every message, in English or Spanish, in the middle of any flow, is read by
`screen()` before the NLU model's answer counts. A match overrides the intent
with full confidence. Misses are the worst failure the assistant can have and
false alarms are cheap, so the patterns lean towards matching.

Kinds, in order of precedence:
- crisis: thoughts of suicide or self-harm (reply: call or text 988, 911 if in danger now)
- emergency: danger to life or body right now (reply: call 911)
- urgent_need: no food or no place to sleep today (reply: 211)
"""

from __future__ import annotations

import re
import unicodedata
from typing import Iterable, Optional, Pattern

CRISIS = "crisis"
EMERGENCY = "emergency"
URGENT_NEED = "urgent_need"
KINDS = (CRISIS, EMERGENCY, URGENT_NEED)

# Someone: me or a person I am with or care for (members ask for relatives).
_SELF = r"(?:my ?self|him ?self|her ?self|them ?selves|them ?self|themself|our ?selves)"
_PERSON = (
    r"(?:i|im|i am|me|my \w+|he|hes|he is|she|shes|she is|they|theyre|they are|"
    r"someone|somebody|sombody|some one|a person|my (?:son|daughter|mom|mother|dad|father|"
    r"husband|wife|partner|kid|child|baby|brother|sister|friend|grandma|grandpa|boyfriend|girlfriend))"
)


def _compile(patterns: Iterable[str]) -> Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


_CRISIS_PATTERNS = [
    # English
    r"\bsuicid",
    r"\bsuisid",
    r"\bsucid",
    r"\bkill(?:ing|ed|s)? ?(?:my|him|her|them|our) ?sel(?:f|ves)",
    r"\bkil+ ?(?:my|him|her) ?self",
    r"\bkms\b",
    r"\bunalive",
    r"\bend(?:ing|ed|s)? (?:it all|my life|his life|her life|their life|my own life|things|it tonight|it today|it now)",
    r"\bend (?:it|everything)\b(?! ?(?:ecm|the program|services|the services|my services|benefits))",
    r"\btake (?:my|his|her|their) (?:own )?life",
    r"\btook (?:my|his|her|their) (?:own )?life",
    r"\b(?:want|wanna|wants|wanted|going|gonna|plan(?:ning)?|thinking|thought|think) (?:to |about |of )?(?:die|dying|be dead|end it)\b",
    r"\bwish (?:i|he|she|they) (?:was|were) dead",
    r"\bbetter off (?:dead|without me|if i (?:was|were)n?t here|gone)",
    r"\b(?:don ?t|dont|do not|dnt|no longer|not) (?:want|wanna|wish) (?:to )?(?:live|be alive|be here|exist|wake up|go on)",
    r"\b(?:no|not any|any) (?:reason|point) (?:to|in|of) (?:live|living|go(?:ing)? on|be(?:ing)? alive|keep(?:ing)? going|stay(?:ing)? alive)",
    r"\b(?:dont|don ?t|do not|cant|can ?t|cannot) see (?:the|a|any) (?:point|reason) (?:of|in|to) (?:living|going on|go on|life|being alive|keep)",
    r"\b(?:life|living) (?:is ?n ?t|isnt|is not|aint) worth",
    r"\bnot worth living",
    r"\bcan ?t go on\b",
    r"\bcant go on\b",
    r"\bgive up on (?:life|living)",
    r"\bgiving up on (?:life|living)",
    r"\b(?:done|finished) with (?:life|living)\b",
    r"\b(?:hurt|hurting|harm|harming|cut|cutting|burn|burning)(?:s)? " + _SELF,
    r"\bself[ -]?harm",
    r"\bsel harm",
    r"\bnever wake up\b",
    r"\bnot wake up (?:ever|again)",
    r"\bsleep (?:and|forever)",
    r"\bnobody (?:would|will) (?:care|miss me)",
    r"\bno one (?:would|will) (?:care|miss me)",
    r"\bhang(?:ing)? " + _SELF,
    r"\boverdose on purpose",
    r"\bpills? (?:saved|stashed|to end|to die)",
    r"\bhow many pills (?:would|does|will|to)",
    r"\bjump(?:ing)? off (?:a|the) (?:bridge|building|roof)",
    r"\bgave away (?:all )?(?:my|his|her|their) (?:things|stuff|belongings)",
    r"\bdisappear (?:for good|forever|and never)",
    r"\bnot (?:wanting|want) to (?:live|be alive|be here|wake up)",
    r"\b(?:want|wanna|wants) to disappear\b",
    # Spanish (accents are removed before matching)
    r"\bsuicid",
    r"\bmatar(?:me|se|te)\b",
    r"\bme quiero matar",
    r"\bse quiere matar",
    r"\bquiero morir",
    r"\bquiere morir",
    r"\bquisiera morir",
    r"\bme quiero morir",
    r"\bno quiero (?:vivir|seguir viviendo|despertar|estar aqui|existir)",
    r"\bno (?:quiere|quieren) (?:vivir|seguir viviendo)",
    r"\bquitarme la vida",
    r"\bquitarse la vida",
    r"\bacabar con (?:mi|su) vida",
    r"\bterminar con (?:mi|su) vida",
    r"\bhacerme dano",
    r"\bhacerse dano",
    r"\bme (?:corto|estoy cortando|lastimo|hago dano)",
    r"\bno vale la pena vivir",
    r"\bsin razon para vivir",
    r"\bestaria(?:n)? mejor sin mi",
    r"\bmejor (?:muerto|muerta)",
    r"\bno aguanto mas\b",
]

_EMERGENCY_PATTERNS = [
    # English
    r"\b(?:call|calling|called|dial|need|get|text) (?:the )?911\b",
    r"\b911 (?:now|please|asap|right now|help)",
    r"\bcall(?:ing)? (?:an )?ambulance",
    r"\bneed (?:an )?ambulance",
    r"\bchest (?:pain|hurts|is hurting|feels tight|pressure)",
    r"\b(?:my|his|her) chest (?:really )?hurts",
    r"\bheart attack",
    r"\bhaving a stroke",
    r"\b(?:is|im|i am|think|might be|maybe) (?:having )?(?:a )?stroke\b",
    r"\bface (?:is )?droop",
    r"\b(?:can ?t|cant|cannot|can not|not|isnt|is not|isn ?t|stopped|trouble|hard to|struggling to) (?:breathe|breath|breathing|brethe|breth)",
    r"\bnot breathing",
    r"\bstopped breathing",
    r"\boverdos",
    r"\bod(?:ed|ing|d)\b",
    r"\btook (?:too many|to many|a lot of|a bunch of|all (?:my|his|her|the)|a whole bottle)",
    r"\b(?:wont|won ?t|will not|cant|can ?t|not) wake (?:up|him|her)",
    r"\b(?:passed out|unconscious|unresponsive|not responding|collapsed|fainted and)",
    r"\b(?:having|had|has|is having|in) (?:a )?seizure",
    r"\bseizure (?:now|right now)",
    r"\bseizing\b",
    r"\bconvuls",
    r"\bbleeding (?:and it )?(?:wont|won ?t|will not|really|from|badly|bad|a lot)",
    r"^ (?:help )?emergency(?: help)? $",
    r"\b(?:about to|going to|gonna|might) pass out\b",
    r"\bpassing out\b",
    r"\bbr(?:oke|eaking|eak) in(?:to)?\b",
    r"\bturning blue",
    r"\bchest (?:is )?(?:tight|hurting|pressure)",
    r"\b(?:cant|can ?t|cannot) catch (?:my|his|her|their) breath",
    r"\bambulance",
    r"\bbleeding (?:a lot|bad|badly|heavily|wont stop|won ?t stop|everywhere|so much|heavy)",
    r"\b(?:lot of|so much|tons of) blood",
    r"\bchok(?:ing|es)\b",
    r"\bswallowed (?:bleach|poison|chemicals)",
    r"\bpoison(?:ed|ing)\b",
    r"\b(?:throat|tongue|lips|face) (?:is )?(?:closing|swelling|swollen)",
    r"\banaphyla",
    r"\b(?:is|are|keeps|been|was|started) (?:hitting|beating|choking|attacking|hurting|threatening) (?:me|us|my)",
    r"\b(?:hitting|beating|choking|attacking) me\b",
    r"\b(?:trying|going|gonna|wants|threatening|threatened) to (?:hurt|kill|attack|shoot|stab) (?:me|us|my|him|her)",
    r"\bhurting me (?:right )?now",
    r"\b(?:im|i am|being|got|getting|was just) (?:attacked|assaulted|stabbed|shot|raped)",
    r"\b(?:has|with|got) a (?:gun|knife)",
    r"\bin danger\b(?! ?of losing)",
    r"\bnot safe (?:right now|here|at home|now)",
    r"\b(?:dont|don ?t|do not) feel safe (?:at home|right now|here|now)",
    r"\bunsafe (?:at home|right now|now)",
    r"\bhouse (?:is )?on fire",
    r"\bcar (?:crash|accident)",
    r"\bhit by a car",
    r"\bfell and (?:cant|can ?t|cannot|can not) (?:get up|move)",
    r"\bhead injury",
    r"\b(?:blue|turning blue) lips",
    r"\blips (?:are |turning )?blue",
    r"\b(?:this is an|its an|it is an|having an|theres an|there is an|medical) emergency\b",
    r"\bemergency (?:now|right now|help|please)\b",
    r"\bbreak(?:ing)? in(?:to)? (?:my|the|our) (?:house|home|apartment|place|room)",
    r"\bblood everywhere",
    r"\b(?:hit|hurt|banged) (?:my|his|her|their) head\b",
    # Spanish
    r"\bdolor (?:de|en el) pecho",
    r"\bme duele (?:mucho )?el pecho",
    r"\bataque (?:al|de) corazon",
    r"\binfarto",
    r"\bderrame cerebral",
    r"\bno (?:puedo|puede|pueden) respirar",
    r"\bno respira",
    r"\bsobredosis",
    r"\bse tomo (?:muchas|demasiadas|todas las) pastillas",
    r"\bme tome (?:muchas|demasiadas|todas las) pastillas",
    r"\bno (?:despierta|reacciona|responde)\b",
    r"\b(?:inconsciente|desmayad[oa])",
    r"\bconvulsion",
    r"\bsangr(?:a|ando) mucho",
    r"\bmucha sangre",
    r"\bme (?:esta|estan) (?:pegando|golpeando|atacando|lastimando)",
    r"\bme quiere(?:n)? (?:matar|pegar|lastimar)",
    r"\bllam(?:a|e|en|ar) (?:al )?911",
    r"\bambulancia",
    r"\bemergencia\b",
    r"\bpeligro\b",
]

_URGENT_NEED_PATTERNS = [
    # English: no food or shelter right now
    r"\b(?:no|nothing|don ?t have|dont have|do not have|out of) (?:food|anything to eat|money for food)\b.*\b(?:today|tonight|right now|now|for days|for (?:my )?kids|in the house)",
    r"\b(?:haven ?t|havent|have not|didn ?t|didnt|did not) (?:eaten|ate|eat)\b",
    r"\bnothing to eat\b",
    r"\b(?:hungry|starving)\b.*\b(?:today|tonight|right now|now|no food|kids)",
    r"\bno food\b",
    r"\bno ?where to (?:sleep|stay|go|live)\b",
    r"\bno (?:place|where) to (?:sleep|stay|go)\b.*\b(?:tonight|today|now)",
    r"\bshelter(?:s)? (?:is|are) full",
    r"\bneed (?:some )?food (?:right now|now|today|tonight|asap)",
    r"\bfood\b.*\b(?:today|tonight|right now|asap)\b",
    r"\b(?:sleep|stay|bed|shelter|somewhere|place|room)\b(?: \w+){0,3} (?:for )?tonight",
    r"\b(?:put(?:ting)? (?:me|us) out|put out|be out of (?:my|our|the))\b.*\b(?:today|tonight|now)",
    r"\bhomeless\b.*\b(?:today|tonight|now)\b",
    r"\b(?:sleeping|sleep|living) (?:in (?:my|the|a) car|on the street|outside)\b",
    r"\b(?:evicted|kicked out|locked out|locking me out|locking us out|thrown out)\b.*\b(?:today|tonight|right now|now)",
    r"\b(?:being|getting|got|was) (?:evicted|kicked out|thrown out)\b",
    r"\bon the street(?:s)? tonight",
    r"\bhomeless (?:tonight|today|right now|now)",
    r"\bshelter (?:tonight|today|right now|now)",
    r"\bno heat\b.*\b(?:tonight|today)",
    # Spanish
    r"\bno (?:tengo|tenemos|hay) (?:nada de )?comida",
    r"\bno (?:tengo|tenemos) (?:que|nada que) comer",
    r"\bno he comido",
    r"\bno tengo donde (?:dormir|quedarme|vivir)",
    r"\bno tenemos donde (?:dormir|quedarnos|vivir)",
    r"\bme (?:echaron|van a echar|desalojaron|estan desalojando)",
    r"\bnos (?:echaron|van a echar|desalojaron|estan desalojando)",
    r"\bdormir en (?:el|mi) carro",
    r"\bdormir en la calle",
    r"\ben la calle (?:hoy|esta noche)",
]

_KIND_PATTERNS = (
    (CRISIS, _compile(_CRISIS_PATTERNS)),
    (EMERGENCY, _compile(_EMERGENCY_PATTERNS)),
    (URGENT_NEED, _compile(_URGENT_NEED_PATTERNS)),
)


def normalize(text: str) -> str:
    """Lowercase, strip accents and apostrophes, turn punctuation into spaces."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    plain = re.sub(r"['\u2019\u2018`]", "", plain)
    plain = re.sub(r"[^a-z0-9ñ]+", " ", plain)
    plain = re.sub(r"(.)\1{2,}", r"\1\1", plain)  # "hellllp" -> "hellp"
    return f" {plain.strip()} "


def screen(text: Optional[str]) -> Optional[str]:
    """The kind of danger `text` speaks of, or None."""
    if not text or text.startswith("/"):
        return None
    normalized = normalize(text)
    for kind, pattern in _KIND_PATTERNS:
        if pattern.search(normalized):
            return kind
    return None
