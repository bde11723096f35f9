#!/usr/bin/env python3
"""Where Hermod's CPU per relayed message goes, by thread and into user and system (kernel) time.

  python3 benchmarks/cpu_split.py JAR [--rounds 2] [--messages 20000] [--size 1024] [--sessions 32]

One Hermod JVM (the suite's configuration: 2 listener and 2 delivery instances) relays smtp-source -d's messages to
its own smtp-sink on 127.0.0.1, warmed up until its JIT compiler settled, as in ab.py. Around the measured rounds
it reads every thread's utime and stime from /proc and prints, per thread group (the thread name with trailing
digits as N, e.g. "GC Thread#N"; event-loop threads share one name, "vert.x-eventloo", as the kernel keeps 15
characters of a name), the user and system CPU µs per message, and the sink's µs per message for scale. System
time is the kernel's work for Hermod's own system calls: socket reads and writes on loopback, fsync, futex and
eventfd wake-ups. Results go to the terminal only (benchmarks/README.md, "Where the CPU goes").
"""
import argparse
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import ab  # noqa: E402
import procs  # noqa: E402


def group(name):
    """A thread's group: its name with a trailing number as N ("GC Thread#3" -> "GC Thread#N")."""
    return re.sub(r"\d+$", "N", name)


def split(before, after, messages):
    """before, after: procs.thread_cpu readings. Per group, user and system µs per message between them, largest
    total first: [(group, user_us, sys_us)]. A thread that started in between counts from zero; one that ended is
    left out (its time is no longer in /proc)."""
    user, system = {}, {}
    for tid, (name, u, s) in after.items():
        _, u0, s0 = before.get(tid, (name, 0.0, 0.0))
        g = group(name)
        user[g] = user.get(g, 0.0) + (u - u0) * 1e6 / messages
        system[g] = system.get(g, 0.0) + (s - s0) * 1e6 / messages
    rows = [(g, user[g], system[g]) for g in user]
    return sorted(rows, key=lambda r: (-(r[1] + r[2]), r[0]))


def table(rows, sink_us, rate):
    """The rows as text, with a total line and the sink's CPU per message; groups under 0.5 µs are summed."""
    lines = ["%-24s %10s %10s" % ("thread group", "user µs", "system µs")]
    small_u = small_s = 0.0
    for g, u, s in rows:
        if u + s < 0.5:
            small_u, small_s = small_u + u, small_s + s
        else:
            lines.append("%-24s %10.1f %10.1f" % (g, u, s))
    if small_u + small_s > 0:
        lines.append("%-24s %10.1f %10.1f" % ("(the rest)", small_u, small_s))
    lines.append("%-24s %10.1f %10.1f" % ("total", sum(r[1] for r in rows), sum(r[2] for r in rows)))
    lines.append("sink (smtp-sink) %.1f µs per message; relay %.0f msg/s" % (sink_us, rate))
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("jar")
    ab.add_load_args(ap, 2, "measured rounds (default 2)", "cpu-split")
    a = ap.parse_args()
    os.makedirs(os.path.join(a.work, "pids"), exist_ok=True)
    with ab.warmed_hermod(a.work, a.jar, "split", a) as (target, sink, hermod, _):
        before, sink0 = procs.thread_cpu(hermod.p.pid), sink.cpu()
        rates = [ab.one_round(target, a, a.work)["rate"] for _ in range(a.rounds)]
        total = a.rounds * a.messages
        rows = split(before, procs.thread_cpu(hermod.p.pid), total)
        print(table(rows, (sink.cpu() - sink0) * 1e6 / total, sum(rates) / len(rates)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
