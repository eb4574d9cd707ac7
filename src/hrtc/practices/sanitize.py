"""User-written rich text is never stored raw: nh3 (the Rust ammonia sanitiser) keeps a small set of
formatting tags and safe links, and drops scripts, styles, event handlers and javascript: URLs."""

from __future__ import annotations

import html

import nh3

TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "ul", "ol", "li", "blockquote", "h3", "h4",
    "a", "table", "thead", "tbody", "tr", "th", "td", "caption", "abbr", "q", "cite", "code",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title", "hreflang"}, "abbr": {"title"}, "th": {"scope"}, "q": {"cite"}}


def clean_html(value: str) -> str:
    return nh3.clean(
        value or "",
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    ).strip()


def plain_text(value: str) -> str:
    """The text of sanitised HTML (for search and summaries)."""
    return " ".join(html.unescape(nh3.clean(value or "", tags=set())).split())
