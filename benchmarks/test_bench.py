#!/usr/bin/env python3
"""Tests of the harness's own measuring code (stdlib unittest; no MTA needed):

  /usr/bin/python3 -m unittest discover -s benchmarks -p 'test_*.py'

Table-driven tests of the pure parts (strace output, latency histogram and percentiles, the suite's JSON, the
README table), and real processes for the two that touch the system: strace attached to a process tree that
forks and fsyncs (every call counted, and strace detached afterwards), and a ceiling run of smtp-source into
smtp-sink on 127.0.0.1 (accept rate and CPU per message present and consistent)."""
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import procs  # noqa: E402
import readme_table  # noqa: E402
import report  # noqa: E402
import scenarios  # noqa: E402


class CountSyncCallsTest(unittest.TestCase):
    CASES = [
        # (strace -f -y lines, expected calls, expected files)
        (["4242 fdatasync(45</w/hermod-spool/journal/00000012.log>) = 0"],
         {"fdatasync": 1}, {"hermod-spool/journal/N.log": 1}),
        (["[pid  77] fsync(3</w/postfix/queue/incoming/4A3B2C1D0E>) = 0",
          "78 fsync(3</w/postfix/queue/incoming/5B3B2C1D0F>) = 0"],
         {"fsync": 2}, {"postfix/queue/incoming/N": 2}),
        # a call interrupted by another thread's line counts once, where it starts
        (["123 fsync(9</w/spool/x> <unfinished ...>", "124 fdatasync(10</w/spool/y>) = 0",
          "123 <... fsync resumed>) = 0"],
         {"fsync": 1, "fdatasync": 1}, {"spool/x": 1, "spool/y": 1}),
        # no file descriptor (msync takes an address, sync nothing); exits and signals are not calls
        (["12 msync(0x7f0000, 4096, MS_SYNC) = 0", "12 sync() = 0", "12 +++ exited with 0 +++",
          "12 --- SIGCHLD {si_signo=SIGCHLD} ---"],
         {"msync": 1, "sync": 1}, {"(msync: no file)": 1, "(sync: no file)": 1}),
        # a path outside the work directory stays absolute
        (["9 fsync(4</var/lib/other/file>) = 0"], {"fsync": 1}, {"/var/lib/other/file": 1}),
        # one process traced without -f: no pid column
        (["fsync(4</w/a/1.log>) = 0"], {"fsync": 1}, {"a/N.log": 1}),
        ([], {}, {}),
    ]

    def test_cases(self):
        for lines, calls, files in self.CASES:
            with self.subTest(lines=lines):
                self.assertEqual(procs.count_sync_calls(lines, "/w"), (calls, files))


class JitCpuTest(unittest.TestCase):
    """The warm-up's stop rule reads the JIT compiler threads' CPU: none in a process that is no JVM, some in a
    JVM that compiled."""

    def test_no_jvm_has_no_jit_threads(self):
        self.assertEqual(procs.jit_cpu(os.getpid()), 0.0)
        self.assertEqual(procs.jit_cpu(None), 0.0)

    def test_a_jvm_s_compiler_threads_are_counted(self):
        # Source-file mode compiles the file with javac inside the JVM: about a second of JIT work on any machine.
        with tempfile.TemporaryDirectory() as d:
            src = os.path.join(d, "Spin.java")
            with open(src, "w") as f:
                f.write("class Spin { public static void main(String[] a) throws Exception { Thread.sleep(300); } }")
            java = subprocess.Popen(["java", src], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            try:
                seen = 0.0
                while java.poll() is None:
                    seen = max(seen, procs.jit_cpu(java.pid))
            finally:
                java.wait(timeout=60)
        self.assertEqual(java.returncode, 0)
        self.assertGreater(seen, 0.0)


class CountTracepointSyncsTest(unittest.TestCase):
    FORK = "%d/%d     sched:sched_process_fork: comm=x pid=%d child_comm=x child_pid=%d"
    SYNC = "%d/%d      syscalls:sys_enter_%s: fd: 0x00000017"
    CASES = [
        # (lines, roots, expected calls, sentinel seen); the sentinel is pid 1000
        ([SYNC % (10, 11, "fsync"), SYNC % (20, 20, "fsync"), SYNC % (1000, 1000, "fsync")], [10],
         {"fsync": 1}, True),
        # a child forked by a member (from any of its threads) is a member from then on, not before
        ([SYNC % (30, 30, "fdatasync"), FORK % (10, 12, 12, 30), SYNC % (30, 30, "fdatasync"),
          FORK % (30, 30, 30, 31), SYNC % (31, 31, "fsync")], [10],
         {"fdatasync": 1, "fsync": 1}, False),
        # a fork by a process outside the tree adds nothing
        ([FORK % (20, 20, 20, 40), SYNC % (40, 40, "fsync"), "garbage", ""], [10], {}, False),
    ]

    def test_cases(self):
        for lines, roots, calls, sentinel in self.CASES:
            with self.subTest(lines=lines):
                self.assertEqual(procs.count_tracepoint_syncs(lines, roots, 1000), (calls, sentinel))


class LatencyMathTest(unittest.TestCase):
    def test_histogram_buckets_are_inclusive_above(self):
        cases = [
            ([], [0] * 9),
            ([0.1, 0.5], [2, 0, 0, 0, 0, 0, 0, 0, 0]),
            ([0.5001, 1.0, 1.0001, 2.0], [0, 2, 2, 0, 0, 0, 0, 0, 0]),
            ([4.9, 10, 20, 50, 100], [0, 0, 0, 1, 1, 1, 1, 1, 0]),
            ([100.01, 5000], [0, 0, 0, 0, 0, 0, 0, 0, 2]),
        ]
        for values, want in cases:
            with self.subTest(values=values):
                self.assertEqual(scenarios.histogram(values), want)

    def test_nearest_rank_percentiles(self):
        values = list(range(1, 2001))  # 2,000 messages, as a full latency run at 200 msgs/s for 10 s
        cases = [(50, 1000), (90, 1800), (99, 1980), (99.9, 1998), (100, 2000)]
        for q, want in cases:
            with self.subTest(q=q):
                self.assertEqual(scenarios._percentile(values, q), want)
        self.assertEqual(scenarios._percentile([7.0], 99.9), 7.0)


def _run(**kv):
    return dict({"ok": True}, **kv)


# A results dict as bench.py builds it: the figures of issue #17's table, one round.
RESULTS = {
    "calibration": {(1024, 32, "smtp-sink"): [_run(rate=11000.0)], (1024, 32, "sink.py"): [_run(rate=9000.0)],
                    (32768, 32, "smtp-sink"): [_run(rate=4500.0)], (32768, 32, "sink.py"): [_run(rate=5400.0)]},
    "throughput": {(1024, 32, 4000): {
        "ceiling": [_run(rate=11400.0, accept_rate=11476.0, cpu_us=79.0)],
        "Hermod": [_run(rate=1515.0, accept_rate=2443.0, cpu_us=979.0)],
        "Postfix": [_run(rate=334.0, accept_rate=478.0, cpu_us=4667.0)]},
        (32768, 32, 2000): {
        "ceiling": [_run(rate=5400.0, accept_rate=5479.0, cpu_us=150.0)],
        "Hermod": [{"ok": False, "reason": "delivered 10/2000", "skipped": False}],
        "Postfix": [_run(rate=400.0, accept_rate=451.0, cpu_us=5000.0)]}},
    "fsync": {1000: {"Hermod": [_run(rate=150.0, fsyncs_per_msg=2.05, syncs={"fdatasync": 2050},
                                     sync_files={"hermod-spool/journal/N.log": 2050}, perf_fsyncs_per_msg=1.5,
                                     perf_syncs={"fdatasync": 1500}, perf_rate=700.0)],
                     "Postfix": [_run(rate=120.0, fsyncs_per_msg=1.0, syncs={"fsync": 1000},
                                      sync_files={"postfix/queue/incoming/N": 1000}, perf_fsyncs_per_msg=1.0,
                                      perf_syncs={"fsync": 1000}, perf_rate=300.0)]}},
    "latency": {(163, 10): {
        "ceiling": [_run(p50=0.6, p90=0.8, p99=1.5, p99_9=2.0, max=3.0, arrived=1630, late=0.0,
                         hist=[100, 1500, 30, 0, 0, 0, 0, 0, 0])],
        "Hermod": [_run(p50=2.7, p90=5.0, p99=23.5, p99_9=40.0, max=41.0, arrived=1630, late=0.0,
                        hist=[0, 10, 900, 600, 80, 30, 10, 0, 0])],
        "Postfix": [_run(p50=5.1, p90=8.0, p99=19.8, p99_9=25.0, max=30.0, arrived=1630, late=0.0,
                         hist=[0, 0, 100, 1000, 400, 120, 10, 0, 0])]}},
    "concurrency": {2000: {"Hermod": [_run(held=2000, pss=22.0, procs=1, probe_ms=3.0)],
                           "Postfix": [_run(held=2000, pss=2378.9, procs=2004, probe_ms=28.0)]}},
    "big": {}, "submission": {},
}
PARAMS = {"rounds": 1, "lat_rate": 163, "sub_msgs": 0, "sub_threads": 0}


class SuiteJsonTest(unittest.TestCase):
    def test_round_trip_keeps_tuple_and_int_keys(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "r.json")
            with open(path, "w") as f:
                f.write(report.suite_json({"nproc": "2"}, RESULTS, PARAMS, False))
            facts, res, params, quick = report.load_suite(path)
        self.assertEqual((facts, res, params, quick), ({"nproc": "2"}, RESULTS, PARAMS, False))

    def test_markdown_has_every_new_figure(self):
        md = report.markdown({"nproc": "2"}, RESULTS, PARAMS, False)
        for text in ("| 1 KiB | 32 | 4000 | 11476 | 2443 | 478 | 5.11 | 79 | 979 | 4667 | 0.21 |",
                     "| Hermod | 1000 | 1.50 | fdatasync 1.50 | 700 | 2.05 | fdatasync 2.05 | "
                     "hermod-spool/journal/N.log 2.05 | 150 |",
                     "| Hermod | 163 msg/s x 10 s | 1630 | 2.7 | 5.0 | 23.5 | 40.0 | 41.0 | 0.00 |",
                     "| Postfix | 163 msg/s | 0 | 0 | 100 | 1000 | 400 | 120 | 10 | 0 | 0 |",
                     "FAILED(delivered 10/2000)"):
            with self.subTest(text=text):
                self.assertIn(text, md)


class SinkChoiceTest(unittest.TestCase):
    """Each message size gets the sink that was the faster at that size (bench.faster_sink)."""

    def test_the_faster_sink_per_size(self):
        import bench
        self.assertEqual(bench.faster_sink(RESULTS["calibration"], 1024), "fast.test")
        self.assertEqual(bench.faster_sink(RESULTS["calibration"], 32768), "py.test")

    def test_failed_runs_do_not_count_and_a_tie_is_smtp_sinks(self):
        import bench
        calibration = {(1024, 4, "smtp-sink"): [_run(rate=100.0), {"ok": False, "rate": 9e9}],
                       (1024, 4, "sink.py"): [_run(rate=100.0)]}
        self.assertEqual(bench.faster_sink(calibration, 1024), "fast.test")
        calibration[(1024, 200, "sink.py")] = [_run(rate=1.0)]
        self.assertEqual(bench.faster_sink(calibration, 1024), "py.test")

    def test_the_table_shows_each_size_and_reads_old_one_size_keys(self):
        md = report.calibration_section(RESULTS["calibration"])
        self.assertIn("| 1 KiB | 32 | 9000 | 11000 |", md)
        self.assertIn("| 32 KiB | 32 | 5400 | 4500 |", md)
        old = report.calibration_section({(32, "smtp-sink"): [_run(rate=11000.0)]})
        self.assertIn("| 1 KiB | 32 | 11000 |", old)


class AbSummaryTest(unittest.TestCase):
    """ab.py's summary: Hermod's CPU per message over the sink's, its mean and range, and B against A."""

    def test_mean_range_and_change(self):
        import ab
        a = ab.summarize([{"cpu_us": 100.0, "sink_us": 20.0, "rate": 10000.0},
                          {"cpu_us": 120.0, "sink_us": 20.0, "rate": 9000.0}])
        b = ab.summarize([{"cpu_us": 90.0, "sink_us": 25.0, "rate": 11000.0},
                          {"cpu_us": 80.0, "sink_us": 20.0, "rate": 12000.0}])
        self.assertEqual((a["ratio"], a["ratio_range"], a["cpu_us"], a["rate"]), (5.5, (5.0, 6.0), 110.0, 9500.0))
        self.assertEqual((b["ratio"], b["ratio_range"]), (3.8, (3.6, 4.0)))
        change, verdict = ab.compare(a, b)
        self.assertAlmostEqual(change, -30.909, places=2)
        self.assertEqual(verdict, "the ranges are apart")

    def test_overlapping_ranges_are_within_the_spread(self):
        import ab
        a = ab.summarize([{"cpu_us": 100.0, "sink_us": 20.0, "rate": 1.0}, {"cpu_us": 90.0, "sink_us": 20.0, "rate": 1.0}])
        b = ab.summarize([{"cpu_us": 95.0, "sink_us": 20.0, "rate": 1.0}, {"cpu_us": 85.0, "sink_us": 20.0, "rate": 1.0}])
        change, verdict = ab.compare(a, b)
        self.assertLess(change, 0)
        self.assertEqual(verdict, "within the rounds' spread")
        self.assertEqual(ab.compare(ab.summarize([]), b), (None, "too few rounds"))
        one = ab.summarize([{"cpu_us": 50.0, "sink_us": 20.0, "rate": 1.0}])
        self.assertEqual(ab.compare(a, one)[1], "too few rounds")


class CpuSplitTest(unittest.TestCase):
    """cpu_split.py: a process's threads read from /proc, and their CPU per message by group."""

    def test_this_process_threads_are_read(self):
        busy = sum(i * i for i in range(200000))  # some user time of our own
        threads = procs.thread_cpu(os.getpid())
        self.assertIn(os.getpid(), threads)  # the main thread's tid is the pid
        name, user, system = threads[os.getpid()]
        self.assertTrue(name)
        self.assertGreater(user + system, 0.0, busy)
        self.assertEqual(procs.thread_cpu(None), {})

    def test_groups_per_message_largest_first(self):
        import cpu_split
        before = {1: ("vert.x-eventloo", 1.0, 1.0), 2: ("vert.x-eventloo", 2.0, 0.0), 3: ("GC Thread#0", 0.0, 0.0),
                  9: ("gone", 5.0, 5.0)}
        after = {1: ("vert.x-eventloo", 2.0, 1.5), 2: ("vert.x-eventloo", 2.5, 0.5), 3: ("GC Thread#0", 0.1, 0.0),
                 4: ("GC Thread#1", 0.1, 0.0), 5: ("hermod-spool-co", 0.2, 0.8)}
        rows = cpu_split.split(before, after, 10000)
        self.assertEqual([r[0] for r in rows], ["vert.x-eventloo", "hermod-spool-co", "GC Thread#N"])
        for got, want in zip(rows, [("vert.x-eventloo", 150.0, 100.0), ("hermod-spool-co", 20.0, 80.0),
                                    ("GC Thread#N", 20.0, 0.0)]):
            self.assertEqual(got[0], want[0])
            self.assertAlmostEqual(got[1], want[1])
            self.assertAlmostEqual(got[2], want[2])
        text = cpu_split.table(rows + [("tiny", 0.1, 0.1)], 40.0, 5000.0)
        self.assertIn("(the rest)", text)
        self.assertIn("total", text)
        self.assertIn("sink (smtp-sink) 40.0", text)


class LinkTest(unittest.TestCase):
    """link.py, a real process between a client and an echo server on 127.0.0.1: every byte passes both ways, in
    order, and no earlier than the delay (a lower bound only: the link may be late, never early)."""

    def test_bytes_pass_both_ways_in_order_after_the_delay(self):
        import socket
        import threading
        import time
        import wan
        echo = socket.socket()
        echo.bind(("127.0.0.1", 0))
        echo.listen(4)

        def answer(conn):
            with conn:
                while True:
                    data = conn.recv(65536)
                    if not data:
                        return
                    conn.sendall(data.upper())

        def serve():  # every connection: the link's start-up probe opens one too
            while True:
                try:
                    conn, _ = echo.accept()
                except OSError:
                    return
                threading.Thread(target=answer, args=(conn,), daemon=True).start()

        threading.Thread(target=serve, daemon=True).start()
        here = os.path.dirname(os.path.abspath(__file__))
        with tempfile.TemporaryDirectory() as work:
            link = wan.Link(work, "link", here, echo.getsockname()[1], 50)
            try:
                with socket.create_connection(("127.0.0.1", link.port), timeout=10) as c:
                    sent = b"".join(b"line %d\r\n" % i for i in range(2000))
                    t0 = time.monotonic()
                    for i in range(0, len(sent), 1000):
                        c.sendall(sent[i:i + 1000])
                    got = b""
                    while len(got) < len(sent):
                        chunk = c.recv(65536)
                        self.assertTrue(chunk, "the link closed early")
                        got += chunk
                    self.assertGreaterEqual(time.monotonic() - t0, 0.1, "a round trip takes two one-way delays")
                    self.assertEqual(got, sent.upper())
            finally:
                link.stop()
                echo.close()


class WanMarkdownTest(unittest.TestCase):
    def test_rates_ratio_and_round_trips(self):
        import wan
        p = dict(wan.QUICK)
        res = {"Hermod": {"ok": True, "accepted": 600, "arrived": 600, "seconds": 12.0, "rate": 50.0,
                          "per_connection": 25.0},
               "Postfix": {"ok": False, "reason": "arrived 10/600 in 120 s"}}
        md = wan.markdown({"cpu": "x"}, p, res)
        self.assertIn("| relay msgs/s | 50.0 | FAILED(arrived 10/600 in 120 s) | – |", md)
        self.assertIn("| 1.00 | – |", md)  # 1000 / 25 msgs/s per connection / 40 ms RTT
        res["Postfix"] = {"ok": True, "accepted": 600, "arrived": 600, "seconds": 40.0, "rate": 15.0,
                          "per_connection": 7.5}
        self.assertIn("| relay msgs/s | 50.0 | 15.0 | 3.33x |", wan.markdown({}, p, res))


class ReadmeTableTest(unittest.TestCase):
    def test_rows(self):
        rows = {r[0]: r[1:] for r in readme_table.rows(RESULTS, PARAMS)}
        self.assertEqual(rows["1 KiB × 32 sessions: durable accept / relay"],
                         ["2,443 / 1,515 msg/s", "478 / 334 msg/s", "5.11 / 4.54", "11,476 / 11,400 msg/s"])
        self.assertEqual(rows["1 KiB × 32 sessions: CPU per relayed message (whole process tree)"],
                         ["979 µs", "4,667 µs", "0.21 (lower is better)", "79 µs (sink)"])
        self.assertEqual(rows["32 KiB × 32 sessions: durable accept / relay"][0],
                         "FAILED(delivered 10/2000) / FAILED(delivered 10/2000) msg/s")
        self.assertEqual(rows["fsyncs per message, 1 KiB, one session (1,000 messages; strace)"],
                         ["2.05", "1.00", "2.05 (lower is better)", "–"])
        self.assertEqual(rows["fsyncs per message, 1 KiB, one session (1,000 messages; perf)"],
                         ["1.50", "1.00", "1.50 (lower is better)", "–"])
        self.assertEqual(rows["relay latency at 163 msg/s, p50 / p99"],
                         ["2.7 / 23.5 ms", "5.1 / 19.8 ms", "0.53 / 1.19 (lower is better)", "0.6 / 1.5 ms"])
        self.assertEqual(rows["2,000 idle sessions: memory (PSS)"][:2],
                         ["22 MiB (11 KiB a session), 1 process", "2,379 MiB (1,218 KiB a session), 2,004 processes"])

    def test_markdown_is_one_table_after_its_sentence(self):
        text = readme_table.markdown({"nproc": "2", "date": "2026-12-06T16:00:00"}, RESULTS, PARAMS, False,
                                     "results-x.json")
        lead, table, hist_lead, hist = text.split("\n\n")
        self.assertIn("[benchmarks/results/results-x.md]", lead)
        lines = table.strip().splitlines()
        self.assertTrue(all(line.startswith("| ") and line.endswith("|") or line.startswith("|---")
                            for line in lines))
        self.assertEqual(len(lines), 2 + len(readme_table.rows(RESULTS, PARAMS)))
        self.assertIn("| Hermod | 163 msg/s | 0 | 10 | 900 | 600 | 80 | 30 | 10 | 0 | 0 |", hist)


# A process tree that syncs a known number of times once told to: 3 fsyncs in its main thread, 2 fdatasyncs
# in a second thread, and a child it forks after strace attached (strace -f must follow it) with 4 fsyncs.
TREE = textwrap.dedent("""
    import os, sys, threading
    path = sys.argv[1]
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
    print("ready", flush=True)
    sys.stdin.readline()
    for _ in range(3):
        os.write(fd, b"x"); os.fsync(fd)
    t = threading.Thread(target=lambda: [os.fdatasync(fd) for _ in range(2)]); t.start(); t.join()
    child = os.fork()
    if child == 0:
        for _ in range(4):
            os.fsync(fd)
        os._exit(0)
    os.waitpid(child, 0)
    print("done", flush=True)
    sys.stdin.readline()
""")


def _tracer(pid):
    with open("/proc/%d/status" % pid) as f:
        return int(next(line.split()[1] for line in f if line.startswith("TracerPid:")))


def _count_tree(counter_type, name, while_counting):
    """Runs TREE with a counter_type counter started before it syncs; while_counting(tree) is called while the
    counter is running (the tree has synced, not exited). Returns (what stop() gave, the tree's TracerPid
    afterwards, whether the counter's pid file was left behind)."""
    with tempfile.TemporaryDirectory() as work:
        os.makedirs(os.path.join(work, "pids"))
        tree = subprocess.Popen([sys.executable, "-c", TREE, os.path.join(work, "data")],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        counter = counter_type(work, name, [tree.pid])
        try:
            assert tree.stdout.readline().strip() == "ready"
            counter.start()
            tree.stdin.write("go\n")
            tree.stdin.flush()
            assert tree.stdout.readline().strip() == "done"
            while_counting(tree)
            counted = counter.stop()
            return counted, _tracer(tree.pid), os.path.exists(os.path.join(work, "pids", name + ".pid"))
        finally:
            counter.stop()
            tree.stdin.close()
            tree.wait(10)
            tree.stdout.close()


@unittest.skipUnless(shutil.which("strace"), "strace is not installed")
class SyscallCounterTest(unittest.TestCase):
    def test_counts_every_sync_of_the_tree_and_detaches(self):
        counted, tracer, pid_file_left = _count_tree(
            procs.SyscallCounter, "strace-test", lambda tree: self.assertNotEqual(_tracer(tree.pid), 0))
        self.assertEqual(counted, ({"fsync": 7, "fdatasync": 2}, {"data": 9}))
        self.assertEqual(tracer, 0, "strace is still attached")
        self.assertFalse(pid_file_left)

    def test_perf_counts_the_same_tree_without_ptrace(self):
        if not shutil.which("perf"):
            self.skipTest("perf is not installed")
        try:
            counted, tracer, pid_file_left = _count_tree(
                procs.SyncTracepoints, "perf-test", lambda tree: self.assertEqual(_tracer(tree.pid), 0))
        except RuntimeError as e:
            self.skipTest("perf cannot record tracepoints here: %s" % e)
        self.assertEqual(counted, ({"fsync": 7, "fdatasync": 2}, {}))
        self.assertFalse(pid_file_left)

    def test_a_pid_that_is_gone_does_not_block_start(self):
        with tempfile.TemporaryDirectory() as work:
            gone = subprocess.Popen(["true"])
            gone.wait()
            alive = subprocess.Popen(["sleep", "30"])
            counter = procs.SyscallCounter(work, "strace-gone", [gone.pid, alive.pid])
            try:
                counter.start(timeout=10)
                self.assertEqual(counter.stop(), ({}, {}))
                self.assertEqual(_tracer(alive.pid), 0)
                self.assertIsNone(counter.stop(), "a second stop is a no-op")
            finally:
                counter.stop()
                alive.kill()
                alive.wait(5)


# An "MTA" at the seam the scenarios use (Target.mta: port, pids, cpu, alive): sink.py's SMTP server with one
# fsync of a spool file per message before its 250, and a second thread that fdatasyncs once per 10 messages.
# Known counts, so the fsync scenario's whole path (strace attached around a real smtp-source run) can be checked.
SYNCING_SINK = textwrap.dedent("""
    import asyncio, os, sys, threading
    sys.path.insert(0, sys.argv[1])
    import sink
    fd = os.open(sys.argv[2], os.O_WRONLY | os.O_CREAT, 0o600)
    tick = threading.Semaphore(0)
    def every_tenth():
        while True:
            for _ in range(10):
                tick.acquire()
            os.fdatasync(fd)
    threading.Thread(target=every_tenth, daemon=True).start()
    counted = sink.Stats.message
    def message(self, head):
        os.write(fd, bytes(head[:64]))
        os.fsync(fd)
        counted(self, head)
        tick.release()
    sink.Stats.message = message
    asyncio.run(sink.serve(sink.arguments().parse_args(sys.argv[3:]), sink.SmtpSink))
""")


class SyncingSink:
    name = "syncing-sink"

    def __init__(self, work):
        self.port, self.status = procs.free_port(), procs.free_port()
        here = os.path.dirname(os.path.abspath(__file__))
        self.p = procs.Tracked(work, "syncing-sink", [
            sys.executable, "-c", SYNCING_SINK, here, os.path.join(work, "spool.dat"), "--port", str(self.port),
            "--status-port", str(self.status)], os.path.join(work, "syncing-sink.log"))
        if not (procs.wait_port(self.port, 10, self.p.alive) and procs.wait_port(self.status, 10, self.p.alive)):
            raise RuntimeError("the syncing sink did not start")

    def count(self):
        return int(procs.ask(self.status, "COUNT").split()[0])

    def pids(self):
        return [self.p.pid]

    def cpu(self):
        return procs.cpu_seconds(self.p.pid)

    def alive(self):
        return self.p.alive()

    def stop(self):
        self.p.stop()


@unittest.skipUnless(shutil.which("strace") and shutil.which("smtp-source"), "strace or smtp-source missing")
class FsyncScenarioTest(unittest.TestCase):
    def test_counts_the_syncs_of_a_run_per_message_and_detaches(self):
        with tempfile.TemporaryDirectory() as work:
            mta = SyncingSink(work)
            try:
                target = scenarios.Target("Syncing", {"fast.test": mta}, mta)
                r = scenarios.fsyncs(target, "fast.test", 50, stall=4, limit=60, work=work)
                self.assertEqual(_tracer(mta.p.pid), 0, "strace is still attached")
                self.assertTrue(mta.alive(), "the traced process must survive the detach")
            finally:
                mta.stop()
        self.assertTrue(r["ok"], r)
        self.assertEqual(r["syncs"], {"fsync": 50, "fdatasync": 5})
        self.assertEqual(r["sync_files"], {"spool.dat": 55})
        self.assertAlmostEqual(r["fsyncs_per_msg"], 1.1)
        if shutil.which("perf"):
            self.assertEqual(r.get("perf_syncs"), {"fsync": 50, "fdatasync": 5}, r.get("perf_reason"))
            self.assertAlmostEqual(r["perf_fsyncs_per_msg"], 1.1)
        self.assertIn("accept_rate", r)

    def test_an_mta_that_is_not_running_is_skipped(self):
        target = scenarios.Target("Gone", {}, mta=None, why_not="did not start")
        self.assertEqual(scenarios.fsyncs(target, "fast.test", 10, 1, 1, "/nonexistent"),
                         {"ok": False, "reason": "did not start", "skipped": True})


@unittest.skipUnless(shutil.which("smtp-source") and shutil.which("smtp-sink"), "postfix's tools are not installed")
class CeilingThroughputTest(unittest.TestCase):
    def test_relay_accept_and_cpu_of_one_run(self):
        with tempfile.TemporaryDirectory() as work:
            sink = procs.SmtpSink(work, "sink")
            try:
                ceiling = scenarios.Target("ceiling", {"fast.test": sink}, ceiling_ports={"fast.test": sink.port})
                r = scenarios.throughput(ceiling, "fast.test", 1024, 4, 200, stall=4, limit=60, work=work)
                self.assertEqual(sink.count(), 200)
            finally:
                sink.stop()
        self.assertTrue(r["ok"], r)
        self.assertAlmostEqual(r["rate"], 200 / r["seconds"])
        self.assertAlmostEqual(r["accept_rate"], 200 / r["accept_seconds"])
        self.assertGreaterEqual(r["cpu_us"], 0)


if __name__ == "__main__":
    unittest.main()
