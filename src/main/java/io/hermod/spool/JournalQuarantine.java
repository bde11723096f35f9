package io.hermod.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Copies damaged or unreadable journal records to quarantine/ for a person to look at, with a WARNING. */
final class JournalQuarantine {

  private static final Logger LOG = Logger.getLogger("io.hermod.spool");
  private static final Pattern ID = Pattern.compile("\"id\":\"([0-9a-z]{16})\"");

  private final SpoolFiles files;
  private final SpoolDirs dirs;
  private int count;

  JournalQuarantine(SpoolFiles files, SpoolDirs dirs) {
    this.files = files;
    this.dirs = dirs;
  }

  int count() {
    return count;
  }

  /** Bytes {@code [from, to)} of {@code bytes}, which hold segment {@code segment} from its start. */
  void copy(long segment, byte[] bytes, int from, int to, String reason) throws IOException {
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
    count++;
    String id = idIn(bytes, from, to - from);
    LOG.warning("spool: quarantined journal record" + (id == null ? "" : " of message " + id) + " at "
        + dirs.segment(segment) + " offset " + from + " (" + (to - from) + " bytes, " + reason + "); bytes copied to "
        + target);
  }

  private static String idIn(byte[] bytes, int from, int length) {
    Matcher m = ID.matcher(new String(bytes, from, Math.min(length, 4096), StandardCharsets.ISO_8859_1));
    return m.find() ? m.group(1) : null;
  }
}
