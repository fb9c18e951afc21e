"""The published site's pages as HTML strings: plain HTML and CSS, relative links only.

Every string that comes from a document (text, titles, names, file names,
dates as written) goes through :func:`radslag.safe.html_text`, which escapes
it and masks personal data when masking is on; no document HTML is ever
rendered. Links are built here, from page names the site itself chose, and
are always relative (``../meetings/2021-09-15-4.html#punkt-3``), so the site
works opened from a folder (``file://``) and from any web host.

Pages say they load nothing from elsewhere: a Content-Security-Policy meta
tag allows only the site's own style sheet and scripts, no images, frames,
forms or connections.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from index.search import display_title
from publish.collect import IssueView, ItemView, MeetingView, Part, SiteData
from radslag.i18n import kind_label, t
from radslag.periods import when_label
from radslag.safe import html_text as h
from radslag.types import FollowUpRecord

#: Loads only the site's own files: no remote anything, no fetch(), no forms sent anywhere.
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'none'; connect-src 'none'; "
       "frame-src 'none'; object-src 'none'; base-uri 'none'; form-action 'self'")

MEETINGS_DIR = "meetings"
ISSUES_DIR = "issues"


def page(title: str, body: str, *, root: str, lang: str, site: SiteData, active: str, masked: bool,
         scripts: Iterable[str] = ()) -> str:
    """A whole HTML page around ``body`` (already HTML); ``root`` is the relative way back to the top."""
    nav = [("meetings", f"{root}index.html", t("pub_nav_meetings", lang)),
           ("issues", f"{root}{ISSUES_DIR}/index.html", t("pub_nav_issues", lang)),
           ("followups", f"{root}followups.html", t("pub_nav_followups", lang)),
           ("search", f"{root}index.html#sok", t("pub_nav_search", lang))]
    current = ' aria-current="page"'
    links = "".join(
        f'<li><a href="{href}"{current if key == active else ""}>{h(label)}</a></li>'
        for key, href, label in nav
    )
    footer = t("pub_footer_masked" if masked else "pub_footer", lang, date=date.today().isoformat())
    tags = "".join(f'<script src="{root}{src}"></script>' for src in scripts)
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="referrer" content="no-referrer">\n'
        '<meta name="generator" content="Rådslag">\n'
        f"<title>{h(title)} – {h(site.council.name)}</title>\n"
        f'<link rel="stylesheet" href="{root}assets/style.css">\n</head>\n<body>\n'
        f'<a class="skip" href="#main">{h(t("pub_skip", lang))}</a>\n'
        f'<header class="site"><p class="council"><a href="{root}index.html">{h(site.council.name)}</a></p>\n'
        f'<nav aria-label="{h(t("pub_nav_label", lang))}"><ul>{links}</ul></nav></header>\n'
        f'<main id="main">\n{body}\n</main>\n'
        f'<footer class="site"><p>{h(footer)}</p></footer>\n{tags}\n</body>\n</html>\n'
    )


def _paragraphs(text: str) -> str:
    """Text as paragraphs (blank lines part them; line breaks inside kept by CSS)."""
    paras = [p.strip() for p in text.replace("\r", "").split("\n\n")]
    return "".join(f"<p>{h(p)}</p>" for p in paras if p)


def _part(part: Part) -> str:
    head = f"<h4>{h(part.title)}</h4>" if part.title else ""
    return f'<section class="part">{head}{_paragraphs(part.text)}</section>'


def _when(value: str | None, lang: str) -> str:
    return when_label(value, lang) if value else t("unknown_date", lang)


def _status(f: FollowUpRecord, lang: str) -> str:
    return t("pub_status_open" if f.status == "öppen" else "pub_status_answered", lang)


def _item(iv: ItemView, site: SiteData, lang: str) -> str:
    out = [f'<article class="item" id="{iv.anchor}">',
           f"<h3>{h(display_title(iv.number, iv.title))}</h3>"]
    meta = []
    if iv.dnr:
        meta.append(f"{h(t('pub_dnr', lang))}: {h(iv.dnr)}")
    if iv.topics:
        meta.append(f"{h(t('pub_topics', lang))}: " + ", ".join(
            f'<a href="../{ISSUES_DIR}/{_issue_page(site, tid)}">{h(label)}</a>' if _issue_page(site, tid)
            else h(label) for tid, label in iv.topics))
    if meta:
        out.append(f'<p class="meta">{" · ".join(meta)}</p>')
    if iv.decision:
        out.append(f'<section class="decision"><h4>{h(iv.decision.title or t("pub_decision", lang))}</h4>'
                   f"{_paragraphs(iv.decision.text)}</section>")
    out += [_part(p) for p in iv.parts]
    if iv.followups:
        rows = "".join(f"<li>{h(f.sentence)} <span class=\"status\">({h(_status(f, lang))})</span></li>"
                       for f in iv.followups)
        out.append(f'<section class="followups"><h4>{h(t("pub_item_followups", lang))}</h4><ul>{rows}</ul></section>')
    out.append("</article>")
    return "\n".join(out)


def _issue_page(site: SiteData, topic: str) -> str | None:
    return next((iv.page for iv in site.issues if iv.topic == topic), None)


def _summary(mv: MeetingView, lang: str) -> str:
    if not mv.summary:
        return f'<section class="easy"><h2>{h(t("pub_summary_heading", lang))}</h2>' \
               f'<p>{h(t("pub_summary_none", lang))}</p></section>'
    rows = []
    for line in mv.summary:
        label = f'<strong>{h(t("pub_decision", lang))}:</strong> ' if line.kind == "beslut" else ""
        rows.append(f'<li class="{line.kind}">{label}{h(line.text)} <a href="#{line.anchor}">'
                    f'{h(t("pub_read_more", lang))}</a></li>')
    return (f'<section class="easy" lang="sv"><h2>{h(t("pub_summary_heading", lang))}</h2>'
            f'<ul>{"".join(rows)}</ul></section>')


def meeting_page(mv: MeetingView, site: SiteData, lang: str, masked: bool) -> str:
    """The page of one meeting: facts, the plain-language summary, then every item."""
    m = mv.meeting
    title = f"{_when(mv.when, lang)} – {m.title or site.council.name}"
    facts = [(t("pub_date", lang), _when(mv.when, lang)), (t("pub_kind", lang), kind_label(m.kind, lang))]
    for key, value in (("pub_time", m.time), ("pub_place", m.place), ("pub_chair", m.chair),
                       ("pub_secretary", m.secretary)):
        if value:
            facts.append((t(key, lang), value))
    facts.append((t("pub_source", lang), mv.source_name))
    dl = "".join(f"<dt>{h(k)}</dt><dd>{h(v)}</dd>" for k, v in facts)
    toc = "".join(f'<li><a href="#{iv.anchor}">{h(display_title(iv.number, iv.title))}</a></li>' for iv in mv.items)
    body = (f'<p class="back"><a href="../index.html">{h(t("pub_back", lang))}</a></p>'
            f"<h1>{h(title)}</h1><dl class=\"facts\">{dl}</dl>{_summary(mv, lang)}"
            f'<nav class="toc" aria-label="{h(t("pub_items", lang))}"><h2>{h(t("pub_items", lang))}</h2>'
            f"<ol>{toc}</ol></nav>"
            + "\n".join(_item(iv, site, lang) for iv in mv.items))
    return page(title, body, root="../", lang=lang, site=site, active="meetings", masked=masked)


def index_page(site: SiteData, lang: str, masked: bool) -> str:
    """The front page: the search box, then the meetings by date (newest first) grouped by year."""
    search = (
        f'<section id="sok" class="search"><h2><label for="q">{h(t("pub_search_label", lang))}</label></h2>'
        f'<form id="search-form" action="index.html" method="get" role="search">'
        f'<input id="q" name="q" type="search" autocomplete="off" placeholder="{h(t("pub_search_placeholder", lang))}">'
        f' <button type="submit">{h(t("pub_search_button", lang))}</button></form>'
        f'<p id="search-status" aria-live="polite"></p><ol id="search-results"></ol>'
        f'<noscript><p>{h(t("pub_search_nojs", lang))}</p></noscript></section>'
    )
    groups: dict[str, list[MeetingView]] = {}
    for mv in site.meetings:
        groups.setdefault((mv.when or "")[:4] or t("unknown_date", lang), []).append(mv)
    parts = []
    for year, mvs in groups.items():
        rows = []
        for mv in mvs:
            m = mv.meeting
            label = f"{_when(mv.when, lang)} – {m.title or kind_label(m.kind, lang)}"
            n = len(mv.items)
            first = next((x.text for x in mv.summary if x.kind == "beslut"), None) or \
                (mv.summary[0].text if mv.summary else "")
            lead = f'<p class="lead">{h(first)}</p>' if first else ""
            rows.append(f'<li><a href="{MEETINGS_DIR}/{mv.page}">{h(label)}</a> '
                        f'<span class="count">({h(t("pub_n_items", lang, n=n))}, {h(kind_label(m.kind, lang))})</span>'
                        f"{lead}</li>")
        parts.append(f"<h3>{h(year)}</h3><ul class=\"meetings\">{''.join(rows)}</ul>")
    meetings = "".join(parts) or f"<p>{h(t('pub_no_meetings', lang))}</p>"
    intro = t("pub_intro", lang, meetings=len(site.meetings), council=site.council.name)
    body = (f"<h1>{h(site.council.name)}</h1><p class=\"intro\">{h(intro)}</p>{search}"
            f"<section class=\"by-date\"><h2>{h(t('pub_meetings_heading', lang))}</h2>{meetings}</section>")
    return page(t("pub_nav_meetings", lang), body, root="", lang=lang, site=site, active="meetings", masked=masked,
                scripts=("assets/search-index.js", "assets/search.js"))


def _item_link(site: SiteData, item_id: int | None, root: str, text: str) -> str:
    where = site.item_page(item_id) if item_id is not None else None
    if where is None:
        return h(text)
    return f'<a href="{root}{MEETINGS_DIR}/{where[0]}#{where[1]}">{h(text)}</a>'


def issues_index(site: SiteData, lang: str, masked: bool) -> str:
    """The list of the council's issues (topics), most discussed first."""
    if site.issues:
        rows = "".join(f'<li><a href="{iv.page}">{h(iv.label)}</a> <span class="count">'
                       f'({h(t("pub_n_items", lang, n=len(iv.history.entries)))})</span></li>' for iv in site.issues)
        lst = f'<ul class="issues">{rows}</ul>'
    else:
        lst = f"<p>{h(t('pub_issues_none', lang))}</p>"
    body = f"<h1>{h(t('pub_issues_heading', lang))}</h1><p class=\"intro\">{h(t('pub_issues_intro', lang))}</p>{lst}"
    return page(t("pub_issues_heading", lang), body, root="../", lang=lang, site=site, active="issues", masked=masked)


def issue_page(iv: IssueView, site: SiteData, lang: str, masked: bool) -> str:
    """One issue's history in the council: each time it came up, oldest first, with what was promised."""
    rows = []
    for e in iv.history.entries:
        title = display_title(e.item_number, e.item_title)
        fus = "".join(
            f"<li>{h(f.sentence)} <span class=\"status\">({h(t('pub_status_open' if not f.answered else 'pub_status_answered', lang))}"
            + (f"{h(': ')}{_item_link(site, f.answered_by_item_id, '../', _answer(f, lang))}" if f.answered else "")
            + ")</span></li>" for f in e.followups)
        rows.append(
            f'<li class="entry"><p><time>{h(_when(e.when, lang))}</time> – '
            f"{_item_link(site, e.item_id, '../', title)}</p>"
            + (f'<p class="snippet">{h(e.snippet)}</p>' if e.snippet else "")
            + (f'<ul class="promises">{fus}</ul>' if fus else "") + "</li>")
    body = (f'<p class="back"><a href="index.html">{h(t("pub_issues_heading", lang))}</a></p>'
            f"<h1>{h(iv.label)}</h1><p class=\"intro\">{h(t('pub_issue_intro', lang, n=len(iv.history.entries)))}</p>"
            f'<ol class="history">{"".join(rows)}</ol>')
    return page(iv.label, body, root="../", lang=lang, site=site, active="issues", masked=masked)


def _answer(f, lang: str) -> str:
    return f"{_when(f.answered_when, lang)} {display_title(None, f.answered_title or '')}".strip()


def followups_page(site: SiteData, lang: str, masked: bool) -> str:
    """The open follow-ups: what the council promised to come back to and has not yet."""
    if site.open_followups:
        rows = []
        for f in sorted(site.open_followups, key=lambda f: (f.date or "", f.id), reverse=True):
            title = display_title(f.item_number, f.item_title)
            # the sentence says who and when in its own words; a deadline is added only when it does not
            due = f' <span class="due">({h(t("pub_due", lang))} {h(f.due)})</span>' \
                if f.due and f.due.casefold() not in f.sentence.casefold() else ""
            rows.append(f"<li><p class=\"promise\">{h(f.sentence)}{due}</p><p class=\"meta\">"
                        f"<time>{h(_when(f.date, lang))}</time> – {_item_link(site, f.item_id, '', title)}</p></li>")
        lst = f'<ul class="open-followups">{"".join(rows)}</ul>'
    else:
        lst = f"<p>{h(t('pub_followups_none', lang))}</p>"
    body = (f"<h1>{h(t('pub_followups_heading', lang))}</h1>"
            f"<p class=\"intro\">{h(t('pub_followups_intro', lang))}</p>{lst}")
    return page(t("pub_followups_heading", lang), body, root="", lang=lang, site=site, active="followups",
                masked=masked)
