package io.dqlite.client.net.tls;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads certificates and private keys from PEM files with the JDK alone, accepting what Go's {@code
 * tls.LoadX509KeyPair} accepts: certificate chains, and unencrypted keys as PKCS#8 ({@code PRIVATE
 * KEY}), PKCS#1 RSA ({@code RSA PRIVATE KEY}) or SEC1 EC ({@code EC PRIVATE KEY}). Every error
 * names the file (or, for PEM text, its source, e.g. a Secret's key) and says what was expected.
 */
public final class PemFiles {

  private static final Pattern BEGIN = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----");
  private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/=\\s]*");
  private static final Pattern HEADER = Pattern.compile("[A-Za-z0-9-]+:.*");

  /** DER of the AlgorithmIdentifier OIDs needed to wrap PKCS#1 and SEC1 keys as PKCS#8. */
  private static final byte[] RSA_ENCRYPTION = hex("06092a864886f70d010101");

  private static final byte[] EC_PUBLIC_KEY = hex("06072a8648ce3d0201");
  private static final byte[] DER_NULL = {0x05, 0x00};

  private PemFiles() {}

  /**
   * One PEM block: its type ("CERTIFICATE"), its decoded bytes, and whether its headers say it is
   * encrypted (OpenSSL's legacy {@code Proc-Type: 4,ENCRYPTED}).
   */
  private record Block(String type, byte[] der, boolean encrypted) {}

  /**
   * The certificates of a file of {@code CERTIFICATE} blocks, in file order: a chain (leaf first)
   * or a set of authorities.
   *
   * @throws IOException naming the file, when it is unreadable, holds no certificate or anything
   *     else
   */
  public static List<X509Certificate> readCertificates(Path file) throws IOException {
    return parseCertificates(read(file), file.toString());
  }

  /**
   * {@link #readCertificates} from PEM text, e.g. a Kubernetes Secret's {@code tls.crt}.
   *
   * @param source names the text in errors
   * @throws IOException naming {@code source}, when the text holds no certificate or anything else
   */
  public static List<X509Certificate> parseCertificates(String pem, String source)
      throws IOException {
    String file = source;
    List<X509Certificate> out = new ArrayList<>();
    CertificateFactory factory;
    try {
      factory = CertificateFactory.getInstance("X.509");
    } catch (CertificateException e) {
      throw new IllegalStateException("the JDK has no X.509 certificate factory", e);
    }
    for (Block block : blocks(pem == null ? "" : pem, file)) {
      if (!block.type().equals("CERTIFICATE")) {
        throw error(
            file,
            "expected only CERTIFICATE blocks but found "
                + describe(block.type())
                + "; is this the key file instead of the certificate file?");
      }
      try {
        out.add(
            (X509Certificate) factory.generateCertificate(new ByteArrayInputStream(block.der())));
      } catch (CertificateException e) {
        throw error(file, "invalid certificate: " + e.getMessage());
      }
    }
    if (out.isEmpty()) {
      throw error(file, "no PEM certificate found (expected -----BEGIN CERTIFICATE----- blocks)");
    }
    return List.copyOf(out);
  }

  /**
   * The one unencrypted private key of a file (an {@code EC PARAMETERS} block before an EC key, as
   * {@code openssl ecparam -genkey} writes, is skipped).
   *
   * @throws IOException naming the file, when it is unreadable, encrypted, or holds no key or more
   */
  public static PrivateKey readPrivateKey(Path file) throws IOException {
    return parsePrivateKey(read(file), file.toString());
  }

  /**
   * {@link #readPrivateKey} from PEM text, e.g. a Kubernetes Secret's {@code tls.key}.
   *
   * @param source names the text in errors
   * @throws IOException naming {@code source}, when the text is encrypted, or holds no key or more
   */
  public static PrivateKey parsePrivateKey(String pem, String source) throws IOException {
    String file = source;
    // The file's shape is checked before any key is decoded: "two keys" or "a certificate" is the
    // clearer error whatever the keys hold.
    Block found = null;
    for (Block block : blocks(pem == null ? "" : pem, file)) {
      if (block.encrypted() || block.type().equals("ENCRYPTED PRIVATE KEY")) {
        throw encrypted(file);
      }
      switch (block.type()) {
        case "PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY" -> {
          if (found != null) {
            throw error(file, "holds more than one private key; keep only one");
          }
          found = block;
        }
        case "EC PARAMETERS" -> {}
        default ->
            throw error(
                file,
                "expected a private key but found "
                    + describe(block.type())
                    + "; is this the certificate file instead of the key file?");
      }
    }
    if (found == null) {
      throw error(
          file,
          "no PEM private key found (expected a PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY"
              + " block)");
    }
    return switch (found.type()) {
      case "RSA PRIVATE KEY" -> pkcs8(file, wrap(RSA_ENCRYPTION, DER_NULL, found.der()));
      case "EC PRIVATE KEY" -> pkcs8(file, wrap(EC_PUBLIC_KEY, curveOf(file, found), found.der()));
      default -> pkcs8(file, found.der());
    };
  }

  private static String read(Path file) throws IOException {
    try {
      // ISO-8859-1 maps every byte: a binary file reads as "no PEM block", not as a decode error.
      return Files.readString(file, StandardCharsets.ISO_8859_1);
    } catch (NoSuchFileException e) {
      throw error(file.toString(), "no such file");
    } catch (IOException e) {
      throw error(file.toString(), "cannot read: " + e.getMessage());
    }
  }

  /**
   * The PEM blocks of {@code text}, as Go's {@code pem.Decode}: text between blocks is ignored, RFC
   * 1421 headers are read, and a block without its END line or with a body that is not base64 is an
   * error rather than silently skipped.
   */
  private static List<Block> blocks(String text, String file) throws IOException {
    List<Block> out = new ArrayList<>();
    Matcher begin = BEGIN.matcher(text);
    int from = 0;
    while (begin.find(from)) {
      String type = begin.group(1);
      String endLine = "-----END " + type + "-----";
      int end = text.indexOf(endLine, begin.end());
      if (end < 0) {
        throw error(
            file, "not a valid PEM file: the " + type + " block has no " + endLine + " line");
      }
      boolean encrypted = false;
      StringBuilder body = new StringBuilder();
      boolean inHeaders = true;
      for (String line : text.substring(begin.end(), end).split("\\R", -1)) {
        if (inHeaders && HEADER.matcher(line.strip()).matches()) {
          encrypted |= line.startsWith("Proc-Type:") && line.contains("ENCRYPTED");
          continue;
        }
        inHeaders = inHeaders && line.isBlank();
        body.append(line);
      }
      if (!BASE64.matcher(body).matches()) {
        throw error(file, "not a valid PEM file: the " + type + " block is not base64");
      }
      try {
        out.add(new Block(type, Base64.getMimeDecoder().decode(body.toString()), encrypted));
      } catch (IllegalArgumentException e) {
        throw error(file, "not a valid PEM file: the " + type + " block is not base64");
      }
      from = end + endLine.length();
    }
    return out;
  }

  /** How a block is named in errors: "a certificate", "a private key (EC PRIVATE KEY)". */
  private static String describe(String type) {
    return switch (type) {
      case "CERTIFICATE" -> "a certificate";
      case "PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY" -> "a private key (" + type + ")";
      case "ENCRYPTED PRIVATE KEY" -> "an encrypted private key";
      default -> "a " + type + " block";
    };
  }

  private static IOException encrypted(String file) {
    return error(
        file,
        "the private key is encrypted; give an unencrypted one (e.g. `openssl pkey -in "
            + file
            + " -out key.pem`)");
  }

  /** A PKCS#8 key of whichever algorithm it is. */
  private static PrivateKey pkcs8(String file, byte[] der) throws IOException {
    for (String algorithm : List.of("RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException | RuntimeException e) {
        // not this algorithm
      }
    }
    throw error(file, "unsupported or malformed private key (RSA, EC, Ed25519 are read)");
  }

  /** The named-curve OID in a SEC1 key's {@code [0] parameters}, as DER. */
  private static byte[] curveOf(String file, Block block) throws IOException {
    try {
      return curve(file, block);
    } catch (IOException e) {
      throw e.getMessage().startsWith(file + ": ") ? e : error(file, e.getMessage());
    }
  }

  private static byte[] curve(String file, Block block) throws IOException {
    Der key = new Der(block.der(), 0);
    Der body = key.enter(0x30);
    body.skip(0x02); // version
    body.skip(0x04); // the private key octets
    if (body.atEnd() || body.peekTag() != 0xa0) {
      throw error(
          file, "the EC key names no curve; convert it to PKCS#8 (openssl pkcs8 -topk8 -nocrypt)");
    }
    Der parameters = body.enter(0xa0);
    return parameters.raw(0x06);
  }

  /** PKCS#8 PrivateKeyInfo: version 0, the algorithm identifier, the key octets. */
  private static byte[] wrap(byte[] algorithm, byte[] parameters, byte[] key) {
    byte[] identifier = Der.tlv(0x30, concat(algorithm, parameters));
    return Der.tlv(0x30, concat(new byte[] {0x02, 0x01, 0x00}, identifier, Der.tlv(0x04, key)));
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  private static byte[] hex(String s) {
    return java.util.HexFormat.of().parseHex(s);
  }

  private static IOException error(String file, String what) {
    return new IOException(file + ": " + what);
  }

  /** Just enough DER to find a SEC1 key's curve: definite lengths, no copying of values. */
  private static final class Der {
    private final byte[] bytes;
    private final int end;
    private int pos;

    Der(byte[] bytes, int pos) {
      this(bytes, pos, bytes.length);
    }

    private Der(byte[] bytes, int pos, int end) {
      this.bytes = bytes;
      this.pos = pos;
      this.end = end;
    }

    boolean atEnd() {
      return pos >= end;
    }

    int peekTag() {
      return bytes[pos] & 0xff;
    }

    /** The contents of the next element, which must have {@code tag}. */
    Der enter(int tag) throws IOException {
      int[] span = next(tag);
      return new Der(bytes, span[0], span[1]);
    }

    void skip(int tag) throws IOException {
      next(tag);
    }

    /** The whole next element (tag, length, contents), which must have {@code tag}. */
    byte[] raw(int tag) throws IOException {
      int start = pos;
      int[] span = next(tag);
      return java.util.Arrays.copyOfRange(bytes, start, span[1]);
    }

    private int[] next(int tag) throws IOException {
      if (pos + 2 > end || (bytes[pos] & 0xff) != tag) {
        throw new IOException("malformed key: expected DER tag " + Integer.toHexString(tag));
      }
      pos++;
      int length = bytes[pos++] & 0xff;
      if (length > 0x80) {
        int n = length & 0x7f;
        if (n > 3 || pos + n > end) {
          throw new IOException("malformed key: bad DER length");
        }
        length = 0;
        for (int i = 0; i < n; i++) {
          length = (length << 8) | (bytes[pos++] & 0xff);
        }
      } else if (length == 0x80) {
        throw new IOException("malformed key: indefinite DER length");
      }
      if (length > end - pos) {
        throw new IOException("malformed key: DER element longer than its container");
      }
      int[] span = {pos, pos + length};
      pos += length;
      return span;
    }

    static byte[] tlv(int tag, byte[] value) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.write(tag);
      int n = value.length;
      if (n < 0x80) {
        out.write(n);
      } else if (n < 0x100) {
        out.write(0x81);
        out.write(n);
      } else if (n < 0x10000) {
        out.write(0x82);
        out.write(n >> 8);
        out.write(n);
      } else {
        out.write(0x83);
        out.write(n >> 16);
        out.write(n >> 8);
        out.write(n);
      }
      out.writeBytes(value);
      return out.toByteArray();
    }
  }
}
