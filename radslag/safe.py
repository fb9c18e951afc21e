"""Document text is text: escaping and sanitising before anything is rendered.

Everything that comes from a document (text, titles, names, file names,
metadata, front matter) is untrusted. Before it reaches HTML or Markdown that
the app or a published site renders, it goes through this module:

- :func:`html_text` escapes text for an HTML context (element content or a
  quoted attribute).
- :func:`md_text` escapes text for Gradio Markdown, so that neither Markdown
  syntax (links, images, autolinks, headings, tables) nor inline HTML in a
  document is interpreted.
- :func:`clean_html` is the last line of defence for HTML the product built
  itself: an allow-list sanitiser (``nh3``) that keeps only harmless tags and
  ``http(s)``/relative links, and drops images, media, forms, styles, SVG and
  scripts whatever their origin.
- :func:`mask_personal` masks personal identity numbers, phone numbers and
  e-mail addresses; :func:`shown` applies it where masking is on: the
  process default (:func:`set_masking`) or a thread's or task's own switch
  (:func:`masking`), and both escapers call :func:`shown`
  first, so every document string that is rendered is masked too.
"""

from __future__ import annotations

import contextlib
import contextvars
import html
import re
from collections.abc import Iterator
from dataclasses import fields, is_dataclass, replace
from typing import Any

import nh3

from radslag.i18n import t

#: Tags the product's own HTML may use. No img, media, form, style, svg, iframe.
ALLOWED_TAGS = frozenset({
    "a", "b", "blockquote", "br", "code", "div", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i",
    "li", "mark", "ol", "p", "pre", "small", "span", "strong", "sub", "sup", "table", "tbody", "td",
    "th", "thead", "tr", "ul", "details", "summary", "caption", "time",
})
ALLOWED_ATTRIBUTES = {
    "*": {"class", "title", "lang"},
    "a": {"href"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "time": {"datetime"},
}
# The product's own data attributes (e.g. data-item on a result card); values are escaped by nh3.
_DATA_PREFIXES = {"data-"}

# Characters with a meaning in Markdown (CommonMark's ASCII punctuation that can
# start or end syntax, plus ':' and '@' so GFM autolinks never form, '=' for
# setext headings and '$' for Gradio's LaTeX). Escaped with a backslash; < > & "
# ' become entities first, so inline HTML can never form.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~:@=$^])")
# Control characters (except tab and line breaks), bidirectional overrides and
# isolates (they can make "gpj.exe" read as "exe.jpg"), and lone surrogates
# (they cannot be encoded as UTF-8 and would break the response).
_UNSAFE_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def plain(text: object) -> str:
    """``text`` as a string without control, bidi-override or lone surrogate characters."""
    value = "" if text is None else str(text)
    return _UNSAFE_CHARS.sub(lambda m: "\ufffd" if "\ud800" <= m.group() <= "\udfff" else "", value)


def html_text(text: object) -> str:
    """Escape ``text`` for HTML element content and quoted attributes (masked when on)."""
    return html.escape(shown(plain(text)), quote=True)


def md_text(text: object) -> str:
    """Escape ``text`` so Markdown renders it literally, with no HTML (masked when on).

    Line breaks are kept as line breaks; everything else that Markdown or HTML
    could interpret is escaped.
    """
    value = html.escape(shown(plain(text)), quote=True)
    return _MD_SPECIAL.sub(r"\\\1", value)


def clean_html(markup: str) -> str:
    """Sanitise product-built HTML with an allow-list; links only http(s) or relative."""
    return nh3.clean(
        plain(markup),
        tags=set(ALLOWED_TAGS),
        attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
        generic_attribute_prefixes=set(_DATA_PREFIXES),
        url_schemes={"http", "https"},
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


# -- personal data ----------------------------------------------------------------

# Personal identity number (personnummer / samordningsnummer, day + 60):
# YYMMDD-XXXX or YYYYMMDD-XXXX, with - or + or nothing before the last four.
_PNR = re.compile(
    r"(?<![\d/.,-])(?!0\d{9}(?!\d))"  # ten digits from 0 with no dash: a mobile number (070…), left to _PHONE
    r"(?:19|20)?\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]|[6-8]\d|9[01])[-+]?\d{4}(?![\d-])"
)
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+(?:@|\s?[(\[]at[)\]]\s?)[\w-]+(?:\.[\w-]+)*\.[a-zA-Z]{2,}\b")
# Swedish phone numbers: an area code of 2-4 digits with its 0 (08, 021, 0221,
# 070) or +46, then the subscriber number in groups; 8-10 digits in all. Not
# after a digit, a dash, a slash or a dot, so dates (2021-09-15), case numbers
# (KS 2023/0415, 2024.012) and amounts never start one.
_PHONE = re.compile(
    r"(?<![\w+\-–./§,])"
    r"(?P<area>\+46\s?(?:\(0\)\s?)?\d{1,3}|\(0\d{1,3}\)|0\d{1,3})"
    r"(?P<sep>\s?[-–/]\s?|\s)?"
    r"(?P<sub>\d{2,4}(?:[ -]?\d{2,3}){1,3})"
    r"(?![\d\w]|[-–.,]\d)"
)
_DATE_LIKE = re.compile(r"^\d{1,2}[-./–]\d{1,2}[-./–](?:19|20)\d{2}$")


def _phone(match: re.Match, label: str) -> str:
    found = match.group()
    digits = re.sub(r"\D", "", found)
    national = digits[2:] if found.startswith("+46") else digits.lstrip("0")
    if found.startswith("+46") and national.startswith("0"):  # +46 (0)21 …
        national = national[1:]
    if not 7 <= len(national) <= 9 or _DATE_LIKE.match(found):
        return found
    if match.group("sep") and len(re.sub(r"\D", "", match.group("sub"))) < 5:
        return found  # a subscriber number has 5-8 digits: "0915-1130" is a time range

    return label


def mask_personal(text: str, lang: str = "sv") -> str:
    """Mask personal identity numbers, e-mail addresses and phone numbers in ``text``.

    Dates (2021-09-15), case numbers (KS 2023/415, 2024.012), § numbers,
    amounts (12 500 kr) and postal codes (735 81) are left as they are.
    Masking is idempotent: the masks contain no digits.
    """
    if not text:
        return text
    text = _EMAIL.sub(t("safe_mask_email", lang), text)
    text = _PNR.sub(t("safe_mask_pnr", lang), text)
    phone = t("safe_mask_phone", lang)
    return _PHONE.sub(lambda m: _phone(m, phone), text)


class _Masking:
    """The process-wide default of the masking switch (set once when the app starts, :func:`set_masking`)."""

    on: bool = False
    lang: str = "sv"


#: The switch as set by :func:`masking` for one thread or task only. A publisher's or one request's
#: choice is its own: it never changes what another request of the same process renders.
_OVERRIDE: contextvars.ContextVar[tuple[bool, str] | None] = contextvars.ContextVar("radslag_masking",
                                                                                    default=None)


def _state() -> tuple[bool, str]:
    override = _OVERRIDE.get()
    return override if override is not None else (_Masking.on, _Masking.lang)


def set_masking(on: bool, lang: str = "sv") -> None:
    """Set the process-wide default of masking in :func:`shown` (and so in both escapers)."""
    _Masking.on, _Masking.lang = bool(on), lang


def masking_on() -> bool:
    """Whether :func:`shown` masks personal data here (this thread's or task's switch, else the default)."""
    return _state()[0]


@contextlib.contextmanager
def masking(on: bool, lang: str = "sv") -> Iterator[None]:
    """Masking switched ``on`` (or off) within the block, for the current thread or task only."""
    token = _OVERRIDE.set((bool(on), lang))
    try:
        yield
    finally:
        _OVERRIDE.reset(token)


def shown(text: str) -> str:
    """``text`` as users may see it: personal data masked when masking is on.

    Use it on a whole document string before cutting it into pieces (e.g.
    highlighting), so that no piece of a number escapes the mask.
    """
    on, lang = _state()
    return mask_personal(text, lang) if on and text else text


def mask_value(value: Any, lang: str = "sv") -> Any:
    """A copy of ``value`` with every string in it masked (str, list, tuple, dict, dataclass).

    For rows of exports and published pages: keys of dicts are left alone,
    numbers and ``None`` pass through.
    """
    if isinstance(value, str):
        return mask_personal(value, lang)
    if isinstance(value, dict):
        return {k: mask_value(v, lang) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(mask_value(v, lang) for v in value)
    if is_dataclass(value) and not isinstance(value, type):
        return replace(value, **{f.name: mask_value(getattr(value, f.name), lang) for f in fields(value) if f.init})
    return value
