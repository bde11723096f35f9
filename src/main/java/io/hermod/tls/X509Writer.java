package io.hermod.tls;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Writes an X.509 v3 certificate in DER (RFC 5280 §4.1), signed with SHA-256 and RSA: the JDK has no public API
 * for making certificates and BouncyCastle is not on the class path. {@link SelfSigned} makes the first-start
 * server certificate with it; tests issue CA and leaf certificates with it.
 */
final class X509Writer {

  /**
   * What the certificate says.
   *
   * @param commonName the subject's CN
   * @param names      subjectAltName entries: DNS names, or IP literals (all digits and dots, or with a colon)
   * @param ca         basicConstraints CA (and keyCertSign); a leaf otherwise
   */
  record Spec(String commonName, List<String> names, Instant notBefore, Instant notAfter, boolean ca) {
  }

  private X509Writer() {
  }

  /**
   * The certificate of {@code subjectKey} as {@code spec} says, issued by {@code issuerCn} with
   * {@code issuerKeys} (the subject's own keys for a self-signed one).
   */
  static byte[] certificate(Spec spec, PublicKey subjectKey, String issuerCn, KeyPair issuerKeys, SecureRandom random)
      throws GeneralSecurityException {
    byte[] sha256WithRsa = seq(oid("1.2.840.113549.1.1.11"), new byte[] {0x05, 0x00});
    byte[] spki = subjectKey.getEncoded();
    byte[] keyId = keyIdentifier(spki);
    byte[] issuerKeyId = keyIdentifier(issuerKeys.getPublic().getEncoded());
    byte[] serial = new byte[16];
    random.nextBytes(serial);
    serial[0] &= 0x7f; // positive (RFC 5280 §4.1.2.2)
    serial[0] |= 0x01; // and 16 octets long in DER
    // keyUsage: digitalSignature, keyEncipherment (+ keyCertSign for a CA)
    byte[] keyUsage = spec.ca() ? new byte[] {0x02, (byte) 0xa4} : new byte[] {0x05, (byte) 0xa0};
    List<byte[]> extensions = new ArrayList<>();
    extensions.add(extension("2.5.29.19", true, spec.ca() ? seq(tlv(0x01, new byte[] {(byte) 0xff})) : seq()));
    extensions.add(extension("2.5.29.15", true, tlv(0x03, keyUsage)));
    extensions.add(extension("2.5.29.37", false, seq(oid("1.3.6.1.5.5.7.3.1")))); // extKeyUsage: serverAuth
    if (!spec.names().isEmpty()) {
      extensions.add(extension("2.5.29.17", false, subjectAltNames(spec.names())));
    }
    extensions.add(extension("2.5.29.14", false, tlv(0x04, keyId))); // subjectKeyIdentifier
    extensions.add(extension("2.5.29.35", false, seq(tlv(0x80, issuerKeyId)))); // authorityKeyIdentifier
    byte[] tbs = seq(
        tlv(0xa0, integer(new byte[] {2})), // v3
        integer(serial),
        sha256WithRsa,
        name(issuerCn),
        seq(time(spec.notBefore()), time(spec.notAfter())),
        name(spec.commonName()),
        spki,
        tlv(0xa3, seq(extensions.toArray(new byte[0][]))));
    Signature signer = Signature.getInstance("SHA256withRSA");
    signer.initSign(issuerKeys.getPrivate(), random);
    signer.update(tbs);
    return seq(tbs, sha256WithRsa, bitString(signer.sign()));
  }

  static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  private static byte[] name(String commonName) {
    return seq(set(seq(oid("2.5.4.3"), tlv(0x0c, commonName.getBytes(StandardCharsets.UTF_8)))));
  }

  private static byte[] subjectAltNames(List<String> names) {
    List<byte[]> general = new ArrayList<>();
    for (String n : names) {
      if (n.indexOf(':') >= 0 || n.chars().allMatch(c -> c == '.' || Character.isDigit(c))) {
        general.add(tlv(0x87, literal(n))); // iPAddress [7]
      } else {
        general.add(tlv(0x82, n.getBytes(StandardCharsets.US_ASCII))); // dNSName [2], IA5String
      }
    }
    return seq(general.toArray(new byte[0][]));
  }

  /** An IP literal's bytes; never a lookup (the text is all digits and dots, or has a colon). */
  private static byte[] literal(String ip) {
    try {
      return InetAddress.getByName(ip).getAddress();
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException("not an IP literal: " + ip, e);
    }
  }

  /** RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey bits (the BIT STRING's content after its pad byte). */
  private static byte[] keyIdentifier(byte[] spki) throws GeneralSecurityException {
    // SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier, subjectPublicKey BIT STRING }
    int[] outer = header(spki, 0);
    int[] algorithm = header(spki, outer[0]);
    int bits = outer[0] + algorithm[0] + algorithm[1];
    int[] bitString = header(spki, bits);
    int from = bits + bitString[0] + 1; // skip the unused-bits byte
    int to = bits + bitString[0] + bitString[1];
    MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
    sha1.update(spki, from, to - from);
    return sha1.digest();
  }

  /** {header length, content length} of the DER element at {@code at}. */
  private static int[] header(byte[] der, int at) {
    int first = der[at + 1] & 0xff;
    if (first < 0x80) {
      return new int[] {2, first};
    }
    int octets = first & 0x7f;
    int length = 0;
    for (int i = 0; i < octets; i++) {
      length = (length << 8) | (der[at + 2 + i] & 0xff);
    }
    return new int[] {2 + octets, length};
  }

  private static byte[] extension(String oid, boolean critical, byte[] value) {
    return critical ? seq(oid(oid), tlv(0x01, new byte[] {(byte) 0xff}), tlv(0x04, value))
        : seq(oid(oid), tlv(0x04, value));
  }

  /** UTCTime until 2049, GeneralizedTime from 2050 (RFC 5280 §4.1.2.5). */
  private static byte[] time(Instant t) {
    int year = t.atZone(ZoneOffset.UTC).getYear();
    String pattern = year < 2050 ? "yyMMddHHmmss'Z'" : "yyyyMMddHHmmss'Z'";
    String text = DateTimeFormatter.ofPattern(pattern).withZone(ZoneOffset.UTC).format(t);
    return tlv(year < 2050 ? 0x17 : 0x18, text.getBytes(StandardCharsets.US_ASCII));
  }

  private static byte[] oid(String dotted) {
    String[] parts = dotted.split("\\.");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(Integer.parseInt(parts[0]) * 40 + Integer.parseInt(parts[1]));
    for (int i = 2; i < parts.length; i++) {
      long v = Long.parseLong(parts[i]);
      byte[] groups = new byte[10];
      int n = 0;
      do {
        groups[n++] = (byte) (v & 0x7f);
        v >>>= 7;
      } while (v > 0);
      for (int j = n - 1; j >= 0; j--) {
        out.write(groups[j] | (j > 0 ? 0x80 : 0));
      }
    }
    return tlv(0x06, out.toByteArray());
  }

  /** A non-negative INTEGER from big-endian magnitude bytes (no leading 0x00 needed: the top bit is clear). */
  private static byte[] integer(byte[] magnitude) {
    return tlv(0x02, magnitude);
  }

  private static byte[] bitString(byte[] bytes) {
    byte[] content = new byte[bytes.length + 1]; // first byte: no unused bits
    System.arraycopy(bytes, 0, content, 1, bytes.length);
    return tlv(0x03, content);
  }

  private static byte[] seq(byte[]... parts) {
    return tlv(0x30, concat(parts));
  }

  private static byte[] set(byte[]... parts) {
    return tlv(0x31, concat(parts));
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  private static byte[] tlv(int tag, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
    out.write(tag);
    int n = content.length;
    if (n < 0x80) {
      out.write(n);
    } else if (n < 0x100) {
      out.write(0x81);
      out.write(n);
    } else if (n < 0x10000) {
      out.write(0x82);
      out.write(n >> 8);
      out.write(n);
    } else {
      out.write(0x83);
      out.write(n >> 16);
      out.write(n >> 8);
      out.write(n);
    }
    out.writeBytes(content);
    return out.toByteArray();
  }

}
