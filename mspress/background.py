"""Work that mostly waits on another program (pandoc, rsvg-convert), run in a thread while the command goes on."""
from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class Pending(Generic[T]):
    """``work`` running in a thread: start it, do something else, then ``result()`` — its value, or its exception
    raised in the caller's thread.

    Not a daemon: a command that stops early still waits for it, and for its clean-up, before the process ends.
    ``work`` imports nothing the caller has not imported: two threads importing at once can meet a module the
    other has half initialised."""

    def __init__(self, work: Callable[[], T], name: str) -> None:
        self._outcome: tuple[T] | BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(work,), name=name)
        self._thread.start()

    def _run(self, work: Callable[[], T]) -> None:
        try:
            self._outcome = (work(),)
        except BaseException as exc:  # handed to the caller's thread by result()
            self._outcome = exc

    def result(self) -> T:
        self._thread.join()
        if isinstance(self._outcome, BaseException):
            raise self._outcome
        assert self._outcome is not None
        return self._outcome[0]
