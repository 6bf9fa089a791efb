"""mastering.json: what the encoded MP3 measures, for the build summary and the record."""

from __future__ import annotations

import json
from pathlib import Path

from ..files import atomic_write_text


def mastering_report(mp3: Path, measured: dict, **extra) -> dict:
    """The report for an encoded MP3: its loudness, range and true peak (``measured`` on the decoded audio),
    with duration, bitrate, sample rate, channels and size read from the file."""
    from mutagen.mp3 import MP3

    info = MP3(mp3).info
    report = dict(measured)
    report.update({"duration_s": round(info.length, 3), "bitrate_kbps": round(info.bitrate / 1000),
                   "sample_rate_hz": info.sample_rate, "channels": info.channels,
                   "size_bytes": Path(mp3).stat().st_size})
    report.update({key: value for key, value in extra.items() if value is not None})
    return report


def write_report(mp3: Path, out: Path, measured: dict, **extra) -> dict:
    """Write the report for ``mp3`` to ``out`` as JSON."""
    report = mastering_report(mp3, measured, **extra)
    atomic_write_text(out, json.dumps(report, indent=2) + "\n")
    return report


def read_report(path: Path) -> dict:
    """An earlier mastering.json, or {} when there is none (or it cannot be read)."""
    try:
        report = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return report if isinstance(report, dict) else {}


def summary_line(report: dict) -> str:
    """One line for the build summary."""
    layout = {1: "mono", 2: "stereo"}.get(report.get("channels"), f"{report.get('channels')} channels")
    return (f"{report['integrated_lufs']:.1f} LUFS, LRA {report['loudness_range_lu']:.1f} LU, true peak "
            f"{report['true_peak_dbtp']:.1f} dBTP, {report['bitrate_kbps']} kb/s {layout} "
            f"{report['sample_rate_hz'] / 1000:g} kHz")
