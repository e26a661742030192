"""A throw-away single-node SLURM cluster for the tests: install, configure, start, stop.

`slurm_unavailable()` installs `slurm-wlm` and `munge` from Debian with apt-get when they are missing
and that is possible, and otherwise returns the reason to skip. `single_node_cluster(state_dir)`
writes `/etc/slurm/slurm.conf` (the default path: the executor plugin clears `SLURM_*` variables,
`SLURM_CONF` included, inside jobs), starts munged, slurmctld and slurmd in the foreground, waits until
the node is idle, and on exit stops the daemons it started (by their PIDs) and removes the config
it wrote. Accounting is off, as on a bare single-node install.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

CONF = Path("/etc/slurm/slurm.conf")
MARK = "# written by sdmattn tests/slurm_cluster.py"
PACKAGES = ("slurm-wlm", "munge")
DAEMONS = ("munged", "slurmctld", "slurmd", "sbatch", "squeue", "scontrol")


class ClusterError(RuntimeError):
    """A daemon did not come up; the message holds the tail of its log."""


def _missing() -> list[str]:
    return [name for name in DAEMONS if not shutil.which(name, path=os.environ.get("PATH", "") + ":/usr/sbin:/sbin")]


def _apt_install() -> str | None:
    """Install the packages with apt-get; None on success, else why not."""
    if not shutil.which("apt-get"):
        return f"SLURM is not installed ({', '.join(_missing())} missing) and apt-get is not available"
    if os.geteuid() != 0:
        return f"SLURM is not installed ({', '.join(_missing())} missing) and installing it needs root"
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    install = ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *PACKAGES]
    if subprocess.run(install, env=env, capture_output=True).returncode != 0:  # the package lists may be stale
        subprocess.run(["apt-get", "update", "-qq"], env=env, capture_output=True)
        result = subprocess.run(install, env=env, capture_output=True, text=True)
        if result.returncode != 0:
            return f"apt-get install {' '.join(PACKAGES)} failed: {result.stderr.strip()[-300:]}"
    return None if not _missing() else f"after apt-get install, still missing: {', '.join(_missing())}"


def slurm_unavailable() -> str | None:
    """None when a single-node cluster can be started here (installing SLURM if needed), else the reason."""
    if CONF.exists() and MARK not in CONF.read_text(errors="replace"):
        return f"{CONF} exists and was not written by these tests: not overwriting a real SLURM configuration"
    if _missing():
        reason = _apt_install()
        if reason:
            return reason
    return None


def _conf_text(state: Path) -> str:
    host = socket.gethostname().split(".")[0]
    cpus = os.cpu_count() or 1
    with open("/proc/meminfo") as f:
        mem_mb = int(next(line for line in f if line.startswith("MemTotal")).split()[1]) // 1024
    return f"""{MARK}
ClusterName=sdmattn-test
SlurmctldHost={host}(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation={state}/ctld
SlurmdSpoolDir={state}/spool
SlurmctldPidFile={state}/slurmctld.pid
SlurmdPidFile={state}/slurmd.pid
SlurmctldLogFile={state}/slurmctld.log
SlurmdLogFile={state}/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU_Memory
SlurmdParameters=config_overrides
MpiDefault=none
ReturnToService=2
MinJobAge=3600
SchedulerParameters=sched_interval=1
NodeName={host} NodeAddr=127.0.0.1 CPUs={cpus} RealMemory={int(mem_mb * 0.9)} State=UNKNOWN
PartitionName=local Nodes=ALL Default=YES MaxTime=INFINITE State=UP
"""


def _ok(*cmd: str) -> bool:
    try:
        return subprocess.run(cmd, capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def _munge_works() -> bool:
    try:
        cred = subprocess.run(["munge", "-n"], capture_output=True, timeout=10)
        return cred.returncode == 0 and subprocess.run(["unmunge"], input=cred.stdout, capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def _wait(test, what: str, proc: subprocess.Popen | None, log: Path | None, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if test():
            return
        if proc is not None and proc.poll() is not None:
            break
        time.sleep(0.5)
    tail = log.read_text(errors="replace")[-1500:] if log and log.exists() else ""
    raise ClusterError(f"{what} did not come up within {timeout:.0f} s\n{tail}")


@contextlib.contextmanager
def single_node_cluster(state: Path):
    """Run a one-node SLURM cluster (partition `local`) while the block runs; see the module docstring."""
    state = Path(state).resolve()
    if CONF.exists() and _ok("scontrol", "ping"):
        raise ClusterError(f"a SLURM controller configured by {CONF} is already running here; stop it first")
    for sub in ("ctld", "spool"):
        (state / sub).mkdir(parents=True, exist_ok=True)
    started: list[subprocess.Popen] = []
    wrote_conf = not CONF.exists()
    CONF.parent.mkdir(parents=True, exist_ok=True)
    CONF.write_text(_conf_text(state))
    try:
        if not _munge_works():
            run_dir = Path("/run/munge")
            run_dir.mkdir(parents=True, exist_ok=True)
            shutil.chown(run_dir, "munge", "munge")
            log = state / "munged.log"
            proc = subprocess.Popen(["munged", "--foreground", f"--log-file={log}"], user="munge", group="munge",
                                    stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
            started.append(proc)
            _wait(_munge_works, "munged", proc, log)
        for daemon in ("slurmctld", "slurmd"):
            proc = subprocess.Popen([daemon, "-D"], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
            started.append(proc)
        _wait(lambda: _ok("scontrol", "ping"), "slurmctld", started[-2], state / "slurmctld.log")
        idle = lambda: "idle" in subprocess.run(["sinfo", "-h", "-o", "%T"], capture_output=True, text=True).stdout 
        _wait(idle, "slurmd (node idle)", started[-1], state / "slurmd.log")
        yield state
    finally:
        for proc in reversed(started):
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if wrote_conf:
            CONF.unlink(missing_ok=True)
