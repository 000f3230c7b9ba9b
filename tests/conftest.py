"""Shared fixtures: a terminal environment that cannot change what the snapshots show."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _plain_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """NO_COLOR and TEXTUAL_THEME would restyle the app under test."""
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("TEXTUAL_THEME", raising=False)
