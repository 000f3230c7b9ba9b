"""Shared fixtures: a terminal environment that cannot change what the snapshots show."""

from __future__ import annotations

import os

import pytest
from hypothesis import settings

# The fuzz and property tests run 300 examples each in CI (under a minute in all);
# HYPOTHESIS_PROFILE=long runs 20,000 each, for a night of hunting.
settings.register_profile("ci", max_examples=300, deadline=None)
settings.register_profile("long", max_examples=20_000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(autouse=True)
def _plain_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """NO_COLOR and TEXTUAL_THEME would restyle the app under test; an active virtual
    environment would run the tests' scripts with its Python (micrograd may not be there)."""
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("TEXTUAL_THEME", raising=False)
    monkeypatch.delenv("VIRTUAL_ENV", raising=False)
