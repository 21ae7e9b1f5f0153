"""stalker_web: production asset management for animation and VFX studios.

This module imports nothing: ``stalker_web.client`` (the pipeline tools' library) must import
in a Python that has none of the server's packages. The WSGI application is built by
``app.main``, which ``main`` here hands over to (the ``paste.app_factory`` entry point).
"""

SECRET_ENV_VAR = "STALKER_WEB_SECRET"  # noqa: S105 - the variable name, not a secret
DATABASE_URL_ENV_VAR = "STALKER_WEB_DATABASE_URL"


def main(global_config, **settings):
    """Build the WSGI application (see ``app.main``)."""
    from .app import main as build_app

    return build_app(global_config, **settings)
