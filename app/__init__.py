"""SoRa, the social reporting case-management system: the application factory."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask, Response, has_request_context, request

from app import config as sora_config
from app.extensions import (
    babel,
    configure_sqlite,
    csrf,
    db,
    limiter,
    login_manager,
    mail,
    migrate,
    select_locale,
)
from app import logging_privacy
from app.views import lifecycle
from app.workflow.auth.oidc import check_configuration as check_sso_configuration
from app.workflow.reports.numbering import check_prefix as check_number_prefix

ROOT = sora_config.ROOT


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_path=str(ROOT / "instance"),
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.from_mapping(sora_config.DEFAULTS)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_mapping(sora_config.from_environment())
    if test_config:
        app.config.from_mapping(test_config)
    _fill_development_defaults(app)
    check_sso_configuration(app)
    check_number_prefix(app.config["REPORT_NUMBER_PREFIX"])

    if app.config["PROXY_HOPS"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = int(app.config["PROXY_HOPS"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]
    app.wsgi_app = logging_privacy.MarkReporterRequests(app.wsgi_app)  # type: ignore[method-assign]
    logging_privacy.install(app.logger)
    _init_extensions(app)
    _register_blueprints(app)
    _register_hooks(app)
    lifecycle.install(app)

    from app import cli

    cli.register(app)
    return app


def _fill_development_defaults(app: Flask) -> None:
    instance = Path(app.instance_path)
    app.config["REMEMBER_COOKIE_SECURE"] = app.config["SESSION_COOKIE_SECURE"]
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = sora_config.development_secret(instance)
    if not app.config.get("TRACKING_KEY"):
        app.config["TRACKING_KEY"] = app.config["SECRET_KEY"]
    if not app.config.get("COMPILATION_FILES_DIR"):
        app.config["COMPILATION_FILES_DIR"] = str(instance / "compilations")
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        instance.mkdir(parents=True, exist_ok=True)
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{instance / 'sora.db'}"
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"connect_args": {"timeout": 30}}
    elif app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        options = dict(app.config["SQLALCHEMY_ENGINE_OPTIONS"])
        options["connect_args"] = {"connect_timeout": app.config["DATABASE_CONNECT_TIMEOUT_SECONDS"],
                                   **options.get("connect_args", {})}
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options


def _init_extensions(app: Flask) -> None:
    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    limiter.init_app(app)
    mail.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    login_manager.session_protection = "basic"

    from app import models  # noqa: F401  (register the models before anything queries)
    from app.workflow.search import index  # noqa: F401  (every flush keeps the search index current)
    from app.workflow.phenomena import term_index  # noqa: F401  (and the term counts of similar reports)

    @login_manager.user_loader
    def _load_user(session_id: str) -> models.User | None:
        user_id, _, generation = session_id.partition(".")
        user = db.session.get(models.User, int(user_id)) if user_id.isdigit() else None
        if user is None or not user.active or generation != str(user.session_generation):
            return None
        return user

    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            configure_sqlite(db.engine)


def _register_blueprints(app: Flask) -> None:
    from app.views import (
        admin,
        api,
        auth,
        calendar,
        cases,
        compilations,
        mail,
        main,
        reports,
        sso,
        welfare,
    )
    from app.views.comparison import public as comparison
    from app.views.outreach import contacts, harvest, open_data, partners
    from app.views.phenomena import groups, indicators, national, signals

    app.register_blueprint(main.bp)
    app.register_blueprint(cases.bp)
    app.register_blueprint(reports.bp)
    app.register_blueprint(partners.bp)
    app.register_blueprint(contacts.bp)
    app.register_blueprint(auth.bp)
    app.register_blueprint(sso.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(mail.bp)
    app.register_blueprint(admin.bp)
    app.register_blueprint(compilations.bp)
    app.register_blueprint(calendar.bp)
    app.register_blueprint(welfare.bp)
    app.register_blueprint(compilations.results_bp)
    app.register_blueprint(indicators.bp)
    app.register_blueprint(national.bp)
    app.register_blueprint(groups.bp)
    app.register_blueprint(signals.bp)
    app.register_blueprint(open_data.bp)
    app.register_blueprint(harvest.bp)
    app.register_blueprint(comparison.bp)
    csrf.exempt(api.bp)


def _register_hooks(app: Flask) -> None:
    from flask_babel import format_decimal

    from app.views import errors
    from app.workflow.admin.site_settings import county
    from app.workflow.core.anonymity import day_only

    errors.register(app)

    @app.before_request
    def _mark_reporter_request() -> None:  # routing knows the endpoint however the path was written
        if request.endpoint in logging_privacy.REPORTER_ENDPOINTS:
            logging_privacy.mark_request(True)
    app.jinja_env.globals["day_only"] = day_only  # also for mail, which the context processor does not reach
    app.jinja_env.globals["county"] = county  # the county's names, logo and colours: pages, mail and PDFs
    app.jinja_env.filters["decimal"] = format_decimal  # 7,4 in Finnish and Swedish, 7.4 in English

    @app.after_request
    def _security_headers(response: Response) -> Response:
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        )
        # Reports and codes must not stay in caches; the static files, and an answer its view marked public
        # (the open data: open_data._open), keep the caching they were given.
        if request.endpoint != "static" and not response.headers.get("Cache-Control", "").startswith("public"):
            response.headers["Cache-Control"] = "no-store"
            response.headers["Pragma"] = "no-cache"
        return response

    def _role_labels(user: Any) -> list[str]:
        """The user's roles for the header, each once, in the order of the role list."""
        from app.codes import Role

        held = {assignment.role for assignment in user.roles}
        return [str(role.label) for role in Role if role in held]

    @app.context_processor
    def _template_globals() -> dict[str, Any]:
        if not has_request_context():  # mail rendered by a scheduled job needs none of the page's globals
            return {}
        from flask_babel import get_locale

        from app.forms.auth import LANGUAGE_NAMES, LanguageForm
        from app.workflow.admin import site_settings
        from app.workflow.cases.operations import unread_notification_count
        from app.workflow.core.permissions import (
            administers,
            is_contact_person,
            manages_indicators,
            pulls_welfare_content,
            sees_all,
            sees_compilations,
            sees_phenomenon_view,
            sees_weak_signals,
            uses_inbox,
            works_on_groups,
        )
        from app.workflow.cases.operations import held_answer_of
        from app.workflow.phenomena.follow_ups import for_report as proposal_follow_ups_of_report

        return {
            "unread_notifications": unread_notification_count,
            "language_form": LanguageForm(prefix="lang"),
            "language_names": LANGUAGE_NAMES,
            "current_language": str(get_locale() or "fi"),
            "uses_inbox": uses_inbox,
            "sees_all": sees_all,
            "administers": administers,
            "is_contact_person": is_contact_person,
            "site_settings": site_settings.current,
            "sees_compilations": sees_compilations,
            "sees_weak_signals": sees_weak_signals,
            "pulls_welfare_content": pulls_welfare_content,
            "sees_phenomenon_view": sees_phenomenon_view,
            "manages_indicators": manages_indicators,
            "role_labels": _role_labels,
            "works_on_groups": works_on_groups,
            "proposal_follow_ups_of_report": proposal_follow_ups_of_report,
            "held_answer_of": held_answer_of,
        }
