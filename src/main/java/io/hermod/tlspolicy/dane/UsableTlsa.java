package io.hermod.tlspolicy.dane;

import io.hermod.tlspolicy.Tlsa;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.Record;
import org.xbill.DNS.TLSARecord;

/**
 * Which TLSA records DANE for SMTP may use (RFC 7672 §3.1, RFC 7671 §4): certificate usages DANE-TA(2) and
 * DANE-EE(3) only (PKIX-TA(0) and PKIX-EE(1) are not for SMTP), selectors Cert(0) and SPKI(1), matching types
 * Full(0), SHA2-256(1) and SHA2-512(2). A record with any other value, or a digest of the wrong length, is
 * unusable; a secure RRset with none usable means "encrypt, no authentication" (RFC 7672 §2.2).
 */
public final class UsableTlsa {

  static final int SELECTOR_CERT = 0;
  static final int SELECTOR_SPKI = 1;
  static final int MATCH_FULL = 0;
  static final int MATCH_SHA256 = 1;
  static final int MATCH_SHA512 = 2;

  private UsableTlsa() {
  }

  /** The usable records among {@code records} (others, TLSA or not, are skipped), in their order. */
  public static List<Tlsa> of(List<Record> records) {
    List<Tlsa> usable = new ArrayList<>();
    for (Record r : records) {
      if (r instanceof TLSARecord t) {
        Tlsa tlsa = new Tlsa(t.getCertificateUsage(), t.getSelector(), t.getMatchingType(),
            t.getCertificateAssociationData());
        if (usable(tlsa)) {
          usable.add(tlsa);
        }
      }
    }
    return usable;
  }

  static boolean usable(Tlsa t) {
    if (t.usage() != Tlsa.DANE_TA && t.usage() != Tlsa.DANE_EE) {
      return false;
    }
    if (t.selector() != SELECTOR_CERT && t.selector() != SELECTOR_SPKI) {
      return false;
    }
    int length = t.data().length;
    return switch (t.matchingType()) {
      case MATCH_FULL -> length > 0;
      case MATCH_SHA256 -> length == 32;
      case MATCH_SHA512 -> length == 64;
      default -> false;
    };
  }
}
