"""Counties' open-data files for the harvest tests, and a local web server that publishes them as a county's
SoRa does (/results/open-data/index.json and a JSON file per half-year)."""
from __future__ import annotations

import copy
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from app.workflow.comparison.formats import ADDED_IN_3, ADDED_IN_3_FOR_MUNICIPALITIES
from app.workflow.comparison.synthetic import example_export
from app.workflow.welfare import national_export


def as_bytes(document: Any) -> bytes:
    return national_export.to_json(document) if isinstance(document, dict) else document


def as_version_2(document: dict[str, Any]) -> dict[str, Any]:
    """The export as a county on SoRa's format 2 published it: no classification, dimensions or processing."""
    old = copy.deepcopy(document)
    old["format_version"] = 2
    for key in ("national_phenomena", "processing"):
        old.pop(key)
    for dimension in ADDED_IN_3:
        old["counts"].pop(dimension)
    for place in old["municipalities"]:
        for dimension in ADDED_IN_3_FOR_MUNICIPALITIES:
            place["counts"].pop(dimension)
    return old


def index(base: str, county: str, periods: list[str], *, area: str | None = "2") -> dict[str, Any]:
    return {"format": "sora-open-data-index", "format_version": 1,
            "county": {"code": county, "name": f"Alue {county}",
                       "collaborative_area": {"code": area, "name": "Yhteistyöalue"} if area else None},
            "export_format": "sora-national-export", "export_format_version": 3, "schema": f"{base}/schema.json",
            "licence": "CC BY 4.0",
            "periods": [{"period": p, "published_at": None, "json": f"{base}/{county}/{p}.json",
                         "csv": f"{base}/{county}/{p}.csv"} for p in periods]}


class Counties:
    """What the server answers: {path: bytes, or an HTTP status to fail with}; change it between harvests."""

    def __init__(self) -> None:
        self.files: dict[str, bytes | int] = {}
        self.asked: list[str] = []
        self.base = ""

    def publish(self, county: str, documents: dict[str, Any], *, area: str | None = "2") -> str:
        """The county's index listing its half-years, and their files; returns the index's address."""
        for period, document in documents.items():
            self.files[f"/{county}/{period}.json"] = as_bytes(document)
        self.files[f"/{county}/index.json"] = as_bytes(index(self.base, county, list(documents), area=area))
        return f"{self.base}/{county}/index.json"

    def good(self, county: str, period: str = "2026-H1", **options: Any) -> dict[str, Any]:
        return example_export(county, period, **options)


@contextmanager
def county_server() -> Iterator[Counties]:
    counties = Counties()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
            counties.asked.append(self.path)
            answer = counties.files.get(self.path, 404)
            if isinstance(answer, int):
                self.send_error(answer)
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    counties.base = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield counties
    finally:
        server.shutdown()
        server.server_close()


def json_of(data: bytes) -> Any:
    return json.loads(data)
