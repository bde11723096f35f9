package io.hermod.delivery;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the lines of a generated message: CRLF endings, header fields folded at whitespace (RFC 5322
 * §2.2.3) to 78 columns where the text allows, and never a line over 998 octets (RFC 5322 §2.1.1): a word
 * too long for that is split across lines. Callers pass text already cleaned by {@link SafeText}.
 */
final class CrlfWriter {

  static final int PREFERRED = 78;
  static final int HARD_LIMIT = 998;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  CrlfWriter line(String line) {
    byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > HARD_LIMIT) {
      // Internal error: everything we write goes through field() or text(), which fold.
      throw new IllegalStateException("line over 998 octets");
    }
    out.writeBytes(bytes);
    out.writeBytes(new byte[] {'\r', '\n'});
    return this;
  }

  CrlfWriter blank() {
    return line("");
  }

  /** "Name: value", folded; continuation lines start with one space. */
  CrlfWriter field(String name, String value) {
    layout(name + ":", " ", value, " ").forEach(this::line);
    return this;
  }

  /** A paragraph of plain text wrapped at 78 columns, every line starting with {@code indent}. */
  CrlfWriter text(String indent, String paragraph) {
    layout(indent, "", paragraph, indent).forEach(this::line);
    return this;
  }

  /** A paragraph whose first line starts at column 0 and whose other lines start with {@code indent}. */
  CrlfWriter hanging(String paragraph, String indent) {
    layout("", "", paragraph, indent).forEach(this::line);
    return this;
  }

  CrlfWriter raw(byte[] bytes) {
    out.writeBytes(bytes);
    return this;
  }

  byte[] toByteArray() {
    return out.toByteArray();
  }

  /**
   * Greedy word layout. {@code first} starts the first line and {@code firstSeparator} goes between it
   * and the first word; {@code continuation} starts every other line. Words are separated by single
   * spaces (the text is cleaned), so unfolding gives the text back, except inside words cut for the hard
   * limit.
   */
  static List<String> layout(String first, String firstSeparator, String text, String continuation) {
    int maxPiece = HARD_LIMIT - Math.max(utf8Length(first + firstSeparator), utf8Length(continuation));
    List<String> lines = new ArrayList<>();
    StringBuilder current = new StringBuilder(first);
    String separator = firstSeparator;
    boolean hasWord = false;
    for (String word : text.split(" ")) {
      if (word.isEmpty()) {
        continue;
      }
      for (String piece : splitLongWord(word, maxPiece)) {
        if (hasWord && utf8Length(current) + 1 + utf8Length(piece) > PREFERRED) {
          lines.add(current.toString());
          current = new StringBuilder(continuation);
          separator = "";
          hasWord = false;
        }
        current.append(hasWord ? " " : separator).append(piece);
        hasWord = true;
      }
    }
    lines.add(current.toString());
    return lines;
  }

  /** Cuts a word into pieces of at most {@code maxOctets} UTF-8 octets, never inside a code point. */
  static List<String> splitLongWord(String word, int maxOctets) {
    List<String> pieces = new ArrayList<>();
    StringBuilder piece = new StringBuilder();
    int octets = 0;
    for (int i = 0; i < word.length(); ) {
      int cp = word.codePointAt(i);
      i += Character.charCount(cp);
      int len = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
      if (octets + len > maxOctets) {
        pieces.add(piece.toString());
        piece.setLength(0);
        octets = 0;
      }
      piece.appendCodePoint(cp);
      octets += len;
    }
    pieces.add(piece.toString());
    return pieces;
  }

  private static int utf8Length(CharSequence s) {
    return s.toString().getBytes(StandardCharsets.UTF_8).length;
  }
}
