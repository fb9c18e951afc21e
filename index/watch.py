"""Saved searches and alerts: "tell me when X comes up again".

A saved search (:class:`radslag.types.Watch`) is a query, or a topic, with
:class:`~radslag.types.Filters` and a search mode. When it is saved, its
watermark is set to the archive's newest item: what the archive already
holds is history, not news. Checking it (after every ingest, or with
``radslag watch run``) looks only at **items stored since the last check**
(ids above the watermark, plus the items the ingest just wrote) and records
each one that is relevant as an alert (:class:`radslag.types.WatchAlert`),
then moves the watermark. An item already alerted (same source, number,
title and date) is never alerted again, even when its file is re-ingested.

Relevance. A topic watch alerts on new items tagged with the topic. A query
watch runs :func:`index.search.search` with the watch's filters and mode
and keeps the new items among its hits. A search with a calibrated
relevance cutoff (``SearchResult.cutoff``, :func:`index.search.passes_cutoff`)
returns only hits that passed it, and every new one alerts (reason
``cutoff``). Without one, a hit must pass the relevance rule of timelines
(:func:`index.timeline.mentions`): the item holds every analysed query term
(``terms``), or its best passage has dense cosine >= :data:`DENSE_THRESHOLD`
(``dense``).

Each watch has an Atom feed (:mod:`index.atom`, served at
``<base_url>/feeds/<id>.atom``) and, when SMTP is configured
(:class:`radslag.config.Settings` ``smtp_*``), an e-mail digest of the
alerts not yet sent (:func:`send_digest`).
"""

from __future__ import annotations

import hashlib
import json
import logging
import smtplib
import ssl
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

import index.search as search_module
from index.keyword import all_terms_expression
from index.search import MODES, best_snippet, display_title, search
from index.store import Archive
from index.timeline import DENSE_THRESHOLD, QUERY_K
from radslag.config import Settings
from radslag.errors import RadslagError
from radslag.i18n import t
from radslag.periods import when, when_label
from radslag.taxonomy import load_taxonomy
from radslag.types import Filters, Item, Watch, WatchAlert

log = logging.getLogger(__name__)

#: Why an item matched (``WatchAlert.reason``).
REASONS = ("cutoff", "terms", "dense", "topic")
#: Most alerts listed in one feed.
FEED_ENTRIES = 100
#: Hits one check asks the search for: the timelines' pool, within the search's own limit.
WATCH_K = min(QUERY_K, getattr(search_module, "MAX_K", QUERY_K))


@dataclass
class WatchRun:
    """What one check of one saved search did.

    Attributes:
        checked: New items looked at.
        alerts: Alerts recorded by this check (new ones only).
        notes: Anything the user should know (search fallbacks, skipped checks).
    """

    watch: Watch
    checked: int = 0
    alerts: list[WatchAlert] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class Digest:
    """What :func:`send_digest` sent: one message per set of recipients."""

    messages: int = 0
    alerts: int = 0
    recipients: list[str] = field(default_factory=list)


# -- links ------------------------------------------------------------------------------


def item_url(settings: Settings, item_id: int) -> str:
    """The app's address of one agenda item."""
    return f"{settings.base_url.rstrip('/')}/?item={int(item_id)}"


def feed_url(settings: Settings, watch_id: int) -> str:
    """The address of a saved search's Atom feed."""
    return f"{settings.base_url.rstrip('/')}/feeds/{int(watch_id)}.atom"


def search_url(settings: Settings, watch: Watch) -> str:
    """The app's address for a saved search (the feed's alternate link)."""
    from urllib.parse import urlencode

    params = {"q": watch.query} if watch.query else {}
    params |= {k: v for k, v in watch.to_json()["filters"].items()}
    return f"{settings.base_url.rstrip('/')}/" + (f"?{urlencode(params)}" if params else "")


# -- saving -----------------------------------------------------------------------------


def _topic_label(topic_id: str, lang: str) -> str:
    return next((tp.label(lang) for tp in load_taxonomy() if tp.id == topic_id), topic_id)


def describe(watch: Watch, lang: str = "sv") -> str:
    """One line saying what a watch looks for: the query or topic, then its filters."""
    parts = [f"\u201d{watch.query}\u201d" if watch.query else
             t("watch_topic", lang, topic=_topic_label(watch.filters.topic or "", lang))]
    f = watch.filters
    shown = {"municipality": f.municipality, "body": f.body, "kind": f.kind, "entity": f.entity,
             "since": f.since, "until": f.until, "topic": f.topic if watch.query else None}
    for key, value in shown.items():
        if value:
            label = _topic_label(value, lang) if key == "topic" else value
            parts.append(f"{t(f'watch_filter_{key}', lang)}: {label}")
    return " · ".join(parts)


def add_watch(
    archive: Archive,
    *,
    query: str | None = None,
    filters: Filters | None = None,
    mode: str = "hybrid",
    name: str | None = None,
    email: str | None = None,
    lang: str = "sv",
) -> Watch:
    """Save a search. Items already in the archive will not alert.

    Args:
        archive: The open archive.
        query: Free text; or None with ``filters.topic`` set for a topic watch.
        filters: Which meetings and items count (council, municipality, ...).
        mode: Search mode for a query: ``hybrid``, ``dense`` or ``keyword``.
        name: A name to list it by (default: the query or topic).
        email: Recipients of this watch's digest (comma-separated), instead of ``smtp_to``.
        lang: Language of the default name.

    Raises:
        RadslagError: Without a query or topic, or for an unknown mode or a malformed address.
    """
    filters = filters or Filters()
    query = " ".join((query or "").split()) or None
    if query is None and not filters.topic:
        raise RadslagError(t("watch_err_empty", lang))
    if mode not in MODES:
        raise RadslagError(t("watch_err_mode", lang, mode=mode, modes=", ".join(MODES)))
    if email is not None:
        email = ", ".join(_addresses(email, lang)) or None
    name = " ".join((name or "").split()) or query or _topic_label(filters.topic or "", lang)
    return archive.add_watch(name, query, filters, mode, email=email)


def get_watch(archive: Archive, watch_id: int, lang: str = "sv") -> Watch:
    """The saved search ``watch_id``.

    Raises:
        RadslagError: When there is none (the message lists the ids there are).
    """
    watch = archive.watch(int(watch_id))
    if watch is None:
        ids = ", ".join(str(w.id) for w in archive.watches()) or "–"
        raise RadslagError(t("watch_err_unknown", lang, id=watch_id, ids=ids))
    return watch


def remove_watch(archive: Archive, watch_id: int, lang: str = "sv") -> Watch:
    """Delete a saved search and its alerts; return it as it was.

    Raises:
        RadslagError: When there is no such saved search.
    """
    watch = get_watch(archive, watch_id, lang)
    archive.remove_watch(watch.id)
    return watch


# -- checking ---------------------------------------------------------------------------


def item_key(item: Item) -> str:
    """Identity of an item across re-ingests of its file: source, number, title and date."""
    raw = json.dumps([item.source, item.number, item.title, item.date], ensure_ascii=False)
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:32]


def _alert(item: Item, snippet: str, reason: str, score: float | None) -> WatchAlert:
    return WatchAlert(
        id=0, uid="", watch_id=0, item_id=item.id, meeting_id=item.meeting_id, key=item_key(item),
        source=item.source, date=when(item), body=item.body, municipality=item.municipality, number=item.number,
        title=item.title, snippet=snippet, reason=reason,
        score=round(float(score), 4) if score is not None else None, created_at="",
    )


def _query_matches(archive: Archive, watch: Watch, settings: Settings,
                   candidates: set[int]) -> tuple[list[WatchAlert], list[str]]:
    """New items among the search hits that pass the relevance rule."""
    result = search(archive, watch.query or "", settings=settings, k=WATCH_K, mode=watch.mode,
                    filters=watch.filters)
    notes = list(result.notes)
    if len(result.hits) >= WATCH_K:
        notes.append(t("watch_note_cap", settings.language, k=WATCH_K))
    hits = [h for h in result.hits if h.item_id in candidates]
    if not hits:
        return [], notes
    expr = all_terms_expression(watch.query or "")
    all_terms = archive.keyword_matches(expr, [h.item_id for h in hits]) if expr else set()
    items = {it.id: it for it in archive.items(item_ids=[h.item_id for h in hits], enrichment=False)}
    # a search with a calibrated relevance cutoff returns only hits that passed it
    cutoff = getattr(result, "cutoff", None) is True
    out = []
    for h in hits:
        if cutoff:
            reason, score = "cutoff", h.dense_score  # a fused rank score would mean nothing to a reader
        elif h.item_id in all_terms:
            reason, score = "terms", h.dense_score if h.dense_score is not None else h.score
        elif h.dense_score is not None and h.dense_score >= DENSE_THRESHOLD:
            reason, score = "dense", h.dense_score
        else:
            reason = None
        if reason and h.item_id in items:
            out.append(_alert(items[h.item_id], h.snippet, reason, score))
    return out, notes


def _topic_matches(archive: Archive, watch: Watch, settings: Settings,
                   candidates: set[int]) -> tuple[list[WatchAlert], list[str]]:
    """New items tagged with the watch's topic."""
    tagged = (archive.filter_item_ids(watch.filters) or set()) & candidates
    out = []
    label = _topic_label(watch.filters.topic or "", settings.language)
    for item in archive.items(item_ids=tagged):
        tag = next((tp for tp in item.topics if tp.id == watch.filters.topic), None)
        snippet, _ = best_snippet(archive, item, label)
        out.append(_alert(item, snippet, "topic", tag.score if tag else None))
    return out, []


def check_watch(archive: Archive, watch: Watch, settings: Settings,
                new_item_ids: Iterable[int] | None = None) -> WatchRun:
    """Check one saved search against the items stored since its last check; record alerts.

    Args:
        archive: The open archive.
        watch: The saved search.
        settings: Settings for search (model, vector index) and language.
        new_item_ids: Items an ingest just wrote (a replaced file's items
            may have ids below the watermark); checked besides those above it.
    """
    run = WatchRun(watch=watch)
    lang = settings.language
    top = archive.max_item_id()
    candidates = set(archive.item_ids_after(watch.last_item_id)) | set(new_item_ids or ())
    if watch.query is None and not settings.enrich:
        # topics are tagged by enrichment: without it new items would pass unseen, so wait
        run.notes.append(t("watch_note_no_enrich", lang, name=watch.name))
        return run
    run.checked = len(candidates)
    found: list[WatchAlert] = []
    if candidates:
        matcher = _query_matches if watch.query else _topic_matches
        found, notes = matcher(archive, watch, settings, candidates)
        run.notes.extend(notes)
    found.sort(key=lambda a: (a.date or "", a.source, a.number or "", a.title))
    run.alerts = archive.record_alerts(watch.id, found, top)
    run.watch = archive.watch(watch.id) or watch
    return run


def run_watches(archive: Archive, settings: Settings, *, new_item_ids: Iterable[int] | None = None,
                watch_ids: Iterable[int] | None = None) -> list[WatchRun]:
    """Check every saved search (or those in ``watch_ids``); one failing search is a note on its run."""
    wanted = None if watch_ids is None else {int(i) for i in watch_ids}
    new_ids = set(new_item_ids or ())
    runs = []
    for watch in archive.watches():
        if wanted is not None and watch.id not in wanted:
            continue
        try:
            runs.append(check_watch(archive, watch, settings, new_ids))
        except RadslagError as exc:
            runs.append(WatchRun(watch=watch, notes=[t("watch_note_failed", settings.language,
                                                       name=watch.name, error=str(exc))]))
    return runs


def after_ingest(archive: Archive, settings: Settings, meeting_ids: Iterable[int]) -> list[str]:
    """The ingest hook: check saved searches against what an ingest wrote; e-mail when configured.

    Never raises: whatever goes wrong becomes a note for the ingest report
    (the documents are stored whatever happens here).

    Returns:
        Notes for the ingest report.
    """
    lang = settings.language
    try:
        if not settings.watch_after_ingest or not archive.watches():
            return []
        new_ids = [i for mid in meeting_ids for i in archive.item_ids(mid)]
        runs = run_watches(archive, settings, new_item_ids=new_ids)
        notes = [n for r in runs for n in r.notes]
        found = sum(len(r.alerts) for r in runs)
        if found:
            notes.append(t("watch_note_found", lang, n=found, searches=sum(1 for r in runs if r.alerts)))
        if found and email_configured(settings):
            try:
                send_digest(archive, settings)
            except RadslagError as exc:
                notes.append(str(exc))
        return notes
    except Exception as exc:  # noqa: BLE001 - the hook must never fail an ingest whose text is stored
        log.exception("saved searches after ingest")
        return [t("watch_note_hook_failed", lang, error=f"{type(exc).__name__}: {exc}")]


# -- e-mail -----------------------------------------------------------------------------


def _addresses(text: str | None, lang: str = "sv") -> list[str]:
    """Addresses from a comma-separated list; a malformed one is an error naming it."""
    out = []
    for part in (text or "").split(","):
        address = part.strip()
        if not address:
            continue
        local, _, domain = address.rpartition("@")
        if not local or not domain or any(c.isspace() or c in "<>,;\"" for c in address):
            raise RadslagError(t("watch_err_address", lang, address=address))
        out.append(address)
    return out


def email_configured(settings: Settings) -> bool:
    """Whether digests can be sent: an SMTP host is set."""
    return bool(settings.smtp_host)


def render_digest(alerts_by_watch: list[tuple[Watch, list[WatchAlert]]], settings: Settings) -> tuple[str, str]:
    """Subject and plain-text body of a digest."""
    lang = settings.language
    total = sum(len(a) for _, a in alerts_by_watch)
    if len(alerts_by_watch) == 1:
        subject = t("watch_mail_subject_one", lang, n=total, name=alerts_by_watch[0][0].name)
    else:
        subject = t("watch_mail_subject", lang, n=total, searches=len(alerts_by_watch))
    lines = [t("watch_mail_intro", lang), ""]
    for watch, alerts in alerts_by_watch:
        lines += [f"== {watch.name} ==", describe(watch, lang), t("watch_mail_feed", lang, url=feed_url(settings, watch.id)), ""]
        for a in sorted(alerts, key=lambda a: (a.date or "", a.id)):
            council = " ".join(x for x in (a.municipality, a.body) if x) or "–"
            lines.append(f"* {when_label(a.date, lang)} · {council} · {display_title(a.number, a.title)}")
            lines.append(f"  {a.snippet}")
            lines.append(f"  {why(a, lang)}")
            if a.item_id is not None:
                lines.append(f"  {item_url(settings, a.item_id)}")
            lines.append("")
    lines.append(t("watch_mail_footer", lang))
    return subject, "\n".join(lines)


def why(alert: WatchAlert, lang: str = "sv") -> str:
    """Why an alert matched, in words."""
    score = f"{alert.score:.2f}" if alert.score is not None else "–"
    if alert.reason == "cutoff":
        return t("w_why_cutoff_dense" if alert.score is not None else "w_why_cutoff_terms", lang, score=score)
    return t(f"watch_why_{alert.reason}", lang, score=score, threshold=f"{DENSE_THRESHOLD:.2f}")


def _smtp(settings: Settings) -> smtplib.SMTP:
    """A connected (and, where possible, encrypted and logged-in) SMTP session."""
    lang = settings.language
    security = settings.smtp_security
    if security not in ("auto", "ssl", "starttls", "none"):
        raise RadslagError(t("watch_err_smtp_security", lang, value=security))
    use_ssl = security == "ssl" or (security == "auto" and settings.smtp_port == 465)
    context = ssl.create_default_context()
    if use_ssl:
        smtp: smtplib.SMTP = smtplib.SMTP_SSL(settings.smtp_host, settings.smtp_port,
                                              timeout=settings.smtp_timeout_s, context=context)
    else:
        smtp = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=settings.smtp_timeout_s)
    try:
        smtp.ehlo()
        encrypted = use_ssl
        if not use_ssl and security in ("auto", "starttls"):
            if smtp.has_extn("starttls"):
                smtp.starttls(context=context)
                smtp.ehlo()
                encrypted = True
            elif security == "starttls":
                raise RadslagError(t("watch_err_no_starttls", lang, host=settings.smtp_host))
        if settings.smtp_user:
            local = settings.smtp_host in ("localhost", "127.0.0.1", "::1")
            if not encrypted and not local:
                # a password must not cross the network in clear text
                raise RadslagError(t("watch_err_plain_login", lang, host=settings.smtp_host))
            smtp.login(settings.smtp_user, settings.smtp_password or "")
    except BaseException:
        smtp.close()
        raise
    return smtp


def send_digest(archive: Archive, settings: Settings, watch_ids: Iterable[int] | None = None) -> Digest:
    """E-mail the alerts not yet sent, one message per set of recipients, and mark them sent.

    Raises:
        RadslagError: When SMTP is not configured, a saved search has no
            recipients, or the server cannot be reached or refuses the message
            (nothing is marked sent then).
    """
    lang = settings.language
    if not email_configured(settings):
        raise RadslagError(t("watch_err_no_smtp", lang))
    wanted = None if watch_ids is None else {int(i) for i in watch_ids}
    groups: dict[tuple[str, ...], list[tuple[Watch, list[WatchAlert]]]] = defaultdict(list)
    for watch in archive.watches():
        if wanted is not None and watch.id not in wanted:
            continue
        alerts = archive.alerts(watch.id, unsent=True)
        if not alerts:
            continue
        to = tuple(_addresses(watch.email or settings.smtp_to, lang))
        if not to:
            raise RadslagError(t("watch_err_no_recipients", lang, name=watch.name))
        groups[to].append((watch, alerts))
    digest = Digest()
    if not groups:
        return digest
    sender = _addresses(settings.smtp_from, lang)
    try:
        smtp = _smtp(settings)
        try:
            for to, alerts_by_watch in groups.items():
                subject, body = render_digest(alerts_by_watch, settings)
                msg = EmailMessage()
                msg["Subject"] = subject
                msg["From"] = sender[0] if sender else settings.smtp_from
                msg["To"] = ", ".join(to)
                msg["Date"] = formatdate(localtime=False)
                msg["Message-ID"] = make_msgid(domain="radslag.local")
                msg.set_content(body)
                smtp.send_message(msg)
                ids = [a.id for _, alerts in alerts_by_watch for a in alerts]
                archive.mark_emailed(ids)  # per message: a later failure does not resend this one
                digest.messages += 1
                digest.alerts += len(ids)
                digest.recipients.extend(x for x in to if x not in digest.recipients)
        finally:
            try:
                smtp.quit()
            except smtplib.SMTPException:
                smtp.close()
    except (OSError, smtplib.SMTPException) as exc:
        raise RadslagError(t("watch_err_smtp", lang, host=settings.smtp_host, port=settings.smtp_port,
                             error=f"{type(exc).__name__}: {exc}")) from exc
    return digest
