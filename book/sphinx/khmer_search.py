"""Search for the Khmer book (a Sphinx extension: the search language `km`,
used only when the build's language is Khmer).

Sphinx has no Khmer splitter: it falls back to English, whose `\\w+` cuts
Khmer at every vowel sign, so the index holds consonant fragments. Khmer
writes no spaces between words, and word segmenters disagree with one
another (the reader's phone may carry other ICU data than the build), so
the index and the reader's query are cut the same way by one regular
expression: Khmer orthographic clusters (a consonant or independent vowel
with its subscripts, vowel signs and marks), runs of Khmer digits, and Latin
words. `TOKEN` is compiled by Python for the index and by the browser for
the query (`js_splitter_code`): the same pattern text in both. A Khmer word
typed into search is found on every page that has all of its clusters
(Sphinx's rule for a query of several words), so a search can also find a
page where the clusters stand in other words, never one that lacks one.
"""
from __future__ import annotations

import json
import re
from typing import Any

from sphinx.application import Sphinx
from sphinx.search import SearchLanguage

# A consonant or independent vowel (or the rare letter U+17DC), then any
# subscript consonants (coeng + consonant), dependent vowels, signs, and the
# joiners that keep a cluster together.
CLUSTER = r"[\u1780-\u17B3\u17DC](?:\u17D2[\u1780-\u17B3]|[\u17B4-\u17D1\u17D3\u17DD\u200C\u200D])*"
KHMER_DIGITS = r"[\u17E0-\u17E9]+"
# Latin letters (with the accented ones of Latin-1 and Latin Extended-A/B),
# digits and underscore: spelled out, because Python's \w is Unicode-wide and
# JavaScript's is ASCII only.
LATIN = r"[0-9A-Za-z_\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u024F]+"
PATTERN = "|".join((CLUSTER, KHMER_DIGITS, LATIN))
TOKEN = re.compile(PATTERN)

# searchtools.js requires every word of a query only when every word is
# longer than two characters (short English words are let go), and most
# Khmer clusters are one or two characters long: a query would then find
# pages that lack some of its clusters. The index and the query therefore
# write a short Khmer cluster in brackets ("[ក]"), which only matches itself.
SHORT = 2
KHMER_START = r"^[\u1780-\u17FF]"
_KHMER_START = re.compile(KHMER_START)


def index_form(token: str) -> str:
    """How a token is written in the index and in the query."""
    return f"[{token}]" if len(token) <= SHORT and _KHMER_START.match(token) else token


# searchtools.js calls splitQuery(query) and new Stemmer().stemWord(word):
# these replace its defaults, with the same patterns as split() and index_form().
JS_SPLITTER = (
    "/* Khmer clusters, Khmer digits and Latin words: the pattern the index was made with"
    " (book/sphinx/khmer_search.py). */\n"
    f"var KQ_SEARCH_TOKEN = {json.dumps(PATTERN)};\n"
    "function splitQuery(query) {\n"
    '  return query.match(new RegExp(KQ_SEARCH_TOKEN, "g")) || [];\n'
    "}\n"
)
JS_STEMMER = (
    "/* A short Khmer cluster in brackets, as in the index (book/sphinx/khmer_search.py). */\n"
    f"var KQ_KHMER_START = new RegExp({json.dumps(KHMER_START)});\n"
    "var Stemmer = function() {\n"
    "  this.stemWord = function(w) {\n"
    f'    return w.length <= {SHORT} && KQ_KHMER_START.test(w) ? "[" + w + "]" : w;\n'
    "  };\n"
    "};\n"
)


class SearchKhmer(SearchLanguage):
    lang = "km"
    language_name = "Khmer"
    js_splitter_code = JS_SPLITTER
    js_stemmer_code = JS_STEMMER

    def split(self, input: str) -> list[str]:
        return TOKEN.findall(input)

    def stem(self, word: str) -> str:
        return index_form(word)


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_search_language(SearchKhmer)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
