"""The demo's families: what each answers, by question id, in its own language.

Invented families at real schools (the bundled DUO extract). Answers are choice keys,
as the bot stores them; a remark is written in the family's own language, as a parent
would write it. The phone numbers are made up and never called: nothing is sent.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

# One answer: a choice key, several keys (a multi question), typed text, or None to skip.
Answer = str | tuple[str, ...] | None
Answers = Mapping[str, Answer]

# The school whose digest the demo points to first: most families answered there.
FIRST_SCHOOL = "19OR00"


@dataclass(frozen=True, slots=True)
class Family:
    """A family that arrives by its school's link and answers for one or more children."""

    language: str
    school: str
    # For the first child, with the questions asked once per family.
    answers: Answers
    # For each further child at the same school (the family questions are not asked again).
    more_children: tuple[Answers, ...] = field(default=())


def child(
    grade: str,
    devices: tuple[str, ...],
    *,
    shared: str = "no",
    help_at_home: str = "yes",
    barriers: tuple[str, ...] = (),
    wanted: tuple[str, ...] = (),
    remark: str | None = None,
) -> dict[str, Answer]:
    """Return the answers about one child."""
    answers: dict[str, Answer] = {
        "grade": grade,
        "devices": devices,
        "device_shared": shared,
        "help_at_home": help_at_home,
        "help_wanted": wanted or None,
        "remarks": remark,
    }
    if help_at_home == "no":
        answers["help_barrier"] = barriers or ("other",)
    return answers


def home(internet: str, phone: str | None = None, *, call_soon: str = "no") -> dict[str, Answer]:
    """Return the answers about the family: internet and how the school reaches them."""
    if phone is None:
        return {"consent": "yes", "internet": internet, "contact": "chat"}
    return {
        "consent": "yes",
        "internet": internet,
        "contact": "phone",
        "phone": phone,
        "call_soon": call_soon,
    }


def family(language: str, school: str, home_answers: Answers, *children: Answers) -> Family:
    """Return a family with the answers for each of its children, first one first."""
    return Family(language, school, {**home_answers, **children[0]}, tuple(children[1:]))


NO_DEVICE = ("none",)
PHONE_ONLY = ("smartphone_only",)
TABLET = ("tablet",)
LAPTOP = ("computer",)
LANGUAGE = ("language",)

FAMILIES: tuple[Family, ...] = (
    # Kindcentrum De Werf, Arnhem: every language, the fullest digest.
    family(
        "ar", "19OR00", home("mobile_only", "06 12345601", call_soon="yes"),
        child("groep_5", NO_DEVICE, help_at_home="no", barriers=LANGUAGE,
              wanted=("device_loan", "own_language"),
              remark="ليس لدينا حاسوب في البيت، وابني يحتاج إليه للواجبات المدرسية."),
        child("groep_2", PHONE_ONLY, help_at_home="no", barriers=LANGUAGE),
    ),
    family(
        "tr", "19OR00", home("slow", "06 12345602"),
        child("groep_7", PHONE_ONLY, help_at_home="no", barriers=("language", "time"),
              wanted=("device_loan", "tutor"),
              remark="Kızımın ödev için bilgisayarı yok, telefonla yapmaya çalışıyor."),
    ),
    family(
        "pl", "19OR00", home("good"),
        child("groep_4", TABLET, shared="yes", help_at_home="no", barriers=("time",),
              wanted=("paper_packages",),
              remark="Pracujemy oboje na zmiany, wieczorem nie ma kto pomóc w lekcjach."),
    ),
    family(
        "uk", "19OR00", home("none", "06 12345604", call_soon="yes"),
        child("groep_6", NO_DEVICE, help_at_home="no", barriers=LANGUAGE,
              wanted=("device_loan", "internet_access", "own_language"),
              remark="Ми нещодавно приїхали з України, вдома немає інтернету."),
    ),
    family(
        "en", "19OR00", home("good"),
        child("groep_8", LAPTOP, shared="yes", wanted=("tutor",),
              remark="Three children share one laptop; homework time is a struggle."),
    ),
    family(
        "nl", "19OR00", home("good"),
        child("groep_3", ("computer", "tablet")),
    ),
    family(
        "ar", "19OR00", home("slow"),
        child("groep_1", TABLET, shared="yes", help_at_home="no", barriers=LANGUAGE,
              wanted=("own_language",)),
    ),
    family(
        "nl", "19OR00", home("mobile_only", "06 12345608"),
        child("groep_6", PHONE_ONLY, wanted=("device_loan", "internet_access"),
              remark="We hebben alleen mobiele data, en die is vaak halverwege de maand al op."),
    ),
    # De Arabesk, Arnhem.
    family(
        "ar", "27XC00", home("good", "06 12345611"),
        child("groep_4", TABLET, help_at_home="no", barriers=LANGUAGE,
              wanted=("own_language",), remark="أريد أن أتحدث مع المعلمة بمساعدة مترجم."),
    ),
    family(
        "tr", "27XC00", home("mobile_only"),
        child("groep_6", PHONE_ONLY, wanted=("device_loan",)),
        child("groep_3", NO_DEVICE),
    ),
    family(
        "nl", "27XC00", home("good"),
        child("groep_8", LAPTOP),
    ),
    family(
        "en", "27XC00", home("slow", "06 12345614", call_soon="yes"),
        child("groep_5", NO_DEVICE, help_at_home="no", barriers=("time",),
              wanted=("device_loan", "paper_packages"),
              remark="Our laptop broke last week and we cannot replace it right now."),
    ),
    # De Expeditie, Arnhem.
    family(
        "pl", "19WE00", home("slow"),
        child("groep_7", LAPTOP, shared="yes", help_at_home="no", barriers=LANGUAGE,
              wanted=("tutor",), remark="Syn potrzebuje pomocy z językiem niderlandzkim."),
    ),
    family(
        "uk", "19WE00", home("mobile_only", "06 12345622"),
        child("groep_2", PHONE_ONLY, help_at_home="no", barriers=LANGUAGE,
              wanted=("paper_packages", "own_language")),
    ),
    family(
        "nl", "19WE00", home("good"),
        child("groep_5", TABLET),
    ),
    # Islamitische Basisschool Ibn-I Sina, Arnhem.
    family(
        "ar", "24FE00", home("none", "06 12345631", call_soon="yes"),
        child("groep_3", NO_DEVICE, help_at_home="no", barriers=LANGUAGE,
              wanted=("device_loan", "internet_access"),
              remark="ليس عندنا إنترنت، ونحتاج إلى مساعدة عاجلة."),
    ),
    family(
        "tr", "24FE00", home("good"),
        child("groep_8", LAPTOP, wanted=("tutor",)),
    ),
    # Het Mozaiek, Arnhem.
    family(
        "en", "19US00", home("good"),
        child("groep_1", TABLET, shared="yes"),
    ),
    family(
        "uk", "19US00", home("slow"),
        child("groep_4", PHONE_ONLY, help_at_home="no", barriers=LANGUAGE,
              wanted=("device_loan",), remark="Донька вчиться з телефона, їй важко."),
    ),
    # kindercampus TrioMundo, Zwolle.
    family(
        "pl", "26AA00", home("mobile_only", "06 12345651", call_soon="yes"),
        child("groep_6", NO_DEVICE, help_at_home="no", barriers=("language", "time"),
              wanted=("device_loan", "own_language"),
              remark="Nie mamy komputera, a syn ma dużo zadań domowych."),
    ),
    family(
        "uk", "26AA00", home("good"),
        child("groep_7", LAPTOP, help_at_home="no", barriers=LANGUAGE,
              wanted=("tutor", "own_language")),
    ),
    family(
        "nl", "26AA00", home("slow"),
        child("groep_2", TABLET, shared="yes", wanted=("paper_packages",)),
    ),
    family(
        "ar", "26AA00", home("good"),
        child("groep_5", ("computer", "tablet"), help_at_home="no", barriers=LANGUAGE),
    ),
    # Al Amana Zwolle.
    family(
        "ar", "30XB00", home("slow", "06 12345661"),
        child("groep_8", PHONE_ONLY, help_at_home="no", barriers=LANGUAGE,
              wanted=("device_loan", "tutor"),
              remark="ابنتي في المجموعة الثامنة وتحتاج إلى حاسوب للاختبارات."),
    ),
    family(
        "tr", "30XB00", home("mobile_only"),
        child("groep_4", TABLET, shared="yes", help_at_home="no", barriers=("time",)),
    ),
    # Openbare Parkschool, Zwolle.
    family(
        "en", "16CF00", home("none"),
        child("groep_3", NO_DEVICE, wanted=("device_loan", "internet_access")),
    ),
    family(
        "nl", "16CF00", home("good"),
        child("groep_7", LAPTOP, help_at_home="no", barriers=("time",), wanted=("tutor",)),
    ),
    # De Aquarel, Zwolle.
    family(
        "tr", "13YV00", home("slow", "06 12345681"),
        child("groep_5", PHONE_ONLY, help_at_home="no", barriers=LANGUAGE,
              wanted=("own_language",), remark="Öğretmenle Türkçe konuşabilir miyiz?"),
    ),
    family(
        "pl", "13YV00", home("good"),
        child("groep_1", TABLET),
    ),
    # Florens Radewynsschool, Zwolle.
    family(
        "uk", "15YR01", home("mobile_only", "06 12345691", call_soon="yes"),
        child("groep_6", NO_DEVICE, help_at_home="no", barriers=LANGUAGE,
              wanted=("device_loan", "paper_packages")),
    ),
    family(
        "nl", "15YR01", home("good"),
        child("groep_8", ("computer", "tablet")),
    ),
)  # fmt: skip
