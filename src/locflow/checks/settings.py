"""``[tool.locflow.checks]``: which checks run, how findings gate, length bounds.

::

    [tool.locflow.checks]
    disable = ["length"]          # off for every language
    fail-on = "error"             # "error": only errors fail `check`; "warning": warnings too
    gate = "language"             # "language": a language passes as a whole;
                                  # "article": each article passes on its own in each language
    length-ratio = [0.5, 2.5]     # translation length / source length outside this is suspicious
    ellipsis = "character"        # the site writes … (U+2026): three dots are a finding, and
                                  # `check --fix` writes … for them; default "source": as the source

    [tool.locflow.checks.languages.hy]
    disable = ["same-as-source"]  # added to the project-wide list for Armenian
    length-ratio = [0.6, 2.0]
    ellipsis = "source"

Unknown keys, unknown check names and languages that are not in the project
are errors naming the key. The section is parsed once, when the settings are
loaded (:mod:`locflow.sections` registers :func:`parse_checks`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ..config import Section, Settings
from ..errors import ConfigError
from ..languages import Language
from . import CheckOptions, registered

GATES = ("language", "article")
FAIL_ON = ("error", "warning")
_KEYS = {"disable", "fail-on", "gate", "length-ratio", "ellipsis", "languages"}
_LANGUAGE_KEYS = {"disable", "length-ratio", "ellipsis"}
ELLIPSIS = ("source", "character")
# Writing systems whose text is much shorter than an alphabetic source.
_DENSE_SCRIPTS = {"Hans", "Hant", "Jpan", "Kore"}
_DENSE_RATIO = (0.15, 1.5)


@dataclass(frozen=True)
class CheckSettings:
    disabled: frozenset[str]
    per_language: dict[str, frozenset[str]]
    gate: str
    fail_on: str
    length_ratio: tuple[float, float] | None
    per_language_ratio: dict[str, tuple[float, float]]
    path: Any = None
    ellipsis: str = "source"
    per_language_ellipsis: dict[str, str] | None = None

    def validate_names(self, names: Iterable[str], key: str) -> None:
        known = registered()
        for name in names:
            if name not in known:
                raise ConfigError(f"{key}: unknown check {name!r} (known checks: {', '.join(known)})", self.path)

    def enabled(self, language: str, only: Iterable[str] | None = None) -> list[str]:
        """The names of the checks that run on ``language``, in registry order."""
        wanted = set(only) if only is not None else None
        off = self.disabled | self.per_language.get(language, frozenset())
        return [name for name in registered() if name not in off and (wanted is None or name in wanted)]

    def options(self, language: Language) -> CheckOptions:
        ratio = self.per_language_ratio.get(language.code) or self.length_ratio
        if ratio is None:
            ratio = _DENSE_RATIO if language.script in _DENSE_SCRIPTS else CheckOptions().length_ratio
        ellipsis = (self.per_language_ellipsis or {}).get(language.code) or self.ellipsis
        return CheckOptions(length_ratio=ratio, ellipsis=ellipsis)


def check_settings(settings: Settings) -> CheckSettings:
    """``[tool.locflow.checks]``, parsed once with the settings (:func:`parse_checks`)."""
    return settings.section("checks")


def parse_checks(settings: Settings) -> CheckSettings:
    """Validate ``[tool.locflow.checks]`` (absent: every check on, errors fail, language gate)."""
    section = Section(settings, "checks", _KEYS)
    fail = section.fail
    known = registered()

    def names(table: Section, key: str) -> frozenset[str]:
        value = table.get(key, [])
        label = table.label(key)
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise fail(f"{label}: expected a list of check names, e.g. [\"length\", \"same-as-source\"]")
        for name in value:
            if name not in known:
                raise fail(f"{label}: unknown check {name!r} (known checks: {', '.join(known)})")
        return frozenset(value)

    def ratio(table: Section, key: str) -> tuple[float, float] | None:
        value = table.get(key)
        if value is None:
            return None
        ok = (
            isinstance(value, list)
            and len(value) == 2
            and all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in value)
            and 0 < value[0] < value[1]
        )
        if not ok:
            raise fail(f"{table.label(key)}: expected [low, high] with 0 < low < high, e.g. [0.5, 2.5], got {value!r}")
        return float(value[0]), float(value[1])

    per_language: dict[str, frozenset[str]] = {}
    per_language_ratio: dict[str, tuple[float, float]] = {}
    per_language_ellipsis: dict[str, str] = {}
    tables = section.languages("languages", settings.table_name("checks.languages.hy"), member="the languages")
    for code, raw in tables.items():
        table = section.table(f"languages.{code}", _LANGUAGE_KEYS, raw)
        per_language[code] = names(table, "disable")
        if (length_ratio := ratio(table, "length-ratio")) is not None:
            per_language_ratio[code] = length_ratio
        if "ellipsis" in table.raw:
            per_language_ellipsis[code] = table.choice("ellipsis", ELLIPSIS)

    return CheckSettings(
        disabled=names(section, "disable"),
        per_language=per_language,
        gate=section.choice("gate", GATES),
        fail_on=section.choice("fail-on", FAIL_ON),
        length_ratio=ratio(section, "length-ratio"),
        per_language_ratio=per_language_ratio,
        path=section.path,
        ellipsis=section.choice("ellipsis", ELLIPSIS),
        per_language_ellipsis=per_language_ellipsis,
    )
