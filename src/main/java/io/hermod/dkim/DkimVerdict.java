package io.hermod.dkim;

/**
 * The result of one DKIM-Signature (or {@link DkimResult#NONE} for a message without any).
 *
 * @param result    the result
 * @param domain    d=, or null when the signature could not be parsed that far
 * @param selector  s=, or null
 * @param algorithm a= as its tag ("rsa-sha256"), or null
 * @param b         b= without white space, or null (header.b= shows its first 8 characters, RFC 6008)
 * @param reason    why it is not a pass (a short text for a comment), or null
 */
public record DkimVerdict(DkimResult result, String domain, String selector, String algorithm, String b,
                          String reason) {

  static DkimVerdict none() {
    return new DkimVerdict(DkimResult.NONE, null, null, null, null, null);
  }

  /** A signature that could not be parsed: no trustworthy tags to report. */
  static DkimVerdict unparsed(DkimException e) {
    return new DkimVerdict(e.result, null, null, null, null, e.getMessage());
  }

  static DkimVerdict of(DkimSignature s, DkimResult result, String reason) {
    return new DkimVerdict(result, s.domain(), s.selector(), s.algorithm().tag, s.bValue(), reason);
  }
}
