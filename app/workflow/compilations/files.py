"""The compilation's PDFs as render jobs: which job holds which file, and queueing them on publication.

A published version's files are named by the publication, so each is rendered once and served
until the version is withdrawn; a draft's are named by the compilation's version and rendered
again when asked for after a while, since a draft's figures are live.
"""
from __future__ import annotations

from typing import Any

from app.models import Compilation, RenderJob, User
from app.workflow.core import rendering

KIND = "compilation_pdf"


def download_name(period: str, municipality: str | None, draft: bool, kind: str = "pdf") -> str:
    suffix = f"-{municipality}" if municipality else ""
    return f"sosiaalisen-raportoinnin-kooste-{period}{suffix}{'-luonnos' if draft else ''}.{kind}"


def pdf_job(compilation: Compilation, municipality: str | None, *, requested_by: User | None = None) -> RenderJob:
    """The job of the compilation's PDF (or one municipality's part), queued if it is not rendered yet."""
    place = municipality or "all"
    publication = compilation.publication
    if publication is not None:
        params: dict[str, Any] = {"period": compilation.period, "publication_id": publication.id,
                                  "municipality": municipality}
        return rendering.request_file(f"compilation-{compilation.period}-p{publication.id}-{place}", KIND, params,
                                      download_name(compilation.period, municipality, False),
                                      requested_by=requested_by)
    params = {"period": compilation.period, "publication_id": None, "municipality": municipality}
    return rendering.request_file(f"compilation-{compilation.period}-draft-v{compilation.version}-{place}", KIND,
                                  params, download_name(compilation.period, municipality, True),
                                  requested_by=requested_by, refresh_after=rendering.STALE_DRAFT)


def queue_publication(compilation: Compilation) -> RenderJob:
    """On approval the whole compilation goes into the queue; a municipality's part when first asked for."""
    return pdf_job(compilation, None)
