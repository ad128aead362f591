"""The app as a separate server process serves it in the tests: its configuration comes as JSON in SORA_TEST_CONFIG.

`gunicorn --pythonpath tests served_app:create()`, or `python tests/served_app.py PORT [colour|plain]` for
Werkzeug's server (what `flask run` and `make run` use), with or without its colour codes.
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app import create_app  # noqa: E402


def create():  # type: ignore[no-untyped-def]
    return create_app(json.loads(os.environ["SORA_TEST_CONFIG"]))


if __name__ == "__main__":
    from werkzeug import serving

    serving._log_add_style = sys.argv[2] == "colour"  # Werkzeug colours the status of each line by default
    serving.run_simple("127.0.0.1", int(sys.argv[1]), create(), threaded=True)
