"""The ``locflow`` command line: thin commands over the library.

Exit status: 0 when all is well, 1 when ``check`` has findings (a language
under its threshold), 2 for a usage error or bad input (settings, articles,
catalogs), with a one-line message naming the file and line.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.console import Console

from . import __version__
from .build import build as build_step
from .checks.completeness import completeness
from .config import Settings, load_settings
from .errors import LocflowError
from .pipeline import extract as extract_step
from .pipeline import update as update_step
from .report import completeness_json, completeness_table, dump_json, files_json, files_summary
from .site import render_site, write_site

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _console() -> Console:
    # rich colours only on a terminal and honours NO_COLOR; tables never wrap to 80 in CI logs.
    return Console(highlight=False, soft_wrap=False, width=None if sys.stdout.isatty() else 160)


class Context:
    def __init__(self, project: Path | None):
        self.project = project
        self._settings: Settings | None = None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            self._settings = load_settings(self.project)
        return self._settings


pass_context = click.make_pass_decorator(Context)

language_option = click.option(
    "-l",
    "--language",
    "languages",
    multiple=True,
    metavar="CODE",
    help="Only this language (repeatable). Default: every language in the settings.",
)


def format_option(*choices: str):
    return click.option(
        "--format",
        "output_format",
        type=click.Choice(choices),
        default=choices[0],
        show_default=True,
        help="Output for people (text/table) or machines (json).",
    )


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="locflow")
@click.option(
    "-C",
    "--project",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Project folder (with pyproject.toml). Default: found from the current folder upwards.",
)
@click.pass_context
def cli(ctx: click.Context, project: Path | None) -> None:
    """Translation workflow: articles → gettext catalogs → drafts → checks → site build."""
    ctx.obj = Context(project)


def _report_files(step: str, results, settings: Settings, output_format: str) -> None:
    if output_format == "json":
        click.echo(dump_json(files_json(step, results, settings.root)))
    else:
        click.echo(files_summary(step, results))


@cli.command()
@format_option("text", "json")
@pass_context
def extract(obj: Context, output_format: str) -> None:
    """Write a template (locales/templates/<slug>.pot) for every article in the source folder."""
    settings = obj.settings
    _report_files("extract", extract_step(settings), settings, output_format)


@cli.command()
@language_option
@format_option("text", "json")
@pass_context
def update(obj: Context, languages: tuple[str, ...], output_format: str) -> None:
    """Create or merge every language's catalogs from the templates (msgmerge semantics).

    Translations are never lost: changed strings come back fuzzy with the
    previous msgid, removed strings become obsolete entries.
    """
    settings = obj.settings
    _report_files("update", update_step(settings, settings.select_languages(languages)), settings, output_format)


@cli.command()
@language_option
@format_option("table", "json")
@pass_context
def check(obj: Context, languages: tuple[str, ...], output_format: str) -> None:
    """Count translated, fuzzy and untranslated messages (as msgfmt --statistics).

    Exits 1 when a language is under its completeness threshold.
    """
    settings = obj.settings
    report = completeness(settings, settings.select_languages(languages))
    if output_format == "json":
        click.echo(dump_json(completeness_json(report, settings.root)))
    else:
        console = _console()
        console.print(completeness_table(report))
        failing = [lang.language.code for lang in report.languages if not lang.passed]
        if failing:
            console.print(f"[red]Below threshold:[/red] {', '.join(failing)}")
        else:
            console.print("[green]All languages meet their thresholds.[/green]")
    raise SystemExit(EXIT_OK if report.passed else EXIT_FINDINGS)


@cli.command()
@language_option
@click.option("--site", is_flag=True, help="Also write a static preview site to <build-dir>/site/ (every article in every language).")
@format_option("text", "json")
@pass_context
def build(obj: Context, languages: tuple[str, ...], site: bool, output_format: str) -> None:
    """Compile .mo files, JSON catalogs and localized articles into the build folder."""
    settings = obj.settings
    selected = settings.select_languages(languages)
    pages = render_site(settings, selected) if site else []  # bad input stops us before anything is written
    results = build_step(settings, selected)
    if site:
        results += write_site(settings, pages)
    _report_files("build", results, settings, output_format)


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the CLI and turn locflow errors into one line and exit status 2."""
    try:
        cli.main(args=argv, prog_name="locflow", standalone_mode=False)
    except LocflowError as exc:
        click.echo(f"locflow: error: {exc}", err=True)
        return EXIT_ERROR
    except click.exceptions.Abort:
        click.echo("locflow: interrupted", err=True)
        return 130
    except click.ClickException as exc:
        exc.show()
        return EXIT_ERROR
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else EXIT_ERROR)
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
