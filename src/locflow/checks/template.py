"""Whether a catalog is up to date with its article's template."""

from __future__ import annotations

from collections.abc import Iterator

from ..catalogs import key_of, read_catalog, template_path
from . import Catalog, Problem, check


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
    missing = [entry for entry in read_catalog(path) if entry.msgid and key_of(entry) not in live]
    if missing:
        first = " ".join(missing[0].msgid.split())[:60]
        yield Problem(
            f"{len(missing)} message(s) of the template are not in the catalog (first: {first!r}); "
            "run `locflow update` so translators see them",
            line=1,
        )
