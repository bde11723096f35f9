package io.hermod.tlspolicy.dane;

import io.hermod.config.ConfigException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Where DNSSEC validation starts (RFC 4033 §3.1): DS or DNSKEY records in zone-file format, from
 * outboundTls.dane.trustAnchorFile or, by default, the root zone's KSK-2017 and KSK-2024 built in. Read once at start;
 * a file without a single DS or DNSKEY record is refused (an empty anchor set would make every answer "insecure",
 * silently turning DANE off).
 */
public final class TrustAnchors {

  static final String KEY = "outboundTls.dane.trustAnchorFile";
  private static final String BUILT_IN = "root-anchors.zone";

  private final byte[] zoneText;
  private final int records;

  private TrustAnchors(byte[] zoneText, int records) {
    this.zoneText = zoneText;
    this.records = records;
  }

  /** The anchors in {@code file}, or the built-in root anchors when it is null. */
  public static TrustAnchors load(String file) {
    byte[] text;
    String origin;
    if (file == null) {
      origin = "the built-in root anchors";
      try (InputStream in = TrustAnchors.class.getResourceAsStream(BUILT_IN)) {
        text = in.readAllBytes();
      } catch (IOException | NullPointerException e) {
        throw new IllegalStateException("cannot read " + BUILT_IN + " from the class path", e);
      }
    } else {
      origin = file;
      try {
        text = Files.readAllBytes(Path.of(file));
      } catch (IOException e) {
        throw new ConfigException(KEY, file + ": cannot read it: " + e);
      }
    }
    return new TrustAnchors(text, count(text, origin));
  }

  /** How many DS and DNSKEY records there are. */
  public int records() {
    return records;
  }

  /** The zone text, for ValidatingResolver.loadTrustAnchors. */
  InputStream stream() {
    return new ByteArrayInputStream(zoneText);
  }

  private static int count(byte[] text, String origin) {
    int anchors = 0;
    try (Master master = new Master(new ByteArrayInputStream(text), Name.root, 0)) {
      Record r;
      while ((r = master.nextRecord()) != null) {
        if (r.getType() == Type.DS || r.getType() == Type.DNSKEY) {
          anchors++;
        }
      }
    } catch (IOException | RuntimeException e) {
      throw new ConfigException(KEY, origin + ": not a zone file of DS/DNSKEY records: " + e.getMessage());
    }
    if (anchors == 0) {
      throw new ConfigException(KEY, origin + ": no DS or DNSKEY record in it");
    }
    return anchors;
  }
}
