#!/usr/bin/env python3
"""A counting SMTP sink that is slow to accept each message: sink.py's protocol, with the reply to every end
of data sent DELAY ms late (per connection, in order). N connections of an MTA can then relay at most
N * 1000 / DELAY messages a second: a relay capacity below what the MTA can accept (the sustained scenario,
benchmarks/sustained.py). Stdlib only.

  slowsink.py --port P --status-port S --delay-ms D [--host 127.0.0.1]

Status port (one command line per connection, answer then close):
  COUNT   -> "<messages received since start> <monotonic ns of the last arrival>"
  WINDOW  -> JSON list of the latencies (ns, send stamp -> arrival) of the stamped messages that arrived since
             the last WINDOW (so memory stays bounded over a long run)
A message counts when its end of data has arrived (before the delayed reply), as in sink.py.
"""
import argparse
import asyncio
import collections
import json

import sink


class DelayedTransport:
    """Stands in for the connection's transport: a write that follows the end of a message waits DELAY, and
    everything written after it waits behind it (replies stay in order)."""

    def __init__(self, transport, proto, delay):
        self.t, self.proto, self.delay = transport, proto, delay
        self.queue = collections.deque()
        self.busy = False

    def write(self, data):
        self.queue.append((data, self.delay if self.proto.take_ended() else 0))
        if not self.busy:
            self._pump()

    def close(self):
        self.queue.append((None, 0))
        if not self.busy:
            self._pump()

    def is_closing(self):
        return self.t.is_closing()

    def _pump(self, waited=False):
        while self.queue:
            data, delay = self.queue[0]
            if delay > 0 and not waited:
                self.busy = True
                asyncio.get_running_loop().call_later(delay, self._pump, True)
                return
            self.queue.popleft()
            waited = False
            if data is None:
                self.t.close()
            elif not self.t.is_closing():
                self.t.write(data)
        self.busy = False


class SlowSink(sink.SmtpSink):
    def __init__(self, stats, delay):
        super().__init__(stats)
        self.delay = delay
        self.ended = False

    def connection_made(self, transport):
        super().connection_made(DelayedTransport(transport, self, self.delay))

    def _data_bytes(self, data, out):
        rest = super()._data_bytes(data, out)
        if not self.in_data:
            self.ended = True  # this read ended a message: the write that answers it waits
        return rest

    def take_ended(self):
        ended, self.ended = self.ended, False
        return ended


async def status(stats, reader, writer):
    try:
        cmd = (await asyncio.wait_for(reader.readline(), 5)).strip().upper()
        if cmd == b"COUNT":
            writer.write(b"%d %d\n" % (stats.count, stats.last_arrival_ns))
        elif cmd == b"WINDOW":
            window, stats.latencies = stats.latencies, []
            writer.write(json.dumps([ns for _, ns in window]).encode() + b"\n")
        else:
            writer.write(b"?\n")
        await writer.drain()
    finally:
        writer.close()


async def main():
    p = argparse.ArgumentParser()
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--status-port", type=int, required=True)
    p.add_argument("--delay-ms", type=float, required=True)
    a = p.parse_args()
    stats = sink.Stats()
    loop = asyncio.get_running_loop()
    smtp = await loop.create_server(lambda: SlowSink(stats, a.delay_ms / 1000.0), a.host, a.port, backlog=4096,
                                    reuse_address=True)
    stat = await asyncio.start_server(lambda r, w: status(stats, r, w), a.host, a.status_port)
    async with smtp, stat:
        await asyncio.gather(smtp.serve_forever(), stat.serve_forever())


if __name__ == "__main__":
    asyncio.run(main())
