"""Helpers for page tests: count a page's queries at two sizes of data; read a page's tables."""

import re
from html import unescape
from html.parser import HTMLParser

from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return len(queries)


def table_rows(page):
    """Each table row of a page as the text of its cells, tags dropped and spaces collapsed."""
    return [
        [
            " ".join(unescape(re.sub(r"<[^>]+>", " ", cell)).split())
            for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)
        ]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", page, re.S)
    ]


def count_queries_of():
    """`with count_queries_of() as queries:` records the queries the block runs."""
    return CaptureQueriesContext(connection)


class _TextById(HTMLParser):
    """Collects the text inside the element with a given id, however deeply it nests."""

    VOID = {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
    INLINE = {"a", "abbr", "b", "em", "i", "small", "span", "strong"}

    def __init__(self, element_id):
        super().__init__()
        self.element_id, self.depth, self.found, self.words = element_id, 0, False, []

    def handle_starttag(self, tag, attrs):
        if self.depth:
            self.depth += tag not in self.VOID
            self._separate(tag)
        elif dict(attrs).get("id") == self.element_id:
            self.depth, self.found = 1, True

    def handle_endtag(self, tag):
        if self.depth and tag not in self.VOID:
            self.depth -= 1
            self._separate(tag)

    def _separate(self, tag):
        # Block elements and line breaks separate words; inline ones (a link, a tag) do not.
        if tag not in self.INLINE:
            self.words.append(" ")

    def handle_data(self, data):
        if self.depth:
            self.words.append(data)


def text_by_id(html, element_id):
    """The words inside the element with this id, tags removed and spaces collapsed."""
    parser = _TextById(element_id)
    parser.feed(html)
    assert parser.found, f"No element with id {element_id!r}"
    return " ".join("".join(parser.words).split())
