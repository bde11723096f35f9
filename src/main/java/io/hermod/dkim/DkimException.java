package io.hermod.dkim;

/** Why a signature could not be checked: a permanent (malformed, no key) or temporary (DNS) error. */
final class DkimException extends RuntimeException {

  final DkimResult result;

  private DkimException(DkimResult result, String reason) {
    super(reason, null, false, false); // a verdict, not a bug: no stack trace
    this.result = result;
  }

  static DkimException perm(String reason) {
    return new DkimException(DkimResult.PERMERROR, reason);
  }

  static DkimException temp(String reason) {
    return new DkimException(DkimResult.TEMPERROR, reason);
  }

  static DkimException fail(String reason) {
    return new DkimException(DkimResult.FAIL, reason);
  }
}
