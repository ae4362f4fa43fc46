"""A synthetic site for the benchmarks: N articles × L languages, reproducible from a seed.

Articles look like the scraped pages of the real site (page chrome, the title
twice, a date line, short headings ending in a colon, paragraphs of realistic
length), share some boilerplate paragraphs (the same message in many
catalogs), and each language is translated to a different degree, with a few
fuzzy drafts, as a site in the middle of its translation is.

    python bench/generate.py OUT --articles 100 --languages 5 [--seed 7]
    python bench/generate.py OUT --change 0.1     # edit 10% of the paragraphs of an existing site
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from pathlib import Path

LANGUAGES = ["hy", "ru", "fr", "es", "ar", "de", "it", "pt_BR", "ja", "fa"]
# Share of messages translated per language (a site mid-translation), by position.
COVERAGE = [0.95, 0.8, 0.6, 0.4, 0.2, 0.7, 0.5, 0.3, 0.6, 0.1]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

WORDS = """
the of and to in a is that for on was with as by it at from his her an were are which this be has had
not have but their its after been who they one about more than when government city people year new
years first two would there all other into also over state president country minister could them
between during war since some region world police against under national history community attack
village report local many after before official months week day family children women leaders
council election vote court law rights human border agreement peace conflict talks support economic
market trade prices energy water school university students teachers hospital health workers union
strike protest march crowd square church monument memory remembered archive documents witnesses
survivors refugees homes streets night morning spring winter summer autumn mountains valley river
bridge road railway station airport factory farm harvest bread music theatre festival museum book
writer poet painter film journalist newspaper editor broadcast radio television interview statement
announced said told reported confirmed denied claimed warned promised demanded rejected accepted
signed opened closed built destroyed restored moved returned arrived left fled gathered celebrated
mourned honoured recalled described explained noted added according however although while because
despite several thousands hundreds dozens most least nearly almost only still already again never
""".split()

BOILERPLATE = [
    "This article is part of our series on the history of the region. Read the other articles of the series on our site.",
    "Support independent journalism: subscribe to our newsletter and receive every new article in your inbox.",
    "The views expressed in this article are those of the author and do not necessarily reflect the editorial position of the site.",
    "If you have a correction or more information about the events described here, write to the editors.",
    "Photographs courtesy of the national archive.",
]


def sentence(rng: random.Random) -> str:
    n = max(4, int(rng.gauss(17, 6)))
    words = [rng.choice(WORDS) for _ in range(n)]
    if rng.random() < 0.3:
        words.insert(rng.randrange(len(words)), str(rng.randint(1900, 2025)))
    text = " ".join(words)
    return text[0].upper() + text[1:] + rng.choice([".", ".", ".", "?", "!"])


def paragraph(rng: random.Random) -> str:
    # Paragraph lengths of news prose: mostly 2-4 sentences, sometimes one, sometimes long.
    count = min(9, max(1, int(rng.lognormvariate(1.0, 0.5))))
    return " ".join(sentence(rng) for _ in range(count))


def heading(rng: random.Random) -> str:
    words = [rng.choice(WORDS).capitalize() for _ in range(rng.randint(2, 5))]
    return " ".join(words) + ":"


def article(rng: random.Random, number: int) -> tuple[str, str]:
    title_words = [rng.choice(WORDS).capitalize() for _ in range(rng.randint(4, 9))]
    title = f"{' '.join(title_words)} ({number})"
    slug = f"article-{number:05d}"
    lines = ["top of page", "", title, "", f"Updated: {rng.choice(MONTHS)} {rng.randint(1, 28)}", "", title, ""]
    for _ in range(rng.randint(2, 6)):
        lines += [heading(rng), ""]
        for _ in range(rng.randint(1, 4)):
            lines += [paragraph(rng), ""]
    for text in rng.sample(BOILERPLATE, rng.randint(1, 3)):
        lines += [text, ""]
    lines += ["Ad for subscribing to our newsletter", "", "bottom of page"]
    return slug, "\n".join(lines)


# Stand-in translations look like the real thing to the quality checks: letters of the
# language's script, the same numbers and placeholders, the language's punctuation. So
# the checks do the work they do on a real site, not report every message.
ALPHABETS = {
    "hy": "աբգդեզէըթժիլխծկհձղճմյնշոչպջռսվտրցւփքօֆ",
    "ru": "абвгдежзийклмнопрстуфхцчшщыэюя",
    "ar": "ابتثجحخدذرزسشصضطظعغفقكلمنهوي",
    "fa": "ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی",
    "ja": "あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめも",
}
MARKS = {
    # Armenian: ։ ends a sentence, "." stands for the colon, and a question or exclamation
    # mark sits on the word (here the last one) before the ։ that ends the sentence.
    "hy": {".": "։", ":": ".", "?": "\u055e։", "!": "\u055c։"},
    "ar": {"?": "؟", ",": "،", ";": "؛"},
    "fa": {"?": "؟", ",": "،", ";": "؛"},
    "ja": {".": "。", ",": "、", "?": "？", "!": "！", ":": "：", " ": ""},
    "fr": {":": "\u202f:", ";": "\u202f;", "!": "\u202f!", "?": "\u202f?"},
}
_PLACEHOLDER = re.compile(r"(\{[^{}]*\})")


def fake_translation(msgid: str, language: str) -> str:
    """A stand-in translation: other letters of the language's script, the same
    placeholders and numbers, the language's punctuation."""
    base = language.split("_")[0]
    alphabet = ALPHABETS.get(base)
    marks = MARKS.get(base, {})
    pieces = []
    for piece in _PLACEHOLDER.split(msgid):
        if _PLACEHOLDER.fullmatch(piece):
            pieces.append(piece)
            continue
        out = []
        for char in piece:
            if "a" <= char.lower() <= "z":
                index = ord(char.lower()) - ord("a")
                letter = alphabet[index % len(alphabet)] if alphabet else chr(ord("a") + (index + 1) % 26)
                out.append(letter.upper() if char.isupper() else letter)
            else:
                out.append(marks.get(char, char))
        pieces.append("".join(out))
    text = "".join(pieces)
    if base == "es":  # each question or exclamation opens with ¿ or ¡
        text = " ".join({"?": "¿", "!": "¡"}.get(s[-1:], "") + s for s in re.split(r"(?<=[.?!]) ", text))
    return text


PYPROJECT = """\
[project]
name = "bench-site"
version = "0"

[tool.locflow]
source-language = "en"
languages = [{languages}]

[tool.locflow.thresholds]
default = 100
"""


def generate(out: Path, articles: int, languages: int, seed: int = 7) -> None:
    """Write the site (sources, templates and partly translated catalogs) into ``out``."""
    from locflow.catalogs import catalog_path, read_catalog, save_catalog
    from locflow.config import load_settings
    from locflow.steps.extract import extract
    from locflow.steps.update import update

    rng = random.Random(seed)
    codes = LANGUAGES[:languages]
    (out / "source").mkdir(parents=True, exist_ok=True)
    (out / "pyproject.toml").write_text(PYPROJECT.format(languages=", ".join(f'"{c}"' for c in codes)), encoding="utf-8")
    for number in range(articles):
        slug, text = article(rng, number)
        (out / "source" / f"{slug}.txt").write_text(text, encoding="utf-8")
    settings = load_settings(out)
    extract(settings)
    update(settings)
    for index, code in enumerate(codes):
        coverage = COVERAGE[index % len(COVERAGE)]
        for path in sorted((settings.locales_dir / code / "LC_MESSAGES").glob("*.po")):
            catalog = read_catalog(path)
            for entry in catalog:
                if entry.msgid and rng.random() < coverage:
                    entry.msgstr = fake_translation(entry.msgid, code)
                    if rng.random() < 0.05:
                        entry.flags.append("fuzzy")
            save_catalog(catalog, path)
    assert catalog_path(settings.locales_dir, codes[0], "article-00000").exists()


def change(out: Path, share: float, seed: int = 11) -> int:
    """Edit ``share`` of the paragraphs of every article as an author would: a word
    changed, added or dropped, a sentence added, or (rarely) a new paragraph.
    Returns how many paragraphs changed."""
    rng = random.Random(seed)
    changed = 0
    for path in sorted((out / "source").glob("*.txt")):
        paragraphs = path.read_text(encoding="utf-8").split("\n\n")
        for i, text in enumerate(paragraphs):
            if len(text) < 60 or text in BOILERPLATE or rng.random() >= share:
                continue
            words = text.split(" ")
            kind = rng.random()
            if kind < 0.4:
                words[rng.randrange(len(words))] = rng.choice(WORDS)
            elif kind < 0.6:
                words.insert(rng.randrange(len(words)), rng.choice(WORDS))
            elif kind < 0.75:
                del words[rng.randrange(len(words))]
            elif kind < 0.9:
                words.append(sentence(rng))
            else:
                words = paragraph(rng).split(" ")
            paragraphs[i] = " ".join(words)
            changed += 1
        path.write_text("\n\n".join(paragraphs), encoding="utf-8")
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--languages", type=int, default=5, choices=range(1, len(LANGUAGES) + 1))
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--change", type=float, default=None, help="edit this share of paragraphs of an existing site")
    args = parser.parse_args(argv)
    if args.change is not None:
        print(f"changed {change(args.out, args.change, args.seed)} paragraphs")
    else:
        generate(args.out, args.articles, args.languages, args.seed)
        print(f"generated {args.articles} articles × {args.languages} languages in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
