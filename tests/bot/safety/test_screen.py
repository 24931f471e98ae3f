"""The safety screen: no misses on what must be caught; a few known false alarms are fine."""

import pytest
import yaml

from bot import safety
from bot.settings import ROOT


@pytest.mark.parametrize(
    "text, kind",
    [
        # plain and SMS-style crisis wording, for oneself and for a relative
        ("I want to kill myself", safety.CRISIS),
        ("i wanna die", safety.CRISIS),
        ("thinkin bout suicide again", safety.CRISIS),
        ("my son keeps saying he wants to end his life", safety.CRISIS),
        ("I don't want to be alive anymore", safety.CRISIS),
        ("everyone would be better off without me", safety.CRISIS),
        ("Quiero morir", safety.CRISIS),
        ("ya no quiero vivir", safety.CRISIS),
        ("mi hija se quiere matar", safety.CRISIS),
        # danger now
        ("he is not breathing!!", safety.EMERGENCY),
        ("my chest hurts and my left arm is numb", safety.EMERGENCY),
        ("someone is hitting me right now", safety.EMERGENCY),
        ("she took too many pills", safety.EMERGENCY),
        ("call 911", safety.EMERGENCY),
        ("mi esposo no puede respirar", safety.EMERGENCY),
        ("tengo dolor de pecho muy fuerte", safety.EMERGENCY),
        # no food or shelter now
        ("we have no food tonight", safety.URGENT_NEED),
        ("i got evicted today where do i go", safety.URGENT_NEED),
        ("sleeping in my car tonight", safety.URGENT_NEED),
        ("no tengo donde dormir esta noche", safety.URGENT_NEED),
        # crisis outranks emergency: the crisis reply gives 988 and 911
        ("i took pills because i want to die", safety.CRISIS),
    ],
)
def test_caught(text, kind):
    assert safety.screen(text) == kind


@pytest.mark.parametrize(
    "text",
    [
        "how do I stop ECM",  # "stop" is not a crisis word
        "does it cost money",
        "this wait is killing me lol",
        "can they help me after i leave the hospital",
        "what is the emergency number? just curious",
        "/ask_cost",  # a button payload is never screened
        "",
    ],
)
def test_not_caught(text):
    assert safety.screen(text) is None


@pytest.mark.parametrize(
    "text, kind",
    [
        # crisis: verb families, texting spellings (kiero, qiero, bivir, aser), me/se/te
        ("me quiero quitar la vida", safety.CRISIS),
        ("me kiero kitar la bida", safety.CRISIS),
        ("ya no qiero vivir", safety.CRISIS),
        ("ya no kiero bivir", safety.CRISIS),
        ("no quiero estar viva", safety.CRISIS),
        ("me voy a matar", safety.CRISIS),
        ("si no me ayudan me mato", safety.CRISIS),
        ("kiero aserme daño", safety.CRISIS),
        ("quiero lastimarme", safety.CRISIS),
        ("tengo ganas de morirme", safety.CRISIS),
        ("he pensado en suicidarme", safety.CRISIS),
        ("me volví a cortar", safety.CRISIS),
        ("me estoy cortando otra vez", safety.CRISIS),
        ("me corté las venas", safety.CRISIS),
        ("me voy a aventar de un puente", safety.CRISIS),
        ("ojalá me muriera", safety.CRISIS),
        ("quisiera dormirme y no despertar nunca", safety.CRISIS),
        ("estoy harta de vivir", safety.CRISIS),
        ("ya no le veo sentido a la vida", safety.CRISIS),
        ("nadie me extrañaría", safety.CRISIS),
        ("quiero desaparecer", safety.CRISIS),
        ("te quieres matar?", safety.CRISIS),
        # ... and for a relative
        ("mi esposo se quiere quitar la vida", safety.CRISIS),
        ("mi hijo se kiere matar", safety.CRISIS),
        ("mi novia dice que se quiere morir", safety.CRISIS),
        ("mi mamá dice que se va a matar", safety.CRISIS),
        ("mi esposo quiere suicidarse", safety.CRISIS),
        ("mi hija se ha estado cortando", safety.CRISIS),
        ("mi papá está hablando de hacerse daño", safety.CRISIS),
        ("mi abuelo ya no quiere vivir", safety.CRISIS),
        # emergency: someone else's threat is an emergency, not a crisis
        ("mi esposo quiere matarme", safety.EMERGENCY),
        ("alguien está tratando de lastimarme", safety.EMERGENCY),
        ("mi pareja me dijo que me va a matar", safety.EMERGENCY),
        ("me apuñaló mi novio", safety.EMERGENCY),
        ("me dispararon", safety.EMERGENCY),
        ("hay alguien con un cuchillo", safety.EMERGENCY),
        ("se metieron a mi casa", safety.EMERGENCY),
        # emergency: body in danger now
        ("mi mamá no está respirando", safety.EMERGENCY),
        ("mi bebé se está ahogando", safety.EMERGENCY),
        ("no lo podemos despertar", safety.EMERGENCY),
        ("le está dando un infarto", safety.EMERGENCY),
        ("creo que le dio un derrame a mi abuela", safety.EMERGENCY),
        ("mi hija está convulsionando", safety.EMERGENCY),
        ("mi hijo convulsiona y no para", safety.EMERGENCY),
        ("me corté la mano y no para de sangrar", safety.EMERGENCY),
        ("mi hermano se tomó un frasco de pastillas", safety.EMERGENCY),
        ("mi hijo se tomó cloro", safety.EMERGENCY),
        ("se desmayó mi abuela", safety.EMERGENCY),
        ("mi tío se está poniendo azul", safety.EMERGENCY),
        ("una abeja me picó y se me está hinchando la garganta", safety.EMERGENCY),
        ("me duele el pecho bien feo", safety.EMERGENCY),
        ("marquen al 911", safety.EMERGENCY),
        ("emergensia", safety.EMERGENCY),
        ("auxilio", safety.EMERGENCY),
        # urgent need: no food, nowhere to sleep, put out today
        ("no tenemos ni para comer", safety.URGENT_NEED),
        ("mis niños tienen hambre", safety.URGENT_NEED),
        ("llevo dos días sin comer", safety.URGENT_NEED),
        ("ocupo despensa hoy", safety.URGENT_NEED),
        ("no tengo donde quedarme", safety.URGENT_NEED),
        ("no tenemos a donde ir", safety.URGENT_NEED),
        ("mi casero me corrió de la casa", safety.URGENT_NEED),
        ("el casero nos sacó hoy", safety.URGENT_NEED),
        ("nos van a echar a la calle", safety.URGENT_NEED),
        ("estamos durmiendo en el carro", safety.URGENT_NEED),
        ("tenemos que desocupar la casa hoy", safety.URGENT_NEED),
        ("me muero de hambre", safety.URGENT_NEED),
        # "de emergencia" after a shelter is a need for shelter, not an emergency
        ("necesito refugio de emergencia ya", safety.URGENT_NEED),
        ("¿hay un albergue de emergencia para esta noche?", safety.URGENT_NEED),
    ],
)
def test_caught_spanish(text, kind):
    assert safety.screen(text) == kind


@pytest.mark.parametrize(
    "text",
    [
        # talking about a condition or a past event is not an emergency now
        "le pueden enseñar a mi hijo sobre sus convulsiones",
        "mi hijo tiene convulsiones, ¿lo cubren?",
        "tiene convulsiones desde hace años",
        "mi papá tuvo un derrame hace dos años, ¿califica?",
        "mi hijo tuvo una sobredosis el año pasado, ¿hay ayuda?",
        "mi mamá estuvo en el hospital el año pasado",
        "me operaron del corazón el año pasado",
        "¿es para personas que van mucho a la sala de emergencias?",
        "¿a quién llamo en caso de emergencia?",
        "cual es el numero de emergencia",
        # leaving the program, costs, services
        "como dejo el ecm",
        "ya no quiero estar en el ecm",
        "me quiero salir del programa",
        "cuanto cuesta",
        "tienen ayuda con comida",
        "hay programas de comida para personas mayores",
        "me ayudan con comida para diabéticos",
        "necesito ayuda con vivienda",
        "me pueden ayudar a encontrar un albergue para mi hermano",
        "llevo tiempo sin casa me ayudan a conseguir vivienda",
        "tengo diabetes y no tengo casa califico",
        "es para personas que viven en la calle",
        # "cortar", "sacar", "matar", "morir" in ordinary senses
        "me cortaron el medical",
        "me van a cortar los beneficios",
        "quiero cortarme el pelo",
        "me sacaron del medi-cal y ahora q hago",
        "me van a sacar sangre hoy",
        "me pueden ayudar a sacar una cita hoy",
        "esta espera me está matando",
        "me muero de risa",
        "me estan amenazando con quitarme el medi-cal",
        "mi administradora me está siguiendo el caso",
        "mi administradora no responde mis llamadas",
        "mi hijo se lastimó jugando futbol",
        "mi mamá se puede lastimar si se baña sola",
        # health questions
        "cuantas pastillas de ibuprofeno le doy a mi hijo",
        "mi azúcar salió un poco alta hoy, ¿me tomo más medicina?",
        "puedo tomar melatonina para dormir hoy",
        "me duele la cabeza",
        "hoy no puedo",
        "buenas noches",
    ],
)
def test_not_caught_spanish(text):
    assert safety.screen(text) is None


NLU = ROOT / "data" / "nlu"


def _examples(path):
    for item in yaml.safe_load(path.read_text())["nlu"]:
        for line in item.get("examples", "").splitlines():
            text = line.strip()[2:]
            if text:
                yield item["intent"], text


def test_every_safety_training_example_is_caught():
    for intent, text in _examples(NLU / "safety.yml"):
        assert safety.screen(text) == intent, text


def test_every_spanish_safety_training_example_is_caught():
    missed = [
        (intent, text, safety.screen(text))
        for intent, text in _examples(NLU / "es" / "safety.yml")
        if safety.screen(text) != intent
    ]
    assert not missed


# The files written for issue 14 in members' own words (and their look-alikes) hold
# messages about a past overdose, a car to sleep in, a heart attack last year: the
# pattern screen still alarms on some of them (the safety model does not decide
# alone). Measured 2026-12-03; lower it as the patterns learn past tense and negation.
KNOWN_ALARMS_ON_MEMBER_WORDS = 108
ISSUE_14_FILES = ("_members", "safety_more", "help", "out_of_scope")


def _flagged(paths):
    return [
        (path.name, intent, text, safety.screen(text))
        for path in paths
        for intent, text in _examples(path)
        if intent not in safety.KINDS and safety.screen(text)
    ]


def _non_safety_files():
    paths = [
        p
        for p in sorted(NLU.glob("*.yml")) + sorted((NLU / "es").glob("*.yml"))
        if p.name != "safety.yml"
    ]
    assert paths
    return paths


def test_no_other_training_example_is_flagged():
    original = [p for p in _non_safety_files() if not any(k in p.stem for k in ISSUE_14_FILES)]
    assert not _flagged(original)


def test_alarms_on_members_own_words_do_not_grow():
    written = [p for p in _non_safety_files() if any(k in p.stem for k in ISSUE_14_FILES)]
    flagged = _flagged(written)
    assert len(flagged) <= KNOWN_ALARMS_ON_MEMBER_WORDS, (
        f"{len(flagged)} ordinary training messages now alarm the pattern screen "
        f"(was {KNOWN_ALARMS_ON_MEMBER_WORDS}): a new pattern is too wide"
    )


def test_normalize_folds_accents_case_and_repeats():
    assert safety.normalize("Quiero MORIR!!!") == " quiero morir "
    assert safety.normalize("heeeelp") == " heelp "
