package io.hermod.events;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Reads a segment's records in order from a file position up to a limit, through one buffer of 8 to 64 KiB
 * (larger only for a record larger than that): memory holds one chunk of the file, never the segment. Stops at the limit, at a short (torn) record or at a corrupt
 * one ({@link #stoppedAt()} says which).
 */
final class RecordReader {

  /** The first read is small (a reader at the tail wants a few entries); each further one doubles, to this. */
  private static final int FIRST_CHUNK = 8 * 1024;
  private static final int CHUNK = 64 * 1024;

  private final FileChannel channel;
  private final long limit;
  private long filePosition; // file offset of buffer's position
  private ByteBuffer buffer = ByteBuffer.allocate(0);
  private JournalRecord.Status stoppedAt = JournalRecord.Status.OK;
  private long bytesRead;

  RecordReader(FileChannel channel, long position, long limit) {
    this.channel = channel;
    this.filePosition = position;
    this.limit = limit;
  }

  /** The file offset just after the last record returned (where the next one starts). */
  long position() {
    return filePosition;
  }

  /** Bytes read from the file so far (what a read costs in I/O). */
  long bytesRead() {
    return bytesRead;
  }

  /** OK when the reader reached the limit cleanly; SHORT or CORRUPT when it stopped at a bad record. */
  JournalRecord.Status stoppedAt() {
    return stoppedAt;
  }

  /** The next record, or null at the end (see {@link #stoppedAt()}). */
  JournalRecord next() throws IOException {
    while (true) {
      JournalRecord.Decoded d = JournalRecord.decode(buffer);
      if (d.status() == JournalRecord.Status.OK) {
        filePosition += d.record().size();
        return d.record();
      }
      if (d.status() == JournalRecord.Status.CORRUPT) {
        stoppedAt = JournalRecord.Status.CORRUPT;
        return null;
      }
      long unread = filePosition + buffer.remaining();
      // At the limit, or the file ends before it (a segment cut meanwhile): what is left is a torn record.
      if (unread >= limit || !refill(unread)) {
        stoppedAt = buffer.hasRemaining() ? JournalRecord.Status.SHORT : JournalRecord.Status.OK;
        return null;
      }
    }
  }

  /**
   * Keeps the unread bytes, grows the buffer for a record larger than it, and reads more of the file; false
   * when the file had no more bytes.
   */
  private boolean refill(long unread) throws IOException {
    int needed = Math.max(Math.min(CHUNK, Math.max(FIRST_CHUNK, buffer.capacity() * 2)),
        JournalRecord.announcedSize(buffer));
    ByteBuffer next = buffer.capacity() >= needed ? buffer : ByteBuffer.allocate(needed);
    if (next == buffer) {
      buffer.compact();
    } else {
      next.put(buffer);
    }
    buffer = next;
    int wanted = (int) Math.min(buffer.remaining(), limit - unread);
    buffer.limit(buffer.position() + wanted);
    long at = unread;
    while (buffer.hasRemaining()) {
      int n = channel.read(buffer, at);
      if (n < 0) {
        break;
      }
      at += n;
      bytesRead += n;
    }
    buffer.flip();
    return at > unread;
  }
}
