#!/usr/bin/env python3
"""Two Hermod builds compared on CPU per relayed message, for changes too small for the side-by-side run.

  python3 benchmarks/ab.py A.jar B.jar [--jvms 2] [--rounds 3] [--messages 20000] [--size 1024] [--sessions 32]

On a shared 2-core machine one build's CPU per message moves by a fifth between rounds, and so does the sink's:
the machine, not the code. So each round also measures the sink's CPU per message (smtp-sink, the same work every
time) and reports Hermod's divided by it, which cancels much of that drift. The builds alternate, each in --jvms
fresh JVMs (A, B, A, B, ...), each JVM warmed up until its JIT compiler settled, then --rounds rounds of
smtp-source -d into Hermod relaying to smtp-sink on 127.0.0.1. Prints every round and a summary: per build the
mean and range of the ratio and of CPU µs per message, and B's change against A. Not part of the suite's results:
it compares Hermod with itself, not with Postfix (benchmarks/README.md, "Comparing two builds").
"""
import argparse
import contextlib
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import procs  # noqa: E402
import scenarios  # noqa: E402
from scenarios import Target  # noqa: E402

WARMUP_PASSES = 10


def summarize(rounds):
    """rounds: [{"cpu_us", "sink_us", "rate"}] of one build -> mean and range of the ratio and of CPU µs."""
    ratios = [r["cpu_us"] / r["sink_us"] for r in rounds if r.get("sink_us")]
    cpus = [r["cpu_us"] for r in rounds]
    return {"rounds": len(rounds),
            "ratio": statistics.mean(ratios) if ratios else None,
            "ratio_range": (min(ratios), max(ratios)) if ratios else None,
            "cpu_us": statistics.mean(cpus) if cpus else None,
            "cpu_range": (min(cpus), max(cpus)) if cpus else None,
            "rate": statistics.mean(r["rate"] for r in rounds) if rounds else None}


def compare(a, b):
    """B's change of the mean ratio against A's, in percent (negative: B uses less CPU), and a verdict: "the
    ranges are apart", "within the rounds' spread" (not shown), or "too few rounds" (under 2 for a build)."""
    if not a["ratio"] or not b["ratio"]:
        return None, "too few rounds"
    change = 100.0 * (b["ratio"] - a["ratio"]) / a["ratio"]
    if a["rounds"] < 2 or b["rounds"] < 2:
        return change, "too few rounds"
    apart = a["ratio_range"][1] < b["ratio_range"][0] or b["ratio_range"][1] < a["ratio_range"][0]
    return change, "the ranges are apart" if apart else "within the rounds' spread"


def add_load_args(ap, rounds, rounds_help, work_name):
    """The load options ab.py and cpu_split.py share: --rounds, --messages, --size, --sessions, --work."""
    ap.add_argument("--rounds", type=int, default=rounds, help=rounds_help)
    ap.add_argument("--messages", type=int, default=20000, help="messages per round (default 20,000)")
    ap.add_argument("--size", type=int, default=1024, help="message size in bytes (default 1024)")
    ap.add_argument("--sessions", type=int, default=32, help="smtp-source sessions (default 32)")
    ap.add_argument("--work", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "work", work_name))


@contextlib.contextmanager
def warmed_hermod(work, jar, label, a):
    """A sink and Hermod on jar relaying to it, warmed up until its JIT compiler settled; yields
    (target, sink, hermod, warm-up passes) and stops both afterwards."""
    sink = procs.SmtpSink(work, label + "-sink")
    hermod = procs.Hermod(work, jar, {"fast.test": sink.port}, sink.port, name=label)
    try:
        if hermod.error:
            raise RuntimeError("Hermod did not start: " + hermod.error)
        target = Target("Hermod", {"fast.test": sink}, hermod)
        p, _ = scenarios.warm_up(target, lambda size: "fast.test", a.messages, a.sessions, WARMUP_PASSES,
                                 hermod.p.pid, 15, 300, work)
        yield target, sink, hermod, p
    finally:
        hermod.stop()
        sink.stop()


def one_round(target, a, work):
    """One measured round of smtp-source -d into target; its result (raises when it failed)."""
    r = scenarios.throughput(target, "fast.test", a.size, a.sessions, a.messages, 15, 300, work)
    if not r.get("ok"):
        raise RuntimeError("a round failed: %s" % r.get("reason"))
    return r


def one_jvm(work, jar, label, a):
    """Starts a sink and Hermod on jar, warms it up, runs the rounds; their results."""
    with warmed_hermod(work, jar, label, a) as (target, sink, hermod, p):
        rounds = []
        for _ in range(a.rounds):
            s0 = sink.cpu()
            r = one_round(target, a, work)
            rounds.append({"cpu_us": r["cpu_us"], "sink_us": (sink.cpu() - s0) * 1e6 / a.messages, "rate": r["rate"]})
            print("  %s: relay %.0f msg/s, Hermod %.0f µs/msg, sink %.0f µs/msg, ratio %.2f (warm-up passes: %d)"
                  % (label, r["rate"], rounds[-1]["cpu_us"], rounds[-1]["sink_us"],
                     rounds[-1]["cpu_us"] / max(1e-9, rounds[-1]["sink_us"]), p), flush=True)
        return rounds


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("a", help="build A's jar")
    ap.add_argument("b", help="build B's jar")
    ap.add_argument("--jvms", type=int, default=2, help="fresh JVMs per build (default 2)")
    add_load_args(ap, 3, "measured rounds per JVM (default 3)", "ab")
    a = ap.parse_args()
    os.makedirs(os.path.join(a.work, "pids"), exist_ok=True)
    results = {"A": [], "B": []}
    started = time.monotonic()
    for j in range(a.jvms):
        for label, jar in (("A", a.a), ("B", a.b)):
            print("JVM %d/%d of %s (%s)" % (j + 1, a.jvms, label, jar), flush=True)
            results[label] += one_jvm(a.work, jar, label, a)
    sa, sb = summarize(results["A"]), summarize(results["B"])
    for label, s in (("A", sa), ("B", sb)):
        print("%s: %d rounds, Hermod/sink CPU %.2f (%.2f-%.2f), Hermod %.0f µs/msg (%.0f-%.0f), relay %.0f msg/s"
              % (label, s["rounds"], s["ratio"], *s["ratio_range"], s["cpu_us"], *s["cpu_range"], s["rate"]))
    change, verdict = compare(sa, sb)
    print("B against A: %+.1f %% CPU per message relative to the sink's (%s); %.0f s"
          % (change, verdict, time.monotonic() - started))
    return 0


if __name__ == "__main__":
    sys.exit(main())
