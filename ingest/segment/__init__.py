"""Split a document into agenda items with their sections; read its agenda list.

``from ingest.segment import segment`` is the stage function of the pipeline;
:func:`analyze` returns the whole :class:`Structure` (items, the document's
own agenda list, warnings) for ``radslag inspect``. The rules are described in
:mod:`ingest.segment.core`; case numbers in :mod:`ingest.segment.casenum`,
the agenda list in :mod:`ingest.segment.agenda`, sections in
:mod:`ingest.segment.sections` and flattened text in :mod:`ingest.segment.flat`.
"""

from ingest.segment.core import Structure, analyze, segment

__all__ = ["segment", "analyze", "Structure"]
