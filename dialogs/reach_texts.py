"""What the flows say about reaching people: an anonymous report rerouted away from the reporter's own boss, a
person the bot cannot reach, and the reporting point offered instead."""

# An anonymous report never goes to the reporter's own leidinggevende or diensthoofd: naming them names the reporter.
ANONYMOUS_REROUTED = (
    "Een anonieme melding stuur ik niet naar {personal}: dan zou je moeten zeggen wie dat is, en dat zegt iets "
    "over jou. Ik vraag je daarom niets over je {personal_short}."
)
POINT_LAW = "Volgens {law} is {name} het intern meldpunt: die mag elke melding ontvangen, ook een anonieme."
POINT_CODE = "Volgens de code van {org} is {name} het intern meldpunt: “{quote}” ({cite})."
REROUTED_TO = "Je melding gaat daarom naar {name}."
# A named report for someone the bot has no way to reach.
REACH_UNKNOWN = (
    "Ik kan {name} zelf geen bericht sturen: ik vind die persoon niet in Teams of Slack, en ik mail alleen naar "
    "adressen van je eigen organisatie. Zo zou je melding bij niemand aankomen."
)
REACH_QUESTION = (
    "{unknown}\n\n{instead}\n\nWil je je melding daar indienen? Of kies je iemand anders, met de lijst van Teams "
    "of Slack of met een e-mailadres van je organisatie?"
)
REACH_WHY = "ik zeg je liever eerlijk dat ik iemand niet bereik dan dat je melding blijft liggen."
REACH_HELP = (
    "Kies '{point}' en je melding gaat naar {name}. Kies 'Iemand anders kiezen' om een andere persoon te geven. "
    "Wil je je {role} liever zelf op de hoogte brengen? Typ dan 'stop': dan bewaar ik niets."
)
REACH_POINT = "Naar {name}"
REACH_OTHER = "Iemand anders kiezen"
# A gift declaration for a manager the bot cannot reach: said in the summary, before anything is stored.
LABEL_REACH = "Bericht"
GIFT_CANNOT_REACH = (
    "Ik kan {name} zelf geen bericht sturen. Je geschenk komt wel in het register; laat het {name} zelf weten."
)
