package io.hermod.smtp;

import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The input's array: what a reader sees at {@code array()[arrayOffset() + i]} is the buffer's byte i, for
 * heap, direct and offset buffers; and a byte once appended never changes (views of consumed content handed
 * to the spool stay valid through later appends, growth in place and compaction).
 */
class InputBufferTest {

  @Test
  void theArrayIsTheBufferForHeapDirectAndSlicedReads() {
    byte[] text = "MAIL FROM:<a@b.test>\r\n".getBytes(StandardCharsets.US_ASCII);
    Buffer heap = Buffer.buffer(text);
    Buffer direct = BufferInternal.buffer(Unpooled.directBuffer(64).writeBytes(text));
    Buffer sliced = Buffer.buffer().appendString("xx").appendBytes(text).slice(2, 2 + text.length);
    for (Buffer read : List.of(heap, direct, sliced)) {
      InputBuffer in = new InputBuffer();
      in.append(read);
      assertArrayEquals(text, Arrays.copyOfRange(in.array(), in.arrayOffset() + in.position(),
          in.arrayOffset() + in.end()));
    }
    assertNull(ArrayView.ofHeap(direct));
    assertNotNull(ArrayView.ofHeap(sliced));
  }

  @Test
  void consumedBytesNeverChangeWhateverComesAfter() {
    InputBuffer in = new InputBuffer();
    List<byte[]> arrays = new ArrayList<>();
    List<int[]> ranges = new ArrayList<>();
    List<String> expected = new ArrayList<>();
    String[] reads = {"first line\r\nsec", "ond", " line", "\r\n", "third\r\nfo", "urth\r\n", "x".repeat(300)};
    for (String read : reads) {
      in.append(Buffer.buffer(read));
      // Consume up to the last CRLF, as a reader of lines would; keep a view of what was consumed.
      String unread = new String(in.array(), in.arrayOffset() + in.position(), in.available(), StandardCharsets.US_ASCII);
      int end = unread.lastIndexOf("\r\n");
      if (end >= 0) {
        int from = in.arrayOffset() + in.position();
        arrays.add(in.array());
        ranges.add(new int[] {from, from + end + 2});
        expected.add(unread.substring(0, end + 2));
        in.consumeTo(in.position() + end + 2);
      }
    }
    for (int i = 0; i < arrays.size(); i++) {
      int[] r = ranges.get(i);
      assertEquals(expected.get(i), new String(arrays.get(i), r[0], r[1] - r[0], StandardCharsets.US_ASCII));
    }
    assertEquals(List.of("first line\r\n", "second line\r\n", "third\r\n", "fourth\r\n"), expected);
  }
}
