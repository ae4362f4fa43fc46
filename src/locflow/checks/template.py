"""Whether a catalog is up to date with its article's template."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from ..catalogs import key_of, read_catalog, template_path
from . import Catalog, Problem, check

# A worker checks an article's catalogs in every language one after the other: its
# template is read once (per version of the file), not once per catalog.
_TEMPLATES: dict[str, tuple[tuple[int, int, int], list[tuple[tuple, str]]]] = {}
_KEEP = 64


def _template_keys(path: Path) -> list[tuple[tuple, str]]:
    st = os.stat(path)
    stamp = (st.st_mtime_ns, st.st_size, st.st_ino)
    cached = _TEMPLATES.get(str(path))
    if cached is not None and cached[0] == stamp:
        return cached[1]
    keys = [(key_of(entry), entry.msgid) for entry in read_catalog(path) if entry.msgid]
    _TEMPLATES.pop(str(path), None)
    while len(_TEMPLATES) >= _KEEP:
        del _TEMPLATES[next(iter(_TEMPLATES))]  # the oldest
    _TEMPLATES[str(path)] = (stamp, keys)
    return keys


@check(
    "outdated",
    "error",
    "The catalog has every message of its template: after `locflow extract`, run `locflow update`.",
    scope="catalog",
)
def check_outdated(unit: Catalog) -> Iterator[Problem]:
    locales_dir = unit.path.parents[2]  # locales/<lang>/LC_MESSAGES/<slug>.po
    path = template_path(locales_dir, unit.article)
    if not path.exists():
        return
    live = {key_of(entry) for entry in unit.catalog if not entry.obsolete and entry.msgid}
    missing = [msgid for key, msgid in _template_keys(path) if key not in live]
    if missing:
        first = " ".join(missing[0].split())[:60]
        yield Problem(
            f"{len(missing)} message(s) of the template are not in the catalog (first: {first!r}); "
            "run `locflow update` so translators see them",
            line=1,
        )
