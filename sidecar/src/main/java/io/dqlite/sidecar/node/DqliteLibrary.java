package io.dqlite.sidecar.node;

import com.sun.jna.Function;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import java.io.File;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The loaded libdqlite: loaded once per JVM on first use, with the process set up as the Go
 * bindings set it up (SIGPIPE ignored).
 *
 * <p>Note on versions: Debian's libdqlite 1.11.1 reports {@code dqlite_version_number() == 11000},
 * that is "1.10.0", because upstream did not bump the number in that release. {@link #version()}
 * reports what the library says, not the package version.
 */
public final class DqliteLibrary {

  private static final Logger LOG = LoggerFactory.getLogger(DqliteLibrary.class);

  /** The soname of Debian's libdqlite0; the package that provides it is named in errors. */
  public static final String SONAME = "libdqlite.so.0";

  private static final String PACKAGE = "libdqlite0";

  private final String name;
  private final NativeLibrary library;
  private final LibDqlite api;
  private final EngineFeatures features;

  private DqliteLibrary(String name, NativeLibrary library, LibDqlite api) {
    this.name = name;
    this.library = library;
    this.api = api;
    this.features = EngineFeatures.detect(version(), file(), this::hasSymbol);
  }

  /** Lazy holder: the first caller pays for loading, a failure is remembered and rethrown. */
  private static final class Holder {
    static final DqliteLibrary INSTANCE;
    static final NativeLibraryException FAILURE;

    static {
      DqliteLibrary loaded = null;
      NativeLibraryException failure = null;
      try {
        loaded = load(SONAME);
      } catch (NativeLibraryException e) {
        failure = e;
      }
      INSTANCE = loaded;
      FAILURE = failure;
    }
  }

  /**
   * The process-wide libdqlite.
   *
   * @throws NativeLibraryException when {@code libdqlite.so.0} cannot be loaded, naming the package
   *     to install
   */
  public static DqliteLibrary get() {
    if (Holder.FAILURE != null) {
      // A fresh exception per call, so each caller's stack shows where it needed the library.
      throw new NativeLibraryException(Holder.FAILURE.getMessage(), Holder.FAILURE);
    }
    return Holder.INSTANCE;
  }

  /** Loads a library by name; the same path {@link #get()} takes, open to tests. */
  static DqliteLibrary load(String libraryName) {
    NativeLibrary library;
    try {
      library = NativeLibrary.getInstance(libraryName);
    } catch (UnsatisfiedLinkError e) {
      throw new NativeLibraryException(
          libraryName
              + " not found: install the Debian package "
              + PACKAGE
              + " (apt-get install "
              + PACKAGE
              + "), or point jna.library.path at the directory that holds it",
          e);
    }
    LibDqlite api =
        Native.load(libraryName, LibDqlite.class, Map.of(Library.OPTION_STRING_ENCODING, "UTF-8"));
    Signals.ignoreSigpipe();
    DqliteLibrary loaded = new DqliteLibrary(libraryName, library, api);
    LOG.info("loaded {}", loaded.features());
    return loaded;
  }

  LibDqlite api() {
    return api;
  }

  /** The file the library was loaded from, for error messages; the name if JNA cannot tell. */
  public String file() {
    File file = library.getFile();
    return file == null ? name : file.getPath();
  }

  /** {@code dqlite_version_number()}: major*10000 + minor*100 + release. */
  public int versionNumber() {
    return api.dqlite_version_number();
  }

  /** The version the library reports, e.g. "1.10.0" (which Debian's 1.11.1 reports). */
  public String version() {
    return formatVersion(versionNumber());
  }

  static String formatVersion(int number) {
    return (number / 10000) + "." + (number / 100 % 100) + "." + (number % 100);
  }

  /**
   * {@code dqlite_generate_node_id(address)}: an id derived from the address and the current time,
   * for a node that joins an existing cluster. The 64 bits are unsigned.
   */
  public long generateNodeId(String address) {
    return api.dqlite_generate_node_id(address);
  }

  /** What this library can do beyond 1.11.1's calls, detected once at load. */
  public EngineFeatures features() {
    return features;
  }

  /** Whether the library exports {@code symbol}. */
  public boolean hasSymbol(String symbol) {
    return optionalFunction(symbol).isPresent();
  }

  /** A function the library may lack, looked up by name instead of crashing on a call. */
  Optional<Function> optionalFunction(String symbol) {
    try {
      return Optional.of(library.getFunction(symbol));
    } catch (UnsatisfiedLinkError e) {
      return Optional.empty();
    }
  }

  @Override
  public String toString() {
    return "libdqlite " + version() + " (" + file() + ")";
  }
}
