"""The engine's own texts, in Dutch; the catalogs in locales/ translate them.

They are marked with N_ so that Babel extracts them; the engine translates them
through the Localizer it is given, never through a process-wide gettext.
"""

from __future__ import annotations


def N_(message: str) -> str:  # noqa: N802 - gettext's conventional marker name
    """Mark a text for extraction without translating it here."""
    return message


def N_plural(singular: str, plural: str) -> tuple[str, str]:  # noqa: N802
    """Mark a text with a plural form for extraction without translating it here."""
    return singular, plural


# TRANSLATORS: button that accepts the consent question
CONSENT_ACCEPT = N_("Ja, ik doe mee")
# TRANSLATORS: button that declines the consent question
CONSENT_DECLINE = N_("Nee, liever niet")
# TRANSLATORS: shown after declining when the flow gives no text of its own
DECLINED_DEFAULT = N_("Dat is goed. Wij hebben niets bewaard.")
YES = N_("Ja")
NO = N_("Nee")
# TRANSLATORS: button that skips an optional question
SKIP = N_("Overslaan")
# TRANSLATORS: button that finishes a question where several answers can be chosen
DONE = N_("Klaar")
# TRANSLATORS: button on the summary that sends the answers
CONFIRM = N_("Alles klopt, versturen")
# TRANSLATORS: button on the summary; %(question)s is the short name of a question
CHANGE = N_("Verander: %(question)s")
# TRANSLATORS: school search; the parent's school is not among the matches
SCHOOL_NOT_LISTED = N_("Mijn school staat er niet bij")
# TRANSLATORS: a school offered in the search; %(name)s is its name, %(town)s its town
SCHOOL_OPTION = N_("%(name)s, %(town)s")
# TRANSLATORS: progress above a question, e.g. "Vraag 3 van 9"
PROGRESS = N_("Vraag %(current)s van %(total)s")

# How to answer, shown under a question.
HINT_CHOICE = N_("Tik op een antwoord.")
HINT_MULTI = N_("Tik op de antwoorden die u kiest. Tik daarna op Klaar.")
HINT_NUMBER = N_("Typ een getal van %(min)s tot %(max)s.")
HINT_NUMBER_OPEN = N_("Typ een getal.")
HINT_TEXT = N_("Typ uw antwoord.")
HINT_PHONE = N_("Typ uw telefoonnummer, bijvoorbeeld 06 12345678.")
HINT_SCHOOL = N_("Typ de naam van de school of de plaats.")
HINT_SCHOOL_MATCHES = N_("Tik op uw school. Staat die er niet bij? Typ dan een andere naam.")

# Why an answer was not accepted; the question is asked again after it.
REJECT_CHOOSE = N_("Tik op een van de knoppen, of typ het nummer van een antwoord.")
REJECT_AT_LEAST = N_plural(
    "Kies minstens %(min)s antwoord. Tik daarna op Klaar.",
    "Kies minstens %(min)s antwoorden. Tik daarna op Klaar.",
)
REJECT_AT_MOST = N_plural(
    "Kies niet meer dan %(max)s antwoord.", "Kies niet meer dan %(max)s antwoorden."
)
REJECT_NUMBER = N_("Typ alleen een getal, met cijfers.")
REJECT_NUMBER_RANGE = N_("Typ een getal van %(min)s tot %(max)s.")
REJECT_NUMBER_MIN = N_("Typ een getal van %(min)s of hoger.")
REJECT_NUMBER_MAX = N_("Typ een getal van %(max)s of lager.")
REJECT_TEXT_EMPTY = N_("Typ een antwoord.")
REJECT_TEXT_LONG = N_("Uw tekst is te lang. Gebruik niet meer dan %(max)s tekens.")
REJECT_PHONE = N_("Dit telefoonnummer klopt niet. Typ het zo: 06 12345678.")
REJECT_SCHOOL_NONE_FOUND = N_(
    "Wij vinden geen school met die naam. Typ een andere naam of de plaats."
)
REJECT_NOT_OPTIONAL = N_("Deze vraag kunt u niet overslaan.")
REJECT_FIRST_QUESTION = N_("Dit is de eerste vraag.")

# How answers read in the summary.
SUMMARY_SKIPPED = N_("(overgeslagen)")
# TRANSLATORS: a free-text answer given as a voice note, in the summary, /status and for staff
VOICE_ANSWER = N_("spraakbericht")
# TRANSLATORS: summary line; %(question)s is the short name of a question, %(answer)s the answer
SUMMARY_LINE = N_("%(question)s: %(answer)s")
# TRANSLATORS: summary; the school was not found, %(query)s is what the parent typed
SUMMARY_SCHOOL_NOT_LISTED = N_("staat niet in de lijst (%(query)s)")
