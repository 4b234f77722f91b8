"""Command line: ``python -m nlp themes INPUT.csv --text-column COL [...]``.

The JSON result goes to --output, or to stdout when there is none; the human summary and
progress then go to stderr so that stdout stays pure JSON.
"""
from __future__ import annotations

import argparse
import csv
import io
import json
import sys
import time


# Consultation exports can have very long free-text cells.
FIELD_LIMIT = min(sys.maxsize, 2**31 - 1)


class CliError(Exception):
    """A user error reported as one line, exit status 2."""


def _read_column(path, column):
    try:
        with open(path, "rb") as fh:
            raw = fh.read()
    except FileNotFoundError:
        raise CliError(f"input file not found: {path}") from None
    except IsADirectoryError:
        raise CliError(f"input is a directory, not a CSV file: {path}") from None
    except OSError as exc:
        raise CliError(f"cannot read {path}: {exc.strerror}") from None
    try:
        data = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise CliError(f"{path} is not UTF-8 text (line {line}): save it as CSV UTF-8") from None
    if "\x00" in data:
        # A spreadsheet or UTF-16 file rather than a CSV export: its cells would be noise.
        line = data[:data.index("\x00")].count("\n") + 1
        raise CliError(f"{path} contains a NUL byte (line {line}): is it a CSV file? "
                       "Save it as CSV UTF-8") from None
    csv.field_size_limit(FIELD_LIMIT)
    reader = csv.DictReader(io.StringIO(data, newline=""))
    try:
        if not reader.fieldnames:
            raise CliError(f"input file is empty: {path}")
        if column not in reader.fieldnames:
            raise CliError(f"column {column!r} not found in {path} "
                           f"(columns: {', '.join(reader.fieldnames)})")
        texts = [row.get(column) or "" for row in reader]
    except csv.Error as exc:
        line = reader.line_num + 1
        raise CliError(f"{path} is not a readable CSV file (line {line}): {exc}") from None
    if not texts:
        raise CliError(f"input file has no rows: {path}")
    return texts


def _summary(result, n_rows):
    lines = [f"{n_rows} comments, {len(result['non_answers'])} non-answers, "
             f"{len(result['themes'])} themes in {result['seconds']:.1f}s"]
    for t in result["themes"][:15]:
        lines.append(f"  {t['id']:>3}  {t['size']:>6}  {t['label']}  "
                     f"[{', '.join(t['keywords'][:5])}]")
    if len(result["themes"]) > 15:
        lines.append(f"  ... {len(result['themes']) - 15} more")
    return "\n".join(lines)


def _themes(args):
    from .engine import ThemeFinder

    start = time.perf_counter()
    texts = _read_column(args.input, args.text_column)
    progress = None
    if not args.quiet:
        def progress(msg):
            print(f"[nlp] {msg}", file=sys.stderr, flush=True)
    finder = ThemeFinder(n_themes=args.themes, random_state=args.seed,
                         vectoriser=args.vectoriser, progress=progress)
    if args.min_themes is not None:
        finder.min_themes = args.min_themes
    if args.max_themes is not None:
        finder.max_themes = args.max_themes
    finder.fit(texts)
    result = finder.to_dict(seconds=time.perf_counter() - start)
    payload = json.dumps(result, ensure_ascii=False)
    if args.output:
        try:
            with open(args.output, "w", encoding="utf-8") as fh:
                fh.write(payload + "\n")
        except OSError as exc:
            raise CliError(f"cannot write {args.output}: {exc.strerror}") from None
        print(_summary(result, len(texts)))
    else:
        print(_summary(result, len(texts)), file=sys.stderr)
        print(payload)
    return 0


def build_parser():
    ap = argparse.ArgumentParser(prog="python -m nlp", description="Find themes in comments.")
    sub = ap.add_subparsers(dest="command", required=True)
    th = sub.add_parser("themes", help="group the comments of one CSV column into themes")
    th.add_argument("input", help="CSV file with a header row")
    th.add_argument("--text-column", required=True, help="column holding the comments")
    th.add_argument("--themes", type=int, default=None,
                    help="number of themes (default: chosen automatically)")
    th.add_argument("--min-themes", type=int, default=None)
    th.add_argument("--max-themes", type=int, default=None)
    th.add_argument("--seed", type=int, default=0)
    th.add_argument("--output", help="write the JSON here instead of stdout")
    th.add_argument("--vectoriser", default=None,
                    help="static (default), hybrid, tfidf or minilm (optional extras)")
    th.add_argument("--quiet", action="store_true", help="no progress lines")
    return ap


def main(argv=None):
    args = build_parser().parse_args(argv)
    try:
        if args.themes is not None and args.themes < 1:
            raise CliError("--themes must be at least 1")
        return _themes(args)
    except CliError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except RuntimeError as exc:  # e.g. optional vectoriser not installed
        print(f"error: {exc}", file=sys.stderr)
        return 2
