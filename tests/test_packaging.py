"""Packaging: every subpackage and the bundled media ship in the wheel."""

from __future__ import annotations

import tomllib

from conftest import ROOT

from podcast.files import assets_dir


def test_every_subpackage_is_listed_for_the_wheel():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    on_disk = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "podcast").rglob("__init__.py")}
    assert set(config["packages"]) == on_disk | {"podcast.assets"}
    assert config["package-dir"] == {"podcast.assets": "assets"}


def test_bundled_media_is_found_and_declared():
    folder = assets_dir()
    for name in ("intro.wav", "outro.wav", "cover.jpg", "fonts/DejaVuSans.ttf", "samples/newsletter-sample.txt"):
        assert (folder / name).is_file(), name
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    assert {"*.wav", "*.jpg", "fonts/*", "samples/*"} <= set(declared["podcast.assets"])
