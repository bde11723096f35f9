package io.hermod.spool;

import io.hermod.config.SpoolConfig;
import io.hermod.smtp.BodyType;
import io.hermod.smtp.DsnNotify;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;

/** Shared helpers for the spool tests: envelopes, chunked writes, blocking waits, directory listings. */
final class SpoolTestSupport {

  private SpoolTestSupport() {
  }

  static SpoolConfig config(Path dir) {
    return new SpoolConfig(dir.toString(), 2, 64, 0, 0, 0);
  }

  static Envelope envelope(String id) {
    Instant now = Instant.parse("2026-01-02T03:04:05Z");
    return new Envelope(id, "sender@example.test",
        List.of(Recipient.pending("a@example.test", "rfc822;a@example.test", Set.of(DsnNotify.FAILURE)),
            Recipient.pending("b@example.test", null, Set.of())),
        "env-1", null, BodyType.EIGHT_BIT_MIME, false, "127.0.0.1", "client.test", null, "smtp", now, 0, now, false, false);
  }

  /** Blocks the test thread (never a Vert.x thread) until the future completes. */
  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  /** Runs {@code action} on {@code context} and waits for the future it returns. */
  static <T> T onContext(Context context, Supplier<Future<T>> action) throws Exception {
    Promise<T> promise = Promise.promise();
    context.runOnContext(v -> action.get().onComplete(promise));
    return await(promise.future());
  }

  /** Writes {@code data} in random-sized pieces, each after the previous write's future, then commits. */
  static Future<Envelope> writeAndCommit(MessageWriter writer, Envelope envelope, byte[] data, Random random) {
    return writeFrom(writer, data, 0, random).compose(v -> writer.commit(envelope));
  }

  static Future<Void> writeFrom(MessageWriter writer, byte[] data, int from, Random random) {
    if (from >= data.length) {
      return Future.succeededFuture();
    }
    int n = Math.min(data.length - from, 1 + random.nextInt(100_000));
    return writer.write(Buffer.buffer().appendBytes(data, from, n))
        .compose(v -> writeFrom(writer, data, from + n, random));
  }

  static byte[] randomBytes(Random random, int size) {
    byte[] bytes = new byte[size];
    random.nextBytes(bytes);
    return bytes;
  }

  static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  /** SHA-256 of exactly the byte range a {@link Spool.Content} names. */
  static String sha256(Spool.Content content) throws Exception {
    byte[] all = Files.readAllBytes(content.file());
    byte[] range = new byte[(int) content.length()];
    System.arraycopy(all, (int) content.offset(), range, 0, range.length);
    return sha256(range);
  }

  static List<String> names(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
