package io.hermod.smtp;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ContentScannerTest {

  private static ContentScanner scanInBytes(String content, long maxSize, int maxLine) {
    return scanInBytes(content, maxSize, maxLine, Long.MAX_VALUE);
  }

  private static ContentScanner scanInBytes(String content, long maxSize, int maxLine, long maxHeader) {
    ContentScanner s = new ContentScanner(maxSize, maxLine, maxHeader);
    Buffer b = Buffer.buffer(content);
    for (int i = 0; i < b.length(); i++) {
      s.scan(b, i, i + 1); // byte by byte: the hardest split
    }
    s.finish();
    return s;
  }

  @Test
  void countsReceivedHeadersOnlyInTheHeaderSection() {
    String msg = "Received: a\r\nreceived: b\r\n\tfolded\r\nX-Received: c\r\nRECEIVED:d\r\nSubject: s\r\n\r\n"
        + "Received: in the body\r\n";
    ContentScanner s = scanInBytes(msg, 1 << 20, 1000);
    assertEquals(3, s.receivedCount());
    assertFalse(s.bareNewline());
  }

  @Test
  void lineLengthLimitIncludesCrLf() {
    assertFalse(scanInBytes("12345678\r\n", 100, 10).lineTooLong());
    assertTrue(scanInBytes("123456789\r\n", 100, 10).lineTooLong());
  }

  @Test
  void sizeLimit() {
    assertFalse(scanInBytes("12345678\r\n", 10, 1000).sizeExceeded());
    ContentScanner s = scanInBytes("123456789\r\n", 10, 1000);
    assertTrue(s.sizeExceeded());
    assertEquals(11, s.size());
  }

  @Test
  void headerSectionIsTheFieldsUpToTheEmptyLine() {
    String header = "Subject: s\r\n\tfolded\r\nX: y\r\n"; // 12 + 9 + 6 octets
    assertEquals(27, scanInBytes(header + "\r\nbody\r\nmore: body\r\n", 100, 1000).headerBytes());
    assertEquals(27, scanInBytes(header, 100, 1000).headerBytes()); // no body: all header section
    assertEquals(0, scanInBytes("\r\nX: only a body\r\n", 100, 1000).headerBytes());
    assertFalse(scanInBytes(header + "\r\nbody\r\n", 100, 1000, 27).headerTooBig());
    assertTrue(scanInBytes(header + "\r\nbody\r\n", 100, 1000, 26).headerTooBig());
  }

  @Test
  void bareCrAndLf() {
    assertTrue(scanInBytes("a\nb\r\n", 100, 1000).bareNewline());
    assertTrue(scanInBytes("a\rb\r\n", 100, 1000).bareNewline());
    assertTrue(scanInBytes("a\r\n\r", 100, 1000).bareNewline());
    assertFalse(scanInBytes("a\r\nb", 100, 1000).bareNewline());
  }
}
