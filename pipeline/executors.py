"""Executors: map the per-document function over input files, results as they finish.

Two implementations behind one interface, :meth:`Executor.map`, which yields
``(index, DocumentResult)`` pairs in completion order:

* :class:`ProcessPool` (default): local worker processes, each handed one file
  at a time.  The parent watches the clock: a document running past
  ``cfg.doc_timeout`` has its worker's whole process group killed (so a hung
  tesseract goes too) and is recorded as failed; a worker that dies takes only
  its current file with it.  Either way a fresh worker takes its place.
* :class:`DaskExecutor`: ``dask.distributed``, on a local cluster it starts
  (``--executor dask``) or on a running scheduler (``--scheduler tcp://...``).
  Each worker thread hands its documents to a long-lived child process of its
  own (a "sidecar", see :class:`_Sidecar`) that is killed, and replaced, when a
  document overruns the same time limit.

The function is the same everywhere (:func:`pipeline.run.process_document`),
and only the parent writes, so the tables do not depend on the executor.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing as mp
import os
import pickle
import select
import signal
import sys
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from multiprocessing.connection import Connection, wait
from typing import Any, Protocol

from pipeline.config import Config
from pipeline.errors import ExitCode, KehoachError
from pipeline.model import DocumentResult, ErrorItem
from pipeline.store import relabel, timeout_failure

log = logging.getLogger(__name__)

DocFunc = Callable[[str, Config], DocumentResult]


class Executor(Protocol):
    def map(self, func: DocFunc, paths: Sequence[str], cfg: Config) -> Iterator[tuple[int, DocumentResult]]:
        """Run ``func(paths[i], cfg)`` for every i; yield ``(i, result)`` as each finishes."""

    def close(self) -> None: ...


def crash_failure(path: str, message: str) -> DocumentResult:
    return DocumentResult(path, None, "failure", 0.0, errors=(ErrorItem("batch", "internal", f"{path}: {message}"),))


def _call(func: DocFunc, path: str, cfg: Config) -> DocumentResult:
    try:
        return func(path, cfg)
    except Exception as exc:  # noqa: BLE001 - never lose a file
        return crash_failure(path, f"{type(exc).__name__}: {exc}")


# --- in-process (one worker, no time limit) --------------------------------------------------------


class InlineExecutor:
    """Runs every document in this process, in order (``--workers 1 --timeout 0``).

    Each document may add at most ``cfg.worker_memory_mb`` to the process's address space
    (:func:`memory_cap`); the models are loaded first, so that they do not count against it.
    """

    def map(self, func: DocFunc, paths: Sequence[str], cfg: Config) -> Iterator[tuple[int, DocumentResult]]:
        if cfg.worker_memory_mb:
            with contextlib.suppress(Exception):
                warm_up()
        for i, path in enumerate(paths):
            with memory_cap(cfg):
                result = _call(func, path, cfg)
            yield i, result

    def close(self) -> None: ...


# --- the local process pool -----------------------------------------------------------------------


def _die_with_parent() -> None:
    """Linux: have the kernel kill this worker when the parent dies (kill -9 included)."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(Exception):
            import ctypes

            ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


MIB = 1024 * 1024


def _cap_address_space(limit: int) -> tuple[int, int] | None:
    """Lower the soft ``RLIMIT_AS`` to ``limit`` bytes (never above the current limits); the
    previous ``(soft, hard)`` pair, or None where it cannot be set."""
    try:
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        for bound in (soft, hard):
            if bound != resource.RLIM_INFINITY:
                limit = min(limit, bound)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ImportError, ValueError, OSError):
        return None
    return soft, hard


def limit_memory(cfg: Config) -> None:
    """Cap this worker's address space at ``cfg.worker_memory_mb`` (inherited by tesseract & co)."""
    mb = getattr(cfg, "worker_memory_mb", 0)
    if mb:
        _cap_address_space(mb * MIB)


def address_space() -> int | None:
    """This process's address space in bytes (Linux: ``/proc/self/statm``); None elsewhere."""
    try:
        with open("/proc/self/statm", encoding="ascii") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


@contextlib.contextmanager
def memory_cap(cfg: Config) -> Iterator[None]:
    """Bound what the enclosed call may add to this process's address space.

    The soft ``RLIMIT_AS`` is set to the current size plus ``cfg.worker_memory_mb`` (what
    Python, the loaded models and earlier documents already hold stays allowed) and put back
    as it was afterwards, so the process is capped only while a document runs.  Allocations
    past it raise ``MemoryError`` in that document (programs it starts inherit the cap).
    """
    mb = getattr(cfg, "worker_memory_mb", 0)
    base = address_space() if mb else None
    previous = _cap_address_space(base + mb * MIB) if base is not None else None
    try:
        yield
    finally:
        if previous is not None:
            import resource

            resource.setrlimit(resource.RLIMIT_AS, previous)


def _worker_main(conn: Connection, func: DocFunc, cfg: Config) -> None:
    # Its own process group, so that a timeout can kill the worker with its children (tesseract).
    with contextlib.suppress(OSError):
        os.setsid()
    _die_with_parent()
    limit_memory(cfg)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's business
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            return
        if msg is None:
            return
        index, path = msg
        result = _call(func, path, cfg)
        try:
            conn.send((index, result))
        except (BrokenPipeError, OSError):
            return
        except Exception as exc:  # noqa: BLE001 - e.g. an unpicklable result
            conn.send((index, crash_failure(path, f"result could not be sent back: {type(exc).__name__}: {exc}")))


class _Worker:
    def __init__(self, ctx: Any, func: DocFunc, cfg: Config) -> None:
        self.conn, child = ctx.Pipe()
        # With the fork start method nothing here is pickled: func may be any callable.
        self.proc = ctx.Process(target=_worker_main, args=(child, func, cfg), daemon=True)
        self.proc.start()
        child.close()
        self.task: tuple[int, str, float] | None = None  # index, path, start time

    def assign(self, index: int, path: str) -> None:
        self.conn.send((index, path))
        self.task = (index, path, time.monotonic())

    def kill(self) -> None:
        with contextlib.suppress(OSError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        with contextlib.suppress(OSError):
            self.proc.kill()
        self.proc.join(5)
        self.conn.close()

    def stop(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            self.conn.send(None)
        self.proc.join(2)
        if self.proc.is_alive():
            self.kill()
        else:
            self.conn.close()


class ProcessPool:
    """``workers`` local processes, one document each at a time, with a per-document time limit."""

    def __init__(self, workers: int) -> None:
        self.workers = max(1, workers)
        methods = mp.get_all_start_methods()
        # fork: workers share the parent's loaded modules and models (copy-on-write).
        self.ctx = mp.get_context("fork" if "fork" in methods else None)

    def map(self, func: DocFunc, paths: Sequence[str], cfg: Config) -> Iterator[tuple[int, DocumentResult]]:
        todo = deque(enumerate(paths))
        limit = cfg.doc_timeout or None
        n = min(self.workers, len(paths))
        # Load the models here once: every worker, and every replacement for a worker killed
        # at the time limit, then starts warm (and shares them copy-on-write).
        with contextlib.suppress(Exception):
            warm_up()
        idle: list[_Worker] = []
        busy: dict[Connection, _Worker] = {}
        try:
            while todo or busy:
                while todo and (idle or len(busy) < n):
                    worker = idle.pop() if idle else _Worker(self.ctx, func, cfg)
                    index, path = todo.popleft()
                    try:
                        worker.assign(index, path)
                    except OSError:  # the worker died while idle: replace it
                        worker.kill()
                        todo.appendleft((index, path))
                        continue
                    busy[worker.conn] = worker
                timeout = None
                if limit is not None:
                    now = time.monotonic()
                    timeout = max(0.0, min(w.task[2] + limit - now for w in busy.values()))
                ready = wait([*busy, *(w.proc.sentinel for w in busy.values())], timeout)
                for conn in list(busy):
                    worker = busy[conn]
                    index, path, started = worker.task
                    if conn in ready or worker.proc.sentinel in ready:
                        try:
                            if conn.poll():
                                got, result = conn.recv()
                                del busy[conn]
                                worker.task = None
                                idle.append(worker)
                                yield got, result
                                continue
                        except (EOFError, OSError):
                            pass
                        if not worker.proc.is_alive():
                            del busy[conn]
                            worker.kill()
                            code = worker.proc.exitcode
                            yield index, crash_failure(
                                path, f"the worker process died while reading this file (exit code {code}: "
                                "out of memory or a crash)")
                            continue
                    if limit is not None and time.monotonic() - started >= limit:
                        del busy[conn]
                        worker.kill()
                        yield index, timeout_failure(path, limit)
        finally:
            for worker in [*idle, *busy.values()]:
                if worker.task is None:
                    worker.stop()
                else:
                    worker.kill()

    def close(self) -> None: ...


# --- Dask -----------------------------------------------------------------------------------------

# Damaged text, so that the repair models are loaded by the warm-up.
_WARM_TEXT = """UY BAN NHAN DAN XA AN BINH
KE HOACH
Cai cach hanh chinh nha nuoc xa An Binh nam 2024
I. MUC TIEU
- Ty le ho so giai quyet dung han dat toi thieu 95%.
Thyc hién cdi cach hanh chinh x4 An Binh
"""
_warm = False


def warm_up() -> bool:
    """Load the heavy models once in this process (a Dask worker), before any fork.

    Sidecars forked afterwards share them (copy-on-write), and a replacement for
    a killed sidecar starts warm.
    """
    global _warm
    if _warm:
        return False
    import tempfile

    from pipeline.run import process_document

    with tempfile.TemporaryDirectory(prefix="kehoach-warm-") as tmp:
        path = os.path.join(tmp, "warm.txt")
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(_WARM_TEXT)
        process_document(path, Config(workers=1))
    _warm = True
    return True


class _Sidecar:
    """A long-lived child process that runs documents for one Dask worker thread.

    Dask runs tasks in threads, which cannot be stopped; a child can be killed
    (with its process group) when a document overruns.  The child lives on
    between documents, so that its caches warm up as a pool worker's do.
    Started with ``os.fork``: Dask's worker processes are daemonic and may not
    start ``multiprocessing`` children.  Frames: 8-byte length + pickle.
    """

    _fds: set[int] = set()  # every sidecar pipe end in this process, closed in new children

    def __init__(self, func: DocFunc, cfg: Config) -> None:
        from_parent, to_child = os.pipe()
        from_child, to_parent = os.pipe()
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                for fd in _Sidecar._fds:
                    with contextlib.suppress(OSError):
                        os.close(fd)
                os.close(to_child)
                os.close(from_child)
                os.setsid()
                limit_memory(cfg)
                _Sidecar._serve(from_parent, to_parent, func, cfg)
            except BaseException:  # noqa: BLE001
                code = 1
            finally:
                os._exit(code)
        os.close(from_parent)
        os.close(to_parent)
        self.pid, self.send_fd, self.recv_fd = pid, to_child, from_child
        _Sidecar._fds.update((to_child, from_child))

    @staticmethod
    def _serve(read_fd: int, write_fd: int, func: DocFunc, cfg: Config) -> None:
        while True:
            path = _read_frame(read_fd, None)
            if path is None:  # the parent is gone or done
                return
            _write_frame(write_fd, _call(func, pickle.loads(path), cfg))

    def run(self, path: str, timeout: float | None) -> DocumentResult | None:
        """The result, or None when the child overran (it is then killed) or died."""
        _write_frame(self.send_fd, path)
        payload = _read_frame(self.recv_fd, time.monotonic() + timeout if timeout else None)
        if payload is None:
            self.kill()
            return None
        return pickle.loads(payload)

    def alive(self) -> bool:
        try:
            return os.waitpid(self.pid, os.WNOHANG) == (0, 0)
        except ChildProcessError:
            return False

    def kill(self) -> None:
        for target in (lambda: os.killpg(self.pid, signal.SIGKILL), lambda: os.kill(self.pid, signal.SIGKILL)):
            with contextlib.suppress(OSError):
                target()
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)
        for fd in (self.send_fd, self.recv_fd):
            _Sidecar._fds.discard(fd)
            with contextlib.suppress(OSError):
                os.close(fd)


class _Timeout(Exception):
    pass


def _write_frame(fd: int, obj: object) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    view = memoryview(len(data).to_bytes(8, "little") + data)
    while view:
        view = view[os.write(fd, view):]


def _read_exact(fd: int, n: int, deadline: float | None) -> bytes | None:
    chunks, left = [], n
    while left:
        if deadline is not None:
            wait_for = deadline - time.monotonic()
            if wait_for <= 0 or not select.select([fd], [], [], wait_for)[0]:
                raise _Timeout
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _read_frame(fd: int, deadline: float | None) -> bytes | None:
    """One frame's payload (the pickle); None at end of file or past the deadline."""
    try:
        head = _read_exact(fd, 8, deadline)
        if head is None:
            return None
        return _read_exact(fd, int.from_bytes(head, "little"), deadline)
    except (_Timeout, OSError):
        return None


_sidecars: dict[tuple[int, str], _Sidecar] = {}


def call_with_timeout(func: DocFunc, path: str, cfg: Config, timeout: float) -> DocumentResult:
    """``func(path, cfg)`` in this thread's sidecar process, killed after ``timeout`` s (0: no limit).

    Used on Dask workers.  The sidecar is started on first use (after the models
    are loaded here, so that it shares them) and replaced after a timeout or a crash.
    """
    if not hasattr(os, "fork"):
        return _call(func, path, cfg)
    with contextlib.suppress(Exception):
        warm_up()
    key = (threading.get_ident(), f"{getattr(func, '__module__', '')}.{getattr(func, '__qualname__', '')}:"
           f"{cfg.model_dump_json()}")
    sidecar = _sidecars.get(key)
    if sidecar is not None and not sidecar.alive():
        sidecar.kill()
        sidecar = None
    if sidecar is None:
        for old in [k for k in _sidecars if k[0] == key[0]]:  # this thread's sidecar for other settings
            _sidecars.pop(old).kill()
        sidecar = _sidecars[key] = _Sidecar(func, cfg)
    started = time.monotonic()
    result = sidecar.run(path, timeout or None)
    if result is not None:
        return result
    _sidecars.pop(key, None)
    if timeout and time.monotonic() - started >= timeout:
        return timeout_failure(path, timeout)
    return crash_failure(path, "the process reading this file died (out of memory or a crash)")


class ExecutorError(KehoachError):
    """The executor cannot run (e.g. the Dask scheduler is unreachable)."""

    exit_code = ExitCode.missing_dependency
    category = "executor"


class DaskExecutor:
    """``dask.distributed``: a local cluster of ``cfg.workers`` processes, or ``cfg.scheduler``'s."""

    def __init__(self, cfg: Config) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError:  # pragma: no cover - a dependency of the project
            from pipeline.errors import MissingDependencyError

            raise MissingDependencyError("the Dask executor needs dask.distributed: pip install 'dask[distributed]'") from None
        self.cluster = None
        if cfg.scheduler:
            try:
                self.client = Client(cfg.scheduler)  # waits distributed.comm.timeouts.connect (30 s)
            except (OSError, TimeoutError) as exc:
                raise ExecutorError(f"cannot reach the Dask scheduler at {cfg.scheduler} ({exc}); is "
                                    "`dask scheduler` running there, and the port open?") from None
        else:
            # ":0": free ports, so that the scheduler's and the workers' HTTP servers never collide
            self.cluster = LocalCluster(n_workers=cfg.workers, threads_per_worker=1, processes=True,
                                        dashboard_address=":0", worker_dashboard_address=":0",
                                        silence_logs=logging.ERROR)
            self.client = Client(self.cluster)
        with contextlib.suppress(Exception):  # workers that join later warm up on their first task
            self.client.run(warm_up)

    def map(self, func: DocFunc, paths: Sequence[str], cfg: Config) -> Iterator[tuple[int, DocumentResult]]:
        from distributed import as_completed

        run = uuid.uuid4().hex[:8]
        # Workers may run elsewhere (another folder, another machine on a shared file system):
        # they get absolute paths, and the results are labelled with the paths as given.
        futures = {self.client.submit(call_with_timeout, func, os.path.abspath(path), cfg, cfg.doc_timeout,
                                      pure=False, key=f"kehoach-{run}-{i}"): i for i, path in enumerate(paths)}
        try:
            for future in as_completed(futures):
                index = futures.pop(future)
                try:
                    result = future.result()
                except Exception as exc:  # noqa: BLE001 - e.g. KilledWorker: the file, not the batch
                    result = crash_failure(paths[index], f"{type(exc).__name__}: {exc}")
                future.release()
                yield index, relabel(result, paths[index])
        finally:
            if futures:
                self.client.cancel(list(futures))

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.client.close()
        if self.cluster is not None:
            with contextlib.suppress(Exception):
                self.cluster.close()


def make_executor(cfg: Config, n_documents: int) -> Executor:
    """The executor the config asks for; tiny batches without a time limit run in-process."""
    if cfg.uses_dask:
        return DaskExecutor(cfg)
    if not cfg.doc_timeout and (cfg.workers <= 1 or n_documents <= 1):
        return InlineExecutor()
    return ProcessPool(cfg.workers)
