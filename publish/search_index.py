"""The site's search index: one entry per agenda item, as a script that assigns a variable.

A page opened from a folder (``file://``) may not ``fetch()`` a JSON file, but
it may load a script, so the index is ``assets/search-index.js``:
``window.RADSLAG_INDEX = {...};`` (JSON is valid JavaScript). ``search.js``
reads it and matches in the browser. The text in it is masked like the pages
(:func:`radslag.safe.shown`) and only ever shown with ``textContent``.
"""

from __future__ import annotations

import json

from index.search import display_title
from publish.collect import SiteData
from publish.render import MEETINGS_DIR
from radslag.i18n import kind_label, t
from radslag.periods import when_label
from radslag.safe import plain, shown

#: Characters of an item's text kept in the index (long items are cut; their start is what matters most).
TEXT_LIMIT = 20_000
VARIABLE = "RADSLAG_INDEX"


def _s(value: object) -> str:
    return shown(plain(value))


def index_entries(site: SiteData, lang: str) -> list[dict[str, str]]:
    """One entry per item: page link (relative to the site root), meeting, title and text."""
    entries = []
    for mv in site.meetings:
        meeting = f"{when_label(mv.when, lang) if mv.when else t('unknown_date', lang)} – " \
                  f"{mv.meeting.title or kind_label(mv.meeting.kind, lang)}"
        for iv in mv.items:
            text = " ".join(iv.text.split())[:TEXT_LIMIT]
            entries.append({
                "u": f"{MEETINGS_DIR}/{mv.page}#{iv.anchor}",
                "m": _s(meeting),
                "t": _s(display_title(iv.number, iv.title)),
                "x": _s(text),
            })
    return entries


def index_script(site: SiteData, lang: str) -> str:
    """``assets/search-index.js``: the entries and the result texts in ``lang``."""
    data = {
        "lang": lang,
        "strings": {
            "none": t("pub_search_none", lang),
            "count": t("pub_search_count", lang, n="{n}"),
            "count_one": t("pub_search_count_one", lang),
            "empty": t("pub_search_empty", lang),
        },
        "entries": index_entries(site, lang),
    }
    # ensure_ascii: the file is pure ASCII, so no encoding or line-separator issue in any browser.
    return f"window.{VARIABLE} = {json.dumps(data, ensure_ascii=True, separators=(',', ':'))};\n"
