"""Atom feeds (RFC 4287) of saved searches: one entry per alert.

The feed's id is ``urn:uuid:<watch uid>`` and each entry's
``urn:uuid:<alert uid>``; both are made once and never change, so feed
readers see each alert once. Every entry links to the item in the app
(:func:`index.watch.item_url`). Text goes into the XML through
ElementTree, which escapes ``&``, ``<``, ``>`` and quotes; characters that
XML 1.0 cannot carry at all (control characters from PDFs, lone
surrogates) are dropped first, so the feed always parses.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence

from index.search import display_title
from index.watch import describe, feed_url, item_url, search_url, why
from radslag.config import Settings
from radslag.i18n import t
from radslag.periods import when_label
from radslag.types import Watch, WatchAlert

ATOM_NS = "http://www.w3.org/2005/Atom"
CONTENT_TYPE = "application/atom+xml; charset=utf-8"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# Characters outside XML 1.0's Char production.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

ET.register_namespace("", ATOM_NS)


def xml_text(value: str | None) -> str:
    """``value`` without the characters XML 1.0 cannot hold (escaping is ElementTree's)."""
    return _NOT_XML.sub("", value or "")


def _el(parent: ET.Element, tag: str, text: str | None = None, **attrib: str) -> ET.Element:
    node = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", {k: xml_text(v) for k, v in attrib.items()})
    if text is not None:
        node.text = xml_text(text)
    return node


def _rfc3339(value: str | None) -> str:
    """An archive time (UTC ISO) as RFC 3339 with a ``Z``."""
    if not value:
        return "1970-01-01T00:00:00Z"
    stamp = dt.datetime.fromisoformat(value)
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=dt.timezone.utc)
    return stamp.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def entry_title(alert: WatchAlert, lang: str) -> str:
    """``2021-09-15 · Hallstahammar Trygghetsråd · 5. Motorburen ungdom``."""
    council = " ".join(x for x in (alert.municipality, alert.body) if x) or "–"
    return f"{when_label(alert.date, lang)} · {council} · {display_title(alert.number, alert.title)}"


def watch_feed(watch: Watch, alerts: Sequence[WatchAlert], settings: Settings) -> bytes:
    """The Atom document of a saved search (UTF-8 bytes with an XML declaration).

    Args:
        watch: The saved search.
        alerts: Its alerts, newest first (the caller limits how many).
        settings: ``base_url`` for links, ``language`` for text.
    """
    lang = settings.language
    feed = ET.Element(f"{{{ATOM_NS}}}feed", {_XML_LANG: lang})
    _el(feed, "id", f"urn:uuid:{watch.uid}")
    _el(feed, "title", t("watch_feed_title", lang, name=watch.name))
    _el(feed, "subtitle", describe(watch, lang))
    newest = max([a.created_at for a in alerts] + [watch.created_at])
    _el(feed, "updated", _rfc3339(newest))
    _el(feed, "link", rel="self", type="application/atom+xml", href=feed_url(settings, watch.id))
    _el(feed, "link", rel="alternate", type="text/html", href=search_url(settings, watch))
    author = _el(feed, "author")
    _el(author, "name", "Rådslag")
    _el(feed, "generator", "Rådslag")
    for a in alerts:
        entry = _el(feed, "entry")
        _el(entry, "id", f"urn:uuid:{a.uid}")
        _el(entry, "title", entry_title(a, lang), type="text")
        _el(entry, "updated", _rfc3339(a.created_at))
        _el(entry, "published", _rfc3339(a.created_at))
        if a.item_id is not None:
            _el(entry, "link", rel="alternate", type="text/html", href=item_url(settings, a.item_id))
        else:  # the item was replaced by a re-ingest: an entry without a link must carry content
            _el(entry, "content", a.snippet, type="text")
        _el(entry, "summary", f"{a.snippet}\n\n{why(a, lang)} · {a.source}", type="text")
        for label in (a.municipality, a.body):
            if label:
                _el(entry, "category", term=label)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)
