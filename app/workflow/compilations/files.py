"""The compilation's PDFs as render jobs: which job holds which file, and queueing them on publication.

A published version's files are named by the publication, so each is rendered once and served
until the version is withdrawn; a draft's are named by the compilation's version and rendered
again when asked for after a while, since a draft's figures are live.
"""
from __future__ import annotations

from typing import Any

from app.models import Compilation, RenderJob, User
from app.workflow.compilations.languages import DEFAULT
from app.workflow.core import rendering

KIND = "compilation_pdf"
NAMES = {"fi": ("sosiaalisen-raportoinnin-kooste", "luonnos"),
         "sv": ("sammanstallning-av-social-rapportering", "utkast"),
         "en": ("social-reporting-compilation", "draft")}
"""The downloaded file's name and a draft's mark, per language."""


def download_name(period: str, municipality: str | None, draft: bool, kind: str = "pdf",
                  language: str = DEFAULT) -> str:
    """sosiaalisen-raportoinnin-kooste-2026-H1.pdf; in Swedish ...-2026-H1-sv.pdf, in English ...-en.pdf."""
    base, mark = NAMES.get(language, NAMES[DEFAULT])
    suffix = f"-{municipality}" if municipality else ""
    spoken = "" if language == DEFAULT else f"-{language}"
    return f"{base}-{period}{suffix}{'-' + mark if draft else ''}{spoken}.{kind}"


def pdf_job(compilation: Compilation, municipality: str | None, *, requested_by: User | None = None,
            language: str = DEFAULT) -> RenderJob:
    """The job of the compilation's PDF (or one municipality's part) in `language`, queued if not rendered yet.

    The language is part of the job's key (a Finnish job keeps the key it always had, so files rendered
    before languages came are still found).
    """
    place = (municipality or "all") + ("" if language == DEFAULT else f"-{language}")
    publication = compilation.publication
    if publication is not None:
        params: dict[str, Any] = {"period": compilation.period, "publication_id": publication.id,
                                  "municipality": municipality, "language": language}
        return rendering.request_file(f"compilation-{compilation.period}-p{publication.id}-{place}", KIND, params,
                                      download_name(compilation.period, municipality, False, language=language),
                                      requested_by=requested_by)
    params = {"period": compilation.period, "publication_id": None, "municipality": municipality,
              "language": language}
    return rendering.request_file(f"compilation-{compilation.period}-draft-v{compilation.version}-{place}", KIND,
                                  params, download_name(compilation.period, municipality, True, language=language),
                                  requested_by=requested_by, refresh_after=rendering.STALE_DRAFT)


def queue_publication(compilation: Compilation) -> RenderJob:
    """On approval the whole compilation (in Finnish) goes into the queue; other files when first asked for."""
    return pdf_job(compilation, None)
