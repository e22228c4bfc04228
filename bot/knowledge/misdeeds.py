"""What a misdeed sounds like: sentences whose meaning tells the bot to offer the report flow after an answer."""

from __future__ import annotations

# Paraphrases of integrity breaches staff describe in their own words. A question this close in meaning to one of
# them gets the offer to report a suspicion, also when it names no word like "fraude" ("een collega steekt geld
# van het projectbudget in eigen zak"). Written as a colleague would tell it, not as a code words it.
PROTOTYPES = (
    "een collega steelt geld van het werk",
    "iemand verduistert geld van de organisatie",
    "mijn leidinggevende neemt smeergeld aan van een aannemer",
    "een collega fraudeert met zijn onkostennota's",
    "een collega gebruikt het geld van een project voor zichzelf",
    "ik vermoed dat iemand fraude pleegt",
    "een collega sjoemelt met zijn uren",
    "een ambtenaar bevoordeelt een bevriende firma bij een opdracht",
    "iemand misbruikt zijn functie voor eigen voordeel",
    "een collega neemt materiaal van het werk mee naar huis voor zichzelf",
    "iemand vervalst documenten of facturen",
    "ik zag dat een collega geld uit de kas nam",
    "een leverancier betaalt een collega om opdrachten te krijgen",
    "een collega lekt vertrouwelijke informatie voor geld",
)

# How close (cosine, e5 query side) a question must come to one of them. Measured on the labelled questions:
# the median question comes 0.85 close, reports in other words 0.89 to 0.96; at 0.92 about 3% of all labelled
# questions get the offer, nearly all of them about a misdeed or a conflict at work.
LEVEL = 0.92
