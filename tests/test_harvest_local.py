"""Local sources (directories, files, the file:// sample portal), archive safety, crash recovery."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from flows.harvest import FetchRecord, HarvestEvent, guess_meta, harvest
from flows.harvest.archive import Archive, open_inside, walk_local
from flows.harvest.config import HarvestConfig, SourceConfig
from flows.harvest.urls import to_url
from parsers.pdf import sha256_file
from tests.fixtures.portal.portal_server import HTML_AS_PDF, KJJ, WJW, ZJJ, PortalServer, sha
from tests.fixtures.portal.portal_site import mini_pdf

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "samples" / "portal" / "czyjs"
CFG = HarvestConfig(
    connect_timeout=2, read_timeout=2, retries=0, backoff=0.01, max_bytes=300_000, rate_limit=0
)


def by_url(records: list[FetchRecord]) -> dict[str, FetchRecord]:
    assert len({r.url for r in records}) == len(records)
    return {r.url: r for r in records}


def snapshot(raw: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in raw.iterdir() if not p.name.startswith(".")}


# -- the offline sample portal ----------------------------------------------------------------


@pytest.mark.parametrize("as_url", [False, True], ids=["path", "file-url"])
def test_sample_portal_offline(tmp_path: Path, as_url: bool) -> None:
    column = SAMPLE / "index.html"
    src = SourceConfig(url=to_url(column) if as_url else str(column))
    raw = tmp_path / "raw"
    events: list[HarvestEvent] = []
    recs = harvest([src], CFG, raw, prior={}, progress=events.append)
    jyj = SAMPLE / "202501" / "P020250115_jyj.pdf"
    wjw = SAMPLE / "202401" / "水磨沟区卫生健康委员会2024年部门预算.pdf"
    assert [(r.url, r.outcome) for r in recs] == [(to_url(jyj), "new"), (to_url(wjw), "new")]
    assert [r.sha256 for r in recs] == [sha256_file(jyj), sha256_file(wjw)]
    assert sorted(p.name for p in raw.glob("*.pdf")) == sorted(f"{r.sha256}.pdf" for r in recs)
    # the GBK article page (page 2 of the column) was decoded
    assert recs[1].article_title == "乌鲁木齐市水磨沟区卫生健康委员会2024年部门预算公开"
    assert recs[1].link_text == "水磨沟区卫生健康委员会2024年部门预算.pdf"
    assert guess_meta(recs[0].article_title) == {"year": 2025, "kind": "budget", "scope": "department"}
    assert guess_meta(recs[1].article_title) == {"year": 2024, "kind": "budget", "scope": "department"}
    assert any(e.kind == "skipped" and "t20250110_0999" in e.url for e in events)  # 春节 notice

    before = snapshot(raw)
    again = harvest([src], CFG, raw, prior={r.url: r.to_prior() for r in recs})
    assert [r.outcome for r in again] == ["unchanged", "unchanged"]
    assert snapshot(raw) == before


def test_file_portal_never_leaves_its_directory(tmp_path: Path) -> None:
    site = tmp_path / "site" / "col"
    (site / "a").mkdir(parents=True)
    secret = tmp_path / "secret.pdf"
    secret.write_bytes(mini_pdf("outside the portal"))
    (site / "inside.pdf").write_bytes(KJJ)
    (site / "a" / "sneaky.pdf").symlink_to(secret)
    (site / "a" / "outside.html").symlink_to(tmp_path / "outside.html")
    (tmp_path / "outside.html").write_text(
        "<title>2025年预算</title><a href='secret.pdf'>预算</a>", encoding="utf-8"
    )
    (site / "index.html").write_text(
        "<title>预算公开</title>"
        "<a href='a/t1.html'>2025年部门预算</a> <a href='a/outside.html'>2025年预算（外部）</a>",
        encoding="utf-8",
    )
    (site / "a" / "t1.html").write_text(
        "<title>2025年部门预算</title>"
        f"<a href='../../../secret.pdf'>预算1</a> <a href='{to_url(secret)}'>预算2</a>"
        "<a href='sneaky.pdf'>预算3</a> <a href='../inside.pdf'>预算4</a> <a href='/etc/passwd'>预算5.pdf</a>",
        encoding="utf-8",
    )
    events: list[HarvestEvent] = []
    recs = harvest(
        [SourceConfig(url=str(site / "index.html"))], CFG, tmp_path / "raw", prior={}, progress=events.append
    )
    assert [(r.url, r.outcome) for r in recs] == [(to_url(site / "inside.pdf"), "new")]
    assert not (tmp_path / "raw" / f"{sha(secret.read_bytes())}.pdf").exists()
    refused = {e.url for e in events if e.kind == "skipped" and "outside" in e.message}
    assert to_url(secret) in refused and to_url(site / "a" / "sneaky.pdf") in refused
    assert "file:///etc/passwd" in refused


# -- local directories and files --------------------------------------------------------------


def test_local_directory_source(tmp_path: Path) -> None:
    docs, outside = tmp_path / "docs", tmp_path / "outside"
    (docs / "sub").mkdir(parents=True)
    outside.mkdir()
    secret = mini_pdf("secret, outside the source directory")
    (outside / "secret.pdf").write_bytes(secret)
    (docs / "a.pdf").write_bytes(KJJ)
    (docs / "sub" / "b.PDF").write_bytes(ZJJ)
    (docs / "no-extension").write_bytes(WJW)  # a PDF by content
    (docs / "notes.txt").write_text("预算说明", encoding="utf-8")  # not a PDF, not named .pdf: ignored
    (docs / "fake.pdf").write_bytes(HTML_AS_PDF)
    (docs / "link-in.pdf").symlink_to(docs / "a.pdf")
    (docs / "link-out.pdf").symlink_to(outside / "secret.pdf")
    (docs / "dir-out").symlink_to(outside, target_is_directory=True)
    raw = tmp_path / "raw"

    recs = by_url(harvest([SourceConfig(url=str(docs))], CFG, raw, prior={}))
    u = {
        name: to_url(docs / name)
        for name in ("a.pdf", "sub/b.PDF", "no-extension", "fake.pdf", "link-in.pdf")
    }
    assert {n: recs[x].outcome for n, x in u.items()} == {
        "a.pdf": "new",
        "sub/b.PDF": "new",
        "no-extension": "new",
        "fake.pdf": "not_pdf",
        "link-in.pdf": "new",
    }
    assert recs[u["link-in.pdf"]].sha256 == recs[u["a.pdf"]].sha256 == sha(KJJ)
    assert "HTML page" in recs[u["fake.pdf"]].error and str(docs / "fake.pdf") in recs[u["fake.pdf"]].error
    for name in ("link-out.pdf", "dir-out"):
        r = recs[to_url(docs / name)]
        assert r.outcome == "error" and "refused" in r.error and str(outside) in r.error
    assert len(recs) == 7  # notes.txt has no record
    assert sorted(p.name for p in raw.glob("*.pdf")) == sorted(f"{sha(b)}.pdf" for b in (KJJ, ZJJ, WJW))
    assert not (raw / f"{sha(secret)}.pdf").exists()

    # second run: size+mtime validators match → unchanged, nothing copied
    before = snapshot(raw)
    prior = {r.url: p for r in recs.values() if (p := r.to_prior())}
    recs2 = by_url(harvest([SourceConfig(url=to_url(docs))], CFG, raw, prior=prior))
    assert {recs2[x].outcome for x in u.values() if x != u["fake.pdf"]} == {"unchanged"}
    assert snapshot(raw) == before

    # a file rewritten in place → changed; the old archive file stays
    new = mini_pdf("a.pdf, second edition")
    (docs / "a.pdf").write_bytes(new)
    os.utime(docs / "a.pdf", ns=(time.time_ns(), time.time_ns() + 10**9))
    recs3 = by_url(harvest([SourceConfig(url=str(docs))], CFG, raw, prior=prior))
    assert recs3[u["a.pdf"]].outcome == "changed" and recs3[u["a.pdf"]].sha256 == sha(new)
    assert (raw / f"{sha(KJJ)}.pdf").exists() and (raw / f"{sha(new)}.pdf").exists()


def test_local_file_sources_and_limits(tmp_path: Path) -> None:
    f = tmp_path / "单个 文件.pdf"
    f.write_bytes(ZJJ)
    big = tmp_path / "big.pdf"
    big.write_bytes(KJJ * 4)
    recs = harvest(
        [SourceConfig(url=str(f)), SourceConfig(url=to_url(f)), SourceConfig(url=str(big))],
        CFG,
        tmp_path / "raw",
        prior={},
    )
    # the path and the file:// URL are the same URL: fetched once
    assert [(r.url, r.outcome) for r in recs] == [(to_url(f), "new"), (to_url(big), "too_large")]
    assert "max_bytes" in recs[1].error and str(big) in recs[1].error


def test_walk_and_open_refuse_symlinks_out_of_the_root(tmp_path: Path) -> None:
    root, outside = tmp_path / "root", tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    (outside / "x.pdf").write_bytes(KJJ)
    (root / "ok.pdf").write_bytes(ZJJ)
    (root / "out.pdf").symlink_to(outside / "x.pdf")
    (root / "dir").symlink_to(outside, target_is_directory=True)
    (root / "dangling.pdf").symlink_to(tmp_path / "gone.pdf")
    seen = {p.name: (target, why) for p, target, why in walk_local(root)}
    assert seen["ok.pdf"] == ((root / "ok.pdf").resolve(), None)
    assert seen["out.pdf"][0] is None and "outside" in seen["out.pdf"][1]
    assert seen["dir"][0] is None and "outside" in seen["dir"][1]
    assert seen["dangling.pdf"][0] is None and "cannot resolve" in seen["dangling.pdf"][1]
    with pytest.raises(PermissionError, match="outside"):
        open_inside(root / "out.pdf", root)
    os.close(open_inside(root / "ok.pdf", root))


# -- the archive and crash safety -------------------------------------------------------------


def test_archive_keeps_parts_of_a_running_harvest(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    running = Archive(raw)
    running.open()
    part = running.part()
    part.write(b"%PDF-1.4 half a file")
    other = Archive(raw)
    assert other.open() == 0 and part.path.exists()  # another harvest is running: left alone
    other.close()
    running.close()  # the writer "dies" without finishing
    later = Archive(raw)
    assert later.open() == 1 and not part.path.exists()
    later.close()
    part.abort()


KILL_SCRIPT = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from flows.harvest.config import HarvestConfig, SourceConfig
    from flows.harvest import harvest

    cfg = HarvestConfig(read_timeout=10, retries=0, rate_limit=0)
    harvest([SourceConfig(url=sys.argv[1])], cfg, Path(sys.argv[2]), {}, workers=1)
    """
)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_killed_mid_download_leaves_no_final_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("http_proxy", "HTTP_PROXY", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(var, raising=False)
    raw = tmp_path / "raw"
    state: dict[str, object] = {"slow": True, "sent": 0}
    with PortalServer() as srv:
        srv.trickle("/slow/budget.pdf", KJJ, first=70_000, state=state)
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join([p for p in (env.get("PYTHONPATH"), str(REPO)) if p])
        proc = subprocess.Popen(
            [sys.executable, "-c", KILL_SCRIPT, srv.url("/slow/budget.pdf"), str(raw)],
            cwd=REPO,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            deadline = time.monotonic() + 60
            while not (state["sent"] and list(raw.glob("*.part"))):
                assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else "exited"
                assert time.monotonic() < deadline, "download never started"
                time.sleep(0.05)
            assert int(state["sent"]) < len(KJJ)  # still mid-body
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(10)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait(10)
        assert proc.returncode == -signal.SIGKILL
        assert list(raw.glob("*.pdf")) == []  # nothing under a final name
        assert len(list(raw.glob("*.part"))) == 1

        state["slow"] = False
        (r,) = harvest([SourceConfig(url=srv.url("/slow/budget.pdf"))], CFG, raw, prior={})
    assert r.outcome == "new" and r.sha256 == sha(KJJ)
    assert [p.name for p in raw.glob("*.pdf")] == [f"{sha(KJJ)}.pdf"]
    assert list(raw.glob("*.part")) == []
    assert sha256_file(raw / f"{sha(KJJ)}.pdf") == sha(KJJ)


def test_never_raises_for_a_bad_archive_or_progress_callback(tmp_path: Path) -> None:
    f = tmp_path / "a.pdf"
    f.write_bytes(ZJJ)
    not_a_dir = tmp_path / "raw"
    not_a_dir.write_text("oops")
    (r,) = harvest([SourceConfig(url=str(f))], CFG, not_a_dir, prior={})
    assert r.outcome == "error" and str(not_a_dir) in r.error

    def broken(event: HarvestEvent) -> None:
        raise RuntimeError("progress bar crashed")

    (r,) = harvest([SourceConfig(url=str(f))], CFG, tmp_path / "ok", prior={}, progress=broken)
    assert r.outcome == "new"
