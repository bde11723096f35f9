"""The sustained scenario (issue #20): offered load above the relay capacity for a long time, Hermod with flow
control, Postfix (with its in_flow_delay, 1 s by default) and Hermod without flow control, one after the other in
the same run. Each MTA relays to its own slowsink.py, which answers every end of data DELAY ms late; with the
MTA's outbound connections capped at CONNECTIONS (the same cap for both), the relay capacity is about
CONNECTIONS * 1000 / DELAY messages a second. SESSIONS closed-loop client sessions (load.py's stamped 1 KiB
messages) send as fast as each MTA accepts for SECONDS. Every SAMPLE seconds: accepted and delivered msgs/s,
the queue (accepted minus delivered), end-to-end latency p50/p99 of the messages that arrived in the interval
(send stamp before MAIL FROM -> arrival at the sink), the MTA's memory (PSS of its processes) and, for Hermod,
its flow-control gauges. Everything on 127.0.0.1, free ports, every process stopped by PID (procs.Tracked)."""
import asyncio
import datetime
import json
import os
import statistics
import threading
import time
import uuid

import load
import procs

DOMAIN = "slow.test"
CONNECTIONS = 8        # outbound connections to the slow sink, both MTAs
DELAY_MS = 20          # per message and connection: capacity about 8 * 1000 / 20 = 400 msgs/s
SESSIONS = 32          # offered load: closed-loop client sessions, each as fast as the MTA accepts
REPLY_TIMEOUT = 60     # a client's wait for any reply (flow delays are at most 1 s on both MTAs)


def log(msg):
    print("[sustained %s] %s" % (time.strftime("%H:%M:%S"), msg), flush=True)


class SlowSink:
    """benchmarks/slowsink.py as a tracked process."""

    def __init__(self, work, name, here, delay_ms):
        self.port, self.status = procs.free_port(), procs.free_port()
        self.p = procs.Tracked(work, name, [procs.PY, os.path.join(here, "slowsink.py"), "--port", str(self.port),
                                            "--status-port", str(self.status), "--delay-ms", str(delay_ms)],
                               os.path.join(work, name + ".log"))
        if not (procs.wait_port(self.port, 10, self.p.alive) and procs.wait_port(self.status, 10, self.p.alive)):
            raise RuntimeError("slowsink.py did not start, see %s/%s.log" % (work, name))

    def count(self):
        return int(procs.ask(self.status, "COUNT").split()[0])

    def window(self):
        return json.loads(procs.ask(self.status, "WINDOW"))

    def stop(self):
        self.p.stop()


class Offer:
    """SESSIONS closed-loop sessions in a thread of their own: each sends stamped messages one after the other
    until told to stop; a session that fails is counted and opened again after a pause."""

    def __init__(self, port, sessions):
        self.port, self.sessions = port, sessions
        self.accepted, self.errors, self.last_error = 0, 0, ""
        self._stop = threading.Event()
        self._thread = threading.Thread(target=lambda: asyncio.run(self._run()), daemon=True)

    async def _worker(self, tag):
        while not self._stop.is_set():
            writer = None
            try:
                reader, writer = await load._session(self.port, REPLY_TIMEOUT)
                while not self._stop.is_set():
                    await load._send_stamped(reader, writer, "u@" + DOMAIN, tag, REPLY_TIMEOUT)
                    self.accepted += 1
                writer.write(b"QUIT\r\n")
            except (OSError, ConnectionError, asyncio.TimeoutError) as e:
                self.errors += 1
                self.last_error = str(e) or type(e).__name__
                await asyncio.sleep(0.5)
            finally:
                if writer:
                    writer.close()

    async def _run(self):
        tag = uuid.uuid4().hex[:8]
        await asyncio.gather(*(self._worker(tag) for _ in range(self.sessions)))

    def start(self):
        self._thread.start()

    def stop(self):
        self._stop.set()
        self._thread.join(REPLY_TIMEOUT + 10)


def _pct(values, p):
    if not values:
        return None
    s = sorted(values)
    return s[max(0, -(-p * len(s) // 100) - 1)]


def run_one(label, mta, sink, seconds, sample, drain):
    """Load for `seconds`, then up to `drain` seconds for the queue to empty; one row per sample."""
    rows, offer = [], Offer(mta.port, SESSIONS)
    sink.window()
    t0 = time.monotonic()
    offer.start()
    prev_acc, prev_del, prev_t = 0, 0, t0
    end, deadline = t0 + seconds, t0 + seconds + drain
    stopped = False
    while True:
        time.sleep(max(0.0, min(sample, deadline - time.monotonic())))
        now = time.monotonic()
        if not stopped and now >= end:
            offer.stop()
            stopped = True
        delivered, lat = sink.count(), sink.window()
        rss, pss = mta.memory()
        row = {"t": round(now - t0, 1), "load": not stopped or now < end + sample / 2,
               "accepted_rate": (offer.accepted - prev_acc) / (now - prev_t),
               "delivered_rate": (delivered - prev_del) / (now - prev_t),
               "queued": offer.accepted - delivered, "p50_ms": _pct([ns / 1e6 for ns in lat], 50),
               "p99_ms": _pct([ns / 1e6 for ns in lat], 99), "arrived": len(lat), "pss_mib": pss, "rss_mib": rss}
        if isinstance(mta, procs.Hermod):
            m = mta.metrics()
            row["flow_backlog"] = procs.metric_sum(m, "hermod_flow_backlog")
            row["flow_delay_ms"] = procs.metric_sum(m, "hermod_flow_delay_seconds") * 1000
            row["active"] = procs.metric_sum(m, "hermod_queue_active")
        rows.append(row)
        log("%s t=%5.0fs accepted %6.0f/s delivered %6.0f/s queued %7d p50 %s p99 %s PSS %.0f MiB%s" % (
            label, row["t"], row["accepted_rate"], row["delivered_rate"], row["queued"],
            _ms(row["p50_ms"]), _ms(row["p99_ms"]), pss,
            " backlog %d delay %.0f ms" % (row["flow_backlog"], row["flow_delay_ms"]) if "flow_backlog" in row else ""))
        prev_acc, prev_del, prev_t = offer.accepted, delivered, now
        if stopped and (delivered >= offer.accepted or now >= deadline):
            break
    return {"rows": rows, "accepted": offer.accepted, "delivered": sink.count(), "errors": offer.errors,
            "last_error": offer.last_error, "seconds": seconds}


def _ms(v):
    return "–" if v is None else "%.0f ms" % v


def summary(r, warmup):
    """Figures over the load period after `warmup` seconds: the steady state."""
    steady = [x for x in r["rows"] if x["load"] and x["t"] > warmup] or [x for x in r["rows"] if x["load"]]
    if not steady:
        return {}
    first, last = steady[0], steady[-1]
    span = max(1e-9, last["t"] - first["t"])
    return {"delivered_rate": statistics.mean(x["delivered_rate"] for x in steady),
            "accepted_rate": statistics.mean(x["accepted_rate"] for x in steady),
            "queued_first": first["queued"], "queued_last": last["queued"],
            "queue_growth_per_min": (last["queued"] - first["queued"]) / span * 60,
            "p50_first": first["p50_ms"], "p50_last": last["p50_ms"],
            "p99_first": first["p99_ms"], "p99_last": last["p99_ms"],
            "pss_first": first["pss_mib"], "pss_last": last["pss_mib"]}


def _f(v, fmt="%.0f"):
    return "–" if v is None else fmt % v


def markdown(facts, params, results):
    md = ["# Sustained load: intake follows delivery (issue #20)\n",
          "Offered load above the relay capacity for %d s per MTA (warm-up excluded from the summary: the first %d s). "
          "%d closed-loop client sessions send stamped 1 KiB messages as fast as each MTA accepts; each MTA relays to "
          "its own slow sink (%d ms per message and connection) over at most %d connections: a relay capacity of "
          "about %d msgs/s. benchmarks/README.md, \"Sustained load\".\n" % (
              params["seconds"], params["warmup"], SESSIONS, DELAY_MS, CONNECTIONS, CONNECTIONS * 1000 // DELAY_MS),
          "## Machine\n", "| fact | value |", "|---|---|"]
    md += ["| %s | %s |" % (k, str(v).replace("|", "/")) for k, v in facts.items()]
    md += ["\n## Summary (steady state: after the warm-up, while the load runs)\n",
           "| | " + " | ".join(results) + " |", "|---|" + "---|" * len(results)]
    sums = {k: summary(v, params["warmup"]) if "rows" in v else {} for k, v in results.items()}
    for key, name, fmt in (("delivered_rate", "delivered msgs/s (sustainable relay rate)", "%.0f"),
                           ("accepted_rate", "accepted msgs/s", "%.0f"),
                           ("queue_growth_per_min", "queue growth, messages a minute", "%+.0f"),
                           ("queued_first", "queued at the start of the steady state", "%.0f"),
                           ("queued_last", "queued at the end of the load", "%.0f"),
                           ("p50_first", "latency p50 at the start, ms", "%.0f"),
                           ("p50_last", "latency p50 at the end, ms", "%.0f"),
                           ("p99_first", "latency p99 at the start, ms", "%.0f"),
                           ("p99_last", "latency p99 at the end, ms", "%.0f"),
                           ("pss_first", "memory (PSS) at the start, MiB", "%.0f"),
                           ("pss_last", "memory (PSS) at the end, MiB", "%.0f")):
        md.append("| %s | %s |" % (name, " | ".join(_f(sums[k].get(key), fmt) for k in results)))
    md.append("| accepted / delivered in all | %s |" % " | ".join(
        "%d / %d" % (v["accepted"], v["delivered"]) if "rows" in v else "FAILED(%s)" % v.get("reason")
        for v in results.values()))
    md.append("| client errors | %s |" % " | ".join(
        "%d%s" % (v["errors"], " (" + v["last_error"] + ")" if v["errors"] else "") if "rows" in v else "–"
        for v in results.values()))
    for name, r in results.items():
        if "rows" not in r:
            continue
        hermod = any("flow_backlog" in x for x in r["rows"])
        md += ["\n## %s over time\n" % name,
               "| t (s) | accepted/s | delivered/s | queued | p50 ms | p99 ms | PSS MiB |"
               + (" flow backlog | flow delay ms | active |" if hermod else ""),
               "|---|---|---|---|---|---|---|" + ("---|---|---|" if hermod else "")]
        for x in r["rows"]:
            md.append("| %.0f%s | %.0f | %.0f | %d | %s | %s | %.0f |%s" % (
                x["t"], "" if x["load"] else " (drain)", x["accepted_rate"], x["delivered_rate"], x["queued"],
                _f(x["p50_ms"]), _f(x["p99_ms"]), x["pss_mib"],
                " %d | %.0f | %d |" % (x["flow_backlog"], x["flow_delay_ms"], x["active"]) if hermod else ""))
    return "\n".join(md) + "\n"


def run(work, jar, here, results_dir, seconds, facts, sample=5, which=("hermod", "postfix", "hermod-noflow")):
    """The three columns one after the other; writes results-<date>-sustained.md/.json and latest-sustained.md."""
    warmup = min(60, seconds // 3)
    drain = max(30, seconds // 2)
    params = {"seconds": seconds, "warmup": warmup, "sample": sample, "drain": drain, "sessions": SESSIONS,
              "connections": CONNECTIONS, "delay_ms": DELAY_MS}
    results = {}
    columns = {"hermod": "Hermod (flow control)", "postfix": "Postfix (in_flow_delay 1s)",
               "hermod-noflow": "Hermod (flow.enabled false)"}
    for key in which:
        name = columns[key]
        sink = SlowSink(work, "sustained-sink-" + key, here, DELAY_MS)
        mta = None
        try:
            if key == "postfix":
                mta = procs.Postfix(work, {DOMAIN: sink.port}, None, 400, extra={
                    "in_flow_delay": "1s",  # Postfix's default (the other scenarios turn it off)
                    "default_destination_concurrency_limit": str(CONNECTIONS),
                    "initial_destination_concurrency": str(CONNECTIONS)})
                facts["postfix (sustained)"] = ("in_flow_delay=1s, default_destination_concurrency_limit=%d, "
                                                "initial_destination_concurrency=%d" % (CONNECTIONS, CONNECTIONS))
            else:
                mta = procs.Hermod(work, jar, {DOMAIN: sink.port}, None, name=key, extra={
                    "delivery": {"instances": 2, "maxConnections": CONNECTIONS,
                                 "maxConnectionsPerDestination": CONNECTIONS, "maxMessagesPerConnection": 1000},
                    "flow": {"enabled": key == "hermod"}})
                if mta.error:
                    raise RuntimeError("Hermod did not start: " + mta.error)
                facts["hermod (sustained)"] = ("delivery.maxConnections=%d (per destination too), 2 delivery and 2 "
                                               "listener instances, flow.* defaults" % CONNECTIONS)
            log("%s: %d s of load" % (name, seconds))
            results[name] = run_one(name, mta, sink, seconds, sample, drain)
        except (OSError, RuntimeError) as e:
            log("%s failed: %s" % (name, e))
            results[name] = {"reason": str(e)}
        finally:
            if mta is not None:
                mta.stop()
            sink.stop()
    stamp = datetime.datetime.now().strftime("%Y-%m-%d-%H%M%S")
    md = markdown(facts, params, results)
    path = os.path.join(results_dir, "results-%s-sustained.md" % stamp)
    for p in (path, os.path.join(results_dir, "latest-sustained.md")):
        with open(p, "w") as f:
            f.write(md)
    with open(path[:-3] + ".json", "w") as f:
        json.dump({"facts": facts, "params": params, "results": results}, f, indent=1)
    return path
