package io.hermod.events;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.Random;
import java.util.regex.Pattern;

/**
 * This node's stable identity in the event feed: the name of its journal, so that a subscriber keeps one position
 * per node and finds the same node (and its backlog) again after a restart. Created at first start in the spool
 * directory (file {@code node-id}, fsynced), read at every later start. Blocking: call it on a worker thread.
 */
public final class NodeId {

  public static final String FILE = "node-id";
  private static final Pattern VALID = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

  private NodeId() {
  }

  /** The id stored in {@code spoolDir}, created (16 random hex digits) when there is none yet. */
  public static String loadOrCreate(Path spoolDir, Random random) throws IOException {
    Path file = spoolDir.resolve(FILE);
    if (Files.exists(file)) {
      String id = Files.readString(file, StandardCharsets.US_ASCII).strip();
      if (!VALID.matcher(id).matches()) {
        throw new IOException(file + " does not hold a node id (expected " + VALID.pattern() + "): " + id);
      }
      return id;
    }
    byte[] bytes = new byte[8];
    random.nextBytes(bytes);
    String id = HexFormat.of().formatHex(bytes);
    Files.createDirectories(spoolDir);
    // Written aside, fsynced, renamed, and the directory fsynced: a crash leaves either no id or the whole id.
    Path tmp = spoolDir.resolve(FILE + ".tmp");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      ch.write(ByteBuffer.wrap((id + "\n").getBytes(StandardCharsets.US_ASCII)));
      ch.force(true);
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    try (FileChannel dir = FileChannel.open(spoolDir, StandardOpenOption.READ)) {
      dir.force(true);
    }
    return id;
  }

  /** True for a string that can be a node id (what a client may put into an address). */
  public static boolean isValid(String id) {
    return id != null && VALID.matcher(id).matches();
  }
}
