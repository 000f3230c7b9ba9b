"""The example programs, shipped as package data (see engine.library)."""
