#!/usr/bin/env python3
"""A counting SMTP sink that is slow to accept each message: sink.py's protocol, with the reply to every end
of data sent DELAY ms late (per connection, in order). N connections of an MTA can then relay at most
N * 1000 / DELAY messages a second: a relay capacity below what the MTA can accept (the sustained scenario,
benchmarks/sustained.py). Stdlib only.

  slowsink.py --port P --status-port S --delay-ms D [--host 127.0.0.1]

The status port is sink.py's (COUNT, WINDOW, ...). A message counts when its end of data has arrived (before
the delayed reply), as in sink.py.
"""
import asyncio
import collections

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


if __name__ == "__main__":
    parser = sink.arguments()
    parser.add_argument("--delay-ms", type=float, required=True)
    args = parser.parse_args()
    asyncio.run(sink.serve(args, lambda stats: SlowSink(stats, args.delay_ms / 1000.0)))
