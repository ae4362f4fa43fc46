"""The time locflow writes into files.

Headers (``POT-Creation-Date``), draft comments and cache records carry a
time. With ``SOURCE_DATE_EPOCH`` set (https://reproducible-builds.org/specs/source-date-epoch/)
that time is the one it names, so two runs of the same inputs write the same
bytes whatever the clock says; a malformed value is an error, as the
specification asks.
"""

from __future__ import annotations

import datetime as _dt
import os

from .errors import ConfigError

GETTEXT_FORMAT = "%Y-%m-%d %H:%M%z"


def now() -> _dt.datetime:
    """The current time in UTC, or ``SOURCE_DATE_EPOCH`` when it is set."""
    value = os.environ.get("SOURCE_DATE_EPOCH")
    if value is None or value == "":
        return _dt.datetime.now(_dt.timezone.utc)
    try:
        seconds = int(value)
        if seconds < 0:
            raise ValueError(value)
        return _dt.datetime.fromtimestamp(seconds, _dt.timezone.utc)
    except (ValueError, OverflowError, OSError):
        raise ConfigError(
            f"SOURCE_DATE_EPOCH={value!r} is not a whole number of seconds since 1970-01-01 (as `date +%s` prints)"
        ) from None


def gettext_stamp() -> str:
    """The time as gettext headers write it (``2026-11-25 10:45+0000``)."""
    return now().strftime(GETTEXT_FORMAT)


def today() -> _dt.date:
    """Today's date in UTC (``SOURCE_DATE_EPOCH``'s day when it is set)."""
    return now().date()
