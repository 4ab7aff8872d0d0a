"""Paper 002 (Huber, Kirton, Rabl) reproduced: ``NUMBER``, ``SPECS`` and ``TASKS`` for :mod:`numeric.app.reproduce`."""
from __future__ import annotations

from numeric.app.reproduce.paper002.tasks import *  # noqa: F401,F403
from numeric.app.reproduce.paper002.tasks import __all__  # noqa: F401
