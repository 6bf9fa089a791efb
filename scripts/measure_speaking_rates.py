"""Measure each offline engine's speaking rate, and how its speed option changes it.

For each engine the real newsletter's text is spoken at the default setting (the baseline,
``words_per_minute``), at a second speed (to fit ``fixed_time``: the seconds per word that
the speed option does not change, such as pauses) and at a third speed (to check the fit). Figures are
ratios against the baseline measured in the same run, next to what ``speaking_rate`` predicts
with the fitted fixed time and what plain scaling (rate × speed) would predict.

Usage: python scripts/measure_speaking_rates.py [--papers 6] [--engine espeak|hibari|piper]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import bench_speech  # noqa: E402  (the newsletter text the speech benchmark reads)

from podcast.speech.base import ENGINES  # noqa: E402

# engine -> (option, default value, value used to fit fixed_time, value used to check the fit)
SETTINGS = {"espeak": ("rate", 175, 350, 120), "hibari": ("speed", 1.0, 0.7, 1.3),
            "piper": ("length_scale", 1.0, 1.5, 0.8)}


def seconds_per_word(engine: str, option: str, value: float, paragraphs: list[str], words: int) -> float:
    """Spoken seconds per word of ``paragraphs`` with ``option = value``."""
    voice = ENGINES.get(engine)(language="en", options={option: value})
    return sum(voice.synthesize(p).duration for p in paragraphs) / words


def measure(engine: str, paragraphs: list[str], words: int) -> None:
    cls = ENGINES.get(engine)
    option, default, fit_value, check_value = SETTINGS[engine]
    base = seconds_per_word(engine, option, default, paragraphs, words)
    fit = seconds_per_word(engine, option, fit_value, paragraphs, words)
    check = seconds_per_word(engine, option, check_value, paragraphs, words)
    speed = cls.speed_factor({option: fit_value})
    spoken = (base - fit) / (1 - 1 / speed)  # s per word the speed scales: base = spoken + fixed
    fixed = base - spoken
    print(f"{engine}: {60 / base:.1f} words/min at {option} = {default} (class says {cls.words_per_minute:g}); "
          f"fitted fixed_time {fixed:.4f} s/word (class says {cls.fixed_time:g})")
    for value, measured in ((fit_value, fit), (check_value, check)):
        factor = cls.speed_factor({option: value})
        modelled = spoken / factor + fixed
        predicted = cls.speaking_rate({option: value}) / cls.speaking_rate({})
        print(f"   {option} = {value}: rate ×{base / measured:.3f} of baseline; fitted model ×{base / modelled:.3f}, "
              f"class ×{predicted:.3f}, plain scaling ×{factor:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=bench_speech.RATE_PAPERS, help="papers of the newsletter")
    parser.add_argument("--engine", choices=sorted(SETTINGS), help="only this engine")
    args = parser.parse_args()
    bench_speech.RATE_PAPERS = args.papers
    name, paragraphs = bench_speech.newsletter_paragraphs()
    words = sum(len(p.split()) for p in paragraphs)
    print(f"Speaking rates on {words} words of {name} ({args.papers} papers)")
    for engine in [args.engine] if args.engine else sorted(SETTINGS):
        measure(engine, paragraphs, words)


if __name__ == "__main__":
    main()
