#!/usr/bin/env python3
"""A minimal, fast counting SMTP sink for the benchmarks (stdlib only).

  sink.py --port P --status-port S [--host 127.0.0.1]

Answers SMTP just enough for smtp-source, Postfix's smtp client and Hermod's delivery: 220 greeting,
EHLO (PIPELINING, 8BITMIME, SIZE), MAIL/RCPT/RSET/NOOP -> 250, DATA -> 354 ... 250, QUIT -> 221.
Pipelined commands are answered in one write. Message bodies are not stored: only the first 8 KiB are
kept, to read the "X-Bench-Id: <id> <send-monotonic-ns>" header the latency sender stamps, so a
50 MiB message costs no memory.

Status port (one command line per connection, answer then close):
  COUNT      -> "<messages received since start> <monotonic ns of the last arrival>"
  LATENCY    -> JSON list of [id, latency_ns] for every stamped message since the last LATRESET
  LATRESET   -> "ok"
  WINDOW     -> JSON list of the latencies (ns) of the stamped messages since the last WINDOW or LATRESET, which
                it resets (a long run reads them a window at a time, so memory stays bounded)
time.monotonic_ns() is CLOCK_MONOTONIC, shared by all processes of the machine, so the sender's stamp and
the sink's arrival time are comparable.
"""
import argparse
import asyncio
import json
import re
import time

HEAD_KEEP = 8192
STAMP = re.compile(rb"\r\nX-Bench-Id: (\S+) (\d+)\r\n")
EHLO_REPLY = b"250-sink.bench\r\n250-PIPELINING\r\n250-8BITMIME\r\n250 SIZE\r\n"


class Stats:
    def __init__(self):
        self.count = 0
        self.last_arrival_ns = 0
        self.latencies = []

    def message(self, head):
        now = time.monotonic_ns()
        self.count += 1
        self.last_arrival_ns = now
        m = STAMP.search(b"\r\n" + bytes(head))
        if m:
            self.latencies.append((m.group(1).decode("ascii", "replace"), now - int(m.group(2))))


class SmtpSink(asyncio.Protocol):
    def __init__(self, stats):
        self.stats = stats
        self.transport = None
        self.buf = b""
        self.in_data = False
        self.head = bytearray()
        self.tail = b""

    def connection_made(self, transport):
        self.transport = transport
        transport.write(b"220 sink.bench ESMTP\r\n")

    def data_received(self, data):
        out = []
        while data:
            if self.in_data:
                data = self._data_bytes(data, out)
            else:
                data = self._command_bytes(data, out)
        if out and not self.transport.is_closing():
            self.transport.write(b"".join(out))

    def _data_bytes(self, data, out):
        """Consume message bytes; return what follows the end-of-data marker (or b"")."""
        if len(self.head) < HEAD_KEEP:
            self.head += data[:HEAD_KEEP - len(self.head)]
        joined = self.tail + data
        end = joined.find(b"\r\n.\r\n")
        if end < 0:
            self.tail = joined[-4:]
            return b""
        rest = joined[end + 5:]
        self.in_data = False
        self.stats.message(self.head)
        out.append(b"250 2.0.0 Ok: queued\r\n")
        return rest

    def _command_bytes(self, data, out):
        self.buf += data
        while not self.in_data:
            nl = self.buf.find(b"\n")
            if nl < 0:
                if len(self.buf) > 4096:
                    out.append(b"500 5.5.2 Line too long\r\n")
                    self.buf = b""
                return b""
            line, self.buf = self.buf[:nl].rstrip(b"\r"), self.buf[nl + 1:]
            verb = line[:4].upper()
            if verb == b"EHLO":
                out.append(EHLO_REPLY)
            elif verb == b"DATA":
                out.append(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                self.in_data = True
                self.head = bytearray()
                self.tail = b"\r\n"  # the DATA line's CRLF: a body of just ".\r\n" ends at once
            elif verb == b"QUIT":
                out.append(b"221 2.0.0 Bye\r\n")
                self.transport.write(b"".join(out))
                out.clear()
                self.transport.close()
                self.buf = b""
                return b""
            elif verb in (b"MAIL", b"RCPT", b"RSET", b"NOOP", b"HELO"):
                out.append(b"250 2.0.0 Ok\r\n")
            else:
                out.append(b"502 5.5.1 Not implemented\r\n")
        rest, self.buf = self.buf, b""
        return rest


async def status(stats, reader, writer):
    try:
        cmd = (await asyncio.wait_for(reader.readline(), 5)).strip().upper()
        if cmd == b"COUNT":
            writer.write(b"%d %d\n" % (stats.count, stats.last_arrival_ns))
        elif cmd == b"LATENCY":
            writer.write(json.dumps(stats.latencies).encode() + b"\n")
        elif cmd == b"LATRESET":
            stats.latencies = []
            writer.write(b"ok\n")
        elif cmd == b"WINDOW":
            window, stats.latencies = stats.latencies, []
            writer.write(json.dumps([ns for _, ns in window]).encode() + b"\n")
        else:
            writer.write(b"?\n")
        await writer.drain()
    finally:
        writer.close()


def arguments():
    """The command line's parser (slowsink.py adds its own option to it)."""
    p = argparse.ArgumentParser()
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--status-port", type=int, required=True)
    return p


async def serve(a, protocol):
    """The SMTP port (a `protocol(stats)` per connection) and the status port, until killed."""
    stats = Stats()
    loop = asyncio.get_running_loop()
    smtp = await loop.create_server(lambda: protocol(stats), a.host, a.port, backlog=4096, reuse_address=True)
    stat = await asyncio.start_server(lambda r, w: status(stats, r, w), a.host, a.status_port)
    async with smtp, stat:
        await asyncio.gather(smtp.serve_forever(), stat.serve_forever())


if __name__ == "__main__":
    asyncio.run(serve(arguments().parse_args(), SmtpSink))
