"""What the addendum flow ('aanvullen <code>') says, in Dutch."""

ADDENDUM_INTRO = "Je voegt informatie toe aan melding {reference}."
ADDENDUM_QUESTION = "Wat wil je toevoegen?"
ADDENDUM_WHY = "wie je melding behandelt, ziet wat je toevoegt bij de melding."
ADDENDUM_HELP = "Schrijf wat er nieuw is of wat je vergat. Tussen 5 en 4.000 tekens."
LABEL_ADDENDUM = "Aanvulling"
ADDENDUM_SUMMARY = "Dit voeg ik toe aan je melding."
ADDENDUM_SEND = "Aanvulling versturen"
ADDENDUM_RECEIVED = "Je aanvulling is bewaard bij melding {reference}. Wie je melding behandelt, krijgt een seintje."
ADDENDUM_RECEIVED_HELD = (
    "Je aanvulling is bewaard bij melding {reference}. Wie je melding behandelt, krijgt een seintje: morgenochtend "
    "om 8 uur, zodat het tijdstip niets over jou verraadt."
)
ADDENDUM_NO_CHANNEL = (
    "Je aanvulling is bewaard bij melding {reference}. Wie je melding behandelt, ziet ze wanneer die de melding opent."
)
