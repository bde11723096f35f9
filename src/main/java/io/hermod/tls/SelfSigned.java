package io.hermod.tls;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A self-signed X.509 v3 certificate for a test or first-start server, as {@code openssl req -x509} makes one:
 * 2048-bit RSA, SHA-256, the host name as the subject's CN and, what clients check (RFC 6125 §6.4.4: a CN alone
 * is not enough for Python's ssl, Go or browsers), subjectAltNames for the host name, {@code localhost},
 * {@code 127.0.0.1} and {@code ::1}; basicConstraints CA (so that the file itself can be the trust anchor a
 * client loads), key usages, serverAuth, key identifiers; valid from an hour ago for {@value #VALIDITY_DAYS} days
 * (the longest Apple's clients accept for a server certificate from a locally trusted root). The DER is written
 * here (RFC 5280 §4.1): the JDK has no public API for making certificates and BouncyCastle is not on the class
 * path. The DER helpers are package-private so that tests can issue chains (CA, leaf) with the same code.
 */
final class SelfSigned {

  static final int VALIDITY_DAYS = 825;

  /** What the certificate names besides the host name. */
  static final List<String> LOCAL_NAMES = List.of("localhost", "127.0.0.1", "::1");

  record Pem(String certificate, String privateKey) {
  }

  private SelfSigned() {
  }

  /** The names a certificate for {@code hostname} carries, in order, without repeats. */
  static List<String> names(String hostname) {
    Set<String> names = new LinkedHashSet<>();
    names.add(hostname);
    names.addAll(LOCAL_NAMES);
    return List.copyOf(names);
  }

  static Pem generate(String hostname, Instant now, SecureRandom random) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048, random);
      KeyPair keys = generator.generateKeyPair();
      byte[] sha256WithRsa = seq(oid("1.2.840.113549.1.1.11"), new byte[] {0x05, 0x00});
      byte[] name = seq(set(seq(oid("2.5.4.3"), tlv(0x0c, hostname.getBytes(StandardCharsets.UTF_8)))));
      byte[] spki = keys.getPublic().getEncoded();
      byte[] keyId = keyIdentifier(spki);
      byte[] serial = new byte[16];
      random.nextBytes(serial);
      serial[0] &= 0x7f; // positive (RFC 5280 §4.1.2.2)
      serial[0] |= 0x01; // and 16 octets long in DER
      byte[] tbs = seq(
          tlv(0xa0, integer(new byte[] {2})), // v3
          integer(serial),
          sha256WithRsa,
          name,
          seq(time(now.minus(Duration.ofHours(1))), time(now.plus(Duration.ofDays(VALIDITY_DAYS)))),
          name,
          spki,
          tlv(0xa3, seq(
              extension("2.5.29.19", true, seq(tlv(0x01, new byte[] {(byte) 0xff}))), // basicConstraints: CA
              // keyUsage: digitalSignature, keyEncipherment, keyCertSign
              extension("2.5.29.15", true, tlv(0x03, new byte[] {0x02, (byte) 0xa4})),
              extension("2.5.29.37", false, seq(oid("1.3.6.1.5.5.7.3.1"))), // extKeyUsage: serverAuth
              extension("2.5.29.17", false, subjectAltNames(names(hostname))),
              extension("2.5.29.14", false, tlv(0x04, keyId)), // subjectKeyIdentifier
              extension("2.5.29.35", false, seq(tlv(0x80, keyId)))))); // authorityKeyIdentifier
      Signature signer = Signature.getInstance("SHA256withRSA");
      signer.initSign(keys.getPrivate(), random);
      signer.update(tbs);
      byte[] certificate = seq(tbs, sha256WithRsa, bitString(signer.sign()));
      return new Pem(pem("CERTIFICATE", certificate), pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot generate a self-signed certificate: " + e, e);
    }
  }

  /** The DNS names and IP addresses of a certificate's subjectAltName (as text), empty if it has none. */
  static List<String> subjectAltNames(X509Certificate certificate) {
    List<String> out = new ArrayList<>();
    try {
      Collection<List<?>> names = certificate.getSubjectAlternativeNames();
      if (names != null) {
        for (List<?> n : names) {
          if ((Integer) n.get(0) == 2 || (Integer) n.get(0) == 7) {
            out.add(String.valueOf(n.get(1)));
          }
        }
      }
    } catch (CertificateParsingException e) {
      // none usable
    }
    return out;
  }

  static byte[] subjectAltNames(List<String> names) {
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
  static byte[] keyIdentifier(byte[] spki) throws GeneralSecurityException {
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

  static byte[] extension(String oid, boolean critical, byte[] value) {
    return critical ? seq(oid(oid), tlv(0x01, new byte[] {(byte) 0xff}), tlv(0x04, value))
        : seq(oid(oid), tlv(0x04, value));
  }

  /** UTCTime until 2049, GeneralizedTime from 2050 (RFC 5280 §4.1.2.5). */
  static byte[] time(Instant t) {
    int year = t.atZone(ZoneOffset.UTC).getYear();
    String pattern = year < 2050 ? "yyMMddHHmmss'Z'" : "yyyyMMddHHmmss'Z'";
    String text = DateTimeFormatter.ofPattern(pattern).withZone(ZoneOffset.UTC).format(t);
    return tlv(year < 2050 ? 0x17 : 0x18, text.getBytes(StandardCharsets.US_ASCII));
  }

  static byte[] oid(String dotted) {
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
  static byte[] integer(byte[] magnitude) {
    return tlv(0x02, magnitude);
  }

  static byte[] bitString(byte[] bytes) {
    byte[] content = new byte[bytes.length + 1]; // first byte: no unused bits
    System.arraycopy(bytes, 0, content, 1, bytes.length);
    return tlv(0x03, content);
  }

  static byte[] seq(byte[]... parts) {
    return tlv(0x30, concat(parts));
  }

  static byte[] set(byte[]... parts) {
    return tlv(0x31, concat(parts));
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  static byte[] tlv(int tag, byte[] content) {
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

  static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }
}
