"""Bundled media: intro/outro music, cover, fonts and the sample newsletter (installed as podcast.assets)."""
