"""Command-line tasks: `flask --app app seed-reference`, `seed-demo`, `scheduler`, `run-jobs`, `retention`, `sso-unlink`."""
from __future__ import annotations

import click
from flask import Flask, current_app

from app.extensions import db


def register(app: Flask) -> None:
    @app.cli.command("seed-reference")
    def seed_reference() -> None:
        """Add the municipalities, themes and national phenomena every deployment needs."""
        from app.reference import load_reference_data

        load_reference_data()
        db.session.commit()
        click.echo("Viitetiedot ovat ajan tasalla.")

    @app.cli.command("seed-demo")
    @click.option("--reports", default=0, show_default=True, help="Fill up to this many demo reports.")
    def seed_demo(reports: int) -> None:
        """Demo organisation, a user for every role and sample reports; safe to run again."""
        from app.demo import seed_demo as run

        password = current_app.config["DEMO_PASSWORD"]
        users = run(reports, password)
        db.session.commit()
        click.echo("Demotunnukset (salasana kaikilla: %s):" % password)
        for user in users:
            roles = ", ".join(sorted({assignment.role.label for assignment in user.roles}))
            click.echo(f"  {user.email:<32} {roles}")

    @app.cli.command("scheduler")
    def scheduler() -> None:
        """Run the scheduled jobs (mail, deadline reminders, digests) until stopped; run exactly one."""
        from app.scheduler import start

        start(current_app._get_current_object())  # type: ignore[attr-defined]

    @app.cli.command("run-jobs")
    @click.argument("names", nargs=-1)
    def run_jobs(names: tuple[str, ...]) -> None:
        """Run scheduled jobs once now (all, or those named: deliver_mail, deadline_notices, digests, retention)."""
        from app.workflow.jobs import JOBS, run

        unknown = [name for name in names if name not in JOBS]
        if unknown:
            raise click.UsageError(f"Tuntematon työ: {', '.join(unknown)}. Työt: {', '.join(JOBS)}.")
        for name in names or JOBS:
            result = run(name)
            click.echo(f"{name}: {'ohitettu, toinen ajastin ajaa sitä' if result is None else result}")
    @app.cli.command("retention")
    @click.option("--dry-run", is_flag=True, help="Only list what would be deleted.")
    def retention(dry_run: bool) -> None:
        """Delete reports closed longer than RETENTION_YEARS and included in a published compilation."""
        from app.workflow.retention import RetentionSettings, run_retention

        settings = RetentionSettings.from_config(current_app.config)
        result = run_retention(settings, dry_run=dry_run)
        db.session.commit()
        click.echo(f"Säilytysaika {settings.years} vuotta. Suljettu yli säilytysajan: {result.past_period}, "
                   f"joista julkaistussa koosteessa: {len(result.numbers)}.")
        verb = "Poistettaisiin" if dry_run else "Poistettiin"
        click.echo(f"{verb} {len(result.numbers)} raporttia" + (": " + ", ".join(result.numbers) if result.numbers else "."))

    @app.cli.command("sso-unlink")
    @click.argument("email")
    def sso_unlink(email: str) -> None:
        """Forget a user's link to a single sign-on identity; the next sign-on links it again by e-mail."""
        import sqlalchemy as sa

        from app.models import User
        from app.workflow.sso import unlink

        account = db.session.scalar(sa.select(User).where(sa.func.lower(User.email) == email.strip().lower()))
        if account is None:
            raise click.UsageError(f"Käyttäjää {email} ei ole.")
        changed = unlink(account)
        db.session.commit()
        click.echo(f"{account.email}: kertakirjautumisen liitos poistettu." if changed
                   else f"{account.email}: ei liitetty kertakirjautumiseen.")
