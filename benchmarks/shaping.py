"""Sending at scale (issue #12): the dead-destination and campaign scenarios, Hermod and Postfix side by side.
Each run starts its own peer (benchmarks/peer.py: simulated remote sites that count what they see) and a
fresh MTA, so every count belongs to one MTA. Every wait has a deadline; nothing asserts timing.
See benchmarks/README.md "Shaping scenarios"."""
import os
import threading
import time

import load
import procs

# Retry timing, the same for both MTAs (Postfix's defaults are 300 s; these keep a run short):
#   backoff: Postfix minimal_backoff_time (first retry of a message, and the wait before a throttled
#            destination gets its probe); Hermod delivery.retryInitialSeconds and shaping.probeSeconds.
#   scan:    Postfix queue_run_delay (how often the deferred queue is scanned); Hermod
#            delivery.scanIntervalSeconds (its retries are picked up by that scan).
QUICK = dict(dead_n=2000, mx_n=200, mx_domains=20, backoff=20, scan=10, camp_n=2000, camp_domains=100,
             dead_for=30, throttle_rate=[100, 10], slow=[1.0, 0.05], camp_limit=300, inject_sessions=8)
FULL = dict(dead_n=20000, mx_n=2000, mx_domains=20, backoff=60, scan=30, camp_n=50000, camp_domains=1000,
            dead_for=120, throttle_rate=[3000, 60], slow=[1.0, 0.05], camp_limit=900, inject_sessions=8)

SITES = ["fast", "throttle", "greylist", "slow", "dead"]  # campaign providers, on 127.0.0.11 .. 127.0.0.15


def log(msg):
    print("[shaping %s] %s" % (time.strftime("%H:%M:%S"), msg), flush=True)


class Mta:
    """One MTA under test with what the scenarios read from it: deferrals so far and its own counters."""

    def __init__(self, kind, tag, work, jar, here, p, smarthost=None, dns=None, delivery_port=None, hosts=None):
        """tag names the run's log: work/hermod-<tag>.log or work/postfix-<tag>.maillog (kept after the run)."""
        self.kind = kind
        self.log_offset, self.counts = 0, {"deferred": 0, "suspended": 0, "sent": 0}
        if kind == "Hermod":
            extra = {"delivery": {"retryInitialSeconds": p["backoff"], "scanIntervalSeconds": p["scan"]},
                     "shaping": {"probeSeconds": p["backoff"]}}
            if dns:
                extra["dns"] = {"resolvers": ["127.0.0.1:%d" % dns.port]}
            if delivery_port:
                extra["routing"] = {"deliveryPort": delivery_port}
            self.mta = procs.Hermod(work, jar, {}, smarthost, extra=extra, name="hermod-" + tag)
            self.error = self.mta.error
        else:
            maillog = os.path.join(work, "postfix-%s.maillog" % tag)
            if os.path.exists(maillog):
                os.remove(maillog)
            extra = {"minimal_backoff_time": "%ds" % p["backoff"], "queue_run_delay": "%ds" % p["scan"],
                     "maillog_file": maillog, "maillog_file_prefixes": work}
            if delivery_port:
                extra["smtp_tcp_port"] = str(delivery_port)
            self.mta = procs.Postfix(work, {}, smarthost, 200, dirname="postfix-shaping", extra=extra, hosts=hosts)
            self.maillog = maillog
            self.error = None
        self.port = self.mta.port

    def _read_maillog(self):
        try:
            with open(self.maillog, "rb") as f:
                f.seek(self.log_offset)
                chunk = f.read()
        except OSError:
            return
        end = chunk.rfind(b"\n") + 1
        self.log_offset += end
        for line in chunk[:end].split(b"\n"):
            if b"status=deferred" in line:
                self.counts["deferred"] += 1
                if b"delivery temporarily suspended" in line:
                    self.counts["suspended"] += 1
            elif b"status=sent" in line:
                self.counts["sent"] += 1

    def deferrals(self):
        """Recipient deferrals so far (every attempt, and every deferral without one)."""
        if self.kind == "Hermod":
            return int(procs.metric_sum(self.mta.metrics(), "hermod_delivery_attempts_total", outcome="deferred"))
        self._read_maillog()
        return self.counts["deferred"]

    def counters(self):
        """The MTA's own view, for the report."""
        if self.kind == "Hermod":
            m = self.mta.metrics()
            s = lambda name, **kw: int(procs.metric_sum(m, name, **kw))
            return {"deferrals": s("hermod_delivery_attempts_total", outcome="deferred"),
                    "deferred without a connection": s("hermod_shaping_refused_total"),
                    "refused (dead)": s("hermod_shaping_refused_total", reason="dead"),
                    "refused (suspended)": s("hermod_shaping_refused_total", reason="suspended"),
                    "sites died": s("hermod_shaping_sites_died_total"),
                    "suspensions": s("hermod_shaping_suspensions_total")}
        self._read_maillog()
        return {"deferrals": self.counts["deferred"],
                "deferred without a connection": self.counts["suspended"]}

    def alive(self):
        return self.mta.alive()

    def stop(self):
        self.mta.stop()


class Injector(threading.Thread):
    """load.inject in a thread, so the scenario can sample while mail goes in."""

    def __init__(self, port, recipients, sessions):
        super().__init__(daemon=True)
        self.args = (port, recipients, sessions)
        self.accepted, self.errors, self.seconds, self.done_at = 0, [], 0.0, None

    def run(self):
        try:
            self.accepted, self.errors, self.seconds = load.inject(*self.args)
        except Exception as e:  # reported, never raised in a thread
            self.errors = ["injector: %r" % e]
        self.done_at = time.monotonic()


def _count(times, start, end):
    return sum(1 for t in times if start <= t < end)


# ---------------------------------------------------------------- dead destination

def dead_destination(kind, variant, work, jar, here, p, dns=None):
    """variant "smarthost": every message relayed to [127.0.0.1]:PORT, where the peer resets every connection
    at once. variant "mx421": mx_n messages to mx_domains domains whose one MX host answers 421 at the
    greeting. Phases: inject; round 1 (until every message was deferred once); one retry interval more; then
    the peer turns into a sink and we wait until every message arrived."""
    n = p["dead_n"] if variant == "smarthost" else p["mx_n"]
    backoff, scan = p["backoff"], p["scan"]
    port = procs.free_port()
    if variant == "smarthost":
        site = {"name": "smarthost", "host": "127.0.0.1", "port": port, "mode": "reset"}
        rcpts = ["u%d@dead.test" % i for i in range(n)]
    else:
        site = {"name": "mx", "host": "127.0.0.40", "port": port, "mode": "greet421"}
        rcpts = ["u%d@mxdead%02d.test" % (i, i % p["mx_domains"]) for i in range(n)]
    result = {"ok": False, "n": n}

    def body(started):
        peer = procs.Peer(work, "peer-dead", here, [site])
        started.append(peer)
        hosts = {"mxdead%02d.test" % i: "127.0.0.40" for i in range(p["mx_domains"])}
        if variant == "smarthost":
            mta = Mta(kind, "dead-" + variant, work, jar, here, p, smarthost=port)
        else:
            mta = Mta(kind, "dead-" + variant, work, jar, here, p, dns=dns, delivery_port=port, hosts=hosts)
        launched = launch(started, mta, rcpts, p)
        if launched is None:
            return dict(result, reason=mta.error, skipped=True)
        t0, inj = launched
        # round 1: until injection ended and every accepted message was deferred once
        limit1 = t0 + 600
        while time.monotonic() < limit1:
            if inj.done_at and mta.deferrals() >= inj.accepted:
                break
            if inj.done_at and time.monotonic() > inj.done_at + backoff:
                result["note"] = "round 1 cut after injection + one backoff: deferrals %d/%d" % (
                    mta.deferrals(), inj.accepted)
                break
            time.sleep(0.25)
        inj.join(5)
        r1 = time.monotonic()
        d1 = mta.deferrals()
        # one retry interval: the backoff plus one scan period (both MTAs pick retries up by a scan)
        r2 = r1 + backoff + scan + 5
        while time.monotonic() < r2:
            time.sleep(0.5)
        d2 = mta.deferrals()
        before = mta.counters()
        peer.mode(site["name"], "sink")
        up = time.monotonic()
        limit = up + 8 * backoff + 2 * scan + 60
        got = 0
        while time.monotonic() < limit:
            got = peer.stats()[site["name"]].get("msgs", 0)
            if got >= inj.accepted:
                break
            time.sleep(0.25)
        end = time.monotonic()
        stats = peer.stats()[site["name"]]
        times = peer.times(site["name"])
        result.update(
            ok=got >= inj.accepted and inj.accepted == n,
            accepted=inj.accepted, inject_s=inj.seconds, inject_errors=inj.errors[:3],
            round1_s=r1 - t0, conns_round1=_count(times, 0, r1), deferrals_round1=d1,
            retry_s=r2 - r1, conns_retry=_count(times, r1, up), deferrals_retry=d2,
            conns_before_up=_count(times, 0, up),
            delivered=got, revive_s=(stats["last_msg"] - up) if got else None, waited_s=end - up,
            conns_revive=_count(times, up, end + 1),
            mta_before_up=before, mta_end=mta.counters(), first_conn_after_up=next((t - up for t in times if t >= up), None))
        if not result["ok"]:
            result["reason"] = "delivered %d/%d after the peer came up (waited %.0f s)%s" % (
                got, n, end - up, "; " + inj.errors[0] if inj.errors else "")
        return result

    return procs.guarded(body, result, log)


# ---------------------------------------------------------------- campaign

def campaign_sites(port, p):
    slow_greet, slow_reply = p["slow"]
    return [
        {"name": "fast", "host": "127.0.0.11", "port": port, "mode": "sink"},
        {"name": "throttle", "host": "127.0.0.12", "port": port, "mode": "sink", "rate": p["throttle_rate"]},
        {"name": "greylist", "host": "127.0.0.13", "port": port, "mode": "sink", "greylist": True},
        {"name": "slow", "host": "127.0.0.14", "port": port, "mode": "sink", "greetDelay": slow_greet,
         "replyDelay": slow_reply},
        {"name": "dead", "host": "127.0.0.15", "port": port, "mode": "reset"},
    ]


def campaign_domains(p):
    """{domain: site}: domain i is served by site i % 5 (one MX host per provider)."""
    return {"c%04d.test" % i: SITES[i % len(SITES)] for i in range(p["camp_domains"])}


def campaign_dns(work, p):
    domains = campaign_domains(p)
    return procs.Dnsmasq(work, "dnsmasq-campaign",
                         {d: ["mx.%s.prov.test" % s] for d, s in domains.items()} |
                         {"mxdead%02d.test" % i: ["mx.deadmx.prov.test"] for i in range(p["mx_domains"])},
                         {"mx.%s.prov.test" % s: "127.0.0.%d" % (11 + i) for i, s in enumerate(SITES)} |
                         {"mx.deadmx.prov.test": "127.0.0.40"})


def campaign(kind, work, jar, here, p, dns):
    """camp_n messages round-robin over camp_domains domains on five simulated providers; the dead one comes
    up after dead_for seconds. Until every message arrived (or camp_limit s)."""
    n = p["camp_n"]
    domains = campaign_domains(p)
    names = list(domains)
    rcpts = ["u%d@%s" % (i, names[i % len(names)]) for i in range(n)]
    want = {s: sum(1 for i in range(n) if domains[names[i % len(names)]] == s) for s in SITES}
    port = procs.free_port()
    result = {"ok": False, "n": n}

    def body(started):
        peer = procs.Peer(work, "peer-campaign", here, campaign_sites(port, p))
        started.append(peer)
        hosts = {d: "127.0.0.%d" % (11 + SITES.index(s)) for d, s in domains.items()}
        mta = Mta(kind, "campaign", work, jar, here, p, dns=dns, delivery_port=port, hosts=hosts)
        launched = launch(started, mta, rcpts, p)
        if launched is None:
            return dict(result, reason=mta.error, skipped=True)
        t0, inj = launched
        dead_up = None
        limit = t0 + p["camp_limit"]
        progress = []  # (seconds, delivered) every second, for t50/t90
        last_log = t0
        while time.monotonic() < limit:
            now = time.monotonic()
            if dead_up is None and now - t0 >= p["dead_for"]:
                peer.mode("dead", "sink")
                dead_up = now
            st = peer.stats()
            total = sum(st[s].get("msgs", 0) for s in SITES)
            progress.append((now - t0, total))
            if inj.done_at and total >= inj.accepted:
                break
            if now - last_log > 30:
                log("  %s campaign: %d/%d delivered after %.0f s" % (kind, total, n, now - t0))
                last_log = now
            time.sleep(1)
        inj.join(5)
        st = peer.stats()
        total = sum(st[s].get("msgs", 0) for s in SITES)
        last = max((st[s]["last_msg"] for s in SITES if st[s]["last_msg"]), default=t0)

        def when(frac):
            return next((t for t, d in progress if d >= frac * n), None)

        per_site = {}
        for s in SITES:
            c = st[s]
            per_site[s] = {"want": want[s], "delivered": c.get("msgs", 0), "conns": c.get("conns", 0),
                           "wasted": c.get("wasted", 0), "throttled": c.get("throttled", 0),
                           "greylisted": c.get("greylisted", 0), "refused": c.get("refused", 0),
                           "last_s": (c["last_msg"] - t0) if c["last_msg"] else None}
        result.update(ok=total >= n and inj.accepted == n, accepted=inj.accepted, inject_s=inj.seconds,
                      inject_errors=inj.errors[:3], delivered=total, seconds=last - t0,
                      rate=total / (last - t0) if total else 0, t50=when(0.5), t90=when(0.9),
                      dead_up_s=(dead_up - t0) if dead_up else None, sites=per_site, mta=mta.counters())
        if not result["ok"]:
            result["reason"] = "delivered %d/%d in %d s%s" % (total, n, p["camp_limit"],
                                                             "; " + inj.errors[0] if inj.errors else "")
        return result

    return procs.guarded(body, result, log)


def run(work, jar, here, quick, which, overrides, jar_note=""):
    """which: a subset of {"dead", "campaign"}; overrides: parameters given on the command line (None = the
    mode's default). Returns (params, results); results[scenario][variant][MTA] is one run's dict."""
    p = dict(QUICK if quick else FULL)
    p.update({k: v for k, v in overrides.items() if v})
    res = {"dead": {}, "campaign": {}}
    no_jar = None if jar and os.path.exists(jar) else "no jar at %s %s" % (jar, jar_note)
    dns = campaign_dns(work, p)  # the MX records of both scenarios (Hermod asks it; Postfix reads a hosts file)
    try:
        plan = ([("dead", v) for v in ("smarthost", "mx421")] if "dead" in which else []) + \
               ([("campaign", "campaign")] if "campaign" in which else [])
        for scenario, variant in plan:
            for kind in ("Hermod", "Postfix"):
                log("%s (%s), %s" % (scenario, variant, kind))
                if kind == "Hermod" and no_jar:
                    r = {"ok": False, "reason": no_jar, "skipped": True}
                elif scenario == "dead":
                    r = dead_destination(kind, variant, work, jar, here, p, dns)
                else:
                    r = campaign(kind, work, jar, here, p, dns)
                res[scenario].setdefault(variant, {})[kind] = r
                log("  " + (describe_dead(r) if scenario == "dead" else describe_campaign(r)))
    finally:
        dns.stop()
    return p, res


def describe_dead(r):
    if "conns_round1" not in r:
        return "FAILED(%s)" % r.get("reason")
    return ("conns round1=%d retry=%d revive=%d; delivered %d/%d, %.1f s after the peer came up%s" % (
        r["conns_round1"], r["conns_retry"], r["conns_revive"], r["delivered"], r["n"],
        r["revive_s"] or -1, "" if r["ok"] else " FAILED(%s)" % r.get("reason")))


def describe_campaign(r):
    if "sites" not in r:
        return "FAILED(%s)" % r.get("reason")
    return "delivered %d/%d in %.0f s (%.0f msg/s)%s" % (r["delivered"], r["n"], r["seconds"], r["rate"],
                                                        "" if r["ok"] else " FAILED(%s)" % r.get("reason"))

def launch(started, mta, rcpts, p):
    """Keeps `mta` for stopping and starts injecting into it: (start time, the running Injector), or None when the
    MTA did not start (mta.error says why)."""
    started.append(mta)
    if mta.error:
        return None
    t0 = time.monotonic()
    inj = Injector(mta.port, rcpts, p["inject_sessions"])
    inj.start()
    return t0, inj
