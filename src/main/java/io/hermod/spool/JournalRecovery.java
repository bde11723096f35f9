package io.hermod.spool;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * Rebuilds the journal index at start-up (blocking; runs on an I/O thread). Segments are read in order,
 * every record checked (header CRC, payload CRC, envelope). A damaged stretch followed by a valid record is
 * corruption: its bytes go to quarantine/ with a WARNING. A damaged stretch at the end of a segment is an
 * append cut short by a crash (never acknowledged) and is dropped.
 */
final class JournalRecovery {

  record Result(List<Envelope> envelopes, long bytes, int quarantined, long discardedBytes) {
  }

  /** A record whose framing is sound; {@code record} is null when its JSON line cannot be used. */
  private record Parsed(int length, JournalRecord record, String problem) {
  }

  private static final Logger LOG = Logger.getLogger("io.hermod.spool");
  private static final Pattern ID = Pattern.compile("\"id\":\"([0-9a-z]{16})\"");

  private final SpoolFiles files;
  private final SpoolDirs dirs;
  private final Journal journal;
  private final Map<String, Envelope> envelopes = new HashMap<>();
  private int quarantined;
  private long discardedBytes;

  JournalRecovery(SpoolFiles files, SpoolDirs dirs, Journal journal) {
    this.files = files;
    this.dirs = dirs;
    this.journal = journal;
  }

  Result run() throws IOException {
    TreeMap<Long, Path> segments = new TreeMap<>();
    for (Path file : files.list(dirs.journal())) {
      long number = SpoolDirs.segmentNumber(file);
      if (number < 0) {
        LOG.warning("spool: ignoring unexpected file " + file);
      } else {
        segments.put(number, file);
      }
    }
    for (Map.Entry<Long, Path> segment : segments.entrySet()) {
      journal.index().addSegment(segment.getKey());
      scan(segment.getKey(), segment.getValue(), files.read(segment.getValue()));
    }
    List<Envelope> live = new ArrayList<>();
    long bytes = 0;
    for (String id : journal.index().ids()) {
      live.add(envelopes.get(id));
      bytes += journal.index().get(id).data().length();
    }
    journal.collectGarbage();
    return new Result(live, bytes, quarantined, discardedBytes);
  }

  private void scan(long segment, Path file, byte[] bytes) throws IOException {
    int pos = 0;
    while (pos < bytes.length) {
      Parsed parsed = parse(bytes, pos);
      if (parsed == null) {
        int next = nextRecord(bytes, pos + 1);
        if (next < 0) {
          tornTail(file, bytes, pos);
          return;
        }
        quarantine(segment, file, bytes, pos, next, "damaged record", idIn(bytes, pos, next - pos));
        pos = next;
        continue;
      }
      if (parsed.record() == null) {
        quarantine(segment, file, bytes, pos, pos + parsed.length(), parsed.problem(), idIn(bytes, pos, parsed.length()));
      } else {
        restore(parsed.record(), segment, pos);
      }
      pos += parsed.length();
    }
  }

  private void restore(JournalRecord record, long segment, long offset) {
    boolean applied = journal.apply(record, segment, offset);
    if (record.type() == JournalRecord.Type.REMOVE) {
      envelopes.remove(record.id());
    } else if (applied) {
      envelopes.put(record.id(), EnvelopeFile.parse(record.line()));
    }
  }

  /**
   * The record at {@code pos}: null when its framing cannot be trusted (bad magic, header CRC or payload CRC,
   * or it runs past the end of the segment).
   */
  private static Parsed parse(byte[] bytes, int pos) {
    if (bytes.length - pos < JournalRecord.HEADER_LENGTH
        || !Arrays.equals(bytes, pos, pos + JournalRecord.MAGIC.length, JournalRecord.MAGIC, 0, JournalRecord.MAGIC.length)
        || bytes[pos + JournalRecord.HEADER_LENGTH - 1] != '\n') {
      return null;
    }
    String header = new String(bytes, pos, JournalRecord.HEADER_LENGTH - 1, StandardCharsets.US_ASCII);
    CRC32C headerCrc = new CRC32C();
    headerCrc.update(bytes, pos, JournalRecord.HEADER_CRC_COVERS);
    JournalRecord.Type type = JournalRecord.Type.of(bytes[pos + 4]);
    long lineLength;
    long dataLength;
    try {
      if (type == null || Long.parseLong(header.substring(33, 41), 16) != headerCrc.getValue()) {
        return null;
      }
      lineLength = Long.parseLong(header.substring(6, 14), 16);
      dataLength = Long.parseLong(header.substring(15, 23), 16);
    } catch (NumberFormatException e) {
      return null;
    }
    long length = JournalRecord.HEADER_LENGTH + lineLength + dataLength;
    if (length > bytes.length - pos) {
      return null;
    }
    CRC32C payloadCrc = new CRC32C();
    payloadCrc.update(bytes, pos + JournalRecord.HEADER_LENGTH, (int) (lineLength + dataLength));
    if (Long.parseLong(header.substring(24, 32), 16) != payloadCrc.getValue()) {
      return null;
    }
    int lineStart = pos + JournalRecord.HEADER_LENGTH;
    byte[] line = Arrays.copyOfRange(bytes, lineStart, lineStart + (int) lineLength);
    try {
      return new Parsed((int) length, record(type, line, ByteBuffer.wrap(bytes, lineStart + line.length,
          (int) dataLength), (int) dataLength), null);
    } catch (IllegalArgumentException e) {
      return new Parsed((int) length, null, e.getMessage());
    }
  }

  /** The record a sound frame holds. @throws IllegalArgumentException if its JSON line is unusable */
  private static JournalRecord record(JournalRecord.Type type, byte[] line, ByteBuffer data, int dataLength) {
    if (type == JournalRecord.Type.REMOVE) {
      JsonObject json = EnvelopeFile.parseLine(line);
      String id = json.getValue("id") instanceof String s ? s : null;
      if (id == null || !QueueIds.isValid(id) || dataLength != 0) {
        throw new IllegalArgumentException("removal without a valid queue id");
      }
      return new JournalRecord(type, id, line, List.of(), 0);
    }
    Envelope envelope = EnvelopeFile.parse(line);
    if (type == JournalRecord.Type.MESSAGE && envelope.size() != dataLength) {
      throw new IllegalArgumentException("record has " + dataLength + " message bytes, envelope says " + envelope.size());
    }
    if (type == JournalRecord.Type.UPDATE && dataLength != 0) {
      throw new IllegalArgumentException("update with message bytes");
    }
    return new JournalRecord(type, envelope.id(), line, List.of(data), dataLength);
  }

  /** Start of the next record with sound framing at or after {@code from}, or -1. */
  private static int nextRecord(byte[] bytes, int from) {
    for (int pos = from; pos <= bytes.length - JournalRecord.HEADER_LENGTH; pos++) {
      if (bytes[pos] == '#' && parse(bytes, pos) != null) {
        return pos;
      }
    }
    return -1;
  }

  private void tornTail(Path file, byte[] bytes, int pos) {
    boolean zeros = true;
    for (int i = pos; i < bytes.length && zeros; i++) {
      zeros = bytes[i] == 0;
    }
    discardedBytes += bytes.length - pos;
    if (!zeros) {
      LOG.info("spool: dropped " + (bytes.length - pos) + " bytes of an unfinished append at the end of " + file);
    }
  }

  private void quarantine(long segment, Path file, byte[] bytes, int from, int to, String reason, String id)
      throws IOException {
    // The damaged bytes stay in the segment until it is deleted, so a later start finds them again.
    Path target = dirs.quarantine().resolve(String.format("%016x.%d.rec", segment, from));
    if (!files.exists(target)) {
      SpoolFiles.OpenFile out = files.create(target);
      try {
        files.write(out, ByteBuffer.wrap(bytes, from, to - from));
        files.force(out);
      } finally {
        files.close(out);
      }
    }
    quarantined++;
    LOG.warning("spool: quarantined journal record" + (id == null ? "" : " of message " + id) + " at " + file
        + " offset " + from + " (" + (to - from) + " bytes, " + reason + "); bytes copied to " + target);
  }

  private static String idIn(byte[] bytes, int from, int length) {
    Matcher m = ID.matcher(new String(bytes, from, Math.min(length, 4096), StandardCharsets.ISO_8859_1));
    return m.find() ? m.group(1) : null;
  }
}

