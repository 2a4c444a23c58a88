"""What the terminal shows: the screen's composed lines, read from Textual's compositor.

A widget's ``render_line`` draws a line afresh; the compositor's lines are what
the terminal would show, cached lines included, so a row that was not redrawn
after a change shows stale here as it would on screen.
"""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.geometry import Region
from textual.widget import Widget


def screen_lines(app: App[Any]) -> list[str]:
    """Every line of the topmost screen as the terminal shows it (dialogs over the screen under them)."""
    # Textual has no public reader of the composed screen; the snapshot plugin reads the same.
    strips = app.screen._compositor.render_strips()
    return ["".join(segment.text for segment in strip) for strip in strips]


def region_lines(app: App[Any], region: Region) -> list[str]:
    """The lines of the screen inside ``region``, as shown (rows below the screen are missing)."""
    strips = app.screen._compositor.render_strips()[region.y : region.bottom]
    # Cropped by cells, not characters: a wide character takes two.
    return [strip.crop(region.x, region.right).text for strip in strips]


def widget_lines(app: App[Any], widget: Widget) -> list[str]:
    """The lines of the screen inside ``widget``'s content region, as shown."""
    return region_lines(app, widget.content_region)
