"""``python -m readinglist`` runs the command-line interface."""

from readinglist.cli import main

raise SystemExit(main())
