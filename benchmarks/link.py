#!/usr/bin/env python3
"""A long-distance link on loopback: a TCP relay that passes every chunk on DELAY ms after it arrived, in both
directions and in order, as a network path with that one-way delay (round trip 2 x DELAY) and no bandwidth limit
would. The wan scenario (benchmarks/wan.py) puts it between an MTA and its sink. Stdlib only.

  link.py --port P --to TARGET_PORT --delay-ms D [--host 127.0.0.1]

Listens on 127.0.0.1 only and connects only to 127.0.0.1:TARGET_PORT.
"""
import argparse
import asyncio

HOST = "127.0.0.1"


async def pipe(reader, writer, delay):
    """Copies reader to writer, each chunk DELAY seconds after it was read; the order is kept because every chunk
    waits until its own due time and the chunks are due in the order they came."""
    loop = asyncio.get_running_loop()
    queue = asyncio.Queue()

    async def pump():
        while True:
            due, data = await queue.get()
            wait = due - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            if data is None:
                break
            writer.write(data)
            await writer.drain()
        writer.close()

    sender = asyncio.create_task(pump())
    try:
        while True:
            data = await reader.read(65536)
            queue.put_nowait((loop.time() + delay, data or None))
            if not data:
                break
    except (ConnectionError, OSError):
        queue.put_nowait((loop.time() + delay, None))
    try:
        await sender
    except (ConnectionError, OSError):
        pass


async def serve(port, target, delay_ms):
    delay = delay_ms / 1000.0

    async def handle(client_reader, client_writer):
        try:
            server_reader, server_writer = await asyncio.open_connection(HOST, target)
        except OSError:
            client_writer.close()
            return
        await asyncio.gather(pipe(client_reader, server_writer, delay), pipe(server_reader, client_writer, delay))

    server = await asyncio.start_server(handle, HOST, port)
    async with server:
        await server.serve_forever()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--to", type=int, required=True, help="the port on 127.0.0.1 to relay to")
    ap.add_argument("--delay-ms", type=float, required=True, help="one-way delay")
    a = ap.parse_args()
    asyncio.run(serve(a.port, a.to, a.delay_ms))


if __name__ == "__main__":
    main()
