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


# Spanish building blocks. Text is already normalized: lowercase, no accents, "ñ" -> "n".
# "quiero" as texted: quiero, kiero, qiero, quero, kero, qero (and quiere, kiere...).
_Q = r"(?:qu|k|q)i?er"
# Wanting or thinking of it, by person: 1st singular, 3rd (he, she, they), 2nd.
_DESIRE_1 = (
    rf"(?:{_Q}o|(?:qu|k|q)isiera|{_Q}ia|deseo|desearia|prefiero|preferiria|necesito|"
    r"pienso(?: en)?|estoy pensando en|he (?:estado )?pensado en|pense en|tengo ganas de|ganas de)"
)
_INTENT_1 = (
    rf"(?:{_DESIRE_1}|voy a|boy a|vo a|planeo|estoy planeando|intente|trate de|quise|estoy por)"
)
_DESIRE_3 = (
    rf"(?:{_Q}en?|(?:qu|k|q)isiera|{_Q}ia|desea|desearia|prefiere|piensa(?: en)?|"
    r"esta pensando en|ha (?:estado )?pensado en|penso en|tiene ganas de)"
)
_INTENT_3 = rf"(?:{_DESIRE_3}|va a|ba a|van a|planea|intento|trato de|quiso|esta por)"
_DESIRE_2 = rf"(?:{_Q}es|(?:qu|k|q)isieras|piensas(?: en)?|estas pensando en)"
_INTENT_2 = rf"(?:{_DESIRE_2}|vas a)"
_DESIRE_ANY = rf"(?:{_DESIRE_1}|{_DESIRE_3}|{_DESIRE_2}|queremos)"
# Killing oneself, and hurting oneself (the latter also happens by accident, so it
# needs a clearer wish when said of someone else).
_NOT_HAIR = (
    r"(?! (?:el|los|las|la|mi|mis|su|sus) (?:pelo|cabello|unas|barba|fleco|bigote|puntas)\b)"
)
_KILL_ES = (
    r"(?:matar|suicidar|(?:qu|k|q)itar la [bv]ida|colgar|ahorcar|envenenar|(?:pegar|dar|volar) un (?:tiro|balazo)|"
    r"volar la cabeza|(?:tirar|aventar|lanzar) (?:de|del|desde|al|a la|a las|a los|por|frente))"
)
_HURT_ES = rf"(?:(?:h?acer|aser) dano|lastimar|herir|quemar|cortar{_NOT_HAIR})"
_DIE_ES = r"(?:morir\b(?! de)|desaparecer|dejar de (?:[bv]i[bv]ir|existir))"
# "quiere matarme" is someone else's threat (an emergency), not a crisis.
_BY_OTHER = "".join(
    f"(?<!{w} )"
    for w in (
        "quiere",
        "quieren",
        "kiere",
        "kieren",
        "va a",
        "van a",
        "iba a",
        "trata de",
        "tratan de",
        "tratando de",
        "intenta",
        "intentan",
        "intentando",
        "amenaza con",
        "amenazan con",
        "amenazo con",
        "amenazando con",
        "puede",
        "pueden",
        "podria",
        "no",
        "sin",
    )
)
_NOT_FIGURATIVE = (
    r"(?! de (?:risa|la risa|hambre|frio|calor|sed|sueno|aburrimiento|verguenza|pena|miedo|"
    r"ganas|gusto|envidia|celos|nervios|cansancio|amor|la emocion)\b)"
)
# Now: today, tonight, right now. Past: years, months or weeks ago (a history, not an emergency).
_NOW_ES = r"\b(?:hoy|esta noche|ahorita|orita|horita|aorita|ahora mismo|hoy mismo|en este momento|esta manana|ya mismo)\b"
_PAST_ES = (
    r"\b(?:hace (?:\w+ )?(?:anos?|meses|mes|semanas)|el (?:ano|mes) pasado|la semana pasada|"
    r"de (?:nino|nina|chiquit[oa]|joven|bebe)|cuando (?:era|eramos|estaba|tenia))\b"
)


def _with_now_es(pattern: str) -> str:
    """`pattern` anywhere in a message that also says today, tonight or right now."""
    return rf"^(?=.*{_NOW_ES}).*(?:{pattern})"


def _current_es(pattern: str) -> str:
    """`pattern`, unless the message tells of it as past history ("hace dos anos")."""
    return rf"^(?!.*{_PAST_ES}).*(?:{pattern})"


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
    r"\bauto ?lesion",
    # me quiero matar / se quiere matar / te vas a matar / me voy a hacer dano / se quiere morir
    rf"\bme {_INTENT_1} (?:{_KILL_ES}|{_HURT_ES})",
    rf"\bse {_INTENT_3} {_KILL_ES}",
    rf"\bse {_DESIRE_3} {_HURT_ES}",
    rf"\bte {_INTENT_2} (?:{_KILL_ES}|{_HURT_ES})",
    rf"\bnos (?:queremos|vamos a) {_KILL_ES}",
    rf"\bme {_DESIRE_1} {_DIE_ES}",
    rf"\bse {_DESIRE_3} {_DIE_ES}",
    rf"\bte {_DESIRE_2} {_DIE_ES}",
    # quiero morir / ganas de morirme / quisiera estar muerta / quiero desaparecer
    rf"\b{_DESIRE_ANY} (?:morir|estar muert|no (?:existir|[bv]i[bv]ir|despertar|estar [bv]i[bv])|{_DIE_ES})",
    rf"(?<!miedo de )(?<!miedo a )\bmorir(?:me|se|te|nos)\b{_NOT_FIGURATIVE}",
    # matarme, suicidarme, quitarme la vida, hacerme dano, lastimarme (said of oneself)
    r"\b(?:matar|suicidar|ahorcar|colgar|envenenar)se\b",
    rf"\b(?=(?:matar|suicidar|ahorcar|colgar|envenenar)(?:me|te|nos)\b){_BY_OTHER}",
    rf"\b(?=(?:h?acer|aser)se dano|(?:lastimar|herir|quemar)se\b|cortarse\b{_NOT_HAIR})(?<!puede )(?<!pueda )(?<!podria )(?<!no )",
    rf"\b(?=(?:h?acer|aser)(?:me|te|nos) dano|(?:lastimar|herir|quemar)(?:me|te|nos)\b|cortar(?:me|te|nos)\b{_NOT_HAIR}){_BY_OTHER}",
    r"\b(?:pegar|dar)(?:me|se|te) un (?:tiro|balazo)",
    r"\b(?:tirar|aventar|lanzar)(?:me|se|te) (?:de|del|desde|al|a la|a las|a los|por|frente)",
    r"\b(?:qu|k|q)itar(?:me|se|te|nos)? la [bv]ida",
    r"\b(?:acabar|terminar|ponerle fin|poner fin|darle fin|dar fin)(?:le)? (?:con|a) (?:mi|su|tu) (?:propia )?[bv]ida",
    r"\b(?:acabar|terminar|acabo|termino) con todo\b",
    r"\b(?:quiero|kiero|qiero|quisiera|ojala|deseo) (?:que )?(?:ya )?todo (?:se )?(?:acabe|termine)",
    # no quiero vivir / ya no kiero estar vivo / no quiere seguir viviendo
    rf"\bno {_DESIRE_ANY} (?:[bv]i[bv]ir|seguir [bv]i[bv]iendo|seguir [bv]i[bv][oa]|seguir con vida|estar [bv]i[bv][oa]s?|"
    r"estar aqui|estar en este mundo|seguir aqui|seguir en este mundo|existir|despertar)\b",
    # cutting or hurting oneself again, or for a while
    r"\b(?:me|se|te|nos) (?:volvi|volvio|volviste|volvimos|he vuelto|ha vuelto|has vuelto)(?: otra vez)? a (?:cortar|lastimar|(?:h?acer|aser) dano|herir|quemar)",
    r"\b(?:me|se|te) (?:he|ha|has|han) estado (?:cortando|lastimando|haciendo dano|hiriendo|quemando)",
    r"\b(?:me estoy|se esta|te estas) (?:cortando|haciendo dano|hiriendo|quemando)" + _NOT_HAIR,
    r"\bme estoy lastimando\b",
    r"\b(?:cortando|lastimando|haciendo dano|hiriendo|quemando|corto|corte|corta|lastimo|lastime|lastima|hace dano|hizo dano)\b(?: \w+){0,3}? a proposito",
    r"\bme (?:corto|lastimo|hago dano)\b" + _NOT_HAIR,
    r"\bse (?:hace dano|corta|corto)\b (?:(?:los|las|sus|el) )?(?:brazos|munecas|piernas|venas|a proposito|otra vez)",
    r"\bme (?:corte|cortaba) (?:(?:los|las|mis) )?(?:brazos|munecas|piernas|venas|a proposito|otra vez)",
    r"\bse (?:corta|cortaba)(?: (?:a veces|seguido|mucho|sola|solo|otra vez|todos los dias|en secreto))? $",
    r"(?<!se )\bme mato\b(?! (?:de|trabajando|estudiando|el|la|los|las|con|a|en)\b)",
    r"\bcortar(?:me|se|te)? las venas",
    r"\bcortes? en (?:los |las |mis |sus )?(?:brazos|munecas|piernas)",
    # wishing to be dead, not to wake up
    r"\bojala\b(?: \w+){0,3}? (?:muert|muriera|me muera|no despert|no existiera|no hubiera nacido|nunca hubiera nacido|desapareciera)",
    r"\b(?:estar|estuviera|estuviese|estaria|estarian) (?:mejor )?muert",
    r"\bmejor (?:muerto|muerta)",
    r"\b(?:estaria(?:n)?|estarian|[bv]i[bv]irian|seria) mejor sin mi\b",
    r"\bmejor sin mi\b",
    r"\b(?:y|para|pa) no (?:volver a )?despertar",
    r"\bno despertar(?:me)? (?:nunca|mas|jamas|manana)",
    r"\bdormir(?:me|se)? para siempre",
    r"\bdesaparecer para siempre",
    # no reason to live, tired of living, life is not worth it
    r"\bno vale la pena (?:[bv]i[bv]ir|seguir)",
    r"\b(?:la |mi )?[bv]ida (?:ya )?no (?:vale|tiene sentido|tiene caso|me importa)",
    r"\b(?:no|sin|ninguna?)\b(?: \w+){0,3}? (?:razon|razones|motivo|motivos|sentido|caso|proposito|ganas) "
    r"(?:de |para |pa |a )?(?:[bv]i[bv]ir|seguir [bv]i[bv]iendo|seguir [bv]i[bv][oa]|seguir con vida|estar [bv]i[bv]|existir|la [bv]ida)\b",
    r"\bsin razon para [bv]i[bv]ir",
    r"\b(?:cansad[oa]s?|harto|harta|me canse|me harte|aburrid[oa]) (?:\w+ )?de (?:[bv]i[bv]ir|la [bv]ida|estar [bv]i[bv]|existir|seguir [bv]i[bv]iendo)",
    r"\bnadie (?:\w+ ){0,2}?(?:extranaria|extranara|va a extranar|notaria|se daria cuenta)",
    r"\bimporta(?:ria|ra)? (?:si|que) (?:me muero|me muera|muero|me mato|desaparezco|desapareciera|ya no estoy|ya no este|no estoy|no este)",
    r"\b(?:pastillas|pildoras|medicinas|medicamentos)(?: \w+){0,2}? (?:guardad|juntad|escondid|ahorrad)",
    r"\b(?:junte|guarde|estoy juntando|estoy guardando|tengo guardadas) (?:\w+ )?(?:pastillas|pildoras)",
    r"\bpiens\w* (?:mucho )?en (?:la muerte|suicid)",
    r"\bno aguanto mas\b",
    r"\bya no aguanto (?:la [bv]ida|[bv]i[bv]ir)",
    r"\bya no puedo mas\b(?! con (?:el|la|los|las|este|esta|eso|esto)\b)",
]

_THREAT_ES = (
    r"(?:quiere|quieren|kiere|va a|van a|iba a|trata de|tratan de|trato de|trataron de|esta tratando de|"
    r"estan tratando de|tratando de|intenta|intentan|intento|intentaron|esta intentando|intentando|"
    r"amenaza con|amenazan con|amenazo con|amenazaron con|esta amenazando con|amenazando con)"
)
_VIOLENT_ES = (
    r"(?:matar|pegar|golpear|lastimar|hacer dano|herir|violar|disparar|apunalar|acuchillar|ahorcar|"
    r"estrangular|atacar|asfixiar|quemar|secuestrar)"
)

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
    r"\bconvuls(?:ing|ed|es)\b",
    r"\b(?:having|had|has|is having|in) (?:a )?convulsions?\b",
    r"\bconvulsions? (?:now|right now|wont stop|won ?t stop)",
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
    # chest pain, heart attack, stroke
    r"\b(?:me|le|te|nos|les) duele(?:n)? (?:\w+ ){0,2}?(?:el )?pecho",
    r"\bdolor (?:\w+ ){0,2}?(?:de|en el|del) pecho",
    r"\b(?:pecho|corazon) (?:\w+ ){0,2}?(?:apretado|apretando|aprieta|oprimido)",
    r"\b(?:presion|opresion|ardor|peso) en el pecho",
    _current_es(r"\b(?:ataque|paro) (?:al |de |del )?(?:corazon|cardiac[oa]|respiratorio)"),
    _current_es(r"\binfarto"),
    _current_es(r"\bderrame\b(?! de (?:aceite|petroleo|agua))"),
    _current_es(r"\bembolia"),
    r"\bse (?:le|me|te) (?:cayo|cae|esta cayendo|torcio|chueco|durmio|adormecio) (?:\w+ )?(?:la cara|la boca|un lado|medio cuerpo|la mitad)",
    r"\b(?:cara|boca) (?:caida|chueca|torcida|colgada|de lado)",
    r"\bde (?:repente|pronto) no (?:puede|puedo|podia) (?:hablar|mover|ver|caminar)",
    # breathing, choking, drowning
    r"\bno (?:puedo|puede|pueden|podemos|puedes|podia) (?:respirar|agarrar aire|jalar aire|tomar aire|agarrar el aire)",
    r"\bno respira",
    r"\bno (?:esta|estan|estaba) respirando",
    r"\b(?:dejo|dejaron|ha dejado) de respirar",
    r"\b(?:me|le|se|te) (?:esta )?(?:cuesta|costando|falta) (?:mucho )?(?:respirar|el aire|aire)\b",
    r"\bno (?:me|le|te) (?:entra|pasa) (?:el )?aire",
    r"\b(?:me|se|te|nos) (?:esta |estan |estoy |estaba )?(?:ahogando|ahoga|atraganto|atraganta|atragantando)\b",
    r"\bahogandose|\batragantad|\basfixi",
    # overdose, poison
    _current_es(r"\bsobre ?dosis"),
    r"\bse tomo (?:muchas|demasiadas|todas las) pastillas",
    r"\bme tome (?:muchas|demasiadas|todas las) pastillas",
    r"\b(?:se|me|te) (?:tomo|tome|tomaste|trago|trague|tragaste) (?:\w+ ){0,2}?(?:muchas|muchisimas|demasiad[oa]s|un monton de|un frasco|un bote|una caja|un punado|toda la caja|todo el frasco|todo el bote)\b",
    r"\bse (?:tomo|trago) (?:\w+ ){0,2}?(?:todas sus|todas las|todo el|toda la)\b",
    r"\b(?:se|me|te) (?:tomo|tome|trago|trague|bebio|bebi) (?:\w+ ){0,2}?(?:cloro|veneno|blanqueador|quimicos|raticida|anticongelante|lejia)",
    r"\benvenen",
    r"\bse (?:trago|comio) (?:\w+ ){0,3}?(?:pastillas|pildoras|medicinas?|medicamentos?|pilas?|baterias?|monedas?|veneno|cloro)",
    # unconscious, collapsed
    r"\bno (?:despierta|reacciona|responde)\b(?! (?:mis|a mis|los|las|el|la|mi|sus) (?:llamadas|mensajes|correos?|telefono|textos|cartas|preguntas)\b)",
    r"\bno (?:lo|la|le|los|las) (?:puedo|podemos|pueden) despertar",
    r"\bno se (?:despierta|mueve|levanta)\b",
    r"\b(?:inconsciente|desmayad[oa])",
    _current_es(r"\bdesma(?:y|ll)"),
    r"\bdesplom|\bse (?:desvanecio|colapso)|\bperdio el (?:conocimiento|sentido)",
    r"\b(?:se|me) (?:cayo|cai) y no (?:se |me )?(?:puede|puedo|mueve|muevo|levanta|levantar|responde|despierta)",
    rf"\b(?:me estoy|se esta|se nos esta|se me esta|nos estamos) muriendo\b{_NOT_FIGURATIVE}",
    # seizures now (not talk about a child's seizures in general)
    r"\bconvulsionando\b",
    _current_es(r"\bconvulsion(?:o|ar)\b"),
    _current_es(
        r"\b(?:esta|estan|estoy|tiene|tuvo|le dio|le da|le esta dando|me esta dando|me dio|esta teniendo|estoy teniendo) (?:una |otra )?convulsion\b"
    ),
    r"\bconvulsi\w*.*\b(?:ahorita|ahora mismo|en este momento|no (?:para|paran|se (?:le )?(?:quita|quitan|detiene|detienen))|911|ambulancia)",
    _current_es(
        r"\b(?:tiene|tuvo|le dio|le da|le esta dando|me esta dando|esta teniendo) (?:un |una )?(?:ataque|crisis) (?:epileptic[oa]|de epilepsia)"
    ),
    # bleeding
    r"\bsangr(?:a|ando) mucho",
    r"\bdesangr|\bno (?:para|paro|paraba|deja|dejaba|se detiene) de sangrar",
    r"\bsangr(?:a|ando|o)\b(?: \w+){0,3}? (?:mucho|muchisimo|bastante|demasiado|sin parar|no (?:se )?(?:para|detiene|quita|deja))",
    r"\b(?:estoy|esta|estan|sigo|sigue|estamos) sangrando",
    r"\b(?:mucha|bastante|tanta|harta) sangre",
    r"\bsangre por todos? (?:lados|partes)",
    r"\b(?:perdiendo|perdio|pierde) (?:mucha )?sangre|\bhemorragia",
    # violence, weapons, break-ins
    r"\bme (?:esta|estan) (?:pegando|golpeando|atacando|lastimando)",
    r"\b(?:me|nos|te|la|lo|le|les|los|las) (?:esta|estan|estaba|estaban|sigue|siguen) (?:pegando|golpeando|atacando|lastimando|ahorcando|estrangulando|asfixiando|apunalando|acuchillando|violando|persiguiendo|disparando)",
    r"\bme quiere(?:n)? (?:matar|pegar|lastimar)",
    rf"\b(?:me|nos|te|la|lo|le|les) {_THREAT_ES} {_VIOLENT_ES}",
    rf"\b{_THREAT_ES} {_VIOLENT_ES}(?:me|nos|te|la|lo|le|los|las|les)\b",
    r"(?<!se )\b(?:me|nos|lo|la|le|les) (?:golpeo|golpearon|ataco|atacaron|apunalaron|apunalo|acuchillaron|acuchillo|dispararon|balearon|baleo|balacearon|violo|violaron|asaltaron|hirieron|pegaron|pego|ahorco|estrangulo)\b",
    r"\bapunal|\bacuchill|\bbalazo|\bbalacera|\bbalead[oa]|\bherid[oa] de bala|\bdisparos\b|\bdisparando\b",
    r"\b(?:pistola|arma de fuego|rifle|escopeta)\b(?! de (?:agua|silicon|pegamento|calor))",
    r"\b(?:tiene|trae|traen|tienen|saco|sacaron|con) (?:un |una )?(?:cuchillo|navaja|machete|arma)\b",
    r"\b(?:se|nos) (?:metio|metieron|esta metiendo|estan metiendo|quiere meter|quieren meter) (?:\w+ )?(?:a|en) (?:mi|la|nuestra|nuestro|el) (?:casa|depa|departamento|apartamento|cuarto|traila|trailer)",
    r"\b(?:alguien|un hombre|una mujer|un senor|unos hombres|ladron|ladrones) se (?:metio|metieron|quiere meter|quieren meter|esta metiendo)",
    r"\bentraron a robar|\b(?:esta|estan) (?:forzando|rompiendo|tumbando) la (?:puerta|ventana)",
    r"\bhay (?:alguien|un hombre|un extrano|unos hombres) (?:\w+ )?(?:dentro|adentro|en) (?:de )?(?:mi|la) casa",
    r"\bpeligro\b(?! de perder)",
    # injuries, fire, accidents, allergy, low sugar, turning blue
    r"\b(?:me|se|le) (?:pegue|pego|golpee|golpeo|di|dio) (?:\w+ )?(?:en )?la cabeza|\bgolpe (?:fuerte )?en la cabeza",
    r"\bincendio|\b(?:se esta|se estan) quemando (?:la|mi|nuestra) casa|\bla casa se (?:esta )?quemando|\bhay fuego",
    r"\b(?:choque|accidente) (?:de|en) (?:carro|coche|auto|transito|moto)|\batropell",
    r"\bse (?:me|le|te) (?:esta |estan )?(?:cierra|cerrando|cerro|hincha|hinchando|hincho) (?:\w+ )?(?:la garganta|la lengua|la cara|los labios|la boca)",
    r"\bgarganta (?:\w+ )?(?:cerrando|cerrada)|\b(?:lengua|labios) (?:\w+ )?hinchad",
    r"\b(?:tengo|tiene|le dio|me dio|esta teniendo|le esta dando|me esta dando) (?:una )?reaccion alergica",
    _current_es(r"\breaccion alergica (?:fuerte|grave|severa|seria)"),
    r"\banafila",
    r"\bse (?:esta |estan )?(?:poniendo|puso|pusieron|pone|ven?) (?:\w+ )?(?:morad[oa]s?|azul(?:es)?)\b",
    r"\b(?:labios|boca|cara|unas|dedos) (?:\w+ )?(?:morad[oa]s?|azul(?:es)?)\b",
    r"\b(?:azucar|glucosa) (?:\w+ ){0,2}?(?:muy|tan|bien|super|demasiado) baja",
    r"\bse me (?:bajo|esta bajando) (?:mucho )?(?:el |la )?(?:azucar|glucosa)",
    # asking for help now
    r"\bllam(?:a|e|en|ar) (?:al )?911",
    r"\b(?:necesito|necesitamos|ocupo|ocupamos|llamen|llama|llamar|llame|llamo|marque|marca|marquen|manden|mande|mandar|hablen|hable|hablar)(?: \w+){0,2}? 911\b",
    r"\b911 (?:ya|ahorita|ahora|por favor|porfa|rapido|urgente|ayuda)\b",
    r"\bambulan[cs]ia",
    r"\b(?:auxilio|socorro)\b",
    # "emergencia", except a shelter, room or number "de emergencia" (see urgent_need)
    r"\b(?=emergen[cs]ia\b)(?<!refugio de )(?<!albergue de )(?<!vivienda de )(?<!alojamiento de )(?<!comida de )"
    r"(?<!alimentos de )(?<!despensa de )(?<!cupones de )(?<!fondos de )(?<!dinero de )(?<!cama de )"
    r"(?<!hotel de )(?<!motel de )(?<!techo de )(?<!sala de )(?<!salas de )(?<!cuarto de )"
    r"(?<!numero de )(?<!numeros de )(?<!contacto de )(?<!contactos de )(?<!en caso de )",
]

# No place: "no tengo donde", "sin tener a donde", "no tiene un lugar para".
_NO_PLACE_ES = (
    r"\b(?:no (?:tengo|tenemos|tiene|tienen|hay|tenia|teniamos)|sin(?: tener)?|ni) (?:a |para |pa |un )?"
    r"(?:donde|adonde|lugar (?:donde|para|pa|a donde)|un lugar (?:donde|para|pa))"
)

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
    # no food: no tengo comida, no han comido, tengo hambre, comida + hoy
    r"\bno (?:tengo|tenemos|tiene|tienen|hay|habia|tenia|teniamos|me queda|nos queda|le queda|les queda) "
    r"(?:nada de |nada para |nada que |nada q |nada k |nada pa |ni para |ni pa |que |q |k |de |para |pa )?(?:comida|comer|alimentos?|comestibles|mandado)\b",
    r"\bno tengo nada (?:de|que|q|k|para|pa) comer",
    r"\bsin (?:comida|alimentos|nada (?:de|que|para|pa) comer|(?:dinero|nada) (?:para|pa) (?:comida|comer))\b",
    r"\b(?:dias|horas|desde ayer|todo el dia) sin comer|\bsin comer (?:desde|en|hace|todo|nada)\b",
    r"\bno (?:he|han|hemos|ha|has) (?:comido|probado bocado)",
    r"\bno (?:comi|comimos|comio|comieron) (?:nada|hoy|ayer|desde|en \w+ dias)",
    r"\bno (?:tengo|tenemos|tiene|tienen) (?:dinero|ni un peso|nada) (?:para |pa )(?:comida|comer|la comida)",
    r"\b(?:tengo|tenemos|tienen|tiene) (?:mucha |tanta )?hambre\b",
    r"\b(?:muero|morimos|muriendo|morir|morirme|morirnos|mueren) de hambre",
    _with_now_es(r"\b(?:comida|alimentos|despensa|mandado|hambre)\b"),
    r"\bcomida (?:ya|urgente)\b|\burgente comida\b",
    # nowhere to sleep: no tengo donde dormir, sin tener a donde ir, donde duermo esta noche
    # (asked about people in general or "does he qualify", with no "tonight": a program question)
    rf"^(?!.*\b(?:calific\w*|elegible|gente|personas)\b).*{_NO_PLACE_ES} (?:ir|irme|irnos|dormir|quedar\w*|vivir|llegar|pasar la noche)\b",
    _with_now_es(
        rf"{_NO_PLACE_ES} (?:ir|irme|irnos|dormir|quedar\w*|vivir|llegar|pasar la noche)\b"
    ),
    r"\bno tenemos donde (?:dormir|quedarnos|vivir)",
    _with_now_es(
        r"\b(?:donde|adonde|lugar (?:para|pa|donde)|un lugar|algun lugar) (?:\w+ ){0,2}?(?:dormir|quedar\w*|pasar la noche)\b"
        r"|\b(?:alberg?ue|refugio|shelter|cama|techo|hotel|motel)\b"
        r"|\b(?:sin (?:casa|hogar|techo|vivienda|calefaccion|luz)|no (?:tengo|tenemos|tiene|tienen) (?:casa|hogar|techo|calefaccion)|indigente)\b"
        r"|\ben la calle\b"
    ),
    r"\b(?:necesito|necesitamos|ocupo|ocupamos|busco|buscamos|donde hay) (?:un |una )?(?:alberg?ue|refugio|shelter)\b",
    r"\b(?:albergues?|refugios?|shelters?) (?:\w+ )?(?:estan|esta) (?:llenos?|sin cupo)",
    r"\b(?:refugio|albergue|vivienda|alojamiento|hotel|motel|cama|comida|alimentos|techo) de emergencia",
    r"\b(?:me|nos) (?:quede|quedamos) sin (?:casa|hogar|techo|donde vivir)",
    r"\b(?:dormir|duermo|dormimos|durmiendo|dormi|quedarme|quedarnos|me quedo|nos quedamos) "
    r"(?:\w+ )?en (?:el|mi|un|nuestro|la|una) (?:carro|coche|auto|troca|camioneta|van|parque|banca)\b",
    _with_now_es(
        r"\b(?:vivo|vivimos|viviendo) (?:\w+ )?en (?:el|mi|un|nuestro|la|una) (?:carro|coche|auto|troca|camioneta|van|parque|banca)\b"
    ),
    r"\b(?:dormir|duermo|dormimos|durmiendo|dormi|quedo|quede|quedamos|quedar|quedarme|quedarnos|quedaria|"
    r"estoy|estamos|acabe|acabar|voy a estar|vamos a estar) en la calle\b",
    r"\b(?:dormir|duermo|dormimos|durmiendo|estoy|estamos) (?:afuera|a la intemperie)(?: en el frio)?\b",
    r"\ben la calle (?:hoy|esta noche)",
    # put out: me desalojaron, nos van a echar, me sacan del depa, el dueno me esta sacando hoy
    r"\b(?:me|nos|te|lo|la|los|las|les) (?:\w+ ){0,2}?desaloj",
    r"\bdesalojad[oa]s?\b",
    _with_now_es(r"\bdesalojo\b|\borden de (?:desalojo|desahucio)|\bdesahuci"),
    r"\b(?:me|nos) (?:echaron|van a echar|desalojaron|estan desalojando)",
    r"\b(?:me|nos|lo|la|los|las|les) (?:\w+ ){0,2}?(?:dej\w*|ech\w*|sac\w*|corr\w*) (?:a|en) la calle",
    r"\b(?:me|nos|lo|la|los|las|les) (?:\w+ ){0,2}?(?:echaron|echo|echan|echa|echando|echar|corrieron|corrio|corren|corriendo|correr|"
    r"sacaron|saco|sacan|saca|sacando|sacar)\b(?: \w+){0,2}? (?:de|del) (?:la |mi |su |nuestra |nuestro |el )?"
    r"(?:casa|depa|departamento|apartamento|cuarto|traila|trailer|vivienda|hogar|lugar|renta|edificio|motel|hotel|albergue|refugio)\b",
    r"^(?!.*\b(?:sangre|muelas?|dientes?|citas?|radiografias?|analisis|examen|copias?|fotos?|recetas?|medi ?cal|medical|programa|ecm|plan|seguro|trabajo|escuela)\b)"
    rf"(?=.*{_NOW_ES}).*\b(?:me|nos|lo|la|los|las|les) (?:\w+ ){{0,2}}?(?:echaron|echo|echan|echando|corrieron|corrio|corren|corriendo|sacaron|saco|sacan|sacando|"
    r"van a (?:echar|correr|sacar)|quieren (?:echar|correr|sacar))\b",
    _with_now_es(
        r"\b(?:tengo|tenemos|tiene|tienen) que (?:salir|salirme|salirnos|irme|irnos|desocupar|dejar|entregar)\b(?: \w+){0,2}? "
        r"(?:la |mi |el |nuestra |nuestro |su )?(?:casa|depa|departamento|apartamento|cuarto|traila|trailer|lugar|vivienda)\b"
    ),
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
