"""The production settings, for the load test: static files collected into a temporary folder
(``BENCH_STATIC_ROOT``) instead of the checkout's ``staticfiles/``."""

import os

from office_reform.settings.production import *  # noqa: F403

STATIC_ROOT = os.environ["BENCH_STATIC_ROOT"]
