package io.hermod.smtp;

import io.vertx.core.buffer.Buffer;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Splits bytes into random-sized chunks, as a socket would deliver them. */
final class Chunks {

  private Chunks() {
  }

  /**
   * The same bytes cut in several ways for fuzz targets that must not depend on where a read ends: whole,
   * one byte at a time, and two random cuttings seeded by the content (so a failure replays exactly).
   */
  static List<List<Buffer>> cuttings(byte[] bytes) {
    List<Buffer> single = new ArrayList<>();
    for (byte b : bytes) {
      single.add(Buffer.buffer(new byte[] {b}));
    }
    long seed = java.util.Arrays.hashCode(bytes);
    return List.of(List.of(Buffer.buffer(bytes)), single,
        random(bytes, new Random(seed)), random(bytes, new Random(~seed)));
  }

  static List<Buffer> random(byte[] bytes, Random random) {
    List<Buffer> chunks = new ArrayList<>();
    int pos = 0;
    while (pos < bytes.length) {
      int n = 1 + random.nextInt(Math.min(bytes.length - pos, 1 + random.nextInt(16)));
      chunks.add(Buffer.buffer(java.util.Arrays.copyOfRange(bytes, pos, pos + n)));
      pos += n;
    }
    return chunks;
  }
}
