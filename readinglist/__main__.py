"""``python -m readinglist`` runs the command-line interface."""

from readinglist.entry import main

raise SystemExit(main())
