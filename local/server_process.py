"""A local server run as a child process on a loopback port, never outliving this process.

``start()`` returns once the server answers, and registers ``stop()`` to run at interpreter
exit, which covers normal exits and Ctrl-C. On Linux the child also asks the kernel to stop it
when its parent dies, which covers SIGKILL. Its own session keeps a terminal's Ctrl-C away from
it, so Python stops it in order.
"""

from __future__ import annotations

import atexit
import ctypes
import logging
import signal
import subprocess
import sys
import tempfile
import threading
from abc import abstractmethod
from typing import IO, TYPE_CHECKING, Self

from local.lifecycle import Service
from local.net import LOOPBACK, free_port, wait_until

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

log = logging.getLogger(__name__)

_STOP_GRACE_SECONDS = 5.0
_PR_SET_PDEATHSIG = 1


def _die_with_parent_hook() -> Callable[[], None] | None:
    """A pre-exec hook asking Linux to stop the child if this process is killed outright.

    The kernel watches the spawning *thread*, so the hook is only used from the main thread,
    which lives as long as the process. libc is loaded here, before the fork, never in the child.
    """
    if not sys.platform.startswith("linux") or threading.current_thread() is not threading.main_thread():
        return None
    libc = ctypes.CDLL(None, use_errno=True)

    def die_with_parent() -> None:
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)

    return die_with_parent


class ServerProcess(Service):
    """Subclasses say how to run the server (``command``) and how to tell it is up (``answers``)."""

    name = "server"
    startup_timeout_seconds = 60.0

    def __init__(self, *, port: int | None = None):
        self.port = port or free_port()
        self._process: subprocess.Popen[bytes] | None = None
        self._output: IO[bytes] | None = None

    @property
    def endpoint_url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    @abstractmethod
    def command(self) -> list[str]: ...

    @abstractmethod
    def answers(self) -> bool:
        """Whether the server serves requests yet."""

    def working_directory(self) -> Path | None:
        return None

    def prepare(self) -> None:
        """Anything the server needs before it can start, e.g. installing it."""

    def start(self) -> Self:
        if self.running:
            return self
        self.prepare()
        # Output goes to a file, not a pipe nobody reads, so a chatty server never blocks on it.
        self._output = tempfile.TemporaryFile(prefix=f"{self.name}-")  # noqa: SIM115 - closed by stop()
        self._process = subprocess.Popen(
            self.command(),
            cwd=self.working_directory(),
            stdout=self._output,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            preexec_fn=_die_with_parent_hook(),
        )
        atexit.register(self.stop)
        try:
            wait_until(self._ready, timeout=self.startup_timeout_seconds, what=self.name)
        except BaseException:
            self.stop()
            raise
        log.info("%s listening on %s", self.name, self.endpoint_url)
        return self

    def _ready(self) -> bool:
        if self._process is None or self._process.poll() is not None:
            raise RuntimeError(f"{self.name} exited during startup:\n{self._read_output()}")
        return self.answers()

    def _read_output(self) -> str:
        if self._output is None:
            return ""
        self._output.seek(0)
        return self._output.read().decode(errors="replace")

    def stop(self) -> None:
        atexit.unregister(self.stop)
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=_STOP_GRACE_SECONDS)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if self._output is not None:
            self._output.close()
            self._output = None
