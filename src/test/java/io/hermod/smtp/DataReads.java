package io.hermod.smtp;

import io.vertx.core.buffer.Buffer;

import java.io.ByteArrayOutputStream;

/**
 * DATA bytes read by read through {@link ContentScanner#decodeData}, as a session reads them; the decoded runs
 * are collected (copied here, in the test, only to compare them).
 */
final class DataReads {

  final ContentScanner scanner;
  private final ByteArrayOutputStream content = new ByteArrayOutputStream();
  private int consumed;

  DataReads(ContentScanner scanner) {
    this.scanner = scanner;
  }

  /** Reads {@code read[from, to)}; returns the bytes of it consumed. */
  int read(byte[] read, int from, int to) {
    int next = scanner.decodeData(read, from, to, (array, start, end) -> content.write(array, start, end - start));
    consumed += next - from;
    return next - from;
  }

  int read(Buffer read) {
    ArrayView view = ArrayView.of(read);
    return read(view.array(), view.offset(), view.offset() + view.length());
  }

  boolean ended() {
    return scanner.dataEnded();
  }

  int consumed() {
    return consumed;
  }

  byte[] content() {
    return content.toByteArray();
  }
}
