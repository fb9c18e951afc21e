"""Document text is text: escaping and sanitising before anything is rendered.

Everything that comes from a document (text, titles, names, file names,
metadata, front matter) is untrusted. Before it reaches HTML or Markdown that
the app or a published site renders, it goes through this module:

- :func:`html_text` escapes text for an HTML context (element content or a
  quoted attribute).
- :func:`md_text` escapes text for Gradio Markdown, so that neither Markdown
  syntax nor inline HTML in a document is interpreted.
- :func:`clean_html` is the last line of defence for HTML the product built
  itself: an allow-list sanitiser (``nh3``) that keeps only harmless tags and
  ``http(s)``/relative links, and drops images, media, forms, styles, SVG and
  scripts whatever their origin.
- :func:`mask_personal` masks personal identity numbers, phone numbers and
  e-mail addresses.
"""

from __future__ import annotations

import html
import re

import nh3

#: Tags the product's own HTML may use. No img, media, form, style, svg, iframe.
ALLOWED_TAGS = frozenset({
    "a", "b", "blockquote", "br", "code", "div", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i",
    "li", "mark", "ol", "p", "pre", "small", "span", "strong", "sub", "sup", "table", "tbody", "td",
    "th", "thead", "tr", "ul", "details", "summary",
})
ALLOWED_ATTRIBUTES = {
    "*": {"class", "id", "title", "lang"},
    "a": {"href"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
}

# Characters with a meaning in Markdown (CommonMark's ASCII punctuation that can
# start or end syntax). Escaped with a backslash; < and > and & become entities
# so inline HTML can never form.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~])")


def html_text(text: object) -> str:
    """Escape ``text`` for HTML element content and quoted attributes."""
    return html.escape("" if text is None else str(text), quote=True)


def md_text(text: object) -> str:
    """Escape ``text`` so Markdown renders it literally, with no HTML.

    Line breaks are kept as line breaks; everything else that Markdown or HTML
    could interpret is escaped.
    """
    value = "" if text is None else str(text)
    value = html.escape(value, quote=True)
    return _MD_SPECIAL.sub(r"\\\1", value)


def clean_html(markup: str) -> str:
    """Sanitise product-built HTML with an allow-list; links only http(s) or relative."""
    return nh3.clean(
        markup,
        tags=set(ALLOWED_TAGS),
        attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
        url_schemes={"http", "https"},
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


# Personal identity number (personnummer / samordningsnummer): YYMMDD-XXXX,
# YYYYMMDD-XXXX, with - or + or nothing between.
_PNR = re.compile(r"(?<!\d)(?:19|20)?\d{2}(?:0[1-9]|1[0-2])(?:[0-2]\d|3[01]|[6-8]\d|9[01])[-+]?\d{4}(?!\d)")
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Swedish phone numbers: 0xx-xxx xx xx, 07x-xxx xx xx, +46 ...
_PHONE = re.compile(r"(?<![\w+])(?:\+46[\s-]?|0)\d{1,3}[\s-]?\d{2,3}(?:[\s-]?\d{2}){1,3}(?!\d)")


def mask_personal(text: str) -> str:
    """Mask personal identity numbers, e-mail addresses and phone numbers."""
    text = _PNR.sub("ÅÅMMDD-XXXX", text)
    text = _EMAIL.sub("[e-post]", text)
    return _PHONE.sub("[telefon]", text)
