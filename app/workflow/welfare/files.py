"""The welfare package's PDF as a render job: the package (built from published content only) travels in it."""
from __future__ import annotations

import hashlib
import json
from typing import Any

from app.models import RenderJob, User
from app.workflow.core import rendering

KIND = "welfare_pdf"


def pdf_job(package: dict[str, Any], download_name: str, *, requested_by: User | None = None) -> RenderJob:
    """The same package (whenever asked, by whoever) is the same job and the same file."""
    content = {k: v for k, v in package.items() if k != "generated_at"}
    digest = hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()
    return rendering.request_file(f"welfare-{package['place']['code']}-{package['span']['code']}-{digest[:24]}", KIND,
                                  {"package": package}, download_name, requested_by=requested_by)
