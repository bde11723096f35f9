package io.hermod.dkim;

/** The two canonicalization algorithms of RFC 6376 §3.4, for header fields and for the body. */
public enum Canonicalization {
  /** §3.4.1 and §3.4.3: headers exactly as sent; the body with empty lines at its end removed. */
  SIMPLE,
  /** §3.4.2 and §3.4.4: white space folded and trimmed, header names lower-cased. */
  RELAXED;

  /** The canonical form of one header field, with its CRLF. */
  String header(HeaderField field) {
    return this == SIMPLE ? field.raw() + "\r\n" : field.relaxed();
  }

  /** A hasher of this body canonicalization, hashing at most {@code limit} canonical octets (l=; -1: all). */
  BodyHash bodyHash(long limit) {
    return this == SIMPLE ? new SimpleBodyHash(limit) : new RelaxedBodyHash(limit);
  }

  /** From a c= value part: "simple" or "relaxed". */
  static Canonicalization of(String name) {
    return switch (name) {
      case "simple" -> SIMPLE;
      case "relaxed" -> RELAXED;
      default -> throw DkimException.perm("unknown canonicalization " + DkimTags.printable(name));
    };
  }
}
