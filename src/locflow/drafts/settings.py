"""The drafts' settings sections: ``[tool.locflow.prefill]``, ``[tool.locflow.memory]``
and ``[tool.locflow.pseudo]``, parsed into frozen dataclasses.

Kept apart from the modules that use them (rapidfuzz, SQLite, the project), so
that every command can parse them at start-up (:mod:`locflow.sections`
registers the parsers; a module reads its section with ``settings.section(name)``).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..config import Section, Settings
from . import DEFAULT_ORDER, SOURCES, source_available

# ---------------------------------------------------------------------------
# [tool.locflow.prefill]
# ---------------------------------------------------------------------------

PREFILL_KEYS = frozenset({"sources", "batch-size"})
DEFAULT_BATCH = 20


@dataclass(frozen=True)
class PrefillSettings:
    """``[tool.locflow.prefill]``, validated."""

    sources: tuple[str, ...]
    batch_size: int = DEFAULT_BATCH
    explicit: bool = False


def parse_prefill(settings: Settings) -> PrefillSettings:
    section = Section(settings, "prefill", PREFILL_KEYS)
    explicit = section.get("sources") is not None
    # The default order uses the sources this installation has.
    default = [name for name in DEFAULT_ORDER if source_available(name)]
    sources = section.strings("sources", default, SOURCES, str(list(DEFAULT_ORDER)), noun="draft source")
    batch = section.number("batch-size", DEFAULT_BATCH, 1, None, "a positive whole number", whole=True)
    return PrefillSettings(tuple(sources), batch, explicit)


# ---------------------------------------------------------------------------
# [tool.locflow.memory]
# ---------------------------------------------------------------------------

MEMORY_KEYS = frozenset({"enabled", "near-threshold"})
DEFAULT_NEAR_THRESHOLD = 75.0


@dataclass(frozen=True)
class MemorySettings:
    enabled: bool = True
    near_threshold: float = DEFAULT_NEAR_THRESHOLD


def parse_memory(settings: Settings, raw=None) -> MemorySettings:
    """``[tool.locflow.memory]``, or ``raw``: a table with the same keys (a run's own options over the file's)."""
    section = Section(settings, "memory", MEMORY_KEYS, raw)
    enabled = section.boolean("enabled", True)
    threshold = section.number("near-threshold", DEFAULT_NEAR_THRESHOLD, 1, 100, "a similarity from 1 to 100")
    return MemorySettings(enabled, float(threshold))


# ---------------------------------------------------------------------------
# [tool.locflow.pseudo]
# ---------------------------------------------------------------------------

PSEUDO_KEYS = frozenset({"expansion"})
DEFAULT_EXPANSION = 0.35


@dataclass(frozen=True)
class PseudoSettings:
    """``[tool.locflow.pseudo]``."""

    expansion: float = DEFAULT_EXPANSION


def parse_pseudo(settings: Settings) -> PseudoSettings:
    """Unknown keys and bad values are errors naming the key."""
    section = Section(settings, "pseudo", PSEUDO_KEYS)
    return PseudoSettings(float(section.number("expansion", DEFAULT_EXPANSION, 0, 2, "a ratio from 0 to 2 (0.35 = 35% longer)")))
