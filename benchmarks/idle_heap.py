"""Live Java heap per idle SMTP session: Hermod started as the benchmark starts it, the total of
`jcmd PID GC.class_histogram` (a full GC first, so live objects only) with no session and with N sessions held
after EHLO, divided by N. PSS (the concurrency scenario) also counts heap the JVM has not given back, so it
cannot show a per-session figure; this can. Kernel socket buffers are not counted by either.
Usage: python3 benchmarks/idle_heap.py HERMOD_JAR N   (127.0.0.1 only; N client sockets need ulimit -n > N)"""
import asyncio, os, re, subprocess, sys, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import procs
jar, n = sys.argv[1], int(sys.argv[2])
work = os.path.join(os.path.dirname(os.path.abspath(__file__)), "work", "idle-heap"); os.makedirs(os.path.join(work, "pids"), exist_ok=True)
sink = procs.SmtpSink(work, "sink")
h = procs.Hermod(work, jar, {"fast.test": sink.port}, sink.port)
assert h.p, h.error
def live():
    out = subprocess.run(["jcmd", str(h.p.pid), "GC.class_histogram"], capture_output=True, text=True).stdout
    m = re.search(r"Total\s+(\d+)\s+(\d+)", out)
    return int(m.group(2)), out
async def hold():
    conns = []
    for i in range(n):
        r, w = await asyncio.open_connection("127.0.0.1", h.port)
        await r.readline()
        w.write(b"EHLO c%d.test\r\n" % i)
        while True:
            line = await r.readline()
            if line[3:4] == b" ": break
        conns.append((r, w))
    time.sleep(2)
    after, out = live()
    for r, w in conns: w.close()
    return after, out
try:
    time.sleep(3)
    live(); before, _ = live()
    after, out = asyncio.run(hold())
    print("live heap before %.1f MiB, with %d idle sessions %.1f MiB: %.0f bytes per session" % (before/2**20, n, after/2**20, (after-before)/n))
    print("\n".join(out.splitlines()[:18]))
finally:
    h.stop(); sink.stop()
