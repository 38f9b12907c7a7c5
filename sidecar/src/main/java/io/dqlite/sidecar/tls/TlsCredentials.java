package io.dqlite.sidecar.tls;

import io.dqlite.client.net.tls.PemFiles;
import io.dqlite.client.net.tls.TlsDialer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * A node's TLS identity and the authorities it trusts: what go-dqlite passes to {@code
 * SimpleTLSConfig} as {@code (tls.Certificate, *x509.CertPool)}. go-dqlite's setup uses the same
 * credentials on every node; per-node certificates from one authority work too.
 *
 * @param key the private key of {@code chain.get(0)}
 * @param chain the node's certificate first, then any intermediates
 * @param authorities the certificates trusted as roots, for peers in both directions; nothing else
 *     is trusted (not the JDK's default authorities)
 */
public record TlsCredentials(
    PrivateKey key, List<X509Certificate> chain, List<X509Certificate> authorities) {

  public TlsCredentials {
    Objects.requireNonNull(key, "key");
    chain = List.copyOf(chain);
    authorities = List.copyOf(authorities);
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("the certificate chain is empty");
    }
    if (authorities.isEmpty()) {
      throw new IllegalArgumentException("no trusted authority given");
    }
  }

  /**
   * Loads credentials from PEM files and checks that the key belongs to the certificate.
   *
   * @param certificateFile the node's certificate, then any intermediates
   * @param keyFile its unencrypted private key (PKCS#8, PKCS#1 RSA or SEC1 EC), read as the client
   *     library's {@link PemFiles} reads it
   * @param authoritiesFile the trusted authorities; with a self-signed certificate, the certificate
   *     file itself
   * @throws PemFileException naming the file at fault
   */
  public static TlsCredentials load(Path certificateFile, Path keyFile, Path authoritiesFile)
      throws PemFileException {
    List<X509Certificate> chain = read(certificateFile, PemFiles::readCertificates);
    PrivateKey key = read(keyFile, PemFiles::readPrivateKey);
    List<X509Certificate> authorities = read(authoritiesFile, PemFiles::readCertificates);
    if (!keyMatches(key, chain.get(0))) {
      throw new PemFileException(
          keyFile,
          "the private key does not belong to the certificate in "
              + certificateFile
              + " ("
              + chain.get(0).getSubjectX500Principal()
              + "); give the key the certificate was issued for");
    }
    return new TlsCredentials(key, chain, authorities);
  }

  private interface Reader<T> {
    T read(Path file) throws IOException;
  }

  /** The client library's PEM reading, its errors (which name the file) as PemFileException. */
  private static <T> T read(Path file, Reader<T> reader) throws PemFileException {
    try {
      return reader.read(file);
    } catch (IOException e) {
      throw new PemFileException(file, e);
    }
  }

  /** The node certificate's DNS subject alternative names, in certificate order. */
  public List<String> dnsNames() {
    return TlsDialer.dnsNames(chain.get(0));
  }

  /** Signs and verifies a probe; key algorithms this cannot test are let through. */
  private static boolean keyMatches(PrivateKey key, X509Certificate certificate) {
    String algorithm =
        switch (key.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          case "Ed25519", "Ed448", "EdDSA" -> key.getAlgorithm();
          default -> null;
        };
    if (algorithm == null) {
      return true;
    }
    byte[] probe = "dqlite key check".getBytes(StandardCharsets.US_ASCII);
    try {
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(probe);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false; // e.g. an EC key beside an RSA certificate
    }
  }
}
