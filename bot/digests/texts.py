"""The digest's own texts, in Dutch; a school with another digest language reads the catalog's."""

from __future__ import annotations

from bot.engine.texts import N_, N_plural

# TRANSLATORS: digest for school staff; %(school)s is the school's name and town
TITLE = N_("Ouderbrug: gezinnen van %(school)s")
# TRANSLATORS: digest; %(new)s and %(open)s are numbers of families
COUNTS = N_plural(
    "Nieuw: %(new)s gezin. Nog open: %(open)s.", "Nieuw: %(new)s gezinnen. Nog open: %(open)s."
)
# TRANSLATORS: digest split over several Telegram messages
PART = N_("(deel %(part)s van %(parts)s)")
NOTHING = N_("Geen nieuwe gezinnen sinds het vorige overzicht.")
SECTION_URGENT = N_("Dringend: wil snel gebeld worden")
SECTION_BASICS = N_("Geen apparaat of geen internet")
SECTION_OTHER = N_("Overige gezinnen")
# TRANSLATORS: digest heading; families the school has not marked as helped yet
SECTION_STILL_OPEN = N_("Nog open van eerdere overzichten")
# TRANSLATORS: digest; %(number)s numbers the families, %(grade)s is e.g. "Groep 6"
FAMILY = N_("Gezin %(number)s · %(grade)s")
# TRANSLATORS: digest; after a family's heading when it changed its answers since the last digest
UPDATED = N_("bijgewerkt")
# TRANSLATORS: digest; %(updated)s is how many families changed their answers
UPDATED_COUNT = N_("Bijgewerkt: %(updated)s")
# TRANSLATORS: digest line; %(changes)s lists "question: before → now"
CHANGES = N_("Veranderd: %(changes)s")
# TRANSLATORS: digest line; %(flow)s is the title of the questionnaire the family answered
FLOW = N_("Vragenlijst: %(flow)s")
GRADE_UNKNOWN = N_("groep onbekend")
NEED_URGENT = N_("wil deze week gebeld worden")
NEED_NO_DEVICE = N_("geen apparaat")
NEED_NO_INTERNET = N_("geen internet")
NEED_NO_HELP = N_("geen hulp thuis")
# TRANSLATORS: digest; the school should bring an interpreter when it calls the family
NEED_INTERPRETER = N_("tolk nodig")
# TRANSLATORS: digest line; %(needs)s lists what the family needs
NEEDS = N_("Nodig: %(needs)s")
# TRANSLATORS: digest line; the parent's language, so the school can bring an interpreter
LANGUAGE = N_("Taal van de ouder: %(language)s")
# TRANSLATORS: digest line; how the school reaches the parent
CONTACT = N_("Contact: %(how)s")
# TRANSLATORS: digest; the school writes to the parent through the bot, which hides both
# sides' Telegram accounts
CONTACT_CHAT = N_("via Ouderbrug in Telegram")
# TRANSLATORS: digest line; %(when)s is a date and time
ANSWERED = N_("Beantwoord: %(when)s")
# TRANSLATORS: digest line under a parent's own words, in the digest's language
TRANSLATION = N_("Vertaling: %(text)s")
# TRANSLATORS: digest; shown after a parent's own words when no translation exists
NOT_TRANSLATED = N_("(niet vertaald)")
# TRANSLATORS: digest line; %(when)s is a date and time
STATUS_CONTACTED = N_("Status: contact gehad op %(when)s")
STATUS_OPEN = N_("Status: nog geen contact")
# TRANSLATORS: button under a digest; %(number)s is the family's number in it
BUTTON_CONTACTED = N_("%(number)s: contact gehad")
# TRANSLATORS: button under a digest; %(number)s is the family's number in it
BUTTON_HELPED = N_("%(number)s: geholpen")
# TRANSLATORS: button under a digest, to write to the family; %(number)s is the family's
# number in it
BUTTON_WRITE = N_("%(number)s: bericht")
# TRANSLATORS: digest line on the conversation with the family; %(when)s is a date and
# time, %(who)s the staff member's chosen name or "het gezin"
CONVERSATION_LAST = N_("Gesprek: laatste bericht %(when)s, van %(who)s")
# TRANSLATORS: who wrote the last message of a conversation, in a digest line
CONVERSATION_FAMILY = N_("het gezin")
# TRANSLATORS: digest line; the family's last message has waited two days or more
CONVERSATION_WAITING = N_("Gesprek: het gezin wacht sinds %(when)s op antwoord")
# TRANSLATORS: digest line; the school's last message has had no answer for two days or more
CONVERSATION_UNANSWERED = N_("Gesprek: geen antwoord van het gezin sinds %(when)s")
# TRANSLATORS: digest line; the school's message reached the family untranslated
CONVERSATION_INTERPRETER = N_("niet vertaald: tolk nodig")
# TRANSLATORS: digest line; the school's message did not reach the family
CONVERSATION_BLOCKED = N_("Gesprek: het gezin heeft de bot geblokkeerd")
# TRANSLATORS: e-mail subject; %(school)s is the school, %(date)s the day
MAIL_SUBJECT = N_("Ouderbrug-overzicht %(school)s, %(date)s")
MAIL_ATTACHMENT = N_(
    "Alle gezinnen staan ook in de bijlage (CSV, te openen in Excel). Zet wie u hebt "
    "gesproken of geholpen op 'contact gehad' of 'geholpen' met de knoppen in Telegram."
)
# TRANSLATORS: first line of an alert to school staff, sent at once
URGENT_ALERT = N_("Dringend: een ouder wil deze week gebeld worden.")
# TRANSLATORS: e-mail subject of an urgent alert; %(school)s is the school
URGENT_SUBJECT = N_("Dringend: ouder wil gebeld worden (%(school)s)")
# TRANSLATORS: CSV column headings of the digest attachment
CSV_FAMILY = N_("gezin")
CSV_SECTION = N_("groep in overzicht")
CSV_GRADE = N_("groep of klas")
CSV_LANGUAGE = N_("taal")
CSV_CONTACT = N_("contact")
CSV_ANSWERED = N_("beantwoord")
CSV_STATUS = N_("status")
CSV_FLOW = N_("vragenlijst")
CSV_CHANGES = N_("veranderd")
# TRANSLATORS: digest, under the families; %(question)s is the free-text question answered by voice
VOICE_NOTE = N_("Gezin %(number)s heeft een spraakbericht ingesproken bij «%(question)s».")
# TRANSLATORS: button under that line; the bot then sends the voice note to this chat
BUTTON_PLAY = N_("▶ Spraakbericht afspelen")
# TRANSLATORS: pop-up when a voice note cannot be played (erased, or not of this school)
VOICE_GONE = N_("Dit spraakbericht is er niet (meer).")
