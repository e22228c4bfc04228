"""Everything the guided dialogs say, in Dutch (nl-BE): short sentences, one question at a time, and why."""

from __future__ import annotations

# Shared by every flow.
STOPPED = "Oké, ik ben gestopt. Ik heb niets bewaard van wat je in dit gesprek invulde."
NO_BACK = "Dit is de eerste vraag, verder terug kan niet. Typ 'stop' als je wilt stoppen."
PICK_ONE = "Dat begreep ik niet goed: kies een van de mogelijkheden, of typ het nummer."
PICK_AMBIGUOUS = "Dat past bij meer dan één mogelijkheid: kies er één, of typ het nummer."
CONFIRM_QUESTION = "Klopt alles? Dan verstuur ik het. Je kunt ook nog iets aanpassen of stoppen."
CONFIRM_HELP = (
    "Kies '{send}' om te versturen, 'Iets aanpassen' om een antwoord te veranderen, "
    "of typ 'stop' om te stoppen zonder iets te bewaren."
)
CHANGE_LABEL = "Iets aanpassen"
CANCEL_LABEL = "Stoppen"
CHANGE_QUESTION = "Wat wil je aanpassen?"
WHY = "Waarom ik dit vraag: {why}"
CONTROLS = "Typ 'terug' voor de vorige vraag, 'help' voor uitleg of 'stop' om te stoppen."
# {length}, {minimum} and {maximum} are counts with their noun: "1 teken", "7 tekens".
TOO_SHORT = "Dat is wat kort ({length}). Vertel iets meer: minstens {minimum}."
TOO_LONG = "Dat is te lang ({length}). Hou het op hoogstens {maximum}."
SKIP_HINT = "Typ 'overslaan' als je dit niet wilt of kunt zeggen."
NOT_GIVEN = "niet opgegeven"
YES = "Ja"
NO = "Nee"
DONT_KNOW = "Ik weet het niet"
ASK_NAME = "Hoe heet je? Typ je voor- en achternaam."
ASK_NAME_WHY = "je gaf je naam nog niet en wie dit ontvangt, moet weten van wie het komt."
ASK_NAME_HELP = "Typ je naam zoals je collega's je kennen, bijvoorbeeld 'An Peeters'."
NAME_INVALID = "Typ een naam van 2 tot 100 tekens."
NAME_NOT_A_NAME = "Dat lijkt me geen naam. Typ je voor- en achternaam, bijvoorbeeld 'An Peeters'."
LABEL_NAME = "Je naam"
PERSON_LENGTH = "Een naam is 2 tot 100 tekens lang. Typ bijvoorbeeld 'Jan Janssens', of een e-mailadres."
PERSON_CHARACTERS = (
    "Een naam bestaat uit letters, met hoogstens spaties, koppeltekens, apostrofs of punten ertussen. "
    "Typ bijvoorbeeld 'Jan Janssens', of een e-mailadres."
)
PERSON_EMAIL = (
    "Dat e-mailadres is niet volledig. Een e-mailadres heeft één @, een naam ervoor en een domein met een punt "
    "erna, zoals 'jan.janssens@gemeente.be'."
)
PERSON_NOT_A_NAME = (
    "Dat lijkt me geen naam. Typ de naam of het e-mailadres van de persoon, bijvoorbeeld 'Jan Janssens'. "
    "Wil je stoppen? Typ dan 'stop'."
)
PERSON_IS_YOU = "Dat ben je zelf. Kies of typ de naam van iemand anders, bijvoorbeeld je leidinggevende."
ONLY_PRIVATE = (
    "Dit doen we liever niet hier: in een groepsgesprek of kanaal lezen anderen mee. "
    "Open een privégesprek met mij en typ daar '{command}'."
)

# Report a suspicion.
REPORT_INTRO = (
    "Je wilt een vermoeden van een integriteitsschending melden. Goed dat je dit doet.\n\n"
    "Zo gaat het:\n"
    "• Ik stel je enkele vragen, één per keer. Typ 'stop' om te stoppen: dan bewaar ik niets. "
    "'terug' brengt je naar de vorige vraag, 'help' geeft uitleg.\n"
    "• Wie je melding krijgt, hangt af van de soort. Ik zeg je vooraf wie het is, waarom, en welke termijn "
    "er geldt. Die persoon krijgt een bericht dát er een melding is, niet wat erin staat.\n\n"
    "Soms past een andere weg beter:\n"
    "• Is er nu gevaar? Bel 112.\n"
    "• Gaat het om pesten, geweld of ongewenst seksueel gedrag tegen jou? Dan kun je ook een formeel verzoek "
    "tot psychosociale interventie doen bij de preventieadviseur psychosociale aspecten. Dat begint met een "
    "persoonlijk gesprek met de preventieadviseur (Welzijnswet). Ik doe dat niet voor je; typ 'vertrouwenspersoon' "
    "om te zien bij wie je terechtkunt.\n"
    "• {external}"
)
EXTERNAL_MUNICIPALITY = (
    "Je kunt ook extern melden, bij Audit Vlaanderen: volgens het Bestuursdecreet het externe meldkanaal voor "
    "gemeenten, OCMW's en hun verzelfstandigde agentschappen."
)
EXTERNAL_INTERMUNICIPAL = (
    "Je kunt ook extern melden, bij de Vlaamse Ombudsdienst: volgens het Bestuursdecreet het externe meldkanaal "
    "voor intergemeentelijke samenwerkingsverbanden zoals {org}."
)
EXTERNAL_FLEMISH = (
    "Je kunt ook extern melden, bij de Vlaamse Ombudsdienst: volgens het Bestuursdecreet het externe meldkanaal "
    "voor personeelsleden van de Vlaamse administratie."
)
EXTERNAL_ASSOCIATION = (
    "{org} is een vzw, geen overheid. Voor haar eigen medewerkers geldt de federale klokkenluiderswet van "
    "28 november 2022: extern meld je bij de federale coördinator (de Federale Ombudsman) of bij de bevoegde "
    "overheid. Ben je ambtenaar van een gemeente en werk je mee aan een programma van {org}? Dan kun je ook "
    "terecht bij het meldkanaal van je eigen bestuur."
)
KIND_QUESTION = "Waarover gaat je melding?"
KIND_WHY = "de soort bepaalt naar wie de code van {org} je melding stuurt."
KIND_HELP = (
    "• Regels: iemand fraudeert, neemt steekpenningen aan, of beslist over iets waar hij zelf belang bij heeft.\n"
    "• Gedrag tegenover mensen: pesten, geweld, ongewenst seksueel gedrag, discriminatie.\n"
    "• Middelen of informatie: iemand gebruikt materiaal, geld, tijd of vertrouwelijke gegevens voor zichzelf.\n"
    "Twijfel je? Kies 'Ik weet het niet goed'. Dan gaat je melding naar {unsure}."
)
KIND_RULES = "Een schending van regels (fraude, corruptie, belangenvermenging)"
KIND_BEHAVIOUR = "Gedrag tegenover mensen (pesten, geweld, ongewenst seksueel gedrag, discriminatie)"
KIND_MISUSE = "Misbruik van middelen of informatie"
KIND_UNSURE = "Ik weet het niet goed"
KIND_SHORT = {
    "rule_breach": "schending van regels",
    "behaviour": "gedrag tegenover mensen",
    "misuse": "misbruik van middelen of informatie",
    "unsure": "weet het niet goed",
}
IMPLICATED_QUESTION = "{route}\n\nIs die persoon zelf betrokken bij wat je wilt melden?"
CRIME_QUESTION = "Gaat het om een strafbaar feit, zoals fraude, corruptie, omkoping of diefstal?"
CRIME_WHY = "de code van {org} stuurt strafbare feiten naar iemand anders dan andere onregelmatigheden."
CRIME_HELP = (
    "Fraude, corruptie, omkoping en diefstal zijn strafbare feiten. Een fout, nalatigheid of het niet volgen van "
    "een interne regel meestal niet. Twijfel je, kies dan 'Ik weet het niet': dan kies ik de persoon die beide "
    "mag ontvangen."
)
LABEL_CRIME = "Strafbaar feit"
IMPLICATED_WHY = (
    "dan stuur ik je melding naar de volgende persoon die ervoor in aanmerking komt, nooit naar iemand die "
    "betrokken is."
)
IMPLICATED_HELP = (
    "Als de persoon die je melding zou krijgen zelf betrokken is, kies 'Ja'. Ik zeg je dan wie de volgende is, "
    "en waarom. Die persoon krijgt je melding in de plaats."
)
IMPLICATED_YES = "Ja, die persoon is betrokken"
IMPLICATED_NO = "Nee"
NO_ONE_LEFT = (
    "Iedereen die de code van {org} hiervoor noemt, is volgens jou betrokken. Dan stuur ik je "
    "melding niet intern door. "
    "{external}\n\nIk heb niets bewaard."
)
LABEL_RECIPIENT = "Gaat naar"
RECIPIENT_PERSON_QUESTION = "Wie is je {role}? Typ een naam of een e-mailadres."
RECIPIENT_PERSON_WHY = "zo weet ik bij wie je melding terechtkomt. Alleen die persoon ziet wat je schrijft."
RECIPIENT_PERSON_HELP = "Typ de naam of het e-mailadres van je {role}, bijvoorbeeld 'Jan Janssens' of 'jan.janssens@…'."
LABEL_RECIPIENT_PERSON = "Naam ontvanger"
WHAT_QUESTION = "Wat is er gebeurd? Beschrijf het zo concreet als je kunt: wat, wie, hoe."
WHAT_WHY = "hoe duidelijker je het beschrijft, hoe beter het onderzocht kan worden."
WHAT_HELP = (
    "Schrijf in je eigen woorden wat je zag of hoorde. Zet er geen gegevens in die niet nodig zijn, "
    "zoals rijksregisternummers of medische informatie. Tussen 20 en 4.000 tekens."
)
LABEL_WHAT = "Wat er gebeurde"
WHEN_QUESTION = (
    "Wanneer gebeurde het? Een datum of een periode in woorden is goed, zoals 'vorige week' of 'sinds maart'."
)
WHEN_WHY = "zo weet wie je melding behandelt over welke periode het gaat."
WHEN_HELP = "Typ een datum, een periode of 'weet ik niet'. Een ruwe schatting is ook goed."
LABEL_WHEN = "Wanneer"
WHERE_QUESTION = "Waar gebeurde het, of bij welke dienst?"
WHERE_WHY = "dat helpt om het snel bij de juiste dienst te onderzoeken."
WHERE_HELP = "Typ een plaats of dienst, bijvoorbeeld 'dienst wegen' of 'het containerpark'. Je mag dit overslaan."
LABEL_WHERE = "Waar of welke dienst"
EVIDENCE_QUESTION = "Zijn er bewijzen, zoals documenten, e-mails, foto's of getuigen?"
EVIDENCE_WHY = "wie je melding behandelt, weet dan of er iets is om op te vragen. Stuur het hier niet mee."
EVIDENCE_HELP = "Je hoeft hier niets door te sturen. Wie je melding behandelt, vraagt ernaar als het nodig is."
LABEL_EVIDENCE = "Bewijzen"
IDENTITY_QUESTION = (
    "Wil je melden met je naam of anoniem?\n\n"
    "• Met je naam: vertrouwelijk. Alleen wie je melding behandelt, kent je naam en kan je vragen stellen.\n"
    "• Anoniem: ik bewaar niets dat naar jou leidt, geen naam, geen gebruikers-id en geen gesprek. "
    "Je volgt je melding op met een ontvangstcode.\n\n"
    "Eerlijk is eerlijk: Teams en Slack bewaren zelf dit gesprek, zoals al je chats. Dat kan ik niet wissen."
)
IDENTITY_WHY = "je kiest zelf hoe zichtbaar je bent. Beide zijn toegelaten."
IDENTITY_HELP = (
    "Met je naam kan wie je melding behandelt je rechtstreeks contacteren; je naam blijft vertrouwelijk. "
    "Anoniem kan ook; dan loopt het contact alleen via je ontvangstcode ('status <code>' en 'aanvullen <code>')."
)
IDENTITY_NAMED = "Met mijn naam (vertrouwelijk)"
IDENTITY_ANONYMOUS = "Anoniem"
LABEL_IDENTITY = "Identiteit"
REPORT_SUMMARY = "Dit is je melding. Kijk ze nog even na."
REPORT_SEND = "Melding versturen"
REPORT_RECEIVED = "Je melding is goed ontvangen en bewaard. Referentie: {reference}.\n\n{delivery} {terms}"
# The receipt code, shown apart (a card, a code block, a line of its own) with the commands that take it.
RECEIPT_LABEL = "Je ontvangstcode"
RECEIPT_KEEP = "Schrijf ze nu op. Ik toon ze maar één keer en bewaar ze niet: ik kan ze je niet opnieuw geven."
RECEIPT_FOLLOW_UP = "Opvolgen:"
RECEIPT_COMMANDS = (
    ("status {code}", "toont hoe ver je melding staat en een eventueel bericht van wie ze behandelt."),
    ("aanvullen {code}", "voegt informatie toe."),
)
REPORT_DELIVERY = "Ze gaat naar {role}. Die krijgt een bericht dát er een melding is, niet wat erin staat."
REPORT_DELIVERY_HELD = (
    "Ze gaat naar {role}. Die krijgt een bericht dát er een melding is, niet wat erin staat: morgenochtend om 8 "
    "uur, samen met de andere anonieme meldingen van vandaag. Zo verraadt het tijdstip niets over jou."
)
REPORT_NO_CHANNEL = (
    "Ze is voor {role}. Ik kan {role} nog niet rechtstreeks een bericht sturen: dat is bij jullie nog niet "
    "ingesteld. Je melding wacht veilig. In het logboek van de bot staat dát er een melding is (niet wat erin "
    "staat), zodat de beheerders ze kunnen doorgeven."
)
REPORT_RECEIVED_NAMED = "Je meldde met je naam: die kent alleen wie je melding behandelt."
REPORT_RECEIVED_ANONYMOUS = "Je meldde anoniem: ik bewaarde niets dat naar jou leidt."

# Find your confidential adviser.
ADVISER_INTRO = (
    "Ik help je de juiste persoon te vinden. Alles wat je hier kiest, blijft tussen ons tot je zelf iets verstuurt.\n\n"
    + CONTROLS
)
TOPIC_QUESTION = "Waarover gaat het?"
TOPIC_WHY = "voor elk soort vraag noemt de code van {org} andere mensen."
TOPIC_HELP = (
    "• Mensen op het werk: iets wat jou overkomt, zoals pesten, conflicten, grensoverschrijdend "
    "gedrag of stress door collega's.\n"
    "• Integriteit: je twijfelt of iets mag, of je zit met een dilemma.\n"
    "• Melden: je wilt een vermoeden van een schending melden."
)
TOPIC_PEOPLE = "Iets wat mij overkomt met mensen op het werk"
TOPIC_DILEMMA = "Een integriteitsvraag of -twijfel"
TOPIC_REPORT = "Ik wil iets melden"
TOPIC_REPORT_REPLY = (
    "Voor een melding ga je naar het meldpunt dat de code van {org} aanduidt. Ik help je daar stap voor stap mee."
)
START_REPORT = "Vermoeden melden"
PSYCHOSOCIAL_EXPLAINED = (
    "Zo zit het (Welzijnswet):\n"
    "• Een vertrouwenspersoon luistert, geeft advies en kan bemiddelen. Dat is een informele weg: "
    "je bepaalt zelf wat er gebeurt.\n"
    "• De preventieadviseur psychosociale aspecten behandelt een formeel verzoek tot psychosociale interventie. "
    "Dat begint met een persoonlijk gesprek met de preventieadviseur; daarna dien je het verzoek persoonlijk of "
    "per aangetekende brief in. Dat doe ik niet voor je."
)
PSYCHOSOCIAL_CONTACT = "Ik kan wel vragen dat iemand discreet contact met je opneemt."
NO_PSYCHOSOCIAL_ROLES = (
    "De code van {org} noemt geen vertrouwenspersoon of preventieadviseur. Elke werkgever moet wel een "
    "preventieadviseur psychosociale aspecten hebben, intern of via een externe dienst voor preventie. "
    "Vraag aan {ask} of aan de personeelsdienst wie dat bij jullie is."
)
CONTACTS_INTRO = "Hier kun je terecht, en waarom:"
CONTACT_LINE = "• {name}{details}: {why}."
CONTACT_PEOPLE = " Bij jullie: {people}."
CONTACT_NONE_KNOWN = "Ik ken geen vertrouwenspersoon of adviseur voor {org}. Vraag het aan {ask}."
OFFER_QUESTION = (
    "Wil je dat ik iemand vraag om discreet contact met je op te nemen? Je onderwerp hoef je niet te zeggen."
)
OFFER_WHY = "zo hoef je zelf niet de eerste stap te zetten."
OFFER_HELP = (
    "Kies de persoon die je wilt spreken. Die krijgt alleen je naam en hoe je bereikbaar bent, tenzij je meer zegt."
)
OFFER_NO = "Nee, bedankt"
OFFER_DECLINED = "Oké. Je weet nu waar je terechtkunt. Typ 'vertrouwenspersoon' als je het later toch wilt vragen."
CONTACTS_ONLY_END = "Typ 'vertrouwenspersoon' als je dit later opnieuw wilt zien."
LABEL_ADVISER = "Aan"
REACH_QUESTION = "Hoe kan {role} je bereiken? Bijvoorbeeld je telefoonnummer, je e-mailadres of 'via de chat'."
REACH_WHY = "anders kan die persoon je niet contacteren."
REACH_HELP = "Geef één manier die voor jou discreet is, bijvoorbeeld je gsm-nummer of 'via de chat na 16 uur'."
REACH_INVALID = "Typ hoe je bereikbaar bent, tussen 2 en 200 tekens."
LABEL_REACH = "Bereikbaar via"
NOTE_QUESTION = "Wil je er kort bij zeggen waarover het gaat? Dat hoeft niet."
NOTE_WHY = "soms helpt het om je vraag voor te bereiden. Zonder onderwerp kan ook."
NOTE_HELP = "Typ een paar woorden, of 'overslaan'."
LABEL_NOTE = "Onderwerp"
CONTACT_SUMMARY = "Zo vraag ik om contact. Kijk het nog even na."
CONTACT_SEND = "Vraag versturen"
CONTACT_RECEIVED = (
    "Je vraag om contact is verstuurd naar {role}. Referentie: {reference}.\n\n"
    "Die persoon neemt contact met je op via: {reach}."
)
CONTACT_NO_CHANNEL = (
    "Je vraag om contact is bewaard voor {role}. Referentie: {reference}.\n\n"
    "Ik kan {role} nog niet rechtstreeks een bericht sturen: dat is bij jullie nog niet ingesteld. In het logboek "
    "van de bot staat dat er een vraag is, zodat de beheerders ze kunnen doorgeven. Wil je zeker zijn? "
    "Neem dan zelf contact op."
)
