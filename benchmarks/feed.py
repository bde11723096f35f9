"""The event-feed scenario (issue #19, README "Your application and Hermod"): Hermod relays at full rate
(smtp-source -> Hermod -> smtp-sink, as the throughput scenario) while an application's EventFeed subscription in
Hermod's JVM (benchmarks/FeedConsumer.java) reads every delivery event from the durable feed. Reports the relay
rate, the feed's throughput, and its lag (the consumer's clock minus the event's outcome time): p50/p99/max.
Goal: lag < 1 s at full rate. Every wait has a deadline; nothing asserts timing. See benchmarks/README.md."""
import json
import os
import subprocess
import time

import procs

SENDER = "s@x.test"
QUICK = dict(messages=4000, sessions=32, size=1024, limit=180, rounds=1)
FULL = dict(messages=10000, sessions=32, size=1024, limit=600, rounds=3)


def log(msg):
    print("[feed %s] %s" % (time.strftime("%H:%M:%S"), msg), flush=True)


def _stats(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return {}


MODES = (("none", "no subscription (baseline)"), ("fast", "consumer keeping up"),
         ("slow", "slow consumer (100 events/s)"))


def run(work, jar, here, quick, overrides, note=""):
    """Each mode on a fresh Hermod and spool, one after the other: the same relay load, with no subscription, a
    consumer that keeps up, and one that cannot (it must not slow the relay). Several rounds rotate the order (the
    machine's noise hits every mode alike); each number is the median over the rounds."""
    p = dict(QUICK if quick else FULL)
    p.update({k: v for k, v in (overrides or {}).items() if v})
    runs = {mode: [] for mode, _ in MODES}
    modes = [mode for mode, _ in MODES]
    for r in range(p["rounds"]):
        for mode in modes[r % len(modes):] + modes[:r % len(modes)]:
            runs[mode].append(run_mode(work, jar, here, p, mode))
    return p, {mode: median_of(results) for mode, results in runs.items()}


def median_of(results):
    """Per key, the median of the rounds' numbers (the lower middle one); an error of any round is kept."""
    out = {}
    for key in {k for r in results for k in r}:
        values = sorted(r[key] for r in results if isinstance(r.get(key), (int, float)))
        if values:
            out[key] = values[(len(values) - 1) // 2]
        elif any(key in r for r in results):
            out[key] = "; ".join(str(r[key]) for r in results if key in r)
    out["rounds"] = len(results)
    out["relay_per_round"] = ", ".join(str(r.get("relay_msgs_s")) for r in results)
    if any("lag_p99_ms" in r for r in results):
        out["lag_p99_per_round"] = ", ".join(str(r.get("lag_p99_ms")) for r in results)
    return out


def run_mode(work, jar, here, p, mode):
    res = {}
    started = []
    stats = os.path.join(work, "feed-stats-%s.json" % mode)
    if os.path.exists(stats):
        os.remove(stats)
    try:
        sink = procs.SmtpSink(work, "feed-sink")
        started.append(sink)
        hermod = procs.Hermod(work, jar, {"fast.test": sink.port}, None, name="hermod-feed-" + mode,
                              program=(os.path.join(here, "FeedConsumer.java"), stats, mode))
        if hermod.error:
            res["error"] = hermod.error
            return res
        started.append(hermod)
        deadline = time.monotonic() + 30
        while not os.path.exists(stats) and time.monotonic() < deadline:
            time.sleep(0.1)  # the consumer writes its first stats a second after it subscribed
        n = p["messages"]
        argv = ["smtp-source", "-d", "-s", str(p["sessions"]), "-m", str(n), "-l", str(p["size"]),
                "-f", SENDER, "-t", "u@fast.test", "127.0.0.1:%d" % hermod.port]
        log("%s: relaying %d messages of %d bytes over %d sessions" % (mode, n, p["size"], p["sessions"]))
        t0 = time.monotonic()
        with open(os.path.join(work, "feed-smtp-source.err"), "wb") as err:
            src = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=err, stdin=subprocess.DEVNULL)
        relayed_at = None
        deadline = t0 + p["limit"]
        while time.monotonic() < deadline:
            if relayed_at is None and sink.count() >= n:
                relayed_at = time.monotonic()
            # The slow consumer cannot keep up by design: its numbers are taken when the relay is done.
            if relayed_at is not None and (mode != "fast" or _stats(stats).get("events", 0) >= n):
                break
            time.sleep(0.05)
        fed_at = time.monotonic()
        try:
            src.wait(30)
        except subprocess.TimeoutExpired:
            src.kill()
            src.wait(5)
        time.sleep(1.2)  # one more stats write after the last event
        s = _stats(stats)
        res = {"relayed": sink.count(), "relay_seconds": round((relayed_at or fed_at) - t0, 2)}
        res["relay_msgs_s"] = round(res["relayed"] / res["relay_seconds"], 1) if res["relay_seconds"] else None
        if mode != "none":
            res.update({"events": s.get("events", 0), "duplicates": s.get("duplicates", 0),
                        "batches": s.get("batches", 0), "lag_p50_ms": s.get("lagP50"),
                        "lag_p99_ms": s.get("lagP99"), "lag_max_ms": s.get("lagMax"),
                        "feed_tail_seconds": round(fed_at - (relayed_at or fed_at), 2)})
            span = (s.get("lastMillis", 0) - s.get("firstMillis", 0)) / 1000.0
            res["feed_events_s"] = round(res["events"] / span, 1) if span > 0 else None
        log("%s: %s" % (mode, json.dumps(res)))
        return res
    finally:
        for proc in reversed(started):
            proc.stop()


def write(results, facts, p, res, quick):
    stamp = time.strftime("%Y-%m-%d-%H%M%S")
    md = os.path.join(results, "results-%s-feed.md" % stamp)
    lines = ["# Event feed while relaying at full rate (%s)" % ("quick" if quick else "full"), "",
             "smtp-source -d -s %(sessions)d -m %(messages)d -l %(size)d -> Hermod -> smtp-sink, with an EventFeed "
             "subscription in Hermod's JVM (benchmarks/FeedConsumer.java) reading every delivery event." % p, "",
             "| Machine | |", "|---|---|"]
    lines += ["| %s | %s |" % (k, v) for k, v in facts.items()]
    lines += ["", "| Measure | " + " | ".join(label for _, label in MODES) + " |",
              "|---|" + "---|" * len(MODES)]
    names = [("error", "error"), ("rounds", "rounds (median of)"), ("relayed", "messages at the sink"),
             ("relay_seconds", "relay time, s (start to last at the sink)"), ("relay_msgs_s", "relay rate, msgs/s"),
             ("relay_per_round", "relay rate per round (in run order), msgs/s"),
             ("events", "events at the consumer (distinct; slow: when the relay was done)"),
             ("duplicates", "duplicates at the consumer"), ("batches", "batches"),
             ("feed_events_s", "feed throughput, events/s (first to last event at the consumer)"),
             ("feed_tail_seconds", "last event at the consumer after the last message at the sink, s"),
             ("lag_p50_ms", "lag p50, ms (consumer clock - outcome timestamp)"), ("lag_p99_ms", "lag p99, ms"),
             ("lag_p99_per_round", "lag p99 per round, ms"),
             ("lag_max_ms", "lag max, ms")]
    for key, label in names:
        if any(key in res.get(mode, {}) for mode, _ in MODES):
            lines.append("| %s | %s |" % (label, " | ".join(str(res.get(mode, {}).get(key, "")) for mode, _ in MODES)))
    lines.append("")
    with open(md, "w") as f:
        f.write("\n".join(lines))
    with open(os.path.join(results, "latest-feed.md"), "w") as f:
        f.write("\n".join(lines))
    return md
