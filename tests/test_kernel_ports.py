"""tools/_kernels.py: the classroom server's kernels take ports nothing binding port 0 can be given first."""

from __future__ import annotations

import asyncio
import importlib.util
import sys

import pytest
from jupyter_client.connect import LocalPortCache
from support import ROOT

sys.path.insert(0, str(ROOT))  # Voila imports the manager as tools._kernels from here
from tools import _kernels  # noqa: E402


def _classroom_manager_class() -> type:
    """The kernel manager class the classroom server is configured with (tools/classroom.py's voila_args)."""
    sys.path.insert(0, str(ROOT / "tools"))
    spec = importlib.util.spec_from_file_location("classroom_tool", ROOT / "tools" / "classroom.py")
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    option = "--MappingKernelManager.kernel_manager_class="
    names = [arg.removeprefix(option) for arg in tool.voila_args() if arg.startswith(option)]
    if not names:
        from jupyter_server.services.kernels.kernelmanager import ServerKernelManager

        return ServerKernelManager  # what Voila uses when the option is not given
    module, name = names[0].rsplit(".", 1)
    return getattr(importlib.import_module(module), name)


def test_jupyter_clients_own_ports_come_from_the_ephemeral_range():
    """Why the classroom needs its own: the port-0 choice any other socket may be given before the kernel binds it."""
    cache = LocalPortCache()
    ports = [cache.find_available_port("127.0.0.1") for _ in range(20)]
    assert all(port in _kernels.ephemeral_range() for port in ports)


def test_classroom_kernels_ports_are_never_handed_out_for_port_0(tmp_path):
    managers = [_classroom_manager_class()(connection_file=str(tmp_path / f"kernel-{i}.json")) for i in range(10)]
    for km in managers:
        km.write_connection_file()
    ports = [port for km in managers for port in km.ports]
    assert len(set(ports)) == 50, "no port drawn twice"
    assert not [port for port in ports if port in _kernels.ephemeral_range()]
    held = _kernels.hold_port_zero(2000)  # what starting kernels' IOPub pipes and other servers bind meanwhile
    try:
        given = {sock.getsockname()[1] for sock in held}
    finally:
        for sock in held:
            sock.close()
    assert not given.intersection(ports)


def test_a_restart_keeps_the_kernels_ports_for_the_clients_already_connected(tmp_path):
    km = _kernels.ClassroomKernelManager(connection_file=str(tmp_path / "kernel.json"))
    km.write_connection_file()
    first = km.ports
    km.cleanup_random_ports()  # what jupyter_client's restarter asks for while a kernel has not started
    km.write_connection_file()
    assert km.ports == first


def test_ports_set_in_the_configuration_are_kept(tmp_path):
    km = _kernels.ClassroomKernelManager(connection_file=str(tmp_path / "kernel.json"), shell_port=23456)
    km.write_connection_file()
    assert km.shell_port == 23456
    km.cleanup_random_ports()
    assert km.shell_port == 23456


def test_kernel_ports_leave_out_the_ephemeral_range(tmp_path):
    linux = tmp_path / "ip_local_port_range"
    linux.write_text("32768\t60999\n")
    assert _kernels.ephemeral_range(linux) == range(32768, 61000)
    assert _kernels.kernel_ports(range(32768, 61000)) == list(range(20000, 32768))
    assert _kernels.kernel_ports(range(25000, 61000)) == list(range(20000, 25000))
    assert _kernels.ephemeral_range(tmp_path / "missing") == range(49152, 65536)


def test_a_system_with_no_port_outside_its_ephemeral_range_falls_back_to_jupyter_clients_choice(monkeypatch, tmp_path):
    monkeypatch.setattr(_kernels, "ephemeral_range", lambda: range(1024, 65536))
    km = _kernels.ClassroomKernelManager(connection_file=str(tmp_path / "kernel.json"))
    km.write_connection_file()
    assert all(port > 0 for port in km.ports)


def test_pick_port_says_when_no_port_is_free():
    with pytest.raises(RuntimeError, match=r"no free port for a kernel among 0 outside the ephemeral range"):
        _kernels.pick_port("127.0.0.1", [])


def test_kernels_started_at_once_beside_many_port_0_sockets_all_answer(tmp_path):
    """Three real kernels started together, as Voila preheats, while 2000 sockets bind port 0."""
    from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager

    manager_class = _classroom_manager_class()

    async def start_and_ask() -> list[bool]:
        manager = AsyncMappingKernelManager(
            kernel_manager_class=f"{manager_class.__module__}.{manager_class.__name__}", connection_dir=str(tmp_path)
        )
        ids = await asyncio.gather(*(manager.start_kernel(kernel_name="python3") for _ in range(3)))
        held = _kernels.hold_port_zero(2000)
        try:
            answers = []
            for kid in ids:
                client = manager.get_kernel(kid).client()
                client.start_channels()
                try:
                    await client.wait_for_ready(timeout=120)
                    answers.append(True)
                except RuntimeError:
                    answers.append(False)
                finally:
                    client.stop_channels()
            return answers
        finally:
            for sock in held:
                sock.close()
            await manager.shutdown_all(now=True)

    assert asyncio.run(start_and_ask()) == [True, True, True]
