"""Dutch text handling for lookup: folding, tokens, stop words and Snowball stems."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import snowballstemmer
from wordfreq import zipf_frequency

_TOKEN = re.compile(r"[a-z0-9]+")
_STEMMER = snowballstemmer.stemmer("dutch")

# Function words and chat filler that say nothing about the topic of a question. Kept short on purpose:
# words such as "melden", "mag" or "collega" can carry meaning in a code and stay searchable. The last line
# holds spoken Flemish forms ("ni" for niet, "da" for dat, "ge" for je).
STOP_WORDS = frozenset(
    """
    aan al alle alles als met altijd ander andere anders bij ben ik bent je bijvoorbeeld dan dat de
    deze die dit doe doen door dus een eens eigenlijk en er ergens even geen had heb hebben heeft
    hem het hier hij hoe hoeveel hun in is ja jij jou jouw kan kun kunnen maar me mee mij mijn moet
    moeten mogen na naar nee niet niets nog nu of om omdat ons onze ook op over te tegen toch toen
    tot u uit van vandaag veel voor waar wanneer wat we welk welke wel wie wij wil willen word wordt
    worden zal ze zelf zich zij zijn zo zonder zou zouden dag hallo hoi goedemorgen bedankt dank
    graag aub alsjeblieft iets iemand volgende vorige laatste eerste mag heel echt gewoon soms daar
    waarom waarmee beste vraag
    ni nie da wa ne nen ge gij oe ier
    """.split()
)


def fold(text: str) -> str:
    """Lower-case and strip accents ("Privé" -> "prive")."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def tokens(text: str) -> list[str]:
    """Folded word tokens of a text, stop words included."""
    return _TOKEN.findall(fold(text))


def token_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, folded token) for each word of the original text, for highlighting."""
    spans = []
    for match in re.finditer(r"\w+", text):
        folded = fold(match.group())
        if _TOKEN.fullmatch(folded):
            spans.append((match.start(), match.end(), folded))
    return spans


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Snowball Dutch stem of one folded word."""
    return _STEMMER.stemWord(word)


def is_content_word(word: str) -> bool:
    """True for words worth searching on: not a stop word, not a lone letter."""
    return len(word) > 1 and word not in STOP_WORDS


@lru_cache(maxsize=65536)
def zipf(word: str) -> float:
    """How common a folded word is in Dutch, on the Zipf scale (0 unknown, 3 uncommon, 6 very common); wordfreq."""
    return zipf_frequency(word, "nl", wordlist="small")
