"""Building the WSGI application: settings, the session cookie, and every part included."""

import gc
import os

from pyramid.config import Configurator
from pyramid.exceptions import ConfigurationError
from pyramid.session import SignedCookieSessionFactory
from pyramid.settings import asbool

from . import DATABASE_URL_ENV_VAR, SECRET_ENV_VAR
from .config import load_studio_config
from .extensions import include_extensions
from .services.accounts.passwords import configure_hasher
from .services.notes.attachments import AttachmentStore, configure_sessions

MIN_SECRET_LENGTH = 32


def session_factory_from_settings(settings: dict, lifetime_seconds: int = 8 * 3600):
    """A signed-cookie session: HttpOnly, SameSite=Lax, Secure when ``session.secure`` is on.

    The cookie carries flash messages, the CSRF token and the token of the server-side sign-in
    session (``services/user_sessions.py``), which decides when a login ends; the cookie itself
    lasts as long as a sign-in may (``lifetime_seconds``) unless ``session.timeout`` says otherwise.
    """
    secret = os.environ.get(SECRET_ENV_VAR) or settings.get("session.secret", "")
    if len(secret) < MIN_SECRET_LENGTH:
        raise ConfigurationError(
            f"Set a session secret of at least {MIN_SECRET_LENGTH} characters in the "
            f"{SECRET_ENV_VAR} environment variable (or session.secret in the ini file)."
        )
    return SignedCookieSessionFactory(
        secret,
        cookie_name="stalker_web_session",
        httponly=True,
        samesite="Lax",
        secure=asbool(settings.get("session.secure", True)),
        timeout=int(settings.get("session.timeout", lifetime_seconds)),
        reissue_time=int(settings.get("session.reissue_time", 600)),
    )


def main(global_config, **settings):
    """Build the WSGI application."""
    if os.environ.get(DATABASE_URL_ENV_VAR):
        settings["sqlalchemy.url"] = os.environ[DATABASE_URL_ENV_VAR]
    studio_config = load_studio_config(settings)
    configure_hasher(settings)
    with Configurator(
        settings=settings, root_factory="stalker_web.resources.root_factory"
    ) as config:
        lifetime_hours = int(studio_config["accounts"]["session_lifetime_hours"])
        config.set_session_factory(session_factory_from_settings(settings, lifetime_hours * 3600))
        # One configuration per app, kept in its registry (tests change a value there).
        config.registry["studio_config"] = studio_config
        config.add_request_method(
            lambda request: request.registry["studio_config"], "studio_config", reify=True
        )
        config.include(".headers")
        config.include(".compression")
        config.include(".templating")
        config.include(".db")
        # Faults (issue 16): conflicts between transactions retried.
        config.include(".faults")
        # Notes (issue 14): the app's sessions store note attachments where the ini says.
        configure_sessions(
            config.registry["dbsession_factory"],
            AttachmentStore.from_settings(settings, studio_config),
        )
        config.include(".limits")
        config.include(".security")
        config.include(".request_zones")
        config.include(".routes")
        # The JSON API for pipeline tools (issue 15): /api/v1/, signed in by token.
        config.include(".api")
        # Activity and notifications (issue 14): the records and notices of every domain event.
        config.include(".subscribers")
        config.scan(".views")
        # A studio's own packages (stalker_web.extensions in the ini), after the app's parts.
        include_extensions(config)
    app = config.make_wsgi_app()
    # What start-up built lives as long as the process: keeping it out of the collector's
    # generations shortens the full collections that would otherwise pause requests.
    gc.freeze()
    return app
