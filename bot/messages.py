"""Everything the bot says to users, in Dutch (nl-BE), in one place."""

from __future__ import annotations

EXAMPLE_QUESTIONS = (
    "Mag ik een geschenk aannemen?",
    "Een journalist belt me",
    "Mag ik een bijjob doen?",
)

WELCOME = (
    "Hallo! Ik ben de Integriteitsbot van {org}.\n\n"
    "Stel me een vraag over hoe we integer werken, in je eigen woorden. "
    "Ik zoek het antwoord in onze eigen code: {source} ({sections} delen) en toon je het stuk waar het staat.\n\n"
    "Over je privacy: ik bewaar je vragen niet. Teams of Slack houden zelf wel bij dat je met mij chatte.\n\n"
    "Typ 'help' als je wilt weten wat ik kan."
)

HELP = (
    "Zo werk ik:\n"
    "• Stel een vraag in gewone woorden, bijvoorbeeld 'mag ik een fles wijn van een aannemer aannemen?'. "
    "Ik toon het deel van de code van {org} dat erover gaat.\n"
    "• Typ 'sectie' en de code van een deel om het helemaal te lezen, bijvoorbeeld 'sectie {example}'.\n"
    "• Vind ik niets, dan zeg ik dat eerlijk en vertel ik je bij wie je terechtkunt.\n\n"
    "Ik geef uitleg uit de code, geen juridisch advies. Twijfel je, praat er dan over met je leidinggevende."
)

ANSWER = "{title}\n\n{snippet}\n\n({source}, deel '{section}')"
FULL_SECTION = "{title}\n\n{text}\n\n({source}, deel '{section}')"
READ_ALL = "Lees het hele deel"
SEE_ALSO = "Zie ook: {title}"
FACT_SECTION = "Deel"
FACT_ORG = "Code van"

NO_MATCH = (
    "Daar vind ik geen duidelijk antwoord op in de code van {org}. "
    "Misschien helpt een van deze delen. Twijfel je nog? Vraag het dan aan {ask}."
)
UNKNOWN_SECTION = "Ik ken geen deel met de code '{section}'. Typ 'help' om te zien hoe je iets zoekt."
EMPTY_TEXT = "Ik kreeg een leeg bericht. Typ je vraag in gewone woorden, bijvoorbeeld 'mag ik een geschenk aannemen?'."
ATTACHMENT_ONLY = (
    "Ik kan alleen tekst lezen, geen bestanden of afbeeldingen. Typ je vraag in een paar woorden. "
    "Stuur hier geen documenten met persoonlijke gegevens."
)
REACTION = "Bedankt voor je reactie! Heb je nog een vraag? Typ ze gewoon."
TOO_LONG = (
    "Je bericht is te lang ({length} tekens). Vat je vraag samen in hoogstens {limit} tekens, "
    "dan zoek ik het op in de code."
)
UNKNOWN_ORG = (
    "Ik weet niet voor welke organisatie je werkt, dus ik weet niet welke code ik moet gebruiken. "
    "Vraag je IT-dienst om de Integriteitsbot voor jouw organisatie in te stellen."
)
TURN_ERROR = "Sorry, er ging bij mij iets mis. Je vraag is niet verloren: probeer het zo meteen opnieuw."


def join_or(items: list[str]) -> str:
    """Join names as Dutch prose: 'a', 'a of b', 'a, b of c'."""
    if not items:
        return "je leidinggevende"
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " of " + items[-1]
