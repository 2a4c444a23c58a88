"""Finding papers by meaning: embeddings, "more like this" and rank fusion with word search.

Nothing here imports numpy or the model at module level: ``readinglist
search`` and the app's start-up import only :mod:`.available` paths until a
search actually needs meaning results (see docs/discovery.md).

The model is wordllama's bundled 256-dimension static embedding (``pip install
wordllama``): a paper's vector is the average of its title and abstract token
vectors, normalised. It ships inside the package and is read from there; no
code path here can download anything.
"""

import os

# One BLAS thread: on a 2-core machine a 10k x 256 product took 6 ms with OpenBLAS's
# threads competing with the app for the cores, 1.2 ms on one (must be set before numpy loads).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from readinglist.core.semantic.model import MISSING_HINT, ModelMissing, available

__all__ = ["MISSING_HINT", "ModelMissing", "available"]
