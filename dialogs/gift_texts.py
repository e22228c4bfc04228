"""What the gift declaration says, in Dutch (nl-BE): its questions, the code's advice and the confirmation."""

from __future__ import annotations

from dialogs.texts import CONTROLS

GIFT_INTRO = (
    "Je wilt een geschenk of uitnodiging melden. Ik stel je een paar vragen en zeg je wat de code van {org} "
    "erover zegt. Daarna komt je melding in het geschenkenregister, met alle gegevens voor {manager}.\n\n"
    + CONTROLS
)
GIFT_KIND_QUESTION = "Wat kreeg je, of wat werd je aangeboden?"
GIFT_KIND_WHY = "een geschenk, een uitnodiging en geld worden elk anders beoordeeld."
GIFT_KIND_HELP = "Een fles wijn of pralines is een geschenk. Een etentje, receptie of match is een uitnodiging."
GIFT_KIND_GIFT = "Een geschenk"
GIFT_KIND_INVITATION = "Een uitnodiging, etentje of evenement"
GIFT_KIND_MONEY = "Geld of een waardebon"
GIFT_KIND_SERVICE = "Een korting of een dienst"
LABEL_GIFT_KIND = "Wat"
GIFT_DESCRIPTION_TOO_LONG = "Hou het kort: zeg in hoogstens {maximum} wat je kreeg, bijvoorbeeld 'een fles wijn'."
GIVER_TYPE_QUESTION = "Van wie komt het?"
GIVER_TYPE_WHY = "van een leverancier of aannemer is extra voorzichtigheid nodig."
GIVER_TYPE_HELP = (
    "Een burger of klant gebruikt onze diensten. Een leverancier, aannemer of partner werkt voor of met ons."
)
GIVER_CITIZEN = "Een burger of klant"
GIVER_SUPPLIER = "Een leverancier, aannemer of partner"
GIVER_OTHER = "Iemand anders"
LABEL_GIVER_TYPE = "Soort gever"
GIVER_QUESTION = "Wie is de gever? Typ de naam van de persoon of organisatie."
GIVER_WHY = "het geschenkenregister houdt bij van wie geschenken komen."
GIVER_HELP = "Bijvoorbeeld 'Bouwbedrijf Peeters' of 'een inwoner van de Kerkstraat'."
GIVER_INVALID = "Typ de naam van de gever, tussen 2 en 200 tekens."
LABEL_GIVER = "Gever"
VALUE_QUESTION = "Hoeveel is het ongeveer waard, in euro? 'Weet ik niet' mag ook."
VALUE_WHY = "de waarde helpt beoordelen of het een klein geschenk is."
VALUE_HELP = "Bijvoorbeeld '25', '€ 25,50', 'ongeveer dertig euro' of 'weet ik niet'."
VALUE_INVALID = "Ik kon daar geen bedrag in lezen. Typ bijvoorbeeld '25', '€ 25,50', 'dertig euro' of 'weet ik niet'."
LABEL_VALUE = "Waarde"
VALUE_UNKNOWN = "onbekend"
SMALL_QUESTION = "Vind je het symbolisch of van kleine waarde?"
SMALL_CONTEXT = "De code van {org} noemt geen bedrag. Ze zegt: “{quote}” ({cite})."
SMALL_EXAMPLE = "Voorbeeld uit de code: “{example}”"
SMALL_WHY = "de code van {org} maakt het onderscheid, zonder een bedrag te geven. Jij kunt het best inschatten."
SMALL_HELP = "Denk aan een doos pralines, een bloemetje of een pen. Twijfel je, kies dan 'Ik weet het niet'."
LABEL_SMALL = "Symbolisch of klein"
PENDING_QUESTION = "Ligt er bij jou nu een beslissing, dossier of aanbesteding van de gever?"
PENDING_WHY = "dan kan een geschenk lijken op een poging om je beslissing te beïnvloeden."
PENDING_HELP = "Bijvoorbeeld: je beoordeelt een offerte, een vergunning of een aanvraag van de gever."
LABEL_PENDING = "Beslissing of dossier lopend"
REWARD_QUESTION = (
    "Verwacht de gever er iets voor terug, nu of later? Bijvoorbeeld dat je iets sneller of anders doet."
)
REWARD_WHY = "een geschenk mag nooit een tegenprestatie vragen. Een gewone bedanking is iets anders."
REWARD_HELP = (
    "Een bedanking na je gewone werk, zonder dat de gever iets terug verwacht, is geen tegenprestatie: "
    "kies dan 'Nee, een bedanking'. Wil de gever er iets voor, kies 'Ja'."
)
REWARD_YES = "Ja, de gever verwacht iets terug"
REWARD_NO = "Nee, een bedanking"
LABEL_REWARD = "Verwacht iets terug"
CONDITIONS_QUESTION = (
    "De code van {org} laat een kleine attentie alleen toe in deze gevallen ({cite}):\n{conditions}\n\n"
    "Geldt een van die gevallen voor jou?"
)
CONDITIONS_WHY = "anders laat de code het niet toe, hoe klein het geschenk ook is."
CONDITIONS_HELP = "Kies 'Ja' als minstens één van de drie gevallen klopt. Twijfel je, kies 'Ik weet het niet'."
LABEL_CONDITIONS = "Een geval uit de code"
RECEIVED_QUESTION = "Heb je het al gekregen?"
RECEIVED_WHY = "zo weet ik of je het moet weigeren of teruggeven."
RECEIVED_HELP = "Kies 'Ja' als je het al in handen hebt, 'Nee' als het alleen aangeboden is."
RECEIVED_YES = "Ja, ik heb het al"
RECEIVED_NO = "Nee, het is aangeboden"
LABEL_RECEIVED = "Al ontvangen"
ADVICE_ACCEPT = "Mijn advies: je mag het aanvaarden, op voorwaarde dat je het meldt. Dat doe je nu, met deze melding."
ADVICE_SHARE = (
    "Mijn advies: je mag het aanvaarden, maar het is niet voor jou alleen. Wat de code ermee vraagt, staat hieronder. "
    "Je meldt het nu, met deze melding."
)
ADVICE_DISCUSS = "Mijn advies: bespreek het eerst met {manager}, vóór je het aanvaardt of ingaat op de uitnodiging."
ADVICE_REFUSE_OFFERED = (
    "Mijn advies: weiger het, vriendelijk. Leg uit dat de regels van je werkgever het niet toelaten."
)
ADVICE_REFUSE_RECEIVED = (
    "Mijn advies: geef het terug, met een vriendelijk woordje uitleg. Lukt dat niet, bespreek het dan met {manager}."
)
LEAD_MONEY = "Het gaat om geld of een waardebon."
LEAD_PENDING = "Er ligt bij jou een beslissing of dossier van de gever."
LEAD_REWARD = "De gever verwacht er iets voor terug."
LEAD_CONDITIONS_NOT_MET = "Geen van de gevallen uit de code geldt."
LEAD_DOUBT = "Je twijfelt."
GENERAL_MONEY = "geld of een waardebon aanvaard je als medewerker van een overheid best nooit."
GENERAL_PENDING = "zolang er bij jou een beslissing of dossier van de gever ligt, aanvaard je best niets van die gever."
GENERAL_STRICT = "geld, of een geschenk terwijl er een beslissing van de gever bij jou ligt, weiger je best altijd."
GENERAL_ADVICE = "Dit is algemeen advies, geen regel uit de code van {org}: {advice}"
ADVICE_QUOTE = "De code van {org} zegt: “{quote}” ({cite})."
ADVICE_ALSO = "De code zegt ook: “{quote}”"
ADVICE_SILENT = (
    "De code van {org} zegt niets over geschenken of uitnodigingen. Ik kan je dus geen regel uit jullie code geven. "
    "Vraag het daarom eerst aan {manager}."
)
ADVICE_SHORT = {
    "accept_and_report": "aanvaarden en melden",
    "accept_and_share": "aanvaarden, delen of afgeven, en melden",
    "discuss_first": "eerst bespreken",
    "refuse": "weigeren",
    "return": "teruggeven",
}
# The advice in one sentence, per advice as given (dialogs.gift.verdict); ADVICE_SHORT says the same in a word.
ADVICE_VERDICT = {
    "accept_and_report": ADVICE_ACCEPT,
    "accept_and_share": ADVICE_SHARE,
    "discuss_first": ADVICE_DISCUSS,
    "refuse": ADVICE_REFUSE_OFFERED,
    "return": ADVICE_REFUSE_RECEIVED,
}
MANAGER_QUESTION = "Wie is {manager}? Typ een naam of een e-mailadres."
MANAGER_WHY_CODE = "de code van {org} vraagt dat {manager} het weet ({cite}). Je melding is voor die persoon."
MANAGER_WHY_DEFAULT = (
    "de code van {org} zegt niet wie het moet weten. Ik zet het daarom bij {manager}: "
    "dat is onze standaardkeuze, geen regel uit de code."
)
MANAGER_HELP = "Typ de naam of het e-mailadres van je {manager}, bijvoorbeeld 'Jan Janssens'."
LABEL_ADVICE = "Advies"
GIFT_SUMMARY = "Dit is je melding voor het geschenkenregister. Kijk ze nog even na."
GIFT_SEND = "Geschenk melden"
GIFT_RECEIVED = "Je geschenk staat in het geschenkenregister. Referentie: {reference}.\n\n{delivery}\n\n{advice}"
GIFT_DELIVERY = "{manager} krijgt een bericht met de gegevens."
GIFT_NO_CHANNEL = (
    "Ik kan {manager} zelf geen bericht sturen. Laat het {manager} dus zelf weten, met de referentie {reference}."
)
