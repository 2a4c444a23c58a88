"""Capture's part of the app: its settings, and filling in pending papers once at start."""

from __future__ import annotations

from typing import TYPE_CHECKING

from readinglist.core.capture.settings import CaptureSettings, capture_settings
from readinglist.core.store import Library
from readinglist.core.wording import count_of

if TYPE_CHECKING:
    from readinglist.ui.app import ReadingListApp


def app_capture_settings(app: ReadingListApp) -> CaptureSettings:
    """Endpoints and limits for look-ups: ``[capture]`` in config.toml, then the environment."""
    try:
        return capture_settings(app.settings.capture)
    except ValueError as exc:
        app.notify(f"{exc}; using the defaults", severity="warning", markup=False)
        return CaptureSettings()


def refresh_pending_at_start(app: ReadingListApp) -> None:
    """Look pending papers up in a worker; with no network they quietly stay pending.

    Called after the first frame. The worker sends no request when nothing is pending.
    """
    settings = app_capture_settings(app)
    path = app.library.path

    def work() -> None:
        # Loaded here, in the worker: urllib and the import machinery stay off the first frame.
        from readinglist.core.capture.refresh import FILLED, refresh
        from readinglist.core.capture.storing import pending_papers

        with Library(path) as library:
            if not pending_papers(library):
                return
            outcomes = refresh(library, None, settings)
        filled = [o.paper.id for o in outcomes if o.kind == FILLED and o.paper is not None]
        if filled:
            app.call_from_thread(_filled, app, filled)

    app.run_worker(
        work, thread=True, group="capture", description="Filling in pending papers", exit_on_error=False
    )


def _filled(app: ReadingListApp, ids: list[int]) -> None:
    from readinglist.ui.screens.main import MainScreen
    from readinglist.ui.widgets.paper_list import PaperList

    app.notify(f"Filled in {count_of(len(ids))} added offline.")
    screen = app.screen_stack[0]
    if isinstance(screen, MainScreen):
        for paper_id in ids:
            screen.query_one(PaperList).invalidate(paper_id)
        screen.reload(keep_cursor=True)
