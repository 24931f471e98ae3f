"""Spanish and the other threshold languages through the running assistant."""

import pytest

pytestmark = pytest.mark.server


def texts(replies):
    return "\n".join(r.get("text", "") for r in replies)


def test_spanish_answer_in_spanish_with_lang(assistant):
    replies = assistant.say("es-faq", "cuanto cuesta el programa ECM?")
    assert "no le cuesta nada" in texts(replies)
    assert all(r.get("lang") == "es" for r in replies)


def test_one_ambiguous_word_does_not_flip_the_language(assistant):
    assistant.say("es-sticky", "hola, necesito ayuda con el programa")
    replies = assistant.say("es-sticky", "ok")
    assert all(r.get("lang") == "es" for r in replies)


def test_explicit_switch_both_ways(assistant):
    assert "español" in texts(assistant.say("switch", "español"))
    assert all(r.get("lang") == "es" for r in assistant.say("switch", "ok"))  # stays Spanish
    assert "English" in texts(assistant.say("switch", "english"))
    assert all(r.get("lang") == "en" for r in assistant.say("switch", "ok"))
    # writing in a language is enough to switch, too
    assert "no le cuesta nada" in texts(assistant.say("switch", "y cuanto cuesta eso?"))


def test_spanish_worksheet_and_handoff(assistant):
    say = lambda m: texts(assistant.say("es-ws", m))  # noqa: E731
    assert "Pregunta 1 de 5" in say("ayúdeme a prepararme para mi llamada")
    say("la doctora Ruiz")
    for _ in range(3):
        say("saltar")
    review = say("cuando empiezo?")
    assert "la doctora Ruiz" in review
    saved = say("sí")
    assert "ECM-" in saved and "800-675-6110" in saved


def test_spanish_crisis(assistant):
    reply = texts(assistant.say("es-crisis", "me quiero quitar la vida"))
    assert "988" in reply and "AYUDA" in reply and "911" in reply


@pytest.mark.parametrize(
    "message, fragment",
    [
        ("我需要帮助，我不会说英文", "如果您或您正在幫助的其他人需要語言服務"),  # Chinese
        ("도움이 필요합니다", "귀하 또는 귀하가 도와주고 있는 분이"),  # Korean
        ("kailangan ko po ng tulong sa wika", "Kung ikaw o ang taong tinutulungan mo"),  # Tagalog
        ("Мне нужна помощь", "Если вам или человеку"),  # Russian
        ("Ինձ օգնություն է պետք", "Եթե դուք կամ որևէ մեկը"),  # Armenian
        ("kuv xav tau kev pab txhais lus", "Yog hais tias koj"),  # Hmong
        (
            "tôi cần giúp đỡ về ngôn ngữ",
            "Nếu quý vị hoặc ai đó mà quý vị đang giúp đỡ",
        ),  # Vietnamese
        ("من به کمک نیاز دارم", "1-800-675-6110"),  # Farsi
        ("أحتاج إلى مساعدة", "1-800-675-6110"),  # Arabic
        ("ខ្ញុំត្រូវការជំនួយ", "1-800-675-6110"),  # Khmer
    ],
)
def test_other_threshold_languages_get_the_tagline(assistant, message, fragment):
    reply = texts(assistant.say(f"lang-{abs(hash(message)) % 10**6}", message))
    assert fragment in reply
    assert "For free help in your language, call Health Net at 1-800-675-6110 (TTY 711)" in reply
