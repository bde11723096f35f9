"""The wan scenario: relay to a site across a long link with few connections, the case of a big sender whose
provider caps its connections. Each MTA relays MESSAGES 1 KiB messages to one destination whose sink
(benchmarks/sink.py) sits behind benchmarks/link.py (RTT ms round trip) and may open at most CONNECTIONS
connections to it (Postfix: default_destination_concurrency_limit and initial_destination_concurrency; Hermod:
delivery.maxConnectionsPerDestination). The messages are injected first (8 sessions, pipelined, as fast as the MTA
accepts); the relay rate is the messages over the time from the first injection to the last arrival. With round
trips this long the rate is set by round trips per message and connection, not by CPU. Every wait has a deadline;
nothing asserts timing. See benchmarks/README.md "Across a long link"."""
import datetime
import json
import os
import time

import load
import procs

DOMAIN = "far.test"
QUICK = dict(messages=600, rtt_ms=40, connections=2, limit=120)
FULL = dict(messages=2000, rtt_ms=40, connections=2, limit=300)


def log(msg):
    print("[wan %s] %s" % (time.strftime("%H:%M:%S"), msg), flush=True)


class Link:
    """benchmarks/link.py as a tracked process: 127.0.0.1:port -> 127.0.0.1:target, delay_ms each way."""

    def __init__(self, work, name, here, target, delay_ms):
        self.port = procs.free_port()
        self.p = procs.Tracked(work, name, [procs.PY, os.path.join(here, "link.py"), "--port", str(self.port),
                                            "--to", str(target), "--delay-ms", str(delay_ms)],
                               os.path.join(work, name + ".log"))
        if not procs.wait_port(self.port, 10, self.p.alive):
            raise RuntimeError("link.py did not start, see %s/%s.log" % (work, name))

    def stop(self):
        self.p.stop()


def start_mta(kind, work, jar, port, p):
    c = p["connections"]
    if kind == "Postfix":
        return procs.Postfix(work, {DOMAIN: port}, None, 100, extra={
            "default_destination_concurrency_limit": str(c), "initial_destination_concurrency": str(c)})
    mta = procs.Hermod(work, jar, {DOMAIN: port}, None, name="wan-hermod", extra={
        "delivery": {"instances": 2, "maxConnectionsPerDestination": c}})
    if mta.error:
        raise RuntimeError("Hermod did not start: " + mta.error)
    return mta


def relay(kind, work, jar, here, p):
    """One MTA: its own sink behind its own link; returns the figures of its run."""
    sink = procs.PySink(work, "wan-sink-" + kind.lower(), here)
    link = mta = None
    try:
        link = Link(work, "wan-link-" + kind.lower(), here, sink.port, p["rtt_ms"] / 2.0)
        mta = start_mta(kind, work, jar, link.port, p)
        n = p["messages"]
        t0 = time.monotonic()
        accepted, errors, inject_s = load.inject(mta.port, ["r%d@%s" % (i, DOMAIN) for i in range(n)], sessions=8,
                                                 overall=p["limit"])
        deadline = t0 + p["limit"]
        got = sink.count()
        while got < accepted and time.monotonic() < deadline:
            time.sleep(0.1)
            got = sink.count()
        elapsed = time.monotonic() - t0
        out = {"ok": got >= n, "accepted": accepted, "arrived": got, "seconds": elapsed, "inject_s": inject_s,
               "rate": got / elapsed, "per_connection": got / elapsed / p["connections"]}
        if errors:
            out["errors"] = errors[:3]
        if got < n:
            out["reason"] = "arrived %d/%d in %d s" % (got, n, p["limit"])
        log("%s: %d/%d arrived in %.1f s: %.1f msgs/s, %.1f per connection" % (
            kind, got, n, elapsed, out["rate"], out["per_connection"]))
        return out
    finally:
        for x in (mta, link, sink):
            if x is not None:
                x.stop()


def run(work, jar, here, quick, overrides, note=""):
    p = dict(QUICK if quick else FULL)
    p.update({k: v for k, v in (overrides or {}).items() if v})
    results = {}
    for kind in ("Hermod", "Postfix"):
        try:
            results[kind] = relay(kind, work, jar, here, p)
        except (OSError, RuntimeError) as e:
            log("%s failed: %s" % (kind, e))
            results[kind] = {"ok": False, "reason": str(e)}
    return p, results


def markdown(facts, p, res):
    h, pf = res.get("Hermod", {}), res.get("Postfix", {})
    ratio = "%.2fx" % (h["rate"] / pf["rate"]) if h.get("rate") and pf.get("rate") else "–"
    md = ["# Across a long link: relay with %d connections at %d ms round trip\n" % (p["connections"], p["rtt_ms"]),
          "%d messages of 1 KiB to one destination behind benchmarks/link.py (%d ms each way), at most %d connections "
          "to it, injected first over 8 sessions; relay rate = messages / (first injection -> last arrival). "
          "benchmarks/README.md, \"Across a long link\".\n" % (p["messages"], p["rtt_ms"] // 2, p["connections"]),
          "## Machine\n", "| fact | value |", "|---|---|"]
    md += ["| %s | %s |" % (k, str(v).replace("|", "/")) for k, v in facts.items()]
    md += ["\n## Result\n", "| | Hermod | Postfix | Hermod / Postfix |", "|---|---|---|---|"]

    def cell(r, key, fmt):
        return fmt % r[key] if key in r else "FAILED(%s)" % r.get("reason", "?")

    md.append("| relay msgs/s | %s | %s | %s |" % (cell(h, "rate", "%.1f"), cell(pf, "rate", "%.1f"), ratio))
    md.append("| per connection, msgs/s | %s | %s | |" % (cell(h, "per_connection", "%.1f"),
                                                         cell(pf, "per_connection", "%.1f")))
    md.append("| round trips per message and connection (RTT / (per-connection rate)^-1) | %s | %s | |" % tuple(
        "%.2f" % (1000.0 / r["per_connection"] / p["rtt_ms"]) if r.get("per_connection") else "–" for r in (h, pf)))
    md.append("| arrived / accepted | %s | %s | |" % tuple(
        "%d / %d" % (r["arrived"], r["accepted"]) if "arrived" in r else "–" for r in (h, pf)))
    return "\n".join(md) + "\n"


def write(results_dir, facts, p, res, quick):
    stamp = datetime.datetime.now().strftime("%Y-%m-%d-%H%M%S")
    path = os.path.join(results_dir, "results-%s-wan.md" % stamp)
    md = markdown(facts, p, res)
    for target in (path, os.path.join(results_dir, "latest-wan.md")):
        with open(target, "w") as f:
            f.write(md)
    with open(path[:-3] + ".json", "w") as f:
        json.dump({"tag": "wan", "facts": facts, "params": p, "results": res, "quick": quick}, f, indent=1)
    return path
