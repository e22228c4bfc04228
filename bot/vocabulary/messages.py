"""Everything the bot says to users, in Dutch (nl-BE), in one place."""

from __future__ import annotations

GIFT_EXAMPLE = "Mag ik een geschenk aannemen?"
# Questions the welcome offers as a button, first the one each code answers (tests/test_first_impression.py).
EXAMPLE_QUESTIONS = (
    GIFT_EXAMPLE,
    "Een journalist belt me",
    "Mag ik een bijjob doen?",
)

WELCOME = (
    "Hallo! Ik ben de Integriteitsbot van {org}.\n\n"
    "Stel me een vraag over hoe we integer werken, in je eigen woorden. "
    "Ik zoek het antwoord in onze eigen code: {source} ({sections} delen) en toon je het stuk waar het staat.\n\n"
    "Ik help je ook stap voor stap om een vermoeden te melden, een geschenk te melden of een vertrouwenspersoon "
    "te vinden.\n\n"
    "Over je privacy: je vragen bewaar ik niet. Een melding, een geschenk of een vraag om contact bewaar ik wel; "
    "ik zeg je telkens wat. Teams of Slack bewaren zelf dit gesprek, zoals al je chats.\n\n"
    "Typ 'help' als je wilt weten wat ik kan."
)

HELP = (
    "Zo werk ik:\n"
    "• Stel een vraag in gewone woorden, bijvoorbeeld 'mag ik een fles wijn van een aannemer aannemen?'. "
    "Ik toon het deel van de code van {org} dat erover gaat.\n"
    "• Kies 'Lees het hele deel' onder een antwoord om dat deel helemaal te lezen.\n"
    "• Vind ik niets, dan zeg ik dat eerlijk en vertel ik je bij wie je terechtkunt.\n"
    "• 'melden': een vermoeden van een integriteitsschending melden, met je naam of anoniem.\n"
    "• 'geschenk': een geschenk of uitnodiging melden en horen wat de code erover zegt.\n"
    "• 'vertrouwenspersoon': vinden bij wie je terechtkunt, en discreet om contact vragen.\n"
    "• 'status <code>' of 'aanvullen <code>': een melding opvolgen met je ontvangstcode.\n"
    "• 'dilemma': een situatie uit de code oefenen. Wat je kiest, bewaar ik niet. In een teamkanaal: samen stemmen.\n"
    "• 'code onderschrijven': bevestigen dat je de code las en onderschrijft.\n\n"
    "Ik geef uitleg uit de code, geen juridisch advies. {doubt}"
)

ANSWER = "{title}\n\n{snippet}\n\n({source}, deel '{title}')"
FULL_SECTION = "{title}\n\n{text}\n\n({source}, deel '{title}')"
DOUBT_CODE = "Twijfel je? Volgens de code van {org} kun je terecht bij {role} ({cite})."
DOUBT_DEFAULT = "Twijfel je? Dan kun je terecht bij {role}."
READ_ALL = "Lees het hele deel"
SEE_ALSO = "Zie ook: {title}"
FACT_SECTION = "Deel"
FACT_ORG = "Code van"

DILEMMA_ASK = "Een dilemma uit de code van {org}:\n\n{situation}\n\nWat doe jij? Kies wat je zou doen."
DILEMMA_RIGHT = "Dat zegt de code ook: {option}"
DILEMMA_OTHER = "De code kiest iets anders: {option}"
DILEMMA_ANSWER = (
    "{verdict}\n\n{explanation}\n\nDe code van {org} zegt: “{quote}” (deel '{title}').\n\n"
    "Bespreek het gerust in je volgend teamoverleg: wat jij kiest, weet alleen jij. Ik bewaar het niet."
)
DILEMMA_NONE = "De code van {org} heeft nog geen dilemma's om te oefenen. Stel gerust een vraag over de code."
DILEMMA_UNKNOWN = "Dat dilemma ken ik niet (meer). Wil je een ander?"
DILEMMA_ANOTHER = "Nog een dilemma"
FACT_VERSION = "Versie"

NO_MATCH = (
    "Daar vind ik geen duidelijk antwoord op in de code van {org}. "
    "Misschien helpt een van deze delen. Twijfel je nog? Vraag het dan aan {ask}."
)
NO_MATCH_OUTSIDE = (
    "Daar vind ik geen antwoord op in de code van {org}. De code gaat over integer handelen, "
    "niet over praktische zaken zoals loon, verlof of de computer. Vraag het aan {ask}."
)
# Not a clear answer, but a passage worth showing: said honestly, with whom to ask.
CLOSEST = (
    "Een duidelijk antwoord vind ik niet in de code van {org}. Dit komt er het dichtst bij, uit deel '{title}':"
    "\n\n{snippet}\n\nTwijfel je? Vraag het dan aan {ask}."
)
CLOSEST_LEAD = "Een duidelijk antwoord vind ik niet in de code van {org}. Dit komt er het dichtst bij:"
CLOSEST_ASK = "Twijfel je? Vraag het dan aan {ask}."
UNKNOWN_SECTION = "Ik ken geen deel met de code '{section}'. Typ 'help' om te zien hoe je iets zoekt."
EMPTY_TEXT = "Ik kreeg een leeg bericht. Typ je vraag in gewone woorden, bijvoorbeeld 'mag ik een geschenk aannemen?'."
ATTACHMENT_ONLY = (
    "Ik kan alleen tekst lezen, geen bestanden of afbeeldingen. Typ je vraag in een paar woorden. "
    "Stuur hier geen documenten met persoonlijke gegevens."
)
REACTION = "Bedankt voor je reactie! Heb je nog een vraag? Typ ze gewoon."
TOO_LONG = "Je bericht is te lang ({length}). Vat je vraag samen in hoogstens {limit}, dan zoek ik het op in de code."
UNKNOWN_ORG = (
    "Ik weet niet voor welke organisatie je werkt, dus ik weet niet welke code ik moet gebruiken. "
    "Vraag je IT-dienst om de Integriteitsbot voor jouw organisatie in te stellen."
)
TURN_ERROR = (
    "Sorry, er ging bij mij iets mis. Probeer het zo meteen opnieuw. "
    "Was je iets aan het invullen? Dan staan je eerdere antwoorden nog klaar."
)


FLOW_CHOICES = (
    ("Vermoeden melden", "melden"),
    ("Geschenk melden", "geschenk"),
    ("Vertrouwenspersoon zoeken", "vertrouwenspersoon"),
)
OFFER_GIFT = "Wil je dit geschenk of deze uitnodiging melden? Ik help je stap voor stap en zeg wat de code ervan vindt."
OFFER_GIFT_SILENT = "Wil je het geschenk of de uitnodiging melden? Ik help je stap voor stap."
# A gift question where the code has no rule on gifts: said so, general advice labelled as such, and whom to ask.
SILENT_GIFTS = (
    "De code van {org} heeft geen regel over geschenken of uitnodigingen. Ik kan je dus geen regel uit jullie code "
    "geven.\n\n"
    "Dit is algemeen advies, geen regel uit de code van {org}: {advice}\n\n"
    "Twijfel je? Vraag het dan eerst aan {ask}."
)
OFFER_PEOPLE = (
    "Overkomt jou dit? Je staat er niet alleen voor. Ik kan je zeggen bij wie je terechtkunt, "
    "of je helpen om het te melden."
)
OFFER_REPORT = "Wil je een vermoeden melden? Dat kan met je naam of anoniem. Ik help je stap voor stap."
ONLY_PRIVATE = (
    "Dit doen we liever niet hier: in een groepsgesprek of kanaal lezen anderen mee. "
    "Open een privégesprek met mij en typ daar '{command}'."
)
MOVED_PRIVATE = (
    "Dit doen we liever niet hier: in een groepsgesprek of kanaal lezen anderen mee. "
    "Ik stuur je een bericht in je privégesprek met mij. Daar gaan we verder."
)
NOTHING_TO_SEND = (
    "Daar staat niets meer klaar om te versturen of aan te passen: het is al verstuurd, of je stopte. "
    "Typ 'help' om te zien wat ik kan."
)
NOTHING_TO_STOP = "Er loopt niets om te stoppen. Stel gerust een vraag, of typ 'help'."
FLOW_TOO_LONG = "Je antwoord is te lang ({length}). Hou het op hoogstens {limit}."  # characters()
STORE_FAILED = (
    "Sorry, het bewaren lukte nu niet. Er is dus nog niets verstuurd. Je antwoorden staan nog klaar: "
    "kies zo meteen opnieuw om te versturen. Lukt het niet, probeer het dan later nog eens."
)
FILED_WHAT = {"report": "melding", "gift": "aangifte", "contact": "vraag om contact", "addendum": "aanvulling"}
ALREADY_FILED = (
    "Je {what} was al goed ontvangen. Ik heb niets dubbel verstuurd. "
    "Misschien kreeg je mijn bevestiging niet te zien, dus hier is ze nog eens:\n\n{confirmation}"
)
ALREADY_FILED_SHOWN = "Je {what} {reference} was al goed ontvangen. Ik heb niets dubbel verstuurd."
CODE_NOT_KEPT = " Je ontvangstcode toonde ik je toen. Ik bewaar hem zelf niet, dus ik kan hem niet opnieuw tonen."
CODE_MISSING = "Typ de ontvangstcode na '{command}', bijvoorbeeld '{command} ABCDE-FGHJK-…'."
CODE_UNKNOWN = (
    "Ik vind geen melding met die code. Controleer de code en probeer opnieuw. "
    "Ben je je code kwijt? Dan kan ik ze niet terugvinden: ze is nergens leesbaar bewaard."
)
CODE_WAIT = "Je probeerde al enkele foute codes. Wacht ongeveer {minutes} en probeer dan opnieuw."  # counted()
REMIND_ACK_TITLE = "Herinnering: bevestig de ontvangst van melding {reference}"
REMIND_ACK_SOON = (
    "De melder moet uiterlijk {day} horen dat melding {reference} goed is aangekomen. "
    "Bevestig de ontvangst hieronder, of open de melding met 'melding {reference}'."
)
REMIND_ACK_TODAY = "Vandaag, {day}, is de laatste dag om de ontvangst van melding {reference} te bevestigen."
REMIND_ESCALATES = "Lukt dat niet, dan gaat de melding morgen ook naar de {role}, de volgende in de route."
REMIND_REPLY_TITLE = "Herinnering: reageer op melding {reference}"
REMIND_REPLY_SOON = "De code vraagt een reactie op melding {reference} uiterlijk {day}."
REMIND_REPLY_TODAY = "Vandaag, {day}, is de laatste dag van de termijn die de code geeft voor melding {reference}."
REMIND_FEEDBACK_TITLE = "Herinnering: feedback bij melding {reference}"
REMIND_FEEDBACK = (
    "De melder moet uiterlijk {day} horen wat er met melding {reference} gebeurde. "
    "Sluit de melding af met je terugkoppeling, of stel eerst een vraag aan de melder."
)
ESCALATION_TITLE = "Melding {reference}: de ontvangst werd niet op tijd bevestigd"
ESCALATION_BODY = (
    "Melding {reference} kwam op {received} binnen bij de {role}. De ontvangst werd niet bevestigd binnen de "
    "termijn, die liep tot {day}. "
    "Jij bent de volgende in de route voor deze soort melding: open ze met 'melding {reference}' en bevestig de "
    "ontvangst, zodat de melder niet langer wacht."
)
OVERVIEW_CASES_TITLE = "Jouw open meldingen"
OVERVIEW_CASES_BODY = "Je hebt {count}, de dringendste eerst."
OVERVIEW_OVERDUE = "Bij {count} is de termijn voorbij."
OVERVIEW_MORE = "Er zijn er nog {count} meer; handel eerst deze af."
OVERVIEW_LATE = "te laat"
OVERVIEW_NO_CASES = "Er wacht geen open melding op jou. Nieuwe meldingen krijg je als bericht."
OVERVIEW_GIFTS_TITLE = "Geschenken die op jouw beslissing wachten"
OVERVIEW_GIFTS_BODY = "Wachten op je beslissing: {count}. Je beslist met de knoppen in het bericht erover."
OVERVIEW_NO_GIFTS = "Er wacht geen geschenk op jouw beslissing."
CASE_STATUS = "Melding {reference}: {status}. Ontvangen op {received}."
CASE_MESSAGES = "Berichten van wie je melding behandelt:"
CASE_NO_MESSAGES = "Er is nog geen bericht van wie je melding behandelt."
CASE_NOT_YOURS = "Ik vind geen melding {reference} die jij mag openen."
CASE_CODE_VERSION = "Gemeld onder versie {version} van de code."
CASE_ANONYMOUS = "anoniem"
CASE_ANSWER_HINT = (
    "Typ 'antwoord {reference} <je bericht>' om de melder te antwoorden. "
    "De melder leest het met zijn ontvangstcode; zet er geen gegevens van anderen in."
)
CASE_ANSWER_LABEL = "Antwoorden"
CASE_ANSWER_INVALID = "Typ je bericht na de referentie, tussen 2 en 2.000 tekens."
CASE_ANSWERED = "Je bericht bij melding {reference} is bewaard. De melder ziet het met 'status' en de ontvangstcode."
CASE_CLOSED = (
    "Melding {reference} is afgesloten. Wil je er toch nog iets mee doen? "
    "Heropen ze dan eerst: typ 'heropen {reference}'."
)
CASE_REOPEN_LABEL = "Heropenen"
CASE_NOT_CLOSED = "Melding {reference} is niet afgesloten. Er is niets te heropenen."
CASE_REOPENED = "Melding {reference} is heropend en staat weer op 'in behandeling'. Dat staat in het auditlogboek."
CASE_REOPENED_EVENT = "Melding heropend"
CASE_REFERENCE_MISSING = "Typ de referentie na '{command}', bijvoorbeeld '{command} M-2026-0001'."


def counted(number: int, singular: str, plural: str) -> str:
    """A count with its Dutch noun in the right form: '1 minuut', '5 minuten', '0 tekens'."""
    return f"{number} {singular if number == 1 else plural}"


def characters(number: int) -> str:
    """A number of characters: '1 teken', '7 tekens'."""
    return counted(number, "teken", "tekens")


def join_or(items: list[str]) -> str:
    """Join names as Dutch prose: 'a', 'a of b', 'a, b of c'."""
    if not items:
        return "je leidinggevende"
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " of " + items[-1]


# A flow that is still open, and messages that are not its answer.
FLOW_TITLES = {
    "melden": "je melding",
    "geschenk": "je geschenkmelding",
    "vertrouwenspersoon": "het zoeken naar een vertrouwenspersoon",
    "aanvullen": "je aanvulling",
}
FLOW_OPEN = "Je was nog bezig met {flow}. Typ je antwoord om verder te gaan, of 'stop' om te stoppen."
FLOW_PAUSED = (
    "Welkom terug. Je was nog bezig met {flow}. Wil je daarmee verdergaan, of stoppen? "
    "Je laatste bericht heb ik niet als antwoord genomen."
)
FLOW_QUESTION = (
    "Dat lijkt me een nieuwe vraag, geen antwoord. Je was nog bezig met {flow}. "
    "Wil je daarmee verdergaan, of stoppen? Stop je, stel je vraag dan gerust opnieuw."
)
FLOW_COMMAND = "Je was nog bezig met {flow}. Wil je daarmee verdergaan, of stoppen en dit doen?"
FLOW_HELD_UNCLEAR = "Wil je verdergaan met {flow}, of stoppen? Kies een van de twee."
FLOW_STILL_OPEN = "Je bent nog bezig met {flow}. Hier was ik gebleven:\n\n{question}"
OLD_BUTTON = "Die knop hoort bij een eerder bericht. Je bent nog bezig met {flow}. Hier was ik gebleven:\n\n{question}"
RESUME_LABEL = "Verdergaan"
STOP_LABEL = "Stoppen"
# The button that stops a flow to run the command typed in the middle of it, per command ({reference}: a case's).
SWITCH_LABELS = {
    "melden": "Stop en meld een vermoeden",
    "geschenk": "Stop en meld een geschenk",
    "vertrouwenspersoon": "Stop en zoek een vertrouwenspersoon",
    "status": "Stop en bekijk je melding",
    "aanvullen": "Stop en vul je melding aan",
    "melding": "Stop en open melding {reference}",
    "antwoord": "Stop en beantwoord melding {reference}",
    "heropen": "Stop en heropen melding {reference}",
    "sectie": "Stop en lees dat deel",
}
SWITCH_LABEL = "Stop en ga naar '{command}'"  # a command without a label of its own
RESUMED = "Oké, we gaan verder."
ASK_AGAIN = "Stel je vraag nu gerust opnieuw."

# Card actions of the people who receive notifications.
ACTION_UNKNOWN = "Die actie ken ik niet."
ACTION_NOT_YOURS = (
    "Deze kaart is niet voor jou bedoeld. Alleen wie ze kreeg, kan er iets mee doen. Er is niets veranderd."
)
ACTION_OWN_GIFT = (
    "Over je eigen geschenk beslis je niet zelf: dat doet je leidinggevende. Er is niets veranderd. "
    "Koos je per vergissing jezelf? Meld het geschenk dan opnieuw met 'geschenk' en kies je leidinggevende."
)
ACTION_NEEDS_TEXT = "Typ eerst je bericht in het tekstvak van de kaart, en klik dan opnieuw."
ACTION_ALREADY = "Bij {reference} is dat niet meer nodig: de status is '{status}'."
ACTION_DONE = "Gedaan: {what} bij {reference}."
ACTION_DONE_BY = "✔ {label}: door {actor} op {day}."
ACTION_REPORTER_NAMED = "De melder krijgt je bericht in de chat en ziet het ook met 'status'."
ACTION_REPORTER_ANONYMOUS = "De melder is anoniem: die leest dit met 'status' en de ontvangstcode."
ACK_FOR_REPORTER = "Je melding is goed aangekomen bij wie ze behandelt."
REPORT_UPDATE_TITLE = "Nieuws over je melding {reference}"
GIFT_UPDATE_TITLE = "Beslissing over je geschenk {reference}"
GIFT_DECISION = "Je leidinggevende bekeek je geschenk {reference}: {decision}."
REMARK = "Opmerking"
CONTACT_UPDATE_TITLE = "Je vraag om contact {reference}"
CONTACT_TAKEN = "{who} ({role}) neemt contact met je op."
