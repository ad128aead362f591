"""The life of a request: the view runs inside one unit of work, which commits once, here.

Views parse the request, call one operation and render; they never commit or roll back. When
an operation refuses (`Refusal`), everything the request changed is rolled back and the page is
shown again with the message and the user's typed input: the view says how with
`on_refusal(render)` before it calls the operation; without it the refusal gets a page of its
own (or a JSON answer under /api/). Any other exception also rolls back and goes on to the
error handlers (`app.views.errors`).
"""
from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from typing import Any

from flask import Flask, Response, current_app, g, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import force_locale, get_locale

from app.workflow.core.errors import Refusal
from app.workflow.core.unit_of_work import discard, unit_of_work

RefusalPage = Callable[[Refusal], ResponseReturnValue]


def on_refusal(render: RefusalPage) -> None:
    """Show this page if an operation of this request refuses; it runs after the rollback, on fresh rows."""
    g.refusal_page = render


def refusal_page(refusal: Refusal) -> ResponseReturnValue:
    if request.path.startswith("/api/"):
        return jsonify(error="Conflict" if refusal.status_code == 409 else "Bad Request",
                       message=str(refusal)), refusal.status_code
    return render_template("errors/error.html", code=refusal.status_code, message=str(refusal)), refusal.status_code


def handled(view: Callable[..., ResponseReturnValue]) -> Callable[..., ResponseReturnValue]:
    @functools.wraps(view)
    def process(**kwargs: Any) -> ResponseReturnValue:
        try:
            with unit_of_work():
                return view(**kwargs)
        except Refusal as refusal:
            render: RefusalPage = g.pop("refusal_page", refusal_page)
            try:
                return render(refusal)
            finally:
                discard()  # the page shown again changes nothing either

    return process


def install(app: Flask) -> None:
    """Run every view of the app in the lifecycle."""
    for endpoint, view in list(app.view_functions.items()):
        if endpoint != "static":
            app.view_functions[endpoint] = handled(view)


def streamed(lines: Iterator[str], mimetype: str, filename: str) -> Response:
    """A file sent as it is written. Its first piece is made now, inside the request's unit of work (so what
    it records, such as the audit entry of an export, commits with the request); the rest is read after,
    in an application context and the request's language of its own, a batch at a time."""
    first = next(lines)
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    language = str(get_locale() or "fi")

    def rest() -> Iterator[str]:
        yield first
        with app.app_context(), force_locale(language):
            yield from lines

    return Response(rest(), mimetype=mimetype, headers={"Content-Disposition": f"attachment; filename={filename}"})
