"""Masking chosen for one publish (or one request) is that thread's own: other threads render as before.

``publish`` masks its pages inside :func:`radslag.safe.masking`. When that
flipped a process-wide switch, an app serving other users in the same process
masked (or unmasked!) their pages while a site was written.
"""

from __future__ import annotations

import threading

import pytest

from publish import publish
from radslag.safe import html_text, masking, masking_on, set_masking, shown
from tests.publish.conftest import COUNCIL, PNR


def _inside_other_thread(on: bool, check) -> object:
    """Run ``check()`` in this thread while another thread is inside ``masking(on)``."""
    entered, leave = threading.Event(), threading.Event()

    def other() -> None:
        with masking(on):
            assert masking_on() is on
            entered.set()
            leave.wait(10)

    worker = threading.Thread(target=other)
    worker.start()
    try:
        assert entered.wait(10)
        return check()
    finally:
        leave.set()
        worker.join(10)


@pytest.mark.parametrize("default", [False, True])
def test_another_threads_masking_does_not_change_what_this_thread_shows(default):
    set_masking(default)
    try:
        seen = _inside_other_thread(not default, lambda: (masking_on(), shown(PNR), html_text(PNR)))
        assert seen[0] is default
        assert (PNR in seen[1]) is (not default) and (PNR in seen[2]) is (not default)
        assert masking_on() is default  # and the default is as it was afterwards
    finally:
        set_masking(False)


def test_masking_nests_and_restores_in_one_thread():
    with masking(True):
        assert PNR not in shown(PNR)
        with masking(False):
            assert shown(PNR) == PNR
        assert PNR not in shown(PNR)
    assert shown(PNR) == PNR


def test_a_masked_publish_leaves_an_unmasked_process_unmasked(publish_settings, tmp_path):
    # an app process that does not mask, while a masked site is rendered in another thread
    set_masking(False)
    assert PNR in _inside_other_thread(True, lambda: html_text(PNR))
    out = tmp_path / "site"
    report = publish(publish_settings, COUNCIL, out, mask=True)
    assert report.masked and not masking_on()
    assert all(PNR not in p.read_text(encoding="utf-8") for p in out.rglob("*.html"))
