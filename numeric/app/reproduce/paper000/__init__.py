"""Paper 000 (Hannukainen & Larson) reproduced: ``NUMBER``, ``SPECS`` and ``TASKS`` for :mod:`numeric.app.reproduce`."""
from __future__ import annotations

from numeric.app.reproduce.paper000.tasks import *  # noqa: F401,F403
from numeric.app.reproduce.paper000.tasks import __all__  # noqa: F401
