package io.hermod.dkim;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.Signature;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The verification of one parsed signature against its key (RFC 6376 §6.1.3), no I/O. */
final class SignatureCheck {

  /** The b= tag's value, to be emptied in the signature field before hashing it (§3.7). */
  private static final Pattern B_VALUE = Pattern.compile("((?:^|;)[ \\t\\r\\n]*b[ \\t\\r\\n]*=)[^;]*");

  private SignatureCheck() {
  }

  /**
   * @param fields        the message's header fields, in order
   * @param bodyHash      the hash of the body as this signature's canonicalization and l= see it
   * @param canonicalBody the length of the whole canonical body
   */
  static DkimVerdict verify(DkimSignature sig, List<HeaderField> fields, byte[] bodyHash, long canonicalBody,
                            DkimKeyRecord key) {
    String testing = key.testing() ? "testing" : null; // §3.6.1 t=y: reported, not treated differently
    if (!key.suits(sig.algorithm())) {
      return DkimVerdict.of(sig, DkimResult.PERMERROR, "key type does not match a=");
    }
    if (sig.length() > canonicalBody) {
      return DkimVerdict.of(sig, DkimResult.FAIL, "l= exceeds the body");
    }
    if (!MessageDigest.isEqual(bodyHash, sig.bodyHash())) {
      return DkimVerdict.of(sig, DkimResult.FAIL, "body hash did not verify");
    }
    byte[] data = signedData(sig, fields);
    try {
      Signature s = Signature.getInstance(sig.algorithm().jca);
      s.initVerify(key.key());
      // RFC 8463 §3: Ed25519 signs the SHA-256 hash of the data; SHA256withRSA hashes the data itself.
      s.update(sig.algorithm() == DkimKey.Algorithm.ED25519_SHA256
          ? MessageDigest.getInstance("SHA-256").digest(data) : data);
      return s.verify(sig.signature())
          ? DkimVerdict.of(sig, DkimResult.PASS, testing)
          : DkimVerdict.of(sig, DkimResult.FAIL, "signature did not verify");
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return DkimVerdict.of(sig, DkimResult.FAIL, "signature did not verify"); // e.g. wrong length for the key
    }
  }

  /**
   * §3.7: the fields named in h= (for a repeated name, the next instance from the bottom; a name without
   * one more instance contributes nothing, §5.4.2), then this DKIM-Signature field with an empty b= and no
   * final CRLF, all in the header canonicalization.
   */
  static byte[] signedData(DkimSignature sig, List<HeaderField> fields) {
    StringBuilder data = new StringBuilder();
    List<HeaderField> unused = new ArrayList<>(fields);
    unused.remove(sig.field());
    for (String name : sig.signedHeaders()) {
      for (int i = unused.size() - 1; i >= 0; i--) {
        if (unused.get(i).name().strip().equalsIgnoreCase(name)) {
          data.append(sig.headerCanon().header(unused.remove(i)));
          break;
        }
      }
    }
    String self = sig.headerCanon().header(withoutB(sig.field()));
    data.append(self, 0, self.length() - 2);
    return data.toString().getBytes(StandardCharsets.ISO_8859_1); // one char per octet, as HeaderBlock reads them
  }

  private static HeaderField withoutB(HeaderField field) {
    int colon = field.raw().indexOf(':');
    Matcher m = B_VALUE.matcher(field.raw().substring(colon + 1));
    return new HeaderField(field.name(), field.raw().substring(0, colon + 1) + m.replaceFirst("$1"));
  }
}
