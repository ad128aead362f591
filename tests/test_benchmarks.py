"""The benchmarks still run: each once at a tiny size, so a schema change cannot break them unnoticed.

They measure nothing here; their figures belong to bench/README.md.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from app.config import ROOT


def bench(script: str, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "bench" / script), *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=180, env={**os.environ, **(env or {})})


def test_the_compilation_benchmark_runs_to_the_pdf(tmp_path: Path):
    result = bench("compilation_pdf.py", "--reports", "20", "--out", str(tmp_path / "kooste.pdf"))
    assert result.returncode == 0, result.stderr[-3000:]
    assert "reports in 2026-H1: 20, previous: 10, database: sqlite" in result.stdout
    for stage in ("query", "statistics", "charts", "html", "pdf", "total"):
        assert re.search(rf"^  {stage} +\d+\.\d\d s", result.stdout, re.MULTILINE), stage
    assert (tmp_path / "kooste.pdf").read_bytes().startswith(b"%PDF-")
