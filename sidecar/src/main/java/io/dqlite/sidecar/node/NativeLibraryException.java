package io.dqlite.sidecar.node;

/**
 * libdqlite (or a symbol every supported version exports) cannot be loaded. Unchecked, as a missing
 * native library is a deployment error no caller can recover from; the message names the package to
 * install.
 */
public final class NativeLibraryException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public NativeLibraryException(String message, Throwable cause) {
    super(message, cause);
  }
}
