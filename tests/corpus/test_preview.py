"""`filmbot preview`: the pure preview() and the CLI, including every kind of bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.corpus import load_themes
from bot.corpus.preview import DEFAULT_THEMES, preview
from bot.corpus.reasons import Refusal

ROOT = Path(__file__).resolve().parents[2]
SEED = next((ROOT / "data" / "corpus" / "la-la-land").glob("002_*.txt"))
REVIEW = (
    "Vertigo is Hitchcock at his strangest, and Kim Novak gives a haunting performance in a double role.\n\n"
    "The final scene, at the top of the bell tower, is one of the bleakest endings Hollywood ever made.\n\n"
    "At the end of the day, it is a thriller that rewards a second viewing and never outstays its welcome.\n"
)
KEYS = {"paragraph", "text", "quotable", "refusal", "themes", "spoiler", "spoiler_reason"}


def themes():
    return load_themes(DEFAULT_THEMES)


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "bot", "preview", *args],
        check=False, capture_output=True, text=True, cwd=ROOT, env=env, timeout=120,
    )


def test_preview_tags_passages_and_marks_spoilers() -> None:
    """Each passage is a dict; the ending paragraph is tagged and spoiler, the idiom one is not."""
    out = preview(REVIEW, themes(), "Vertigo", 1958)
    assert all(set(p) == KEYS for p in out) and [p["paragraph"] for p in out] == [0, 1, 2]
    assert out[0]["themes"] == ["performances"] and not out[0]["spoiler"]
    assert out[1]["themes"] == ["ending"] and out[1]["spoiler"] and out[1]["quotable"]
    assert out[1]["spoiler_reason"] == "ending_theme" and out[0]["spoiler_reason"] is None
    # The idiom paragraph is not about the ending; it is hidden only as the rest of a review that gave its ending away.
    assert out[2]["themes"] == [] and out[2]["spoiler_reason"] == "after_reveal"


def test_preview_gives_a_reason_for_every_refused_passage() -> None:
    """JSON: refusal is a Refusal key exactly when the passage is not quotable (issue 28 item 3)."""
    out = preview(SEED.read_text(encoding="utf-8"), themes(), "La La Land", 2016)
    assert any(not p["quotable"] for p in out)
    assert all((p["refusal"] is None) == p["quotable"] for p in out)
    assert {p["refusal"] for p in out if p["refusal"]} <= {r.value for r in Refusal}


def test_preview_spoiler_reasons_after_a_warning_and_for_a_marked_review() -> None:
    """A review's own warning makes what follows spoiler; --spoiler marks every passage (issue 25 item 5)."""
    text = "Novak is superb in a double role, and Stewart is fine too.\n\nSpoilers ahead.\n\nThe tower scene is a shock."
    out = preview(text, themes(), "Vertigo", 1958)
    assert [p["spoiler_reason"] for p in out] == [None, "after_warning"]
    assert all(p["spoiler_reason"] == "review_marked" for p in preview(text.split("\n")[0], themes(), "Vertigo", 1958,
                                                                       review_spoiler=True))


def test_cli_text_listing_names_the_reasons(tmp_path: Path) -> None:
    """The text listing shows why a passage is refused and why it is a spoiler."""
    path = tmp_path / "r.txt"
    path.write_text("But it works. Spoilers ahead.\nThe final scene, at the top of the tower, is bleak and perfect.\n",
                    encoding="utf-8")
    result = cli(str(path), "--film", "Vertigo")
    assert result.returncode == 0
    assert "not quotable: shorter than 40 characters" in result.stdout
    assert "[spoiler: after the review's own spoiler warning]" in result.stdout


def test_preview_applies_film_specific_themes_only_to_their_film() -> None:
    """La La Land's 'jazz' appears for its review, never for the same text under another title."""
    text = SEED.read_text(encoding="utf-8")
    own = {k for p in preview(text, themes(), "La La Land", 2016) for k in p["themes"]}
    other = {k for p in preview(text, themes(), "Some Other Film", None) for k in p["themes"]}
    assert {"jazz", "ending", "nostalgia"} <= own
    assert "jazz" not in other and "los-angeles" not in other


def test_cli_json_is_one_array_across_files(tmp_path: Path) -> None:
    """--json prints exactly one JSON array covering every file given."""
    one, two = tmp_path / "a.txt", tmp_path / "b.md"
    one.write_text(REVIEW, encoding="utf-8")
    two.write_text(REVIEW.split("\n\n")[1], encoding="utf-8")
    result = cli(str(one), str(two), "--film", "Vertigo", "--year", "1958", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert isinstance(data, list) and len(data) == 4 and all(set(p) == KEYS for p in data)
    assert [p["themes"] for p in data] == [["performances"], ["ending"], [], ["ending"]]


def test_cli_listing_is_readable(tmp_path: Path) -> None:
    """Without --json: one header per file and one line per passage with its themes."""
    path = tmp_path / "review.txt"
    path.write_text(REVIEW, encoding="utf-8")
    result = cli(str(path), "--film", "Vertigo")
    assert result.returncode == 0 and str(path) in result.stdout
    assert "themes: ending  [spoiler: tagged with a spoiler theme (the ending)]" in result.stdout
    assert "themes: -" in result.stdout


def _bad_inputs(tmp: Path) -> dict[str, tuple[Path, str]]:
    (tmp / "folder").mkdir()
    (tmp / "nul.txt").write_bytes(b"A review\x00with a NUL byte.")
    (tmp / "latin1.txt").write_bytes("Amélie est charmante.".encode("latin-1"))
    (tmp / "empty.txt").write_text("", encoding="utf-8")
    (tmp / "blank.txt").write_text(" \n\n \n", encoding="utf-8")
    (tmp / "utf16.txt").write_bytes("A patient drama about a ferryman.".encode("utf-16"))  # named, not 'binary'
    with (tmp / "big.txt").open("wb") as handle:  # sparse: 10 MB without writing 10 MB
        handle.truncate(10 * 1024 * 1024)
    return {
        "missing": (tmp / "missing.txt", "no such file"),
        "directory": (tmp / "folder", "is a directory"),
        "nul": (tmp / "nul.txt", "binary"),
        "not-utf8": (tmp / "latin1.txt", "not UTF-8"),
        "empty": (tmp / "empty.txt", "empty"),
        "blank": (tmp / "blank.txt", "empty"),
        "10mb": (tmp / "big.txt", "larger than 1 MB"),
        "utf16": (tmp / "utf16.txt", "UTF-16 text"),
    }


@pytest.mark.parametrize("case", ["missing", "directory", "nul", "not-utf8", "empty", "blank", "10mb", "utf16"])
def test_run_preview_rejects_bad_input_with_one_line_and_status_2(
    tmp_path: Path, case: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each bad file: exit status 2, nothing on stdout, one stderr line naming the file and the problem."""
    path, needle = _bad_inputs(tmp_path)[case]
    assert main(["preview", str(path), "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and len(captured.err.strip().splitlines()) == 1
    assert needle in captured.err and str(path) in captured.err


def test_cli_bad_input_exits_2_and_prints_no_json(tmp_path: Path) -> None:
    """Through `python -m bot preview`: a good file then a missing one prints nothing to stdout."""
    good = tmp_path / "good.txt"
    good.write_text(REVIEW, encoding="utf-8")
    result = cli(str(good), str(tmp_path / "missing.txt"), "--json")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.strip().count("\n") == 0 and "no such file" in result.stderr


def test_cli_bad_themes_file_exits_2(tmp_path: Path) -> None:
    """A broken --themes file is reported in one line, status 2."""
    good, bad = tmp_path / "good.txt", tmp_path / "themes.toml"
    good.write_text(REVIEW, encoding="utf-8")
    bad.write_text("[themes.x]\nname = 1\n", encoding="utf-8")
    assert main(["preview", str(good), "--themes", str(bad)]) == 2


def test_cli_previews_a_review_page_by_url_with_the_bots_fetch_rules(review_site) -> None:
    """`filmbot preview URL` fetches the page (allowed host:port), extracts it and lists its passages."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "FILMBOT_FETCH_ALLOW": review_site.allow[0]}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "--env-file", "/nonexistent", "preview", review_site.url("/page/newspaper")],
        check=False, capture_output=True, text=True, cwd=ROOT, env=env, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "critic: Maria Lopez; outlet: The Daily Frame" in result.stdout
    assert "There are films about music" in result.stdout and "jazzcat77" not in result.stdout


@pytest.mark.parametrize(
    ("url", "needle"),
    [("http://127.0.0.1:9/review", "loopback"), ("ftp://example.com/r.txt", "Only http"),
     ("http://169.254.169.254/latest/meta-data/", "link-local")],
)
def test_cli_refuses_a_private_or_non_web_url_with_one_line(url, needle) -> None:
    """Same rules as the bot: no FILMBOT_FETCH_ALLOW, a private address is refused, exit status 2."""
    env = {k: v for k, v in os.environ.items() if k != "FILMBOT_FETCH_ALLOW"}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "--env-file", "/nonexistent", "preview", url],
        check=False, capture_output=True, text=True, cwd=ROOT, env={**env, "PYTHONPATH": str(ROOT)}, timeout=120,
    )
    assert result.returncode == 2 and result.stdout == ""
    assert needle in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_cli_file_name_not_utf8_under_strict_terminal(tmp_path: Path) -> None:
    """A file named in Latin-1 bytes is listed (name shown escaped) under a strict UTF-8 stdout: no traceback."""
    name = os.fsdecode(b"caf\xe9-review.txt")
    (tmp_path / name).write_text(REVIEW, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8:strict", "LC_ALL": "C.UTF-8"}
    for args in ([name], [name, "missing.txt"]):
        done = subprocess.run([sys.executable, "-m", "bot", "preview", *args], check=False, capture_output=True,
                              cwd=tmp_path, env=env, timeout=120)
        assert b"Traceback" not in done.stderr, done.stderr.decode("utf-8", "replace")
        if len(args) == 1:
            assert done.returncode == 0 and b"== caf\\xe9-review.txt: 3 passages" in done.stdout
        else:
            assert done.returncode == 2 and done.stderr.count(b"\n") == 1 and b"missing.txt" in done.stderr


@pytest.mark.parametrize("year", ["-5", "1869", "99999999999999999999"])
def test_run_preview_refuses_a_year_no_film_has(tmp_path: Path, year: str, capsys: pytest.CaptureFixture[str]) -> None:
    """--year -5 or 20 digits: exit 2 with one line naming --year, as /watchlist add refuses it (it previewed the
    review for a film of year -5)."""
    good = tmp_path / "good.txt"
    good.write_text(REVIEW, encoding="utf-8")
    assert main(["preview", str(good), "--year", year]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.startswith("filmbot preview: --year") and captured.err.count("\n") == 1
