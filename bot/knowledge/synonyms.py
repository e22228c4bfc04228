"""Everyday phrases mapped to the words a code uses ("bijjob" -> "nevenactiviteit"), for the lexical lookup."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.knowledge.lemmas import term
from bot.knowledge.text import is_content_word, tokens


@dataclass
class Synonyms:
    """Everyday phrases (folded token tuples) mapped to the code's words (folded tokens)."""

    phrases: dict[tuple[str, ...], list[str]] = field(default_factory=dict)
    by_stem: dict[str, list[str]] = field(default_factory=dict)  # one-word phrases, by their stem

    @classmethod
    def build(cls, mapping: dict[str, list[str]]) -> Synonyms:
        """Invert the file's `code words: [everyday phrases]` mapping into phrase -> code words."""
        phrases: dict[tuple[str, ...], list[str]] = {}
        for code_words, everyday in mapping.items():
            targets = [t for t in tokens(code_words) if is_content_word(t)]
            for phrase in everyday:
                key = tuple(tokens(phrase))
                if key:
                    phrases.setdefault(key, []).extend(t for t in targets if t not in phrases.get(key, []))
        by_stem: dict[str, list[str]] = {}
        for phrase, targets in phrases.items():
            if len(phrase) == 1:
                by_stem.setdefault(term(phrase[0]), []).extend(targets)
        return cls(phrases, by_stem)

    @property
    def longest(self) -> int:
        """The longest phrase, in tokens."""
        return max((len(p) for p in self.phrases), default=1)
