package io.hermod.dkim;

/** The domain of the (first) address in a From field value: "Name <a@b.example>" or "a@b.example". */
final class FromDomain {

  private FromDomain() {
  }

  /** The domain, or null when none can be found. */
  static String of(String value) {
    String v = value;
    int lt = v.lastIndexOf('<');
    int gt = v.lastIndexOf('>');
    if (lt >= 0 && gt > lt) {
      v = v.substring(lt + 1, gt);
    } else {
      v = v.replaceAll("\\(.*?\\)", "").strip(); // a trailing comment: a@b.example (Name)
      int comma = v.indexOf(',');
      if (comma >= 0) {
        v = v.substring(0, comma);
      }
    }
    int at = v.lastIndexOf('@');
    if (at < 0 || at == v.length() - 1) {
      return null;
    }
    String domain = v.substring(at + 1).strip();
    if (domain.endsWith(".")) {
      domain = domain.substring(0, domain.length() - 1);
    }
    return domain.matches("[A-Za-z0-9.-]+") ? domain : null;
  }
}
