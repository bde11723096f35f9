package io.hermod.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.List;

/**
 * Every file-system call the spool makes, behind one small interface so that tests can inject a failure
 * (a full disk, a failing device) at any chosen step. All methods block: call them on I/O threads only.
 */
interface SpoolFiles {

  /** A file open for writing, with its path (so a fault injector can tell files apart). */
  record OpenFile(Path path, FileChannel channel) {
  }

  /** Creates a new file; fails if it already exists (a queue id must never be reused). */
  OpenFile create(Path file) throws IOException;

  /** Writes all of {@code data} at the current position. */
  void write(OpenFile file, ByteBuffer data) throws IOException;

  /** fsync(2) of the file's data and metadata. */
  void force(OpenFile file) throws IOException;

  void close(OpenFile file) throws IOException;

  /** ftruncate(2): cuts the file to {@code size} bytes (and its position with it). */
  void truncate(OpenFile file, long size) throws IOException;

  /** fsync(2) of a directory, making renames and deletions in it durable. */
  void forceDirectory(Path dir) throws IOException;

  /** rename(2): atomic, replaces {@code to} if it exists. */
  void move(Path from, Path to) throws IOException;

  /** @return true if the file existed */
  boolean delete(Path file) throws IOException;

  boolean exists(Path file);

  /** The regular files directly in {@code dir}. */
  List<Path> list(Path dir) throws IOException;

  byte[] read(Path file) throws IOException;

  /** {@code length} bytes of {@code file} from {@code offset}; fails if the file is shorter. */
  byte[] read(Path file, long offset, int length) throws IOException;

  long size(Path file) throws IOException;

  void createDirectories(Path dir) throws IOException;

  /** Bytes available to this process on the file system holding {@code dir}. */
  long usableSpace(Path dir) throws IOException;
}
