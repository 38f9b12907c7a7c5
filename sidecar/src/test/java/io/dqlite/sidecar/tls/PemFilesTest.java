package io.dqlite.sidecar.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dqlite.client.net.tls.PemFiles;
import io.dqlite.sidecar.tls.TestCertificates.Authority;
import io.dqlite.sidecar.tls.TestCertificates.Issued;
import io.dqlite.sidecar.tls.TestCertificates.KeyFormat;
import io.dqlite.sidecar.tls.TestCertificates.PemPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading PEM files as the sidecar does (the client library's {@link PemFiles}, through {@link
 * TlsCredentials#load}), with files written by BouncyCastle as OpenSSL writes them, and the errors
 * for files that are not what they should be.
 */
class PemFilesTest {

  private static Authority ca;
  private static Issued node;

  @TempDir Path dir;

  @BeforeAll
  static void certificates() {
    ca = TestCertificates.authority("pem-test-ca");
    node = ca.node("node").dns("dqlite.test").ip("127.0.4.20").issue();
  }

  @Test
  void readsAChainInFileOrder() throws Exception {
    Path file =
        TestCertificates.writePem(dir.resolve("chain.crt"), node.certificate(), ca.certificate());

    assertThat(PemFiles.readCertificates(file))
        .containsExactly(node.certificate(), ca.certificate());
  }

  @Test
  void loadsCredentialsWithTheirNames() throws Exception {
    PemPaths files = node.write(dir, "node", KeyFormat.PKCS8);

    TlsCredentials credentials =
        TlsCredentials.load(files.certificate(), files.key(), files.authorities());

    assertThat(credentials.chain()).containsExactly(node.certificate());
    assertThat(credentials.authorities()).containsExactly(ca.certificate());
    assertThat(credentials.key()).isEqualTo(node.keys().getPrivate());
    assertThat(credentials.dnsNames()).containsExactly("dqlite.test");
  }

  @Test
  void readsAnEcKeyAfterItsParametersBlock() throws Exception {
    // `openssl ecparam -genkey` writes EC PARAMETERS before EC PRIVATE KEY.
    PemObject parameters =
        new PemObject("EC PARAMETERS", SECObjectIdentifiers.secp256r1.getEncoded());
    Path file =
        TestCertificates.writePem(
            dir.resolve("ecparam.key"), parameters, TestCertificates.traditional(node.keys()));

    assertThat(Files.readString(file)).startsWith("-----BEGIN EC PARAMETERS-----");
    ECPrivateKey read = (ECPrivateKey) PemFiles.readPrivateKey(file);
    assertThat(read.getS()).isEqualTo(((ECPrivateKey) node.keys().getPrivate()).getS());
  }

  @Test
  void garbageIsNoPemCertificate() throws IOException {
    Path file = Files.writeString(dir.resolve("garbage.crt"), "this is not a certificate\n");

    PemPaths files = node.write(dir, "node", KeyFormat.PKCS8);

    assertThatThrownBy(() -> TlsCredentials.load(file, files.key(), files.authorities()))
        .isInstanceOf(PemFileException.class)
        .hasMessageStartingWith(file.toString())
        .hasMessageContaining("no PEM certificate found")
        .satisfies(e -> assertThat(((PemFileException) e).file()).isEqualTo(file));
  }

  @Test
  void binaryGarbageIsNoPemKey() throws IOException {
    Path file =
        Files.write(dir.resolve("random.key"), new byte[] {0, (byte) 0xff, 0x13, (byte) 0x80});

    assertThatThrownBy(() -> PemFiles.readPrivateKey(file))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith(file.toString())
        .hasMessageContaining("no PEM private key found");
  }

  @Test
  void corruptBase64IsReported() throws IOException {
    Path file =
        Files.writeString(
            dir.resolve("corrupt.crt"),
            "-----BEGIN CERTIFICATE-----\nnot*base64!\n-----END CERTIFICATE-----\n");

    assertThatThrownBy(() -> PemFiles.readCertificates(file))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith(file.toString())
        .hasMessageContaining("not a valid PEM file");
  }

  @Test
  void keyGivenAsCertificateIsNamed() {
    PemPaths files = node.write(dir, "node", KeyFormat.PKCS8);

    assertThatThrownBy(() -> TlsCredentials.load(files.key(), files.key(), files.authorities()))
        .isInstanceOf(PemFileException.class)
        .hasMessageStartingWith(files.key().toString())
        .hasMessageContaining("expected only CERTIFICATE blocks but found a private key");
  }

  @Test
  void certificateGivenAsKeyIsNamed() {
    PemPaths files = node.write(dir, "node", KeyFormat.TRADITIONAL);

    assertThatThrownBy(
            () ->
                TlsCredentials.load(files.certificate(), files.certificate(), files.authorities()))
        .isInstanceOf(PemFileException.class)
        .hasMessageStartingWith(files.certificate().toString())
        .hasMessageContaining("expected a private key but found a certificate");
  }

  @Test
  void missingFileIsNamed() {
    Path file = dir.resolve("absent.crt");

    assertThatThrownBy(() -> PemFiles.readCertificates(file))
        .isInstanceOf(IOException.class)
        .hasMessage(file + ": no such file");
  }

  @Test
  void encryptedKeyIsRefusedWithAHint() throws Exception {
    JcaPKCS8Generator encrypted =
        new JcaPKCS8Generator(
            node.keys().getPrivate(),
            new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
                .setProvider(new BouncyCastleProvider())
                .setPassword("secret".toCharArray())
                .build());
    Path file = TestCertificates.writePem(dir.resolve("encrypted.key"), encrypted);

    assertThatThrownBy(() -> PemFiles.readPrivateKey(file))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith(file.toString())
        .hasMessageContaining("encrypted")
        .hasMessageContaining("openssl pkey");
  }

  @Test
  void twoKeysAreRefused() {
    Path file =
        TestCertificates.writePem(
            dir.resolve("two.key"), node.keys().getPrivate(), node.keys().getPrivate());

    assertThatThrownBy(() -> PemFiles.readPrivateKey(file))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("more than one private key");
  }

  @Test
  void keyOfAnotherCertificateIsRefused() {
    Issued other = ca.node("other").dns("dqlite.test").issue();
    PemPaths mine = node.write(dir, "node", KeyFormat.PKCS8);
    PemPaths theirs = other.write(dir, "other", KeyFormat.PKCS8);

    assertThatThrownBy(
            () -> TlsCredentials.load(mine.certificate(), theirs.key(), mine.authorities()))
        .isInstanceOf(PemFileException.class)
        .hasMessageStartingWith(theirs.key().toString())
        .hasMessageContaining("does not belong to the certificate in " + mine.certificate());
  }

  @Test
  void rsaKeyBesideAnEcCertificateIsRefused() {
    Issued rsa = ca.node("rsa").keyType(TestCertificates.KeyType.RSA).dns("dqlite.test").issue();
    PemPaths mine = node.write(dir, "node", KeyFormat.PKCS8);
    PemPaths theirs = rsa.write(dir, "rsa", KeyFormat.TRADITIONAL);

    assertThatThrownBy(
            () -> TlsCredentials.load(mine.certificate(), theirs.key(), mine.authorities()))
        .isInstanceOf(PemFileException.class)
        .hasMessageContaining("does not belong");
  }

  @Test
  void writesTraditionalKeysAsOpenSslDoes() throws IOException {
    Issued rsa = ca.node("rsa").keyType(TestCertificates.KeyType.RSA).issue();

    PemPaths ec = node.write(dir, "ec", KeyFormat.TRADITIONAL);
    PemPaths pkcs1 = rsa.write(dir, "rsa", KeyFormat.TRADITIONAL);
    PemPaths pkcs8 = node.write(dir, "p8", KeyFormat.PKCS8);

    assertThat(Files.readString(ec.key())).startsWith("-----BEGIN EC PRIVATE KEY-----");
    assertThat(Files.readString(pkcs1.key())).startsWith("-----BEGIN RSA PRIVATE KEY-----");
    assertThat(Files.readString(pkcs8.key())).startsWith("-----BEGIN PRIVATE KEY-----");
  }

  @Test
  void emptyAuthorityListIsRefused() {
    X509Certificate cert = node.certificate();
    assertThatThrownBy(
            () ->
                new TlsCredentials(
                    node.keys().getPrivate(), java.util.List.of(cert), java.util.List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no trusted authority");
  }
}
