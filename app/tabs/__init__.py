"""The app's tabs, one module each.

A tab module defines

- ``TAB_ID``: the tab's id (short, ASCII; used in shareable URLs),
- ``LABEL``: the string-table key of its title (``app_...``),
- ``build(ctx: app.context.Context) -> None``: creates its components inside the
  open ``gr.Tab`` and wires them to module-level handlers (settings and widget
  values in, widget values out), using ``ctx.L`` for every label,
  ``ctx.picker`` for archive-backed dropdowns and :mod:`app.render` for
  anything rendered from documents.

It is switched on by one line in ``app.TABS``.
"""
