"""Files in the shapes of Sotkanet's REST API (https://sotkanet.fi/rest/1.1/), written for the tests, and a
local server that answers as Sotkanet does."""
from __future__ import annotations

import io
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

import pandas as pd

# Sotkanet numbers its regions itself; the data files name only these numbers.
REGIONS = [
    {"id": 1001, "code": "297", "category": "KUNTA", "title": {"fi": "Kuopio", "sv": "Kuopio", "en": "Kuopio"}},
    {"id": 1002, "code": "915", "category": "KUNTA", "title": {"fi": "Varkaus", "sv": "Varkaus", "en": "Varkaus"}},
    {"id": 1003, "code": "091", "category": "KUNTA", "title": {"fi": "Helsinki", "sv": "Helsingfors"}},
    {"id": 2013, "code": "13", "category": "HYVINVOINTIALUE", "title": {"fi": "Pohjois-Savon hyvinvointialue"}},
    {"id": 3000, "code": "246", "category": "MAA", "title": {"fi": "Koko maa", "sv": "Hela landet"}},
]

INDICATOR = {"id": 5641, "title": {"fi": "Toimeentulotukea saaneet henkilöt vuoden aikana, % asukkaista",
                                   "sv": "Personer som fått utkomststöd under året, % av invånarna",
                                   "en": "Recipients of social assistance during the year, % of population"},
             "range": {"start": 2019, "end": 2024}}


def data(values: dict[tuple[int, int], float], indicator: int = 5641, **extra: Any) -> list[dict[str, Any]]:
    """Data records as `/json?indicator=…` gives them: {(region, year): value}."""
    return [{"indicator": indicator, "region": region, "year": year, "gender": "total", "value": value,
             "absValue": round(value * 100), **extra} for (region, year), value in values.items()]


GOOD = {(1001, 2022): 7.1, (1001, 2023): 7.4, (1002, 2022): 9.8, (1002, 2023): 10.2, (1003, 2023): 6.0,
        (2013, 2022): 7.9, (2013, 2023): 8.3, (3000, 2022): 6.9, (3000, 2023): 7.0}


def as_bytes(content: Any) -> bytes:
    return json.dumps(content, ensure_ascii=False).encode("utf-8")


def workbook(rows: list[dict[str, Any]]) -> bytes:
    buffer = io.BytesIO()
    pd.DataFrame(rows).to_excel(buffer, index=False)
    return buffer.getvalue()


@contextmanager
def sotkanet_server(values: dict[tuple[int, int], float] | None = None) -> Iterator[tuple[str, list[str]]]:
    """A local server speaking Sotkanet's REST API 1.1 for indicator 5641; yields its base URL and the paths asked."""
    asked: list[str] = []
    rows = data(values or GOOD)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
            url = urlparse(self.path)
            asked.append(self.path)
            query = parse_qs(url.query)
            if url.path == "/rest/1.1/regions":
                body: Any = REGIONS
            elif url.path == "/rest/1.1/indicators/5641":
                body = INDICATOR
            elif url.path == "/rest/1.1/json" and query.get("indicator") == ["5641"]:
                years = {int(y) for y in query.get("years", [])}
                body = [r for r in rows if not years or r["year"] in years]
            else:
                self.send_error(404)
                return
            payload = as_bytes(body)
            self.send_response(200)
            self.send_header("Content-Type", "application/json;charset=utf-8")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/rest/1.1", asked
    finally:
        server.shutdown()
        server.server_close()
