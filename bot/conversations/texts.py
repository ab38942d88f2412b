"""What the conversation says: to staff in Dutch (as the staff chat is), to parents through
the catalogs in locales/."""

from __future__ import annotations

from bot.engine.texts import N_

# Staff read Dutch, as the rest of their chat.
ASK_NAME = (
    "Met welke naam ziet een gezin uw berichten? Typ die naam, bijvoorbeeld \u201cjuf Anja\u201d "
    "of \u201cmeester Ali (groep 5)\u201d. Uw Telegram-account ziet het gezin nooit."
)
NAME_KEPT = "Dank u. Gezinnen zien uw berichten onder de naam \u201c{name}\u201d."
NAME_TOO_LONG = "Die naam is te lang. Typ een naam van hoogstens {limit} tekens."
WRITE_NOW = (
    "Typ nu uw bericht aan gezin #{number}, in het {language}. Het gezin leest het in het "
    "{family_language}, vertaald op deze computer."
)
NAME_FIRST = "Eerst uw naam, dan het bericht."
NOT_YOURS = "Dit gezin is niet (meer) te vinden bij uw school. Er is niets verstuurd."
GONE = "Dit gezin staat niet meer in Ouderbrug: de gegevens zijn gewist. Er is niets verstuurd."
ON_ITS_WAY = "Uw bericht aan gezin #{number} wordt vertaald en verstuurd."
DELIVERED = "Afgeleverd bij gezin #{number}."
UNTRANSLATED = "Afgeleverd bij gezin #{number}, niet vertaald: tolk nodig."
BLOCKED = "Niet afgeleverd: gezin #{number} heeft de bot geblokkeerd."
FAILED = "Niet afgeleverd aan gezin #{number}: Telegram weigerde het bericht."
TEXT_ONLY = "Stuur een gezin alleen tekst; foto's en bestanden gaan niet via Ouderbrug."
FROM_FAMILY = "Gezin #{number} (taal: {language}) antwoordt:"
FROM_FAMILY_MEDIA = "Gezin #{number} (taal: {language}) stuurt dit:"
TRANSLATED = "Vertaling: {text}"
ORIGINAL = "Origineel: \u00ab{text}\u00bb"
NOT_TRANSLATED = "niet vertaald: tolk nodig"
WRITE_BUTTON = "Bericht aan gezin #{number}"
# How long a pressed "write" waits for the text; later, a text is not taken as the message.
WRITING_MINUTES = 30
NAME_LIMIT = 60

# TRANSLATORS: above a school's message to a parent; %(school)s and %(name)s are the
# school and the staff member's chosen name
FROM_SCHOOL = N_("Bericht van %(school)s (%(name)s), automatisch vertaald:")
# TRANSLATORS: above a school's message written in the parent's own language
FROM_SCHOOL_PLAIN = N_("Bericht van %(school)s (%(name)s):")
# TRANSLATORS: above a school's message that could not be translated into the parent's language
FROM_SCHOOL_DUTCH = N_(
    "Bericht van %(school)s (%(name)s). De school schrijft in het Nederlands; wij konden "
    "het niet vertalen:"
)
# TRANSLATORS: button under a school's translated message
SHOW_ORIGINAL = N_("Origineel tonen")
# TRANSLATORS: button under a school's message
ANSWER_SCHOOL = N_("Antwoord aan school")
# TRANSLATORS: the original of a school's message, shown after the parent asked for it
ORIGINAL_TEXT = N_("Origineel:\n%(text)s")
# TRANSLATORS: after the parent pressed "Antwoord aan school"
TYPE_ANSWER = N_("Typ uw antwoord aan %(school)s. U mag in uw eigen taal schrijven.")
# TRANSLATORS: after the parent's message went to the school
SENT_TO_SCHOOL = N_("Uw bericht is naar %(school)s gestuurd.")
# TRANSLATORS: a button of an old or erased message of the school
MESSAGE_GONE = N_("Dit bericht is er niet meer.")
