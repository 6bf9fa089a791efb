"""The built-in speech engines; importing this package registers each with ``ENGINES``.

Each module imports its heavy library (onnxruntime, piper, hibari, openai, gtts) inside methods only,
so listing engines stays fast.
"""

from . import espeak, gtts, hibari, openai, piper  # noqa: F401
