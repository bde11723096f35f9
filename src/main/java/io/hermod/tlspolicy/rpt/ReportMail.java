package io.hermod.tlspolicy.rpt;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;

/**
 * A mailed report (RFC 8460 §5.3): multipart/report; report-type="tlsrpt", a short text part and the gzip
 * report as an application/tlsrpt+gzip attachment; Subject "Report Domain: ... Submitter: ... Report-ID: <...>",
 * TLS-Report-Domain and TLS-Report-Submitter header fields. All ASCII, CRLF line ends. Pure.
 */
public final class ReportMail {

  private ReportMail() {
  }

  /** @param messageIdDomain the right-hand side of the Message-ID */
  public static String render(ReportBuilder.Report report, String submitter, String from, String to,
                              ZonedDateTime now, String messageIdDomain) {
    String boundary = "tlsrpt-" + Integer.toHexString(report.reportId().hashCode()) + "-" + report.start();
    String b64 = Base64.getMimeEncoder(76, "\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
        .encodeToString(report.gzip().getBytes());
    return "From: <" + from + ">\r\n"
        + "To: <" + to + ">\r\n"
        + "Date: " + DateTimeFormatter.RFC_1123_DATE_TIME.format(now) + "\r\n"
        + "Subject: Report Domain: " + report.policyDomain() + " Submitter: " + submitter
        + " Report-ID: <" + report.reportId() + ">\r\n"
        + "TLS-Report-Domain: " + report.policyDomain() + "\r\n"
        + "TLS-Report-Submitter: " + submitter + "\r\n"
        + "Message-ID: <" + report.reportId().replace('@', '.') + "@" + messageIdDomain + ">\r\n"
        + "MIME-Version: 1.0\r\n"
        + "Content-Type: multipart/report; report-type=\"tlsrpt\";\r\n\tboundary=\"" + boundary + "\"\r\n"
        + "\r\n"
        + "--" + boundary + "\r\n"
        + "Content-Type: text/plain; charset=us-ascii\r\n"
        + "\r\n"
        + "This is an aggregate TLS report (RFC 8460) from " + submitter + " for " + report.policyDomain() + ".\r\n"
        + "\r\n"
        + "--" + boundary + "\r\n"
        + "Content-Type: application/tlsrpt+gzip\r\n"
        + "Content-Transfer-Encoding: base64\r\n"
        + "Content-Disposition: attachment;\r\n\tfilename=\"" + report.filename(submitter) + "\"\r\n"
        + "\r\n"
        + b64 + "\r\n"
        + "--" + boundary + "--\r\n";
  }
}
