"""The connection to an OpenAI-compatible chat server: settings, the openai SDK client, errors, tokens."""

from __future__ import annotations

import hashlib
import json
import os
import threading
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from ..errors import AuthError, ConfigError, NetworkError, ServiceError

OPENAI_URL = "https://api.openai.com/v1"
KEY_ENV = "OPENAI_API_KEY"
URL_ENV = "OPENAI_BASE_URL"
LOCAL_KEY = "not-needed"  # Ollama, vLLM and llama.cpp accept any key
# List prices in USD per 1M tokens (prompt, completion); only applied to api.openai.com.
PRICES = {"gpt-4o-mini": (0.15, 0.60), "gpt-4o": (2.50, 10.00), "gpt-4.1-nano": (0.10, 0.40),
          "gpt-4.1-mini": (0.40, 1.60), "gpt-4.1": (2.00, 8.00), "o3-mini": (1.10, 4.40), "o4-mini": (1.10, 4.40)}


@dataclass
class Settings:
    """The ``[writer.openai]`` table of podcast.toml, validated."""

    model: str = "gpt-4o-mini"
    temperature: float = 0.7
    base_url: str = ""  # empty: $OPENAI_BASE_URL, else OpenAI
    concurrency: int = 4  # papers written at once
    timeout: float = 60.0  # seconds per request
    max_retries: int = 4  # retries on 429, 5xx and timeouts, with exponential backoff
    prompts: str = ""  # folder of .md files overriding the packaged prompts
    price_input: float = -1.0  # USD per 1M prompt tokens; negative: the list price, if known
    price_output: float = -1.0  # USD per 1M completion tokens
    max_input_chars: int = 6_000  # source characters per request (fits a 2k-token context); longer is split
    json_mode: bool = True  # ask for response_format json_object in the themes request
    cache_dir: str = ""  # replies cached by model and prompt (the pipeline sets <out>/.cache/llm); empty: none

    @classmethod
    def keys(cls) -> tuple[str, ...]:
        """The keys a [writer.openai] table may hold."""
        return tuple(f.name for f in fields(cls))

    @classmethod
    def from_options(cls, options: dict[str, Any]) -> "Settings":
        """Settings from the options table; an unknown key or a bad value is a ConfigError."""
        known = {f.name: f for f in fields(cls)}
        values: dict[str, Any] = {}
        for key, value in options.items():
            if key not in known:
                raise ConfigError(f"unknown key writer.openai.{key}", f"known keys: {', '.join(known)}")
            kind = type(known[key].default)
            if kind is float and isinstance(value, int) and not isinstance(value, bool):
                value = float(value)
            if type(value) is not kind:
                raise ConfigError(f"writer.openai.{key} must be a {kind.__name__}, not {value!r}",
                                  f"e.g. {key} = {known[key].default!r}")
            values[key] = value
        settings = cls(**values)
        limits = {"temperature": 0 <= settings.temperature <= 2, "concurrency": settings.concurrency >= 1,
                  "timeout": settings.timeout > 0, "max_retries": settings.max_retries >= 0,
                  "max_input_chars": settings.max_input_chars >= 500, "model": bool(settings.model.strip())}
        for key, ok in limits.items():
            if not ok:
                raise ConfigError(f"writer.openai.{key} = {getattr(settings, key)!r} is out of range",
                                  "temperature 0–2, concurrency ≥ 1, timeout > 0, max_retries ≥ 0, "
                                  "max_input_chars ≥ 500, model not empty")
        return settings

    @property
    def url(self) -> str:
        """The server's base URL: config, then $OPENAI_BASE_URL, then OpenAI."""
        url = (self.base_url or os.environ.get(URL_ENV) or OPENAI_URL).rstrip("/")
        if urlparse(url).scheme not in ("http", "https") or not urlparse(url).hostname:
            raise ConfigError(f"LLM base URL {url!r} is not an http(s) URL",
                              "set writer.openai.base_url, e.g. http://localhost:11434/v1 for Ollama")
        return url


class Chat:
    """One OpenAI-compatible endpoint: requests through the openai SDK, errors mapped, tokens counted."""

    def __init__(self, settings: Settings):
        import openai

        self.settings, self.url = settings, settings.url
        self.host = urlparse(self.url).hostname or self.url
        self.is_openai = self.host == "api.openai.com"
        key = os.environ.get(KEY_ENV, "")
        if not key and self.is_openai:
            raise ConfigError(f"the openai writer needs ${KEY_ENV} to reach OpenAI",
                              f"export {KEY_ENV}=..., or set writer.openai.base_url to a local server such as Ollama")
        self.client = openai.OpenAI(api_key=key or LOCAL_KEY, base_url=self.url, timeout=settings.timeout,
                                    max_retries=settings.max_retries)
        self.lock = threading.Lock()
        self.tokens = [0, 0]  # prompt, completion
        self.cached = 0  # replies taken from the cache (not paid for again)
        self.cache = ReplyCache(Path(settings.cache_dir)) if settings.cache_dir else None

    def complete(self, messages: list[dict[str, str]], json_reply: bool = False) -> str:
        """The assistant's reply text; any failure is a PodcastError with one clear line."""
        import openai

        extra = {"response_format": {"type": "json_object"}} if json_reply and self.settings.json_mode else {}
        key = ReplyCache.key(self.settings.model, self.settings.temperature, messages, extra)
        if self.cache is not None:
            cached = self.cache.get(key)
            if cached is not None:
                with self.lock:
                    self.cached += 1
                return cached
        try:
            reply = self.client.chat.completions.create(model=self.settings.model, messages=messages,
                                                        temperature=self.settings.temperature, **extra)
        except openai.APIError as exc:
            raise self._error(exc) from None
        except ValueError:  # a body that is not JSON at all (an HTML error page from a proxy)
            raise ServiceError(f"the LLM server at {self.host} sent a reply that is not JSON",
                               "check that writer.openai.base_url points at an OpenAI-compatible API") from None
        try:
            content = reply.choices[0].message.content
            usage = reply.usage
        except (AttributeError, IndexError, TypeError):
            content, usage = None, None
        if usage is not None:
            with self.lock:
                self.tokens[0] += int(getattr(usage, "prompt_tokens", 0) or 0)
                self.tokens[1] += int(getattr(usage, "completion_tokens", 0) or 0)
        if not isinstance(content, str) or not content.strip():
            raise ServiceError(f"the LLM server at {self.host} sent a reply without any text",
                               f"check that it serves chat completions for model {self.settings.model!r}")
        if self.cache is not None:
            self.cache.put(key, content.strip(), self.settings.model)
        return content.strip()

    def _error(self, exc: Exception):
        import openai

        attempts = self.settings.max_retries + 1
        tries = f"after {attempts} attempt{'s' if attempts > 1 else ''}"
        if isinstance(exc, openai.AuthenticationError):
            return AuthError("the OpenAI-compatible server rejected the API key",
                             f"check {KEY_ENV}; for a local server any non-empty value works")
        if isinstance(exc, openai.PermissionDeniedError):
            return AuthError(f"the LLM server at {self.host} refused access to model {self.settings.model!r}",
                             f"check {KEY_ENV} and that this key may use the model")
        if isinstance(exc, openai.NotFoundError):
            return ConfigError(f"the LLM server at {self.host} has no model {self.settings.model!r}",
                               "set writer.openai.model; for Ollama, `ollama pull MODEL` first")
        if isinstance(exc, openai.APITimeoutError):
            return NetworkError(f"the LLM server at {self.host} did not answer within "
                                f"{self.settings.timeout:g} s, {tries}", "raise writer.openai.timeout or retry later")
        if isinstance(exc, openai.APIConnectionError):
            return NetworkError(f"cannot reach the LLM server at {self.host}",
                                "check the network, or that the server (e.g. `ollama serve`) is running")
        if isinstance(exc, openai.RateLimitError):
            return ServiceError(f"the LLM server at {self.host} is rate-limiting requests, {tries}",
                                "wait, or lower writer.openai.concurrency")
        status = getattr(exc, "status_code", None)
        body = getattr(exc, "body", None)
        detail = body.get("message") if isinstance(body, dict) else None
        detail = " ".join(str(detail or getattr(exc, "message", "") or "").split())[:200]
        return ServiceError(f"the LLM server at {self.host} answered {f'HTTP {status}' if status else 'badly'}: "
                            f"{detail}", "retry later; if it persists, check the model and server")

    def usage(self) -> dict[str, Any]:
        """Tokens used so far and their estimated cost in USD (None when the price is unknown)."""
        prompt, completion = self.tokens
        s = self.settings
        listed = next((p for name, p in sorted(PRICES.items(), key=lambda kv: -len(kv[0]))
                       if s.model.startswith(name)), None) if self.is_openai else None
        price_in = s.price_input if s.price_input >= 0 else (listed[0] if listed else None)
        price_out = s.price_output if s.price_output >= 0 else (listed[1] if listed else None)
        cost = None if price_in is None or price_out is None else (prompt * price_in + completion * price_out) / 1e6
        return {"model": s.model, "prompt_tokens": prompt, "completion_tokens": completion,
                "total_tokens": prompt + completion, "cost_usd": cost,
                **({"cached_replies": self.cached} if self.cached else {})}


class ReplyCache:
    """LLM replies on disk, ``<root>/<k[:2]>/<k>.json``, keyed by model, temperature and messages (the prompt)."""

    def __init__(self, root: Path):
        self.root = Path(root)

    @staticmethod
    def key(model: str, temperature: float, messages: list[dict[str, str]], extra: dict) -> str:
        """The cache key of one request."""
        blob = json.dumps({"model": model, "temperature": temperature, "messages": messages,
                           "extra": extra}, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.json"

    def get(self, key: str) -> str | None:
        """The cached reply, or None (a missing or unreadable entry is a miss)."""
        try:
            data = json.loads(self._path(key).read_text(encoding="utf-8"))
            reply = data["reply"]
        except (OSError, ValueError, KeyError, TypeError):
            return None
        return reply if isinstance(reply, str) and reply.strip() else None

    def put(self, key: str, reply: str, model: str) -> None:
        """Store a reply atomically."""
        from ..files import atomic_write_text

        atomic_write_text(self._path(key), json.dumps({"model": model, "reply": reply}, ensure_ascii=False) + "\n")
