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
@format_option("text", "json")
@pass_context
def build(obj: Context, languages: tuple[str, ...], output_format: str) -> None:
    """Compile .mo files, JSON catalogs and localized articles into the build folder."""
    settings = obj.settings
    _report_files("build", build_step(settings, settings.select_languages(languages)), settings, output_format)


@cli.command()
@language_option
@format_option("text", "json")
@pass_context
def pseudo(obj: Context, languages: tuple[str, ...], output_format: str) -> None:
    """Generate the pseudo-locale catalogs (en_XA accented, ar_XB right to left), offline.

    Every message gets accented, lengthened text in brackets (placeholders,
    markup and numbers kept), so a site build shows what is not translatable.
    Default: the pseudo-locales in `languages`, else en_XA. Build them with
    `locflow build -l en_XA`.
    """
    from .drafts.pseudo import generate, pseudo_languages

    settings = obj.settings
    _report_files("pseudo", generate(settings, pseudo_languages(settings, languages)), settings, output_format)


@cli.group()
def memory() -> None:
    """Translation memory: every translation of the project, for drafts; TMX import and export."""


def _memory_summary(stats) -> str:
    per_language = ", ".join(f"{code} {count}" for code, count in stats.units.items()) or "no translations yet"
    return f"memory: {stats.files} file{'s' if stats.files != 1 else ''} ({stats.read} read), {sum(stats.units.values())} units ({per_language})"


@memory.command("rebuild")
@format_option("text", "json")
@pass_context
def memory_rebuild(obj: Context, output_format: str) -> None:
    """Rebuild the memory's index (in the cache folder) from every catalog and locales/memory/*.tmx."""
    from .drafts.memory import MemoryIndex

    stats = MemoryIndex(obj.settings).rebuild()
    if output_format == "json":
        click.echo(dump_json({"schema": "locflow.memory/1", "files": stats.files, "read": stats.read, "units": stats.units}))
    else:
        click.echo(_memory_summary(stats))


@memory.command("export")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@language_option
@format_option("text", "json")
@pass_context
def memory_export(obj: Context, file: Path, languages: tuple[str, ...], output_format: str) -> None:
    """Write the translation memory to FILE as TMX 1.4 (for OmegaT, Trados, memoQ, Weblate ...)."""
    from .drafts.memory import export_memory
    from .tmx import write_tmx

    settings = obj.settings
    exported = export_memory(settings, settings.select_languages(languages) if languages else None)
    written = write_tmx(exported, file)
    if output_format == "json":
        click.echo(dump_json({"schema": "locflow.memory-export/1", "file": str(file), "status": "written" if written else "unchanged",
                              "units": len(exported.units), "languages": exported.languages()}))
    else:
        click.echo(f"memory: {len(exported.units)} units ({', '.join(exported.languages()) or 'no languages'}) written to {file}")


@memory.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@format_option("text", "json")
@pass_context
def memory_import(obj: Context, file: Path, output_format: str) -> None:
    """Add the units of a TMX file to the project's memory (stored in locales/memory/, to commit).

    Units whose source language is not the project's are left out; a unit
    already in the stored file keeps its translations.
    """
    from .drafts.memory import import_memory

    settings = obj.settings
    result = import_memory(settings, file)
    where = result.path.relative_to(settings.root).as_posix() if result.path.is_relative_to(settings.root) else str(result.path)
    if output_format == "json":
        click.echo(dump_json({"schema": "locflow.memory-import/1", "file": where, "status": result.status,
                              "units": result.units, "languages": result.languages}))
    else:
        click.echo(f"memory: {result.units} units ({', '.join(result.languages)}) from {file}: {where} {result.status}")


@cli.group()
def glossary() -> None:
    """Glossaries: approved translations of names and terms (locales/<lang>/glossary.csv)."""


@glossary.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-l", "--language", "language", required=True, metavar="CODE", help="The target language of the terms to take.")
@click.option("--replace", is_flag=True, help="Take the file's translation of a term the glossary already has.")
@format_option("text", "json")
@pass_context
def glossary_import(obj: Context, file: Path, language: str, replace: bool, output_format: str) -> None:
    """Merge the terms of a TBX file into locales/<lang>/glossary.csv.

    A term the glossary already has keeps its translation (unless --replace);
    each such difference is listed.
    """
    from .glossary import import_tbx

    settings = obj.settings
    lang = settings.language(language)
    path, result, written = import_tbx(settings.locales_dir, file, settings.source_language.code, lang.code, replace)
    where = path.relative_to(settings.root).as_posix() if path.is_relative_to(settings.root) else str(path)
    if output_format == "json":
        click.echo(dump_json({
            "schema": "locflow.glossary-import/1", "file": where, "status": "updated" if written else "unchanged",
            "language": lang.code, "terms": len(result.terms), "added": [term.source for term in result.added],
            "conflicts": [{"source": kept.source, "glossary": kept.target, "file": offered.target, "replaced": replace}
                          for kept, offered in result.conflicts],
        }))
        return
    for kept, offered in result.conflicts:
        verb = "replaced by" if replace else "kept; the file says"
        click.echo(f"glossary: {kept.source}: {kept.target!r} {verb} {offered.target!r}")
    click.echo(f"glossary: {len(result.added)} terms added, {len(result.terms)} in {where} ({'updated' if written else 'unchanged'})")


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
