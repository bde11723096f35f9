package io.hermod.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** {@link SpoolFiles} on the real file system (java.nio). */
final class RealSpoolFiles implements SpoolFiles {

  @Override
  public OpenFile create(Path file) throws IOException {
    return new OpenFile(file, FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
  }

  @Override
  public void write(OpenFile file, ByteBuffer data) throws IOException {
    while (data.hasRemaining()) {
      file.channel().write(data);
    }
  }

  @Override
  public void force(OpenFile file) throws IOException {
    file.channel().force(true);
  }

  @Override
  public void close(OpenFile file) throws IOException {
    file.channel().close();
  }

  @Override
  public void truncate(OpenFile file, long size) throws IOException {
    file.channel().truncate(size);
  }

  @Override
  public void forceDirectory(Path dir) throws IOException {
    // Opening a directory read-only and forcing it issues fsync(2) on it (works on Linux).
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }

  @Override
  public void move(Path from, Path to) throws IOException {
    Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
  }

  @Override
  public boolean delete(Path file) throws IOException {
    return Files.deleteIfExists(file);
  }

  @Override
  public boolean exists(Path file) {
    return Files.exists(file);
  }

  @Override
  public List<Path> list(Path dir) throws IOException {
    try (Stream<Path> entries = Files.list(dir)) {
      List<Path> files = new ArrayList<>();
      entries.filter(Files::isRegularFile).forEach(files::add);
      return files;
    }
  }

  @Override
  public byte[] read(Path file) throws IOException {
    return Files.readAllBytes(file);
  }

  @Override
  public byte[] read(Path file, long offset, int length) throws IOException {
    return FileRanges.read(file, offset, length);
  }

  @Override
  public long size(Path file) throws IOException {
    return Files.size(file);
  }

  @Override
  public void createDirectories(Path dir) throws IOException {
    Files.createDirectories(dir);
  }

  @Override
  public long usableSpace(Path dir) throws IOException {
    return Files.getFileStore(dir).getUsableSpace();
  }
}
