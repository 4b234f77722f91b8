import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from nlpcorpus import build_corpus

ROOT = Path(__file__).resolve().parents[2]


def _run(*args):
    return subprocess.run([sys.executable, "-m", "nlp", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def csv_file(tmp_path_factory):
    texts, _ = build_corpus()
    path = tmp_path_factory.mktemp("cli") / "answers.csv"
    with open(path, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "answer"])
        for i, t in enumerate(texts):
            w.writerow([i, t])
    return path, texts


def _check(result, n, texts):
    assert set(result) == {"themes", "assignments", "non_answers", "seconds"}
    assert len(result["assignments"]) == n
    assert isinstance(result["seconds"], float)
    for t in result["themes"]:
        assert set(t) == {"id", "label", "keywords", "size", "examples", "description"}
        # The description is one of the theme's own comments' sentences (lightly trimmed).
        assert isinstance(t["description"], str)
        if t["description"]:
            assert any(t["description"].rstrip("…").lower() in texts[i].lower()
                       for i, a in enumerate(result["assignments"]) if a == t["id"]), t


def test_cli_stdout_json(csv_file):
    path, texts = csv_file
    r = _run("themes", str(path), "--text-column", "answer", "--themes", "4", "--seed", "1")
    assert r.returncode == 0, r.stderr
    result = json.loads(r.stdout)
    _check(result, len(texts), texts)
    assert len(result["themes"]) == 4
    assert len(result["non_answers"]) == 10
    assert "themes" in r.stderr  # summary went to stderr


def test_cli_output_file(csv_file, tmp_path):
    path, texts = csv_file
    out = tmp_path / "out.json"
    r = _run("themes", str(path), "--text-column", "answer", "--output", str(out))
    assert r.returncode == 0, r.stderr
    _check(json.loads(out.read_text()), len(texts), texts)
    assert "themes" in r.stdout and not r.stdout.lstrip().startswith("{")


def _one_line_error(r, fragment):
    assert r.returncode == 2
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, r.stderr
    assert lines[0].startswith("error:") and fragment in lines[0]
    assert r.stdout == ""


def test_cli_missing_file(tmp_path):
    _one_line_error(_run("themes", str(tmp_path / "nope.csv"), "--text-column", "a"), "not found")


def test_cli_missing_column(csv_file):
    path, _ = csv_file
    _one_line_error(_run("themes", str(path), "--text-column", "comment"), "'comment'")


def test_cli_empty_file(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    _one_line_error(_run("themes", str(empty), "--text-column", "a"), "empty")
    header_only = tmp_path / "header.csv"
    header_only.write_text("a,b\n")
    _one_line_error(_run("themes", str(header_only), "--text-column", "a"), "no rows")


def test_cli_not_utf8(tmp_path):
    latin = tmp_path / "latin1.csv"
    latin.write_bytes("a,b\n1,caf\u00e9 au lait\n".encode("latin-1"))
    _one_line_error(_run("themes", str(latin), "--text-column", "b"), "not UTF-8 text (line 2)")


def test_cli_nul_byte(tmp_path):
    nul = tmp_path / "nul.csv"
    nul.write_bytes(b"a,b\n1,hello\x00world\n2,more\n")
    _one_line_error(_run("themes", str(nul), "--text-column", "b"), "NUL byte")
    utf16 = tmp_path / "utf16.csv"  # Excel's "Unicode text": not a UTF-8 CSV
    utf16.write_bytes("a,b\n1,hello\n".encode("utf-16-le"))
    _one_line_error(_run("themes", str(utf16), "--text-column", "b"), "NUL byte")


def test_cli_csv_error_is_one_line(tmp_path, monkeypatch, capsys):
    from nlp import cli

    # A cell over the field limit makes the csv module raise csv.Error.
    monkeypatch.setattr(cli, "FIELD_LIMIT", 10)
    big = tmp_path / "big.csv"
    big.write_text("a,b\n1," + "x" * 50 + "\n")
    try:
        assert cli.main(["themes", str(big), "--text-column", "b", "--quiet"]) == 2
    finally:
        import csv
        csv.field_size_limit(131072)
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error:") and "line 2" in err[0], err
