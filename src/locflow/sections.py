"""Every settings section of locflow, registered with :func:`locflow.config.register_section`.

config.py parses the top-level keys; each section below belongs to the module
that uses it, which defines its frozen dataclass and parser and reads it back
with ``settings.section(name)``. Loading settings for a command goes through
:func:`load_settings` here (or imports this module first), so that the sections
a file has are parsed, and a bad one stops the command, before it writes
anything.

Registering imports nothing: each parser imports its module when it runs, that
is when the settings file has the section (at load) or a command asks for it.
The command line imports this module only when a command loads settings (never
for ``--version`` or ``--help``), and a site without a section never imports
its module. The drafts' parsers live in light modules of their own
(``drafts/settings.py``, ``drafts/machine/settings.py``: no HTTP client,
rapidfuzz or SQLite); the checks' parser needs the check registry, and the
Markdown parser imports the article formats.
"""

from __future__ import annotations

from pathlib import Path

from . import config
from .config import Settings, register_section


@register_section("checks")
def _checks(settings: Settings):
    from .checks.settings import parse_checks

    return parse_checks(settings)


@register_section("machine")
def _machine(settings: Settings):
    from .drafts.machine.settings import parse_machine

    return parse_machine(settings)


@register_section("markdown")
def _markdown(settings: Settings):
    from .formats.markdown import parse_settings

    return parse_settings(settings)


@register_section("memory")
def _memory(settings: Settings):
    from .drafts.settings import parse_memory

    return parse_memory(settings)


@register_section("prefill")
def _prefill(settings: Settings):
    from .drafts.settings import parse_prefill

    return parse_prefill(settings)


@register_section("pseudo")
def _pseudo(settings: Settings):
    from .drafts.settings import parse_pseudo

    return parse_pseudo(settings)


def load_settings(root: Path | None = None) -> Settings:
    """The settings of the project at ``root`` (found from the working folder by
    default), every section in the file parsed (raises :class:`ConfigError`)."""
    return config.load_settings(root)
