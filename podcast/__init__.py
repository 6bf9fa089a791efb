"""podcast: turn a newsletter of AI-paper summaries into a podcast episode."""

import os

# onnxruntime (used by Piper) looks up telemetry hosts unless this is set before it is imported.
os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")

__version__ = "0.1.0"
