"""mastering.json: what the encoded MP3 measures, for the build summary and the record."""

from __future__ import annotations

import json
import re
from pathlib import Path

from .audio import run_ffmpeg
from .errors import AudioError
from .files import atomic_write_text


def _value(summary: str, label: str) -> float | None:
    match = re.search(rf"\b{label}:\s+(-?[\d.]+|-inf)", summary)
    return float(match.group(1)) if match else None


def measure_file(path: Path) -> dict:
    """Integrated loudness (LUFS), loudness range (LU) and true peak (dBTP) of an audio file, per EBU R128."""
    proc = run_ffmpeg(["-nostats", "-i", str(path), "-map", "0:a", "-af", "ebur128=peak=true", "-f", "null", "-"],
                      what="measure the episode's loudness")
    text = proc.stderr.decode("utf-8", "replace")
    summary = text[text.rfind("Summary:"):]
    values = {"integrated_lufs": _value(summary, "I"), "loudness_range_lu": _value(summary, "LRA"),
              "true_peak_dbtp": _value(summary, "Peak")}
    if None in values.values():
        raise AudioError("could not measure loudness: ffmpeg printed no ebur128 summary")
    return values


def mastering_report(mp3: Path, predicted: float | None = None) -> dict:
    """The report for an encoded MP3: loudness, range, true peak, duration, bitrate, sample rate, channels."""
    from mutagen.mp3 import MP3

    info = MP3(mp3).info
    report = measure_file(mp3)
    report.update({"duration_s": round(info.length, 3), "bitrate_kbps": round(info.bitrate / 1000),
                   "sample_rate_hz": info.sample_rate, "channels": info.channels,
                   "size_bytes": Path(mp3).stat().st_size})
    if predicted is not None:
        report["measured_before_encoding_lufs"] = round(predicted, 2)
    return report


def write_report(mp3: Path, out: Path, predicted: float | None = None) -> dict:
    """Measure ``mp3`` and write the report to ``out`` as JSON."""
    report = mastering_report(mp3, predicted)
    atomic_write_text(out, json.dumps(report, indent=2) + "\n")
    return report


def summary_line(report: dict) -> str:
    """One line for the build summary."""
    layout = {1: "mono", 2: "stereo"}.get(report.get("channels"), f"{report.get('channels')} channels")
    return (f"{report['integrated_lufs']:.1f} LUFS, LRA {report['loudness_range_lu']:.1f} LU, true peak "
            f"{report['true_peak_dbtp']:.1f} dBTP, {report['bitrate_kbps']} kb/s {layout} "
            f"{report['sample_rate_hz'] / 1000:g} kHz")
