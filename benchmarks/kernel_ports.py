"""Start N kernels at once, as the classroom server's preheating does, and count the ones that never answer.

    .venv/bin/python benchmarks/kernel_ports.py [--kernels 10] [--rounds 3] [--noise 2000] [--manager default|classroom]
    .venv/bin/python benchmarks/kernel_ports.py --simulate 5000 [--kernels 10] [--manager default|classroom]

Each round starts `--kernels` kernels at once through jupyter_server's kernel manager (Voila's),
with jupyter_client's own port choice (``default``) or the classroom's (``classroom``,
``tools/_kernels.py``). While they start, `--noise` sockets bind port 0 and stay bound, standing
for what binds port 0 on a busy machine in those seconds (each starting kernel binds its IOPub pipe
that way; other servers and kernels do too); ``--noise 0`` leaves only the kernels' own pipes.
After the kernels' restarts have had their chance (30 s), each one is asked for ``kernel_info``.

``--simulate N`` starts no kernel: it draws the ports of `--kernels` kernels N times, then binds
port 0 once per kernel (each kernel's IOPub pipe) and counts the draws where a pipe was handed a
port drawn for a kernel: how often a server start would lose a kernel, without any other noise
(an upper bound: a kernel that has bound its ports cannot lose them).

Prints one line per round and a last line ``kernel ports: manager=M kernels=N rounds=R dead=D``.
Loopback only; every kernel and socket it made is gone when it ends.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tools import _kernels  # noqa: E402
from tools._kernels import ephemeral_range  # noqa: E402

MANAGERS = {
    "default": "jupyter_server.services.kernels.kernelmanager.ServerKernelManager",
    "classroom": "tools._kernels.ClassroomKernelManager",
}


async def _answers(manager: AsyncMappingKernelManager, kernel_id: str, timeout: float = 20) -> bool:
    if kernel_id not in manager:
        return False  # died, and the restarts failed: the manager dropped it
    km = manager.get_kernel(kernel_id)
    if not await km.is_alive():
        return False
    client = km.client()
    client.start_channels()
    try:
        await client.wait_for_ready(timeout=timeout)
        return True
    except RuntimeError:
        return False
    finally:
        client.stop_channels()


async def one_round(kernels: int, noise: int, manager_class: str, settle: float = 30) -> tuple[int, int, int]:
    """Start `kernels` at once under `noise`; return (dead kernels, ports on a noise socket, ports in the ephemeral range)."""
    with tempfile.TemporaryDirectory(prefix="kernel-ports-") as runtime:
        manager = AsyncMappingKernelManager(kernel_manager_class=manager_class, connection_dir=runtime)
        ids = await asyncio.gather(*(manager.start_kernel(kernel_name="python3") for _ in range(kernels)))
        held = _kernels.hold_port_zero(noise)  # the kernels are importing ipykernel now; they bind in a second or two
        try:
            taken = {sock.getsockname()[1] for sock in held}
            ports = [port for kid in ids for port in manager.get_kernel(kid).ports]
            await asyncio.sleep(settle)
            alive = await asyncio.gather(*(_answers(manager, kid) for kid in ids))
        finally:
            for sock in held:
                sock.close()
            await manager.shutdown_all(now=True)
        ephemeral = ephemeral_range()
        return alive.count(False), len(taken.intersection(ports)), sum(port in ephemeral for port in ports)


def simulate(trials: int, kernels: int, manager: str) -> int:
    """Return in how many of `trials` a kernel's IOPub pipe (port 0) was handed a port drawn for a kernel."""
    from jupyter_client.connect import LocalPortCache

    hits = 0
    for _ in range(trials):
        if manager == "default":
            cache = LocalPortCache()
            drawn = {cache.find_available_port("127.0.0.1") for _ in range(5 * kernels)}
        else:
            _kernels._drawn.clear()  # one server start per trial
            candidates = _kernels.kernel_ports()
            drawn = {_kernels.pick_port("127.0.0.1", candidates) for _ in range(5 * kernels)}
        pipes = _kernels.hold_port_zero(kernels)
        hits += bool(drawn & {sock.getsockname()[1] for sock in pipes})
        for sock in pipes:
            sock.close()
    return hits


def main(argv: list[str] | None = None) -> int:
    """Run the rounds and print the figures (see the module docstring)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kernels", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--noise", type=int, default=2000, help="sockets bound to port 0 while the kernels start")
    parser.add_argument("--manager", choices=sorted(MANAGERS), default="default")
    parser.add_argument("--simulate", type=int, default=0, metavar="N", help="draw ports N times; start no kernel")
    args = parser.parse_args(argv)
    if args.simulate:
        hits = simulate(args.simulate, args.kernels, args.manager)
        print(f"kernel ports (simulated): manager={args.manager} kernels={args.kernels} starts={args.simulate} "
              f"lost={hits} ({hits / args.simulate:.2%})")  # fmt: skip
        return 0
    os.chdir(ROOT)  # the classroom manager is imported as tools._kernels, as Voila does from here
    dead_total = 0
    for number in range(1, args.rounds + 1):
        began = time.monotonic()
        dead, clashes, ephemeral = asyncio.run(one_round(args.kernels, args.noise, MANAGERS[args.manager]))
        dead_total += dead
        print(f"round {number}: {dead}/{args.kernels} kernels dead; {clashes} of their ports bound by a port-0 "
              f"socket first; {ephemeral}/{5 * args.kernels} ports in the ephemeral range; "
              f"{time.monotonic() - began:.0f} s; load {os.getloadavg()[0]:.1f}", flush=True)  # fmt: skip
    print(f"kernel ports: manager={args.manager} kernels={args.kernels} rounds={args.rounds} dead={dead_total}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
