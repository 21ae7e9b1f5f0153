"""Benchmarks of stalker_web, run by hand (``python -m bench.<name>``); not part of the tests.

``bench.common`` holds what every benchmark shares (fresh databases, the production-like app,
timing and counting one WSGI call); ``bench.pages`` times the main pages. See bench/README.md.
"""

import warnings

# Pyramid 2 imports pkg_resources; pyproject.toml silences the same warning for the tests.
warnings.filterwarnings("ignore", "pkg_resources is deprecated", UserWarning)
