"""What families and staff read around a school's message to many, in Dutch; locales/
translates it."""

from __future__ import annotations

from bot.engine.texts import N_, N_plural

# TRANSLATORS: above a school's message to all its families, in the family's language;
# %(school)s is the school's name
FROM_SCHOOL = N_("Bericht van %(school)s:")
# TRANSLATORS: above a school's message that a computer on our own server translated
# from Dutch; %(school)s is the school's name
FROM_SCHOOL_TRANSLATED = N_(
    "Bericht van %(school)s (automatisch vertaald uit het Nederlands, kan fouten bevatten):"
)
# TRANSLATORS: above a school's message that could not be translated into this language;
# %(school)s is the school's name
FROM_SCHOOL_UNTRANSLATED = N_(
    "Bericht van %(school)s. De school schrijft in het Nederlands; wij konden het nog niet "
    "vertalen. Vraag iemand om hulp of neem contact op met de school."
)

# TRANSLATORS: staff, after /bericht: they type the message for all families next
ASK_TEXT = N_(
    "Typ het bericht voor alle gezinnen van %(school)s. Elk gezin krijgt het in zijn eigen "
    "taal. U ziet het eerst nog, voordat het verstuurd wordt."
)
# TRANSLATORS: staff, above their message, before they confirm sending it
CONFIRM = N_plural(
    "Dit bericht gaat naar %(count)s gezin van %(school)s:",
    "Dit bericht gaat naar %(count)s gezinnen van %(school)s:",
)
# TRANSLATORS: button under the message above
SEND_BUTTON = N_("Versturen")
# TRANSLATORS: button under the message above
CANCEL_BUTTON = N_("Niet versturen")
# TRANSLATORS: staff, after they pressed "Versturen"
SENDING = N_plural(
    "Het bericht wordt verstuurd aan %(count)s gezin.",
    "Het bericht wordt verstuurd aan %(count)s gezinnen.",
)
# TRANSLATORS: staff, once their message to all families went out; the counts are numbers
SUMMARY = N_(
    "Uw bericht aan de gezinnen van %(school)s is verstuurd. Afgeleverd: %(delivered)s. "
    "Bot geblokkeerd: %(blocked)s. Niet vertaald (geen vertaling voor hun taal): "
    "%(untranslated)s."
)
# TRANSLATORS: staff, after "Niet versturen"
CANCELLED = N_("Het bericht is niet verstuurd.")
# TRANSLATORS: staff, /bericht or their text when the school has no families yet
NO_FAMILIES = N_("%(school)s heeft nog geen gezinnen die de vragen hebben ingevuld.")
# TRANSLATORS: staff, /bericht KEY with a key that is not a need; %(needs)s lists the keys,
# which stay as they are (they are typed like that)
UNKNOWN_NEED = N_(
    "%(need)s is geen behoefte die de vragen kennen. Kies uit: %(needs)s. Of typ alleen "
    "/bericht voor alle gezinnen."
)
# TRANSLATORS: a press on a send button that is not this staff member's, or no longer valid
NOT_YOURS = N_("Dit bericht kunt u niet (meer) versturen.")
