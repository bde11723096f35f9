package io.hermod.tlspolicy.sts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 8461 §3.1: the _mta-sts TXT record, strictly; anything but exactly one valid v=STSv1 record = no policy. */
class StsRecordTest {

  @ParameterizedTest(name = "[{0}] -> {1}")
  @CsvSource(delimiter = '|', nullValues = "NONE", value = {
      "v=STSv1; id=20160831085700Z;|20160831085700Z",
      "v=STSv1; id=20160831085700Z|20160831085700Z",
      "v=STSv1;id=abc|abc",
      "v=STSv1 ;\tid=abc ;|abc",
      "v=STSv1; id=abc; ext_1=x.y|abc",
      "v=STSv1; ext=val; id=Z9|Z9",
      "v=STSv1; id=123456789012345678901234567890AB|123456789012345678901234567890AB",
      // invalid: no id, bad id, long id, two ids, bad separators, bad extension, wrong version/case
      "v=STSv1;|NONE",
      "v=STSv1|NONE",
      "v=STSv1; id=|NONE",
      "v=STSv1; id=ab-c|NONE",
      "v=STSv1; id=123456789012345678901234567890ABC|NONE",
      "v=STSv1; id=a; id=b|NONE",
      "v=STSv1; id=a;;|NONE",
      "v=STSv1 id=a|NONE",
      "v=STSv1; id=a; =x|NONE",
      "v=STSv1; id=a; ext=|NONE",
      "v=STSv1; id=a; ext=a=b|NONE",
      "v=STSv2; id=a|NONE",
      "V=STSv1; id=a|NONE",
      "' v=STSv1; id=a'|NONE",
  })
  void oneRecord(String text, String id) {
    assertEquals(Optional.ofNullable(id).map(StsRecord::new), StsRecord.select(List.of(text)));
  }

  @org.junit.jupiter.api.Test
  void recordsNotStartingWithTheVersionAreDiscardedButTwoStsRecordsMeanNone() {
    assertEquals(Optional.of(new StsRecord("a1")),
        StsRecord.select(List.of("v=spf1 -all", "v=STSv1; id=a1;", "something else")));
    assertEquals(Optional.empty(), StsRecord.select(List.of("v=STSv1; id=a1;", "v=STSv1; id=a2;")));
    assertEquals(Optional.empty(), StsRecord.select(List.of("v=STSv1; id=a1;", "v=STSv1; bad")));
    assertEquals(Optional.empty(), StsRecord.select(List.of()));
  }
}
