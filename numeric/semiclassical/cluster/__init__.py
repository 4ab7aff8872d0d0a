"""Cluster mean-field theory of translation-invariant spin chains: the public API of :mod:`.equations`."""
from __future__ import annotations

from numeric.semiclassical.cluster.equations import *  # noqa: F401,F403
from numeric.semiclassical.cluster.equations import __all__  # noqa: F401
