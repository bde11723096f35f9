package io.hermod.local;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes one message into a Maildir++ folder, durably: the file is written in tmp/ under a unique name,
 * fsynced, renamed into new/ (atomic on one file system), and new/ is fsynced, so once {@link #deliver}
 * returns the message survives a crash and a reader never sees a partial file. Blocking: call it on a
 * worker thread only.
 */
final class MaildirWriter {

  private final String host;
  private final AtomicLong sequence = new AtomicLong();
  /** Tells apart writers in one process (several verticle instances), whose sequences are independent. */
  private final String writerId = Integer.toHexString(new java.security.SecureRandom().nextInt());

  /** @param hostname our host name, the last part of every file name (the Maildir uniqueness rule) */
  MaildirWriter(String hostname) {
    // The Maildir convention escapes "/" and ":" in the host part, since ":" starts the info suffix.
    this.host = hostname.replace("/", "\\057").replace(":", "\\072");
  }

  /**
   * @param maildir the folder (tmp/ new/ cur/ are created as needed)
   * @param prefix  bytes written before the message (the delivery header fields)
   * @param source  the spool file; {@code length} bytes from {@code offset} are copied unchanged
   * @return the file in new/
   */
  Path deliver(Path maildir, byte[] prefix, Path source, long offset, long length) throws IOException {
    Path tmp = createDurably(maildir.resolve("tmp"));
    Path fresh = createDurably(maildir.resolve("new"));
    createDurably(maildir.resolve("cur"));
    String name = uniqueName(prefix.length + length);
    Path tmpFile = tmp.resolve(name);
    try {
      try (FileChannel out = FileChannel.open(tmpFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
           FileChannel in = FileChannel.open(source, StandardOpenOption.READ)) {
        ByteBuffer head = ByteBuffer.wrap(prefix);
        while (head.hasRemaining()) {
          out.write(head);
        }
        long copied = 0;
        while (copied < length) {
          long n = in.transferTo(offset + copied, length - copied, out);
          if (n <= 0) {
            throw new IOException("spooled message shorter than its envelope says");
          }
          copied += n;
        }
        out.force(true);
      }
      Path target = fresh.resolve(name);
      Files.move(tmpFile, target, StandardCopyOption.ATOMIC_MOVE);
      fsyncDirectory(fresh);
      return target;
    } catch (IOException e) {
      Files.deleteIfExists(tmpFile);
      throw e;
    }
  }

  /** "seconds.MmicrosPpidQseq.host,S=size": unique per host, process and delivery; S= is Maildir++'s size. */
  private String uniqueName(long size) {
    long micros = System.currentTimeMillis() * 1000 + (System.nanoTime() / 1000) % 1000;
    return (micros / 1_000_000) + ".M" + (micros % 1_000_000) + "P" + ProcessHandle.current().pid()
        + "Q" + sequence.incrementAndGet() + "R" + writerId + "." + host + ",S=" + size;
  }

  /**
   * Creates {@code dir} and missing parents; a created directory's entry is made durable by fsyncing its
   * parent, or a crash could lose a new user's folder (and the message renamed into it).
   */
  private static Path createDurably(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return dir;
    }
    Path parent = dir.toAbsolutePath().getParent();
    if (parent != null) {
      createDurably(parent);
    }
    try {
      Files.createDirectory(dir);
    } catch (java.nio.file.FileAlreadyExistsException e) {
      if (!Files.isDirectory(dir)) {
        throw e;
      }
      // A concurrent delivery created it: fsync anyway, it may not have done so yet.
    }
    if (parent != null) {
      fsyncDirectory(parent);
    }
    return dir;
  }

  private static void fsyncDirectory(Path dir) throws IOException {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    }
  }
}
