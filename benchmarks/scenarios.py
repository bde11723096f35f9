"""One measurement of each scenario against one target. Each returns a dict with "ok" and either the
numbers or "reason". Every loop is bounded by a deadline; nothing here asserts anything about timing."""
import bisect
import math
import os
import subprocess
import threading
import time
import uuid

import load
import procs
import submit

SENDER = "s@x.test"


class Target:
    """Where load goes: an MTA (Hermod, Postfix), or the sinks themselves (the ceiling)."""

    def __init__(self, name, sinks, mta=None, ceiling_ports=None, why_not=None):
        self.name, self.sinks, self.mta = name, sinks, mta
        self.ceiling_ports = ceiling_ports or {}
        self.why_not = why_not

    def ready(self):
        if self.why_not:
            return False
        if self.mta is not None and not self.mta.alive():
            self.why_not = "%s is no longer running" % self.name
            return False
        return True

    def port(self, domain):
        return self.mta.port if self.mta else self.ceiling_ports[domain]

    def sink(self, domain):
        return self.sinks[domain]

    def cpu_meter(self, domain):
        """A function giving CPU seconds so far: the MTA's whole process tree, or for the ceiling the sink alone
        (the rig's own cost per message)."""
        return self.mta.cpu if self.mta else self.sinks[domain].cpu


def _failed(reason, skipped=False):
    return {"ok": False, "reason": reason, "skipped": skipped}


def _tail(path, n=160):
    try:
        return open(path, errors="replace").read()[-n:].strip().replace("\n", " | ")
    except OSError:
        return ""


def _settled_count(sink, limit):
    """The sink's count once it has not moved for 0.3 s (at most `limit` s): late arrivals from an earlier,
    failed run must not be credited to this one."""
    count, since, deadline = sink.count(), time.monotonic(), time.monotonic() + limit
    while time.monotonic() - since < 0.3 and time.monotonic() < deadline:
        time.sleep(0.05)
        now = sink.count()
        if now != count:
            count, since = now, time.monotonic()
    return count


def _settled_cpu(cpu, limit=3.0):
    """CPU seconds of a process tree once it has gone quiet (under a fifth of a core over 0.1 s; at most `limit`
    s): the work after the last arrival (removal records, queue-file unlinks, the last QUIT) belongs to the run."""
    before, deadline = cpu(), time.monotonic() + limit
    while time.monotonic() < deadline:
        time.sleep(0.1)
        now = cpu()
        if now - before < 0.02:
            return now
        before = now
    return before


JIT_SETTLED = 0.05  # a warm-up ends after a pass whose JIT compiler threads took under this share of the JVM's CPU


def warm_up(target, domain_for, n, sessions, max_passes, pid, stall, limit, work, ran=None, passed=None):
    """Warm-up passes into target, each n x 1 KiB then n/10 x 32 KiB over `sessions` sessions: for a JVM (`pid`)
    until a pass's JIT compiler threads took under JIT_SETTLED of its CPU, at most max_passes (a fresh JVM's first
    ~100,000 messages measure its compiler, issue #17); without a pid (Postfix compiles nothing) one pass.
    ran(pass, size, count, result) hears of every run, passed(pass, share) of every JVM pass' JIT share.
    Returns (passes run, the last JIT share or None)."""
    share = None
    for rnd in range(1, (max_passes if pid else 1) + 1):
        if pid:
            jit0, cpu0 = procs.jit_cpu(pid), procs.cpu_seconds(pid)
        for size, count in ((1024, n), (32 * 1024, max(1, n // 10))):
            r = throughput(target, domain_for(size), size, sessions, count, stall, limit, work)
            if ran:
                ran(rnd, size, count, r)
        if not pid:
            break
        share = (procs.jit_cpu(pid) - jit0) / max(1e-9, procs.cpu_seconds(pid) - cpu0)
        if passed:
            passed(rnd, share)
        if share < JIT_SETTLED:
            break
    return rnd, share


def throughput(target, domain, size, sessions, messages, stall, limit, work, sampler=None):
    """smtp-source -d into the target. relay: first send until the sink counted every message ("rate");
    durable accept: first send until smtp-source exited, every message having had its 250 ("accept_rate");
    CPU per message of the target's process tree, in µs ("cpu_us": the MTA's, or the sink's for the ceiling).
    sampler: anything with start() and stop() -> dict, started before the first send and stopped once the CPU
    has settled after the last arrival; what stop() returns is merged into the result (e.g. syscall counts)."""
    if not target.ready():
        return _failed(target.why_not, skipped=True)
    sink = target.sink(domain)
    base = _settled_count(sink, stall)
    err = os.path.join(work, "smtp-source.err")
    argv = ["smtp-source", "-d", "-s", str(sessions), "-m", str(messages), "-l", str(size),
            "-f", SENDER, "-t", "u@" + domain, "127.0.0.1:%d" % target.port(domain)]
    cpu = target.cpu_meter(domain)
    _settled_cpu(cpu)  # the previous case's tail is not this one's
    if sampler:
        try:
            sampler.start()
        except RuntimeError as e:
            return _failed("harness: %s" % e)
    exited = []  # (exit code, monotonic time), set by the waiter the moment smtp-source exits
    src, extra = None, {}
    try:
        cpu0 = cpu()
        with open(err, "wb") as errf:
            t0 = time.monotonic()
            src = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=errf, stdin=subprocess.DEVNULL)
        waiter = threading.Thread(target=lambda: exited.append((src.wait(), time.monotonic())), daemon=True)
        waiter.start()
        last, last_change = 0, t0
        while True:
            now = time.monotonic()
            got = sink.count() - base
            if got >= messages:
                elapsed = now - t0
                break
            if got != last:
                last, last_change = got, now
            if now - t0 > limit:
                return _failed("timeout after %d s, %d/%d delivered" % (limit, got, messages))
            if exited and now - max(last_change, exited[0][1]) > stall:
                what = "no delivery" if got == 0 else "delivered %d/%d" % (got, messages)
                if exited[0][0] != 0:
                    what += "; smtp-source exit %d: %s" % (exited[0][0], _tail(err))
                return _failed(what)
            time.sleep(0.01)
        waiter.join(stall)  # every message arrived; smtp-source may still be waiting for its last 250 or QUIT
        cpu1 = _settled_cpu(cpu)
    finally:
        if sampler:
            extra = sampler.stop() or {}
        if src is not None and src.poll() is None:
            try:
                src.wait(10)
            except subprocess.TimeoutExpired:
                src.kill()
                src.wait(5)
    out = {"ok": True, "seconds": elapsed, "rate": messages / elapsed, "cpu_us": (cpu1 - cpu0) * 1e6 / messages}
    if exited and exited[0][0] == 0:
        out.update(accept_seconds=exited[0][1] - t0, accept_rate=messages / (exited[0][1] - t0))
    else:
        out["accept_reason"] = ("smtp-source exit %d: %s" % (exited[0][0], _tail(err)) if exited
                                else "smtp-source still running %d s after the last arrival" % stall)
    out.update(extra)
    return out


class SyncCounts:
    """A throughput() sampler: a counter of the sync calls of an MTA's process tree (procs.SyscallCounter, or
    procs.SyncTracepoints) running from before the first send until the tree went quiet after the last arrival."""

    def __init__(self, counter, messages):
        self.counter, self.messages = counter, messages

    def start(self):
        self.counter.start()

    def stop(self):
        counted = self.counter.stop()
        if counted is None:
            return {"ok": False, "reason": "%s counted nothing usable (see %s)" % (self.counter.tool, self.counter.log)}
        calls, files = counted
        return {"syncs": calls, "sync_files": files, "fsyncs_per_msg": sum(calls.values()) / self.messages}


def fsyncs(target, domain, messages, stall, limit, work):
    """1 KiB messages over one session (smtp-source -d -s 1), twice: first counting every sync call of the MTA's
    whole process tree with perf's tracepoints (procs.SyncTracepoints: no ptrace, the MTA at its own speed; "perf"
    keys), then with strace attached (procs.SyscallCounter: by call and by file). Result: the strace run's
    ("syncs", "sync_files", "fsyncs_per_msg"; its rates are slowed by strace, each traced thread stopping at every
    system call) and the perf run's as "perf_fsyncs_per_msg", "perf_syncs", "perf_rate" (or "perf_reason")."""
    if not target.ready() or target.mta is None:
        return _failed(target.why_not or "no MTA", skipped=True)
    runs = []
    for kind in (procs.SyncTracepoints, procs.SyscallCounter):
        counter = kind(work, "%s-%s" % ("perf" if kind is procs.SyncTracepoints else "strace", target.name.lower()),
                       target.mta.pids())
        try:
            runs.append(throughput(target, domain, 1024, 1, messages, stall, limit, work, SyncCounts(counter, messages)))
        finally:
            counter.stop()  # a no-op after throughput()'s own stop: no tracer ever stays attached
    perf, r = runs
    if perf["ok"]:
        r.update(perf_fsyncs_per_msg=perf["fsyncs_per_msg"], perf_syncs=perf["syncs"], perf_rate=perf["rate"])
    else:
        r["perf_reason"] = perf.get("reason", "?")
    return r


def _percentile(sorted_values, p):
    """Nearest-rank percentile. The rank is rounded before its ceiling: 99.9 / 100 * 2000 is 1998.0000000000002 in
    floating point, whose ceiling would be the 1999th value."""
    return sorted_values[max(0, math.ceil(round(p / 100 * len(sorted_values), 6)) - 1)]


def latency(target, rate, seconds, stall):
    """Stamped messages at a fixed rate; send stamp -> arrival at the sink, per message."""
    if not target.ready():
        return _failed(target.why_not, skipped=True)
    domain = "py.test"
    sink = target.sink(domain)
    sink.reset_latencies()
    tag = uuid.uuid4().hex[:8]
    try:
        accepted, errors, late = load.stamped(target.port(domain), "u@" + domain, rate, seconds, tag)
    except (OSError, ConnectionError, TimeoutError) as e:
        return _failed("sender could not start: %s" % (str(e) or type(e).__name__))
    want = set(accepted)
    seen, last, last_change = {}, -1, time.monotonic()
    deadline = time.monotonic() + stall * 4
    while time.monotonic() < deadline:
        seen = {i: ns for i, ns in sink.latencies() if i in want}
        if len(seen) >= len(want):
            break
        if len(seen) != last:
            last, last_change = len(seen), time.monotonic()
        if time.monotonic() - last_change > stall:
            break
        time.sleep(0.1)
    sent = int(rate * seconds)
    if not seen:
        return _failed("no delivery (%d/%d accepted%s)" % (len(accepted), sent,
                                                          "; " + errors[0] if errors else ""))
    ms = sorted(ns / 1e6 for ns in seen.values())
    out = {"ok": len(seen) == sent, "reason": "arrived %d/%d" % (len(seen), sent) if len(seen) < sent else "",
           "arrived": len(seen), "sent": sent, "late": max(0.0, late), "max": ms[-1], "hist": histogram(ms)}
    out.update(("p%s" % str(q).replace(".", "_"), _percentile(ms, q)) for q in LATENCY_PERCENTILES)
    return out


# Latency percentiles reported (nearest rank; keys p50, p90, p99, p99_9) and histogram bucket bounds, ms
LATENCY_PERCENTILES = (50, 90, 99, 99.9)
LATENCY_BUCKETS_MS = (0.5, 1, 2, 5, 10, 20, 50, 100)


def histogram(values, bounds=LATENCY_BUCKETS_MS):
    """Counts of values in (previous bound, bound] for each bound, and a last count above the last bound."""
    counts = [0] * (len(bounds) + 1)
    for v in values:
        counts[bisect.bisect_left(bounds, v)] += 1
    return counts


def concurrency(target, sessions, open_timeout, overall):
    """Hold `sessions` idle sessions after EHLO; measure the MTA's memory and a new client's transaction."""
    if not target.ready():
        return _failed(target.why_not, skipped=True)
    mta = target.mta
    try:
        mta.recycle()
    except RuntimeError as e:
        return _failed(str(e))

    def measure():
        rss, pss = mta.memory()
        procs = len(mta.pids())
        ok, secs, detail = load.probe(mta.port, "u@py.test")
        return rss, pss, procs, ok, secs, detail

    held, errors, open_s, (rss, pss, procs, ok, secs, detail) = load.crowd(mta.port, sessions, measure,
                                                                            open_timeout, overall=overall)
    try:
        mta.recycle()
    except RuntimeError as e:
        detail += "; afterwards: %s" % e
    result = {"ok": held == sessions and ok, "held": held, "open_s": open_s, "rss": rss, "pss": pss,
              "procs": procs, "probe_ok": ok, "probe_ms": secs * 1000, "probe": detail}
    if not result["ok"]:
        result["reason"] = "; ".join(x for x in (
            "held %d/%d%s" % (held, sessions, " (" + errors[0] + ")" if errors else "") if held < sessions else "",
            "new client: " + detail if not ok else "") if x)
    return result


class PeakRss:
    """Samples the summed VmRSS of an MTA's processes every 50 ms while a transfer runs."""

    def __init__(self, mta):
        self.mta, self.peak, self._stop = mta, 0.0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        deadline = time.monotonic() + 900
        while not self._stop.is_set() and time.monotonic() < deadline:
            self.peak = max(self.peak, self.mta.memory(with_pss=False)[0])
            self._stop.wait(0.05)

    def start(self):
        self._thread.start()

    def stop(self):
        self._stop.set()
        self._thread.join(5)


def big_message(target, domain, size, stall, limit, work):
    sampler = PeakRss(target.mta) if target.mta and target.ready() else None
    r = throughput(target, domain, size, 1, 1, stall, limit, work, sampler)
    if sampler and r["ok"]:
        r["peak_rss"] = sampler.peak
    return r


def submission(target, port, login, resume, messages, threads, stall, limit):
    """Connection-per-message submission (benchmarks/submit.py): each message its own session with STARTTLS,
    AUTH PLAIN when `login` is (user, password), one 1 KiB message, QUIT; `resume` offers each client thread's
    last TLS session. Elapsed = first connect until the sink counted every message. Also the MTA's CPU per
    message (its process tree; Postfix's includes the Dovecot that checks its passwords)."""
    if not target.ready() or port is None:
        return _failed(target.why_not or "no submission service", skipped=True)
    domain = "fast.test"
    sink = target.sink(domain)
    base = _settled_count(sink, stall)
    cpu0, t0 = target.mta.cpu(), time.monotonic()
    user, password = login if login else (None, None)
    r = submit.run(port, messages, threads, user, password, resume, rcpt="u@" + domain,
                   sender=procs.SUBMISSION_USER, deadline_s=limit)
    got = sink.count() - base
    last, last_change = got, time.monotonic()
    while got < r["sent"] and time.monotonic() - last_change < stall:
        time.sleep(0.01)
        got = sink.count() - base
        if got != last:
            last, last_change = got, time.monotonic()
    elapsed = time.monotonic() - t0
    cpu = target.mta.cpu() - cpu0
    out = {"ok": r["ok"] and got >= messages, "rate": got / elapsed, "p50": r["p50"], "p99": r["p99"],
           "login_p50": r["login_p50"], "login_p99": r["login_p99"], "resumed": r["resumed"], "sent": r["sent"],
           "cpu_ms": cpu * 1000 / max(1, got)}
    if not out["ok"]:
        out["reason"] = "delivered %d/%d%s" % (got, messages, "; " + r["errors"][0] if r["errors"] else "")
    return {k: v for k, v in out.items() if v is not None}
