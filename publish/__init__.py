"""A council's archive published as a static site (``radslag publish COUNCIL -o site/``).

Plain HTML and CSS with relative links, a client-side search that works from
a folder (``file://``) and from any web host, personal data masked and all
document text escaped. One stage per module:

* :mod:`publish.collect`: the council's meetings, items and sections, issue
  histories and open follow-ups, read from the archive;
* :mod:`publish.easy`: "lätt svenska" summaries (key sentences, decisions first);
* :mod:`publish.render`: the HTML pages;
* :mod:`publish.search_index`: the search index as a script;
* :mod:`publish.site`: all files written atomically (:func:`publish`).
"""

from publish.site import PublishReport, publish

__all__ = ["PublishReport", "publish"]
