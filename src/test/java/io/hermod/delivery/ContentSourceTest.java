package io.hermod.delivery;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A file region streams exactly its bytes, whether it fits one chunk (one worker read) or needs several. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ContentSourceTest {

  @TempDir
  Path dir;

  @ParameterizedTest
  @ValueSource(ints = {1, 1024, ContentSource.CHUNK_SIZE, ContentSource.CHUNK_SIZE + 1,
      3 * ContentSource.CHUNK_SIZE + 7})
  void aRegionStreamsExactlyItsBytes(int length, Vertx vertx) throws Exception {
    byte[] file = new byte[length + 300];
    new Random(length).nextBytes(file);
    Path path = Files.write(dir.resolve("segment"), file);
    List<Buffer> chunks = stream(vertx, ContentSource.ofFile(path, 100, length));
    Buffer all = Buffer.buffer();
    chunks.forEach(all::appendBuffer);
    assertArrayEquals(Arrays.copyOfRange(file, 100, 100 + length), all.getBytes());
    assertEquals((length + ContentSource.CHUNK_SIZE - 1) / ContentSource.CHUNK_SIZE, chunks.size(), "chunks");
    assertTrue(chunks.stream().allMatch(c -> c.length() <= ContentSource.CHUNK_SIZE));
  }

  @Test
  void anEmptyRegionGivesNoChunk(Vertx vertx) throws Exception {
    Path path = Files.write(dir.resolve("segment"), new byte[10]);
    assertEquals(List.of(), stream(vertx, ContentSource.ofFile(path, 10, 0)));
  }

  @ParameterizedTest
  @ValueSource(ints = {1000, 2 * ContentSource.CHUNK_SIZE})
  void aFileShorterThanTheRegionFailsTheStream(int length, Vertx vertx) throws Exception {
    Path path = Files.write(dir.resolve("segment"), new byte[length - 10]);
    ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
        () -> stream(vertx, ContentSource.ofFile(path, 0, length)));
    assertTrue(e.getCause().getMessage().contains(" ends before " + length), e.getCause().toString());
  }

  @Test
  void aMissingFileFailsTheStream(Vertx vertx) {
    org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
        () -> stream(vertx, ContentSource.ofFile(dir.resolve("gone"), 0, 100)));
  }

  private static List<Buffer> stream(Vertx vertx, ContentSource source) throws Exception {
    List<Buffer> chunks = new ArrayList<>();
    Future<Void> done = source.stream(vertx, chunk -> {
      chunks.add(chunk.copy());
      return Future.succeededFuture();
    });
    done.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    return chunks;
  }
}
