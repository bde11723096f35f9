package io.hermod.ops;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * Bulk jobs as small JSON files, {@code <spool>/bulk/<job>.json}, so that an unfinished one is resumed after a
 * restart. Each write is atomic and durable: a temporary file, fsync, rename over the old one, fsync of the
 * directory. Blocking: call from a worker thread.
 */
final class BulkJobStore {

  private static final Logger LOG = Logger.getLogger(BulkJobStore.class.getName());
  private static final String SUFFIX = ".json";

  private final Path dir;

  BulkJobStore(Path dir) {
    this.dir = dir;
  }

  /** Writes {@code json} (a job's {@link BulkJob#toJson}, taken on its context) as the job's file. */
  void save(String id, JsonObject json) throws IOException {
    Files.createDirectories(dir);
    Path tmp = dir.resolve(id + ".tmp");
    try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer bytes = ByteBuffer.wrap((json.encode() + "\n").getBytes(StandardCharsets.UTF_8));
      while (bytes.hasRemaining()) {
        out.write(bytes);
      }
      out.force(true);
    }
    Files.move(tmp, dir.resolve(id + SUFFIX), StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true); // the rename itself survives a crash
    }
  }

  void delete(String id) throws IOException {
    Files.deleteIfExists(dir.resolve(id + SUFFIX));
  }

  /** Every job on disk; an unreadable file is logged and left alone, a leftover temporary file removed. */
  List<BulkJob> loadAll() throws IOException {
    List<BulkJob> jobs = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return jobs;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        if (name.endsWith(".tmp")) {
          Files.deleteIfExists(file);
        } else if (name.endsWith(SUFFIX)) {
          try {
            jobs.add(BulkJob.fromJson(new JsonObject(Files.readString(file, StandardCharsets.UTF_8))));
          } catch (RuntimeException e) {
            LOG.warning("bulk job file " + file + " is unreadable, ignored: " + e.getMessage());
          }
        }
      }
    }
    return jobs;
  }
}
