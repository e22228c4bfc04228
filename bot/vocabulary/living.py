"""What the bot says about signing the code and about dilemmas in a team (nl-BE): short, warm, honest."""

from __future__ import annotations

# Signing: the message a campaign or the welcome sends -------------------------------------------------------------
INVITE_TITLE = "De deontologische code van {org}: lezen en onderschrijven"
REMIND_TITLE = "Herinnering: de deontologische code van {org} lezen en onderschrijven"
INVITE_INTRO = "{owner} vraagt je om de deontologische code van {org} te lezen en te onderschrijven."
REMIND_INTRO = (
    "Je kreeg eerder de vraag om de deontologische code van {org} te lezen en te onderschrijven. Dat staat nog open."
)
WELCOME_INTRO = "Welkom! Elke collega van {org} leest de deontologische code en onderschrijft ze."
INVITE_PURPOSE = "Waarvoor dient de code? “{quote}” (deel '{title}')"
INVITE_POINTS = "De belangrijkste punten, in de woorden van de code:"
INVITE_POINT = "• “{quote}” (deel '{title}')"
INVITE_STATEMENT_CODE = "Je bevestigt met de woorden van de code: “{quote}” (deel '{title}')"
INVITE_STATEMENT_DEFAULT = "Je bevestigt: “Ik heb de deontologische code van {org} gelezen en onderschrijf ze.”"
INVITE_HOW = (
    "Bevestigen doe je in je chat met Integriteitsbot in Teams of Slack: met de knop hieronder, of typ "
    "'code onderschrijven'. Twijfel je over iets? Kies 'Ik heb een vraag'."
)
FACT_VERSION = "Versie van de code"
FACT_CAMPAIGN = "Campagne"
CONFIRM_LABEL = "Ik heb de code gelezen en onderschrijf ze"
QUESTION_LABEL = "Ik heb een vraag"
READ_LABEL = "Lees: {title}"
CONFIRM_VALUE = "code onderschrijven"
QUESTION_VALUE = "vraag over de code"

# Signing: answers in the chat --------------------------------------------------------------------------------------
CONFIRMED = (
    "Dank je wel. Je onderschreef de deontologische code van {org}{version} op {day} om {time}. "
    "Dat staat nu in het register van de personeelsdienst. Heb je later een vraag over de code? Typ ze gewoon hier."
)
CONFIRMED_BEFORE = "Je onderschreef de code van {org}{version} al op {day}. Er is niets meer te doen."
CONFIRM_PRIVATE = "De code onderschrijven doe je in je privégesprek met mij, niet hier."
QUESTION = (
    "Stel je vraag over de code gewoon hier, in je eigen woorden. Ik antwoord met de tekst van de code. "
    "Wil je liever met iemand praten? Kies 'vertrouwenspersoon'."
)
QUESTION_ADVISER = "Iemand spreken"
VERSION = ", versie {version}"

# Campaigns: for HR and the integrity adviser ------------------------------------------------------------------------
NOT_ALLOWED = (
    "Een campagne om de code te laten onderschrijven start de personeelsdienst of de integriteitsadviseur. "
    "Dat ben jij volgens de instellingen van {org} niet."
)
STARTED = (
    "Campagne {reference} loopt: {count} collega's van {audience} krijgen een persoonlijk bericht om de code te "
    "lezen en te onderschrijven. Wie wat doet, blijft tussen hen en de personeelsdienst. Volg het op in je "
    "privégesprek met mij: typ 'campagne {reference}'."
)
STARTED_NO_CHANNEL = (
    "Let op: {count} van hen kan ik via geen enkel kanaal bereiken (geen Teams, Slack of e-mail ingesteld). Spreek "
    "hen zelf aan."
)
STARTED_NOBODY = "Ik vond niemand om te vragen in {audience}{newcomers}. Er is geen campagne gestart."
NEWCOMERS_ONLY = " (alleen wie de code nog nooit onderschreef)"
RUNNING = (
    "Campagne {reference} voor {audience} en deze versie van de code loopt al. Ik stuur niemand een tweede bericht. "
    "Typ 'campagne {reference}' in je privégesprek met mij om te zien wie al onderschreef."
)
MEMBERS_UNKNOWN = (
    "Ik kon de leden van dit team niet opvragen. Start de campagne met een lijst (CSV met e-mailadressen) via "
    "'integriteitsbot campaign start', of probeer het later opnieuw."
)
NO_CAMPAIGNS = "Er liep nog geen campagne voor {org}. Start er een met '@Integriteitsbot campagne' in een teamkanaal."
CAMPAIGNS_HEAD = "Campagnes om de code van {org} te onderschrijven:"
CAMPAIGN_LINE = "• {reference} ({day}, {audience}{version}): gevraagd {sent}, onderschreven {confirmed}, open {open}"
CAMPAIGNS_MORE = "Typ 'campagne <code>' voor wie al onderschreef, bijvoorbeeld 'campagne {reference}'."
CAMPAIGN_UNKNOWN = "Campagne {reference} ken ik niet voor {org}. Typ 'campagnes' voor de lijst."
CAMPAIGN_HEAD = "Campagne {reference}: {audience}{version}, gestart op {day} door {owner}."
CAMPAIGN_FIGURES = "Gevraagd {sent} · onderschreven {confirmed} · open {open}"
CAMPAIGN_SIGNED = "Onderschreven:"
CAMPAIGN_OPEN = "Nog niet onderschreven:"
CAMPAIGN_PERSON_SIGNED = "• {name}: {day}"
CAMPAIGN_PERSON_OPEN = "• {name}: {state}"
CAMPAIGN_NONE = "• (nog niemand)"
CAMPAIGN_EXPORT = (
    "Voor het personeelsdossier: 'integriteitsbot campaign export {reference} --org {org} -o register.xlsx' "
    "(of .csv) op de server. Dit overzicht zie alleen jij, in dit gesprek."
)
CAMPAIGN_REMINDERS = " (herinnerd: {count}×)"
STATE_DELIVERED = "bericht ontvangen via {channel}"
STATE_PENDING = "bericht nog onderweg"
STATE_RETRYING = "nog niet bezorgd, ik probeer opnieuw ({attempts} pogingen)"
STATE_FAILED = "niet bereikbaar via {channel}{hint}: spreek deze collega zelf aan"
STATE_NO_CHANNEL = "geen kanaal om deze collega te bereiken: spreek hem of haar zelf aan"
STATE_TEAMS_HINT = " (is de app voor hen geïnstalleerd?)"
CHANNEL_NAMES = {"msteams": "Teams", "slack": "Slack", "email": "e-mail", "log": "geen kanaal"}

# Dilemmas in a team channel ------------------------------------------------------------------------------------------
POLL_TITLE = "Dilemma voor het team, uit de code van {org}"
POLL_QUESTION = "Wat zou jij doen?"
POLL_ASK = "Je stem is anoniem: niemand ziet wat jij kiest, en de bot bewaart je keuze niet bij je naam."
POLL_COUNT = "{votes} tot nu toe. Het antwoord van de code verschijnt op {closes}."
POLL_COUNT_NONE = "Nog geen stemmen. Het antwoord van de code verschijnt op {closes}."
POLL_CLOSE = "Toon het antwoord"
POLL_CLOSED_TITLE = "Dilemma: het antwoord van de code van {org}"
POLL_RESULT = "{votes}. {share} koos wat de code zegt."
POLL_RESULT_NONE = "Er werd niet gestemd."
POLL_RESULT_FEW = "Minder dan 3 stemmen: hoe ze verdeeld zijn, toon ik niet, zodat niemand herkenbaar is."
POLL_OPTION_RESULT = "{mark} {option} ({count})"
ONE_VOTE, VOTES = "1 stem", "{count} stemmen"
POLL_CODE_SAYS = "De code zegt: “{quote}” (deel '{title}')"
POLL_TALK = "Bespreek het in je volgend teamoverleg: wat doen wij in zo'n situatie?"
VOTED = "Je stem is geteld. Je kunt ze nog wijzigen tot het antwoord verschijnt. Niemand ziet wat jij koos."
VOTE_CLOSED = "Deze stemming is afgelopen. Het antwoord van de code staat in de kaart."
POLL_UNKNOWN = "Deze stemming ken ik niet (meer)."
CLOSE_NOT_YOURS = "Alleen wie het dilemma vroeg, kan het antwoord vroeger tonen. Het verschijnt vanzelf op {closes}."
SCHEDULED = (
    "Afgesproken: {every} op {weekday} om 9 uur post ik hier een dilemma uit de code. Het antwoord verschijnt na "
    "{days} dagen. De eerste keer: {first}. Stoppen kan met '@Integriteitsbot dilemma stop'."
)
SCHEDULE_STOPPED = "Gestopt: ik post hier geen dilemma's meer op een vast moment. 'dilemma' blijft werken."
SCHEDULE_NONE = (
    "Hier stond geen vast moment voor dilemma's. Plan er een met '@Integriteitsbot dilemma elke 2 weken op maandag'."
)
SCHEDULE_HELP = (
    "Een vast moment plannen gaat zo: '@Integriteitsbot dilemma elke week op maandag' of 'om de 2 weken op dinsdag'."
)
SCHEDULE_SHOWN = "Hier komt {every} op {weekday} een dilemma. Volgende keer: {next}."
EVERY_WEEK = "elke week"
EVERY_WEEKS = "om de {weeks} weken"
WEEKDAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
NO_DILEMMAS = "De code van {org} heeft nog geen dilemma's om samen te oefenen."
