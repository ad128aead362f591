"""The yardstick for filing: the least a Flask endpoint can do to store a report, one INSERT and a commit.

Served by Gunicorn exactly as SoRa is, on the same PostgreSQL database; SoRa's filing adds validation,
numbering, routing, notifications and mail to this.
"""
from __future__ import annotations

import os

import sqlalchemy as sa
from flask import Flask, jsonify, request

metadata = sa.MetaData()
bench_row = sa.Table(
    "bench_row", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime, server_default=sa.func.now()),
)


def create_app() -> Flask:
    app = Flask(__name__)
    engine = sa.create_engine(os.environ["BENCH_DATABASE_URL"], pool_pre_ping=True)  # the table: bench/filing.py

    @app.post("/insert")
    def insert():  # type: ignore[no-untyped-def]
        body = request.get_json()
        with engine.begin() as connection:
            row_id = connection.execute(bench_row.insert().values(body=body["description"])
                                        .returning(bench_row.c.id)).scalar_one()
        return jsonify(id=row_id), 201

    return app
