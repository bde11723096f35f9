package io.hermod.tlspolicy.dane;

import io.hermod.tlspolicy.Tlsa;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;

/**
 * Whether a certificate matches a TLSA record (RFC 6698 §2.1.2-§2.1.3): the selected data (selector 0: the whole
 * certificate's DER, selector 1: its SubjectPublicKeyInfo DER) compared in full (matching type 0) or as its SHA-256
 * (1) or SHA-512 (2) digest. Pure.
 */
final class TlsaMatch {

  private TlsaMatch() {
  }

  static boolean matches(Tlsa record, X509Certificate certificate) {
    try {
      byte[] selected = switch (record.selector()) {
        case UsableTlsa.SELECTOR_CERT -> certificate.getEncoded();
        case UsableTlsa.SELECTOR_SPKI -> certificate.getPublicKey().getEncoded();
        default -> null;
      };
      if (selected == null) {
        return false;
      }
      byte[] expected = record.data();
      return switch (record.matchingType()) {
        case UsableTlsa.MATCH_FULL -> MessageDigest.isEqual(selected, expected);
        case UsableTlsa.MATCH_SHA256 -> MessageDigest.isEqual(MessageDigest.getInstance("SHA-256").digest(selected),
            expected);
        case UsableTlsa.MATCH_SHA512 -> MessageDigest.isEqual(MessageDigest.getInstance("SHA-512").digest(selected),
            expected);
        default -> false;
      };
    } catch (GeneralSecurityException e) {
      return false; // an encoding the JDK cannot produce matches nothing
    }
  }
}
