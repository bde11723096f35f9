package io.hermod.dkim;

import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One parsed DKIM-Signature field (RFC 6376 §3.5), checked as §6.1.1 asks before any DNS lookup.
 *
 * @param field           the field as it appeared, for the header hash
 * @param algorithm       a= (only rsa-sha256 and ed25519-sha256 are accepted)
 * @param signature       b=, decoded
 * @param bodyHash        bh=, decoded
 * @param headerCanon     c= header part
 * @param bodyCanon       c= body part
 * @param domain          d=, lower case
 * @param signedHeaders   h=, names as listed
 * @param identity        i=, or null
 * @param length          l=, or -1 when the whole body is signed
 * @param selector        s=
 * @param expires         x=, or null
 * @param bValue          b= as written without white space (for header.b= in Authentication-Results)
 */
public record DkimSignature(HeaderField field, DkimKey.Algorithm algorithm, byte[] signature, byte[] bodyHash,
                            Canonicalization headerCanon, Canonicalization bodyCanon, String domain,
                            List<String> signedHeaders, String identity, long length, String selector,
                            Instant expires, String bValue) {

  static final String FIELD_NAME = "DKIM-Signature";

  public DkimSignature {
    signedHeaders = List.copyOf(signedHeaders);
  }

  /** The pair of body canonicalization and l= that decides which body hasher this signature needs. */
  record BodyKey(Canonicalization canon, long length) {
  }

  BodyKey bodyKey() {
    return new BodyKey(bodyCanon, length);
  }

  /** Where the key record is published: {@code s._domainkey.d} (§3.6.2.1). */
  public String keyName() {
    return selector + "._domainkey." + domain;
  }

  /**
   * Parses and checks one field.
   *
   * @throws DkimException permerror for anything malformed, unsupported or expired
   */
  static DkimSignature parse(HeaderField field, Instant now) {
    String value = field.raw().substring(field.raw().indexOf(':') + 1);
    Map<String, String> tags = DkimTags.parse(value);
    for (String required : List.of("v", "a", "b", "bh", "d", "h", "s")) {
      if (!tags.containsKey(required)) {
        throw DkimException.perm("signature missing required tag " + required); // §6.1.1
      }
    }
    if (!tags.get("v").equals("1")) {
      throw DkimException.perm("incompatible version v=" + DkimTags.printable(tags.get("v")));
    }
    DkimKey.Algorithm algorithm = algorithm(tags.get("a"));
    String domain = domain(tags.get("d"));
    String selector = tags.get("s");
    if (!selector.matches("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*")) {
      throw DkimException.perm("bad selector " + DkimTags.printable(selector));
    }
    String c = tags.getOrDefault("c", "simple/simple");
    int slash = c.indexOf('/');
    Canonicalization headerCanon = Canonicalization.of(slash < 0 ? c : c.substring(0, slash));
    Canonicalization bodyCanon = slash < 0 ? Canonicalization.SIMPLE : Canonicalization.of(c.substring(slash + 1));
    List<String> headers = Arrays.stream(tags.get("h").split(":", -1)).map(DkimTags::withoutWhiteSpace).toList();
    if (headers.stream().anyMatch(String::isEmpty)) {
      throw DkimException.perm("empty name in h=");
    }
    if (headers.stream().noneMatch("From"::equalsIgnoreCase)) {
      throw DkimException.perm("From field not signed"); // §5.4: From MUST be signed
    }
    String identity = tags.get("i");
    if (identity != null) {
      checkIdentity(identity, domain);
    }
    String q = tags.get("q");
    if (q != null && !DkimTags.withoutWhiteSpace(q).toLowerCase(Locale.ROOT).contains("dns/txt")) {
      throw DkimException.perm("unsupported query method q=" + DkimTags.printable(q)); // §3.5: only dns/txt
    }
    Long timestamp = number(tags.get("t"), "t");
    Long expiry = number(tags.get("x"), "x");
    if (expiry != null && timestamp != null && expiry < timestamp) {
      throw DkimException.perm("x= is before t="); // §3.5: x MUST be greater than t
    }
    if (expiry != null && now.getEpochSecond() > expiry) {
      throw DkimException.perm("signature expired"); // §6.1.1
    }
    Long length = number(tags.get("l"), "l");
    String b = DkimTags.withoutWhiteSpace(tags.get("b"));
    return new DkimSignature(field, algorithm, base64(b, "b"), base64(tags.get("bh"), "bh"), headerCanon, bodyCanon,
        domain, headers, identity, length == null ? -1 : length, selector,
        expiry == null ? null : Instant.ofEpochSecond(expiry), b);
  }

  private static DkimKey.Algorithm algorithm(String a) {
    return switch (a.toLowerCase(Locale.ROOT)) {
      case "rsa-sha256" -> DkimKey.Algorithm.RSA_SHA256;
      case "ed25519-sha256" -> DkimKey.Algorithm.ED25519_SHA256;
      // RFC 8301 §3.1: verifiers MUST NOT consider rsa-sha1 signatures valid.
      case "rsa-sha1" -> throw DkimException.perm("rsa-sha1 is not accepted (RFC 8301)");
      default -> throw DkimException.perm("unknown algorithm " + DkimTags.printable(a));
    };
  }

  private static String domain(String d) {
    String domain = d.toLowerCase(Locale.ROOT);
    if (!domain.matches("[a-z0-9_-]+(\\.[a-z0-9_-]+)+")) {
      throw DkimException.perm("bad d= " + DkimTags.printable(d));
    }
    return domain;
  }

  /** §3.5 i=: its domain must be d= or a subdomain of it. */
  private static void checkIdentity(String identity, String domain) {
    int at = identity.lastIndexOf('@');
    String idDomain = at < 0 ? "" : identity.substring(at + 1).toLowerCase(Locale.ROOT);
    if (at < 0 || !(idDomain.equals(domain) || idDomain.endsWith("." + domain))) {
      throw DkimException.perm("i= domain not within d=");
    }
  }

  private static Long number(String value, String tag) {
    if (value == null) {
      return null;
    }
    if (!value.matches("[0-9]{1,76}")) {
      throw DkimException.perm("bad " + tag + "=");
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE; // absurdly far in the future: treated as no limit in practice
    }
  }

  private static byte[] base64(String value, String tag) {
    try {
      byte[] bytes = Base64.getDecoder().decode(DkimTags.withoutWhiteSpace(value));
      if (bytes.length == 0) {
        throw DkimException.perm("empty " + tag + "=");
      }
      return bytes;
    } catch (IllegalArgumentException e) {
      throw DkimException.perm("bad base64 in " + tag + "=");
    }
  }
}
