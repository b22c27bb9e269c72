"""Constants shared by the browser fixtures and tests."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "lessons-browser-tests"
