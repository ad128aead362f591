"""Command-line tasks: `setup-county`, `seed-reference`, `seed-demo`, `scheduler`, `run-jobs`, `retention`, `compilation`,
`national-export`, `import-indicators`, `harvest`, `seed-comparison-demo`, `sso-unlink`."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import click
from flask import Flask, current_app

from app.extensions import db
from app.workflow.core.errors import Refusal
from app.workflow.core.unit_of_work import discard, unit_of_work


@contextmanager
def work() -> Iterator[None]:
    """One unit of work of a command: committed when it ends normally, rolled back when it raises.

    A refusal is the command's error: its message is printed and the command exits with status 1.
    """
    try:
        with unit_of_work():
            yield
    except Refusal as refusal:
        raise click.ClickException(str(refusal)) from None


def register(app: Flask) -> None:
    @app.cli.command("seed-reference")
    def seed_reference() -> None:
        """Add the themes, national phenomena and forums every deployment needs (municipalities: setup-county)."""
        from app.workflow.admin.reference_data import load_reference_data

        with work():
            load_reference_data()
        click.echo("Viitetiedot ovat ajan tasalla.")

    @app.cli.command("search-reindex")
    def search_reindex() -> None:
        """Index every report for search again (only needed after loading reports around the app)."""
        from app.extensions import db
        from app.workflow.search.index import rebuild

        with work():
            count = rebuild(db.session.connection())
        click.echo(f"Hakuhakemisto rakennettu: {count} raporttia.")

    @app.cli.command("setup-county")
    @click.argument("county", required=False)
    @click.option("--municipalities", "municipalities_file", type=click.Path(exists=True, dir_okay=False),
                  help="Newer municipality classification (CSV as app/data/classifications/municipalities.csv).")
    @click.option("--comparison", default="", help="Set the installation up for no county but as a comparison "
                  "of counties' open data: FI (national) or a collaborative area's code (1-5).")
    @click.option("--admin", "admin_email", default="", help="With --comparison: create the first administrator "
                  "(asks for the name and password) when the installation has no users.")
    def setup_county_command(county: str | None, municipalities_file: str | None, comparison: str,
                             admin_email: str) -> None:
        """Set up the county (code such as 20 or name such as Kainuu) from the shipped classifications;
        run again with a newer --municipalities file to apply a merger. Or, with --comparison FI or --comparison
        2, set up a national or collaborative-area comparison that harvests counties' open data."""
        from pathlib import Path

        from app.workflow.admin.county import MUNICIPALITIES_FILE, setup_county

        if bool(county) == bool(comparison):
            raise click.UsageError("Anna joko hyvinvointialue tai --comparison FI / yhteistyöalueen koodi.")
        if comparison:
            from app.workflow.comparison import installation

            name = click.prompt("Pääkäyttäjän nimi") if admin_email else ""
            password = click.prompt("Salasana", hide_input=True, confirmation_prompt=True) if admin_email else ""
            with work():
                scope = installation.setup_comparison(comparison)
                if admin_email:
                    installation.first_administrator(admin_email, name, password)
            click.echo(f"Vertailu: {scope.code} {scope.name_fi}, {len(scope.county_codes)} hyvinvointialuetta. "
                       f"Lisää alueiden avoimen datan osoitteet sivulla /admin/harvest/.")
            return
        with work():
            result = setup_county(county or "", municipalities_file=Path(municipalities_file or MUNICIPALITIES_FILE))
        click.echo(f"{result.county.code} {result.county.name_fi} ({result.county.collaborative_area_name or '-'}): "
                   f"kuntia lisätty {result.added}, nimiä päivitetty {result.renamed}, "
                   f"lakkautettuja {len(result.retired)}{': ' + ', '.join(result.retired) if result.retired else ''}.")

    @app.cli.command("harvest")
    @click.option("--add", "add_urls", multiple=True, help="First add this county's open-data index URL as a source; "
                  "repeatable.")
    def harvest_command(add_urls: tuple[str, ...]) -> None:
        """Harvest every source's open data now (the scheduler does it daily): index, then each half-year's file."""
        from app.workflow.comparison import harvest

        if add_urls:
            with work():
                for url in add_urls:
                    harvest.add_source(url, None)
        for result in harvest.run_harvest():
            line = (f"{result.county_code or '?'} {result.index_url}: uusia {len(result.added)}"
                    f"{' (' + ', '.join(result.added) + ')' if result.added else ''}, ennallaan {len(result.unchanged)}")
            click.echo(line + (f"; {result.problem.label}: " + " | ".join(result.problems) if result.problem else ""))

    @app.cli.command("seed-comparison-demo")
    @click.option("--base", "base_files", multiple=True, type=click.Path(exists=True, dir_okay=False),
                  help="A national export (JSON) to make the synthetic counties from; default: this installation's "
                  "published half-years (run seed-demo first).")
    def seed_comparison_demo_command(base_files: tuple[str, ...]) -> None:
        """Synthetic counties' exports (labelled "synteettinen esimerkki") for a demo of the comparison."""
        from pathlib import Path

        from app.workflow.comparison import formats, synthetic

        with work():
            bases = [formats.read_export(Path(name).read_bytes()).document for name in base_files] or None
            added = synthetic.seed_comparison_demo(bases)
        click.echo(f"Synteettisiä vientitiedostoja lisätty: {added} ({', '.join(synthetic.DEMO_COUNTIES)}).")

    @app.cli.command("import-indicators")
    @click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False))
    @click.option("--sotkanet", "sotkanet_ids", multiple=True, type=int,
                  help="Fetch this Sotkanet indicator (its number, e.g. 5641) from Sotkanet's REST API; repeatable.")
    @click.option("--years", default="", help="Years to fetch, e.g. 2015-2024 (default: the last ten).")
    @click.option("--phenomenon", default="", help="The national phenomenon beside which the indicator shows "
                  "(e.g. economic_situation); needed for a new indicator.")
    @click.option("--title", default="", help="The indicator's name, when a file has none.")
    @click.option("--url", "base_url", default="", help="Sotkanet's REST API (default https://sotkanet.fi/rest/1.1).")
    def import_indicators(files: tuple[str, ...], sotkanet_ids: tuple[int, ...], years: str, phenomenon: str,
                          title: str, base_url: str) -> None:
        """Import indicator values: fetch them from Sotkanet, or read downloaded files (Sotkanet's JSON, THL's
        Excel). A file with errors is refused, line by line, and nothing is imported."""
        from pathlib import Path

        from app.workflow.campaigns.contact_persons import helsinki_today
        from app.workflow.phenomena import coding, indicators

        if bool(files) == bool(sotkanet_ids):
            raise click.UsageError("Anna joko tiedostot tai --sotkanet-numerot.")
        with work():
            chosen = coding.phenomenon_by_code(phenomenon) if phenomenon else None
            if phenomenon and chosen is None:
                raise click.UsageError(f"Ilmiötä {phenomenon} ei ole: " + ", ".join(
                    p.code for p in coding.all_phenomena()))
            if sotkanet_ids:
                first, _, last = years.partition("-")
                this_year = helsinki_today().year
                span = (range(int(first), int(last or first) + 1) if first
                        else range(this_year - 10, this_year))
                parsed = indicators.fetch_sotkanet(sotkanet_ids, span, base_url=base_url or indicators.SOTKANET_URL)
            else:
                parsed = indicators.read_files([(name, Path(name).read_bytes()) for name in files])
            if parsed.problems:
                for problem in parsed.problems[:100]:
                    where = f"{problem.file}: " if problem.file else ""
                    click.echo(f"{where}rivi {problem.line}: {problem.message}" if problem.line
                               else f"{where}{problem.message}", err=True)
                raise click.ClickException(f"{len(parsed.problems)} virhettä: mitään ei tuotu.")
            result = indicators.store(parsed, chosen, None, title=title or None)
        click.echo(f"Tuotiin {result.values} arvoa ({', '.join(i.title for i in result.indicators)}); "
                   f"ohitettiin {result.passed_over} muiden alueiden tai sukupuolten arvoa.")

    @app.cli.command("import-population")
    @click.argument("file", type=click.Path(exists=True, dir_okay=False))
    def import_population(file: str) -> None:
        """Import residents for the comparison's rates per 10,000: a CSV of area_kind, area_code, year, residents.
        A file with errors is refused, line by line, and nothing is imported."""
        from pathlib import Path

        from app.workflow.comparison import population

        with work():
            parsed = population.parse(Path(file).read_bytes())
            if parsed.problems:
                for problem in parsed.problems[:100]:
                    click.echo(f"rivi {problem.line}: {problem.message}" if problem.line else problem.message,
                               err=True)
                raise click.ClickException(f"{len(parsed.problems)} virhettä: mitään ei tuotu.")
            stored = population.store(parsed)
        click.echo(f"Asukaslukuja lisätty {stored.added}, päivitetty {stored.replaced}.")

    @app.cli.command("seed-demo")
    @click.option("--reports", default=0, show_default=True, help="Fill up to this many demo reports.")
    def seed_demo(reports: int) -> None:
        """Demo organisation, a user for every role and sample reports; safe to run again."""
        from app.demo import seed_demo as run

        password = current_app.config["DEMO_PASSWORD"]
        with work():
            users = run(reports, password)
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
        """Run scheduled jobs once now: all, or those named (the names of app.jobs.JOBS, e.g. release, render_files,
        harvest; an unknown name lists them all)."""
        from app.jobs import JOBS, run

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
        from app.workflow.admin.retention import RetentionSettings, run_retention

        settings = RetentionSettings.from_config(current_app.config)
        with work():
            result = run_retention(settings, dry_run=dry_run)
        click.echo(f"Säilytysaika {settings.years} vuotta. Suljettu yli säilytysajan: {result.past_period}, "
                   f"joista julkaistussa koosteessa: {len(result.numbers)}.")
        verb = "Poistettaisiin" if dry_run else "Poistettiin"
        click.echo(f"{verb} {len(result.numbers)} raporttia" + (": " + ", ".join(result.numbers) if result.numbers else "."))

    @app.cli.group("compilation")
    def compilation() -> None:
        """Half-yearly compilations: export files, send deadline reminders."""

    @compilation.command("export")
    @click.argument("period")
    @click.option("--pdf", "pdf_path", type=click.Path(dir_okay=False), help="Kirjoita PDF tähän tiedostoon.")
    @click.option("--xlsx", "xlsx_path", type=click.Path(dir_okay=False), help="Kirjoita Excel-tiedosto tähän.")
    @click.option("--csv", "csv_path", type=click.Path(dir_okay=False), help="Kirjoita CSV-tiedosto tähän.")
    @click.option("--municipality", default="", help="Vain yhden kunnan osa: kuntanumero (esim. 297) tai nimi.")
    @click.option("--language", default="fi", type=click.Choice(["fi", "sv", "en"]),
                  help="Tiedostojen kieli: fi (oletus), sv tai en.")
    def export(period: str, pdf_path: str | None, xlsx_path: str | None, csv_path: str | None,
               municipality: str, language: str) -> None:
        """Write a compilation (e.g. 2026-H1) as PDF, Excel and/or CSV; an unpublished one as a marked draft."""
        from app.workflow.compilations import export as export_files
        from app.workflow.compilations.operations import content_of, find
        from app.workflow.compilations.periods import InvalidPeriod, parse_period

        try:
            chosen = parse_period(period)
        except InvalidPeriod:
            raise click.BadParameter("Anna puolivuotiskausi muodossa 2026-H1 tai 2026-H2.", param_hint="PERIOD")
        outputs = [(p, r) for p, r in ((pdf_path, export_files.render_pdf), (xlsx_path, export_files.render_xlsx),
                                       (csv_path, export_files.render_csv)) if p]
        if not outputs:
            raise click.UsageError("Anna vähintään yksi tiedosto: --pdf, --xlsx tai --csv.")
        place = _municipality_code(municipality) if municipality else None
        content = content_of(chosen, find(chosen))
        if export_files.is_draft(content):
            click.echo(f"Kauden {chosen.label} koostetta ei ole julkaistu: tulostetaan nykyinen luonnos, "
                       "merkittynä luonnokseksi.")
        for path, render in outputs:
            try:
                export_files.write_atomically(path, lambda render=render: render(content, place, language))
            except export_files.ExportError as error:
                raise click.ClickException(str(error)) from None
            click.echo(f"Kirjoitettu: {path}")
        discard()  # the command only read

    @app.cli.command("national-export")
    @click.argument("period")
    @click.option("--json", "json_path", type=click.Path(dir_okay=False), help="Kirjoita JSON tähän tiedostoon.")
    @click.option("--csv", "csv_path", type=click.Path(dir_okay=False), help="Kirjoita CSV tähän tiedostoon.")
    def national_export_command(period: str, json_path: str | None, csv_path: str | None) -> None:
        """Write the national export of a published half-year (e.g. 2026-H1) as JSON and/or CSV."""
        from app.workflow.admin import site_settings
        from app.workflow.compilations.export import ExportError, write_atomically
        from app.workflow.compilations.periods import InvalidPeriod, parse_period
        from app.workflow.welfare import national_export

        try:
            chosen = parse_period(period)
        except InvalidPeriod:
            raise click.BadParameter("Anna puolivuotiskausi muodossa 2026-H1 tai 2026-H2.", param_hint="PERIOD")
        outputs = [(path, kind) for path, kind in ((json_path, "json"), (csv_path, "csv")) if path]
        if not outputs:
            raise click.UsageError("Anna vähintään yksi tiedosto: --json tai --csv.")
        try:
            export = national_export.build_export(chosen, *site_settings.county_for_export())
        except national_export.NotPublished:
            raise click.ClickException(f"Kauden {chosen.code} koostetta ei ole julkaistu, joten vientiä ei ole. "
                                       f"Julkaistut kaudet: {', '.join(national_export.published_periods()) or 'ei yhtään'}.")
        with work():  # the exports written are recorded together, or none if one fails
            for path, kind in outputs:
                try:
                    write_atomically(path, lambda kind=kind: national_export.RENDERERS[kind](export))
                except ExportError as error:
                    raise click.ClickException(str(error)) from None
                national_export.record_export(chosen, kind)
                click.echo(f"Kirjoitettu: {path}")

    @compilation.command("remind")
    @click.option("--today", default="", help="Päivä muodossa 2026-09-23 (oletus: tänään Suomen aikaa).")
    def remind(today: str) -> None:
        """Remind the working group of coming compilation deadlines; run daily (each reminder goes once)."""
        from datetime import date

        from app.models import utcnow
        from app.workflow.compilations.operations import send_deadline_reminders
        from app.workflow.compilations.periods import HELSINKI

        day = date.fromisoformat(today) if today else utcnow().astimezone(HELSINKI).date()
        with work():
            sent = send_deadline_reminders(day)
        click.echo(f"Muistutuksia lähetetty: {sent}.")


    @app.cli.command("sso-unlink")
    @click.argument("email")
    def sso_unlink(email: str) -> None:
        """Forget a user's link to a single sign-on identity; the next sign-on links it again by e-mail."""
        import sqlalchemy as sa

        from app.models import User
        from app.workflow.auth.sso import unlink

        with work():
            account = db.session.scalar(sa.select(User).where(sa.func.lower(User.email) == email.strip().lower()))
            if account is None:
                raise click.UsageError(f"Käyttäjää {email} ei ole.")
            changed = unlink(account)
        click.echo(f"{account.email}: kertakirjautumisen liitos poistettu." if changed
                   else f"{account.email}: ei liitetty kertakirjautumiseen.")


def _municipality_code(text: str) -> str:
    import sqlalchemy as sa

    from app.models import Municipality

    found = db.session.scalar(sa.select(Municipality).where(
        sa.or_(Municipality.code == text.strip(), sa.func.lower(Municipality.name) == text.strip().lower())))
    if found is None:
        raise click.BadParameter(f"Kuntaa ”{text}” ei löydy. Anna kuntanumero (esim. 297) tai nimi.",
                                 param_hint="--municipality")
    return found.code
