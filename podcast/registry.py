"""A registry of interchangeable parts (writers, engines, publishers), keyed by name."""

from __future__ import annotations

from typing import Callable, Generic, Iterator, TypeVar

from .errors import ConfigError

T = TypeVar("T")


class Registry(Generic[T]):
    """Maps names to classes; an unknown name is a ConfigError that lists the valid ones."""

    def __init__(self, kind: str, loader: Callable[[], None] | None = None):
        self.kind = kind  # "writer", "engine", ... used in messages
        self._items: dict[str, type[T]] = {}
        self._loader = loader  # imports the built-in modules on first use
        self._loaded = loader is None

    def register(self, cls: type[T]) -> type[T]:
        """Class decorator: register ``cls`` under ``cls.name``."""
        name = getattr(cls, "name", None)
        if not name:
            raise TypeError(f"{cls.__name__} needs a class attribute `name`")
        self._items[name] = cls
        return cls

    def unregister(self, name: str) -> None:
        """Remove ``name`` (tests use this to clean up fakes)."""
        self._items.pop(name, None)

    def _load(self) -> None:
        if not self._loaded:
            self._loaded = True
            assert self._loader is not None
            self._loader()

    def names(self) -> list[str]:
        """Every registered name, sorted."""
        self._load()
        return sorted(self._items)

    def get(self, name: str) -> type[T]:
        """The class registered as ``name``."""
        self._load()
        try:
            return self._items[name]
        except KeyError:
            valid = ", ".join(self.names())
            raise ConfigError(f"unknown {self.kind} {name!r}", f"choose one of: {valid}") from None

    def __iter__(self) -> Iterator[type[T]]:
        self._load()
        return iter([self._items[n] for n in sorted(self._items)])

    def __contains__(self, name: object) -> bool:
        self._load()
        return name in self._items
