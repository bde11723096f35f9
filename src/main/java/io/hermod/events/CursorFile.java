package io.hermod.events;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.TreeMap;

/**
 * The cursors file: {@code {"cursors": {"name": seq, ...}}}, replaced atomically (write a temp file, fsync it,
 * rename it over the old one, fsync the directory), so a crash leaves the old file or the new one, never a mix.
 * Blocking: worker threads only.
 */
final class CursorFile {

  private final Path path;
  private final Path temp;

  CursorFile(Path path) {
    this.path = path;
    this.temp = path.resolveSibling(path.getFileName() + ".tmp");
  }

  /** The cursors as last replaced; none when the file does not exist yet. */
  Map<String, Long> load() throws IOException {
    Files.deleteIfExists(temp); // a write a crash interrupted: the old file is whole
    String text;
    try {
      text = Files.readString(path, StandardCharsets.UTF_8);
    } catch (NoSuchFileException none) {
      return Map.of();
    }
    Map<String, Long> cursors = new TreeMap<>();
    try {
      JsonObject all = new JsonObject(text).getJsonObject("cursors", new JsonObject());
      for (String name : all.fieldNames()) {
        Object seq = all.getValue(name);
        if (!(seq instanceof Number n) || n.longValue() < 0 || !FileCursorStore.validName(name)) {
          throw new IOException(path + ": cursor " + name + " has no valid seq (" + seq + ")");
        }
        cursors.put(name, n.longValue());
      }
    } catch (DecodeException | ClassCastException e) {
      throw new IOException(path + " is not the cursors file Hermod writes (" + e.getMessage() + "); restore it,"
          + " or remove it to start every cursor anew (from the oldest journal entry)", e);
    }
    return cursors;
  }

  void replace(Map<String, Long> cursors) throws IOException {
    JsonObject all = new JsonObject();
    cursors.forEach(all::put);
    byte[] bytes = new JsonObject().put("cursors", all).encode().getBytes(StandardCharsets.UTF_8);
    try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(bytes);
      while (buffer.hasRemaining()) {
        ch.write(buffer);
      }
      ch.force(true);
    }
    Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    try (FileChannel dir = FileChannel.open(path.getParent(), StandardOpenOption.READ)) {
      dir.force(true);
    }
  }
}
