"""The ``locflow`` command line: thin commands over the library.

Exit status: 0 when all is well, 1 when ``check`` has findings (a language
under its threshold, or blocking quality findings), 2 for a usage error or bad input (settings, articles,
catalogs), with a one-line message naming the file and line.
"""

from __future__ import annotations

import os
import sys
from contextlib import nullcontext
from pathlib import Path

import click

from . import __version__
from .errors import LocflowError

# Start-up is kept short (`locflow --version`, a check with nothing to do): each
# command imports the steps, the reports and rich where it runs, not here.

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def dump_json(data, compact: bool = False) -> str:
    """JSON for machines: UTF-8 text as is, stable indentation, no colour (``compact``:
    one line, for reports of thousands of files, which Python encodes ten times faster)."""
    import json

    return json.dumps(data, ensure_ascii=False, indent=None if compact else 2)


def _console():
    # rich colours only on a terminal and honours NO_COLOR; tables never wrap to 80 in CI logs.
    # (emoji=False: no ":name:" codes in catalogs' text are turned into pictures, and
    # rich's table of emoji codes is not loaded.)
    return _console_class()(highlight=False, soft_wrap=False, emoji=False,
                            width=None if sys.stdout.isatty() else 160)


_CONSOLE_CLASS = []


def _console_class():
    """rich's Console, except that output into a closed pipe ends the command as
    every locflow command ends then (status 141, see :func:`main`): rich's own
    answer is exit status 1, which for `check` means findings."""
    if not _CONSOLE_CLASS:
        from rich.console import Console

        class PipeConsole(Console):
            def on_broken_pipe(self) -> None:
                self.quiet = True
                raise BrokenPipeError(32, "the reader of the output has gone")

        _CONSOLE_CLASS.append(PipeConsole)
    return _CONSOLE_CLASS[0]


def _bars(output_format: str):
    """Progress bars on standard error for people at a terminal; none for JSON, in a pipe or with --quiet."""
    ctx = click.get_current_context(silent=True)
    quiet = bool(ctx and ctx.find_object(Context) and ctx.find_object(Context).quiet)
    if output_format == "json" or quiet:
        return nullcontext()
    from . import progress

    return progress.shown(_console_class()(stderr=True, highlight=False, emoji=False))


class Context:
    def __init__(self, project: Path | None, quiet: bool = False):
        self.project = project
        self.quiet = quiet
        self._settings = None

    @property
    def settings(self):
        if self._settings is None:
            from .sections import load_settings

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
        help="Output for people (text) or machines (json).",
    )


EXIT_STATUS = (
    "Exit status: 0 when all is well, 1 when there are findings (check: a language below its "
    "threshold or a blocking finding), 2 for a usage error or bad input (one line per problem, "
    "naming the file and line)."
)


class LocflowCommand(click.Command):
    """A command whose help ends with the exit statuses (every command's help says them)."""

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        super().format_epilog(ctx, formatter)
        if EXIT_STATUS not in (self.epilog or ""):
            formatter.write_paragraph()
            formatter.write_text(EXIT_STATUS)


class LocflowGroup(click.Group):
    """The command group, with locflow's error convention on top of click's: a
    :class:`LocflowError` (bad input, settings or environment) or an operating
    system error (disk full, permission denied) is one line on standard error,
    ``locflow: error: file:line: message``, and exit status 2;
    Ctrl-C is "locflow: interrupted" and status 130. Usage errors are click's
    (status 2)."""

    command_class = LocflowCommand
    group_class = type  # sub-groups (memory, glossary) are LocflowGroups too

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except LocflowError as exc:
            click.echo(f"locflow: error: {exc}", err=True)
            ctx.exit(EXIT_ERROR)
        except BrokenPipeError as exc:
            if _stdout_is_a_pipe():  # `locflow todo | head`: the reader has what it wanted
                _silence_stdout()
                ctx.exit(EXIT_BROKEN_PIPE)
            from .errors import from_os_error

            click.echo(f"locflow: error: {from_os_error(exc)}", err=True)
            ctx.exit(EXIT_ERROR)
        except OSError as exc:  # disk full, permission denied, ...: one line naming the path
            from .errors import from_os_error

            click.echo(f"locflow: error: {from_os_error(exc)}", err=True)
            ctx.exit(EXIT_ERROR)
        except KeyboardInterrupt:
            click.echo("locflow: interrupted", err=True)
            ctx.exit(130)


@click.group(cls=LocflowGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="locflow")
@click.option(
    "-C",
    "--project",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Project folder (with locflow.toml or pyproject.toml). Default: found from the current folder upwards.",
)
@click.option("-q", "--quiet", is_flag=True, help="Print only errors (and JSON when asked for): no summaries, no progress bars.")
@click.pass_context
def cli(ctx: click.Context, project: Path | None, quiet: bool) -> None:
    """Translation workflow: articles → gettext catalogs → drafts → checks → site build."""
    ctx.obj = Context(project, quiet)


def _report_files(step: str, results, settings, output_format: str, errors=()) -> None:
    from .report import files_json, files_summary

    if output_format == "json":
        data = files_json(step, results, settings.root)
        if errors:
            data["errors"] = [_error_json(error, settings.root) for error in errors]
        click.echo(dump_json(data))
    elif not click.get_current_context().find_object(Context).quiet:
        click.echo(files_summary(step, results, settings.root))
    for error in errors:
        click.echo(f"locflow: error: {error}", err=True)


def _error_json(error, root: Path) -> dict:
    from .files import display_path

    return {"file": display_path(error.path, root) if error.path else None, "line": error.line, "message": error.message}


def _run_step(step: str, settings, output_format: str, work) -> None:
    """Run a writing step and report it; when some files could not be processed
    (the others were), report what was done, then each failure on its own
    line, and exit with status 2."""
    from .steps import StepFailed

    try:
        with _bars(output_format):
            results = work()
    except StepFailed as failed:
        _report_files(step, failed.results, settings, output_format, failed.errors)
        click.get_current_context().exit(EXIT_ERROR)
    _report_files(step, results, settings, output_format)


@cli.command()
@format_option("text", "json")
@pass_context
def extract(obj: Context, output_format: str) -> None:
    """Write a template (locales/templates/<slug>.pot) for every article in the source folder."""
    from .steps.extract import extract as extract_step

    settings = obj.settings
    _run_step("extract", settings, output_format, lambda: extract_step(settings))


@cli.command()
@language_option
@format_option("text", "json")
@pass_context
def update(obj: Context, languages: tuple[str, ...], output_format: str) -> None:
    """Create or merge every language's catalogs from the templates (msgmerge semantics).

    Translations are never lost: changed strings come back fuzzy with the
    previous msgid, removed strings become obsolete entries.
    """
    from .steps.update import update as update_step

    settings = obj.settings
    selected = settings.select_languages(languages)
    _run_step("update", settings, output_format, lambda: update_step(settings, selected))


def _check_names(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> tuple[str, ...]:
    if not value:
        return value
    from .checks import registered

    known = registered()
    for name in value:
        if name not in known:
            raise click.BadParameter(f"unknown check {name!r} (known checks: {', '.join(known)})", ctx, param)
    return value


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@language_option
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "html"]),
    default="text",
    show_default=True,
    help="Text for people, JSON for machines (schema locflow.check/2; locflow.tree-check/1 with PATHs), "
    "or an HTML dashboard page.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the JSON or HTML report to this file. Default for html: <build-dir>/check-report.html; json: standard output.",
)
@click.option("--checks/--no-checks", "quality", default=True, help="Run the quality checks, or count completeness only.")
@click.option("--only", multiple=True, metavar="NAME", callback=_check_names, help="Run only this check (repeatable).")
@click.option(
    "--gate",
    type=click.Choice(["language", "article"]),
    default=None,
    help="Pass or fail each language as a whole, or each article in each language. Default: [tool.locflow.checks] gate.",
)
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning"]),
    default=None,
    help="Which findings fail the check. Default: [tool.locflow.checks] fail-on, else error.",
)
@click.option("--list-checks", is_flag=True, help="List the checks (name, severity, explanation) and exit.")
@click.option(
    "--fix",
    is_flag=True,
    help="First apply the fixes that cannot change meaning (edge whitespace, Armenian ։, « » quotes, … where "
    "configured, French no-break spaces) to translated, non-fuzzy entries, then check.",
)
@click.option("--dry-run", is_flag=True, help="With --fix: print the changes as a diff (or JSON) and write nothing.")
@pass_context
def check(
    obj: Context,
    paths: tuple[Path, ...],
    languages: tuple[str, ...],
    output_format: str,
    output: Path | None,
    quality: bool,
    only: tuple[str, ...],
    gate: str | None,
    fail_on: str | None,
    list_checks: bool,
    fix: bool,
    dry_run: bool,
) -> None:
    """Count translations (as msgfmt --statistics) and check their quality.

    Completeness is counted per article and language against the thresholds;
    fuzzy never counts as translated. The quality checks (see --list-checks)
    look at every translated, non-fuzzy message; a translator silences one
    on an entry with the flag `#, ignore-<name>`.

    With PATHs (files, or folders laid out as <lang>/LC_MESSAGES/<domain>.po),
    any gettext tree is checked, inside a project or outside one: every
    catalog is counted as msgfmt counts it, a catalog that cannot be read is
    named among the results, and the others are still counted and checked.

    Exits 0 when everything passes, 1 when a language (or, with --gate
    article, an article) is under its threshold or has blocking findings,
    2 for bad input (after reporting everything else).
    """
    if output is not None and output_format == "text":
        raise click.UsageError("--output needs --format json or --format html")
    if dry_run and not fix:
        raise click.UsageError("--dry-run needs --fix")
    if paths and not list_checks:
        if fix or output_format == "html" or languages or gate:
            raise click.UsageError("with PATHs, check counts and checks the tree: no --fix, --format html, -l or --gate")
        _check_tree(obj, list(paths), output_format, output, quality, only, fail_on or "error")
        return
    from .checks import registered
    from .checks.gate import evaluate
    from .files import write_atomic
    from .report import check_html, check_json, check_summary, check_tables, checks_json, checks_table

    if list_checks:
        if output_format == "json":
            click.echo(dump_json(checks_json(registered())))
        else:
            _console().print(checks_table(registered()))
        return
    settings = obj.settings
    if fix:
        from .checks.fixes import fix_json, fix_listing, fix_site, fix_summary

        with _bars(output_format):
            fixed = fix_site(settings, settings.select_languages(languages), dry_run=dry_run)
        if dry_run:  # the diff (or JSON) and nothing else: nothing is written, not even a report
            if output_format == "json":
                click.echo(dump_json(fix_json(fixed, settings.root)))
            else:
                click.echo("".join(item.diff for item in fixed.files), nl=False)
                click.echo(fix_listing(fixed, settings.root) + fix_summary(fixed), err=True)
            return
        click.echo(fix_listing(fixed, settings.root) + fix_summary(fixed), err=output_format == "json")
    with _bars(output_format):
        result = evaluate(
            settings,
            settings.select_languages(languages),
            only=only or None,
            quality=quality,
            gate=gate,
            fail_on=fail_on,
        )
    if output_format == "json":
        text = dump_json(check_json(result, settings.root)) + "\n"
        if output is None:
            click.echo(text, nl=False)
        else:
            write_atomic(output, text)
    elif output_format == "html":
        target = output or settings.build_dir / "check-report.html"
        write_atomic(target, check_html(result, settings.root, target, site=settings.build_dir / "site"))
        console = _console()
        console.print(check_summary(result))
        console.print(f"Report: {_shown(target, settings.root)}")
    else:
        console = _console()
        if not obj.quiet:
            for table in check_tables(result, settings.root, console.width):
                console.print(table)
        console.print(check_summary(result))
    click.get_current_context().exit(EXIT_OK if result.passed else EXIT_FINDINGS)


def _shown(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return str(path)


@cli.command()
@language_option
@click.option("--site", is_flag=True, help="Also write a static preview site to <build-dir>/site/ (every article in every language).")
@format_option("text", "json")
@pass_context
def build(obj: Context, languages: tuple[str, ...], site: bool, output_format: str) -> None:
    """Compile .mo files, JSON catalogs and localized articles into the build folder."""
    settings = obj.settings
    selected = settings.select_languages(languages)
    from .project import project_lock
    from .steps.build import build as build_step
    from .steps.site import render_site, write_site

    def work():
        # One lock around all of it: the preview shows the catalogs the build published.
        with project_lock(settings):
            pages = render_site(settings, selected) if site else []  # bad input stops us before anything is written
            results = build_step(settings, selected)
            if site:
                results += write_site(settings, pages)
            return results

    _run_step("build", settings, output_format, work)


@cli.command()
@click.option(
    "-l",
    "--language",
    "languages",
    multiple=True,
    metavar="CODE",
    help="Only this pseudo-locale (repeatable): en_XA or ar_XB. Default: those in the settings' languages, else en_XA.",
)
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


@cli.command()
@language_option
@click.option(
    "--provider",
    type=click.Choice(["google", "deepl", "microsoft", "libre", "google-cloud", "mymemory", "llm"]),
    default=None,
    help="Machine translation from this provider only, for every language (default: [tool.locflow.machine]).",
)
@click.option("--overwrite-fuzzy", is_flag=True, help="Also replace locflow's own fuzzy drafts (never a translation, fuzzy or not).")
@click.option("--dry-run", is_flag=True, help="Send no text and write nothing: print how many strings and characters would be sent.")
@click.option(
    "--requests", "requests_at_a_time", type=click.IntRange(1, 64), default=None,
    help="HTTP requests to the translation services at a time (default: [tool.locflow.machine] concurrency).",
)
@click.option("--jobs", type=click.IntRange(1, 64), default=None, hidden=True, help="Deprecated name of --requests.")
@format_option("text", "json")
@pass_context
def prefill(
    obj: Context,
    languages: tuple[str, ...],
    provider: str | None,
    overwrite_fuzzy: bool,
    dry_run: bool,
    requests_at_a_time: int | None,
    jobs: int | None,
    output_format: str,
) -> None:
    """Fill every empty entry of the catalogs with a draft for translators to review.

    Drafts come from the sources in [tool.locflow.prefill] (translation memory,
    then machine translation); each is marked fuzzy with a comment saying where
    it came from. A translator's non-fuzzy translation is never touched. An
    unreachable service is reported and the run still succeeds (exit 0): the
    strings stay empty for translators.
    """
    import signal

    from . import progress
    from .drafts.prefill import prefill as prefill_step

    settings = obj.settings
    if jobs is not None:  # LOCFLOW_JOBS is the process pool; this was always HTTP requests
        click.echo("locflow: --jobs is now --requests (HTTP requests at a time); --jobs will go away", err=True)
        requests_at_a_time = requests_at_a_time or jobs

    def terminate(signum, frame):  # kill: stop like Ctrl-C, keeping every saved batch
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, terminate)
    console = _console()
    try:
        with _bars(output_format):
            report = prefill_step(
                settings, settings.select_languages(languages), provider=provider,
                overwrite_fuzzy=overwrite_fuzzy, dry_run=dry_run, concurrency=requests_at_a_time,
                progress=progress.reporter("prefill"),
            )
    finally:
        signal.signal(signal.SIGTERM, previous)
    if output_format == "json":
        click.echo(dump_json(report.as_dict()))
    else:
        for line in report.summary_lines():
            console.print(line, markup=False)
    if report.interrupted:
        raise SystemExit(130)


def _check_tree(obj: Context, paths: list[Path], output_format: str, output: Path | None, quality: bool,
                only: tuple[str, ...], fail_on: str) -> None:
    """check PATH...: any gettext tree (see locflow.tree)."""
    from .files import write_atomic
    from .report import tree_json, tree_lines
    from .tree import cache_folder, check_tree, count_tree, find_catalogs

    root = Path.cwd()
    catalogs = find_catalogs(paths)
    cache = cache_folder(paths)
    with _bars(output_format):
        results = count_tree(catalogs, cache)
        findings = []
        if quality:
            from .checks import registered

            findings = check_tree(results, list(only) if only else list(registered()), cache)
    errors = [result.error for result in results if result.error is not None]
    if output_format == "json":
        data = tree_json(results, findings, root)
        text = dump_json(data, compact=len(data["catalogs"]) + len(findings) > 500) + "\n"
        if output is None:
            click.echo(text, nl=False)
        else:
            write_atomic(output, text)
    elif not obj.quiet:
        console = _console()
        for line in tree_lines(results, findings, root):
            console.print(line)
    for error in errors:
        click.echo(f"locflow: error: {error}", err=True)
    blocking = [f for f in findings if f.severity == "error" or fail_on == "warning"]
    if not obj.quiet and output_format != "json":
        _console().print(f"{len(results)} catalogs, {len(errors)} unreadable, {len(findings)} findings "
                         f"({len(blocking)} blocking).")
    click.get_current_context().exit(EXIT_ERROR if errors else EXIT_FINDINGS if blocking else EXIT_OK)


@cli.command()
@click.option("-l", "--language", "languages", multiple=True, metavar="CODE", help="A language to translate into (repeatable), e.g. -l hy -l ru.")
@click.option("--source-dir", default="source", show_default=True, help="Where the articles are (sub-folders too).")
@click.option("--sample", is_flag=True, help="Also write a sample article, source/welcome.md.")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path), default=".")
def init(languages: tuple[str, ...], source_dir: str, sample: bool, folder: Path) -> None:
    """Start a site in FOLDER (default: here): settings, the source folder and .gitignore entries.

    The settings go into locflow.toml, or into [tool.locflow] of the folder's
    pyproject.toml when it is a Python project. Then: put articles (.md, .html,
    .txt) in the source folder and run `locflow extract` and `locflow update`.
    """
    from .files import display_path
    from .scaffold import init_site

    folder.mkdir(parents=True, exist_ok=True)
    result = init_site(folder, list(languages), source_dir, sample)
    quiet = click.get_current_context().find_object(Context).quiet
    if quiet:
        return
    root = folder.resolve()
    names = ", ".join(f"{language.code} ({language.english_name})" for language in result.languages)
    click.echo(f"init: a site translated into {names}")
    for path in result.created:
        click.echo(f"  created {display_path(path, root)}")
    for path in result.updated:
        click.echo(f"  updated {display_path(path, root)}")
    click.echo(f"Next: put articles in {source_dir}/, then run `locflow extract` and `locflow update`.")


@cli.command("add-language")
@click.argument("code")
@format_option("text", "json")
@pass_context
def add_language(obj: Context, code: str, output_format: str) -> None:
    """Add a language to the site's settings and make its catalogs (as `locflow update -l CODE` does)."""
    from .scaffold import add_language as add
    from .sections import load_settings
    from .steps.update import update as update_step

    path, language = add(obj.project, code)
    obj._settings = settings = load_settings(obj.project)
    if not obj.quiet and output_format != "json":
        click.echo(f"add-language: {language.code} ({language.english_name}, {language.nplurals} plural forms: {language.plural_forms}) "
                   f"added to {path.name}")
    from .project import template_slugs

    if template_slugs(settings):
        _run_step("update", settings, output_format, lambda: update_step(settings, (settings.language(language.code),)))
    elif output_format == "json":
        click.echo(dump_json({"schema": "locflow.files/1", "step": "update", "files": []}))


@cli.command()
@click.option("-l", "--language", "language", required=True, metavar="CODE", help="The language to list work for.")
@format_option("text", "json")
@pass_context
def todo(obj: Context, language: str, output_format: str) -> None:
    """List what needs a translator in one language: untranslated and fuzzy entries, article by article, with file:line.

    Each fuzzy entry says why it is fuzzy (a draft and where it came from, or a
    source text that changed, with the text it was translated from) and shows
    the translation to review. Exits 0 whatever the list holds (`check` is the
    gate).
    """
    from .todo import summary_lines, todo as todo_list

    settings = obj.settings
    result = todo_list(settings, settings.language(language))
    if output_format == "json":
        click.echo(dump_json(result.as_dict(settings.root)))
    elif not obj.quiet:
        for line in summary_lines(result, settings.root):
            click.echo(line)


# As a program killed by SIGPIPE ends (128 + 13), without a message, like GNU tools.
EXIT_BROKEN_PIPE = 141


def _stdout_is_a_pipe() -> bool:
    import stat

    try:
        return stat.S_ISFIFO(os.fstat(sys.stdout.fileno()).st_mode)
    except (OSError, ValueError, AttributeError):
        return False


def _silence_stdout() -> None:
    """Point standard output at /dev/null, so that flushing it at exit after the
    reader went away raises nothing (Python's documented recipe for SIGPIPE)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the CLI and return its exit status (see :class:`LocflowGroup`)."""
    try:
        cli.main(args=argv, prog_name="locflow", standalone_mode=True)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else EXIT_ERROR)
    else:
        code = EXIT_OK
    try:
        sys.stdout.flush()  # the last of the output may still be buffered
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    except (OSError, ValueError):
        pass
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
