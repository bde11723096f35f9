package io.hermod.tlspolicy.rpt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 8460 §3: the _smtp._tls TXT record, strictly. */
class TlsRptRecordTest {

  @ParameterizedTest(name = "[{0}] -> {1}")
  @CsvSource(delimiter = '|', nullValues = "NONE", value = {
      "v=TLSRPTv1; rua=mailto:tlsrpt@example.com|mailto:tlsrpt@example.com",
      "v=TLSRPTv1;rua=https://reporting.example.com/v1/tlsrpt;|https://reporting.example.com/v1/tlsrpt",
      "'v=TLSRPTv1; rua=mailto:a@example.com, https://r.example.com:8443/x'|mailto:a@example.com https://r.example.com:8443/x",
      "v=TLSRPTv1; ext=1; rua=mailto:a@example.com|mailto:a@example.com",
      "v=TLSRPTv1;|NONE",
      "v=TLSRPTv1|NONE",
      "v=TLSRPTv1; rua=|NONE",
      "v=TLSRPTv1; rua=http://insecure.example.com/|NONE",
      "v=TLSRPTv1; rua=ftp://example.com/|NONE",
      "v=TLSRPTv1; rua=mailto:nobody|NONE",
      "v=TLSRPTv1; rua=mailto:a@example.com; rua=mailto:b@example.com|NONE",
      "v=TLSRPTv1 rua=mailto:a@example.com|NONE",
      "v=TLSRPTv2; rua=mailto:a@example.com|NONE",
      "v=TLSRPTv1; rua=mailto:a@example.com;; |NONE",
      "v=TLSRPTv1; rua=mailto:a@example.com; x=|NONE",
  })
  void oneRecord(String text, String rua) {
    Optional<TlsRptRecord> expected = rua == null ? Optional.empty()
        : Optional.of(new TlsRptRecord(java.util.Arrays.stream(rua.split(" ")).map(URI::create).toList()));
    assertEquals(expected, TlsRptRecord.select(List.of(text)));
  }

  @Test
  void otherRecordsAreDiscardedButTwoTlsRptRecordsMeanNone() {
    assertEquals(1, TlsRptRecord.select(List.of("v=spf1 -all", "v=TLSRPTv1; rua=mailto:a@example.com"))
        .orElseThrow().rua().size());
    assertEquals(Optional.empty(), TlsRptRecord.select(List.of("v=TLSRPTv1; rua=mailto:a@example.com",
        "v=TLSRPTv1; rua=mailto:b@example.com")));
  }
}
