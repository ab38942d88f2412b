"""The texts the bot says around a flow, in Dutch; the catalogs in locales/ translate them."""

from __future__ import annotations

from bot.engine.texts import N_

# TRANSLATORS: language picker; shown in every language at once, one line each
PICK_LANGUAGE = N_("Kies uw taal.")
HELP = N_(
    "Ik stel u vragen over leren thuis, voor de school van uw kind. Boven elke vraag ziet u "
    "hoeveel vragen er zijn. Tik op een knop of typ uw antwoord.\n"
    "/back – vorige vraag\n"
    "/restart – opnieuw beginnen\n"
    "/language – andere taal\n"
    "/status – wat wij van u bewaren\n"
    "/stop – geen herinneringen meer\n"
    "/voice – vragen voorlezen\n"
    "/delete – alles wissen"
)

# TRANSLATORS: descriptions in Telegram's command menu; keep them very short
COMMAND_START = N_("Beginnen of verder gaan")
COMMAND_LANGUAGE = N_("Taal kiezen")
COMMAND_BACK = N_("Vorige vraag")
COMMAND_RESTART = N_("Opnieuw beginnen")
COMMAND_HELP = N_("Hulp")
COMMAND_STATUS = N_("Wat wij van u bewaren")
COMMAND_DELETE = N_("Alles wissen")
COMMAND_STOP = N_("Geen herinneringen")

# TRANSLATORS: the one reminder to a parent who started the questions but did not finish
REMINDER = N_(
    "U bent nog niet klaar met de vragen voor de school van uw kind. Uw antwoorden tot nu "
    "toe zijn bewaard. Typ /start om verder te gaan. Wilt u geen herinnering meer? Typ /stop."
)
# TRANSLATORS: answer to /stop
REMINDERS_OFF = N_(
    "U krijgt geen herinneringen meer van ons. Typ /start als u toch verder wilt gaan."
)

STATUS_NOTHING = N_("Wij bewaren niets van u.")
# TRANSLATORS: /status; %(current)s and %(total)s are question numbers
STATUS_IN_PROGRESS = N_(
    "U bent bezig met de vragen: vraag %(current)s van %(total)s. Uw antwoorden tot nu toe "
    "zijn bewaard."
)
# TRANSLATORS: /status, one line per child; %(school)s is the school, %(date)s when it was sent
STATUS_RESPONSE = N_("Kind %(number)s: %(school)s, verstuurd op %(date)s.")
STATUS_NEXT = N_(
    "Alleen het team van de school van uw kind en onze coördinatoren zien uw antwoorden. "
    "De school neemt contact met u op. Typ /delete om alles te wissen."
)
# TRANSLATORS: /status; the parent's school was not in the list
STATUS_SCHOOL_UNKNOWN = N_("school nog niet gevonden")
# TRANSLATORS: /status; the messages between the school and the parent are stored too
STATUS_CONVERSATION = N_(
    "Berichten met %(school)s: bewaard, het laatste van %(date)s. /delete wist ze ook."
)

# TRANSLATORS: /delete; messages the school already received cannot be taken back
DELETE_CONFIRM = N_(
    "Wilt u alles wissen wat wij over u bewaren? Dat kan niet ongedaan worden gemaakt. "
    "Wat de school al van ons heeft ontvangen, blijft bij de school."
)
DELETE_YES = N_("Ja, wis alles")
DELETE_NO = N_("Nee, niet wissen")
DELETED = N_(
    "Alles is gewist. Wij bewaren niets meer van u. Wat de school al van ons heeft "
    "ontvangen, blijft bij de school. Typ /start als u opnieuw wilt beginnen."
)
DELETE_CANCELLED = N_("Er is niets gewist.")
# TRANSLATORS: a delete button pressed long after it was shown
DELETE_EXPIRED = N_("Deze knop is verlopen. Typ /delete opnieuw.")

UNSUPPORTED = N_("Ik kan alleen tekst en knoppen lezen. Tik op een knop of typ uw antwoord.")
EDITED = N_("Een veranderd bericht kan ik niet lezen. Typ /back om een antwoord te veranderen.")
# TRANSLATORS: short pop-up when a button of an earlier question is pressed
STALE_BUTTON = N_("Deze vraag is al beantwoord.")
NOT_OWN_CONTACT = N_("Deel alleen uw eigen telefoonnummer, of typ het.")
# TRANSLATORS: the parent shared a contact card at a question that does not ask for a phone number
CONTACT_NOT_ASKED = N_(
    "Uw telefoonnummer vraag ik hier niet. Typ uw antwoord op deze vraag, of tik op een knop."
)
# TRANSLATORS: button under the phone question that shares the parent's own number
SHARE_CONTACT = N_("Mijn nummer delen")
UNKNOWN_COMMAND = N_("Dat commando ken ik niet. Typ /help.")
NOT_AVAILABLE = N_("De vragen zijn nu niet beschikbaar. Probeer het later nog eens.")
SOMETHING_WRONG = N_("Er ging iets mis. Probeer het over een paar minuten nog eens.")

ANOTHER_CHILD = N_(
    "Heeft u nog een kind op school? Dan kunt u de vragen ook voor dat kind beantwoorden."
)
# TRANSLATORS: button; %(school)s is the school of the child just answered for
ANOTHER_SAME_SCHOOL = N_("Nog een kind op %(school)s")
ANOTHER_OTHER_SCHOOL = N_("Nog een kind op een andere school")
ANOTHER_NONE = N_("Nee, dat was alles")
ALL_DONE = N_("Dank u wel, u bent klaar. Typ /status om te zien wat wij bewaren.")

# TRANSLATORS: /status, below the answers; one button per child follows
CHANGE_OFFER = N_("Wilt u iets veranderen? Tik op het kind. U beantwoordt de vragen dan opnieuw.")
# TRANSLATORS: button under /status; %(number)s is the child's number in the family
CHANGE_CHILD = N_("Antwoorden kind %(number)s veranderen")
# TRANSLATORS: /back or /restart after everything was sent
ALREADY_SENT = N_(
    "Uw antwoorden zijn al naar de school gestuurd. Wilt u iets veranderen? Typ /status."
)
# TRANSLATORS: a change button pressed while the parent is still answering questions
FINISH_FIRST = N_("Maak eerst de vragen af waar u nu mee bezig bent.")
# TRANSLATORS: after changing the answers for one child
CHANGES_SAVED = N_(
    "Dank u wel. Uw veranderingen zijn bewaard; de school ziet wat er anders is. "
    "Typ /status om te zien wat wij bewaren."
)
# TRANSLATORS: a flow that is only open for a period was closed when the parent arrived
FLOW_CLOSED = N_(
    "Deze vragenlijst is nu gesloten. Heeft u vragen? Neem dan contact op met de school."
)
# TRANSLATORS: command menu, and the button in the language picker (after a speaker sign)
COMMAND_VOICE = N_("Vragen voorlezen")
# TRANSLATORS: answer to /voice, or the picker's read-aloud button, turning it on
VOICE_ON = N_(
    "Ik lees de vragen nu ook voor, in een spraakbericht. Typ /voice om dat weer uit te zetten."
)
# TRANSLATORS: answer to /voice turning reading aloud off
VOICE_OFF = N_("Ik lees de vragen niet meer voor. Typ /voice om dat weer aan te zetten.")
# TRANSLATORS: reading aloud was turned on, but this computer cannot make speech yet
VOICE_LIMITED = N_(
    "Voorlezen staat aan, maar op dit moment lees ik alleen vragen voor die iemand heeft "
    "ingesproken. De andere vragen krijgt u als tekst."
)
