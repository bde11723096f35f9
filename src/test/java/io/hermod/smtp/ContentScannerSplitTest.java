package io.hermod.smtp;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The one-pass reader ({@link ContentScanner#decodeData} for DATA, {@link ContentScanner#scan} for BDAT) on
 * nasty messages cut at every possible point, at every pair of points (short ones), byte by byte and at random,
 * each read placed at an odd offset inside a larger array: the decoded bytes, where the data ended and every
 * verdict must equal what a plain whole-message reference below computes, and decoded runs must be views of the
 * reads (no copies).
 */
class ContentScannerSplitTest {

  private static final int MAX_LINE = 20; // lines of 18 octets plus CRLF are the longest allowed

  private static final List<String> MESSAGES = List.of(
      ".\r\n",
      "\r\n.\r\n",
      "Subject: x\r\n\r\nbody\r\n.\r\n",
      "..leading\r\n...\r\n.x\r\n. \r\n.\r\n",
      "..\r\n..\r\n..\r\n.\r\n",
      "a\r\n.\r\nQUIT\r\n",
      "no end yet\r\n.",
      "no end yet\r\n.\r",
      "no end\r\n..",
      "",
      ".",
      ".\r",
      "abc.\r\n.\r\n",
      ".\rx\r\n.\r\n",
      ".\r\r\n.\r\n",
      ".\r.\r\n.\r\n",
      "a\n.\nMAIL FROM:<x@y>\r\n.\r\n",
      "a\r.\r\nMAIL FROM:<x@y>\r\n.\r\n",
      "a\n.\r\nMAIL FROM:<x@y>\r\n.\r\n",
      "a\r\n.\nMAIL FROM:<x@y>\r\n.\r\n",
      "a\r\r\n.\r\n",
      "a\r\n\r",
      "x\r",
      "123456789012345678\r\n1234567890123456789\r\n.\r\n",
      "123456789012345678\r\n.\r\n",
      "S: s\r\n\r\n1234567890123456789\r\nshort\r\n.\r\n",
      "S: s\r\n\r\n123456789012345678\r\n..23456789012345678\r\n.\r\n",
      "S: s\r\n\r\n..234567890123456789\r\n.\r\n",
      "S: s\r\n\r\nshort\r\n1234567890123456789",
      "1234567890123456789",
      ".123456789012345678\r\n.\r\n",
      "Received: a\r\nreceived: b\r\n\tfolded\r\nX-Received: c\r\nRECEIVED:d\r\n\r\nReceived: body\r\n.\r\n",
      "Rec\reived: smuggled\r\n\r\n.\r\n",
      ".Received: stuffed\r\n\r\n.\r\n",
      "TLS-Required: No\r\n\r\nb\r\n.\r\n",
      "tls-required:no\r\nSubject: s\r\n\r\n.\r\n",
      "TLS-Required:   nO \t\r\n\r\n.\r\n",
      "TLS-Required: Nope\r\n\r\n.\r\n",
      "TLS-Required: no           x\r\n\r\n.\r\n",
      "TLS-Required:\r\n No\r\n\r\n.\r\n",
      "Subject: s\r\n\r\nTLS-Required: No\r\n.\r\n",
      "TLS-Required: No",
      "Subject: s\r\n\r\r\nbody\r\n.\r\n",
      "\r\r\nX: only a body\r\n.\r\n",
      "Subject: s\r\n\tfolded\r\nX: y\r\n\r\nbody\r\nmore: body\r\n.\r\n",
      "S: \u00e9\u00ff\u0080\r\n\r\n\u00ff.\r\n.\u00ff\r\n.\r\n",
      "\n",
      "\r\n\n.\r\n",
      "..\r\n.\r\n.\r\n");

  /** What reading a message gave: content, whether and where DATA ended, and every verdict. */
  private record Outcome(String content, boolean ended, int consumed, long size, boolean bare, boolean tooLong,
                         long headerBytes, int received, boolean tlsNotRequired) {
  }

  @Test
  void dataCutAtEveryPointGivesTheReferenceOutcome() {
    for (String text : allMessages()) {
      byte[] wire = text.getBytes(StandardCharsets.ISO_8859_1);
      Outcome expected = dataReference(wire);
      for (List<byte[]> reads : cuttings(wire, text.hashCode())) {
        assertEquals(expected, readData(reads), () -> "DATA " + show(text) + " cut " + lengths(reads));
      }
    }
  }

  /** After every read, before the end, the verdicts so far are those of the bytes so far (the session acts on them). */
  @Test
  void dataVerdictsAfterEachReadAreThoseOfThePrefix() {
    for (String text : allMessages()) {
      byte[] wire = text.getBytes(StandardCharsets.ISO_8859_1);
      for (List<byte[]> reads : cuttings(wire, text.hashCode())) {
        ContentScanner scanner = new ContentScanner(Long.MAX_VALUE, MAX_LINE, Long.MAX_VALUE);
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        int pos = 0;
        for (byte[] read : reads) {
          scanner.decodeData(read, 0, read.length, (array, from, to) -> content.write(array, from, to - from));
          if (scanner.dataEnded()) {
            break;
          }
          pos += read.length;
          int prefix = pos;
          assertEquals(dataReference(Arrays.copyOf(wire, prefix)),
              outcome(scanner, content.toString(StandardCharsets.ISO_8859_1), false, prefix),
              () -> "DATA " + show(text) + " after " + prefix + " octets, cut " + lengths(reads));
        }
      }
    }
  }

  @Test
  void bdatCutAtEveryPointGivesTheReferenceOutcome() {
    for (String text : allMessages()) {
      byte[] content = text.getBytes(StandardCharsets.ISO_8859_1);
      Outcome expected = scanReference(content, false, content.length, true);
      for (List<byte[]> reads : cuttings(content, ~text.hashCode())) {
        ContentScanner scanner = new ContentScanner(Long.MAX_VALUE, MAX_LINE, Long.MAX_VALUE);
        Placed placed = new Placed(new Random(reads.size()));
        int pos = 0;
        for (byte[] read : reads) {
          int at = placed.put(read);
          scanner.scan(placed.array, at, at + read.length);
          pos += read.length;
          int prefix = pos;
          assertEquals(scanReference(Arrays.copyOf(content, prefix), false, prefix, false),
              outcome(scanner, text.substring(0, prefix), false, prefix),
              () -> "BDAT " + show(text) + " after " + prefix + " octets, cut " + lengths(reads));
        }
        scanner.finish();
        assertEquals(expected, outcome(scanner, text, false, content.length),
            () -> "BDAT " + show(text) + " cut " + lengths(reads));
      }
    }
  }

  @Test
  void decodedRunsAreViewsOfTheReads() {
    byte[] wire = "Subject: s\r\n\r\nline one\r\n..dot\r\nline three\r\n.\r\n".getBytes(StandardCharsets.US_ASCII);
    byte[] read = new byte[wire.length + 10];
    System.arraycopy(wire, 0, read, 5, wire.length);
    ContentScanner scanner = new ContentScanner(Long.MAX_VALUE, 1000, Long.MAX_VALUE);
    List<int[]> runs = new ArrayList<>();
    int next = scanner.decodeData(read, 5, 5 + wire.length, (array, from, to) -> {
      assertSame(read, array, "a run is a view of the read, not a copy");
      runs.add(new int[] {from, to});
    });
    assertTrue(scanner.dataEnded());
    assertEquals(5 + wire.length, next);
    // Two runs: up to the stuffed dot, then from the byte after it to the end-of-data line.
    assertEquals(List.of("5-29", "30-48"), runs.stream().map(r -> r[0] + "-" + r[1]).toList());
  }

  @Test
  void nothingIsReadAfterTheEnd() {
    ContentScanner scanner = new ContentScanner(Long.MAX_VALUE, 1000, Long.MAX_VALUE);
    byte[] first = ".\r\n".getBytes(StandardCharsets.US_ASCII);
    assertEquals(3, scanner.decodeData(first, 0, 3, (a, f, t) -> { }));
    byte[] more = "MAIL FROM:<a@b>\r\n".getBytes(StandardCharsets.US_ASCII);
    assertEquals(2, scanner.decodeData(more, 2, more.length, (a, f, t) -> {
      throw new AssertionError("content after the end");
    }));
    assertEquals(0, scanner.size());
    assertFalse(scanner.bareNewline());
  }

  /** The listed messages, and generated ones: lines of random dots, CRs, LFs and letters. */
  private static List<String> allMessages() {
    List<String> all = new ArrayList<>(MESSAGES);
    Random random = new Random(17);
    String alphabet = "..\r\n\r\nab:R";
    for (int n = 0; n < 60; n++) {
      StringBuilder s = new StringBuilder();
      int length = random.nextInt(30);
      for (int i = 0; i < length; i++) {
        s.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      all.add(s + (n % 2 == 0 ? "\r\n.\r\n" : ""));
    }
    return all;
  }

  private static Outcome readData(List<byte[]> reads) {
    ContentScanner scanner = new ContentScanner(Long.MAX_VALUE, MAX_LINE, Long.MAX_VALUE);
    ByteArrayOutputStream content = new ByteArrayOutputStream();
    Placed placed = new Placed(new Random(reads.size()));
    int consumed = 0;
    for (byte[] read : reads) {
      int at = placed.put(read);
      int next = scanner.decodeData(placed.array, at, at + read.length, (array, from, to) -> {
        assertTrue(to > from, "an empty run");
        if (array != placed.array) {
          assertArrayEquals(new byte[] {'\r'}, Arrays.copyOfRange(array, from, to), "only a held CR is not in the read");
        } else {
          assertTrue(from >= at && to <= at + read.length, "a run outside the read");
        }
        content.write(array, from, to - from);
      });
      consumed += next - at;
      if (scanner.dataEnded()) {
        break;
      }
    }
    if (scanner.dataEnded()) {
      scanner.finish();
    }
    return outcome(scanner, content.toString(StandardCharsets.ISO_8859_1), scanner.dataEnded(), consumed);
  }

  private static Outcome outcome(ContentScanner s, String content, boolean ended, int consumed) {
    return new Outcome(content, ended, consumed, s.size(), s.bareNewline(), s.lineTooLong(), s.headerBytes(),
        s.receivedCount(), s.tlsNotRequired());
  }

  /** Each read copied to a fresh array at an odd offset, garbage around it: offsets must be honoured. */
  private static final class Placed {
    private final Random random;
    byte[] array;

    Placed(Random random) {
      this.random = random;
    }

    int put(byte[] read) {
      int at = 1 + random.nextInt(7);
      array = new byte[at + read.length + 1 + random.nextInt(7)];
      Arrays.fill(array, (byte) '.');
      Arrays.fill(array, at + read.length, array.length, (byte) '\n');
      System.arraycopy(read, 0, array, at, read.length);
      return at;
    }
  }

  /** Whole; at every single point; at every pair of points (up to 40 octets); byte by byte; 20 random cuttings. */
  private static List<List<byte[]>> cuttings(byte[] b, long seed) {
    List<List<byte[]>> all = new ArrayList<>();
    all.add(List.of(b));
    for (int i = 0; i <= b.length; i++) {
      all.add(List.of(Arrays.copyOfRange(b, 0, i), Arrays.copyOfRange(b, i, b.length)));
      if (b.length <= 40) {
        for (int j = i; j <= b.length; j++) {
          all.add(List.of(Arrays.copyOfRange(b, 0, i), Arrays.copyOfRange(b, i, j), Arrays.copyOfRange(b, j, b.length)));
        }
      }
    }
    List<byte[]> single = new ArrayList<>();
    for (int i = 0; i < b.length; i++) {
      single.add(new byte[] {b[i]});
    }
    all.add(single);
    Random random = new Random(seed);
    for (int n = 0; n < 20; n++) {
      List<byte[]> reads = new ArrayList<>();
      int pos = 0;
      while (pos < b.length) {
        int len = random.nextInt(Math.min(b.length - pos, 9) + 1); // empty reads too
        reads.add(Arrays.copyOfRange(b, pos, pos + len));
        pos += len;
      }
      all.add(reads);
    }
    return all;
  }

  // ---- The reference: whole messages, straightforward, written from the rules rather than from the scanner.

  /**
   * RFC 5321 §4.5.2 on the whole wire: lines end only at CRLF; the line "." ends the data; any other line
   * loses one leading dot. Without an end, the unfinished last line is content too, except that its leading
   * dot, and a CR right after that dot, are held back (they may still become the end line).
   */
  private static Outcome dataReference(byte[] wire) {
    ByteArrayOutputStream content = new ByteArrayOutputStream();
    int pos = 0;
    while (pos < wire.length) {
      int crlf = indexOf(wire, pos);
      int lineEnd = crlf < 0 ? wire.length : crlf + 2;
      byte[] line = Arrays.copyOfRange(wire, pos, lineEnd);
      String s = new String(line, StandardCharsets.ISO_8859_1);
      if (s.equals(".\r\n")) {
        byte[] c = content.toByteArray();
        return scanReference(c, true, lineEnd, true);
      }
      if (crlf < 0 && (s.equals(".") || s.equals(".\r"))) {
        break; // held back
      }
      int from = s.startsWith(".") ? 1 : 0;
      content.write(line, from, line.length - from);
      pos = lineEnd;
    }
    return scanReference(content.toByteArray(), false, wire.length, false);
  }

  /** The checks on whole decoded content; {@code complete}: a CR at its very end is bare. */
  private static Outcome scanReference(byte[] c, boolean ended, int consumed, boolean complete) {
    String text = new String(c, StandardCharsets.ISO_8859_1);
    boolean bare = false;
    for (int i = 0; i < c.length; i++) {
      if (c[i] == '\n' && (i == 0 || c[i - 1] != '\r')) {
        bare = true;
      }
      if (c[i] == '\r' && (i + 1 < c.length ? c[i + 1] != '\n' : complete)) {
        bare = true;
      }
    }
    boolean tooLong = false;
    long headerBytes = 0;
    int received = 0;
    boolean tlsNotRequired = false;
    boolean inHeaders = true;
    // Lines end at any LF (the bare ones are refused anyway); CRs do not count in a line's length.
    List<String> lines = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        lines.add(text.substring(start, i + 1));
        start = i + 1;
      }
    }
    if (start < text.length()) {
      lines.add(text.substring(start));
    }
    for (String line : lines) {
      boolean terminated = line.endsWith("\n");
      String visible = line.replace("\r", "").replace("\n", "");
      tooLong |= visible.length() > MAX_LINE - 2;
      if (!inHeaders) {
        continue;
      }
      if (visible.isEmpty()) {
        if (terminated) {
          inHeaders = false; // the empty line (CRs only) ends the header section and is not part of it
        }
        continue;
      }
      int leadingCrs = 0;
      while (line.charAt(leadingCrs) == '\r') {
        leadingCrs++;
      }
      headerBytes += line.length() - leadingCrs;
      String lower = visible.toLowerCase(java.util.Locale.ROOT);
      if (lower.startsWith("received:")) {
        received++;
      }
      if (terminated && lower.startsWith("tls-required:")) {
        String value = visible.substring("tls-required:".length());
        tlsNotRequired |= value.length() <= 16 && value.strip().equalsIgnoreCase("no");
      }
    }
    return new Outcome(text, ended, consumed, c.length, bare, tooLong, headerBytes, received, tlsNotRequired);
  }

  private static int indexOf(byte[] b, int from) {
    for (int i = from; i + 1 < b.length; i++) {
      if (b[i] == '\r' && b[i + 1] == '\n') {
        return i;
      }
    }
    return -1;
  }

  private static String show(String s) {
    return "\"" + s.replace("\r", "\\r").replace("\n", "\\n") + "\"";
  }

  private static String lengths(List<byte[]> reads) {
    return reads.stream().map(r -> String.valueOf(r.length)).toList().toString();
  }
}
