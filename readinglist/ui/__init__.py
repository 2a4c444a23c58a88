"""The full-screen Textual app; everything here may import Textual, the core never imports this.

Textual reads ``TEXTUAL_FPS`` once, when it is first imported, so it is set
here, before any module of this package imports Textual.
"""

import os

# At Textual's default 60 frames a second, the rows a search brings often waited
# up to 16 ms for the next frame slot after the frame that echoed the key (p95
# 16 ms of the keystroke-to-results time at 100k papers); at 240 the wait is at
# most 4 ms. Frames are still only drawn when something changed. A user's own
# setting wins.
os.environ.setdefault("TEXTUAL_FPS", "240")
