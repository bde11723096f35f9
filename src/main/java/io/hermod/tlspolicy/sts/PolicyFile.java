package io.hermod.tlspolicy.sts;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * The cached policies on disk ({@code <spool>/mta-sts/policies.json}), so that they survive a restart: replaced
 * as a whole, atomically (temporary file, fsync, rename, fsync of the directory), so that a crash leaves the
 * old file or the new one. Blocking: call it on a worker thread.
 */
final class PolicyFile {

  private static final Logger LOG = Logger.getLogger(PolicyFile.class.getName());

  private final Path file;

  PolicyFile(Path file) {
    this.file = file;
  }

  Path path() {
    return file;
  }

  void replace(List<CachedPolicy> policies) throws IOException {
    Path dir = file.getParent();
    Files.createDirectories(dir);
    JsonArray all = new JsonArray();
    policies.forEach(p -> all.add(p.toJson()));
    byte[] bytes = new JsonObject().put("policies", all).encode().getBytes(StandardCharsets.UTF_8);
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      while (buffer.hasRemaining()) {
        out.write(buffer);
      }
      out.force(true);
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    }
  }

  /** The policies in the file; none when there is no file; a damaged entry or file is logged and skipped. */
  List<CachedPolicy> load() throws IOException {
    List<CachedPolicy> policies = new ArrayList<>();
    if (!Files.exists(file)) {
      return policies;
    }
    JsonArray all;
    try {
      all = new JsonObject(Files.readString(file, StandardCharsets.UTF_8)).getJsonArray("policies");
    } catch (RuntimeException e) {
      LOG.warning("MTA-STS policy cache " + file + " is unreadable, starting empty: " + e.getMessage());
      return policies;
    }
    for (Object o : all) {
      try {
        policies.add(CachedPolicy.fromJson((JsonObject) o));
      } catch (RuntimeException e) {
        LOG.warning("MTA-STS policy cache " + file + ": a damaged entry skipped: " + e.getMessage());
      }
    }
    return policies;
  }
}
