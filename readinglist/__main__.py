"""``python -m readinglist`` runs the command-line interface."""

from readinglist.client import main

raise SystemExit(main())
