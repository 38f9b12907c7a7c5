package io.dqlite.client.net.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** PEM files as Go accepts them, read with the JDK alone; every error names the file. */
class PemFilesTest {

  @TempDir Path dir;

  private static final TestPki.Issued CA = TestPki.authority("test-ca");

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"EC, pkcs8", "EC, traditional", "RSA, pkcs8", "RSA, traditional"})
  void readsKeysInEveryFormatGoReads(String type, String format) throws IOException {
    TestPki.Issued node = CA.issue("node", type, "dqlite");
    Path file = dir.resolve("key.pem");
    if (format.equals("pkcs8")) {
      node.writePkcs8Key(file);
    } else {
      node.writeTraditionalKey(file);
      assertThat(Files.readString(file)).contains("BEGIN " + type + " PRIVATE KEY");
    }
    PrivateKey key = PemFiles.readPrivateKey(file);
    assertThat(key.getAlgorithm()).isEqualTo(type);
    assertThat(secret(key)).isEqualTo(secret(node.keys().getPrivate()));
  }

  @Test
  void skipsTheEcParametersBlockOpensslEcparamWrites() throws IOException {
    TestPki.Issued node = CA.issue("node", "EC", "dqlite");
    Path file = node.writeTraditionalKey(dir.resolve("key.pem"));
    String key = Files.readString(file);
    String parameters =
        "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n";
    TestPki.write(file, parameters + key);
    assertThat(secret(PemFiles.readPrivateKey(file))).isEqualTo(secret(node.keys().getPrivate()));
  }

  @Test
  void readsAChainInFileOrder() throws Exception {
    TestPki.Issued node = CA.issue("node", "EC", "dqlite");
    Path file = dir.resolve("chain.pem");
    TestPki.write(
        file,
        TestPki.pem("CERTIFICATE", node.certificate().getEncoded())
            + TestPki.pem("CERTIFICATE", CA.certificate().getEncoded()));
    assertThat(PemFiles.readCertificates(file))
        .containsExactly(node.certificate(), CA.certificate());
  }

  @Test
  void refusesWhatIsNotThere() throws IOException {
    TestPki.Issued node = CA.issue("node", "EC", "dqlite");
    Path cert = node.writeCertificate(dir.resolve("cert.pem"));
    Path key = node.writePkcs8Key(dir.resolve("key.pem"));
    Path empty = Files.writeString(dir.resolve("empty.pem"), "not pem at all");
    Path encrypted =
        Files.writeString(
            dir.resolve("enc.pem"), TestPki.pem("ENCRYPTED PRIVATE KEY", new byte[] {1, 2, 3}));
    Path twoKeys =
        Files.writeString(dir.resolve("two.pem"), Files.readString(key) + Files.readString(key));
    Path legacyEncrypted =
        Files.writeString(
            dir.resolve("legacy.pem"),
            "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n"
                + "DEK-Info: AES-128-CBC,00112233445566778899AABBCCDDEEFF\n\nAQID\n"
                + "-----END RSA PRIVATE KEY-----\n");
    Path notBase64 =
        Files.writeString(
            dir.resolve("bad.pem"),
            "-----BEGIN CERTIFICATE-----\nnot*base64!\n-----END CERTIFICATE-----\n");
    Path truncated =
        Files.writeString(
            dir.resolve("truncated.pem"),
            Files.readString(cert).substring(0, Files.readString(cert).indexOf("-----END")));

    for (var c :
        List.of(
            new Object[] {cert, "key", "found a certificate; is this the certificate file"},
            new Object[] {key, "cert", "found a private key (PRIVATE KEY); is this the key file"},
            new Object[] {empty, "key", "no PEM private key found"},
            new Object[] {empty, "cert", "no PEM certificate found"},
            new Object[] {encrypted, "key", "encrypted"},
            new Object[] {twoKeys, "key", "more than one private key"},
            new Object[] {legacyEncrypted, "key", "encrypted; give an unencrypted one"},
            new Object[] {notBase64, "cert", "not a valid PEM file: the CERTIFICATE block is not"},
            new Object[] {truncated, "cert", "has no -----END CERTIFICATE----- line"},
            new Object[] {dir.resolve("missing.pem"), "cert", "no such file"})) {
      Path file = (Path) c[0];
      assertThatThrownBy(
              () -> {
                if (c[1].equals("key")) {
                  PemFiles.readPrivateKey(file);
                } else {
                  PemFiles.readCertificates(file);
                }
              })
          .isInstanceOf(IOException.class)
          .hasMessageStartingWith(file.toString())
          .hasMessageContaining((String) c[2]);
    }
  }

  /** PEM text (a Kubernetes Secret's fields) reads as its file would; errors name the source. */
  @Test
  void parsesPemTextAndNamesItsSourceInErrors() throws Exception {
    TestPki.Issued node = CA.issue("node", "EC", "dqlite");
    String certificate = Files.readString(node.writeCertificate(dir.resolve("cert.pem")));
    String key = Files.readString(node.writeTraditionalKey(dir.resolve("key.pem")));

    assertThat(PemFiles.parseCertificates(certificate, "Secret ns/db tls.crt"))
        .containsExactly(node.certificate());
    assertThat(secret(PemFiles.parsePrivateKey(key, "Secret ns/db tls.key")))
        .isEqualTo(secret(node.keys().getPrivate()));
    assertThatThrownBy(() -> PemFiles.parseCertificates(key, "Secret ns/db tls.crt"))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("Secret ns/db tls.crt: expected only CERTIFICATE blocks");
    assertThatThrownBy(() -> PemFiles.parsePrivateKey(null, "Secret ns/db tls.key"))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("Secret ns/db tls.key: no PEM private key found");
  }

  /** The key's secret number: the same key whatever optional fields its encoding carried. */
  private static BigInteger secret(PrivateKey key) {
    return key instanceof ECPrivateKey ec ? ec.getS() : ((RSAPrivateKey) key).getPrivateExponent();
  }
}
