package io.hermod.tlspolicy.sts;

import io.hermod.tlspolicy.web.TagRecord;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code _mta-sts.<domain>} TXT record (RFC 8461 §3.1): {@code v=STSv1; id=20160831085700Z;}. Pure.
 *
 * @param id the policy id: a changed id means a new policy to fetch
 */
public record StsRecord(String id) {

  private static final String VERSION = "v=STSv1";
  // §3.1: sts-id = "id=" 1*32(ALPHA / DIGIT)
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9]{1,32}");

  /**
   * The one record among {@code texts} (each TXT record's strings already joined), or empty when there is no
   * usable one: records not starting with "v=STSv1" are discarded, and anything but exactly one left, or one
   * that is not syntactically valid, means "no policy" (§3.1).
   */
  public static Optional<StsRecord> select(List<String> texts) {
    return TagRecord.single(texts, VERSION).flatMap(StsRecord::parse);
  }

  /** sts-text-record = sts-version 1*(*WSP ";" *WSP sts-field) [";"]; exactly one id field. */
  static Optional<StsRecord> parse(String text) {
    return TagRecord.fields(text, VERSION, Set.of("id"))
        .map(fields -> fields.get("id"))
        .filter(id -> ID.matcher(id).matches())
        .map(StsRecord::new);
  }
}
