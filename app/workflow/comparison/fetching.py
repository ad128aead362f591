"""Fetching a county's open-data files: short timeouts, a size limit, and redirects only to http(s).

A comparison installation fetches addresses its administrator typed, from servers it does not run; a slow,
huge or redirecting answer must not hold the scheduler, fill its memory or lead it to a file: or ftp: URL.
"""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urljoin, urlparse

import requests
from flask_babel import gettext as _

TIMEOUT = (3.05, 10)
"""Seconds to connect, and to wait for each piece of the answer."""
MAX_BYTES = 5_000_000
"""A half-year's export of the largest county is some hundreds of kilobytes."""
MAX_REDIRECTS = 3


class Unreachable(Exception):
    """The county's server did not give the file (connection, timeout, HTTP error, too large); str() says why."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


@dataclass(frozen=True)
class Fetched:
    url: str
    """The address the file came from, after any redirects."""
    data: bytes


def allowed(url: str) -> bool:
    parsed = urlparse(url)
    return parsed.scheme in ("http", "https") and bool(parsed.netloc)


def fetch(url: str, session: requests.Session | None = None, max_bytes: int = MAX_BYTES) -> Fetched:
    """The bytes at `url`; Unreachable with the reason in the reader's words."""
    http = session or requests.Session()
    for _hop in range(MAX_REDIRECTS + 1):
        if not allowed(url):
            raise Unreachable(_("Osoite %(url)s ei ole http- tai https-osoite.", url=url[:200]))
        try:
            with http.get(url, timeout=TIMEOUT, allow_redirects=False, stream=True,
                          headers={"Accept": "application/json"}) as response:
                if response.is_redirect and response.headers.get("Location"):
                    url = urljoin(url, response.headers["Location"])
                    continue
                if response.status_code != 200:
                    raise Unreachable(_("Palvelin vastasi %(status)s osoitteessa %(url)s.",
                                        status=response.status_code, url=url[:200]))
                data = bytearray()
                for piece in response.iter_content(65536):
                    data += piece
                    if len(data) > max_bytes:
                        raise Unreachable(_("Tiedosto on liian suuri (yli %(size)s Mt): %(url)s.",
                                            size=max_bytes // 1_000_000, url=url[:200]))
                return Fetched(url, bytes(data))
        except requests.Timeout:
            raise Unreachable(_("Palvelin ei vastannut ajoissa: %(url)s.", url=url[:200])) from None
        except requests.RequestException:
            raise Unreachable(_("Palvelimeen ei saatu yhteyttä: %(url)s.", url=url[:200])) from None
    raise Unreachable(_("Liian monta uudelleenohjausta: %(url)s.", url=url[:200]))
