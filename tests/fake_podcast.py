"""`python tests/fake_podcast.py ARGS...`: the podcast CLI with the tests' FakeEngine registered, for tests
that need a real process (resource limits, mounts, signals)."""

import sys

from conftest import FakeEngine  # this script's folder, tests/, is first on sys.path
from podcast.cli import main
from podcast.speech.base import ENGINES

ENGINES.register(FakeEngine)
sys.argv[0] = "podcast"
main()
