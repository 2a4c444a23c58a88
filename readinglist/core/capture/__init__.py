"""Capture: adding papers from an arXiv id, a DOI or a URL, online or offline.

The modules, from the bottom up: :mod:`.settings` (endpoints and limits),
:mod:`.refs` (what a reference is), :mod:`.http` (a careful client),
:mod:`.arxiv`, :mod:`.doi` and :mod:`.html_meta` (one source each),
:mod:`.lookup` (a reference to metadata), :mod:`.storing` (the one door into
the import pipeline), :mod:`.add` and :mod:`.refresh` (the commands).
"""
