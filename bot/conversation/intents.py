"""What an ordinary sentence asks for: to start a flow now, or which flow to offer after a lookup answer."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import pairwise

from bot.knowledge.text import tokens
from bot.vocabulary import messages as msg
from bot.vocabulary.turns import Choice, Reply

# A wish to start a flow is short; a longer message tells a story or asks something, and the lookup answers it.
INTENT_MAX_CHARS = 120
# How many words may stand between the wish ("ik wil") and what is wished ("... melden"): enough for
# "ik wil een vermoeden van fraude door een collega melden", too few to reach into a second sentence.
MAX_GAP = 8

# Words before the wish that change nothing: "Hallo, ik wil iets melden."
FILLERS = frozenset(
    "hallo hoi dag hey hi allo goedemorgen goeiemorgen goedemiddag goedenavond beste ja ok oke okay euh eh uhm "
    "sorry bot integriteitsbot dus maar en".split()
)
# How a sentence opens when its writer wants something done, as token sequences. A rule question ("mag ik",
# "moet ik", "kan ik ... ?") is deliberately absent: the code answers it, and the lookup then offers the flow.
WISHES: tuple[tuple[str, ...], ...] = (
    ("ik", "wil"),
    ("ik", "wou"),
    ("ik", "wilde"),
    ("ik", "zou", "graag"),
    ("ik", "zou", "willen"),
    ("ik", "wens"),
    ("ik", "moet"),  # "ik moet iets melden": a statement of need, unlike the question "moet ik ... ?"
    ("ik", "zoek"),
    ("ik", "heb", "nood", "aan"),
    ("ik", "heb", "behoefte", "aan"),
    ("we", "willen"),
    ("wij", "willen"),
    ("graag", "zou", "ik"),
    ("graag",),
    ("kun", "je", "me", "helpen"),
    ("kan", "je", "me", "helpen"),
    ("help", "me"),
    # A how or where question about doing it: the flow itself explains how it goes.
    ("hoe", "kan", "ik"),
    ("hoe", "kun", "ik"),
    ("hoe", "moet", "ik"),
    ("hoe", "doe", "ik"),
    ("hoe", "meld", "ik"),
    ("waar", "kan", "ik"),
    ("waar", "moet", "ik"),
    ("waar", "meld", "ik"),
    ("bij", "wie", "kan", "ik"),
    ("bij", "wie", "moet", "ik"),
)
# Only for the adviser: "wie is mijn vertrouwenspersoon" asks for the person, which is what that flow tells.
WHO_IS: tuple[tuple[str, ...], ...] = (("wie", "is"), ("wie", "zijn"))
# "ik wil weten hoe ik iets meld" and "... wie mijn vertrouwenspersoon is" ask for the flow too; after "weten"
# anything else ("of", "wat") is a question about the code.
HOW_AFTER_KNOW = frozenset({"hoe", "waar", "wie"})
# Words between the wish and the verb that turn the sentence into a question or a refusal:
# "ik wil weten of ik een geschenk moet melden", "ik wil dit liever niet melden".
BLOCKERS = frozenset(
    "weten vragen vraag of wat wanneer waarom welke welk mag mogen moet moeten niet niets geen nooit".split()
)

REPORT_VERBS = frozenset("melden meld melding meldingen aangeven signaleren rapporteren klokkenluiden".split())
# "ik wil aangeven dat ik het oneens ben" only says something; "aangeven" reports when it has an object.
SAYING_VERBS = frozenset({"aangeven", "signaleren"})
GIFT_VERBS = REPORT_VERBS | frozenset("registreren declareren aangifte doorgeven".split())
# What the gift flow declares, by word start ("geschenken", "cadeautje") and as the head of a compound
# ("relatiegeschenk", "kerstcadeau"): in Dutch the last part of a compound names what it is.
GIFT_OBJECTS = ("geschenk", "cadeau", "kado", "uitnodiging")
ADVISERS = ("vertrouwenspersoon", "vertrouwenspersonen", "preventieadviseur")
TALK_VERBS = frozenset("praten spreken babbelen bespreken vertellen".split())
# The only words an order without a wish may have besides its verb and a gift: "anoniem iets melden".
BARE_OBJECTS = frozenset("iets een mijn dit dat anoniem graag".split())
# Someone else's deed: "ik wil melden dat mijn collega geschenken aanneemt" is a report, not the user's gift.
OTHERS = frozenset("collega collegas baas chef leidinggevende directeur schepen burgemeester iemand hij zij".split())
# Endings after a compound's head: "relatiegeschenken", "kerstcadeautje", "kerstkadootje".
INFLECTIONS = ("", "en", "s", "je", "jes", "tje", "tjes", "otje", "otjes")

# After a lookup answer: which flow the question names. Whole words, word starts (inflections and the compounds
# listed) and compound heads; never a substring, so "ik kreeg een rare mail" names no gift.
PEOPLE_WORDS = frozenset(
    "pest gepest pesten pestte uitgescholden uitschelden scheldt bedreigd bedreigt bedreigen lastiggevallen "
    "lastigvallen vernederd vernedert gekleineerd geintimideerd getreiterd gestalkt uitgelachen aangerand "
    "betast agressie agressief".split()
)
PEOPLE_ROOTS = (
    "pesten", "pesterij", "pestgedrag", "pestkop", "intimid", "grensoverschrijd", "ongewenst", "seksu", "seksis",
    "geweld", "discrimin", "gediscrimineerd", "racis", "roddel", "geroddeld", "treiter", "kleineer", "bedreiging",
    "aanranding",
)  # fmt: skip
PEOPLE_HEADS = ("geweld", "pesten", "intimidatie", "discriminatie")
REPORT_WORDS = frozenset("steelt stelen gestolen vermoeden vermoed vermoedens omgekocht opgelicht".split())
REPORT_ROOTS = (
    "fraud", "corrupt", "smeergeld", "steekpenning", "omkop", "diefstal", "misbruik", "klokkenluid", "sjoemel",
    "gesjoemel", "verduister", "witwas", "vriendjespolitiek", "oplichting", "integriteitsschending",
)  # fmt: skip
REPORT_HEADS = ("misbruik", "fraude", "diefstal")
GIFT_WORDS = frozenset(
    "wijn wijnen fles flessen flesje flesjes pralines praline bloemen bloemetje bloemetjes boeket bon bonnen "
    "tickets ticketjes fooi fooien fooitje etentje etentjes uitgenodigd chocolade".split()
)
GIFT_ROOTS = (
    "geschenk", "cadeau", "kado", "relatiegeschenk", "cadeaubon", "waardebon", "kerstpakket", "verwenpakket",
    "uitnodig", "uitgenodigd", "vrijkaart", "concertticket", "wijnfles",
)  # fmt: skip
# Not "bon" or "pakket" as heads: a "kassabon" is a receipt and a "takenpakket" a job description.
GIFT_HEADS = ("geschenk", "cadeau", "kado", "uitnodiging", "wijn")
# Money or a favour is a gift question only when it is given: "een klant geeft me geld", not "mijn geld".
VALUABLES = frozenset("geld cash contant contanten envelop enveloppe envelopje korting kortingen reis reisje".split())
GIVING = frozenset(
    "geeft geven gaf gaven gegeven krijg krijgt kreeg kregen krijgen gekregen ontvang ontvangt ontving ontvangen "
    "aangeboden aanbieden biedt bood boden schenkt schonk geschonken schenken toestoppen toegestopt toesteken "
    "toegestoken aannemen aanvaarden aanvaard accepteren".split()
)
GIVERS = frozenset(
    "klant klanten leverancier leveranciers aannemer aannemers burger burgers inwoner inwoners bedrijf bedrijven "
    "firma firmas aanvrager client clienten bezoeker bezoekers handelaar zakenpartner partner consultant "
    "makelaar projectontwikkelaar".split()
)


def start_intent(text: str) -> str | None:
    """The flow a message clearly asks to start ("melden", "geschenk", "vertrouwenspersoon"), or None."""
    if len(text) > INTENT_MAX_CHARS:
        return None
    words = tokens(text)
    while words and words[0] in FILLERS:
        words = words[1:]
    rest = _after_wish(words)
    if rest is None:
        # "geschenk melden?" asks whether to, which the code answers; "geschenk melden" asks to do it.
        return None if text.rstrip().endswith("?") else _bare(words)
    for at, word in enumerate(rest[: MAX_GAP + 1]):
        if word in BLOCKERS:
            return None
        if _is_adviser(word) or (word in TALK_VERBS and _in_confidence(rest[:at])):
            return "vertrouwenspersoon"
        if word in REPORT_VERBS or word in GIFT_VERBS:
            return _reported(word, rest[:at], rest[at + 1 :], words)
    return None


def _after_wish(words: list[str]) -> list[str] | None:
    """The words after an opening wish, or None when the message does not open with one."""
    for wish in WISHES:
        if tuple(words[: len(wish)]) == wish:
            rest = words[len(wish) :]
            if rest[:1] == ["weten"] and rest[1:2] and rest[1] in HOW_AFTER_KNOW:
                rest = rest[2:]
            return rest
    for wish in WHO_IS:
        if tuple(words[: len(wish)]) == wish and any(_is_adviser(word) for word in words[len(wish) : len(wish) + 3]):
            return words[len(wish) :]
    return None


def _bare(words: list[str]) -> str | None:
    """A short order without a wish, as people type commands: "iets melden", "een geschenk registreren".

    Only when nothing in it names a topic: "grensoverschrijdend gedrag melden" reads as a search, which the
    lookup answers and then offers the flows."""
    if not 2 <= len(words) <= 4:
        return None
    *before, last = words
    if before[-1] == "melding" and last in ("doen", "maken", "indienen"):
        before, last = before[:-1], "melding"
    if last not in REPORT_VERBS | GIFT_VERBS or not all(word in BARE_OBJECTS or _names_gift(word) for word in before):
        return None
    return _reported(last, before, [], words)


def _reported(verb: str, before: list[str], after: list[str], words: list[str]) -> str | None:
    """Which flow a wish to report, declare or register something asks for."""
    if verb in SAYING_VERBS and after[:1] == ["dat"]:
        return None
    serious = any(_names(word, REPORT_ROOTS, REPORT_WORDS, REPORT_HEADS) for word in words)
    if not serious and any(_names_gift(word) for word in before):
        return "geschenk"
    if not serious and any(_names_gift(word) for word in after) and not any(word in OTHERS for word in after):
        return "geschenk"
    if verb in REPORT_VERBS:
        return "melden"
    return None  # "ik wil iets registreren": not clearly a gift


def _is_adviser(word: str) -> bool:
    """Whether a word names the adviser the flow helps find."""
    return word.startswith(ADVISERS)


def _in_confidence(before: list[str]) -> bool:
    """'met iemand in vertrouwen praten', 'iets vertrouwelijk bespreken'."""
    return "vertrouwelijk" in before or ("in", "vertrouwen") in pairwise(before)


def _names_gift(word: str) -> bool:
    """Whether a word names a gift or invitation as the gift flow declares it."""
    return word in ("gift", "giften") or word.startswith(GIFT_OBJECTS) or _head(word, GIFT_OBJECTS)


def offers(text: str, misdeed: bool = False, has_gift_rules: bool = True) -> list[Reply]:
    """After a lookup answer, offer the flow the question names: the adviser, a report or a gift declaration.
    `misdeed`: the question tells of a misdeed by its meaning, in words the lists below do not hold;
    `has_gift_rules`: whether the code says anything on gifts, so the gift flow can say what it says."""
    words = tokens(text)
    if any(_names(word, PEOPLE_ROOTS, PEOPLE_WORDS, PEOPLE_HEADS) for word in words):
        choices = (Choice("Vertrouwenspersoon zoeken", "vertrouwenspersoon"), Choice("Vermoeden melden", "melden"))
        return [Reply(msg.OFFER_PEOPLE, choices)]
    # A misdeed outranks a gift: "een aannemer bood smeergeld" is for the report flow, not the gift register.
    if misdeed or any(_names(word, REPORT_ROOTS, REPORT_WORDS, REPORT_HEADS) for word in words):
        return [Reply(msg.OFFER_REPORT, (Choice("Vermoeden melden", "melden"),))]
    if _names_a_gift(words):
        return [
            Reply(msg.OFFER_GIFT if has_gift_rules else msg.OFFER_GIFT_SILENT, (Choice("Geschenk melden", "geschenk"),))
        ]
    return []


def names_a_gift(text: str) -> bool:
    """Whether a question is about a gift or an invitation (and not about a misdeed, which the report is for)."""
    words = tokens(text)
    return _names_a_gift(words) and not any(_names(word, REPORT_ROOTS, REPORT_WORDS, REPORT_HEADS) for word in words)


def _names(word: str, roots: tuple[str, ...], whole: frozenset[str] = frozenset(), heads: tuple[str, ...] = ()) -> bool:
    """Whether a word is one of these words, starts with one of these roots, or is a compound with this head."""
    return word in whole or word.startswith(roots) or (bool(heads) and _head(word, heads))


def _names_a_gift(words: list[str]) -> bool:
    """A gift or invitation named, or money or a favour being given ("ik kreeg geld van een leverancier")."""
    if any(_names(word, GIFT_ROOTS, GIFT_WORDS, GIFT_HEADS) for word in words):
        return True
    given = any(word in GIVING for word in words)
    if given and any(word in VALUABLES for word in words):
        return True
    # "ik kreeg iets van een klant": something from outside, given; "ik kreeg iets raars" names no giver.
    return given and "iets" in words and any(word in GIVERS for word in words)


def _head(word: str, roots: Iterable[str]) -> bool:
    """Whether a compound ends in one of these roots, inflected or not: 'relatiegeschenken', 'kerstcadeautje'."""
    return any(word.endswith(root + ending) for root in roots for ending in INFLECTIONS)
