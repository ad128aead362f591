"""A large organisation file: deleting thousands of units that left the file, as the scheduler's job does.

    .venv/bin/python bench/org_import.py [--units 3000] [--database-url sqlite:////tmp/sora_bench_org.db]

Builds the demo organisation plus one division of --units units under 30 service areas (inserted in bulk),
then imports the organisation's own export without that division, so every one of its nodes is deleted:
the check (org_csv.check_file) and the application (org_csv.apply_plan, one transaction) are timed apart.
SQLite holds its write lock for the whole application, so that is how long other writers wait.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=3000)
    parser.add_argument("--database-url", default="sqlite:////tmp/sora_bench_org.db")
    args = parser.parse_args()

    from flask_migrate import upgrade

    from app import create_app
    from app.codes import NodeKind
    from app.demo import seed_demo
    from app.extensions import db
    from app.models import Municipality, OrgNode, User
    from app.workflow.admin import org_csv
    from app.workflow.core.unit_of_work import unit_of_work
    from bench.load import recreate_database

    if args.database_url.startswith("sqlite:///"):
        Path(args.database_url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    else:
        recreate_database(args.database_url)
    app = create_app({"SQLALCHEMY_DATABASE_URI": args.database_url, "SECRET_KEY": "bench"})
    with app.app_context():
        upgrade()
        seed_demo(0, "bench-password")
        db.session.commit()
        keep = org_csv.to_csv(org_csv.load_states())
        kuopio = db.session.scalar(sa.select(Municipality.id).where(Municipality.code == "297"))
        division = OrgNode(code="BENCH", name="Vertailutoimiala", kind=NodeKind.DIVISION)
        db.session.add(division)
        db.session.flush()
        areas = [OrgNode(code=f"BENCH-A{i:02d}", name=f"Vertailualue {i}", kind=NodeKind.SERVICE_AREA,
                         parent_id=division.id) for i in range(30)]
        db.session.add_all(areas)
        db.session.flush()
        db.session.execute(sa.insert(OrgNode), [
            {"code": f"BENCH-U{i:05d}", "name": f"Vertailuyksikkö {i}", "kind": NodeKind.UNIT,
             "parent_id": areas[i % 30].id, "active": True, "municipality_id": kuopio} for i in range(args.units)])
        db.session.commit()
        actor = db.session.scalar(sa.select(User).where(User.email == "paakayttaja@sora.example"))
        actor_id = actor.id if actor else None
        db.session.remove()

        started = time.perf_counter()
        plan = org_csv.check_file(keep.encode("utf-8"))
        checked = time.perf_counter() - started
        deletions = plan.count("delete")
        started = time.perf_counter()
        with unit_of_work():
            org_csv.apply_plan(plan, db.session.get(User, actor_id))
        applied = time.perf_counter() - started
        left = db.session.scalar(sa.select(sa.func.count()).select_from(OrgNode).where(OrgNode.code.like("BENCH%")))
        db.engine.dispose()
    print(f"| {args.units} units, {deletions} nodes deleted | {checked:.1f} s | {applied:.1f} s | left {left} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
