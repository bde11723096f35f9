package io.hermod.spool;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** A byte range of a spool file read whole, blocking: for the spool's I/O threads and delivery's worker reads. */
public final class FileRanges {

  private FileRanges() {
  }

  /** {@code length} bytes of {@code file} from {@code offset}; fails with EOFException if the file is shorter. */
  public static byte[] read(Path file, long offset, int length) throws IOException {
    ByteBuffer bytes = ByteBuffer.allocate(length);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      while (bytes.hasRemaining()) {
        if (channel.read(bytes, offset + bytes.position()) < 0) {
          throw new EOFException(file + " ends before " + (offset + length));
        }
      }
    }
    return bytes.array();
  }
}
