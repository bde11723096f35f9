package io.hermod.smtp;

import io.vertx.core.buffer.Buffer;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Splits bytes into random-sized chunks, as a socket would deliver them. */
final class Chunks {

  private Chunks() {
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
