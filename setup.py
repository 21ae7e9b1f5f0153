"""Packaging for stalker_web."""

from setuptools import find_namespace_packages, setup

requires = [
    "alembic>=1.13,<2",
    "argon2-cffi>=23.1",
    # The production server: several worker processes (gunicorn.conf.py, docs/deploying.md).
    "gunicorn>=23,<28",
    # The scheduling worker's queue: SQLite storage by default, Redis for several hosts.
    "huey>=2.5,<4",
    "Jinja2>=3.1,<4",
    # Notes and ticket descriptions: Markdown to HTML, then cleaned to a safe list of tags.
    "markdown-it-py>=3,<5",
    "nh3>=0.2.14,<1",
    # Thumbnails of uploaded images.
    "Pillow>=10",
    "psycopg[binary]>=3.1,<4",
    "pyramid>=2.0,<3",
    # Two-factor sign-in codes (TOTP, RFC 6238).
    "pyotp>=2.9,<3",
    # The two-factor setup address as a QR code (pure Python; drawn as inline SVG).
    "qrcode>=8,<9",
    # Pyramid 2.x imports pkg_resources, which newer setuptools releases drop.
    "setuptools<81",
    "pyramid_jinja2>=2.10",
    "pyramid_retry>=2.1",
    "pyramid_tm>=2.5",
    "redis>=5",
    "SQLAlchemy>=2.0,<2.2",
    "transaction>=4.0",
    "waitress>=3.0",
    "WTForms>=3.3,<3.4",
    "zope.sqlalchemy>=3.1",
]

tests_require = [
    # axe-core (bundled) run in the browser tests: every page, every role (WCAG 2.1 AA).
    "axe-playwright-python>=0.1.8",
    # A real local SMTP server receiving the worker's e-mails in the tests.
    "aiosmtpd>=1.4",
    # Generated input for the fuzz test of every form and query parameter.
    "hypothesis>=6.100",
    # Every API answer in the tests is checked against the served OpenAPI document.
    "jsonschema>=4.18",
    "playwright>=1.45",
    "pytest>=8",
    "ruff>=0.6",
    # The schema-driven fuzz run of the API (its OpenAPI document) in the test suite.
    "schemathesis>=4,<5",
    "WebTest>=3.0",
]

setup(
    name="stalker_web",
    version="0.1.0",
    description="Production asset management for animation and VFX studios, on the Stalker model",
    python_requires=">=3.11",
    # Namespace packages, so the data folders (templates, static, config) are packages too and
    # their files ship through include_package_data and MANIFEST.in without a warning each.
    packages=find_namespace_packages(include=["stalker_web", "stalker_web.*"]),
    include_package_data=True,
    zip_safe=False,
    install_requires=requires,
    extras_require={"test": tests_require},
    entry_points={
        "paste.app_factory": ["main = stalker_web:main"],
        "console_scripts": ["stalker-web = stalker_web.cli:main"],
    },
)
