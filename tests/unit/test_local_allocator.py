"""The local stack's malloc settings: merged into GLIBC_TUNABLES, applied by re-executing."""
from __future__ import annotations

import sys

import pytest

from infra.local import allocator


class Reexecuted(Exception):
    pass


@pytest.fixture
def execv(monkeypatch):
    calls = []

    def fake_execv(path, argv):
        calls.append((path, argv))
        raise Reexecuted()

    monkeypatch.setattr(allocator.os, "execv", fake_execv)
    monkeypatch.setattr(allocator.sys, "platform", "linux")
    # a copy without the variable: what the test sets never reaches later tests' processes
    environ = {k: v for k, v in allocator.os.environ.items() if k != "GLIBC_TUNABLES"}
    monkeypatch.setattr(allocator.os, "environ", environ)
    return calls


def test_tunables_are_added_to_an_empty_value():
    entries = allocator.with_tunables(None).split(":")
    assert entries == [f"{name}={value}" for name, value in allocator.TUNABLES.items()]
    assert "glibc.malloc.arena_max=1" in entries


def test_the_developers_own_values_win_and_other_tunables_stay():
    merged = allocator.with_tunables("glibc.malloc.arena_max=4:glibc.pthread.rseq=0")
    entries = merged.split(":")
    assert entries[:2] == ["glibc.malloc.arena_max=4", "glibc.pthread.rseq=0"]
    assert "glibc.malloc.arena_max=1" not in entries
    assert {entry.split("=")[0] for entry in entries} >= set(allocator.TUNABLES)


def test_the_process_is_reexecuted_once_with_the_same_command(monkeypatch, execv):
    monkeypatch.setattr(allocator.sys, "orig_argv",
                        ["python3", "-m", "infra.local.stack", "--flag"])
    with pytest.raises(Reexecuted):
        allocator.reexec_with_tunables()
    assert execv == [(sys.executable, [sys.executable, "-m", "infra.local.stack", "--flag"])]
    assert allocator.os.environ["GLIBC_TUNABLES"] == allocator.with_tunables(None)
    allocator.reexec_with_tunables()  # the new process: already set, carries on
    assert len(execv) == 1


def test_nothing_happens_off_linux(monkeypatch, execv):
    monkeypatch.setattr(allocator.sys, "platform", "darwin")
    allocator.reexec_with_tunables()
    assert execv == [] and "GLIBC_TUNABLES" not in allocator.os.environ


def test_a_failed_reexec_runs_on_unchanged(monkeypatch, execv):
    def refuse(path, argv):
        raise PermissionError("exec refused")

    monkeypatch.setattr(allocator.os, "execv", refuse)
    allocator.reexec_with_tunables()  # no exception: the stack starts without the tunables
    assert "GLIBC_TUNABLES" not in allocator.os.environ
