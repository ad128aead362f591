"""The printed documents: WeasyPrint loads only the app's static files."""
from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from app.config import ROOT
from app.workflow.compilations.export import html_to_pdf, static_files_only


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    return buffer.getvalue()


class Server:
    """A local web server that counts the requests it gets and answers each with an image."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                server.requests.append(self.path)
                body = png() if self.path.endswith(".png") else b"body { color: red }"
                self.send_response(200)
                self.send_header("Content-Type", "image/png" if self.path.endswith(".png") else "text/css")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"


@pytest.fixture
def web() -> Iterator[Server]:
    server = Server()
    thread = threading.Thread(target=server.httpd.serve_forever, daemon=True)
    thread.start()
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()


def page(body: str, head: str = "") -> str:
    return f'<!doctype html><html lang="fi"><head><title>Testi</title>{head}</head><body>{body}</body></html>'


def images(pdf: bytes) -> int:
    return sum(len(p.images) for p in PdfReader(io.BytesIO(pdf)).pages)


def test_local_files_and_web_addresses_are_not_fetched(tmp_path: Path, web: Server):
    picture = tmp_path / "kuva.png"
    picture.write_bytes(png())
    html = page(f'<p>Teksti</p><img src="{picture.as_uri()}" alt="kuva"><img src="file:///etc/passwd" alt="x">'
                f'<img src="{web.url}/kuva.png" alt="verkko"><div style="height: 1cm; background: url({web.url}/tausta.png)">'
                f'</div><img src="../../etc/passwd" alt="y">',
                head=f'<link rel="stylesheet" href="{web.url}/tyyli.css"><style>@import url("{web.url}/tuonti.css");'
                     f"</style>")
    from weasyprint import HTML

    assert images(HTML(string=html, base_url=str(ROOT)).write_pdf()) >= 2  # WeasyPrint's own fetcher reads them
    assert sorted(web.requests) == ["/kuva.png", "/tausta.png", "/tuonti.css", "/tyyli.css"]
    web.requests.clear()

    pdf = html_to_pdf(html)
    assert images(pdf) == 0 and web.requests == []
    assert "Teksti" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


def test_the_fetcher_serves_static_files_only(tmp_path: Path):
    fetcher = static_files_only()
    style = ROOT / "static" / "css" / "sora.css"
    response = fetcher.fetch(style.as_uri())
    assert response.read() == style.read_bytes() and response.content_type == "text/css"
    secret = tmp_path / "salainen.txt"
    secret.write_text("salaisuus")
    for url in (secret.as_uri(), "file:///etc/passwd", (ROOT / "static" / ".." / "app" / "config.py").as_uri(),
                (ROOT / "static").as_uri(), "file://palvelin/static/css/sora.css", "http://127.0.0.1:9/x.png",
                "https://example.com/x.css", "data:text/css,body{color:red}", "ftp://example.com/x"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
