"""Chinese word segmentation for the automatic QA checks.

Chinese has no spaces, so a negative phrase such as 但是 ("but") cannot be found by substring:
it also sits inside other words' characters (但是否 is 但 + 是否, "but whether"). Replies and phrases
are cut into words with jieba's dictionary (without its HMM guesser, so results do not depend on
unseen words), and a phrase matches when its words appear in a row.

The cutting is done by ``rjieba``, the Python binding of jieba-rs: the same dictionary and the
same words as the pure-Python ``jieba`` (compared on the benchmark's replies and on random text),
about ten times faster; the checks spend most of their time here.
"""

import re
from html import unescape

import rjieba

TAGS = re.compile(r"<[^>]*>")
SPACES = re.compile(r"\s+")


def html_to_text(html):
    """Plain text of a message body; a cheap strip, the checks only need the words."""
    return SPACES.sub(" ", unescape(TAGS.sub(" ", html or ""))).strip()


def tokenize(text):
    return [word for word in rjieba.cut(text, False) if word.strip()]


class Words:
    """The words of one text, indexed once to look several phrase lists up."""

    __slots__ = ("present", "words")

    def __init__(self, words):
        self.words = words
        self.present = set(words)

    def find(self, phrases):
        """Phrases (tuples of words) that occur as consecutive words."""
        words, present = self.words, self.present
        found = []
        for phrase in phrases:
            if phrase[0] not in present:
                continue
            if len(phrase) == 1:
                found.append(phrase)
                continue
            size = len(phrase)
            if any(
                word == phrase[0] and tuple(words[index : index + size]) == phrase for index, word in enumerate(words)
            ):
                found.append(phrase)
        return found


def find_phrases(words, phrases):
    return Words(words).find(phrases)
